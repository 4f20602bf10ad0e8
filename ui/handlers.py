"""What the page's events and the `/ask` endpoint do: read what the reader typed, call
`qa.ask()` or `refresh()`, and word any failure for the reader.

No `from __future__ import annotations` here: Gradio reads `ask_api`'s annotations at run
time to describe the `/ask` endpoint's parameters and result.
"""

import logging
import time
from collections.abc import Generator, Iterator
from contextlib import closing
from dataclasses import dataclass, replace
from typing import Any

from pydantic import BaseModel, ValidationError

from qa import (
    Answer,
    AnswerSettings,
    EmptyStoreError,
    Filters,
    InvalidQuestionError,
    ask,
    ask_stream,
)
from qa.errors import InvalidFiltersError
from qa.models import parse_day
from ui.conversation import Turn, earlier_turns
from ui.render import chat_messages
from vectorstore import NewsdeskError, StoreSettings, indexed_sources, refresh

logger = logging.getLogger(__name__)

_REFRESH_BUTTON = "Or press the “Refresh articles” button below to index the articles now."
_REFRESH_ENDPOINT = "Or call the /refresh endpoint to index the articles now."
STOPPED = "Stopped. The unchecked draft is not kept: ask again for a checked answer."
_DRAW_EVERY = 0.1  # seconds between redraws of a draft being written


class _AskRequest(BaseModel):
    """The `/ask` endpoint's arguments, checked before anything is asked."""

    question: str
    sources: list[str] | None = None
    since: str | None = None
    until: str | None = None
    as_of: str | None = None
    history: list[tuple[str, str]] | None = None


@dataclass(frozen=True)
class Handlers:
    """The page's and the API's handlers, bound to one configuration.

    Example:
        >>> handlers = Handlers(StoreSettings())
        >>> handlers.ask_api("")
        {'error': 'Please type a question about the news.'}
    """

    store: StoreSettings
    answering: AnswerSettings | None = None

    def answer(
        self,
        question: str,
        history: list[tuple[str, str]] | None = None,
        sources: list[str] | None = None,
        since: str | None = None,
        until: str | None = None,
        as_of: str | None = None,
    ) -> Answer:
        """`qa.ask()` with the filters as typed in the boxes (days as YYYY-MM-DD, empty: none).

        Raises:
            NewsdeskError: The question or a filter is not valid, nothing is indexed, or the
                store cannot be read; `reader_message()` words it for the reader.
        """
        return ask(
            question,
            history=history,
            as_of=parse_day(as_of, "“as of”"),
            filters=Filters.from_input(sources or [], since, until),
            store=self.store,
            answering=self.answering,
        )

    def chat(
        self,
        question: str,
        turns: list[Turn],
        sources: list[str] | None = None,
        since: str | None = None,
        until: str | None = None,
        as_of: str | None = None,
    ) -> Iterator[tuple[list[Turn], list[dict[str, str]]]]:
        """The conversation with `question` answered (or its failure explained), and the
        chat's messages drawn from it: first with the draft as it is written (an LLM's),
        then with the checked answer in its place. Closing the generator (the Stop
        button) stops the writing."""
        turn = Turn(question, draft="")
        try:
            with closing(self._stream(question, turns, sources, since, until, as_of)) as stream:
                drawn = 0.0
                for item in stream:
                    if isinstance(item, Answer):
                        turn = Turn(question, item)
                        break
                    turn = replace(turn, draft=(turn.draft or "") + item)
                    if time.monotonic() - drawn >= _DRAW_EVERY:
                        drawn = time.monotonic()
                        yield [*turns, turn], chat_messages([*turns, turn])
        except Exception as exc:  # the reader sees why; the turn keeps no answer
            turn = Turn(question, notice=reader_message(exc, _REFRESH_BUTTON))
        yield [*turns, turn], chat_messages([*turns, turn])

    def _stream(
        self,
        question: str,
        turns: list[Turn],
        sources: list[str] | None,
        since: str | None,
        until: str | None,
        as_of: str | None,
    ) -> Generator[str | Answer, None, None]:
        return ask_stream(
            question,
            history=earlier_turns(turns),
            as_of=parse_day(as_of, "“as of”"),
            filters=Filters.from_input(sources or [], since, until),
            store=self.store,
            answering=self.answering,
        )

    def stop(self, turns: list[Turn]) -> tuple[list[Turn], list[dict[str, str]]]:
        """The reader stopped an answer: a draft still being written is replaced by a note."""
        if turns and turns[-1].answer is None and turns[-1].draft is not None:
            turns = [*turns[:-1], Turn(turns[-1].question, notice=STOPPED)]
        return turns, chat_messages(turns)

    def ask_api(
        self,
        question: str,
        sources: list[str] | None = None,
        since: str | None = None,
        until: str | None = None,
        as_of: str | None = None,
        history: list[list[str]] | None = None,
    ) -> dict[str, Any]:
        """Answer a question about the indexed news, with citations.

        Args:
            question: The question, e.g. "What is OSA?".
            sources: Only these outlets (none: all), e.g. ["The Japan News"].
            since: The first day of coverage to use, YYYY-MM-DD (empty: any).
            until: The last day of coverage to use, YYYY-MM-DD (empty: any).
            as_of: "Now" for the question, YYYY-MM-DD (empty: today).
            history: Earlier turns to follow up on, oldest first: [question, answer text]
                pairs, e.g. the `question` and `text` of earlier /ask results.

        Returns:
            The answer: `text` (with [n] markers), `answered`, `question`, `citations` (number,
            article_id, title, source, url, published_at, quote, offset, quotes, offsets),
            `related` (when not answered: the closest coverage), `notice` (the LLM failed:
            the extracted answer is shown) and `written` (with the LLM answerer: its draft
            and the sentences the citation check left out); or `{"error": message}`.
        """
        try:
            request = _AskRequest.model_validate(
                {"question": question, "sources": sources, "since": since, "until": until}
                | {"as_of": as_of, "history": history}
            )
        except ValidationError as exc:
            return {"error": _invalid_request(exc)}
        try:
            answer = self.answer(
                request.question,
                request.history,
                request.sources,
                request.since,
                request.until,
                request.as_of,
            )
        except Exception as exc:  # an API caller gets a message, never a traceback
            return {"error": reader_message(exc, _REFRESH_ENDPOINT)}
        return answer.model_dump(mode="json")

    def refresh_articles(self) -> str:
        """Index what changed in the articles folder; a summary for the page."""
        try:
            report = refresh(self.store)
        except NewsdeskError as exc:
            return f"Refresh not run: {exc}"
        lines = [f"Refreshed {self.store.articles_dir}: {report.summary()}."]
        lines += [f"- skipped {f.path}: {f.reason}" for f in report.failed]
        return "\n".join(lines)

    def outlets(self) -> list[str]:
        """The outlets in the index, for the outlet filter (none before the first refresh)."""
        return indexed_sources(self.store.lexical_db)


def reader_message(exc: Exception, refresh_hint: str = "") -> str:
    """Why a question got no answer, in words for the reader; unexpected failures are logged.

    Example:
        >>> reader_message(InvalidQuestionError("Please type a question about the news."))
        'Please type a question about the news.'
    """
    if isinstance(exc, InvalidQuestionError | InvalidFiltersError):
        return str(exc)
    if isinstance(exc, EmptyStoreError):
        return f"{exc} {refresh_hint}".strip()
    logger.error("Question failed", exc_info=exc)
    if isinstance(exc, NewsdeskError):
        return f"Sorry, Newsdesk cannot answer right now: {exc}"
    return "Sorry, Newsdesk failed to answer that; the server log says why."


def _invalid_request(exc: ValidationError) -> str:
    error = exc.errors()[0]
    where = ".".join(str(part) for part in error["loc"])
    if where.startswith("history"):
        return "history must be a list of [question, answer text] pairs, oldest first."
    return f"{where or 'The request'} is not valid: {error['msg']}."
