"""The tutorial baseline: 1,000-character chunks, plain Chroma similarity search, no dates.

Its short answer is the top passage's sentence closest to the question
(embedding cosine), cited to that passage's article. It never refuses.
"""

from __future__ import annotations

import json
import time
from pathlib import Path

import chromadb
import numpy as np
from chromadb.config import Settings as ChromaSettings
from langchain_chroma import Chroma
from langchain_core.documents import Document
from langchain_core.embeddings import Embeddings
from langchain_text_splitters import RecursiveCharacterTextSplitter

from qa.coverage import NOT_ANSWERED
from qa.eval.dataset import Corpus
from qa.eval.pipeline import IndexStats, Progress
from qa.models import Answer, Citation
from vectorstore.sentences import split_sentences

CHUNK_SIZE = 1000
CHUNK_OVERLAP = 200
ANSWER_K = 4  # the tutorial's retriever default
_COLLECTION = "naive"
_MANIFEST = "manifest.json"
_BATCH_ARTICLES = 64


class NaivePipeline:
    """Dense-only retrieval over fixed-size chunks, answer = best sentence of the top passage.

    Example:
        >>> pipeline, stats = NaivePipeline.build(corpus, Path("/tmp/naive"), embeddings)
        >>> pipeline.retrieve("Which automaker recalled 2.9 million vehicles?", "", 4)
    """

    name = "naive"

    def __init__(self, store: Chroma, embeddings: Embeddings) -> None:
        self.store = store
        self.embeddings = embeddings

    @classmethod
    def build(
        cls,
        corpus: Corpus,
        data_dir: Path,
        embeddings: Embeddings,
        progress: Progress | None = None,
    ) -> tuple[NaivePipeline, IndexStats]:
        """Index `corpus` into `data_dir`; reuse the store if it holds this corpus already."""
        started = time.perf_counter()
        data_dir.mkdir(parents=True, exist_ok=True)
        client = chromadb.PersistentClient(
            path=str(data_dir / "chroma"),
            settings=ChromaSettings(anonymized_telemetry=False, allow_reset=True),
        )
        store = Chroma(client=client, collection_name=_COLLECTION, embedding_function=embeddings)
        chunks = split_corpus(corpus.file)
        expected = sum(len(docs) for docs in chunks)
        manifest = {"fingerprint": corpus.fingerprint, "chunk_size": CHUNK_SIZE, "count": expected}
        manifest_path = data_dir / _MANIFEST
        embedded = 0
        if _read_manifest(manifest_path) == manifest and _count(store) == expected:
            if progress:
                progress(len(chunks))
        else:
            manifest_path.unlink(missing_ok=True)
            store.reset_collection()
            for start in range(0, len(chunks), _BATCH_ARTICLES):
                batch = [doc for docs in chunks[start : start + _BATCH_ARTICLES] for doc in docs]
                if batch:
                    store.add_documents(batch, ids=[str(doc.id) for doc in batch])
                    embedded += len(batch)
                if progress:
                    progress(len(chunks[start : start + _BATCH_ARTICLES]))
            manifest_path.write_text(json.dumps(manifest))
        stats = IndexStats(
            articles=len(chunks),
            chunks=expected,
            chunks_embedded=embedded,
            seconds=round(time.perf_counter() - started, 3),
            data_dir=str(data_dir),
        )
        return cls(store, embeddings), stats

    def retrieve(self, question: str, as_of: str, k: int) -> list[Document]:
        """Plain similarity search; `as_of` is ignored (the baseline knows no dates)."""
        return self.store.similarity_search(question, k=k)

    def answer(self, question: str, as_of: str) -> Answer:
        """The sentence of the top passage most similar to the question, cited."""
        passages = self.retrieve(question, as_of, ANSWER_K)
        if not passages:
            return Answer(text=NOT_ANSWERED, answered=False, question=question)
        top = passages[0]
        sentences = [s for s in split_sentences(top.page_content) if len(s.text) >= 20]
        sentences = sentences or split_sentences(top.page_content)
        if not sentences:
            return Answer(text=NOT_ANSWERED, answered=False, question=question)
        vectors = np.array(self.embeddings.embed_documents([s.text for s in sentences]))
        query = np.array(self.embeddings.embed_query(question))
        scores = vectors @ query / (np.linalg.norm(vectors, axis=1) * np.linalg.norm(query) + 1e-9)
        best = sentences[int(np.argmax(scores))]
        meta = top.metadata
        citation = Citation(
            number=1,
            article_id=str(meta.get("article_id", "")),
            title=str(meta.get("title", "")),
            source=str(meta.get("source", "")),
            url=str(meta.get("url", "")),
            published_at=str(meta.get("published_at", "")),
            quote=best.text,
            offset=int(meta.get("start", 0)) + best.start,
        )
        return Answer(text=f"{best.text} [1]", citations=[citation], question=question)


def split_corpus(path: Path) -> list[list[Document]]:
    """Each article's body in 1,000-character chunks (200 overlap), with its metadata."""
    splitter = RecursiveCharacterTextSplitter(
        chunk_size=CHUNK_SIZE, chunk_overlap=CHUNK_OVERLAP, add_start_index=True
    )
    articles = []
    with path.open(encoding="utf-8") as feed:
        for line in feed:
            if not line.strip():
                continue
            record = json.loads(line)
            metadata = {
                "article_id": str(record.get("id", "")),
                "title": str(record.get("title") or ""),
                "source": str(record.get("source") or ""),
                "url": str(record.get("url") or ""),
                "published_at": str(record.get("published_at") or ""),
            }
            docs = splitter.create_documents([str(record.get("body") or "")], [metadata])
            for position, doc in enumerate(docs):
                doc.id = f"{metadata['article_id']}::{position}"
                doc.metadata["start"] = doc.metadata.pop("start_index", 0)
            articles.append(docs)
    return articles


def _count(store: Chroma) -> int:
    return len(store.get(include=[])["ids"])


def _read_manifest(path: Path) -> dict[str, object] | None:
    try:
        return dict(json.loads(path.read_text()))
    except (OSError, ValueError):
        return None
