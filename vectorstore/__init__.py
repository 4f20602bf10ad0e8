"""Article files to indexed passages: parsing, chunking, embeddings, Chroma and BM25."""

from vectorstore.articles import Article
from vectorstore.chunking import chunk_article, chunk_id, make_splitter
from vectorstore.embeddings import (
    NewsEmbeddings,
    embeddings_for,
    load_embeddings,
    load_tokenizer,
)
from vectorstore.errors import ArticleError, ModelError, NewsdeskError, StoreBusyError
from vectorstore.lexical import LexicalHit, LexicalIndex, indexed_sources
from vectorstore.parsing import iter_articles, list_article_files, parse_page_text
from vectorstore.report import FailedFile, RefreshReport
from vectorstore.settings import StoreSettings
from vectorstore.store import chroma_client, generation, open_vector_store
from vectorstore.sync import refresh

__all__ = [
    "Article",
    "ArticleError",
    "FailedFile",
    "LexicalHit",
    "LexicalIndex",
    "ModelError",
    "NewsEmbeddings",
    "NewsdeskError",
    "RefreshReport",
    "StoreBusyError",
    "StoreSettings",
    "chroma_client",
    "chunk_article",
    "chunk_id",
    "generation",
    "indexed_sources",
    "iter_articles",
    "list_article_files",
    "embeddings_for",
    "load_embeddings",
    "load_tokenizer",
    "make_splitter",
    "open_vector_store",
    "parse_page_text",
    "refresh",
]
