"""Questions that ask what is in the news, not about anything in it."""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Sequence

from langchain_core.documents import Document

from qa.lexicon import DIGEST_WORDS, STOPWORDS
from qa.scoring import SCORING, ScoringConfig
from qa.timeframe import without_time
from qa.words import content_terms, named_terms
from vectorstore.cleaning import is_roundup_passage

# "What happened this week?", "What's new?", "Any news today?", "What are the headlines
# in July 2022?": a digest of the coverage of a period, not one story.
_CUE = re.compile(r"\b(?:happen\w*|news|latest|headlines?|stories|going on|new)\b", re.I)


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
    return all(term in DIGEST_WORDS or term in STOPWORDS for term in content_terms(rest))


# "What are the top stories?", "the biggest news this week": the stories most covered in
# the period, not the ones published last.
_TOP = re.compile(
    r"\b(?:top|biggest|main|major|most important|big)\s+(?:news|stories|story|headlines?)\b|"
    r"\bmost (?:covered|reported)\b",
    re.IGNORECASE,
)


def asks_for_top_stories(question: str) -> bool:
    """Whether a digest question asks for the most covered stories, not the newest.

    Example:
        >>> asks_for_top_stories("What are the top stories?"), asks_for_top_stories("What's new?")
        (True, False)
    """
    return bool(_TOP.search(question))


def most_covered(
    leads: Sequence[Document], k: int, scoring: ScoringConfig = SCORING
) -> list[Document]:
    """The leads of the `k` stories the most articles covered, most covered first.

    Articles are one story when their headlines share same_story_terms words that few of
    the period's headlines use ("Griner sentenced to 9 years", "Russian court sentences
    Griner"; a word in common_term_share of them, and in more than common_term_min,
    tells none apart: "says", "US"); a roundup ("5 things to know …") names many stories and joins none. Each
    story is told by its best-connected article's lead; among equals, the newer (the
    leads come newest first).
    """
    terms = [set() if is_roundup_passage(d) else _headline_terms(d) for d in leads]
    frequency = Counter(t for words in terms for t in words)
    limit = max(scoring.common_term_min, scoring.common_term_share * len(leads))
    common = {t for t, n in frequency.items() if n > limit}
    postings: dict[str, list[int]] = {}
    for i, words in enumerate(terms):
        for term in words - common:
            postings.setdefault(term, []).append(i)
    linked: list[set[int]] = []
    for i, words in enumerate(terms):
        shared = Counter(j for term in words - common for j in postings[term] if j != i)
        linked.append({j for j, n in shared.items() if n >= scoring.same_story_terms})
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
