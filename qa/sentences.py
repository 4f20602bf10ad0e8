"""Splitting passages into sentences with their offsets, and light word matching."""

from __future__ import annotations

import functools
import re
from collections.abc import Iterable
from dataclasses import dataclass

import Stemmer

_END = re.compile(r"[.!?…][\"'”’)\]]*\s+(?=[\"“‘'(\[]?[A-Z0-9])")
_ABBREVIATIONS = frozenset(
    [
        "mr",
        "mrs",
        "ms",
        "dr",
        "prof",
        "sr",
        "jr",
        "st",
        "mt",
        "gen",
        "gov",
        "sen",
        "rep",
        "col",
        "lt",
        "sgt",
        "capt",
        "u.s",
        "u.k",
        "u.n",
        "e.u",
        "vs",
        "inc",
        "corp",
        "co",
        "ltd",
        "jan",
        "feb",
        "mar",
        "apr",
        "jun",
        "jul",
        "aug",
        "sep",
        "sept",
        "oct",
        "nov",
        "dec",
        "a.m",
        "p.m",
    ]
)
# Only before a figure: "No. 1" goes on, "the answer was no. Voters …" ends a sentence.
_NUMBER_ABBREVIATIONS = frozenset(["no", "nos"])
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


@dataclass(frozen=True)
class Sentence:
    """A sentence and where it starts in the text it came from."""

    text: str
    start: int


# What opens a sentence without being part of it: a wire dateline ("(CNN)", "Hong Kong (CNN
# Business)", "New York CNN Business —", "NEW YORK (AP) —", "LOUISVILLE, Ky. —"), a photo
# credit before its caption ("Justin Sullivan/Getty Images", "Gregg Newton/AFP via Getty
# Images"), a stray dash.
_WIRE = r"(?:CNN(?: [A-Z][a-z]+)?|AP|AFP|Reuters)"
PHOTO_AGENCY = (
    r"(?:[\w.'’ ]+ via )?(?:Getty Images|Reuters|AP|AFP|Associated Press|"
    r"ASSOCIATED PRESS|USA TODAY(?: Sports| Network)?|USA Today(?: Sports| Network)?|"
    r"Shutterstock|Redux|Bloomberg|Zuma(?: Press| Wire)?|ZUMA(?: Press| Wire)?|EPA(?:-EFE)?|"
    r"Sipa USA|Everett Collection|Alamy|NurPhoto|Anadolu Agency|Pool|NASA|FILE)"
)
_LEAD_IN = re.compile(
    rf"^(?:(?:(?!The )[A-Z][\w.'’-]*(?:,? [A-Z][\w.'’-]*){{0,2}} )?"
    rf"(?:\({_WIRE}\)\s*(?:[—–-]+\s*)?|{_WIRE}\s+[—–]\s*)"
    r"|[A-Z][A-Z.'’ ]{2,}(?:, [A-Z][A-Za-z.]+(?: [A-Z][A-Za-z.]+)?)?\s+[—–]\s*"
    rf"|(?:[A-Z][\w.'’-]*\s){{0,3}}[A-Z][\w.'’-]*(?:/[^/\n]{{1,40}}?)*/{PHOTO_AGENCY}(?=\s|$)\s*"
    r"|[-—–]{1,2}\s*(?=[A-Z“\"]))+"
)


def _without_lead_in(sentence: Sentence) -> Sentence:
    lead_in = _LEAD_IN.match(sentence.text)
    if not lead_in:
        return sentence
    return Sentence(sentence.text[lead_in.end() :], sentence.start + lead_in.end())


def split_sentences(text: str) -> list[Sentence]:
    """Sentences of a passage, verbatim, with offsets; abbreviations do not end one, and a
    dateline or photo credit before a sentence is not part of it."""
    sentences: list[Sentence] = []
    start = 0
    for match in _END.finditer(text):
        before = text[start : match.start() + 1].rsplit(None, 1)[-1].lower().strip("“\"'(")
        word = before.rstrip(".")
        if (
            word in _ABBREVIATIONS
            or re.fullmatch(r"[a-z]\.", before)
            or (word in _NUMBER_ABBREVIATIONS and text[match.end()].isdigit())
        ):
            continue
        piece = text[start : match.end()].strip()
        if piece:
            sentences.append(Sentence(piece, text.index(piece, start)))
        start = match.end()
    for block in text[start:].split("\n\n"):
        piece = block.strip()
        if piece:
            sentences.append(Sentence(piece, text.index(piece, start)))
            start = text.index(piece, start) + len(piece)
    # Paragraph breaks inside the matched spans also end sentences.
    result: list[Sentence] = []
    for sentence in sentences:
        offset = 0
        for part in sentence.text.split("\n\n"):
            stripped = part.strip()
            if stripped:
                at = sentence.text.index(stripped, offset)
                result.append(_without_lead_in(Sentence(stripped, sentence.start + at)))
                offset = at + len(stripped)
    return [sentence for sentence in result if sentence.text]


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


def content_terms(text: str) -> list[str]:
    """The question's meaningful words, stemmed, in order, without repeats."""
    words = (_word(w).lower() for w in _WORD.findall(text))
    # "What's" and "it's" are function words with a clitic, as `named_terms` reads them.
    return list(
        dict.fromkeys(stem(w) for w in words if w and re.split(r"['’]", w)[0] not in STOPWORDS)
    )


def term_set(text: str) -> set[str]:
    """Every stemmed word of a text."""
    return {stem(_word(w)) for w in _WORD.findall(text)}


def named_terms(question: str) -> list[str]:
    """Names, acronyms and numbers in a question: the words an answer must be about."""
    words = _WORD.findall(question)
    names = []
    for i, word in enumerate(words):
        clean = _word(word)
        # "What's", "Who's": a function word with its clitic, not a name.
        if re.split(r"['’]", clean.lower())[0] in STOPWORDS:
            continue
        if (
            clean.isupper()
            and len(clean) > 1
            or clean[0].isdigit()
            or (i > 0 and clean[0].isupper())
        ):
            names.append(stem(clean))
    return list(dict.fromkeys(names))
