"""`.fetch-state.json`: what a fetch remembers between runs, in the articles folder.

The ETag / Last-Modified validators of each URL fetched (sent back as a conditional
GET), and when each source was last fetched (so a source with an `every` is skipped
until it is due). The file is hidden, so the refresh never reads it as an article.
"""

from __future__ import annotations

import json
import logging
from datetime import datetime, timedelta
from pathlib import Path

from pydantic import AwareDatetime, BaseModel, Field, ValidationError

from vectorstore.atomic import write_text_atomically
from vectorstore.sources import Source

log = logging.getLogger(__name__)

STATE_FILE = ".fetch-state.json"
# A source is due this much early (at most), so that a schedule of its own interval
# (cron, --every) fetches it every round although each round starts a little late or early.
_MAX_SLACK = timedelta(minutes=1)


class FetchState(BaseModel):
    """The validators per URL and the last fetch per source.

    Example:
        >>> from datetime import UTC
        >>> source = Source(url="https://example.com/rss", every="2h")
        >>> state = FetchState(fetched_at={source.url: datetime(2024, 8, 5, 9, tzinfo=UTC)})
        >>> state.due_at(source, datetime(2024, 8, 5, 10, tzinfo=UTC)).isoformat()
        '2024-08-05T10:59:00+00:00'
    """

    validators: dict[str, dict[str, str]] = Field(default_factory=dict)
    fetched_at: dict[str, AwareDatetime] = Field(
        default_factory=dict,
        description="Source URL -> when its last fetch (successful or not) started.",
    )

    @classmethod
    def load(cls, articles_dir: Path) -> FetchState:
        """The saved state; empty when there is none or it cannot be read (every source is
        then due, and the next requests are unconditional)."""
        path = articles_dir / STATE_FILE
        try:
            return cls.model_validate_json(path.read_bytes())
        except FileNotFoundError:
            return cls()
        except (OSError, ValidationError) as exc:
            log.warning("Ignoring %s, which cannot be read: %s", path, exc)
            return cls()

    def save(self, articles_dir: Path) -> None:
        """Write the state atomically."""
        text = json.dumps(self.model_dump(mode="json"), indent=1, sort_keys=True)
        write_text_atomically(articles_dir / STATE_FILE, text + "\n")

    def due_at(self, source: Source, now: datetime) -> datetime | None:
        """When `source` is next due, if that is after `now`; None when it is due now.

        A source without `every`, never fetched, or last fetched "in the future" (the
        clock was set back) is due.
        """
        interval = source.interval
        last = self.fetched_at.get(source.url)
        if interval is None or last is None or last > now:
            return None
        due = last + timedelta(seconds=interval) - min(_MAX_SLACK, timedelta(seconds=interval) / 10)
        return due if due > now else None
