"""Hybrid retrieval: Chroma's dense search and BM25, fused by reciprocal rank."""

from __future__ import annotations

import logging
from collections import Counter
from typing import Any

from chromadb.errors import ChromaError
from langchain_core.callbacks import CallbackManagerForRetrieverRun
from langchain_core.documents import Document
from langchain_core.retrievers import BaseRetriever
from langchain_core.vectorstores import VectorStore
from pydantic import ConfigDict, Field

from qa.scoring import SCORING, ScoringConfig
from vectorstore import LexicalIndex
from vectorstore.cleaning import is_roundup_passage

logger = logging.getLogger(__name__)

OVERFETCH = 4  # unfiltered dense search depth, in multiples of fetch_k (see `_dense`)
# Past this many passages passing the filters, Chroma's own filter is used: the id list
# would cost more than the filter (and travels with each query in server mode).
MAX_ID_SEARCH = 50_000


class NewsRetriever(BaseRetriever):
    """Top passages for a question from the dense and the lexical index.

    The rankings are fused by reciprocal rank (`scoring`: rrf_k), with a headline
    prior, a recency prior as of "now" and a roundup discount (`qa.scoring`).
    Each document comes back with `metadata["score"]` (the fused score),
    `metadata["similarity"]` (cosine to the question, when dense found it) and
    its chunk id in `document.id`. Articles are ranked (their passages' dense and
    BM25 ranks fused); the `k` passages are the best ones of different articles,
    best articles first, then the next passages (up to `per_article` in all) of
    the first `deepen` articles, which an answer often needs.

    Example:
        >>> retriever = NewsRetriever(vector_store=chroma, lexical=bm25, k=4)
        >>> docs = retriever.invoke("what is OSA?")
    """

    model_config = ConfigDict(arbitrary_types_allowed=True)

    vector_store: VectorStore
    lexical: LexicalIndex | None = None
    k: int = Field(6, ge=1)
    fetch_k: int = Field(50, ge=1)
    per_article: int = Field(2, ge=1)
    deepen: int = Field(3, ge=0)
    scoring: ScoringConfig = SCORING
    sources: list[str] = Field(default_factory=list)
    since_ts: int | None = None
    until_ts: int | None = None

    def _where(
        self, sources: list[str], since_ts: int | None, until_ts: int | None
    ) -> dict[str, Any] | None:
        clauses: list[dict[str, Any]] = []
        if sources:
            clauses.append({"source": {"$in": list(sources)}})
        if since_ts is not None:
            clauses.append({"published_ts": {"$gte": since_ts}})
        if until_ts is not None:
            clauses.append({"published_ts": {"$lte": until_ts}})
        if not clauses:
            return None
        return clauses[0] if len(clauses) == 1 else {"$and": clauses}

    def _get_relevant_documents(
        self,
        query: str,
        *,
        run_manager: CallbackManagerForRetrieverRun,
        k: int | None = None,
        sources: list[str] | None = None,
        since_ts: int | None = None,
        until_ts: int | None = None,
        now_ts: int | None = None,
    ) -> list[Document]:
        """Per-call `k`, `sources`, `since_ts`, `until_ts` override the constructor's.

        With `now_ts`, passages published shortly before it rank a little higher.
        """
        k = k or self.k
        sources = self.sources if sources is None else sources
        since_ts = self.since_ts if since_ts is None else since_ts
        until_ts = self.until_ts if until_ts is None else until_ts
        fetch_k = max(self.fetch_k, k)
        documents: dict[str, Document] = {}
        rankings: list[list[str]] = []
        dense = self._dense(query, fetch_k, sources, since_ts, until_ts)
        for doc, distance in dense:
            key = doc.id or f"{doc.metadata.get('article_id')}::{doc.metadata.get('chunk_index')}"
            doc.metadata["similarity"] = round(1.0 - float(distance), 4)
            documents[key] = doc
        rankings.append([key for key in documents])
        headlines: list[str] = []
        if self.lexical is not None:
            scope: dict[str, Any] = {"sources": sources, "since_ts": since_ts, "until_ts": until_ts}
            hits = self.lexical.search(query, fetch_k, **scope)
            leads = self.lexical.search_headlines(query, fetch_k, **scope)
            for hit in hits + leads:
                documents.setdefault(hit.id, hit.document)
            rankings.append([hit.id for hit in hits])
            headlines = [hit.id for hit in leads]
        ranked = _fuse(rankings, documents, now_ts, headlines, self.scoring)
        return self._spread(ranked, documents, k)

    def _dense(
        self,
        query: str,
        fetch_k: int,
        sources: list[str],
        since_ts: int | None,
        until_ts: int | None,
    ) -> list[tuple[Document, float]]:
        """The `fetch_k` nearest passages that pass the filters, with their distances.

        Chroma's metadata filter costs ~120 ms a query at 50k passages, whatever its
        width. So the filters are applied here to an unfiltered search OVERFETCH times
        as deep (~20 ms); when fewer than `fetch_k` pass, or the lexical index's table
        says fewer than 1 in OVERFETCH passages pass at all, Chroma searches those
        passages by id (~10-35 ms at 50k), up to MAX_ID_SEARCH of them.
        """
        where = self._where(sources, since_ts, until_ts)
        store: Any = self.vector_store
        by_vector = getattr(store, "similarity_search_by_vector_with_relevance_scores", None)
        if where is None or by_vector is None or store.embeddings is None:
            return self.vector_store.similarity_search_with_score(query, k=fetch_k, filter=where)
        vector = store.embeddings.embed_query(query)
        lexical = self.lexical
        # Under 1 in OVERFETCH passages pass (an archive question as of an early date): the
        # wide search would rarely find fetch_k of them, so search those alone at once.
        few = lexical is not None and (
            lexical.share_matching(sources, since_ts, until_ts) * OVERFETCH < 1
        )
        if not few:
            wide = by_vector(vector, k=fetch_k * OVERFETCH)
            kept = [
                (doc, distance)
                for doc, distance in wide
                if _passes(doc.metadata, sources, since_ts, until_ts)
            ]
            if len(kept) >= fetch_k or len(wide) < fetch_k * OVERFETCH:
                return kept[:fetch_k]
        allowed = lexical.matching(sources, since_ts, until_ts) if lexical else []
        if 0 < len(allowed) <= MAX_ID_SEARCH:
            try:
                return list(by_vector(vector, k=fetch_k, ids=allowed))
            except ChromaError:  # the two indexes out of step (a refresh under way)
                logger.info("Searching by metadata filter: the lexical index is out of step")
        return list(by_vector(vector, k=fetch_k, filter=where))

    def _spread(
        self, ranked: list[tuple[str, float]], documents: dict[str, Document], k: int
    ) -> list[Document]:
        """`k` passages: the best one of each article, best articles first, then the next
        passages of the first `deepen` articles (at most `k // 2` of them)."""
        rounds: list[list[str]] = [[] for _ in range(self.per_article)]
        taken: Counter[str] = Counter()
        for key, _ in ranked:
            article = _article_of(key, documents[key])
            if taken[article] < self.per_article:
                rounds[taken[article]].append(key)
                taken[article] += 1
        deepen = min(self.deepen, k // 2)
        chosen = rounds[0][: k - deepen]
        leaders = {_article_of(key, documents[key]) for key in chosen[:deepen]}
        for keys in rounds[1:]:
            chosen += [key for key in keys if _article_of(key, documents[key]) in leaders]
        for key in [key for keys in rounds for key in keys]:  # too few articles: fill up
            if key not in chosen:
                chosen.append(key)
        scores = dict(ranked)
        results = []
        for key in chosen[:k]:
            doc = documents[key]
            doc.id = key
            doc.metadata["score"] = round(scores[key], 6)
            results.append(doc)
        return results


def _passes(
    metadata: dict[str, Any], sources: list[str], since_ts: int | None, until_ts: int | None
) -> bool:
    """The filters of `NewsRetriever._where`, applied to one passage's metadata."""
    stamp = int(metadata.get("published_ts", -1))
    return (
        (not sources or metadata.get("source") in sources)
        and (since_ts is None or stamp >= since_ts)
        and (until_ts is None or stamp <= until_ts)
    )


def _fuse(
    rankings: list[list[str]],
    documents: dict[str, Document],
    now_ts: int | None,
    headlines: list[str] | None = None,
    scoring: ScoringConfig = SCORING,
) -> list[tuple[str, float]]:
    """Passages ordered by their article's fused score, then by their own.

    An article scores by reciprocal rank fusion of its best rank in each list, so
    the dense hit on one passage and the BM25 hit on another add up; its rank among
    `headlines` (articles, as their first passages) adds headline_weight of a share;
    with `now_ts`, coverage from shortly before "now" gets recency_shares first ranks
    more, halving every recency_half_life_days, if it has recency_min_share of the best
    article's score; a roundup's score counts roundup_discount less.
    """
    rrf_k = scoring.rrf_k
    owner = {key: _article_of(key, doc) for key, doc in documents.items()}
    passage: dict[str, float] = {}
    article: dict[str, float] = {}
    for rank, key in enumerate(headlines or []):
        passage.setdefault(key, 0.0)
        weight = scoring.headline_weight
        article[owner[key]] = article.get(owner[key], 0.0) + weight / (rrf_k + rank + 1)
    for ranking in rankings:
        seen: set[str] = set()
        for rank, key in enumerate(ranking):
            share = 1.0 / (rrf_k + rank + 1)
            passage[key] = passage.get(key, 0.0) + share
            if owner[key] not in seen:
                seen.add(owner[key])
                article[owner[key]] = article.get(owner[key], 0.0) + share
    shares, half_life_days = scoring.recency_shares, scoring.recency_half_life_days
    if now_ts is not None and shares > 0:
        stamps = {
            owner[key]: int(doc.metadata.get("published_ts", -1)) for key, doc in documents.items()
        }
        relevant = scoring.recency_min_share * max(article.values(), default=0.0)
        for name in [name for name, score in article.items() if score >= relevant]:
            if 0 <= stamps[name] <= now_ts:
                age_days = (now_ts - stamps[name]) / 86_400
                article[name] += shares / (rrf_k + 1) * 0.5 ** (age_days / half_life_days)
    roundups = {owner[key] for key, doc in documents.items() if is_roundup_passage(doc)}
    for name in roundups & article.keys():
        article[name] *= 1 - scoring.roundup_discount
    ranked = sorted(passage, key=lambda key: (article[owner[key]], passage[key]), reverse=True)
    return [(key, article[owner[key]]) for key in ranked]


def _article_of(key: str, doc: Document) -> str:
    """The id of the article a passage belongs to (its chunk id when the metadata lacks one)."""
    return str(doc.metadata.get("article_id", key))
