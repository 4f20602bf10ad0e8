"""The LLM answerer: a written answer from the best passages, every citation checked.

The coverage gate runs first: when it refuses, no LLM is called. The LLM writes from
the passages holding the best evidence, numbered as sources; the citation checker
(`qa.support`) keeps each sentence only with a source that supports it, quoting that
source's closest sentence verbatim. When nothing cited survives, or the LLM cannot be
reached, is too slow or replies with nothing, the extractive answer is given, with a
notice saying why. Digests ("What happened this week?") list stories: extractive.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Iterator
from dataclasses import dataclass

from langchain_core.documents import Document
from langchain_core.embeddings import Embeddings
from langchain_core.language_models import BaseChatModel

from qa.answerer import ExtractiveAnswerer, last_answer
from qa.citations import cited_answer
from qa.coverage import Coverage
from qa.llm.models import chat_model
from qa.llm.prompt import prompt_messages
from qa.llm.settings import LLMSettings
from qa.models import Answer, DroppedSentence, Written
from qa.plan import DigestKind, QueryPlan
from qa.scoring import SCORING, ScoringConfig
from qa.short_answer import short_answer
from qa.support import Checked, SupportChecker

logger = logging.getLogger(__name__)

UNCHECKED = "(extracted: the written answer could not be checked)"


class LLMTimeoutError(TimeoutError):
    """The written answer took longer than the timeout setting."""


@dataclass
class _Draft:
    text: str
    tokens: int
    seconds: float
    first_token: float


class LLMAnswerer:
    """Answers written by a chat model, checked against their sources.

    Args:
        embeddings: Embeds sentences, for the gate and the checker.
        settings: Which model and how (`qa.llm.settings`).
        scoring: The weights and thresholds (`qa.scoring`).
        model: The chat model to use instead of the one `settings` name (tests pass
            LangChain's fakes).

    Example:
        >>> answerer = LLMAnswerer(embeddings, LLMSettings(backend="openai", model="qwen3"))
        >>> answerer.answer(plan("Why does Mongolia want closer ties?"), passages).text
        'Mongolia seeks … [1]. …'
    """

    def __init__(
        self,
        embeddings: Embeddings,
        settings: LLMSettings,
        scoring: ScoringConfig = SCORING,
        model: BaseChatModel | None = None,
    ) -> None:
        self.settings = settings
        self.extractive = ExtractiveAnswerer(embeddings, scoring)
        self.checker = SupportChecker(embeddings, scoring)
        self._model = model

    @property
    def model(self) -> BaseChatModel:
        """The chat model (built on first use: a missing package fails the question, not
        the start)."""
        if self._model is None:
            self._model = chat_model(self.settings)
        return self._model

    def answer(self, plan: QueryPlan, passages: list[Document]) -> Answer:
        """The checked written answer (or the extractive one, with a notice)."""
        return last_answer(self.stream(plan, passages))

    def stream(self, plan: QueryPlan, passages: list[Document]) -> Iterator[str | Answer]:
        """The draft's text as the model writes it, then the checked `Answer`."""
        if plan.digest is not DigestKind.NONE:
            yield from self.extractive.stream(plan, passages)
            return
        coverage = self.extractive.gate.assess(plan, passages)
        if not coverage.answers:
            yield coverage.refusal(plan.search_text)
            return
        sources = self.sources(coverage)
        pieces: list[str] = []
        started = time.monotonic()
        first_token = 0.0
        try:
            for chunk in self.model.stream(prompt_messages(plan, sources)):
                piece = chunk.text
                if piece:
                    first_token = first_token or time.monotonic() - started
                    pieces.append(piece)
                    yield piece
                if time.monotonic() - started > self.settings.timeout:
                    raise LLMTimeoutError
        except Exception as exc:  # any failure of the model: the extracted answer instead
            logger.warning("The LLM failed (%s): answering extractively", _why(exc, self.settings))
            yield self._extracted(plan, coverage, self._failure_notice(exc))
            return
        draft = _Draft("".join(pieces), len(pieces), time.monotonic() - started, first_token)
        yield self._checked(plan, coverage, sources, draft)

    def sources(self, coverage: Coverage) -> list[Document]:
        """The passages the LLM writes from: those holding the best-ranked evidence, in
        that order, then the article leads and other passages, at most max_sources."""
        chosen: dict[int, Document] = {}
        ranked = [c.document for c in coverage.evidence.ranked]
        for doc in [*ranked, *(c.document for c in coverage.evidence.every)]:
            if len(chosen) >= self.settings.max_sources:
                break
            chosen.setdefault(id(doc), doc)
        return list(chosen.values())

    def _checked(
        self, plan: QueryPlan, coverage: Coverage, sources: list[Document], draft: _Draft
    ) -> Answer:
        """The draft, checked: the supported sentences with their quotes, else extracted."""
        checked = self.checker.check(draft.text, sources)
        written = _written(self.settings, draft, checked)
        answer = cited_answer(plan.search_text, checked.claims)
        if not answer.answered:
            reason = "the LLM replied with nothing" if not draft.text.strip() else None
            notice = (
                f"The written answer could not be checked ({reason}): the extracted answer "
                "is shown."
                if reason
                else "No sentence of the written answer cites a source that supports it: "
                "the extracted answer is shown."
            )
            fallback = self._extracted(plan, coverage, notice)
            text = f"{fallback.text} {UNCHECKED}" if fallback.answered else fallback.text
            return fallback.model_copy(update={"text": text, "written": written})
        first = answer.citations[0].quote
        span = short_answer(plan.search_text, first, "")
        return answer.model_copy(
            update={"written": written, "short": span if span and span in first else None}
        )

    def _extracted(self, plan: QueryPlan, coverage: Coverage, notice: str) -> Answer:
        return self.extractive.from_coverage(plan, coverage).model_copy(update={"notice": notice})

    def _failure_notice(self, exc: Exception) -> str:
        return f"The written answer is unavailable ({_why(exc, self.settings)}): the extracted answer is shown."


def _why(exc: Exception, settings: LLMSettings) -> str:
    """One line saying what went wrong with the model, for a reader."""
    if isinstance(exc, LLMTimeoutError) or "timeout" in type(exc).__name__.lower():
        return f"{settings.describe()} took longer than {settings.timeout:g} s"
    if isinstance(exc, ValueError) and "no generation chunks" in str(exc).lower():
        return f"{settings.describe()} replied with nothing"
    if isinstance(exc, FileNotFoundError):
        return f"the model file {settings.model_path()} does not exist"
    if isinstance(exc, ImportError):
        return "the LLM packages are not installed: pip install -e '.[llm]'"
    if "connect" in type(exc).__name__.lower():
        return f"cannot reach {settings.base_url}"
    first_line = (str(exc).strip().splitlines() or [""])[0][:160]
    return f"{settings.describe()}: {type(exc).__name__}: {first_line}".rstrip(": ")


def _written(settings: LLMSettings, draft: _Draft, checked: Checked) -> Written:
    return Written(
        model=settings.describe(),
        draft=draft.text,
        sentences=checked.written,
        kept=len(checked.claims),
        dropped=[DroppedSentence(text=d.sentence, reason=d.reason) for d in checked.dropped],
        tokens=draft.tokens,
        seconds=round(draft.seconds, 3),
        first_token_seconds=round(draft.first_token, 3),
    )
