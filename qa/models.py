"""Typed results: an `Answer` and the `Citation`s behind its [n] markers."""

from __future__ import annotations

from datetime import date

from pydantic import BaseModel, Field, model_validator


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

    def label(self) -> str:
        """`[n] Outlet, "Title", 2024-08-05` for a reader."""
        parts = [self.source or "Unknown outlet", f"“{self.title}”"]
        if self.published_at:
            parts.append(self.published_at[:10])
        return f"[{self.number}] " + ", ".join(parts)


class Answer(BaseModel):
    """What `ask()` returns.

    Example:
        >>> Answer(text="No.", answered=False).citations
        []
    """

    text: str
    citations: list[Citation] = Field(default_factory=list)
    answered: bool = True
    question: str = ""
    related: list[Citation] = Field(
        default_factory=list,
        description="When not answered: the closest coverage, which does not answer the question.",
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
            raise ValueError(f"the first day ({self.since}) is after the last ({self.until})")
        return self
