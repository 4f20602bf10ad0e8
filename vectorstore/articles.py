"""The `Article` every parser produces, and its stable id."""

from __future__ import annotations

import hashlib
from datetime import UTC, datetime

from pydantic import BaseModel, Field


class Article(BaseModel):
    """One news article, as indexed.

    `text` is the article's indexed text: every citation quote is a substring of it.

    Example:
        >>> a = Article(id="a.txt", title="Hello", text="Body.", path="a.txt")
        >>> a.published_ts is None
        True
    """

    id: str
    title: str
    text: str
    source: str = ""
    url: str = ""
    published_at: str = Field("", description="ISO 8601, with the zone where known; may be empty.")
    caption: str = ""
    path: str = Field("", description="The file it came from, relative to the articles folder.")

    @property
    def published_ts(self) -> int | None:
        """Seconds since the epoch (zone-less dates read as UTC), for range filters."""
        if not self.published_at:
            return None
        moment = datetime.fromisoformat(self.published_at)
        if moment.tzinfo is None:
            moment = moment.replace(tzinfo=UTC)
        return int(moment.timestamp())


def article_id_for(relative_path: str, url: str = "") -> str:
    """A stable id: from the URL when known, otherwise from the path in the articles folder."""
    if url:
        return "url-" + hashlib.sha256(url.strip().encode()).hexdigest()[:16]
    return relative_path
