"""Light word matching: a text's words, its meaningful terms and its names, stemmed."""

from __future__ import annotations

import functools
import re
from collections.abc import Iterable

import Stemmer

from qa.lexicon import CALENDAR_NAMES, STOPWORDS, stem

_WORD = re.compile(r"[A-Za-z0-9][A-Za-z0-9'’.-]*[A-Za-z0-9]|[A-Za-z0-9]")
_SNOWBALL = Stemmer.Stemmer("english")


def roots(terms: Iterable[str]) -> set[str]:
    """The Snowball roots of stemmed terms, which also join a word's derived forms:
    "arrested" and "arrest", "resigned" and "resignation", "population" and "populous"."""
    return set(_SNOWBALL.stemWords(list(terms)))


_INITIALISM = re.compile(r"(?:[A-Za-z]\.)+[A-Za-z]")


@functools.lru_cache(maxsize=1 << 16)  # the words of the passages read, many seen before
def _word(token: str) -> str:
    """A token as a word: no full stop around it, and an initialism without its own
    (`U.S.` is `US`, as the coverage writes it either way)."""
    token = token.strip(".")
    return token.replace(".", "") if _INITIALISM.fullmatch(token) else token


def tokens(text: str) -> list[str]:
    """The words of a text as written, initialisms without their full stops (U.S. is US)."""
    return [_word(w) for w in _WORD.findall(text)]


_CLITIC = re.compile(r"['’]")


@functools.lru_cache(maxsize=1 << 16)  # every word of the sentences read, most seen before
def _function_word(word: str) -> bool:
    """A stopword, alone or with a clitic ("what's", "it's")."""
    return _CLITIC.split(word, maxsplit=1)[0] in STOPWORDS


def content_terms(text: str) -> list[str]:
    """The question's meaningful words, stemmed, in order, without repeats."""
    words = (_word(w).lower() for w in _WORD.findall(text))
    # "What's" and "it's" are function words with a clitic, as `named_terms` reads them.
    return list(dict.fromkeys(stem(w) for w in words if w and not _function_word(w)))


def term_set(text: str) -> set[str]:
    """Every stemmed word of a text."""
    return {stem(_word(w)) for w in _WORD.findall(text)}


# A text that opens with two capitalised words, with nothing between them ("Dartmouth
# College announced …"; not "Meanwhile, Yellowstone …").
_OPENING_NAME = re.compile(r"\W*[A-Z][\w'’.&-]*\s+[“\"']?[A-Z]")


def named_terms(question: str, *, initial: bool = False) -> list[str]:
    """Names, acronyms and numbers in a question: the words an answer must be about. With
    `initial`, a capitalised first word followed by another is a name too (a sentence's
    "Dartmouth College announced …", not its "Several roads …"; a question's first word
    asks)."""
    words = _WORD.findall(question)
    names = []
    for i, word in enumerate(words):
        clean = _word(word)
        # "What's", "Who's": a function word with its clitic, not a name.
        if _function_word(clean.lower()):
            continue
        if (
            clean.isupper()
            and len(clean) > 1
            or clean[0].isdigit()
            or (i > 0 and clean[0].isupper())
            or (i == 0 and initial and _OPENING_NAME.match(question) is not None)
        ):
            names.append(stem(clean))
    return list(dict.fromkeys(names))


def identifies(name: str) -> bool:
    """Whether a name (stemmed) picks out what a text is about: a day, a month or a number
    says when or how much, which coverage words its own way; an initial is written with or
    without its space ("J. K. Rowling", "J.K. Rowling")."""
    return len(name) > 1 and name not in CALENDAR_NAMES and not any(ch.isdigit() for ch in name)


_DEMONYM = re.compile(r"(?:ese|ian|ean|ish|an|i)$")


def mentioned(name: str, words: set[str] | frozenset[str]) -> bool:
    """Whether the name, or the place a people's name comes from, is among the words: a
    "Japanese island" is answered by a passage that says Japan, a "European nation" by
    one that says Europe."""
    if name in words:
        return True
    root = _DEMONYM.sub("", name)
    if root == name:
        return False

    def says(word: str) -> bool:
        if len(root) >= 4 and word.startswith(root):  # "japanese": "japan…"
            return True
        # "korean": "korea", the name less the last letters of its ending.
        return len(word) >= 4 and name.startswith(word) and len(name) - len(word) <= 2

    return any(says(word) for word in words)
