"""Articles to passages sized for MiniLM, with sentences kept whole and stable ids."""

from __future__ import annotations

import hashlib
import json
from typing import Any

from langchain_core.documents import Document
from langchain_text_splitters import RecursiveCharacterTextSplitter
from tokenizers import Tokenizer

from vectorstore.articles import Article
from vectorstore.cleaning import CLEANING_FIELDS, clean_passage
from vectorstore.word_pieces import WordPieceCounter

# Paragraphs first, then sentence ends (kept with their sentence), then words.
_SEPARATORS = ["\n\n", "\n", r"(?<=[.!?…][\"'”’)\]])\s+", r"(?<=[.!?…])\s+", " "]
ID_SEPARATOR = "::"
# Bump when a change here cuts or heads passages differently: every article is then re-cut.
CHUNKING_VERSION = 1
UNDATED = -1


def make_splitter(
    tokenizer: Tokenizer, chunk_tokens: int, overlap_tokens: int
) -> RecursiveCharacterTextSplitter:
    """A LangChain splitter that measures passages in the embedding model's word pieces."""
    return RecursiveCharacterTextSplitter(
        length_function=WordPieceCounter(tokenizer),
        chunk_size=chunk_tokens,
        chunk_overlap=overlap_tokens,
        separators=_SEPARATORS,
        is_separator_regex=True,
        keep_separator="end",
        strip_whitespace=True,
    )


def heading(article: Article) -> str:
    """What precedes every passage of an article, for both retrievers: title and date."""
    date = article.published_at[:10]
    return f"{article.title} ({date})\n\n" if date else f"{article.title}\n\n"


def chunk_article(article: Article, splitter: RecursiveCharacterTextSplitter) -> list[Document]:
    """The article's passages as Documents, each headed by the title and date.

    `metadata["start"]` is the passage's offset in `article.text`, and
    `page_content[metadata["passage_start"]:]` is the passage itself; `cleaning`,
    `roundup` and `sentences` are its flags (`vectorstore.cleaning.clean_passage`).
    """
    head = heading(article)
    documents = []
    cursor = 0
    for index, passage in enumerate(splitter.split_text(article.text)):
        # The splitter's own start_index counts a token overlap as characters; find it here.
        start = article.text.find(passage, cursor)
        if start < 0:
            start = article.text.find(passage)
        cursor = max(start, 0) + 1
        metadata: dict[str, Any] = {
            "article_id": article.id,
            "chunk_index": index,
            "start": start,
            "passage_start": len(head),
            "title": article.title,
            "source": article.source,
            "url": article.url,
            "published_at": article.published_at,
            "path": article.path,
        }
        # -1 for an unknown date: kept by "until" filters, left out by "since" ones.
        metadata["published_ts"] = UNDATED if article.published_ts is None else article.published_ts
        metadata |= clean_passage(passage, article.title, article.source)
        documents.append(Document(page_content=head + passage, metadata=metadata))
    return documents


def chunk_id(document: Document) -> str:
    """`<article id>::<position>::<content hash>`: the same text always gets the same id.

    The cleaning flags are left out of the hash: a store made before them, or under
    other rules, keeps its ids (the refresh mends the flags in place).
    """
    kept = {k: v for k, v in document.metadata.items() if k not in CLEANING_FIELDS}
    payload = document.page_content + json.dumps(kept, sort_keys=True)
    digest = hashlib.sha256(payload.encode()).hexdigest()[:16]
    return ID_SEPARATOR.join(
        (document.metadata["article_id"], str(document.metadata["chunk_index"]), digest)
    )


def article_of(chunk_key: str) -> str:
    """The article id inside a chunk id."""
    return chunk_key.rsplit(ID_SEPARATOR, 2)[0]
