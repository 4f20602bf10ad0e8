"""The answer sentences' vectors: embedded by the refresh, read by the answerer, repaired."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import numpy as np
import pytest

from tests.conftest import record_encodes, write_article
from vectorstore import NewsEmbeddings, StoreSettings, passage_sentences, refresh, sentence_vectors
from vectorstore.lexical import LexicalIndex
from vectorstore.sentence_vectors import SQLiteByteStore, key_prefix, vector_store


def _rows(settings: StoreSettings, table: str) -> int:
    with sqlite3.connect(settings.sentence_db) as db:
        return int(db.execute(f"SELECT count(*) FROM {table}").fetchone()[0])  # noqa: S608


def _candidates(settings: StoreSettings) -> set[str]:
    """Every sentence of every indexed passage that may answer."""
    lexical = LexicalIndex(settings.lexical_db)
    try:
        passages = lexical.documents(lexical.ids())
    finally:
        lexical.close()
    return {
        sentence.text
        for _, doc in passages
        for sentence in passage_sentences(doc)
        if sentence.answers
    }


@pytest.mark.unit
def test_the_byte_store_reads_what_it_wrote_and_a_read_only_one_never_writes(
    tmp_path: Path,
) -> None:
    path = tmp_path / "s.sqlite"
    reader = SQLiteByteStore(path, read_only=True)
    assert reader.mget(["a"]) == [None]
    reader.mset([("a", b"1")])
    assert not path.exists()  # a reader neither writes nor creates the file

    store = SQLiteByteStore(path)
    store.mset([("a", b"1"), ("b", b"2")])
    keys = [f"k{i}" for i in range(1200)]  # past SQLite's bound-parameter limit
    store.mset([(k, k.encode()) for k in keys])
    assert store.mget(["b", "zz", "a"]) == [b"2", None, b"1"]
    assert reader.mget(keys)[1199] == b"k1199"
    store.mdelete(["a"])
    assert reader.mget(["a", "b"]) == [None, b"2"]
    assert sorted(store.yield_keys(prefix="k119")) == ["k119", *[f"k119{i}" for i in range(10)]]


@pytest.mark.integration
def test_the_refresh_embeds_every_candidate_sentence_once(
    settings: StoreSettings, embeddings: NewsEmbeddings
) -> None:
    settings = settings.model_copy(update={"sentence_vectors": "separate"})
    first = refresh(settings)
    wanted = _candidates(settings)
    assert first.sentences_embedded == len(wanted) > 5 and first.sentences_pooled == 0
    stored = vector_store(settings.sentence_db, "separate", read_only=True)
    texts = sorted(wanted)
    vectors = np.array(stored.mget(texts))
    live = np.array(embeddings.embed_documents(texts))
    # At bfloat16 (a CPU with native bf16) a sentence's vector moves a little with the
    # batch it is embedded in: cosine 0.997 for the seed's; at float32 it is 1.
    assert (vectors * live).sum(axis=1).min() > (
        0.99 if embeddings.precision == "bfloat16" else 0.9999
    )
    assert refresh(settings).sentences_embedded == 0


@pytest.mark.integration
def test_only_the_sentences_that_may_answer_are_embedded(
    settings: StoreSettings, articles_dir: Path
) -> None:
    reporting = "The harbour of Port Alma reopened on Monday after a six-week dredging project."
    furniture = "Watch: Port Alma's harbour reopens after the dredging"
    write_article(articles_dir, "harbour.txt", "Harbour reopens", f"{furniture}\n{reporting}")
    refresh(settings)
    stored = vector_store(settings.sentence_db, settings.sentence_vectors, read_only=True)
    assert stored.mget([reporting, furniture])[0] is not None
    assert stored.mget([furniture]) == [None]


@pytest.mark.integration
def test_new_passages_get_vectors_and_deleted_ones_lose_their_marks(
    settings: StoreSettings, articles_dir: Path
) -> None:
    refresh(settings)
    passages = _rows(settings, "done")
    path = write_article(
        articles_dir,
        "harbour.txt",
        "Harbour reopens",
        "The harbour of Port Alma reopened on Monday after a six-week dredging project. "
        "Ferries to the islands resume their summer timetable next week.",
    )
    added = refresh(settings)
    assert added.sentences_embedded == 2 and _rows(settings, "done") == passages + 1
    path.unlink()
    assert refresh(settings).sentences_embedded == 0
    assert _rows(settings, "done") == passages


@pytest.mark.integration
def test_vectors_no_passage_uses_are_pruned_once_enough_passages_went(
    settings: StoreSettings, articles_dir: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    refresh(settings)
    seed_passages = _rows(settings, "done")
    shared = "Japan and Mongolia will discuss which defense items will be exported."
    harbour = write_article(
        articles_dir,
        "harbour.txt",
        "Harbour reopens",
        "The harbour of Port Alma reopened on Monday after a six-week dredging project.",
    )
    ferry = write_article(
        articles_dir,
        "ferry.txt",
        "Ferries resume",
        f"Ferries to the islands resume their summer timetable next week. {shared}",
    )
    refresh(settings)
    everything = _rows(settings, "vectors")
    # One deleted passage stays below the share; the second reaches it.
    monkeypatch.setattr(sentence_vectors, "PRUNE_SHARE", 1.5 / seed_passages)
    harbour.unlink()
    refresh(settings)
    assert _rows(settings, "vectors") == everything  # not yet: one vector is stale
    ferry.unlink()
    refresh(settings)
    stored = set(SQLiteByteStore(settings.sentence_db, read_only=True).yield_keys())
    live = _candidates(settings)
    assert shared in live  # the seed's own sentence, also in the deleted ferry story
    assert stored == {sentence_vectors._key(text, settings.sentence_vectors) for text in live}
    assert _rows(settings, "counts") == 0  # counting starts again
    assert refresh(settings).sentences_embedded == 0


@pytest.mark.integration
def test_an_interrupted_or_older_store_is_filled_in_by_the_next_refresh(
    settings: StoreSettings,
) -> None:
    refresh(settings)
    wanted = _rows(settings, "vectors")
    with sqlite3.connect(settings.sentence_db) as db:  # stopped before marking its passages
        db.execute("DELETE FROM done")
    assert refresh(settings).sentences_embedded == 0  # the vectors were in: none again
    assert _rows(settings, "done") == len(LexicalIndex(settings.lexical_db).ids())

    settings.sentence_db.unlink()  # a store made before the table existed
    for suffix in ("-wal", "-shm"):
        Path(f"{settings.sentence_db}{suffix}").unlink(missing_ok=True)
    assert refresh(settings).sentences_embedded == wanted
    assert refresh(settings, full=True).sentences_embedded == wanted  # a rebuild starts over


@pytest.fixture
def embedded(monkeypatch: pytest.MonkeyPatch) -> list[list[str]]:
    """Every batch of texts the model embeds in the test."""
    return record_encodes(monkeypatch)


@pytest.mark.integration
def test_the_answerer_reads_the_vectors_and_without_them_gives_the_same_answer(
    settings: StoreSettings, embedded: list[list[str]]
) -> None:
    from qa import ask, service

    settings = settings.model_copy(update={"sentence_vectors": "separate"})
    refresh(settings)
    embedded.clear()
    question = "What is OSA, the aid Japan gives?"
    answer = ask(question, store=settings)
    assert "Official Security Assistance" in answer.text
    assert embedded == [[question]]  # the sentences came from the table

    service._pipelines.clear()
    settings.sentence_db.unlink()
    for suffix in ("-wal", "-shm"):
        Path(f"{settings.sentence_db}{suffix}").unlink(missing_ok=True)
    embedded.clear()
    again = ask(question, store=settings)
    assert again.text == answer.text and again.citations == answer.citations
    assert len(embedded) == 1 and len(embedded[0]) > 1  # the question was cached; sentences live


@pytest.mark.integration
def test_the_sentence_pass_can_be_turned_off(settings: StoreSettings) -> None:
    off = settings.model_copy(update={"embed_sentences": False})
    report = refresh(off)
    assert report.chunks_added > 0 and report.sentences_embedded == 0
    assert not off.sentence_db.exists()
    assert refresh(settings).sentences_embedded == len(_candidates(settings))  # turned on: filled


def _keys(settings: StoreSettings) -> set[str]:
    return set(SQLiteByteStore(settings.sentence_db, read_only=True).yield_keys())


@pytest.mark.integration
def test_a_change_of_mode_fills_the_table_again_under_its_own_keys(
    settings: StoreSettings, embeddings: NewsEmbeddings
) -> None:
    separate, pooled = key_prefix("separate"), key_prefix("pooled")
    assert separate != pooled and not pooled.startswith(f"{separate}:")
    settings = settings.model_copy(update={"sentence_vectors": "separate"})
    refresh(settings)
    wanted = sorted(_candidates(settings))
    assert {key.split(":")[0] for key in _keys(settings)} == {separate}

    pooling = settings.model_copy(update={"sentence_vectors": "pooled"})
    report = refresh(pooling)  # nothing to index: the table alone is filled again
    assert report.chunks_added == 0
    assert report.sentences_embedded == report.sentences_pooled == len(wanted)
    assert {key.split(":")[0] for key in _keys(settings)} == {pooled}
    assert len(_keys(settings)) == len(wanted)
    vectors = np.array(vector_store(settings.sentence_db, "pooled", read_only=True).mget(wanted))
    alone = np.array(embeddings.embed_documents(wanted))
    assert np.median((vectors * alone).sum(axis=1)) < 0.95  # pooled, not the separate ones
    assert vector_store(settings.sentence_db, "separate", read_only=True).mget(wanted[:1]) == [None]
    assert refresh(pooling).sentences_embedded == 0

    back = refresh(settings)
    assert back.sentences_embedded == len(wanted) and back.sentences_pooled == 0
    assert {key.split(":")[0] for key in _keys(settings)} == {separate}


@pytest.mark.integration
def test_the_answerer_reads_the_vectors_of_its_own_mode_only(
    settings: StoreSettings, embedded: list[list[str]]
) -> None:
    from qa import SCORING, ask

    pooling = settings.model_copy(update={"sentence_vectors": "pooled"})
    refresh(pooling)
    embedded.clear()
    question = "What is OSA, the aid Japan gives?"  # its vector may be cached already
    answer = ask(question, store=pooling)
    alone = [text for batch in embedded for text in batch if text != question]
    # Pooled vectors only shortlist: the answerer embeds its few finalists alone, the
    # sentence that answers among them.
    assert 0 < len(alone) <= SCORING.exact_finalists
    assert "Official Security Assistance" in answer.text and answer.citations[0].quote in alone

    settings = settings.model_copy(update={"sentence_vectors": "separate"})
    embedded.clear()
    ask(question, store=settings)  # separate's keys: none in the table
    live = [text for batch in embedded for text in batch if text != question]
    assert len(live) > 1  # the sentences were embedded as the answer was made
