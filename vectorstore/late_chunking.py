"""The answerer's sentence vectors from their passages' forward pass ("late chunking").

A passage's forward pass computes, in context, the token states of every sentence in
it. A sentence's vector is the mean of its own tokens' states (found by the tokenizer's
character offsets), normalised (`vectorstore.token_states`); the passage's vector is the
mean of all of them, as it always was. So the refresh runs the model once per passage,
not once more per sentence.

The sentences are those the answerer weighs: each passage's answering spans
(`vectorstore.cleaning.passage_sentences`), keyed by their text. A sentence is pooled
once, from the first passage, in reading order, that holds it whole: a sentence in the
overlap of two passages comes from the first of them. A passage holds a span whole when
the model reads all of it: a passage longer than the model reads (256 word pieces,
title included) is cut, and a sentence past the cut goes to the next passage that
holds it. A sentence no passage holds whole is embedded alone. Where the splitter cut
a sentence at a passage's edge, each passage's span is its own part of the sentence,
and the whole sentence is the span of the passage whose overlap holds it.
"""

from __future__ import annotations

import logging
from collections.abc import Container, Sequence
from dataclasses import dataclass

import numpy as np
from langchain_core.documents import Document
from langchain_core.embeddings import Embeddings

from vectorstore.cleaning import passage_sentences
from vectorstore.embeddings import NewsEmbeddings, model_path
from vectorstore.token_states import read_to, reading_tokenizer

logger = logging.getLogger(__name__)

# Bump on any change of how a sentence's vector is pooled: its table keys change with it.
POOLING_VERSION = 1


@dataclass(frozen=True)
class Span:
    """An answering sentence and where it is in its passage's `page_content`."""

    text: str
    start: int
    end: int


def answer_spans(passage: Document) -> list[Span]:
    """The sentences of a passage that may answer, with offsets in what the model reads
    (`page_content`, the title and date included)."""
    offset = int(passage.metadata.get("passage_start", 0))
    return [
        Span(s.text, offset + s.start, offset + s.end)
        for s in passage_sentences(passage)
        if s.answers
    ]


def plan(
    passages: Sequence[Document],
    wanted: Container[str] | None = None,
    read_whole: bool = False,
) -> tuple[dict[int, list[Span]], list[str]]:
    """Which passage each sentence is pooled from: for each passage (by index) the spans
    to pool from it, and the sentences no passage holds whole, to embed alone.

    Only sentences in `wanted` are planned (all, when None). With `read_whole`, every
    passage is taken to be read whole, without tokenizing it to see where the model
    stops: the refresh's passages are cut well inside what the model reads, and a span
    past the cut then fails to pool (`TokenStates.pool`) and is planned again, measured.

    Example:
        >>> doc = Document(page_content="Stocks fell on Monday in Tokyo. Bonds rose.")
        >>> plan([doc, doc])
        ({0: [Span(text='Stocks fell on Monday in Tokyo.', start=0, end=31)]}, [])
    """
    texts = [passage.page_content for passage in passages]
    if read_whole:
        reads = [len(text) for text in texts]
    else:
        encodings = reading_tokenizer(model_path()).encode_batch(texts)
        reads = [read_to(e, len(t)) for e, t in zip(encodings, texts, strict=True)]
    spans: dict[int, list[Span]] = {}
    placed: set[str] = set()
    cut: dict[str, None] = {}  # in reading order
    for index, passage in enumerate(passages):
        for span in answer_spans(passage):
            if span.text in placed or (wanted is not None and span.text not in wanted):
                continue
            if span.end > reads[index]:
                cut.setdefault(span.text)
                continue
            placed.add(span.text)
            spans.setdefault(index, []).append(span)
    return spans, [text for text in cut if text not in placed]


class LateChunker(Embeddings):
    """The model as `index()` embeds passages with it: the same passage vectors, and on
    the way the pooled vectors of the sentences of the passages it was told to `expect`.

    Example:
        >>> chunker = LateChunker(NewsEmbeddings(precision="float32"))
        >>> chunker.expect([Document(page_content="Stocks fell on Monday in Tokyo.")])
        ['Stocks fell on Monday in Tokyo.']
        >>> len(chunker.embed_documents(["Stocks fell on Monday in Tokyo."])[0])
        384
        >>> list(chunker.pooled)
        ['Stocks fell on Monday in Tokyo.']
    """

    def __init__(self, embeddings: NewsEmbeddings) -> None:
        self.embeddings = embeddings
        self.pooled: dict[str, np.ndarray] = {}
        self._spans: dict[str, list[Span]] = {}

    def expect(
        self,
        passages: Sequence[Document],
        wanted: Container[str] | None = None,
        read_whole: bool = False,
    ) -> list[str]:
        """Pool the (`wanted`) sentences of `passages` when they are next embedded, each
        from the passage `plan` chooses (no passage holding it whole: left out); returns
        the texts of the passages to pool from."""
        spans, _ = plan(passages, wanted, read_whole)
        self._spans = {}
        for index, chosen in spans.items():
            self._spans.setdefault(passages[index].page_content, []).extend(chosen)
        return list(self._spans)

    def embed_documents(self, texts: list[str]) -> list[list[float]]:
        """Embed passages, pooling the sentences expected of them."""
        vectors: list[list[float]] = [[] for _ in texts]
        for row, vector, states in self.embeddings.embed_with_token_states(list(texts)):
            vectors[row] = vector.tolist()
            spans = self._spans.pop(texts[row], [])  # a text given twice pools once
            pooled = states.pool_spans([(span.start, span.end) for span in spans])
            for span, sentence in zip(spans, pooled, strict=True):
                if sentence is not None:
                    self.pooled[span.text] = sentence
        return vectors

    def embed_query(self, text: str) -> list[float]:
        """Embed a question (nothing pooled)."""
        return self.embeddings.embed_query(text)

    def clear(self) -> None:
        """Forget what was pooled or expected (after it was written)."""
        self.pooled.clear()
        self._spans.clear()


class PooledSentences:
    """Sentence vectors for `SentenceVectors.fill` in pooled mode: those `chunker` pooled
    while `index()` embedded the passages; for the others, a forward pass of the passages
    that hold them whole (their passage vectors unused: a store filled in after an
    interruption, or made before the table); the rest embedded alone.

    Example:
        >>> source = PooledSentences(NewsEmbeddings(precision="float32"))
        >>> doc = Document(page_content="Stocks fell on Monday in Tokyo.")
        >>> len(source([doc], ["Stocks fell on Monday in Tokyo."])[0]), source.pooled
        (384, 1)
    """

    def __init__(self, embeddings: NewsEmbeddings) -> None:
        self.embeddings = embeddings
        self.chunker = LateChunker(embeddings)
        self.pooled = 0  # sentences given a pooled vector
        self.alone = 0  # sentences embedded alone

    def __call__(self, passages: Sequence[Document], texts: list[str]) -> list[list[float]]:
        """The vectors of `texts`, sentences of `passages`, in order."""
        pooled = self.chunker.pooled
        missing = set(texts) - pooled.keys()
        if missing and (holders := self.chunker.expect(passages, missing)):
            logger.debug("Running %d passages again for their sentences", len(holders))
            self.chunker.embed_documents(holders)
        found = {text: pooled.pop(text).tolist() for text in texts if text in pooled}
        alone = [text for text in texts if text not in found]
        found |= dict(zip(alone, self.embeddings.embed_documents(alone), strict=True))
        self.pooled += len(texts) - len(alone)
        self.alone += len(alone)
        return [found[text] for text in texts]
