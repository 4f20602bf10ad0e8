"""Keep the store in step with the articles folder: LangChain's `index()` does the work.

Articles are handed to `index()` a few dozen at a time, every chunk of an
article in the same call, with `cleanup="incremental"` and the article id as
the source id: unchanged chunks are skipped, an edited article's stale chunks
are deleted, and a crash between calls leaves records that the next run
completes (chunk ids are content hashes, writes are upserts). An article whose
fingerprint matches the one recorded when it was last indexed (`vectorstore.manifest`)
is passed over before it is even cut into passages.

Each step also gives the answering sentences of its passages their vectors
(`vectorstore.sentence_vectors`): pooled from the token states of the forward pass that
embeds the passages for `index()` (`vectorstore.late_chunking`), or each encoded alone.

Passages indexed before the current cleaning rules (`vectorstore.cleaning`) get their
flags afterwards, in place: metadata only, nothing embedded, ids unchanged.
"""

from __future__ import annotations

import logging
import time
from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import cast

from chromadb.api.types import Metadata
from langchain_classic.indexes import index
from langchain_core.documents import Document
from langchain_text_splitters import RecursiveCharacterTextSplitter

from vectorstore.articles import Article
from vectorstore.chunking import article_of, chunk_article, chunk_id, make_splitter
from vectorstore.cleaning import CLEANING_VERSION, clean_passage
from vectorstore.dual_store import DualStore
from vectorstore.duplicates import DuplicateFilter
from vectorstore.embeddings import NewsEmbeddings, embeddings_for
from vectorstore.late_chunking import PooledSentences
from vectorstore.lexical import LexicalIndex
from vectorstore.manifest import Manifest, fingerprint
from vectorstore.parsing import Problem, count_articles, iter_articles, list_article_files
from vectorstore.report import FailedFile, RefreshReport
from vectorstore.sentence_vectors import SentenceSource, SentenceVectors, embedded_alone
from vectorstore.settings import StoreSettings
from vectorstore.store import (
    bump_generation,
    close_vector_store,
    open_record_manager,
    open_vector_store,
    refresh_lock,
)

logger = logging.getLogger(__name__)

Progress = Callable[[int], object]
MEND_BATCH = 500  # passages re-flagged per write; a crash redoes at most one batch


@dataclass
class _Pending:
    documents: list[Document] = field(default_factory=list)
    articles: int = 0
    fingerprints: list[tuple[str, str, int]] = field(default_factory=list)


def refresh(
    settings: StoreSettings,
    *,
    full: bool = False,
    dry_run: bool = False,
    embeddings: NewsEmbeddings | None = None,
    progress: Progress | None = None,
    on_total: Progress | None = None,
) -> RefreshReport:
    """Bring the store in line with `settings.articles_dir`.

    Args:
        settings: Where the articles and the store are.
        full: Drop everything indexed and rebuild from scratch.
        dry_run: Count what would change; write nothing.
        embeddings: The model to use (default: the packaged one, loaded once).
        progress: Called with the number of articles read since the last call (those
            unreadable or left out as duplicates included).
        on_total: Called once, before reading, with the number of articles the folder
            holds (counted without parsing them; for an ETA).

    Returns:
        A `RefreshReport` whose article counts add up to the folder's content.

    Raises:
        StoreBusyError: Another refresh holds the same data dir.

    Example:
        >>> report = refresh(StoreSettings(articles_dir="seeds", data_dir="/tmp/nd"))
        >>> report.failed
        []
    """
    started = time.perf_counter()
    embeddings = embeddings or embeddings_for(settings)
    splitter = make_splitter(
        embeddings.tokenizer, settings.chunk_tokens, settings.chunk_overlap_tokens
    )
    report = RefreshReport(dry_run=dry_run)
    model_seconds = embeddings.model_seconds
    fill_sentences = settings.embed_sentences and not dry_run
    pooling = fill_sentences and settings.sentence_vectors == "pooled"
    pooled = PooledSentences(embeddings) if pooling else None
    source: SentenceSource = pooled or embedded_alone(embeddings)
    with refresh_lock(settings):
        # Pooling, the model that embeds the passages also pools their sentences.
        chroma = open_vector_store(settings, pooled.chunker if pooled else embeddings)
        records = open_record_manager(settings)
        lexical = LexicalIndex(settings.lexical_db)
        manifest = Manifest(settings.manifest_db)
        sentences = SentenceVectors(settings.sentence_db, settings.sentence_vectors)
        store = DualStore(chroma, lexical)
        try:
            if full and not dry_run:
                _wipe(store, records)
                manifest.clear()
                sentences.clear()
            known = {} if full else manifest.entries()
            indexed: dict[str, set[str]] = defaultdict(set)
            for key in records.list_keys():
                indexed[article_of(key)].add(key)
            if full and dry_run:
                report.deleted = len(indexed)
                indexed.clear()

            duplicates = DuplicateFilter()
            seen_ids: set[str] = set()
            failed_paths: set[str] = set()
            pending = _Pending()

            def flush() -> None:
                if pending.documents and not dry_run:
                    if pooled:
                        pooled.chunker.expect(pending.documents, read_whole=True)
                    result = index(
                        pending.documents,
                        records,
                        store,
                        cleanup="incremental",
                        source_id_key="article_id",
                        key_encoder=chunk_id,
                        batch_size=len(pending.documents),
                    )
                    report.chunks_added += result["num_added"]
                    report.chunks_deleted += result["num_deleted"]
                    if result["num_added"] or result["num_deleted"]:
                        bump_generation(settings)  # readers in other processes reopen
                    if fill_sentences:
                        report.sentences_embedded += sentences.fill(
                            [(chunk_id(doc), doc) for doc in pending.documents], source
                        )
                    if pooled:
                        pooled.chunker.clear()
                if not dry_run:
                    manifest.record(pending.fingerprints)
                if progress:
                    progress(pending.articles)
                pending.documents, pending.articles, pending.fingerprints = [], 0, []

            files = list_article_files(settings.articles_dir)
            if on_total:
                on_total(count_articles(files))
            for path in files:
                for item in iter_articles(path, settings.articles_dir):
                    if isinstance(item, Problem):
                        pending.articles += 1
                        logger.warning("Skipped %s", item)
                        report.failed.append(FailedFile(path=item.path, reason=item.reason))
                        failed_paths.add(path.relative_to(settings.articles_dir).as_posix())
                        continue
                    if duplicates.repeats(item):
                        pending.articles += 1
                        logger.info("Left out %s: it repeats an article already read", item.path)
                        report.duplicates += 1
                        continue
                    seen_ids.add(item.id)
                    old_keys = indexed.get(item.id, set())
                    digest = fingerprint(item, settings)
                    if old_keys and known.get(item.id) == (digest, len(old_keys)):
                        report.skipped += 1  # indexed as it is: no need to cut it again
                        pending.articles += 1
                    else:
                        _stage(item, digest, old_keys, splitter, pending, report, dry_run)
                    if pending.articles >= settings.index_batch_articles:
                        flush()
            flush()

            gone = set(indexed) - seen_ids - _articles_in(chroma, failed_paths)
            report.deleted += len(gone)
            stale = [key for article in gone for key in indexed[article]]
            report.chunks_deleted += len(stale) if dry_run else _delete(store, records, stale)
            if not dry_run:
                manifest.forget(gone)
                keys = records.list_keys()
                report.chunks_total = len(keys)
                _mend_lexical(store, set(keys))
            if not (full and dry_run):  # a rebuild flags every passage as it indexes it
                report.passages_recleaned = _mend_cleaning(store, sentences, dry_run)
            if not dry_run:
                lexical.prepare()  # readers then load the BM25 index instead of building it
                if settings.embed_sentences:
                    report.sentences_embedded += _fill_sentences(sentences, lexical, source)
            if report.changed and not dry_run:
                bump_generation(settings)
        finally:
            manifest.close()
            sentences.close()
            lexical.close()
            close_vector_store(chroma)
    report.sentences_pooled = pooled.pooled if pooled else 0
    report.model_seconds = round(embeddings.model_seconds - model_seconds, 3)
    report.seconds = round(time.perf_counter() - started, 3)
    logger.info("Refresh done: %s", report.summary())
    return report


def _stage(
    article: Article,
    digest: str,
    old_keys: set[str],
    splitter: RecursiveCharacterTextSplitter,
    pending: _Pending,
    report: RefreshReport,
    dry_run: bool,
) -> None:
    """Cut a new or possibly changed article into passages and queue them for `index()`."""
    documents = chunk_article(article, splitter)
    new_keys = {chunk_id(doc) for doc in documents}
    if not old_keys:
        report.added += 1
    elif old_keys == new_keys:
        report.skipped += 1
    else:
        report.updated += 1
    if dry_run:
        report.chunks_added += len(new_keys - old_keys)
        report.chunks_deleted += len(old_keys - new_keys)
    pending.documents.extend(documents)
    pending.articles += 1
    pending.fingerprints.append((article.id, digest, len(new_keys)))


def _articles_in(chroma: object, paths: set[str]) -> set[str]:
    """The ids of the articles already indexed from files that could not be read this time."""
    if not paths:
        return set()
    found = chroma.get(where={"path": {"$in": sorted(paths)}}, include=["metadatas"])  # type: ignore[attr-defined]
    return {meta["article_id"] for meta in found["metadatas"] if meta}


def _delete(store: DualStore, records: object, keys: list[str]) -> int:
    for start in range(0, len(keys), 1000):
        batch = keys[start : start + 1000]
        store.delete(batch)
        records.delete_keys(batch)  # type: ignore[attr-defined]
    return len(keys)


def _mend_lexical(store: DualStore, keys: set[str]) -> None:
    """Bring the BM25 table back in line with the record manager (after an upgrade, say)."""
    present = store.lexical.ids()
    if present == keys:
        return
    missing = sorted(keys - present)
    logger.info(
        "Mending the BM25 index: %d passages to add, %d to drop", len(missing), len(present - keys)
    )
    store.lexical.delete(present - keys)
    for start in range(0, len(missing), 1000):
        batch = missing[start : start + 1000]
        found = store.chroma.get(ids=batch, include=["documents", "metadatas"])
        documents = [
            Document(page_content=text, metadata=meta or {})
            for text, meta in zip(found["documents"], found["metadatas"], strict=True)
        ]
        store.lexical.upsert(found["ids"], documents)


def _mend_cleaning(store: DualStore, sentences: SentenceVectors, dry_run: bool) -> int:
    """Flag the passages indexed before the current cleaning rules, in Chroma and in the
    BM25 table, without embedding anything; returns how many were (or would be) flagged.

    The BM25 table is the record of what is done: a batch is written to Chroma first,
    so a crash in between leaves it to the next refresh. Their answer sentences are
    checked again (`SentenceVectors.forget`): the rules may have let new ones answer.
    """
    lexical = store.lexical
    if lexical.cleaned() == CLEANING_VERSION:
        return 0  # nothing older was written since every passage was last checked
    if dry_run:
        return lexical.count_uncleaned(CLEANING_VERSION)
    logger.info("Flagging the passages indexed before cleaning version %d", CLEANING_VERSION)
    mended, after = 0, ""
    while batch := lexical.uncleaned(CLEANING_VERSION, after, MEND_BATCH):
        ids = [str(doc.id) for doc in batch]
        metadatas = [doc.metadata | _cleaning_of(doc) for doc in batch]
        # Metadata alone: Chroma embeds nothing without documents.
        store.chroma._collection.update(ids=ids, metadatas=cast(list[Metadata], metadatas))
        sentences.forget(ids)
        lexical.update_metadata(ids, metadatas)
        mended += len(ids)
        after = ids[-1]
    lexical.mark_cleaned(CLEANING_VERSION)
    return mended


def _cleaning_of(document: Document) -> dict[str, object]:
    """The cleaning metadata of a stored passage, from its text, title and outlet."""
    metadata = document.metadata
    passage = document.page_content[int(metadata.get("passage_start", 0)) :]
    return clean_passage(passage, str(metadata.get("title", "")), str(metadata.get("source", "")))


def _fill_sentences(
    sentences: SentenceVectors, lexical: LexicalIndex, source: SentenceSource
) -> int:
    """Give vectors to the candidate sentences of the passages whose step did not (a
    store interrupted before, made before the table existed, in another mode, or with
    passages re-flagged), then prune the vectors no passage uses once enough passages
    were deleted; the number of sentences given a vector."""
    indexed = lexical.ids()
    pending = sentences.pending(indexed)
    embedded = 0
    if pending:
        logger.info("Embedding the answer sentences of %d passages", len(pending))
        embedded = sentences.fill(lexical.documents(pending), source, progress=True)
    if sentences.prune_due(len(indexed)):
        dropped = sentences.prune(doc for _, doc in lexical.documents(indexed))
        logger.info("Dropped %d answer-sentence vectors no passage uses any more", dropped)
    return embedded


def _wipe(store: DualStore, records: object) -> None:
    keys = records.list_keys()  # type: ignore[attr-defined]
    store.chroma.reset_collection()
    store.lexical.clear()
    for start in range(0, len(keys), 1000):
        records.delete_keys(keys[start : start + 1000])  # type: ignore[attr-defined]
