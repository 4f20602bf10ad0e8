"""Typed results: an `Answer` and the `Citation`s behind its [n] markers."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date

from pydantic import BaseModel, Field, ValidationError, model_validator

from qa.errors import InvalidFiltersError


class Citation(BaseModel):
    """One numbered source: the article and the exact passage a claim rests on.

    `quote` is verbatim: a substring of the article's indexed text, starting at `offset`.
    """

    number: int
    article_id: str
    title: str
    source: str = ""
    url: str = ""
    published_at: str = ""
    quote: str
    offset: int = -1
    quotes: list[str] = Field(
        default_factory=list,
        description="Every sentence of this article the answer cites, verbatim, in the order "
        "cited; the first is `quote`.",
    )
    offsets: list[int] = Field(
        default_factory=list, description="Where each of `quotes` starts in the article."
    )

    @model_validator(mode="after")
    def _first_quote(self) -> Citation:
        if not self.quotes:
            self.quotes, self.offsets = [self.quote], [self.offset]
        if len(self.offsets) != len(self.quotes) or self.quotes[0] != self.quote:
            raise ValueError("quotes must start with quote, with one offset each")
        return self

    def label(self) -> str:
        """`[n] Outlet, "Title", 2024-08-05` for a reader."""
        parts = [self.source or "Unknown outlet", f"“{self.title}”"]
        if self.published_at:
            parts.append(self.published_at[:10])
        return f"[{self.number}] " + ", ".join(parts)


class DroppedSentence(BaseModel):
    """A sentence of a written answer that its sources do not support, and why."""

    text: str
    reason: str


class Written(BaseModel):
    """How an LLM's written answer came to be: its draft, what the check removed, the cost."""

    model: str
    draft: str = Field("", description="The LLM's text as generated, markers included.")
    sentences: int = Field(0, description="Sentences in the draft.")
    kept: int = Field(0, description="Sentences shown: supported by the sources they cite.")
    dropped: list[DroppedSentence] = Field(default_factory=list)
    tokens: int = Field(0, description="Tokens generated (or text pieces streamed).")
    seconds: float = Field(0.0, description="From the request to the last token.")
    first_token_seconds: float = Field(
        0.0, description="From the request to the first token (reading the prompt)."
    )


class Answer(BaseModel):
    """What `ask()` returns.

    Example:
        >>> Answer(text="No.", answered=False).citations
        []
    """

    text: str
    citations: list[Citation] = Field(default_factory=list)
    answered: bool = True
    short: str | None = Field(
        None,
        description="The words of the first cited quote that answer, verbatim: a name, a "
        "figure with its unit, a date, an expansion. None when the question asks for no "
        "such span (why, how) or the quote has none.",
    )
    question: str = ""
    related: list[Citation] = Field(
        default_factory=list,
        description="When not answered: the closest coverage, which does not answer the question.",
    )
    notice: str | None = Field(
        None,
        description="One line for the reader when the answer is not what was configured: the "
        "LLM was unavailable, too slow or unreadable, and the extracted answer is shown.",
    )
    written: Written | None = Field(
        None, description="With the LLM answerer: its draft and what the citation check removed."
    )


class Filters(BaseModel):
    """What a reader can restrict a question to: outlets and a date range (inclusive).

    Example:
        >>> Filters(sources=["The Japan News"], since=date(2024, 8, 1))
        Filters(sources=['The Japan News'], since=datetime.date(2024, 8, 1), until=None)
    """

    sources: list[str] = Field(default_factory=list)
    since: date | None = None
    until: date | None = None

    @model_validator(mode="after")
    def _in_order(self) -> Filters:
        if self.since and self.until and self.since > self.until:
            raise ValueError(
                f"The first day ({self.since}) is after the last ({self.until}): swap them?"
            )
        return self

    @classmethod
    def from_input(
        cls,
        sources: Iterable[str] = (),
        since: date | str | None = None,
        until: date | str | None = None,
    ) -> Filters:
        """Filters from what a reader typed, days as YYYY-MM-DD (empty: any day).

        Raises:
            InvalidFiltersError: A day is not a date, or the first comes after the last.

        Example:
            >>> Filters.from_input(["CNN"], "2024-08-01", "").since
            datetime.date(2024, 8, 1)
        """
        first, last = parse_day(since, "first"), parse_day(until, "last")
        try:
            return cls(sources=list(sources), since=first, until=last)
        except ValidationError as exc:
            raise InvalidFiltersError(str(exc.errors()[0]["ctx"]["error"])) from None


def parse_day(value: date | str | None, label: str) -> date | None:
    """A day a reader typed: empty is none, else YYYY-MM-DD.

    Raises:
        InvalidFiltersError: With a message saying how to write it, naming the `label` day.

    Example:
        >>> parse_day("2024-08-05", "first"), parse_day(" ", "first")
        (datetime.date(2024, 8, 5), None)
    """
    if value is None or isinstance(value, date):
        return value
    text = value.strip()
    if not text:
        return None
    try:
        return date.fromisoformat(text)
    except ValueError:
        raise InvalidFiltersError(
            f"“{text}” is not a date: type the {label} day as YYYY-MM-DD, e.g. 2024-08-05."
        ) from None
