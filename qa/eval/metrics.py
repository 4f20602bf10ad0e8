"""The benchmark's metrics as small pure functions: folding, hit ranks, answer checks.

Folding follows the data's README: lower-cased, punctuation folded, so that
`“Squid Game”` matches `squid game`, `$19 million` matches `19 million` and
`New Jersey & Oregon` matches `New Jersey and Oregon`.
Containment is by whole words: `5` is not found in `50`.
"""

from __future__ import annotations

import math
import re
import unicodedata
from collections import Counter
from collections.abc import Iterable, Sequence

from langchain_core.documents import Document

from qa.models import Answer
from vectorstore.sentences import split_sentences

_MARKER = re.compile(r"\s*\[\d+\]")
_NUMBER = re.compile(r"\[(\d+)\]")
_THOUSANDS = re.compile(r"(?<=\d),(?=\d{3}\b)")
_TOKEN = re.compile(r"\d+(?:\.\d+)*|[^\W_]+")


def fold(text: str) -> str:
    """Lower-case, strip accents, `&` as `and`, punctuation to spaces; numbers stay `1000`, `5.9`.

    Example:
        >>> fold("“Squid Game”")
        'squid game'
        >>> fold("$10,000 (5.9%)")
        '10000 5.9'
    """
    text = unicodedata.normalize("NFKD", text)
    text = "".join(ch for ch in text if not unicodedata.combining(ch)).lower()
    text = _THOUSANDS.sub("", text).replace("&", " and ")
    return " ".join(_TOKEN.findall(text))


def contains(haystack: str, needle: str) -> bool:
    """Whether `needle` occurs in `haystack` as whole words, both folded.

    Example:
        >>> contains("Netflix renews 'Squid Game'.", "“Squid Game”")
        True
        >>> contains("about 50 people", "5")
        False
    """
    folded = fold(needle)
    return bool(folded) and f" {folded} " in f" {fold(haystack)} "


def strip_markers(text: str) -> str:
    """The answer text without its `[n]` citation markers."""
    return _MARKER.sub("", text)


def article_ids(passages: Iterable[Document]) -> list[str]:
    """The article of each passage, in rank order."""
    return [str(doc.metadata.get("article_id", "")) for doc in passages]


def hit_rank(passages: Sequence[Document], gold: set[str], k: int = 10) -> int | None:
    """1-based rank of the first of the top-`k` passages from a gold article; None if none."""
    for rank, article in enumerate(article_ids(passages[:k]), start=1):
        if article in gold:
            return rank
    return None


def hit_at(rank: int | None, k: int) -> bool:
    """Whether a gold passage is among the top `k`."""
    return rank is not None and rank <= k


def reciprocal_rank(rank: int | None, k: int = 10) -> float:
    """1/rank of the first gold passage within the top `k`, else 0."""
    return 1.0 / rank if rank is not None and rank <= k else 0.0


def answer_in_passages(passages: Sequence[Document], gold_answer: str, k: int = 4) -> bool:
    """Whether the gold answer (folded) appears in the text of one of the top-`k` passages."""
    return any(contains(doc.page_content, gold_answer) for doc in passages[:k])


def answer_sentences(answer: Answer, max_sentences: int = 2) -> list[str]:
    """The first `max_sentences` sentences of the answer, each with its `[n]` markers.
    Markers after a quote's `?”` belong to its sentence, not to a sentence of their own."""
    sentences: list[str] = []
    for sentence in split_sentences(answer.text):
        if sentences and not strip_markers(sentence.text).strip(" .!?"):
            sentences[-1] += " " + sentence.text
        else:
            sentences.append(sentence.text)
    return sentences[:max_sentences] if sentences else [answer.text]


def short_answer_text(answer: Answer, max_sentences: int = 2) -> str:
    """The first `max_sentences` sentences of the answer, markers removed: what is judged."""
    return strip_markers(" ".join(answer_sentences(answer, max_sentences)))


def cited_numbers(sentence: str) -> set[int]:
    """The numbers of the `[n]` markers in a sentence."""
    return {int(number) for number in _NUMBER.findall(sentence)}


def short_answer_lenient(answer: Answer, gold_answer: str, gold: set[str]) -> bool:
    """Answered, the first two sentences contain the gold answer, and any citation is gold
    (even one attached to the other sentence)."""
    return (
        answer.answered
        and contains(short_answer_text(answer), gold_answer)
        and any(c.article_id in gold for c in answer.citations)
    )


def short_answer_strict(answer: Answer, gold_answer: str, gold: set[str]) -> bool:
    """Answered, and one of the first two sentences contains the gold answer and carries a
    `[n]` marker whose citation is a gold article.

    Example:
        >>> from qa.models import Citation
        >>> cited = [Citation(number=1, article_id="g", title="t", quote="q"),
        ...          Citation(number=2, article_id="x", title="t", quote="q")]
        >>> answer = Answer(text="Netflix made news [1]. The show is Squid Game [2].",
        ...                 citations=cited)
        >>> short_answer_strict(answer, "Squid Game", {"g"})
        False
        >>> short_answer_lenient(answer, "Squid Game", {"g"})
        True
    """
    if not answer.answered:
        return False
    gold_numbers = {c.number for c in answer.citations if c.article_id in gold}
    return any(
        contains(strip_markers(sentence), gold_answer) and cited_numbers(sentence) & gold_numbers
        for sentence in answer_sentences(answer)
    )


def asked_fact_strict(answer: Answer, gold_answer: str) -> bool:
    """Answered, and one of the first two sentences gives the asked fact and cites a quote
    that gives it too: the reader can check it where the citation points, whatever the
    outlet.

    Example:
        >>> from qa.models import Citation
        >>> cited = [Citation(number=1, article_id="a", title="t", quote="Acme bought it.")]
        >>> asked_fact_strict(Answer(text="Acme bought it [1].", citations=cited), "Acme")
        True
        >>> asked_fact_strict(Answer(text="It was Acme [1].", citations=cited), "It was")
        False
    """
    if not answer.answered:
        return False
    quoted = {c.number for c in answer.citations if any(contains(q, gold_answer) for q in c.quotes)}
    return any(
        contains(strip_markers(sentence), gold_answer) and cited_numbers(sentence) & quoted
        for sentence in answer_sentences(answer)
    )


_ARTICLES = frozenset({"a", "an", "the"})


def _span_tokens(text: str) -> list[str]:
    """A span's folded words without articles, as SQuAD compares answers."""
    return [t for t in fold(text).split() if t not in _ARTICLES]


def short_span_exact(answer: Answer, gold_answer: str) -> bool:
    """Answered with a short answer (`Answer.short`) that is the gold answer, word for word
    once folded and without articles (SQuAD's exact match).

    Example:
        >>> short_span_exact(Answer(text="…", short="$965 million"), "965 million")
        True
    """
    if not answer.answered or not answer.short:
        return False
    return _span_tokens(answer.short) == _span_tokens(gold_answer)


def short_span_f1(answer: Answer, gold_answer: str) -> float:
    """The overlap of the short answer's words with the gold answer's (SQuAD's F1); 0 when
    not answered or no short answer was given.

    Example:
        >>> short_span_f1(Answer(text="…", short="40 hours"), "40 hours per week")
        0.667
    """
    if not answer.answered or not answer.short:
        return 0.0
    said, gold = _span_tokens(answer.short), _span_tokens(gold_answer)
    common = sum((Counter(said) & Counter(gold)).values())
    if not common:
        return 0.0
    precision, recall = common / len(said), common / len(gold)
    return round(2 * precision * recall / (precision + recall), 3)


def mean(values: Sequence[float]) -> float:
    """The arithmetic mean; 0 for no values."""
    return sum(values) / len(values) if values else 0.0


def percentile(values: Sequence[float], pct: float) -> float:
    """The `pct` percentile with linear interpolation (numpy's default); 0 for no values.

    Example:
        >>> percentile([10.0, 20.0, 30.0, 40.0], 50)
        25.0
    """
    if not values:
        return 0.0
    ordered = sorted(values)
    position = (len(ordered) - 1) * pct / 100.0
    low, high = math.floor(position), math.ceil(position)
    return ordered[low] + (ordered[high] - ordered[low]) * (position - low)
