"""What the harness evaluates: a `Pipeline` (retrieve, answer), and Newsdesk's own.

Both Newsdesk and the naive baseline (`qa.eval.naive`) are built by indexing a
`Corpus` into their own data dir, then answer through the same two calls.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Protocol

from langchain_core.documents import Document
from langchain_core.embeddings import Embeddings
from pydantic import BaseModel

from qa.eval.dataset import Corpus
from qa.models import Answer
from qa.service import ask, retrieve
from qa.settings import AnswerSettings
from vectorstore import StoreSettings, embeddings_for, refresh

Progress = Callable[[int], None]


class IndexStats(BaseModel):
    """What building a pipeline's index did."""

    articles: int
    chunks: int
    chunks_embedded: int
    seconds: float
    data_dir: str


class Pipeline(Protocol):
    """A question-answering system under evaluation."""

    name: str
    embeddings: Embeddings

    def retrieve(self, question: str, as_of: str, k: int) -> list[Document]:
        """The top `k` passages, best first; `metadata["article_id"]` names the article."""
        ...

    def answer(self, question: str, as_of: str) -> Answer:
        """The short answer with its citations."""
        ...


class NewsdeskPipeline:
    """Newsdesk itself: `refresh()` to index, `qa.retrieve()` and `qa.ask()` to answer.

    Example:
        >>> pipeline, stats = NewsdeskPipeline.build(corpus, Path(".newsdesk-eval/x/newsdesk"))
        >>> pipeline.answer("Which automaker recalled 2.9 million vehicles?", "2022-06-16").text
    """

    def __init__(self, settings: StoreSettings, answering: AnswerSettings | None = None) -> None:
        self.name = "newsdesk"
        self.settings = settings
        self.answering = answering or AnswerSettings()
        self.embeddings: Embeddings = embeddings_for(settings)

    @staticmethod
    def settings_for(
        corpus: Corpus, data_dir: Path, base: StoreSettings | None = None
    ) -> StoreSettings:
        """The store settings Newsdesk indexes `corpus` with: `base` (default: the
        environment's), in an embedded store of its own under `data_dir`."""
        # The embedded store in its own dir, whatever NEWSDESK_CHROMA_URL / _COLLECTION say.
        return (base or StoreSettings()).model_copy(
            update={
                "articles_dir": corpus.folder,
                "data_dir": data_dir,
                "chroma_url": "",
                "collection": "newsdesk",
            }
        )

    @classmethod
    def build(
        cls,
        corpus: Corpus,
        data_dir: Path,
        progress: Progress | None = None,
        *,
        base: StoreSettings | None = None,
        answering: AnswerSettings | None = None,
    ) -> tuple[NewsdeskPipeline, IndexStats]:
        """Index `corpus` into `data_dir` (incrementally: an unchanged corpus embeds nothing)."""
        settings = cls.settings_for(corpus, data_dir, base)
        pipeline = cls(settings, answering)
        report = refresh(settings, progress=progress)
        stats = IndexStats(
            articles=report.added + report.updated + report.skipped,
            chunks=report.chunks_total,
            chunks_embedded=report.chunks_added,
            seconds=report.seconds,
            data_dir=str(data_dir),
        )
        return pipeline, stats

    def retrieve(self, question: str, as_of: str, k: int) -> list[Document]:
        """`qa.retrieve()` as of the question's date."""
        return list(
            retrieve(question, as_of=as_of, k=k, store=self.settings, answering=self.answering)
        )

    def answer(self, question: str, as_of: str) -> Answer:
        """`qa.ask()` as of the question's date."""
        return ask(question, as_of=as_of, store=self.settings, answering=self.answering)
