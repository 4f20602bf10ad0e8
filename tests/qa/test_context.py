"""The passages the answerer reads: the retrieved ones, then the top articles' leads."""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

import pytest
from langchain_core.documents import Document

from qa import SCORING
from qa.context import with_leads
from vectorstore import LexicalIndex

pytestmark = pytest.mark.unit


def _passage(article: str, index: int) -> tuple[str, Document]:
    chunk_id = f"{article}::{index}::h{index}"
    doc = Document(
        id=chunk_id,
        page_content=f"{article} paragraph {index}.",
        metadata={"article_id": article, "chunk_index": index},
    )
    return chunk_id, doc


@pytest.fixture
def lexical(tmp_path: Path) -> LexicalIndex:
    index = LexicalIndex(tmp_path / "lexical.sqlite")
    # "loans" and "loans:x" share a prefix; 12 passages, so "10" sorts before "2" as text.
    for article in ("loans", "loans:x", "rates", "sports"):
        pairs = [_passage(article, i) for i in range(12)]
        index.upsert([p[0] for p in pairs], [p[1] for p in pairs])
    return index


def test_an_article_s_passages_come_in_reading_order(lexical: LexicalIndex) -> None:
    assert [d.id for d in lexical.passages_of("loans", 3)] == [
        "loans::0::h0",
        "loans::1::h1",
        "loans::2::h2",
    ]
    assert len(lexical.passages_of("loans", 50)) == 12  # not the other "loans:x" article
    assert lexical.passages_of("unknown", 4) == []


def test_the_top_two_articles_leads_follow_the_retrieved_passages(
    lexical: LexicalIndex,
) -> None:
    retrieved = [
        _passage("rates", 7)[1],
        _passage("loans", 1)[1],
        _passage("sports", 5)[1],
        _passage("rates", 0)[1],
    ]
    read = with_leads(retrieved, lexical, replace(SCORING, lead_articles=2, lead_passages=3))
    assert read[:4] == retrieved  # the retriever's order first, untouched
    assert [d.id for d in read[4:]] == [
        "rates::1::h1",
        "rates::2::h2",  # rates::0 was retrieved already
        "loans::0::h0",
        "loans::2::h2",
    ]
    assert with_leads(retrieved, None) == retrieved  # no lexical index: nothing to add
    assert with_leads([], lexical) == []


def test_the_chain_answers_from_a_lead_passage_the_retriever_did_not_return(
    tmp_path: Path,
) -> None:
    from langchain_core.embeddings import DeterministicFakeEmbedding
    from langchain_core.retrievers import BaseRetriever

    from qa import SCORING, ExtractiveAnswerer, build_chain, plan

    texts = [
        "Student loan payments were paused during the pandemic, the department said.",
        "Officials have debated another extension for weeks.",
        "Payments are set to restart in September under the current plan.",
    ]
    ids = [f"loans::{i}::h{i}" for i in range(3)]
    starts = [0, len(texts[0]) + 1, len(texts[0]) + len(texts[1]) + 2]
    docs = [
        Document(
            id=chunk_id,
            page_content=text,
            metadata={"article_id": "loans", "chunk_index": n, "start": starts[n]},
        )
        for n, (chunk_id, text) in enumerate(zip(ids, texts, strict=True))
    ]
    index = LexicalIndex(tmp_path / "lexical.sqlite")
    index.upsert(ids, docs)

    class _LeadOnly(BaseRetriever):
        def _get_relevant_documents(self, query, *, run_manager):  # type: ignore[no-untyped-def]
            return [docs[0]]

    answerer = ExtractiveAnswerer(
        DeterministicFakeEmbedding(size=64), replace(SCORING, min_answer_score=0.0)
    )
    question = {"plan": plan("When are the payments set to restart?")}
    with_index = build_chain(_LeadOnly(), answerer, index).invoke(question)
    assert "September" in with_index["answer"].text
    assert any(c.quote == texts[2] for c in with_index["answer"].citations)
    assert [d.id for d in with_index["passages"]] == ids  # the leads are what it read
    alone = build_chain(_LeadOnly(), answerer).invoke(question)
    assert "September" not in alone["answer"].text
