"""Multiple choice without an LLM: which choice do the answer and the passages support best?

Each choice is looked for in the answer (its text and quotes) and in the
retrieved passages, the passages weighted by rank (1/r). In each text a choice
scores for its whole phrase (folded) and for the share of its distinctive words
(those the question and the other choices do not also contain). Embedding
similarity between the choice and the passage sentences closest to the question
breaks exact ties (as when no text names any choice).
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
from vectorstore.sentences import split_sentences

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
    context: float = 0.5  # the share of a passage's support that needs the question's words near


@dataclass(frozen=True)
class ChoicePick:
    """The chosen index and every choice's score (same order as the choices)."""

    index: int
    scores: list[float] = field(default_factory=list)
    similarity: list[float] = field(default_factory=list)  # only computed when the best scores tie


def words(text: str) -> list[str]:
    """Folded words with number words as digits, stopwords left out."""
    return [_NUMBERS.get(w, w) for w in fold(text).split() if w not in _STOPWORDS]


class ChoiceScorer:
    """Score quiz choices against an answer and its passages.

    Args:
        embeddings: For the similarity tie-breaker; None breaks ties by order.
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
        """The choice best supported; a tie goes to the one most similar to the best sentences.

        Without embeddings a tie goes to the first of the tied choices.
        """
        if not choices:
            raise ValueError("pick() needs at least one choice")
        evidence = self._evidence(question, answer, passages)
        distinct = _distinctive(question, choices)
        scores = []
        for choice, weighted in zip(choices, distinct, strict=True):
            support = sum(w * self._support(choice, weighted, ws) for ws, w in evidence)
            scores.append(round(support, 6))
        tied = [i for i, score in enumerate(scores) if score == max(scores)]
        similarity: list[float] = []
        if len(tied) > 1 and self.embeddings is not None:
            similarity = self._similarity(question, choices, answer, passages)
            tied.sort(key=lambda i: -similarity[i])
        return ChoicePick(index=tied[0], scores=scores, similarity=similarity)

    def _evidence(
        self, question: str, answer: Answer | None, passages: Sequence[Document]
    ) -> list[tuple[list[tuple[_Text, float]], float]]:
        """(windows with their relevance to the question, weight) for each evidence text.

        The answer counts whole (it is already the system's reply); a passage counts
        sentence by sentence, each with its neighbours, so a choice found next to the
        question's words beats one found in an unrelated sentence of the same passage.
        """
        evidence = []
        if answer is not None and answer.answered:
            quotes = " ".join(c.quote for c in answer.citations)
            text = _Text(words(f"{strip_markers(answer.text)} {quotes}"))
            evidence.append(([(text, 1.0)], self.weights.answer))
        asked = set(words(question))
        for rank, doc in enumerate(passages[: self.passages], start=1):
            sentences = [s.text for s in split_sentences(doc.page_content)] or [doc.page_content]
            folded = [words(sentence) for sentence in sentences]
            windows = []
            for i in range(len(folded)):
                window = _Text([w for part in folded[max(i - 1, 0) : i + 2] for w in part])
                relevance = len(asked & window.words) / len(asked) if asked else 1.0
                windows.append((window, relevance))
            evidence.append((windows, self.weights.passage / rank))
        return evidence

    def _support(
        self, choice: str, weighted: dict[str, float], windows: list[tuple[_Text, float]]
    ) -> float:
        """The best window: phrase found and share of distinctive words, times its relevance."""
        phrase = " ".join(words(choice))
        total = sum(weighted.values())
        best = 0.0
        for text, relevance in windows:
            score = self.weights.phrase if phrase and f" {phrase} " in text.padded else 0.0
            if total:
                found = sum(w for word, w in weighted.items() if word in text.words)
                score += self.weights.words * found / total
            context = self.weights.context
            best = max(best, score * (1.0 - context + context * relevance))
        return best

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
    """Folded words: padded with spaces for phrase search, and as a set."""

    def __init__(self, folded: list[str]) -> None:
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
