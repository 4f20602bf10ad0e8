"""What kind of answer a question wants, and whether a sentence gives it.

"When" wants a date, "how many" a count, "which" and "who" a name, each beyond what the
question itself says. The answerer uses it as a prior (`answer_type_match`) and, for
"when", "how much" and "how many", as a gate (`gives_what_is_asked`): a sentence with no
count of troops does not answer "How many troops …?", however close its topic.
"""

from __future__ import annotations

import functools
import re

from qa.lexicon import DATE_WORDS, STOPWORDS, stem
from qa.scoring import SCORING, ScoringConfig
from qa.words import term_set, tokens

_DATE = re.compile(rf"\b(?:{DATE_WORDS}|yesterday|today|tomorrow|(?:19|20)\d\d)\b")


# A quantity asked by name: "What is the inflation rate?", "What was the death toll?",
# "What is the population of Mongolia?" want a figure, as "how much" does.
_NAMED_QUANTITY = (
    r"\bwhat(?:['’]s| is| was| are| were| will be) the (?:[\w-]+ ){0,3}(?:rate|prices?|cost|"
    r"number|toll|total|percentage|population|age|salary|score|amount|value|budget|"
    r"temperature|size|speed|distance|height|length)\b"
)
_ASKS_FIGURE = re.compile(
    rf"\bhow (?:many|much|old|long|soon|far|big|high)\b|\bpercent|{_NAMED_QUANTITY}", re.I
)
_WHICH = re.compile(
    r"\b(?:which|whose|where|what (?:is|was|are|were) (?:his|her|its|their) names?)\b", re.I
)


# "Who …?" opening the question or any of its sentences, or after a preposition or
# conjunction ("paving the way for who to advance", "but who features …"); not a relative
# "who" after a noun ("a coach who prayed").
_ASKS_WHO = re.compile(
    r"(?:^\s*|[.?!]\s+|\b(?:but|and|for|with|to|by|about|from|of|at|on)\s+)whom?\b", re.I
)


_FIGURE = re.compile(
    r"\d[\d,.]*\d|\d|\b(?:one|two|three|four|five|six|seven|eight|nine|ten|hundred|"
    r"thousand|million|billion|trillion|dozen)\b",
    re.IGNORECASE,
)


def _asks_when(question: str) -> bool:
    q = question.lower().lstrip()
    return q.startswith("when") or "what year" in q or "what date" in q or "what day" in q


# "later this month", "next week", "soon", "in autumn or later", "within weeks": when, in
# words that name no date.
_RELATIVE_TIME = re.compile(
    r"\b(?:(?:this|next|last|later this|earlier this|early next|late last)\s+"
    r"(?:week|weekend|month|year|spring|summer|fall|autumn|winter|season)|soon|tonight|"
    r"ago|since|until|by the end of|autumn|"
    r"(?:in|by|during|before|after)\s+(?:the\s+)?(?:(?:early|late|mid)[\s-]+)?"
    r"(?:spring|summer|fall|winter)|"
    r"in the coming (?:days|weeks|months|years)|"
    r"(?:in|within) (?:a|one|two|three|four|five|six|a few|several|\d+) "
    r"(?:hours?|days?|weeks?|months?|years?)|within (?:hours|days|weeks|months))\b",
    re.I,
)


def answer_type_match(
    question: str, sentence: str, common: frozenset[str] | set[str] = frozenset()
) -> bool:
    """Whether the sentence holds the kind of thing asked for (a date, a figure, a name)
    beyond what the question itself says. A sentence's capitalised first word is no name
    when `common` (words the coverage writes in lower case) holds it: "Sales of the
    processed cheese product …" names no product."""
    q = question.lower().lstrip()
    if _asks_when(question):
        found = [m.group().lower() for m in _DATE.finditer(sentence)]
    elif _ASKS_FIGURE.search(q):
        found = [m.group().lower().strip(".,") for m in _FIGURE.finditer(sentence)]
    elif _ASKS_WHO.search(question) or _WHICH.search(q):
        # A word with a capital (Colombia, NFL, iPhone) that is not a day or a month: a
        # name, or a sentence's first word. Whole words: the question's "Covid-19" is not
        # a new "Covid".
        words = tokens(sentence)
        if words and words[0].lower() in common:
            words = words[1:]
        found = [w for w in words if not _DATE.match(w) and any(c.isupper() for c in w)]
    else:
        return False
    known = _asked_terms(question)
    return any(word.lower() not in STOPWORDS and stem(word) not in known for word in found)


@functools.lru_cache(maxsize=256)  # one question, matched against each candidate sentence
def _asked_terms(question: str) -> frozenset[str]:
    return frozenset(term_set(question))


_HOW_MANY = re.compile(r"\bhow many\s+(.*)", re.I)
_HOW_MUCH = re.compile(rf"\bhow much\b|{_NAMED_QUANTITY}", re.I)
# "two million dollars", "three more weeks": an amount in words ("the two countries" is not).
_AMOUNT_IN_WORDS = re.compile(
    r"\b(?:a|one|two|three|four|five|six|seven|eight|nine|ten|a few|several|a dozen)\s+"
    r"(?:more\s+)?(?:hundred|thousand|million|billion|trillion|percent|dollars?|euros?|"
    r"pounds?|yen|hours?|days?|weeks?|months?|years?)\b",
    re.I,
)
_NOT_COUNTED = STOPWORDS - {"week", "month", "year"}


def gives_what_is_asked(question: str, sentence: str, scoring: ScoringConfig = SCORING) -> bool:
    """Whether the sentence gives what a "when", "how much" or "how many" question asks:
    - "when …?": a date or a time ("later this month");
    - "how much …?": a figure in digits ($5, 60%, 2.9 million) the question lacks, or an
      amount in words ("two million dollars");
    - "how many X …?": a figure that counts X, i.e. followed within counted_window words
      by a word of X, or its last part (up to three words after "how many", up to the
      first function word after one that is not).
    True for every other question: the evidence decides."""
    if _asks_when(question):
        return answer_type_match(question, sentence) or bool(_RELATIVE_TIME.search(sentence))
    if _HOW_MUCH.search(question):
        known = term_set(question)
        # A figure: "$5", "60%", "2.9 million"; not the digits of a name ("COVID-19", "G7").
        digits = any(w[:1].isdigit() for w in tokens(sentence) if stem(w) not in known)
        return digits or bool(_AMOUNT_IN_WORDS.search(sentence))
    asked = _HOW_MANY.search(question)
    if not asked:
        return True
    counted: set[str] = set()
    for token in tokens(asked.group(1))[:3]:
        word = stem(token)
        if word in _NOT_COUNTED:
            if counted:
                break
            continue  # "how many reported sightings": a word before the thing counted
        counted.add(word)
    words = [stem(w) for w in tokens(sentence)]
    return any(
        (_FIGURE.fullmatch(word) or word[:1].isdigit())
        and any(_counts(counted, w) for w in words[i + 1 : i + 1 + scoring.counted_window])
        for i, word in enumerate(words)
    )


def _counts(counted: set[str], word: str) -> bool:
    """Whether `word` names what is counted, or the last part of it ("420 fires" counts
    wildfires)."""
    return word in counted or (len(word) >= 4 and any(c.endswith(word) for c in counted))
