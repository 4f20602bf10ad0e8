"""The short answer inside a quoted sentence: the words of it the question asks for.

The answerer quotes a whole sentence; `short_answer` picks out of it, verbatim, the span
the question points at: the long form for "What does X stand for?", the date for "when",
the figure with what it counts for "how many", the amount with its currency or unit for
"how much", the name for "who", "which" and "where". "Why", "how", yes/no and other
questions have no such span, nor has a sentence that lacks one: both get None.
"""

from __future__ import annotations

import re

from qa.answer_types import (
    DATE,
    FIGURE,
    MONEY,
    RELATIVE_TIME,
    AskedFact,
    asked_fact,
    asks_place,
    place_spans,
    said_place,
    without_other_end,
)
from qa.definitions import KNOWN_AS, definition_subject
from qa.lexicon import CALENDAR_NAMES, FUNCTION_WORDS, MONTHS, STOPWORDS, _stems, stem
from qa.words import named_terms, term_set, tokens

Span = tuple[int, int]

# A month's day and year ("June 5, 2022", "Aug. 9") or year ("June 2022"); "three years
# ago" (a bare "ago", "since" or "until" says no when).
_DAY_YEAR = re.compile(
    r"\.?\s+(?:(\d{1,2})(?:st|nd|rd|th)?\b(?:,?\s+(?:19|20)\d\d)?|(?:19|20)\d\d)\b"
)
_AGO = re.compile(r"\b(?:\d+|an?|a few|several|\w+) (?:hour|day|week|month|year|decade)s? ago\b")
_OPEN_ENDED = {"ago", "since", "until", "by the end of"}

# A percentage ("1.25%", "60 percent"), what an amount is for ("a month", "each"), the
# words that scale a figure ("two million").
_PERCENT = re.compile(r"(?<![\w.,])\d[\d,.]*\s?(?:%|percent\b|per cent\b|percentage points?\b)")
_PER = re.compile(r"\s+(?:(?:a|an|per)\s+(?:hour|day|week|month|year|share|person)|each)\b")
_SCALE = re.compile(r"(?:[\s-]+(?:hundred|thousand|million|billion|trillion))+", re.I)
_WORD_SPAN = re.compile(r"\S+")
_POSSESSIVE = re.compile(r"['’]s$")
_NEXT_WORDS = re.compile(r"(?:\s+[A-Za-z][\w'’-]*){0,3}")
# A question about money, and one about a rate or a change (stemmed words).
_PERCENT_WORDS = _stems("percent percentage rate share rise fall increase grow drop decline")

# A name: capitalised words ("Winston-Salem", "U.S.", "iPhone"), with "of", "de", "the" …
# only between two of them ("Bank of England").
_CAPITAL = r"(?:[A-Z]\.)+|(?:[A-Z]|[a-z]+[A-Z])[\w'’-]*"
_CONNECTED = rf"(?:\s+(?:(?:of|de|la|von|van|the|and)\s+){{0,2}}(?:{_CAPITAL}))*"
_NAME = re.compile(rf"(?<![\w'’-])(?:{_CAPITAL}){_CONNECTED}")


def short_answer(
    question: str, sentence: str, definition: str = "", counted_as: str = ""
) -> str | None:
    """The span of `sentence` that answers `question`, verbatim, or None; `counted_as` is
    the sentence's word for what "how many" counts when it is not the question's.

    Example:
        >>> short_answer("Who did police arrest?", "Police arrested Tetsuya Yamagami.")
        'Tetsuya Yamagami'
    """
    if definition and (long := _long_form(question, sentence, definition)):
        return long
    known = term_set(question)
    asked = asked_fact(question)
    span: Span | None = None
    if asked.kind == "date":
        span = _date(without_other_end(question, sentence), known)
    elif asked.kind == "count":
        span = _qualified(question, sentence, _count(asked, sentence, known, counted_as))
    elif asked.kind in ("money", "figure"):
        amount = _amount(sentence, known, money_first=asked.kind == "money")
        span = _qualified(question, sentence, amount)
    elif asked.kind in ("person", "place", "name"):
        place = asks_place(question)
        person = asked.kind == "person"
        span = _name(sentence, known, set(named_terms(question)), place, person)
    return sentence[span[0] : span[1]] if span else None


def _long_form(question: str, sentence: str, definition: str) -> str | None:
    """Definition: the longest opening of what follows "X is" that the sentence holds (the
    long form, "Official Security Assistance"); when the sentence is itself the definition,
    what "X is a …" or "X, the …" says X is, up to a comma."""
    subject = re.escape(definition_subject(question) or "")
    if definition.strip() == sentence.strip():
        copula = r"(?:,\s+(?:which|who)\s+(?:is|are|was|were)|\s+(?:is|are|was|were)|,)"
        said = re.search(rf"\b{subject}{copula}\s+((?:an?|the)\b[^,;]*?)\.?(?:[,;]|\s*$)", sentence)
        # "prosopagnosia, otherwise known as face blindness, …": the other name.
        named = re.search(rf"\b{subject},\s+{KNOWN_AS}\s+([^,;]*?)\.?(?:[,;]|\s*$)", sentence)
        said = said or named
        return said.group(1) if said and subject else None
    body = re.sub(rf"^\s*{subject or '.+?'}\s+is\s+", "", definition)
    words = body.split(": ")[0].split()  # "X is Long: the sentence", when X comes first
    parts = (" ".join(words[:n]).rstrip(".,;") for n in range(len(words), 0, -1))
    return next((part for part in parts if part and part in sentence), None)


def _in_question(text: str, known: set[str]) -> bool:
    return all(stem(word) in known for word in tokens(text))


def _date(sentence: str, known: set[str]) -> Span | None:
    """When: a month's day and year, a weekday, a month, a year, "yesterday", or a relative
    time ("later this month", "three years ago"); the most precise one the question lacks.
    A month's abbreviation alone ("Mar-a-Lago") is no date, nor is "May" alone."""
    found: list[tuple[int, int, int]] = []  # (precision, start, end)
    for match in DATE.finditer(sentence):
        (start, end), word = match.span(), match.group()
        month = word.lower() in MONTHS or word.lower() == "sept"  # "Oct.", "Sept."
        rest = _DAY_YEAR.match(sentence, end) if month else None
        if rest:
            found.append((0 if rest.group(1) else 1, start, rest.end()))
        elif word.lower() in CALENDAR_NAMES - {"may"} or not word[0].isupper():
            found.append((1, start, end))
    relative = [*_AGO.finditer(sentence), *RELATIVE_TIME.finditer(sentence)]
    found += [(2, *m.span()) for m in relative if m.group().lower() not in _OPEN_ENDED]
    found.sort(key=lambda f: (_in_question(sentence[f[1] : f[2]], known), f[0], f[1]))
    return (found[0][1], found[0][2]) if found else None


# What news puts before a figure it does not know exactly: "nearly $25 billion", "more
# than 87,000", "at least 32", "up to $22 an hour". It is part of the fact.
_QUALIFIER = re.compile(
    r"(?<![\w-])(?:nearly|almost|about|around|roughly|approximately|some|over|under|more than|less than|"
    r"fewer than|at least|at most|up to|as (?:many|much|few|little) as|an estimated|"
    r"upwards? of)\s+$",
    re.I,
)


# "About how many …?", "Up to what wage …?": the question already says it is rough, or a
# bound.
_ROUGHLY = re.compile(
    r"\b(?:about|approximately|roughly|around|nearly|almost|up to|at least|at most|more than)"
    r"\s+(?:how|what)\b",
    re.I,
)


def _qualified(question: str, sentence: str, span: Span | None) -> Span | None:
    """The figure's span with the word that qualifies it ("nearly", "more than"), unless
    the question asks for a rough figure itself."""
    if span is None or _ROUGHLY.search(question):
        return span
    qualifier = _QUALIFIER.search(sentence, 0, span[0])
    return (qualifier.start(), span[1]) if qualifier else span


def _figures(sentence: str) -> list[Span]:
    """Figures in digits or words with the words that scale them ("2.9 million"), a part
    with its whole ("411 of 650"); not the digits of a name ("COVID-19", "G7") nor of
    money or a percentage."""
    spans: list[Span] = []
    for match in FIGURE.finditer(sentence):
        start, end = match.span()
        if spans and start < spans[-1][1] or re.match(r"[\w$£€¥.,-]", sentence[start - 1 : start]):
            continue
        if not _PERCENT.match(sentence, start):
            end = scale.end() if (scale := _SCALE.match(sentence, end)) else end
            between = sentence[spans[-1][1] : start] if spans else ""
            if re.fullmatch(r"\s+(?:out\s+)?of\s+", between):  # "411 of 650": part of a whole
                spans[-1] = (spans[-1][0], end)
            else:
                spans.append((start, end))
    return spans


def _count(asked: AskedFact, sentence: str, known: set[str], counted_as: str = "") -> Span | None:
    """How many: a figure the question lacks, with up to three words after it through the
    noun counted ("three first-round picks"), else through the first plural ("862
    employees"), else through the next word that is no function word, else alone."""
    counted = {stem(w) for w in tokens(asked.phrase)[2:]} - STOPWORDS  # after "how many"
    counted |= {stem(counted_as)} if counted_as else set()
    best: tuple[int, int, int] | None = None  # (rank, start, end)
    for start, end in _figures(sentence):
        if _in_question(sentence[start:end], known):
            continue
        rank, stop, tail = 3, end, _NEXT_WORDS.match(sentence, end)
        for word in _WORD_SPAN.finditer(tail.group() if tail else ""):
            term, text = stem(word.group()), word.group()
            if text.lower() in FUNCTION_WORDS:
                break
            if term in counted or any(len(term) >= 4 and c.endswith(term) for c in counted):
                rank, stop = 0, end + word.end()  # "420 fires" counts wildfires
            elif text.endswith("s") or rank == 3:
                rank, stop = (1 if text.endswith("s") else 2), end + word.end()
            if rank < 2:
                break
        if best is None or rank < best[0]:
            best = (rank, start, stop)
    return (best[1], best[2]) if best else None


def _amount(sentence: str, known: set[str], money_first: bool) -> Span | None:
    """How much: money ("$15.49 a month", "£25m"), a percentage ("1.25%"), else a figure
    with its unit ("3.3 million people"); one the question lacks, the kind it is about
    first (a percentage for a rate or a change, money for a cost, a price or pay)."""
    money = [m.span() for m in MONEY.finditer(sentence)]
    percent = [m.span() for m in _PERCENT.finditer(sentence)]
    other = []
    for start, end in _figures(sentence):
        unit = re.match(r"\s+([a-z][\w-]*)", sentence[end:])
        if not any(s <= start < e for s, e in money + percent):
            other.append((start, end + unit.end() if unit and unit[1] not in STOPWORDS else end))
    first = money if money_first else percent if known & _PERCENT_WORDS else []
    for start, end in sorted(first) + sorted(money + percent + other):
        if not _in_question(sentence[start:end], known):
            per = _PER.match(sentence, end)
            return start, per.end() if per else end
    return None


def _plain(word: str, known: set[str], dates: bool = True, joined: bool = False) -> bool:
    """A word at a name's edge that names nothing new: a function word (not an acronym: the
    WHO), a day or a month (with `dates`: "On Tuesday", not "Theresa May"), the question's
    word unless "of", "the" … join it to the name ("Redfin CEO", not "Bank of England")."""
    text = _POSSESSIVE.sub("", word).rstrip(".")
    function = text.lower() in FUNCTION_WORDS and not (len(text) > 1 and text.isupper())
    asked = stem(text) in known and not joined
    return function or asked or dates and bool(DATE.fullmatch(text))


def _joined(neighbour: list[re.Match[str]]) -> bool:
    return bool(neighbour) and neighbour[0].group().islower()


def _after_title(
    words: list[re.Match[str]], content: set[str], person: bool
) -> list[re.Match[str]]:
    """A name without the title the question asks by ("Associate Justice Neil Gorsuch" for
    "Which justice …?": two capitalised words at least after the question's word); for a
    person, without the place after "of" ("Laura Spears of Oakland County")."""
    texts = [w.group() for w in words]
    stems = [stem(_POSSESSIVE.sub("", text).rstrip(".")) for text in texts]
    asked = [i for i, term in enumerate(stems[:-2]) if term in content]
    if asked and all(text[:1].isupper() for text in texts[asked[-1] + 1 :]):
        words, texts = words[asked[-1] + 1 :], texts[asked[-1] + 1 :]
    if person and "of" in texts[2:]:
        words = words[: texts.index("of", 2)]
    return words


def _name(
    sentence: str, known: set[str], names: set[str], place: bool = False, person: bool = False
) -> Span | None:
    """Who, which, where: a name with a word the question lacks, without the question's
    words, function words and dates at its edges; the first one written beside a word of
    the question (an apposition: "Mongolian President Ukhnaa Khurelsukh" for "Who is the
    president of Mongolia?", "the US Air Force Utah Test and Training Range" for "Where
    in Utah …?"), else the first, without the title the question asks by ("Ukhnaa
    Khurelsukh"). A name that ends with one of the question's names is the question's
    subject ("Prime Minister Fumio Kishida" for "Who will Kishida meet?"), not its answer. A
    sentence's first word alone is no name when it is common (a stop word, or written in
    lower case elsewhere). For "where", a place the answer types find first (`place_spans`:
    "found in Hampshire", not "The Metropolitan Police"; "from the southern Ashanti
    region"), not one the question says ("from North Korea" for "the North Korean
    missile")."""
    lower = set(re.findall(r"\b[a-z][\w'’-]*", sentence))
    content = known - STOPWORDS
    found: list[tuple[bool, Span]] = []
    for match in _NAME.finditer(sentence):
        words = list(_WORD_SPAN.finditer(match.group()))
        stems = [stem(_POSSESSIVE.sub("", w.group()).rstrip(".")) for w in words]
        if stems and stems[-1] in names:
            continue
        beside = any(s in content for s in stems)
        while words and _plain(words[0].group(), known, True, _joined(words[1:2])):
            words.pop(0)
        while words and _plain(words[-1].group(), known, False, _joined(words[-2:-1])):
            words.pop()
        words = _after_title(words, content, person)
        if not words:
            continue
        start, end = match.start() + words[0].start(), match.start() + words[-1].end()
        word = sentence[start:end].lower()
        opening = not sentence[:start].strip(" \"'“‘(")
        if len(words) == 1 and opening and (word in STOPWORDS or word in lower):
            continue
        found.append((beside, (start, end - (2 if _POSSESSIVE.search(word) else 0))))
    if place:
        places = place_spans(sentence)
        found = [
            (beside, (start, end))
            for beside, (start, end) in found
            if any(s <= start < e for s, e in places)
            and not all(said_place(w, known) for w in tokens(sentence[start:end]))
        ] or found
    return next((span for beside, span in found if beside), found[0][1] if found else None)
