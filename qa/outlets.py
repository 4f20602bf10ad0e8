"""Outlets a question names as its source: "What did USA Today report about the vote?"."""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass

from vectorstore import outlet_key, outlet_keys

# An outlet is the source asked about when it follows "according to", "in", "from" or
# "by", or reports: "CNN reported", "What did USA Today say", "USA Today's coverage".
_BEFORE = re.compile(r"\b(?:according to|in|from|by)\s+$", re.IGNORECASE)
_AFTER = re.compile(
    r"(?:['’]s)?\s+(?:(?:top|latest|main|biggest)\s+)?"
    r"(?:report|reports|reported|reporting|say|says|said|write|writes|wrote|cover|covers|"
    r"covered|coverage|headlines?|stor(?:y|ies)|articles?|publish(?:ed)?|tell|told)\b",
    re.IGNORECASE,
)
_WORD = re.compile(r"[\w&.'’-]+")
_LONGEST_NAME = 4  # words: "The Japan News"


@dataclass(frozen=True)
class NamedOutlet:
    """The outlet a question asks about, as indexed, and the question without it."""

    sources: list[str]  # as indexed: cnn.com and e.newsletters.cnn.com are both CNN
    question: str


def named_outlet(question: str, sources: Iterable[str]) -> NamedOutlet | None:
    """The indexed outlet the question asks about, if it names one as the source.

    The name must be written as a name (capitalised, or as the domain), and read as the
    source: after "according to", "in", "from" or "by", or before "report", "say",
    "coverage" and the like. "What did USA Today report about the vote?" asks what
    the news reported; "Which CNN anchor left?" names no source.

    Example:
        >>> found = named_outlet("What did USA Today report about the vote?", ["usatoday.com"])
        >>> found.sources, found.question
        (['usatoday.com'], 'What did the news report about the vote?')
    """
    by_key: dict[str, list[str]] = {}
    for source in sorted(sources):
        for key in outlet_keys(source):
            by_key.setdefault(key, []).append(source)
    words = list(_WORD.finditer(question))
    for size in range(_LONGEST_NAME, 0, -1):
        for i in range(len(words) - size + 1):
            span = words[i : i + size]
            start = span[0].start()
            name = re.sub(r"['’]s$", "", question[start : span[-1].end()].rstrip(".'’"))
            end = start + len(name)
            found = by_key.get(outlet_key(name))
            if not found:
                continue
            first = span[1] if span[0][0].lower() == "the" and size > 1 else span[0]
            written_as_name = first[0][0].isupper() or "." in name
            before = _BEFORE.search(question[:start])
            according = before is not None and before[0].lower().startswith("according")
            possessive = re.match(r"['’]s\b", question[end:])
            if before and not possessive and (written_as_name or according):
                if according:  # "…, according to CNN?": the rest asks it
                    rest = question[: before.start()].rstrip(" ,") + question[end:]
                else:  # "What's in USA Today today?": what is in the news
                    rest = question[:start] + "the news" + question[end:]
                return NamedOutlet(found, _sentence_case(rest))
            if written_as_name and _AFTER.match(question[end:]):
                rest = question[:start] + "the news" + re.sub(r"^['’]s", "", question[end:])
                return NamedOutlet(found, _sentence_case(rest))
    return None


def _sentence_case(text: str) -> str:
    text = text.strip(" ,")
    return text[:1].upper() + text[1:]
