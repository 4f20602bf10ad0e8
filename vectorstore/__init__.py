"""Article files to indexed passages: parsing, chunking, embeddings, Chroma and BM25."""

from vectorstore.articles import Article
from vectorstore.background_refresh import BackgroundRefresh
from vectorstore.chunking import chunk_article, chunk_id, make_splitter
from vectorstore.cleaning import (
    CLEANING_VERSION,
    Flag,
    PassageSentence,
    clean_passage,
    is_roundup_passage,
    is_roundup_title,
    passage_sentences,
    sentence_flag,
)
from vectorstore.embeddings import (
    NewsEmbeddings,
    embeddings_for,
    load_embeddings,
    load_tokenizer,
)
from vectorstore.errors import ArticleError, ModelError, NewsdeskError, StoreBusyError
from vectorstore.lexical import LexicalHit, LexicalIndex, indexed_sources
from vectorstore.outlets import outlet_key, outlet_keys
from vectorstore.parsing import iter_articles, list_article_files, parse_page_text
from vectorstore.report import FailedFile, RefreshReport
from vectorstore.settings import FetchSettings, StoreSettings
from vectorstore.store import chroma_client, generation, open_vector_store
from vectorstore.sync import refresh

__all__ = [
    "CLEANING_VERSION",
    "Article",
    "ArticleError",
    "BackgroundRefresh",
    "FailedFile",
    "FetchSettings",
    "Flag",
    "LexicalHit",
    "LexicalIndex",
    "ModelError",
    "NewsEmbeddings",
    "NewsdeskError",
    "PassageSentence",
    "RefreshReport",
    "StoreBusyError",
    "StoreSettings",
    "chroma_client",
    "chunk_article",
    "clean_passage",
    "chunk_id",
    "generation",
    "indexed_sources",
    "is_roundup_passage",
    "is_roundup_title",
    "iter_articles",
    "list_article_files",
    "embeddings_for",
    "load_embeddings",
    "load_tokenizer",
    "make_splitter",
    "open_vector_store",
    "outlet_key",
    "outlet_keys",
    "parse_page_text",
    "passage_sentences",
    "refresh",
    "sentence_flag",
]
