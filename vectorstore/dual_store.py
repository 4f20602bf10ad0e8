"""One LangChain `VectorStore` that writes to Chroma and the BM25 index together.

LangChain's `index()` writes and deletes through it, so the lexical index gets
the same upserts and deletions as the vectors, with the same crash safety.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import Any

from langchain_chroma import Chroma
from langchain_core.documents import Document
from langchain_core.embeddings import Embeddings
from langchain_core.vectorstores import VectorStore

from vectorstore.lexical import LexicalIndex


class DualStore(VectorStore):
    """Chroma plus the lexical index, kept in step; reads go to Chroma."""

    def __init__(self, chroma: Chroma, lexical: LexicalIndex) -> None:
        self.chroma = chroma
        self.lexical = lexical

    @property
    def embeddings(self) -> Embeddings | None:
        return self.chroma.embeddings

    def add_documents(self, documents: list[Document], **kwargs: Any) -> list[str]:
        ids = kwargs.pop("ids", None) or [doc.id for doc in documents]
        written = self.chroma.add_documents(documents, ids=ids, **kwargs)
        self.lexical.upsert(written, documents)
        return written

    def add_texts(
        self, texts: Iterable[str], metadatas: list[dict] | None = None, **kwargs: Any
    ) -> list[str]:
        texts = list(texts)
        metadatas = metadatas or [{} for _ in texts]
        documents = [
            Document(page_content=t, metadata=m) for t, m in zip(texts, metadatas, strict=True)
        ]
        return self.add_documents(documents, **kwargs)

    def delete(self, ids: Sequence[str] | None = None, **kwargs: Any) -> bool | None:
        if ids:
            self.chroma.delete(ids=list(ids))
            self.lexical.delete(ids)
        return True

    def similarity_search(self, query: str, k: int = 4, **kwargs: Any) -> list[Document]:
        return self.chroma.similarity_search(query, k=k, **kwargs)

    @classmethod
    def from_texts(cls, *args: Any, **kwargs: Any) -> DualStore:
        raise NotImplementedError("Build a DualStore from an open Chroma and LexicalIndex.")
