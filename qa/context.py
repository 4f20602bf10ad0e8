"""What the answerer reads: the retrieved passages, then the leads of the top articles.

A news story puts its key facts first, but the passage that matched the question is not
always the one that answers it ("When do loan payments restart?" matches the lead; the
month is three paragraphs down). So the answerer also reads the first passages of the
best-ranked articles, after the retrieved ones.
"""

from __future__ import annotations

from langchain_core.documents import Document

from qa.scoring import SCORING, ScoringConfig
from vectorstore import LexicalIndex


def with_leads(
    documents: list[Document], lexical: LexicalIndex | None, scoring: ScoringConfig = SCORING
) -> list[Document]:
    """`documents` (best first), then the first lead_passages passages of the first
    lead_articles articles among them that were not retrieved already."""
    articles, passages = scoring.lead_articles, scoring.lead_passages
    if lexical is None or not documents:
        return documents
    leaders: list[str] = []
    for doc in documents:
        article = str(doc.metadata.get("article_id", ""))
        if article and article not in leaders:
            leaders.append(article)
    have = {doc.id for doc in documents}
    extra = [
        passage
        for article in leaders[:articles]
        for passage in lexical.passages_of(article, passages)
        if passage.id not in have
    ]
    return documents + extra
