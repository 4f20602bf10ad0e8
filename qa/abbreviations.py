"""Abbreviations and their long forms, by the Schwartz–Hearst algorithm.

Schwartz & Hearst, "A simple algorithm for identifying abbreviation definitions in
biomedical text" (PSB 2003): a short form in parentheses after its long form ("Official
Security Assistance (OSA)"), or the reverse ("OSA (Official Security Assistance)"); the
long form is the shortest run of words before the parenthesis, at most min(|SF| + 5,
2·|SF|) words, whose characters match the short form's from right to left, its first
character starting a word. It needs no list of acronyms and no capital letters in the
long form ("the joint european torus (JET)"). News also writes the pair with ", or":
"a public health emergency of international concern, or PHEIC", "The DART mission, or the
Double Asteroid Redirection Test"; there the short form must be written with capitals
(", or cheaper" is no abbreviation) and the same matching applies.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

_PARENTHESIS = re.compile(r"\(([^()]{1,120})\)")
# "long form, or SF": the short form after ", or", then punctuation or a word.
_OR_SHORT = re.compile(r"\s*,\s+or\s+(?:the\s+)?([A-Za-z0-9][\w&-]{1,9})(?=[\s,.;:)]|$)")
# "SF …, or (the) long form,": the long form up to the next punctuation; the short form one
# of the three words before ", or".
_OR_LONG = re.compile(r"\s*,\s+or\s+(?:the\s+)?([^,.;:()—–]{3,120})")
_WORD = re.compile(r"\S+")


@dataclass(frozen=True)
class Abbreviation:
    """A short form, its long form, and where the definition ends in the sentence."""

    short: str
    long: str
    end: int  # just after the closing parenthesis


def abbreviations(sentence: str) -> list[Abbreviation]:
    """The abbreviations a sentence defines, in order.

    Example:
        >>> [(a.short, a.long) for a in abbreviations("The Joint European Torus (JET) set a record.")]
        [('JET', 'Joint European Torus')]
        >>> [(a.short, a.long) for a in abbreviations("OSA (Official Security Assistance) grows.")]
        [('OSA', 'Official Security Assistance')]
    """
    found = []
    for match in _PARENTHESIS.finditer(sentence):
        inside = match.group(1).strip()
        before = sentence[: match.start()].rstrip()
        words = inside.split()
        if len(words) <= 2 and _short_form(inside):  # long form (SF)
            long = _long_form(inside, before.split())
            if long:
                found.append(Abbreviation(inside, long, match.end()))
        else:  # SF (long form): the word before the parenthesis is the short form
            previous = before.split()[-1:] if before else []
            short = previous[0].strip(",;:\"'“”") if previous else ""
            if short and _short_form(short) and len(short) < len(inside):
                long = _long_form(short, inside.split())
                if long and long == " ".join(inside.split()):
                    found.append(Abbreviation(short, long, match.end()))
    found.extend(_with_or(sentence))
    return found


def _with_or(sentence: str) -> list[Abbreviation]:
    """The pairs written with ", or": "long form, or SF" and "SF …, or the long form"."""
    found = []
    for match in _OR_SHORT.finditer(sentence):
        short = match.group(1)
        if _capitals(short):
            long = _long_form(short, sentence[: match.start()].rstrip(" ,").split())
            if long:
                found.append(Abbreviation(short, long, match.end()))
    for match in _OR_LONG.finditer(sentence):
        inside = " ".join(match.group(1).split())
        for word in sentence[: match.start()].split()[-3:]:
            short = word.strip("\"'“”")
            if _capitals(short) and len(short) < len(inside):
                long = _long_form(short, inside.split())
                if long and long == inside:
                    found.append(Abbreviation(short, long, match.end()))
    return found


def _capitals(text: str) -> bool:
    """A short form written with capitals: two at least, and a short form's shape."""
    return _short_form(text) and sum(ch.isupper() for ch in text) >= 2


def long_form(short: str, sentence: str) -> str:
    """The long form the sentence gives for `short`, or "".

    Example:
        >>> long_form("IMF", "the International Monetary Fund (IMF) said on Monday")
        'International Monetary Fund'
    """
    return next((a.long for a in abbreviations(sentence) if a.short == short), "")


def _short_form(text: str) -> bool:
    """2 to 10 characters, starting with a letter or digit, with at least one letter."""
    return (
        2 <= len(text) <= 10
        and text[0].isalnum()
        and any(ch.isalpha() for ch in text)
        and " " not in text.strip()
    )


def _long_form(short: str, words: list[str]) -> str:
    """The shortest tail of `words` (at most min(|SF| + 5, 2·|SF|)) that the short form's
    characters match from right to left, the first one at the start of a word."""
    letters = [ch.lower() for ch in short if ch.isalnum()]
    limit = min(len(letters) + 5, 2 * len(letters))
    candidate = words[-limit:]
    text = " ".join(candidate).lower()
    short_at, long_at = len(letters) - 1, len(text) - 1
    while short_at >= 0:
        ch = letters[short_at]
        while long_at >= 0 and (
            text[long_at] != ch or (short_at == 0 and long_at > 0 and text[long_at - 1].isalnum())
        ):
            long_at -= 1
        if long_at < 0:
            return ""
        short_at -= 1
        long_at -= 1
    start = text.rfind(" ", 0, long_at + 1) + 1  # the word the first character starts
    tail = " ".join(candidate)[start:]
    tail = tail.strip(" ,;:\"'“”")
    if not tail or tail.lower() == short.lower() or len(tail) <= len(short):
        return ""
    return tail
