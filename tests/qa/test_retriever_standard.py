"""NewsRetriever against LangChain's own standard retriever tests, plus hybrid behaviour."""

from __future__ import annotations

import tempfile
from dataclasses import replace
from functools import cache
from pathlib import Path
from typing import Any

import chromadb
import pytest
from chromadb.config import Settings as ChromaSettings
from langchain_chroma import Chroma
from langchain_core.documents import Document
from langchain_core.embeddings import DeterministicFakeEmbedding
from langchain_tests.integration_tests import RetrieversIntegrationTests

from qa import SCORING, NewsRetriever
from vectorstore import LexicalIndex, indexed_sources

TEXTS = {
    "a": ("The harbour reopened on Monday after storm repairs.", "Port News", 1_700_000_000),
    "b": (
        "Official Security Assistance (OSA) gives equipment free of charge.",
        "JN",
        1_720_000_000,
    ),
    "c": ("The council approved the tram line on Tuesday.", "City Times", 1_710_000_000),
    "d": ("Farmers protested rising fuel prices in the capital.", "Port News", 1_690_000_000),
    "e": ("The museum opened a new wing for modern art.", "City Times", -1),
}


@cache
def _stores() -> tuple[Chroma, LexicalIndex]:
    folder = Path(tempfile.mkdtemp(prefix="retriever-standard-"))
    client = chromadb.PersistentClient(
        path=str(folder / "chroma"), settings=ChromaSettings(anonymized_telemetry=False)
    )
    chroma = Chroma(
        client=client,
        collection_name="standard",
        embedding_function=DeterministicFakeEmbedding(size=32),
        collection_metadata={"hnsw:space": "cosine"},
    )
    lexical = LexicalIndex(folder / "lexical.sqlite")
    ids, docs = [], []
    for article, (text, source, ts) in TEXTS.items():
        for part in range(2):
            ids.append(f"{article}::{part}::x")
            docs.append(
                Document(
                    page_content=f"{text} Part {part}.",
                    metadata={
                        "article_id": article,
                        "chunk_index": part,
                        "source": source,
                        "published_ts": ts,
                    },
                )
            )
    chroma.add_documents(docs, ids=ids)
    lexical.upsert(ids, docs)
    return chroma, lexical


@pytest.mark.unit
class TestNewsRetrieverStandard(RetrieversIntegrationTests):
    @property
    def retriever_constructor(self) -> type[NewsRetriever]:
        return NewsRetriever

    @property
    def retriever_constructor_params(self) -> dict[str, Any]:
        chroma, lexical = _stores()
        return {"vector_store": chroma, "lexical": lexical, "k": 3}

    @property
    def retriever_query_example(self) -> str:
        return "when did the harbour reopen?"


@pytest.mark.unit
def test_lexical_match_ranks_first_and_one_article_does_not_fill_every_slot() -> None:
    chroma, lexical = _stores()
    retriever = NewsRetriever(vector_store=chroma, lexical=lexical, k=4, per_article=1)
    docs = retriever.invoke("tram line council")
    assert docs[0].metadata["article_id"] == "c"
    assert len({d.metadata["article_id"] for d in docs}) == 4


@pytest.mark.unit
def test_filters_by_outlet_and_dates() -> None:
    chroma, lexical = _stores()
    retriever = NewsRetriever(vector_store=chroma, lexical=lexical, k=10)
    port = retriever.invoke("harbour prices", sources=["Port News"])
    assert {d.metadata["article_id"] for d in port} == {"a", "d"}
    recent = retriever.invoke("news", since_ts=1_705_000_000)
    assert {d.metadata["article_id"] for d in recent} == {"b", "c"}
    older = retriever.invoke("news", until_ts=1_705_000_000)
    assert {d.metadata["article_id"] for d in older} == {"a", "d", "e"}  # undated kept by "until"


@pytest.mark.unit
def test_best_passage_of_each_article_first_then_the_top_articles_next_ones() -> None:
    chroma, lexical = _stores()
    retriever = NewsRetriever(vector_store=chroma, lexical=lexical, k=7, deepen=2)
    docs = retriever.invoke("tram line council")
    articles = [d.metadata["article_id"] for d in docs]
    assert articles[0] == "c"
    assert len(set(articles[:5])) == 5  # every article once before any twice
    assert articles[5:] == articles[:2]  # then the two best articles' second passages
    assert {d.id for d in docs[5:]}.isdisjoint(d.id for d in docs[:5])


@pytest.mark.unit
def test_an_article_found_by_both_indexes_through_different_passages_ranks_first() -> None:
    from qa.retriever import _fuse

    def doc(article: str) -> Document:
        return Document(page_content="", metadata={"article_id": article, "published_ts": -1})

    documents = {key: doc(key.split(":")[0]) for key in ("a:0", "a:1", "b:0", "c:0")}
    dense = ["b:0", "a:0"]  # article a is second by meaning (passage 0) ...
    lexical = ["c:0", "a:1"]  # ... and by words (passage 1); b and c are first once each
    ranked = [key for key, _ in _fuse([dense, lexical], documents, now_ts=None)]
    assert ranked[0].startswith("a:")


@pytest.mark.unit
@pytest.mark.parametrize(
    ("roundup", "outlet"),
    [
        ("5 things to know for Aug. 5: Economy, Harbour strike, Ferries", "cnn.com"),
        ("Harbour strike, Fed hike, Ferry line: Daily Briefing", "usatoday.com"),
        ("Pier fire, harbour strike: News from around our 50 states", "usatoday.com"),
        ("Harbour strike, ferries and tides. It's Tuesday's news.", "usatoday.com"),
        ("Harbour strike, ferries and tides: Week in review", "Port News"),
    ],
)
def test_an_article_about_the_question_outranks_a_roundup_that_restates_it(
    roundup: str, outlet: str
) -> None:
    from qa.retriever import _fuse

    titles = {"roundup": roundup, "story": "Dock workers strike at the harbour"}
    documents = {
        f"{name}:0": Document(
            page_content="",
            metadata={"article_id": name, "title": title, "source": outlet, "published_ts": -1},
        )
        for name, title in titles.items()
    }
    dense = ["roundup:0", "story:0"]  # the roundup's lead matches a little better ...
    lexical = ["roundup:0", "story:0"]
    assert [key for key, _ in _fuse([dense, lexical], documents, now_ts=None)] == [
        "story:0",
        "roundup:0",
    ]
    titles["roundup"] = "Harbour strike: what the dock workers want"  # one story, no roundup
    documents["roundup:0"].metadata["title"] = titles["roundup"]
    assert [key for key, _ in _fuse([dense, lexical], documents, now_ts=None)][0] == "roundup:0"


@pytest.mark.unit
def test_recent_coverage_outranks_an_older_match_of_the_same_strength() -> None:
    from qa.retriever import _fuse

    day = 86_400
    now = 1_700_000_000
    stamps = {"old": now - 40 * day, "new": now - 1 * day, "unfound": now}
    documents = {
        f"{name}:0": Document(page_content="", metadata={"article_id": name, "published_ts": ts})
        for name, ts in stamps.items()
    }
    dense = ["old:0", "new:0"]  # the older story matches a little better by meaning ...
    lexical = ["new:0", "old:0"]  # ... the fresh one by words: a tie without dates

    def ranked(now_ts: int | None) -> list[str]:
        return [key for key, _ in _fuse([dense, lexical], documents, now_ts)]

    assert ranked(now)[0] == "new:0"
    assert ranked(now + 3_650 * day)[0] == "old:0"  # years later: dates hardly count
    assert ranked(now_ts=None)[0] == "old:0"  # no "now": no prior (ties keep the order)
    assert "unfound:0" not in ranked(now)  # the prior only reorders what a search found
    off = replace(SCORING, recency_shares=0.0)  # NEWSDESK_RECENCY_SHARES=0
    archive = [key for key, _ in _fuse([dense, lexical], documents, now, scoring=off)]
    assert archive[0] == "old:0"


@pytest.mark.unit
def test_a_fresh_story_found_only_far_down_one_list_gets_no_recency_prior() -> None:
    from qa.retriever import _fuse

    now = 1_700_000_000
    stamps = {"rates": now - 60 * 86_400, "gossip": now - 3_600}
    stamps |= {f"filler{i}": now - 400 * 86_400 for i in range(60)}
    documents = {
        f"{name}:0": Document(page_content="", metadata={"article_id": name, "published_ts": ts})
        for name, ts in stamps.items()
    }
    fillers = [f"filler{i}:0" for i in range(60)]
    dense = ["rates:0", *fillers[:49]]
    lexical = ["rates:0", *fillers[:45], "gossip:0"]  # the fresh one: 47th by words only
    ranked = [key for key, _ in _fuse([dense, lexical], documents, now)]
    assert ranked[0] == "rates:0"
    assert ranked.index("gossip:0") > 10  # not lifted above the better matches


@pytest.mark.unit
@pytest.mark.parametrize("fetch_k", [1, 2, 3, 50])
@pytest.mark.parametrize(
    "scope",
    [
        {"sources": ["Port News"], "since_ts": None, "until_ts": None},
        {"sources": [], "since_ts": 1_705_000_000, "until_ts": None},
        {"sources": [], "since_ts": None, "until_ts": 1_705_000_000},
        {"sources": ["City Times"], "since_ts": None, "until_ts": 1_715_000_000},
    ],
)
def test_dense_filtering_here_gives_chromas_own_filtered_results(
    fetch_k: int, scope: dict[str, Any]
) -> None:
    chroma, lexical = _stores()
    retriever = NewsRetriever(vector_store=chroma, lexical=lexical, fetch_k=fetch_k)
    for query in ("harbour repairs", "tram council", "modern art museum"):
        ours = retriever._dense(query, fetch_k, **scope)
        where = retriever._where(scope["sources"], scope["since_ts"], scope["until_ts"])
        chromas = chroma.similarity_search_with_score(query, k=fetch_k, filter=where)
        assert [d.id for d, _ in ours] == [d.id for d, _ in chromas]
        assert ours


@pytest.mark.unit
def test_dense_filtering_survives_a_lexical_index_out_of_step_with_chroma(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture
) -> None:
    chroma, lexical = _stores()
    ahead = LexicalIndex(tmp_path / "ahead.sqlite")  # holds a passage Chroma does not (yet)
    ids = [*lexical.matching(sources=["JN"]), "z::0::x"]
    ahead.upsert(
        ids,
        [Document(page_content="text", metadata={"article_id": i[0], "source": "JN"}) for i in ids],
    )
    monkeypatch.setattr("qa.retriever.OVERFETCH", 1)  # one passage deep: not enough
    query = next(
        q
        for q in ("harbour repairs", "tram council", "museum wing", "fuel prices", "storm")
        if chroma.similarity_search(q, k=1)[0].metadata["source"] != "JN"
    )
    retriever = NewsRetriever(vector_store=chroma, lexical=ahead, fetch_k=1)
    with caplog.at_level("INFO", logger="qa.retriever"):
        ours = retriever._dense(query, 1, ["JN"], None, None)
    assert "out of step" in caplog.text
    assert [d.metadata["article_id"] for d, _ in ours] == ["b"]


@pytest.mark.unit
def test_lexical_index_lists_the_passages_that_pass_the_filters() -> None:
    _, lexical = _stores()
    assert len(lexical.matching()) == 2 * len(TEXTS)
    assert {i.split(":")[0] for i in lexical.matching(sources=["Port News"])} == {"a", "d"}
    assert {i.split(":")[0] for i in lexical.matching(since_ts=1_705_000_000)} == {"b", "c"}
    assert {i.split(":")[0] for i in lexical.matching(until_ts=1_700_000_000)} == {"a", "d", "e"}
    assert lexical.matching(sources=["City Times"], since_ts=1_720_000_000) == []


def _spy_on_searches(chroma: Chroma, monkeypatch: pytest.MonkeyPatch) -> list[set[str]]:
    """The keyword arguments (but `k`) of each search by vector Chroma is asked for."""
    calls: list[set[str]] = []
    search = chroma.similarity_search_by_vector_with_relevance_scores

    def spy(*args: Any, **kwargs: Any) -> Any:
        calls.append(set(kwargs) - {"k"})
        return search(*args, **kwargs)

    monkeypatch.setattr(chroma, "similarity_search_by_vector_with_relevance_scores", spy)
    return calls


@pytest.mark.unit
@pytest.mark.parametrize("limit, expected", [(0, "filter"), (50_000, "ids")])
def test_chroma_searches_by_id_list_only_up_to_a_limit(
    monkeypatch: pytest.MonkeyPatch, limit: int, expected: str
) -> None:
    chroma, lexical = _stores()
    monkeypatch.setattr("qa.retriever.OVERFETCH", 1)
    monkeypatch.setattr("qa.retriever.MAX_ID_SEARCH", limit)
    calls = _spy_on_searches(chroma, monkeypatch)
    retriever = NewsRetriever(vector_store=chroma, lexical=lexical, fetch_k=3)
    ours = retriever._dense("harbour repairs", 3, ["JN"], None, None)  # 2 JN passages of 10
    where = {"source": {"$in": ["JN"]}}
    monkeypatch.undo()
    chromas = chroma.similarity_search_with_score("harbour repairs", k=3, filter=where)
    assert [d.id for d, _ in ours] == [d.id for d, _ in chromas]
    assert expected in calls[-1]


@pytest.mark.unit
@pytest.mark.parametrize(
    "sources, first_search",
    [(["JN"], {"ids"}), (["Port News"], set())],  # 2 of 10 passages pass; 4 of 10
)
def test_when_few_passages_pass_chroma_searches_them_at_once(
    monkeypatch: pytest.MonkeyPatch, sources: list[str], first_search: set[str]
) -> None:
    chroma, lexical = _stores()
    calls = _spy_on_searches(chroma, monkeypatch)
    retriever = NewsRetriever(vector_store=chroma, lexical=lexical, fetch_k=2)
    ours = retriever._dense("harbour repairs", 2, sources, None, None)
    monkeypatch.undo()
    where = {"source": {"$in": sources}}
    chromas = chroma.similarity_search_with_score("harbour repairs", k=2, filter=where)
    assert [d.id for d, _ in ours] == [d.id for d, _ in chromas]
    # Under 1 in OVERFETCH (4) passing: no wide unfiltered search first.
    assert calls[0] == first_search
    assert lexical.share_matching(sources) == len(lexical.matching(sources)) / 10


@pytest.mark.unit
def test_an_article_found_by_its_headline_alone_is_retrieved(tmp_path: Path) -> None:
    client = chromadb.EphemeralClient(settings=ChromaSettings(anonymized_telemetry=False))
    chroma = Chroma(
        client=client,
        collection_name="headlines",
        embedding_function=DeterministicFakeEmbedding(size=32),
    )
    lexical = LexicalIndex(tmp_path / "lexical.sqlite")
    stories = {
        "mayor": ("Mayor resigns over tram contract", "He left office on Friday.", "City Times"),
        "port": ("Harbour reopens", "The port was busy again on Monday.", "Port News"),
        "farm": ("Fuel protest", "Farmers blocked roads in the capital.", "Port News"),
    }
    ids, docs = [], []
    for article, (title, text, source) in stories.items():
        for part in range(2):
            ids.append(f"{article}::{part}::x")
            metadata = {"article_id": article, "chunk_index": part, "title": title}
            docs.append(
                Document(
                    page_content=f"{text} Part {part}.",
                    metadata=metadata | {"source": source, "published_ts": 1_700_000_000},
                )
            )
    chroma.add_documents(docs, ids=ids)
    lexical.upsert(ids, docs)

    assert [h.id for h in lexical.search_headlines("why did the mayor resign?")] == ["mayor::0::x"]
    assert lexical.search_headlines("mayor resigns", sources=["Port News"]) == []
    assert lexical.search_headlines("mayor resigns", until_ts=1_600_000_000) == []
    assert lexical.search("mayor resigns") == []  # the passages never say it
    assert indexed_sources(tmp_path / "lexical.sqlite") == ["City Times", "Port News"]
    assert lexical.sources() == ["City Times", "Port News"]  # what ask() matches names to
    lexical.delete([i for i in ids if i.startswith("mayor::")])
    assert indexed_sources(tmp_path / "lexical.sqlite") == ["Port News"]  # the UI's filter
    assert lexical.sources() == ["Port News"]  # read again once the index changed
    assert indexed_sources(tmp_path / "none.sqlite") == []
    lexical.upsert(ids, docs)
    phrasings = ("why did the mayor resign?", "the mayor resigned", "mayor resigns", "mayor")
    query = next(  # one that dense search does not lead to the article (fake vectors)
        q
        for q in phrasings
        if chroma.similarity_search(q, k=1)[0].metadata["article_id"] != "mayor"
    )
    retriever = NewsRetriever(vector_store=chroma, lexical=lexical, k=3, fetch_k=1)
    assert "mayor" in [doc.metadata["article_id"] for doc in retriever.invoke(query)]
