"""What every indexed article looked like, so a refresh passes over unchanged ones unread.

LangChain's `index()` already skips chunks whose hash it has recorded, but to
learn those hashes it must cut the article into passages again (word-piece
counting) and update every record's timestamp: most of a no-change refresh.
The manifest keeps one fingerprint per article instead. It is written only
after `index()` has stored the article's chunks, so a crash between the two
leaves an article the next refresh simply indexes again (an upsert of the same
ids): the record manager stays the source of truth.
"""

from __future__ import annotations

import hashlib
import json
import sqlite3
from collections.abc import Iterable
from pathlib import Path

from vectorstore.articles import Article
from vectorstore.chunking import CHUNKING_VERSION
from vectorstore.settings import StoreSettings


def fingerprint(article: Article, settings: StoreSettings) -> str:
    """Changes when the article or the way it is cut into passages changes."""
    payload = {
        "chunking": [CHUNKING_VERSION, settings.chunk_tokens, settings.chunk_overlap_tokens],
        "article": article.model_dump(),
    }
    return hashlib.sha256(json.dumps(payload, sort_keys=True).encode()).hexdigest()


class Manifest:
    """Article id -> (fingerprint, number of chunks indexed), in SQLite beside the store.

    Example:
        >>> manifest = Manifest(Path("/tmp/nd/articles.sqlite"))
        >>> manifest.record([("a.txt", "9f2c…", 3)])
        >>> manifest.entries()["a.txt"]
        ('9f2c…', 3)
    """

    def __init__(self, path: Path) -> None:
        path.parent.mkdir(parents=True, exist_ok=True)
        self._db = sqlite3.connect(path)
        self._db.execute(
            "CREATE TABLE IF NOT EXISTS articles ("
            "article_id TEXT PRIMARY KEY, fingerprint TEXT NOT NULL, chunks INTEGER NOT NULL)"
        )
        self._db.commit()

    def entries(self) -> dict[str, tuple[str, int]]:
        """Every recorded article."""
        rows = self._db.execute("SELECT article_id, fingerprint, chunks FROM articles")
        return {article: (digest, chunks) for article, digest, chunks in rows}

    def record(self, rows: Iterable[tuple[str, str, int]]) -> None:
        """Note articles whose chunks are now indexed."""
        with self._db:
            self._db.executemany("INSERT OR REPLACE INTO articles VALUES (?, ?, ?)", rows)

    def forget(self, article_ids: Iterable[str]) -> None:
        """Drop articles that are no longer indexed."""
        with self._db:
            self._db.executemany(
                "DELETE FROM articles WHERE article_id = ?", ((a,) for a in article_ids)
            )

    def clear(self) -> None:
        """Forget everything (before a full rebuild)."""
        with self._db:
            self._db.execute("DELETE FROM articles")

    def close(self) -> None:
        """Release the SQLite file."""
        self._db.close()
