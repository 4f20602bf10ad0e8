"""Follow-up questions: carry the subject of the conversation into the search."""

from __future__ import annotations

import re

from qa.lexicon import CONVERSATIONAL, stem
from qa.timeframe import without_time
from qa.words import content_terms, named_terms

_REFERS_BACK = re.compile(
    r"\b(they|them|their|theirs|he|him|his|she|her|hers|it|its|this|that|these|those|there|"
    r"the two|both|the same)\b"
    # "How did the White House react?", "And Russia?", "What else?": a reaction to, or more
    # of, what was just discussed.
    r"|\b(?:react|reacted|reacting|reaction|respond|responded|response)\b"
    r"|^\W*(?:and|what about|how about|what else)\b",
    re.IGNORECASE,
)
_SHORT_FOLLOW_UP = 3  # words naming nobody: "Why?", "Since when?", "Where exactly?"
NEEDS_A_SUBJECT = (
    "What would you like to know about? Name a story, a person or a place in the news, "
    "and I will look for it in the coverage."
)


def contextualize(question: str, history: list[tuple[str, str]] | None) -> str:
    """The question as a search query, with the last turn's names when it refers back.

    Example:
        >>> contextualize("When did they last meet?", [("Who will Kishida meet in Mongolia?", "…")])
        'When did they last meet? (Kishida Mongolia)'
    """
    if not history:
        return question
    short = len(question.split()) <= _SHORT_FOLLOW_UP and not named_terms(question)
    if not (short or _REFERS_BACK.search(question)):
        return question
    # The names the reader used carry the subject, from the last question that named any
    # resign?"); the last answer's only when no question did. A period is no name: each
    # question's own words say when ("What happened in November 2022?" → "What's new?").
    for earlier_question, _ in reversed(history):
        names = _surface_names(without_time(earlier_question))
        if names:
            break
    else:
        names = _surface_names(_strip_markers(history[-1][1]))[:4]
    return f"{question} ({' '.join(names)})" if names else question


def _surface_names(text: str) -> list[str]:
    stems = set(named_terms(text))
    words = re.findall(r"[A-Za-z0-9][\w’'-]*", text)
    return list(dict.fromkeys(w for w in words[1:] if stem(w) in stems))


def _strip_markers(text: str) -> str:
    return re.sub(r"\[\d+\]", "", text)


def names_no_subject(query: str) -> bool:
    """Whether a question, with what the conversation carried into it, still names
    nothing to look for: "Tell me more", "Why?" or "What else?" with no earlier turn.

    Example:
        >>> names_no_subject("Tell me more"), names_no_subject("Tell me more (Kishida)")
        (True, False)
    """
    return not named_terms(query) and all(t in CONVERSATIONAL for t in content_terms(query))
