"""Vectors of the answerer's candidate sentences: embedded by the refresh, read by text.

Embedding the sentences an answer weighs was most of an `ask()` on a CPU without
native bfloat16 (~95 of ~200 ms, docs/EVALUATION.md). The refresh gives each passage's
answering sentences (`vectorstore.cleaning.passage_sentences`, flagged "") a vector
once, into a SQLite table keyed by the model, the mode and the sentence's text; the
answerer reads them through LangChain's `CacheBackedEmbeddings` and embeds only the
sentences the table lacks (a store still being filled, a lead passage), so an answer
never depends on the table.

The mode (`StoreSettings.sentence_vectors`) says where a vector comes from: `pooled`
from the passage's forward pass (`vectorstore.late_chunking`), `separate` from the
sentence encoded alone. The two never mix: each has its own keys, the table records
whose keys it holds, and the first fill after a change of mode (or of model) drops the
other keys' vectors and every mark, so that refresh fills the table again.

A passage is marked done once its sentences are written, in the same file, so an
interrupted refresh resumes where it stopped; a deleted or re-flagged passage's mark
goes, and `--full` clears the table. Vectors no passage uses any more (an article
corrected or removed) are pruned once the passages deleted since the last prune reach
PRUNE_SHARE of those indexed: the prune reads every passage's sentences again, so it
waits until there is enough to drop.
"""

from __future__ import annotations

import functools
import hashlib
import logging
import sqlite3
import threading
from collections.abc import Callable, Iterable, Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path

import numpy as np
from langchain_classic.embeddings import CacheBackedEmbeddings
from langchain_classic.storage import EncoderBackedStore
from langchain_core.documents import Document
from langchain_core.embeddings import Embeddings
from langchain_core.stores import ByteStore
from tqdm import tqdm

from vectorstore.cleaning import passage_sentences
from vectorstore.embeddings import MODEL_SHA256
from vectorstore.late_chunking import POOLING_VERSION
from vectorstore.settings import SentenceVectorMode

logger = logging.getLogger(__name__)

PASSAGES_PER_STEP = 256  # written together; an interruption redoes at most one step
PRUNE_SHARE = 0.05  # of the passages indexed, deleted since the last prune
_SCHEMA = """
CREATE TABLE IF NOT EXISTS vectors (key TEXT PRIMARY KEY, value BLOB NOT NULL);
CREATE TABLE IF NOT EXISTS done (passage_id TEXT PRIMARY KEY);
CREATE TABLE IF NOT EXISTS counts (name TEXT PRIMARY KEY, value INTEGER NOT NULL);
CREATE TABLE IF NOT EXISTS meta (name TEXT PRIMARY KEY, value TEXT NOT NULL);
"""
SentenceSource = Callable[[Sequence[Document], list[str]], list[list[float]]]


class SQLiteByteStore(ByteStore):
    """A LangChain byte store in one SQLite file; `read_only` never writes (nor creates it).

    Example:
        >>> store = SQLiteByteStore(Path("/tmp/bytes.sqlite"))
        >>> store.mset([("a", b"1")])
        >>> store.mget(["a", "b"])
        [b'1', None]
    """

    def __init__(self, path: Path, read_only: bool = False) -> None:
        self.path = path
        self.read_only = read_only
        self._lock = threading.Lock()
        self._db: sqlite3.Connection | None = None

    def _connection(self) -> sqlite3.Connection | None:
        if self._db is None:
            if self.read_only:
                if not self.path.exists():
                    return None  # not written yet: every key is missing
                uri = f"file:{self.path}?mode=ro"
                self._db = sqlite3.connect(uri, uri=True, check_same_thread=False, timeout=30)
            else:
                self.path.parent.mkdir(parents=True, exist_ok=True)
                self._db = sqlite3.connect(str(self.path), check_same_thread=False, timeout=60)
                with self._db:
                    self._db.execute("PRAGMA journal_mode=WAL")
                    self._db.executescript(_SCHEMA)
        return self._db

    def mget(self, keys: Sequence[str]) -> list[bytes | None]:
        """The values of `keys`, None where missing."""
        with self._lock:
            db = self._connection()
            if db is None or not keys:
                return [None] * len(keys)
            found: dict[str, bytes] = {}
            for start in range(0, len(keys), 500):  # SQLite's bound-parameter limit
                batch = list(keys[start : start + 500])
                marks = ",".join("?" * len(batch))
                sql = f"SELECT key, value FROM vectors WHERE key IN ({marks})"  # noqa: S608
                found.update(db.execute(sql, batch).fetchall())
        return [found.get(key) for key in keys]

    def mset(self, key_value_pairs: Sequence[tuple[str, bytes]]) -> None:
        """Write values (a read-only store ignores this)."""
        if self.read_only:
            return
        with self.transaction() as db:
            db.executemany("INSERT OR REPLACE INTO vectors VALUES (?, ?)", key_value_pairs)

    def mdelete(self, keys: Sequence[str]) -> None:
        """Remove keys (a read-only store ignores this)."""
        if self.read_only:
            return
        with self.transaction() as db:
            db.executemany("DELETE FROM vectors WHERE key = ?", [(k,) for k in keys])

    def yield_keys(self, *, prefix: str | None = None) -> Iterator[str]:
        """Every key, or those starting with `prefix`."""
        with self._lock:
            db = self._connection()
            rows = [] if db is None else db.execute("SELECT key FROM vectors").fetchall()
        yield from (key for (key,) in rows if prefix is None or key.startswith(prefix))

    @contextmanager
    def transaction(self) -> Iterator[sqlite3.Connection]:
        """The file's connection, for one transaction (not on a read-only store)."""
        if self.read_only:
            raise PermissionError(f"{self.path} is opened read-only")
        with self._lock:
            db = self._connection()
            assert db is not None
            with db:
                yield db

    def close(self) -> None:
        """Close the file (it reopens on the next call)."""
        with self._lock:
            if self._db is not None:
                self._db.close()
                self._db = None


def key_prefix(mode: SentenceVectorMode) -> str:
    """What every key of `mode` starts with: the model's weights, and how it pooled."""
    if mode == "separate":
        return MODEL_SHA256[:16]
    return f"{MODEL_SHA256[:16]}-pooled{POOLING_VERSION}"


def _key(text: str, mode: SentenceVectorMode) -> str:
    digest = hashlib.blake2b(text.encode(), digest_size=16).hexdigest()
    return f"{key_prefix(mode)}:{digest}"


def _serialize(vector: list[float]) -> bytes:
    return np.asarray(vector, dtype=np.float32).tobytes()


def _deserialize(value: bytes) -> list[float]:
    return np.frombuffer(value, dtype=np.float32).tolist()


def vector_store(
    path: Path, mode: SentenceVectorMode, read_only: bool = False
) -> EncoderBackedStore[str, list[float]]:
    """Sentence text to vector of `mode`, over the SQLite file at `path`."""
    return _encoded(SQLiteByteStore(path, read_only), mode)


def _encoded(
    table: SQLiteByteStore, mode: SentenceVectorMode
) -> EncoderBackedStore[str, list[float]]:
    """Sentence text to vector, over `table`: keyed by the model, `mode` and the text, float32."""
    return EncoderBackedStore(table, functools.partial(_key, mode=mode), _serialize, _deserialize)


class StoredSentenceVectors(CacheBackedEmbeddings):
    """`embeddings` that read the sentence vectors of `mode` from the refresh's table
    first (`table`, opened read-only: never written); questions go straight to
    `embeddings`. `approximate`: the table's vectors were pooled in context, so the
    answerer embeds the few sentences its choice rests on again, alone
    (`underlying_embeddings`)."""

    def __init__(
        self, embeddings: Embeddings, table: SQLiteByteStore, mode: SentenceVectorMode
    ) -> None:
        super().__init__(embeddings, _encoded(table, mode))
        self.approximate = mode == "pooled"


def embedded_alone(embeddings: Embeddings) -> SentenceSource:
    """The sentence vectors of `separate` mode: each sentence encoded on its own."""
    return lambda _passages, texts: embeddings.embed_documents(texts)


def _sentences_of(passages: Iterable[Document]) -> list[str]:
    """The distinct sentences of the passages that may answer, as the answerer reads them."""
    return list(
        dict.fromkeys(
            sentence.text
            for doc in passages
            for sentence in passage_sentences(doc)
            if sentence.answers
        )
    )


class SentenceVectors:
    """The refresh's side: which passages have their sentences' vectors of `mode` in,
    and filling in."""

    def __init__(self, path: Path, mode: SentenceVectorMode) -> None:
        self.bytes = SQLiteByteStore(path)
        self.mode = mode
        self.store = _encoded(self.bytes, mode)
        self._adopted = False

    def _adopt(self) -> None:
        """Make the table hold `mode`'s keys: after a change of mode or model, drop the
        other keys' vectors and every mark (a table made before modes held `separate`'s)."""
        if self._adopted:
            return
        prefix = key_prefix(self.mode)
        with self.bytes.transaction() as db:
            row = db.execute("SELECT value FROM meta WHERE name = 'keys'").fetchone()
            if row is None:  # new, or made before modes: then it held separate's keys
                empty = db.execute("SELECT 1 FROM vectors LIMIT 1").fetchone() is None
                row = (prefix if empty else key_prefix("separate"),)
            if row[0] != prefix:
                logger.info("The answer sentences' vectors change mode: filling them again")
                mine = f"{prefix}:"
                db.execute("DELETE FROM vectors WHERE substr(key, 1, ?) != ?", (len(mine), mine))
                db.execute("DELETE FROM done")
                db.execute("DELETE FROM counts")
            db.execute("INSERT OR REPLACE INTO meta VALUES ('keys', ?)", (prefix,))
        self._adopted = True

    def pending(self, passage_ids: set[str]) -> set[str]:
        """Of `passage_ids` (every passage indexed), those whose sentences are not in yet;
        marks of passages no longer indexed are dropped (and counted towards a prune)."""
        self._adopt()
        with self.bytes.transaction() as db:
            done = {row[0] for row in db.execute("SELECT passage_id FROM done")}
            gone = [(i,) for i in done - passage_ids]
            db.executemany("DELETE FROM done WHERE passage_id = ?", gone)
            if gone:
                db.execute(
                    "INSERT INTO counts VALUES ('deleted', ?) "
                    "ON CONFLICT(name) DO UPDATE SET value = value + excluded.value",
                    (len(gone),),
                )
        return passage_ids - done

    def forget(self, passage_ids: Sequence[str]) -> None:
        """Check these passages' sentences again at the next fill (their flags changed);
        their vectors stay, and only the sentences the table lacks are embedded."""
        with self.bytes.transaction() as db:
            db.executemany("DELETE FROM done WHERE passage_id = ?", [(i,) for i in passage_ids])

    def prune_due(self, indexed: int) -> bool:
        """Whether the passages deleted since the last prune reach PRUNE_SHARE of the
        `indexed` ones."""
        with self.bytes.transaction() as db:
            row = db.execute("SELECT value FROM counts WHERE name = 'deleted'").fetchone()
        deleted = row[0] if row else 0
        return deleted > 0 and deleted >= PRUNE_SHARE * max(indexed, 1)

    def prune(self, passages: Iterable[Document]) -> int:
        """Drop the vectors of sentences that none of `passages` (every passage indexed)
        holds; returns how many were dropped."""
        live = {_key(text, self.mode) for text in _sentences_of(passages)}
        with self.bytes.transaction() as db:
            stale = [(k,) for (k,) in db.execute("SELECT key FROM vectors") if k not in live]
            db.executemany("DELETE FROM vectors WHERE key = ?", stale)
            db.execute("DELETE FROM counts WHERE name = 'deleted'")
        return len(stale)

    def fill(
        self,
        documents: list[tuple[str, Document]],
        source: SentenceSource,
        progress: bool = False,
    ) -> int:
        """Give the answering sentences of `(passage id, passage)` pairs that the table
        lacks their vectors from `source` (with a progress bar on a terminal when
        `progress`); returns how many sentences got one."""
        self._adopt()
        embedded = 0
        bar = tqdm(
            total=len(documents),
            desc="answer sentences",
            unit="passage",
            disable=None if progress else True,
        )
        with bar:
            for start in range(0, len(documents), PASSAGES_PER_STEP):
                step = documents[start : start + PASSAGES_PER_STEP]
                passages = [doc for _, doc in step]
                texts = _sentences_of(passages)
                found = self.store.mget(texts)
                missing = [
                    text for text, vector in zip(texts, found, strict=True) if vector is None
                ]
                if missing:
                    vectors = source(passages, missing)
                    self.store.mset(list(zip(missing, vectors, strict=True)))
                    embedded += len(missing)
                with self.bytes.transaction() as db:
                    db.executemany("INSERT OR IGNORE INTO done VALUES (?)", [(i,) for i, _ in step])
                bar.update(len(step))
        return embedded

    def clear(self) -> None:
        """Forget every vector and mark (a full rebuild)."""
        with self.bytes.transaction() as db:
            db.execute("DELETE FROM vectors")
            db.execute("DELETE FROM done")
            db.execute("DELETE FROM counts")
            db.execute("INSERT OR REPLACE INTO meta VALUES ('keys', ?)", (key_prefix(self.mode),))
        self._adopted = True

    def close(self) -> None:
        """Close the file."""
        self.bytes.close()
