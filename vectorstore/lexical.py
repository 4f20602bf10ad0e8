"""A BM25 index of the same passages as Chroma, in SQLite FTS5, updated in step with it."""

from __future__ import annotations

import json
import re
import sqlite3
import threading
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path

from langchain_core.documents import Document

_SCHEMA = """
CREATE TABLE IF NOT EXISTS passages(
    rowid INTEGER PRIMARY KEY,
    id TEXT UNIQUE NOT NULL,
    article_id TEXT NOT NULL,
    source TEXT NOT NULL DEFAULT '',
    published_ts INTEGER,
    metadata TEXT NOT NULL,
    text TEXT NOT NULL
);
CREATE VIRTUAL TABLE IF NOT EXISTS passages_fts USING fts5(
    text, content='passages', content_rowid='rowid',
    tokenize='porter unicode61 remove_diacritics 2'
);
CREATE TRIGGER IF NOT EXISTS passages_ai AFTER INSERT ON passages BEGIN
    INSERT INTO passages_fts(rowid, text) VALUES (new.rowid, new.text);
END;
CREATE TRIGGER IF NOT EXISTS passages_ad AFTER DELETE ON passages BEGIN
    INSERT INTO passages_fts(passages_fts, rowid, text) VALUES ('delete', old.rowid, old.text);
END;
"""
_WORD = re.compile(r"\w+", re.UNICODE)
_STOP = frozenset(
    [
        "a",
        "an",
        "and",
        "are",
        "as",
        "at",
        "be",
        "by",
        "did",
        "do",
        "does",
        "for",
        "from",
        "had",
        "has",
        "have",
        "how",
        "i",
        "in",
        "is",
        "it",
        "its",
        "of",
        "on",
        "or",
        "so",
        "that",
        "the",
        "their",
        "there",
        "they",
        "this",
        "to",
        "was",
        "were",
        "what",
        "when",
        "where",
        "which",
        "who",
        "whom",
        "whose",
        "why",
        "will",
        "with",
        "would",
        "you",
        "your",
    ]
)


@dataclass(frozen=True)
class LexicalHit:
    """A passage found by BM25: its id, text, metadata and score (higher is better)."""

    id: str
    document: Document
    score: float


class LexicalIndex:
    """BM25 over the indexed passages (SQLite FTS5), with outlet and date filters.

    Example:
        >>> index = LexicalIndex(Path("/tmp/lexical.sqlite"))
        >>> index.upsert(["a::0::x"], [Document(page_content="OSA aid", metadata={"article_id": "a"})])
        >>> [hit.id for hit in index.search("what is OSA?")]
        ['a::0::x']
    """

    def __init__(self, path: Path) -> None:
        path.parent.mkdir(parents=True, exist_ok=True)
        self._db = sqlite3.connect(str(path), check_same_thread=False, timeout=30)
        self._lock = threading.Lock()
        with self._lock, self._db:
            self._db.execute("PRAGMA journal_mode=WAL")
            self._db.executescript(_SCHEMA)

    def upsert(self, ids: Sequence[str], documents: Sequence[Document]) -> None:
        """Write passages; an id written before is replaced, never duplicated."""

        rows = [
            (
                chunk_id,
                doc.metadata.get("article_id", ""),
                doc.metadata.get("source", ""),
                doc.metadata.get("published_ts"),
                json.dumps(doc.metadata, sort_keys=True),
                doc.page_content,
            )
            for chunk_id, doc in zip(ids, documents, strict=True)
        ]
        with self._lock, self._db:
            self._db.executemany("DELETE FROM passages WHERE id = ?", [(r[0],) for r in rows])
            self._db.executemany(
                "INSERT INTO passages(id, article_id, source, published_ts, metadata, text) "
                "VALUES (?, ?, ?, ?, ?, ?)",
                rows,
            )

    def delete(self, ids: Iterable[str]) -> None:
        """Remove passages by id; unknown ids are ignored."""
        with self._lock, self._db:
            self._db.executemany("DELETE FROM passages WHERE id = ?", [(i,) for i in ids])

    def clear(self) -> None:
        """Remove every passage."""
        with self._lock, self._db:
            self._db.execute("DELETE FROM passages")

    def ids(self) -> set[str]:
        """Every passage id in the index."""
        with self._lock:
            return {row[0] for row in self._db.execute("SELECT id FROM passages")}

    def count(self) -> int:
        """How many passages are indexed."""
        with self._lock:
            return int(self._db.execute("SELECT count(*) FROM passages").fetchone()[0])

    def search(
        self,
        query: str,
        k: int = 10,
        *,
        sources: Sequence[str] = (),
        since_ts: int | None = None,
        until_ts: int | None = None,
    ) -> list[LexicalHit]:
        """The k best passages for the query's words, by BM25."""

        terms = [t for t in _WORD.findall(query.lower()) if t not in _STOP]
        if not terms:
            return []
        match = " OR ".join(f'"{t}"' for t in dict.fromkeys(terms))
        sql = (
            "SELECT p.id, p.metadata, p.text, -bm25(passages_fts) AS score "
            "FROM passages_fts JOIN passages p ON p.rowid = passages_fts.rowid "
            "WHERE passages_fts MATCH ?"
        )
        params: list[object] = [match]
        if sources:
            sql += f" AND p.source IN ({','.join('?' * len(sources))})"
            params.extend(sources)
        if since_ts is not None:
            sql += " AND p.published_ts >= ?"
            params.append(since_ts)
        if until_ts is not None:
            sql += " AND p.published_ts <= ?"
            params.append(until_ts)
        sql += " ORDER BY bm25(passages_fts) LIMIT ?"
        params.append(k)
        with self._lock:
            rows = self._db.execute(sql, params).fetchall()
        return [
            LexicalHit(
                id=row[0],
                document=Document(id=row[0], page_content=row[2], metadata=json.loads(row[1])),
                score=float(row[3]),
            )
            for row in rows
        ]

    def close(self) -> None:
        """Close the database."""
        self._db.close()
