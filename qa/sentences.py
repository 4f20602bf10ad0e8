"""Splitting passages into sentences with their offsets, and light word matching."""

from __future__ import annotations

import re
from dataclasses import dataclass

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
        "no",
        "vs",
        "etc",
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


def split_sentences(text: str) -> list[Sentence]:
    """Sentences of a passage, verbatim, with offsets; abbreviations do not end one."""
    sentences: list[Sentence] = []
    start = 0
    for match in _END.finditer(text):
        before = text[start : match.start() + 1].rsplit(None, 1)[-1].lower().strip("“\"'(")
        if before.rstrip(".") in _ABBREVIATIONS or re.fullmatch(r"[a-z]\.", before):
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
                result.append(Sentence(stripped, sentence.start + at))
                offset = at + len(stripped)
    return result


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


def stem(word: str) -> str:
    """A light stem, enough to match 'meetings' with 'meeting' and 'countries' with 'country'."""
    word = word.lower().replace("’", "'").removesuffix("'s")
    if word in _IRREGULAR:
        return _IRREGULAR[word]
    for suffix, replacement in (("ies", "y"), ("sses", "ss"), ("es", "e"), ("s", "")):
        if len(word) > 4 and word.endswith(suffix) and not word.endswith("ss"):
            return word[: -len(suffix)] + replacement
    return word


_INITIALISM = re.compile(r"(?:[A-Za-z]\.)+[A-Za-z]")


def _word(token: str) -> str:
    """A token as a word: no full stop around it, and an initialism without its own
    (`U.S.` is `US`, as the coverage writes it either way)."""
    token = token.strip(".")
    return token.replace(".", "") if _INITIALISM.fullmatch(token) else token


def content_terms(text: str) -> list[str]:
    """The question's meaningful words, stemmed, in order, without repeats."""
    words = (_word(w).lower() for w in _WORD.findall(text))
    return list(dict.fromkeys(stem(w) for w in words if w and w not in STOPWORDS))


def term_set(text: str) -> set[str]:
    """Every stemmed word of a text."""
    return {stem(_word(w)) for w in _WORD.findall(text)}


def named_terms(question: str) -> list[str]:
    """Names, acronyms and numbers in a question: the words an answer must be about."""
    words = _WORD.findall(question)
    names = []
    for i, word in enumerate(words):
        clean = _word(word)
        if clean.lower() in STOPWORDS:
            continue
        if (
            clean.isupper()
            and len(clean) > 1
            or clean[0].isdigit()
            or (i > 0 and clean[0].isupper())
        ):
            names.append(stem(clean))
    return list(dict.fromkeys(names))


_DATE = re.compile(
    r"\b(?:January|February|March|April|May|June|July|August|September|October|November|"
    r"December|Jan|Feb|Mar|Apr|Jun|Jul|Aug|Sept?|Oct|Nov|Dec|Monday|Tuesday|Wednesday|Thursday|"
    r"Friday|Saturday|Sunday|yesterday|today|tomorrow|(?:19|20)\d\d)\b"
)


_HOW_MUCH = re.compile(r"\bhow (?:many|much|old|long|soon|far|big|high)\b|\bpercent", re.I)
_WHICH = re.compile(
    r"\b(?:which|whose|where|what (?:is|was|are|were) (?:his|her|its|their) names?)\b", re.I
)


_FIGURE = re.compile(
    r"\d[\d,.]*\d|\d|\b(?:one|two|three|four|five|six|seven|eight|nine|ten|hundred|"
    r"thousand|million|billion|trillion|dozen)\b",
    re.IGNORECASE,
)


def _asks_when(question: str) -> bool:
    q = question.lower().lstrip()
    return q.startswith("when") or "what year" in q or "what date" in q or "what day" in q


# "later this month", "next week", "soon": when, in words that name no date.
_RELATIVE_TIME = re.compile(
    r"\b(?:(?:this|next|last|later this|earlier this|early next|late last)\s+"
    r"(?:week|weekend|month|year|spring|summer|fall|autumn|winter|season)|soon|tonight|"
    r"ago|since|until|by the end of)\b",
    re.I,
)


def answer_type_match(question: str, sentence: str) -> bool:
    """Whether the sentence holds the kind of thing asked for (a date, a figure, a name)
    beyond what the question itself says."""
    q = question.lower().lstrip()
    if _asks_when(question):
        found = [m.group().lower() for m in _DATE.finditer(sentence)]
    elif _HOW_MUCH.search(q):
        found = [m.group().lower().strip(".,") for m in _FIGURE.finditer(sentence)]
    elif q.startswith(("who ", "whom ")) or _WHICH.search(q):
        # A word with a capital (Colombia, NFL, iPhone) that is not a day or a month: a
        # name, or a sentence's first word. Whole words: the question's "Covid-19" is not
        # a new "Covid".
        words = _WORD.findall(sentence)
        found = [_word(w) for w in words if not _DATE.match(w) and any(c.isupper() for c in w)]
    else:
        return False
    known = term_set(question)
    return any(word.lower() not in STOPWORDS and stem(word) not in known for word in found)


_HOW_MANY = re.compile(r"\bhow many\s+(.*)", re.I)
_HOW_MUCH_AMOUNT = re.compile(r"\bhow much\b", re.I)
# "two million dollars", "three more weeks": an amount in words ("the two countries" is not).
_AMOUNT_IN_WORDS = re.compile(
    r"\b(?:a|one|two|three|four|five|six|seven|eight|nine|ten|a few|several|a dozen)\s+"
    r"(?:more\s+)?(?:hundred|thousand|million|billion|trillion|percent|dollars?|euros?|"
    r"pounds?|yen|hours?|days?|weeks?|months?|years?)\b",
    re.I,
)
COUNTED_WINDOW = 4  # words after a figure that may name what it counts
_NOT_COUNTED = STOPWORDS - {"week", "month", "year"}


def gives_what_is_asked(question: str, sentence: str) -> bool:
    """For "how much …?": whether the sentence has a figure in digits ($5, 60%, 2.9
    million) the question lacks, or an amount in words ("two million dollars"). For "how many X …?": whether a figure counts X, i.e. a
    word of X (up to three words after "how many", up to the first function word)
    follows the figure within COUNTED_WINDOW words. True for every other question."""
    if _asks_when(question):
        return answer_type_match(question, sentence) or bool(_RELATIVE_TIME.search(sentence))
    if _HOW_MUCH_AMOUNT.search(question):
        known = term_set(question)
        digits = any(
            ch.isdigit() for w in _WORD.findall(sentence) if stem(_word(w)) not in known for ch in w
        )
        return digits or bool(_AMOUNT_IN_WORDS.search(sentence))
    asked = _HOW_MANY.search(question)
    if not asked:
        return True
    counted: set[str] = set()
    for token in _WORD.findall(asked.group(1))[:3]:
        word = stem(_word(token))
        if word in _NOT_COUNTED:
            break
        counted.add(word)
    words = [stem(_word(w)) for w in _WORD.findall(sentence)]
    return any(
        (_FIGURE.fullmatch(word) or word[:1].isdigit())
        and counted & set(words[i + 1 : i + 1 + COUNTED_WINDOW])
        for i, word in enumerate(words)
    )
