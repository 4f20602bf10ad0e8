"""JSON Lines feeds: one article a line, `{id, title, source, url, published_at, body}`."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path

from vectorstore.articles import Article, article_id_for
from vectorstore.dates import to_iso
from vectorstore.parsing._common import MAX_ARTICLE_BYTES, Problem, Unreadable


def parse_record(record: object, where: str) -> Article:
    """One feed line, already decoded, as an `Article`."""
    if not isinstance(record, dict):
        raise Unreadable(f"not a JSON object but {type(record).__name__}")
    body = record.get("body") or record.get("text")
    if not isinstance(body, str) or not body.strip():
        raise Unreadable("no 'body' field with the article text")
    paragraphs = [p.strip() for p in body.replace("\r\n", "\n").split("\n") if p.strip()]
    url = str(record.get("url") or "").strip()
    title = str(record.get("title") or "").strip() or paragraphs[0][:120]
    return Article(
        id=str(record.get("id") or article_id_for(where, url)),
        title=title,
        text="\n\n".join(paragraphs),
        source=str(record.get("source") or "").strip(),
        url=url,
        published_at=to_iso(record.get("published_at") or record.get("date")),
        path=where.split(":", 1)[0],
    )


def parse(path: Path, relative_path: str) -> Iterator[Article | Problem]:
    """Yield every article of a feed; a bad line is a `Problem`, the others still load."""
    seen_any = False
    try:
        with path.open("rb") as feed:
            for number, raw in enumerate(feed, start=1):
                where = f"{relative_path}:{number}"
                if not raw.strip():
                    continue
                seen_any = True
                try:
                    if len(raw) > MAX_ARTICLE_BYTES:
                        raise Unreadable(f"line too large ({len(raw) / 1e6:.1f} MB)")
                    try:
                        record = json.loads(raw.decode("utf-8"))
                    except UnicodeDecodeError as exc:
                        raise Unreadable("not UTF-8 text") from exc
                    except json.JSONDecodeError as exc:
                        raise Unreadable(f"not valid JSON ({exc.msg})") from exc
                    yield parse_record(record, where)
                except Unreadable as exc:
                    yield Problem(where, str(exc))
    except FileNotFoundError:
        yield Problem(relative_path, "the file disappeared while the refresh ran")
        return
    except OSError as exc:
        yield Problem(relative_path, f"cannot be read ({exc.strerror or exc})")
        return
    if not seen_any:
        yield Problem(relative_path, "empty file")


def count(path: Path) -> int:
    """How many articles the feed holds, by its non-blank lines (1 if it cannot be read)."""
    try:
        with path.open("rb") as feed:
            return max(sum(1 for raw in feed if raw.strip()), 1)
    except OSError:
        return 1
