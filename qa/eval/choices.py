"""Multiple choice without an LLM: which choice do the answer and the passages support best?

Each choice is looked for in the answer (its text and quotes) and in the
retrieved passages, the passages weighted by rank (1/r). In each text a choice
scores for its whole phrase (folded) and for the share of its distinctive words
(those the question and the other choices do not also contain). Embedding
similarity between the choice and the passage sentences closest to the question
breaks ties, and decides when no text names any choice.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass, field

import numpy as np
from langchain_core.documents import Document
from langchain_core.embeddings import Embeddings

from qa.eval.metrics import fold, strip_markers
from qa.models import Answer
from qa.sentences import split_sentences

_NUMBERS = {
    word: str(value)
    for value, word in enumerate(
        "zero one two three four five six seven eight nine ten eleven twelve thirteen "
        "fourteen fifteen sixteen seventeen eighteen nineteen twenty".split()
    )
}
_STOPWORDS = frozenset(
    "a an the of in on at to for from by with and or as is are was were be been it its "
    "this that these those their his her they he she we you i s".split()
)


@dataclass(frozen=True)
class ChoiceWeights:
    """How much each kind of evidence counts."""

    answer: float = 3.0
    passage: float = 1.0  # times 1/rank
    phrase: float = 0.5
    words: float = 0.5
    similarity: float = 0.2


@dataclass(frozen=True)
class ChoicePick:
    """The chosen index and every choice's score (same order as the choices)."""

    index: int
    scores: list[float] = field(default_factory=list)


def words(text: str) -> list[str]:
    """Folded words with number words as digits, stopwords left out."""
    return [_NUMBERS.get(w, w) for w in fold(text).split() if w not in _STOPWORDS]


class ChoiceScorer:
    """Score quiz choices against an answer and its passages.

    Args:
        embeddings: For the similarity tie-breaker; None scores by words only.
        passages: How many of the retrieved passages (best first) count.
        sentences: How many sentences closest to the question the similarity uses.
        weights: The weight of each kind of evidence.

    Example:
        >>> scorer = ChoiceScorer()
        >>> scorer.pick("Which park flooded?", ["Zion", "Yellowstone"], None, [doc]).index
        1
    """

    def __init__(
        self,
        embeddings: Embeddings | None = None,
        *,
        passages: int = 10,
        sentences: int = 5,
        weights: ChoiceWeights | None = None,
    ) -> None:
        self.embeddings = embeddings
        self.passages = passages
        self.sentences = sentences
        self.weights = weights or ChoiceWeights()

    def pick(
        self,
        question: str,
        choices: Sequence[str],
        answer: Answer | None,
        passages: Sequence[Document],
    ) -> ChoicePick:
        """The choice best supported; ties go to the first such choice."""
        if not choices:
            raise ValueError("pick() needs at least one choice")
        texts = [(_Text(text), weight) for text, weight in self._evidence(answer, passages)]
        distinct = _distinctive(question, choices)
        scores = []
        for choice, weighted in zip(choices, distinct, strict=True):
            scores.append(sum(w * self._support(choice, weighted, text) for text, w in texts))
        if self.embeddings is not None:
            similarity = self._similarity(question, choices, answer, passages)
            scores = [
                s + self.weights.similarity * x for s, x in zip(scores, similarity, strict=True)
            ]
        best = max(range(len(choices)), key=lambda i: (scores[i], -i))
        return ChoicePick(index=best, scores=[round(s, 4) for s in scores])

    def _evidence(
        self, answer: Answer | None, passages: Sequence[Document]
    ) -> list[tuple[str, float]]:
        texts = []
        if answer is not None and answer.answered:
            quotes = " ".join(c.quote for c in answer.citations)
            texts.append((f"{strip_markers(answer.text)} {quotes}", self.weights.answer))
        for rank, doc in enumerate(passages[: self.passages], start=1):
            texts.append((doc.page_content, self.weights.passage / rank))
        return texts

    def _support(self, choice: str, weighted: dict[str, float], text: _Text) -> float:
        """The phrase found (weighted 0 or 1) and the weighted share of distinctive words."""
        phrase = " ".join(words(choice))
        score = self.weights.phrase if phrase and f" {phrase} " in text.padded else 0.0
        total = sum(weighted.values())
        if total:
            found = sum(w for word, w in weighted.items() if word in text.words)
            score += self.weights.words * found / total
        return score

    def _similarity(
        self,
        question: str,
        choices: Sequence[str],
        answer: Answer | None,
        passages: Sequence[Document],
    ) -> list[float]:
        """Each choice's best cosine to the sentences closest to the question."""
        assert self.embeddings is not None
        sentences = [s.text for doc in passages[:4] for s in split_sentences(doc.page_content)]
        if answer is not None and answer.answered:
            sentences = [c.quote for c in answer.citations] + sentences
        sentences = [s for s in dict.fromkeys(sentences) if len(s) >= 20]
        if not sentences:
            return [0.0] * len(choices)
        vectors = np.array(self.embeddings.embed_documents([question, *choices, *sentences]))
        vectors /= np.linalg.norm(vectors, axis=1, keepdims=True) + 1e-9
        query, options, candidates = (
            vectors[0],
            vectors[1 : 1 + len(choices)],
            vectors[1 + len(choices) :],
        )
        closest = np.argsort(candidates @ query)[::-1][: self.sentences]
        return [float(x) for x in (options @ candidates[closest].T).max(axis=1)]


class _Text:
    """A text folded once: padded with spaces for phrase search, and as a word set."""

    def __init__(self, text: str) -> None:
        folded = words(text)
        self.padded = " " + " ".join(folded) + " "
        self.words = set(folded)


def _distinctive(question: str, choices: Sequence[str]) -> list[dict[str, float]]:
    """Per choice: its words not in the question, weighted 1/(number of choices sharing it)."""
    asked = set(words(question))
    sets = [set(words(choice)) - asked for choice in choices]
    shared = Counter(word for s in sets for word in s)
    result = []
    for s in sets:
        # A word every choice has ("Next week" / "Next month": "next") tells nothing.
        result.append(
            {w: 1.0 / shared[w] for w in s if shared[w] < len(choices) or len(choices) == 1}
        )
    return result
