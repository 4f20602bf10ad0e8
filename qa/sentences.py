"""Splitting passages into sentences with their offsets, and light word matching."""

from __future__ import annotations

import functools
import re
from collections.abc import Iterable

import Stemmer

# Sentence splitting lives beside the refresh, which embeds the sentences ahead; qa
# imports it from here.
from vectorstore.sentences import PHOTO_AGENCY as PHOTO_AGENCY
from vectorstore.sentences import Sentence as Sentence
from vectorstore.sentences import candidate_sentences as candidate_sentences
from vectorstore.sentences import split_sentences as split_sentences

_WORD = re.compile(r"[A-Za-z0-9][A-Za-z0-9'’.-]*[A-Za-z0-9]|[A-Za-z0-9]")
STOPWORDS = frozenset(
    [
        "a",
        "about",
        "after",
        "all",
        "also",
        "an",
        "and",
        "any",
        "are",
        "as",
        "at",
        "be",
        "been",
        "before",
        "being",
        "between",
        "but",
        "by",
        "can",
        "could",
        "did",
        "do",
        "does",
        "doing",
        "during",
        "each",
        "for",
        "from",
        "had",
        "has",
        "have",
        "having",
        "he",
        "her",
        "here",
        "hers",
        "him",
        "his",
        "how",
        "i",
        "if",
        "in",
        "into",
        "is",
        "it",
        "its",
        "just",
        "me",
        "more",
        "most",
        "my",
        "no",
        "nor",
        "not",
        "now",
        "of",
        "off",
        "on",
        "once",
        "only",
        "or",
        "other",
        "our",
        "out",
        "over",
        "own",
        "same",
        "she",
        "should",
        "so",
        "some",
        "such",
        "than",
        "that",
        "the",
        "their",
        "theirs",
        "them",
        "then",
        "there",
        "these",
        "they",
        "this",
        "those",
        "through",
        "to",
        "too",
        "under",
        "until",
        "up",
        "very",
        "was",
        "we",
        "were",
        "what",
        "when",
        "where",
        "which",
        "while",
        "who",
        "whom",
        "whose",
        "why",
        "will",
        "with",
        "would",
        "you",
        "your",
        "yours",
        "tell",
        "said",
        "says",
        "say",
        "latest",
        "recent",
        "recently",
        "week",
        "month",
        "year",
        "today",
        "new",
        "news",
        "according",
        "report",
        "reported",
        "reports",
        "coverage",
    ]
)


# Irregular verb forms news questions and articles swap ("When did they meet?" / "they met").
_IRREGULAR = {
    "met": "meet",
    "said": "say",
    "went": "go",
    "gone": "go",
    "won": "win",
    "lost": "lose",
    "took": "take",
    "taken": "take",
    "made": "make",
    "gave": "give",
    "given": "give",
    "held": "hold",
    "led": "lead",
    "left": "leave",
    "paid": "pay",
    "sold": "sell",
    "bought": "buy",
    "told": "tell",
    "found": "find",
    "came": "come",
    "became": "become",
    "began": "begin",
    "begun": "begin",
    "ran": "run",
    "wrote": "write",
    "written": "write",
    "chose": "choose",
    "chosen": "choose",
    "fell": "fall",
    "fallen": "fall",
    "rose": "rise",
    "risen": "rise",
    "struck": "strike",
    "spent": "spend",
    "sent": "send",
    "built": "build",
    "kept": "keep",
    "thought": "think",
    "brought": "bring",
    "hit": "hit",
    "killed": "kill",
    "died": "die",
    "dead": "die",
    "death": "die",
}


@functools.lru_cache(maxsize=1 << 16)  # a question's few thousand words, most seen before
def stem(word: str) -> str:
    """A light stem, enough to match 'meetings' with 'meeting' and 'countries' with 'country'."""
    word = word.lower().replace("’", "'").removesuffix("'s")
    if word in _IRREGULAR:
        return _IRREGULAR[word]
    for suffix, replacement in (("ies", "y"), ("sses", "ss"), ("es", "e"), ("s", "")):
        if len(word) > 4 and word.endswith(suffix) and not word.endswith("ss"):
            return word[: -len(suffix)] + replacement
    return word


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
