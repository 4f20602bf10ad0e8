"""Hybrid retrieval: Chroma's dense search and BM25, fused by reciprocal rank."""

from __future__ import annotations

from collections import Counter
from typing import Any

from langchain_core.callbacks import CallbackManagerForRetrieverRun
from langchain_core.documents import Document
from langchain_core.retrievers import BaseRetriever
from langchain_core.vectorstores import VectorStore
from pydantic import ConfigDict, Field

from vectorstore import LexicalIndex

RRF_K = 60  # the constant of Cormack et al.; damps the weight of the very first ranks
# News questions are mostly about what is recent as of "now": coverage from the last
# days gets up to half a first rank more, halving every RECENCY_HALF_LIFE_DAYS.
RECENCY_WEIGHT = 0.5 / (RRF_K + 1)
RECENCY_HALF_LIFE_DAYS = 7.0


class NewsRetriever(BaseRetriever):
    """Top passages for a question from the dense and the lexical index.

    Each document comes back with `metadata["score"]` (the fused score),
    `metadata["similarity"]` (cosine to the question, when dense found it) and
    its chunk id in `document.id`. At most `per_article` passages of one article.

    Example:
        >>> retriever = NewsRetriever(vector_store=chroma, lexical=bm25, k=4)
        >>> docs = retriever.invoke("what is OSA?")
    """

    model_config = ConfigDict(arbitrary_types_allowed=True)

    vector_store: VectorStore
    lexical: LexicalIndex | None = None
    k: int = Field(6, ge=1)
    fetch_k: int = Field(30, ge=1)
    per_article: int = Field(2, ge=1)
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
        fused: dict[str, float] = {}
        documents: dict[str, Document] = {}
        fetch_k = max(self.fetch_k, k)
        dense = self.vector_store.similarity_search_with_score(
            query, k=fetch_k, filter=self._where(sources, since_ts, until_ts)
        )
        for rank, (doc, distance) in enumerate(dense):
            key = doc.id or f"{doc.metadata.get('article_id')}::{doc.metadata.get('chunk_index')}"
            doc.metadata["similarity"] = round(1.0 - float(distance), 4)
            documents[key] = doc
            fused[key] = fused.get(key, 0.0) + 1.0 / (RRF_K + rank + 1)
        if self.lexical is not None:
            hits = self.lexical.search(
                query, fetch_k, sources=sources, since_ts=since_ts, until_ts=until_ts
            )
            for rank, hit in enumerate(hits):
                documents.setdefault(hit.id, hit.document)
                fused[hit.id] = fused.get(hit.id, 0.0) + 1.0 / (RRF_K + rank + 1)
        if now_ts is not None:
            for key, doc in documents.items():
                stamp = int(doc.metadata.get("published_ts", -1))
                if 0 <= stamp <= now_ts:
                    age_days = (now_ts - stamp) / 86_400
                    fused[key] += RECENCY_WEIGHT * 0.5 ** (age_days / RECENCY_HALF_LIFE_DAYS)
        ranked = sorted(fused, key=fused.__getitem__, reverse=True)
        per_article: Counter[str] = Counter()
        results = []
        for key in ranked:
            doc = documents[key]
            article = doc.metadata.get("article_id", key)
            if per_article[article] >= self.per_article:
                continue
            per_article[article] += 1
            doc.id = key
            doc.metadata["score"] = round(fused[key], 6)
            results.append(doc)
            if len(results) == k:
                break
        return results
