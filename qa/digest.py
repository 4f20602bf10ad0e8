"""Questions that ask what is in the news, not about anything in it."""

from __future__ import annotations

import re

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
