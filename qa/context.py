"""What the answerer reads: the retrieved passages, then the leads of the top articles.

A news story puts its key facts first, but the passage that matched the question is not
always the one that answers it ("When do loan payments restart?" matches the lead; the
month is three paragraphs down). So the answerer also reads the first passages of the
best-ranked articles, after the retrieved ones (dev: short answers 0.563 -> 0.583 for
two articles, one fewer refusal of an answerable question, no more wrong answers asked
early; three articles since).
"""

from __future__ import annotations

from langchain_core.documents import Document

from vectorstore import LexicalIndex

# Of the retriever's best articles. Dev short answers: 1 article 0.573, 2 0.583 (both
# first measured without the later answer-type fixes); with them, 2 0.592, 3 0.612 (and
# one more answerable question refused), 4 0.621 (and one more wrong answer asked early).
LEAD_ARTICLES = 3
LEAD_PASSAGES = 4  # of each, from its start (dev: 8 and 16 answered no better, more wrongly)


def with_leads(
    documents: list[Document],
    lexical: LexicalIndex | None,
    articles: int = LEAD_ARTICLES,
    passages: int = LEAD_PASSAGES,
) -> list[Document]:
    """`documents` (best first), then the first `passages` passages of the first
    `articles` articles among them that were not retrieved already."""
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
