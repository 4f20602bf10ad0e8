"""The chat model the settings name: a LangChain `BaseChatModel`, so tests can swap in
LangChain's fakes."""

from __future__ import annotations

from langchain_core.language_models import BaseChatModel

from qa.llm.settings import Backend, LLMSettings


def chat_model(settings: LLMSettings) -> BaseChatModel:
    """The configured model; nothing is loaded or called yet.

    Raises:
        ImportError: The backend's package is not installed (the `llm` extra).
    """
    if settings.backend is Backend.OPENAI:
        from langchain_openai import ChatOpenAI

        return ChatOpenAI(
            model=settings.model or "default",
            base_url=settings.base_url,
            api_key=settings.api_key,
            timeout=settings.timeout,
            max_retries=0,  # the timeout bounds the answer; the extractive one is the fallback
            max_completion_tokens=settings.max_tokens,
            temperature=settings.temperature,
            stream_usage=True,
        )
    from qa.llm.llamacpp import InProcessLlamaChat

    return InProcessLlamaChat(
        model_path=settings.model_path(),
        context_tokens=settings.context_tokens,
        threads=settings.threads,
        max_tokens=settings.max_tokens,
        temperature=settings.temperature,
    )
