"""Questions that ask what is in the news, not about anything in it."""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Sequence

from langchain_core.documents import Document

from qa.roundups import is_roundup
from qa.sentences import STOPWORDS, content_terms, named_terms, stem
from qa.timeframe import without_time

# "What happened this week?", "What's new?", "Any news today?", "What are the headlines
# in July 2022?": a digest of the coverage of a period, not one story.
_CUE = re.compile(r"\b(?:happen\w*|news|latest|headlines?|stories|going on|new)\b", re.I)
_GENERAL = frozenset(
    stem(word)
    for word in (
        "what happen happened happening going go new news latest headline headlines story "
        "stories top main big biggest today tonight lately been there any anything"
    ).split()
)


def asks_for_digest(question: str) -> bool:
    """Whether the question asks only what the coverage of a period reports: it names
    nothing and asks about nothing beyond the news itself.

    Example:
        >>> asks_for_digest("What happened this week?"), asks_for_digest("What happened to Abe?")
        (True, False)
    """
    rest = without_time(question)
    if not _CUE.search(rest) or named_terms(rest):
        return False
    return all(term in _GENERAL or term in STOPWORDS for term in content_terms(rest))


# "What are the top stories?", "the biggest news this week": the stories most covered in
# the period, not the ones published last.
_TOP = re.compile(
    r"\b(?:top|biggest|main|major|most important|big)\s+(?:news|stories|story|headlines?)\b|"
    r"\bmost (?:covered|reported)\b",
    re.IGNORECASE,
)
SAME_STORY_TERMS = 2  # headline words two articles share (beyond common ones): one story
# A word in this share of the period's headlines, and in more than COMMON_TERM_MIN of
# them, tells none apart ("says", "US"); a small corpus's one big story keeps its words.
COMMON_TERM_SHARE = 0.2
COMMON_TERM_MIN = 10


def asks_for_top_stories(question: str) -> bool:
    """Whether a digest question asks for the most covered stories, not the newest.

    Example:
        >>> asks_for_top_stories("What are the top stories?"), asks_for_top_stories("What's new?")
        (True, False)
    """
    return bool(_TOP.search(question))


def most_covered(leads: Sequence[Document], k: int) -> list[Document]:
    """The leads of the `k` stories the most articles covered, most covered first.

    Articles are one story when their headlines share SAME_STORY_TERMS words that few of
    the period's headlines use ("Griner sentenced to 9 years", "Russian court sentences
    Griner"); a roundup ("5 things to know …") names many stories and joins none. Each
    story is told by its best-connected article's lead; among equals, the newer (the
    leads come newest first).
    """
    terms = [
        set() if is_roundup(str(d.metadata.get("title", ""))) else _headline_terms(d) for d in leads
    ]
    frequency = Counter(t for words in terms for t in words)
    limit = max(COMMON_TERM_MIN, COMMON_TERM_SHARE * len(leads))
    common = {t for t, n in frequency.items() if n > limit}
    postings: dict[str, list[int]] = {}
    for i, words in enumerate(terms):
        for term in words - common:
            postings.setdefault(term, []).append(i)
    linked: list[set[int]] = []
    for i, words in enumerate(terms):
        shared = Counter(j for term in words - common for j in postings[term] if j != i)
        linked.append({j for j, n in shared.items() if n >= SAME_STORY_TERMS})
    told: set[int] = set()
    picked: list[Document] = []
    for i in sorted(range(len(leads)), key=lambda i: -len(linked[i])):
        if len(picked) >= k:
            break
        if i in told:
            continue
        picked.append(leads[i])
        told |= {i} | linked[i]
    return picked


def _headline_terms(lead: Document) -> set[str]:
    return set(content_terms(str(lead.metadata.get("title", ""))))
