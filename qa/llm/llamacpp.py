"""A GGUF model run in this process by llama-cpp-python, as a LangChain chat model."""

from __future__ import annotations

import threading
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from langchain_core.callbacks import CallbackManagerForLLMRun
from langchain_core.language_models import BaseChatModel
from langchain_core.messages import AIMessage, AIMessageChunk, BaseMessage
from langchain_core.outputs import ChatGeneration, ChatGenerationChunk, ChatResult
from pydantic import ConfigDict, PrivateAttr

_ROLES = {"system": "system", "human": "user", "ai": "assistant"}


class InProcessLlamaChat(BaseChatModel):
    """llama-cpp-python's chat completion (with the chat template the GGUF file carries).

    The model loads on first use; one generation runs at a time (a llama.cpp context is
    not shared between threads).

    Example:
        >>> chat = InProcessLlamaChat(model_path=Path("SmolLM2-135M-Instruct.Q4_1.gguf"))
        >>> chat.invoke("Say hello.").content
        'Hello! ...'
    """

    model_config = ConfigDict(arbitrary_types_allowed=True)

    model_path: Path
    context_tokens: int = 4096
    threads: int | None = None
    max_tokens: int = 256
    temperature: float = 0.0
    _llama: Any = PrivateAttr(default=None)
    _lock: threading.Lock = PrivateAttr(default_factory=threading.Lock)

    @property
    def _llm_type(self) -> str:
        return "llama-cpp-in-process"

    def _client(self) -> Any:
        if self._llama is None:
            if not self.model_path.is_file():
                raise FileNotFoundError(f"the model file {self.model_path} does not exist")
            from llama_cpp import Llama  # the `llm` extra

            self._llama = Llama(
                model_path=str(self.model_path),
                n_ctx=self.context_tokens,
                n_threads=self.threads,
                verbose=False,
            )
        return self._llama

    def _completion(self, messages: list[BaseMessage], stop: list[str] | None, **kw: Any) -> Any:
        chat = [{"role": _ROLES.get(m.type, "user"), "content": m.text} for m in messages]
        return self._client().create_chat_completion(
            messages=chat,
            max_tokens=self.max_tokens,
            temperature=self.temperature,
            stop=stop or [],
            **kw,
        )

    def _generate(
        self,
        messages: list[BaseMessage],
        stop: list[str] | None = None,
        run_manager: CallbackManagerForLLMRun | None = None,
        **kwargs: Any,
    ) -> ChatResult:
        with self._lock:
            reply = self._completion(messages, stop)
        usage = reply.get("usage") or {}
        message = AIMessage(
            content=reply["choices"][0]["message"].get("content") or "",
            usage_metadata={
                "input_tokens": usage.get("prompt_tokens", 0),
                "output_tokens": usage.get("completion_tokens", 0),
                "total_tokens": usage.get("total_tokens", 0),
            },
        )
        return ChatResult(generations=[ChatGeneration(message=message)])

    def _stream(
        self,
        messages: list[BaseMessage],
        stop: list[str] | None = None,
        run_manager: CallbackManagerForLLMRun | None = None,
        **kwargs: Any,
    ) -> Iterator[ChatGenerationChunk]:
        with self._lock:
            for part in self._completion(messages, stop, stream=True):
                text = part["choices"][0]["delta"].get("content") or ""
                if not text:
                    continue
                chunk = ChatGenerationChunk(message=AIMessageChunk(content=text))
                if run_manager:
                    run_manager.on_llm_new_token(text, chunk=chunk)
                yield chunk
