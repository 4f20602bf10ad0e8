"""Sentence vectors pooled from their passage's forward pass ("late chunking"): the same
passage vectors, offsets that find a sentence's tokens in both runtimes, one vector per
sentence from the first passage that holds it whole, the rest embedded alone."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import numpy as np
import pytest
from langchain_core.documents import Document

from tests.conftest import SEEDS, write_article
from vectorstore import (
    Article,
    NewsEmbeddings,
    StoreSettings,
    chunk_article,
    iter_articles,
    list_article_files,
    load_embeddings,
    make_splitter,
    refresh,
)
from vectorstore.late_chunking import PooledSentences, answer_spans, plan
from vectorstore.lexical import LexicalIndex
from vectorstore.sentence_vectors import vector_store

pytestmark = pytest.mark.integration

# Cosine of a pooled sentence vector with the same sentence encoded alone, measured with
# onnxruntime at float32 and torch at float32 and bfloat16 (the three agree to 0.001).
# The seed's 12 answering sentences: min 0.716, median 0.83. The seed and 12 RealTime
# QA articles spread over the feed (547 sentences): min 0.14, 5th percentile 0.39,
# median 0.74; the lowest are short lines whose context is the rest of the passage
# ("Become a subscriber.", a quote of a few words).
SEED_FLOOR, SEED_MEDIAN_FLOOR = 0.70, 0.80


@pytest.fixture(scope="module", params=["onnx", "torch"])
def runtime(request: pytest.FixtureRequest) -> NewsEmbeddings:
    """Each runtime: onnxruntime at float32, torch at this CPU's precision."""
    if request.param == "onnx":
        return load_embeddings("float32", 16, "onnx")
    return load_embeddings("auto", 16, "torch")


def _seed_passages(embeddings: NewsEmbeddings) -> list[Document]:
    splitter = make_splitter(embeddings.tokenizer, 200, 24)
    return [
        passage
        for path in list_article_files(SEEDS)
        for article in iter_articles(path, SEEDS)
        if isinstance(article, Article)
        for passage in chunk_article(article, splitter)
    ]


def _pooled(embeddings: NewsEmbeddings, passage: Document) -> dict[str, np.ndarray]:
    """Every answering sentence of one passage, pooled from its forward pass alone."""
    ((_, _, states),) = embeddings.embed_with_token_states([passage.page_content])
    pooled = {span.text: states.pool(span.start, span.end) for span in answer_spans(passage)}
    return {text: vector for text, vector in pooled.items() if vector is not None}


def _onnx_settings(articles: Path, data: Path, **overrides: object) -> StoreSettings:
    return StoreSettings(
        articles_dir=articles,
        data_dir=data,
        embedding_runtime="onnx",
        embedding_precision="float32",
        sentence_vectors="pooled",
        **overrides,
    )


def test_the_passage_vectors_are_the_ones_embed_documents_gives(runtime: NewsEmbeddings) -> None:
    texts = [p.page_content for p in _seed_passages(runtime)] + ["What is OSA?"]
    plain = np.array(runtime.embed_documents(texts))
    rows = {row: vector for row, vector, _ in runtime.embed_with_token_states(texts)}
    assert sorted(rows) == list(range(len(texts)))
    assert np.abs(np.array([rows[i] for i in range(len(texts))]) - plain).max() < 1e-6


def test_offsets_find_a_sentence_s_own_tokens(runtime: NewsEmbeddings) -> None:
    text = "Stocks fell on Monday in Tokyo. The yen rose against the dollar."
    ((_, _, states),) = runtime.embed_with_token_states([text])
    start = text.index("The yen")
    starts, ends = states.offsets[:, 0], states.offsets[:, 1]
    inside = (starts >= start) & (ends > starts)
    assert "".join(text[s:e] for s, e in states.offsets[inside]) == "Theyenroseagainstthedollar."
    assert states.offsets[0].tolist() == states.offsets[-1].tolist() == [0, 0]  # CLS, SEP
    assert states.read_to == len(text)
    expected = states.states[inside].mean(axis=0)
    pooled = states.pool(start, len(text))
    assert pooled is not None
    assert np.allclose(pooled, expected / np.linalg.norm(expected), atol=1e-6)
    assert states.pool(start, len(text) + 1) is None  # past what the model read


def test_both_runtimes_give_the_same_tokens_and_states() -> None:
    text = _seed_passages(load_embeddings("float32", 16, "onnx"))[0].page_content
    ((_, _, onnx),) = load_embeddings("float32", 16, "onnx").embed_with_token_states([text])
    ((_, _, torch),) = load_embeddings("float32", 16, "torch").embed_with_token_states([text])
    assert onnx.offsets.tolist() == torch.offsets.tolist()
    cosines = (onnx.states * torch.states).sum(axis=1) / (
        np.linalg.norm(onnx.states, axis=1) * np.linalg.norm(torch.states, axis=1)
    )
    assert cosines.min() > 0.9999


def test_a_pooled_sentence_vector_agrees_with_its_separate_encoding(
    runtime: NewsEmbeddings,
) -> None:
    passages = _seed_passages(runtime)
    spans, alone = plan(passages)
    assert alone == []
    pooled: dict[str, np.ndarray] = {}
    for row, _, states in runtime.embed_with_token_states([p.page_content for p in passages]):
        for span in spans.get(row, []):
            vector = states.pool(span.start, span.end)
            assert vector is not None
            pooled[span.text] = vector
    texts = sorted(pooled)
    assert len(texts) == 12
    separate = np.array(runtime.embed_documents(texts))
    cosines = (np.array([pooled[t] for t in texts]) * separate).sum(axis=1)
    assert cosines.min() >= SEED_FLOOR
    assert SEED_MEDIAN_FLOOR <= np.median(cosines) < 0.95  # in context, not the same vector


def test_a_sentence_in_the_overlap_is_pooled_once_from_the_first_passage(tmp_path: Path) -> None:
    articles = tmp_path / "articles"
    articles.mkdir()
    body = " ".join(
        f"The harbour of Port Alma reopened berth {n} after the dredging of its {place}."
        for n, place in enumerate(["north quay", "ferry dock", "fish market", "old pier"] * 3)
    )
    write_article(articles, "harbour.txt", "Harbour reopens", body)
    settings = _onnx_settings(articles, tmp_path / "data", chunk_tokens=48, chunk_overlap_tokens=20)
    report = refresh(settings)

    lexical = LexicalIndex(settings.lexical_db)
    passages = [doc for _, doc in lexical.documents(lexical.ids())]
    lexical.close()
    passages.sort(key=lambda doc: doc.metadata["chunk_index"])
    sentences = [{span.text for span in answer_spans(p)} for p in passages]
    distinct = set().union(*sentences)
    assert report.sentences_embedded == report.sentences_pooled == len(distinct)
    overlap = sorted(sentences[0] & sentences[1])
    assert overlap, "the first two passages share a sentence"

    embeddings = load_embeddings("float32", 16, "onnx")
    first, second = _pooled(embeddings, passages[0]), _pooled(embeddings, passages[1])
    stored = np.array(vector_store(settings.sentence_db, "pooled", read_only=True).mget(overlap))
    from_first = np.array([first[text] for text in overlap])
    from_second = np.array([second[text] for text in overlap])
    assert (stored * from_first).sum(axis=1).min() > 0.9999
    assert (stored * from_second).sum(axis=1).max() < 0.995  # the other context differs
    with sqlite3.connect(settings.sentence_db) as db:
        assert db.execute("SELECT count(*) FROM vectors").fetchone()[0] == len(distinct)


def test_a_sentence_no_passage_holds_whole_is_embedded_alone(tmp_path: Path) -> None:
    articles = tmp_path / "articles"
    articles.mkdir()
    # A headline of ~60 word pieces before a 220-piece passage: the model reads 256, so
    # the last sentences of the article's only passage are cut.
    title = " ".join(["Port Alma harbour dredging works reach the northern quay"] * 6)
    places = ["north quay", "ferry dock", "fish market", "old pier", "grain silo"] * 3
    body = " ".join(
        f"Officials said berth {n} near the {place} reopened on schedule this week."
        for n, place in enumerate(places)
    )
    write_article(articles, "long.txt", title, body)
    settings = _onnx_settings(articles, tmp_path / "data", chunk_tokens=250)
    report = refresh(settings)

    lexical = LexicalIndex(settings.lexical_db)
    passages = [doc for _, doc in lexical.documents(lexical.ids())]
    lexical.close()
    assert len(passages) == 1
    _, alone = plan(passages)
    assert 0 < len(alone) < len(answer_spans(passages[0]))
    assert alone[-1] == body.split(". ")[-1].strip()  # the last sentence is past the cut
    assert report.sentences_pooled == report.sentences_embedded - len(alone)
    stored = np.array(vector_store(settings.sentence_db, "pooled", read_only=True).mget(alone))
    embeddings = load_embeddings("float32", 16, "onnx")
    assert (stored * np.array(embeddings.embed_documents(alone))).sum(axis=1).min() > 0.9999


def test_a_sentence_cut_from_one_passage_is_pooled_from_the_next_that_holds_it() -> None:
    # The refresh plans without tokenizing (`read_whole`): a sentence past the first
    # passage's cut fails to pool there, and is planned again, measured.
    embeddings = load_embeddings("float32", 16, "onnx")
    last = "The harbour master said the northern quay would reopen in March."
    filler = " ".join(f"Berth {n} near the old pier reopened on schedule." for n in range(40))
    first = Document(page_content=f"{filler} {last}")
    second = Document(page_content=f"{last} Ferries will resume their winter timetable.")
    source = PooledSentences(embeddings)
    holders = source.chunker.expect([first, second], [last], read_whole=True)
    assert holders == [first.page_content]  # planned from the first passage that has it
    source.chunker.embed_documents(holders)
    assert last not in source.chunker.pooled  # past the cut: it did not pool
    (vector,) = source([first, second], [last])
    assert (source.pooled, source.alone) == (1, 0)
    own = _pooled(embeddings, second)[last]
    assert float(np.dot(vector, own)) > 0.9999
    assert plan([first, second], [last]) == ({1: answer_spans(second)[:1]}, [])


def test_an_interrupted_fill_is_pooled_again_from_the_passages(
    articles_dir: Path, tmp_path: Path
) -> None:
    settings = _onnx_settings(articles_dir, tmp_path / "data")
    first = refresh(settings)
    with sqlite3.connect(settings.sentence_db) as db:
        before = dict(db.execute("SELECT key, value FROM vectors"))
        # Stopped after index() wrote the passages, before their sentences were written.
        db.execute("DELETE FROM vectors")
        db.execute("DELETE FROM done")
    resumed = refresh(settings)
    assert resumed.chunks_added == 0 and resumed.model_seconds > 0
    assert resumed.sentences_embedded == resumed.sentences_pooled == first.sentences_embedded
    with sqlite3.connect(settings.sentence_db) as db:
        after = dict(db.execute("SELECT key, value FROM vectors"))
    assert after.keys() == before.keys()
    for key, value in after.items():
        again, was = np.frombuffer(value, np.float32), np.frombuffer(before[key], np.float32)
        assert float(again @ was) > 0.9999  # the same passage's pooling, not the sentence alone
