"""A BM25 index of the same passages as Chroma, updated in step with it.

The passages live in a SQLite table (upserts and deletions by chunk id, written
by the refresh through LangChain's `index()`); searches run on a bm25s index
built from that table and saved beside it, rebuilt only when the table changed.
At 100k passages a bm25s query takes a few ms where SQLite FTS5's bm25() took
~90 ms (bench/lexical.py).
"""

from __future__ import annotations

import json
import logging
import shutil
import sqlite3
import threading
from collections.abc import Iterable, Sequence
from contextlib import closing
from dataclasses import dataclass
from functools import cached_property
from itertools import compress
from pathlib import Path

import bm25s
import numpy as np
import Stemmer
from langchain_core.documents import Document

from vectorstore.chunking import ID_SEPARATOR

logger = logging.getLogger(__name__)
logging.getLogger("bm25s").setLevel(logging.WARNING)  # it sets DEBUG on import

_SCHEMA = """
CREATE TABLE IF NOT EXISTS passages(
    id TEXT PRIMARY KEY,
    source TEXT NOT NULL DEFAULT '',
    published_ts INTEGER NOT NULL DEFAULT -1,
    metadata TEXT NOT NULL,
    text TEXT NOT NULL
);
CREATE TABLE IF NOT EXISTS state(key TEXT PRIMARY KEY, value INTEGER NOT NULL);
INSERT OR IGNORE INTO state VALUES ('version', 0);
INSERT OR IGNORE INTO state VALUES ('cleaned', 0);
"""
# The passages whose cleaning flags (`vectorstore.cleaning`) are not of a given version.
_UNCLEANED = "json_extract(metadata, '$.cleaning') IS NOT ?"
_STEMMER = Stemmer.Stemmer("english")
SNAPSHOT_FORMAT = 2  # 2: with the headline index; an older snapshot is rebuilt


def indexed_sources(path: Path) -> list[str]:
    """The outlets of the passages in the lexical index at `path`, sorted, read without
    writing or waiting for a refresh (none before the first refresh)."""
    if not path.exists():
        return []
    try:
        with closing(sqlite3.connect(f"file:{path}?mode=ro", uri=True, timeout=5)) as db:
            rows = db.execute("SELECT DISTINCT source FROM passages WHERE source != ''")
            return sorted(row[0] for row in rows)
    except sqlite3.Error as exc:
        logger.warning("Could not read the outlets from %s: %s", path, exc)
        return []


def _document(chunk_id: str, metadata: str, text: str) -> Document:
    """A passage as stored in the table (id, metadata JSON, text)."""
    return Document(id=chunk_id, page_content=text, metadata=json.loads(metadata))


def _tokens(texts: list[str]) -> list[list[str]]:
    return bm25s.tokenize(  # type: ignore[no-any-return]
        texts, stopwords="en", stemmer=_STEMMER, return_ids=False, show_progress=False
    )


@dataclass(frozen=True)
class LexicalHit:
    """A passage found by BM25: its id, text, metadata and score (higher is better)."""

    id: str
    document: Document
    score: float


@dataclass
class _Ranking:
    """A BM25 index over entries named by passage ids, each with an outlet and a date."""

    bm25: bm25s.BM25 | None
    ids: list[str]
    sources: np.ndarray
    stamps: np.ndarray

    def passing(
        self, sources: Sequence[str], since_ts: int | None, until_ts: int | None
    ) -> np.ndarray:
        """True for the entries from one of `sources` (any, if none) published in the range."""
        mask = np.ones(len(self.stamps), dtype=bool)
        if sources:
            mask &= np.isin(self.sources, list(sources))
        if since_ts is not None:
            mask &= self.stamps >= since_ts
        if until_ts is not None:
            mask &= self.stamps <= until_ts
        return mask

    def top(
        self,
        query: str,
        k: int,
        sources: Sequence[str],
        since_ts: int | None,
        until_ts: int | None,
    ) -> list[tuple[str, float]]:
        """The ids of the k best-scoring entries that pass the filters, with their scores."""
        tokens = _tokens([query])
        if self.bm25 is None or not tokens[0]:
            return []
        documents, scores = self.bm25.retrieve(
            tokens,
            k=min(k, len(self.ids)),
            weight_mask=self.passing(sources, since_ts, until_ts).astype(np.float32),
            show_progress=False,
            n_threads=1,
        )
        return [
            (self.ids[int(i)], float(s))
            for i, s in zip(documents[0], scores[0], strict=True)
            if s > 0
        ]


@dataclass
class _Searcher:
    version: int
    passages: _Ranking
    headlines: _Ranking  # one entry per article: its title, under its first passage's id

    @cached_property
    def sources(self) -> list[str]:
        """The outlets of the indexed articles, sorted: once per version of the index."""
        return sorted(set(self.headlines.sources.tolist()) - {""})


class LexicalIndex:
    """BM25 over the indexed passages, with outlet and date filters.

    Example:
        >>> index = LexicalIndex(Path("/tmp/lexical.sqlite"))
        >>> doc = Document(page_content="OSA aid", metadata={"article_id": "a"})
        >>> index.upsert(["a::0::x"], [doc])
        >>> [hit.id for hit in index.search("what is OSA?")]
        ['a::0::x']
    """

    def __init__(self, path: Path) -> None:
        path.parent.mkdir(parents=True, exist_ok=True)
        self._snapshot = path.with_suffix(".bm25")
        self._db = sqlite3.connect(str(path), check_same_thread=False, timeout=60)
        self._lock = threading.Lock()
        self._searcher: _Searcher | None = None
        with self._lock, self._db:
            self._db.execute("PRAGMA journal_mode=WAL")
            columns = [row[1] for row in self._db.execute("PRAGMA table_info(passages)")]
            if columns and "article_id" in columns:  # the first, FTS5 layout: rebuilt by refresh
                self._db.executescript(
                    "DROP TRIGGER IF EXISTS passages_ai; DROP TRIGGER IF EXISTS passages_ad;"
                    "DROP TABLE IF EXISTS passages_fts; DROP TABLE IF EXISTS passages;"
                )
            self._db.executescript(_SCHEMA)

    def _bump(self) -> None:
        self._db.execute("UPDATE state SET value = value + 1 WHERE key = 'version'")

    def version(self) -> int:
        """Grows with every write; the search index is rebuilt when it moved."""
        with self._lock:
            return int(
                self._db.execute("SELECT value FROM state WHERE key='version'").fetchone()[0]
            )

    def upsert(self, ids: Sequence[str], documents: Sequence[Document]) -> None:
        """Write passages; an id written before is replaced, never duplicated. A passage
        flagged under another cleaning version than `cleaned()` clears that mark."""
        rows = [
            (
                chunk_id,
                doc.metadata.get("source", ""),
                int(doc.metadata.get("published_ts", -1)),
                json.dumps(doc.metadata, sort_keys=True),
                doc.page_content,
            )
            for chunk_id, doc in zip(ids, documents, strict=True)
        ]
        versions = {doc.metadata.get("cleaning") for doc in documents}
        with self._lock, self._db:
            self._db.executemany("INSERT OR REPLACE INTO passages VALUES (?, ?, ?, ?, ?)", rows)
            self._bump()
            if versions and versions != {self._cleaned()}:
                self._db.execute("UPDATE state SET value = 0 WHERE key = 'cleaned'")

    def delete(self, ids: Iterable[str]) -> None:
        """Remove passages by id; unknown ids are ignored."""
        with self._lock, self._db:
            self._db.executemany("DELETE FROM passages WHERE id = ?", [(i,) for i in ids])
            self._bump()

    def clear(self) -> None:
        """Remove every passage."""
        with self._lock, self._db:
            self._db.execute("DELETE FROM passages")
            self._bump()

    def _cleaned(self) -> int:
        row = self._db.execute("SELECT value FROM state WHERE key = 'cleaned'").fetchone()
        return int(row[0])

    def cleaned(self) -> int:
        """The cleaning version every passage is known to be flagged under (0: not known)."""
        with self._lock:
            return self._cleaned()

    def mark_cleaned(self, version: int) -> None:
        """Note that every passage is flagged under `version` (after checking it is)."""
        with self._lock, self._db:
            self._db.execute("UPDATE state SET value = ? WHERE key = 'cleaned'", (version,))

    def uncleaned(self, version: int, after: str = "", limit: int = 500) -> list[Document]:
        """Up to `limit` passages not flagged under `version`, in id order from past
        `after` (each with its `id`): page on with the last one's id."""
        with self._lock:
            rows = self._db.execute(
                f"SELECT id, metadata, text FROM passages WHERE id > ? AND {_UNCLEANED} "  # noqa: S608
                "ORDER BY id LIMIT ?",
                (after, version, limit),
            ).fetchall()
        return [_document(*row) for row in rows]

    def count_uncleaned(self, version: int) -> int:
        """How many passages are not flagged under `version`."""
        with self._lock:
            sql = f"SELECT count(*) FROM passages WHERE {_UNCLEANED}"  # noqa: S608
            return int(self._db.execute(sql, (version,)).fetchone()[0])

    def update_metadata(self, ids: Sequence[str], metadatas: Sequence[dict]) -> None:
        """Replace the metadata of passages. The search index is not rebuilt for it: it
        holds text, outlets and dates, which a metadata change must leave as they are;
        hits read the metadata from the table."""
        rows = [
            (json.dumps(metadata, sort_keys=True), chunk_id)
            for chunk_id, metadata in zip(ids, metadatas, strict=True)
        ]
        with self._lock, self._db:
            self._db.executemany("UPDATE passages SET metadata = ? WHERE id = ?", rows)

    def ids(self) -> set[str]:
        """Every passage id in the index."""
        with self._lock:
            return {row[0] for row in self._db.execute("SELECT id FROM passages")}

    def documents(self, ids: Iterable[str]) -> list[tuple[str, Document]]:
        """The passages with these ids, as (id, passage); unknown ids are left out."""
        wanted = sorted(ids)
        found: list[tuple[str, Document]] = []
        with self._lock:
            for start in range(0, len(wanted), 500):
                batch = wanted[start : start + 500]
                marks = ",".join("?" * len(batch))
                sql = f"SELECT id, metadata, text FROM passages WHERE id IN ({marks})"  # noqa: S608
                found.extend((row[0], _document(*row)) for row in self._db.execute(sql, batch))
        return found

    def passages_of(self, article_id: str, limit: int) -> list[Document]:
        """The first `limit` passages of an article, in reading order (ids start with
        the article id and ID_SEPARATOR: a range scan of the primary key)."""
        prefix = article_id + ID_SEPARATOR
        after = prefix[:-1] + chr(ord(prefix[-1]) + 1)  # the first key past the prefix
        with self._lock:
            rows = self._db.execute(
                "SELECT id, metadata, text FROM passages WHERE id >= ? AND id < ?",
                (prefix, after),
            ).fetchall()
        documents = [_document(*row) for row in rows]
        mine = [d for d in documents if str(d.metadata.get("article_id")) == article_id]
        return sorted(mine, key=lambda d: int(d.metadata.get("chunk_index", 0)))[:limit]

    def count(self) -> int:
        """How many passages are indexed."""
        with self._lock:
            return int(self._db.execute("SELECT count(*) FROM passages").fetchone()[0])

    def prepare(self) -> None:
        """Build (or load) the search index now, so that the first search is fast."""
        self._current()

    def _current(self) -> _Searcher:
        version = self.version()
        if self._searcher is None or self._searcher.version != version:
            self._searcher = self._load(version) or self._build(version)
        return self._searcher

    def _load(self, version: int) -> _Searcher | None:
        marker = self._snapshot / "state.json"
        try:
            state = json.loads(marker.read_text())
            if state["version"] != version or state.get("format") != SNAPSHOT_FORMAT:
                return None
            arrays = np.load(self._snapshot / "filters.npz")
            bm25 = headlines = None
            if state["ids"]:
                bm25 = bm25s.BM25.load(str(self._snapshot / "bm25"), mmap=True)
            if state["headlines"]:
                headlines = bm25s.BM25.load(str(self._snapshot / "headlines"), mmap=True)
        except (OSError, ValueError, KeyError):
            return None
        return _Searcher(
            version,
            _Ranking(bm25, state["ids"], arrays["sources"], arrays["stamps"]),
            _Ranking(headlines, state["leads"], arrays["lead_sources"], arrays["lead_stamps"]),
        )

    def _build(self, version: int) -> _Searcher:
        with self._lock:
            rows = self._db.execute(
                "SELECT id, source, published_ts, metadata, text FROM passages ORDER BY id"
            ).fetchall()
        ids = [row[0] for row in rows]
        sources = np.array([row[1] for row in rows], dtype=object)
        stamps = np.array([row[2] for row in rows], dtype=np.int64)
        # Each article's first passage stands for it in the headline index.
        firsts: dict[str, tuple[int, str, str, str, int]] = {}
        for chunk_id, source, stamp, metadata, _ in rows:
            meta = json.loads(metadata)
            article = str(meta.get("article_id", chunk_id))
            first = (int(meta.get("chunk_index", 0)), chunk_id, str(meta.get("title", "")))
            if article not in firsts or first < firsts[article][:3]:
                firsts[article] = (*first, source, stamp)
        leads = sorted(firsts.values(), key=lambda lead: lead[1])
        bm25 = headlines = None
        if rows:
            bm25 = bm25s.BM25()
            bm25.index(_tokens([row[4] for row in rows]), show_progress=False)
            titles = _tokens([lead[2] for lead in leads])
            if any(titles):  # bm25s cannot index nothing but empty titles
                headlines = bm25s.BM25()
                headlines.index(titles, show_progress=False)
        searcher = _Searcher(
            version,
            _Ranking(bm25, ids, sources, stamps),
            _Ranking(
                headlines,
                [lead[1] for lead in leads],
                np.array([lead[3] for lead in leads], dtype=object),
                np.array([lead[4] for lead in leads], dtype=np.int64),
            ),
        )
        self._save(searcher)
        logger.info("BM25 index built over %d passages, %d headlines", len(ids), len(leads))
        return searcher

    def _save(self, searcher: _Searcher) -> None:
        """Write the snapshot beside the table, atomically (a reader never sees half of it)."""
        fresh = self._snapshot.with_name(self._snapshot.name + f".tmp{threading.get_ident()}")
        shutil.rmtree(fresh, ignore_errors=True)
        try:
            fresh.mkdir(parents=True)
            passages, headlines = searcher.passages, searcher.headlines
            if passages.bm25 is not None:
                passages.bm25.save(str(fresh / "bm25"))
            if headlines.bm25 is not None:
                headlines.bm25.save(str(fresh / "headlines"))
            np.savez(
                fresh / "filters.npz",
                sources=passages.sources.astype(str),
                stamps=passages.stamps,
                lead_sources=headlines.sources.astype(str),
                lead_stamps=headlines.stamps,
            )
            state = {
                "version": searcher.version,
                "format": SNAPSHOT_FORMAT,
                "ids": passages.ids,
                "leads": headlines.ids,
                "headlines": headlines.bm25 is not None,
            }
            (fresh / "state.json").write_text(json.dumps(state))
            old = self._snapshot.with_name(self._snapshot.name + ".old")
            shutil.rmtree(old, ignore_errors=True)
            if self._snapshot.exists():
                self._snapshot.rename(old)
            fresh.rename(self._snapshot)
            shutil.rmtree(old, ignore_errors=True)
        except OSError as exc:  # a read-only data dir still searches, from memory
            logger.warning("Could not save the BM25 index: %s", exc)
            shutil.rmtree(fresh, ignore_errors=True)

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
        ranking = self._current().passages
        return self._hits(ranking.top(query, k, sources, since_ts, until_ts))

    def search_headlines(
        self,
        query: str,
        k: int = 10,
        *,
        sources: Sequence[str] = (),
        since_ts: int | None = None,
        until_ts: int | None = None,
    ) -> list[LexicalHit]:
        """The k articles whose headline best matches the query's words, by BM25; each
        comes back as its first passage."""
        ranking = self._current().headlines
        return self._hits(ranking.top(query, k, sources, since_ts, until_ts))

    def newest(
        self,
        k: int,
        *,
        sources: Sequence[str] = (),
        since_ts: int | None = None,
        until_ts: int | None = None,
    ) -> list[Document]:
        """The first passages of the k articles published last in the range, newest first."""
        headlines = self._current().headlines  # one entry per article, under its first passage
        passing = np.flatnonzero(headlines.passing(sources, since_ts, until_ts))
        order = passing[np.argsort(-headlines.stamps[passing], kind="stable")][:k]
        return [hit.document for hit in self._hits([(headlines.ids[int(i)], 0.0) for i in order])]

    def sources(self) -> list[str]:
        """The outlets of the indexed articles, sorted (`ask()` reads them per question)."""
        return self._current().sources

    def matching(
        self,
        sources: Sequence[str] = (),
        since_ts: int | None = None,
        until_ts: int | None = None,
    ) -> list[str]:
        """The ids of the passages from these outlets published in this range."""
        passages = self._current().passages
        return list(compress(passages.ids, passages.passing(sources, since_ts, until_ts).tolist()))

    def share_matching(
        self,
        sources: Sequence[str] = (),
        since_ts: int | None = None,
        until_ts: int | None = None,
    ) -> float:
        """The share of the passages that `matching` would return (1.0 for no passages)."""
        mask = self._current().passages.passing(sources, since_ts, until_ts)
        return float(mask.mean()) if len(mask) else 1.0

    def _hits(self, picked: list[tuple[str, float]]) -> list[LexicalHit]:
        if not picked:
            return []
        with self._lock:
            rows = self._db.execute(
                f"SELECT id, metadata, text FROM passages WHERE id IN ({','.join('?' * len(picked))})",
                [chunk_id for chunk_id, _ in picked],
            ).fetchall()
        found = {row[0]: row for row in rows}
        return [
            LexicalHit(id=chunk_id, document=_document(*found[chunk_id]), score=score)
            for chunk_id, score in picked
            if chunk_id in found
        ]

    def close(self) -> None:
        """Close the database."""
        self._db.close()
