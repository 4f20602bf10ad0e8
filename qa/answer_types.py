"""What kind of answer a question wants, and whether a sentence gives it.

"When" wants a date, "how many" a count, "where" a place, "which" and "who" a name, each
beyond what the question itself says. The answerer uses it as a prior
(`answer_type_match`) and, for "when", "how much", "how many", "how old / far / big …",
"who", "where" and "why", as a gate (`gives_what_is_asked`): a sentence with no count of
troops does not answer "How many troops …?", however close its topic.
"""

from __future__ import annotations

import functools
import re
from dataclasses import dataclass

from qa.definitions import definition_subject
from qa.lexicon import DATE_WORDS, STOPWORDS, stem
from qa.scoring import SCORING, ScoringConfig
from qa.words import mentioned, term_set, tokens

DATE = re.compile(rf"\b(?:{DATE_WORDS}|yesterday|today|tomorrow|(?:19|20)\d\d)\b")


# What a question names its thing with: "the", "its", or an owner's name ("Freddie Mac's
# average rate", "the country's inflation rate").
_DETERMINER = r"(?:the|its|his|her|their|(?:the |[\w.&-]+ ){0,2}[\w.&-]+['’]s)"
# A quantity asked by name: "What is the inflation rate?", "What was the death toll?",
# "What is the population of Mongolia?" want a figure, as "how much" does.
_QUANTITIES = (
    "rate|prices?|cost|number|toll|total|percentage|population|age|salary|wages?|score|"
    "amount|value|budget|temperature|size|speed|distance|height|length"
)
_NAMED_QUANTITY = (
    rf"\bwhat(?:['’]s| is| was| are| were| will be) {_DETERMINER} (?:[\w-]+ ){{0,3}}"
    rf"(?:{_QUANTITIES})\b"
)
# "Up to what hourly minimum wage …?", "At what speed …?": a quantity as the "what" noun.
_WHAT_QUANTITY = (
    r"\bwhat (?:(?!(?:is|was|are|were|did|does|do|will|would|can|could|has|have|had)\b)"
    rf"[\w-]+ ){{0,3}}(?:{_QUANTITIES})\b"
)
_ASKS_FIGURE = re.compile(
    rf"\bhow (?:many|much|old|long|soon|far|big|high)\b|\bpercent|{_NAMED_QUANTITY}|"
    rf"{_WHAT_QUANTITY}",
    re.I,
)
_WHICH = re.compile(
    r"\b(?:which|whose|where|what (?:is|was|are|were) (?:his|her|its|their|the) names?)\b",
    re.I,
)


# "Who …?" opening the question or any of its sentences; not a relative "who" after a
# noun ("a coach who prayed").
_ASKS_WHO = re.compile(r"(?:^\s*|[.?!]\s+)whom?\b", re.I)


FIGURE = re.compile(
    r"\d[\d,.]*\d|\d|\b(?:one|two|three|four|five|six|seven|eight|nine|ten|hundred|"
    r"thousand|million|billion|trillion|dozen)\b",
    re.IGNORECASE,
)


# "When …?", "Until when …?", "In what year …?": a time is asked.
_WHEN = re.compile(
    r"^\s*(?:(?:until|till|since|by|from)\s+)?when\b|\bwhat (?:year|date|day)\b", re.I
)


def _asks_when(question: str) -> bool:
    return bool(_WHEN.search(question))


# "Until when …?" asks when something ends, "Since when …?" when it began. A time the
# sentence gives as the other end does not answer: "Starting Oct. 26, …" says when a test
# begins, not until when it runs.
_ASKS_END_OR_START = re.compile(r"^\s*(?:(until|till|by)|since|from)\s+when\b", re.I)
_TIME_AFTER = r"\s+(?:on\s+|in\s+|at\s+)?\S+(?:\s+\d[\d,]*)?(?:,?\s+\d{4})?"
_FROM_TIME = re.compile(
    rf"\b(?:starting|beginning|from|since|as of|effective|began|begins|started|starts|"
    rf"opened|opens|launched|launches){_TIME_AFTER}",
    re.I,
)
_UNTIL_TIME = re.compile(
    rf"\b(?:until|till|through|ending|ends|ended|expires|expired){_TIME_AFTER}",
    re.I,
)


def without_other_end(question: str, sentence: str) -> str:
    """The sentence with the times it gives as the other end of what an "until when" or
    "since when" question asks blanked out (same length, so spans keep their offsets)."""
    asked = _ASKS_END_OR_START.match(question)
    if not asked:
        return sentence
    other = _FROM_TIME if asked.group(1) else _UNTIL_TIME
    return other.sub(lambda m: " " * len(m.group()), sentence)


# "later this month", "next week", "soon", "in autumn or later", "within weeks": when, in
# words that name no date.
RELATIVE_TIME = re.compile(
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


# A place as news writes one: a name after a preposition of place ("landed in the Pacific
# Ocean", "at Joe's Service Center", "near West Memphis") or of travel ("flew to Taiwan",
# "when Kishida visits Mongolia").
LOCATIVE = (
    r"(?:in|at|near|outside|from|off|across|into|inside|on|to|towards?|"
    r"visit|visits|visited|visiting)"
)
# A side of it ("in southern Ghana") or what kind of place it is ("on the island of
# Kyushu", "in the city of Uvalde") may stand between.
_PLACE = re.compile(
    rf"\b{LOCATIVE}\s+(?:the\s+)?(?:(?:north|south|east|west|central)\w*\s+)?"
    r"(?:(?:island|city|town|village|state|province|region|county|district|port) of\s+)?"
    r"((?:[A-Z][\w'’.-]*(?:\s+|\b))+)"
)


def place_spans(sentence: str) -> list[tuple[int, int]]:
    """Where the sentence names a place (`_PLACE`): the span of each name ("Ashanti" in
    "from the southern Ashanti region", "Kyushu" in "on the island of Kyushu")."""
    return [match.span(1) for match in _PLACE.finditer(sentence)]


def said_place(word: str, known: frozenset[str] | set[str]) -> bool:
    """Whether a question's terms already say this place: its name, or its people's (a
    "Japanese island" says Japan, a "North Korean missile" North Korea)."""
    return any(mentioned(term, {stem(word)}) for term in known)


# "In which town …?", "At which venue …?": a place, asked without "where".
_WHICH_PLACE = re.compile(r"\s*(?:in|at|on|near|from)\s+(?:which|what)\b", re.I)


# A people's name says where as a place does: "one billion Chinese citizens".
_DEMONYMS = re.compile(r"\b[A-Z][a-z]{2,}(?:ese|ian|ean|ish)\b")


# "Where …?" opening the question or one of its sentences, or followed by its verb ("Amid
# warnings, where did Pelosi travel?"); not a relative "where" after a noun ("the
# day-care where a worker tested positive").
_ASKS_WHERE = re.compile(
    r"(?:^\s*|[.?!]\s+)where\b|"
    r"\bwhere\s+(?:is|are|was|were|do|does|did|will|would|can|could|has|have|had|should)\b",
    re.I,
)


def asks_place(question: str) -> bool:
    """Whether the question asks where: "Where …?", "In which town …?"."""
    return bool(_ASKS_WHERE.search(question) or _WHICH_PLACE.match(question))


def answer_type_match(
    question: str, sentence: str, common: frozenset[str] | set[str] = frozenset()
) -> bool:
    """Whether the sentence holds the kind of thing asked for (a date, a figure, a name)
    beyond what the question itself says. A sentence's capitalised first word is no name
    when `common` (words the coverage writes in lower case) holds it: "Sales of the
    processed cheese product …" names no product."""
    q = question.lower().lstrip()
    known = _asked_terms(question)
    if _asks_when(question):
        found = [m.group().lower() for m in DATE.finditer(sentence)]
    elif _ASKS_FIGURE.search(q):
        found = [m.group().lower().strip(".,") for m in FIGURE.finditer(sentence)]
    elif asks_place(question):
        # A place: a name after a preposition of place, not any name ("The Metropolitan
        # Police said she was found in Hampshire").
        found = [w for start, end in place_spans(sentence) for w in tokens(sentence[start:end])]
        found = [w for w in found if not DATE.match(w)] + _DEMONYMS.findall(sentence)
        # The question's "Japanese island" already says Japan.
        found = [w for w in found if not said_place(w, known)]
    elif _ASKS_WHO.search(question) or _WHICH.search(q):
        # A word with a capital (Colombia, NFL, iPhone) that is not a day, a month or a
        # number ("Ten people were injured …"): a name, or a sentence's first word. Whole
        # words: the question's "Covid-19" is not a new "Covid".
        words = tokens(sentence)
        if words and words[0].lower() in common:
            words = words[1:]
        found = [
            w
            for w in words
            if not DATE.match(w) and not FIGURE.fullmatch(w) and any(c.isupper() for c in w)
        ]
    else:
        return False
    return any(word.lower() not in STOPWORDS and stem(word) not in known for word in found)


@functools.lru_cache(maxsize=256)  # one question, matched against each candidate sentence
def _asked_terms(question: str) -> frozenset[str]:
    return frozenset(term_set(question))


_HOW_MANY = re.compile(r"\bhow many\s+(.*)", re.I)
_HOW_MUCH = re.compile(rf"\bhow much\b|{_NAMED_QUANTITY}|{_WHAT_QUANTITY}", re.I)
_NOT_COUNTED = STOPWORDS - {"week", "month", "year"}


def gives_what_is_asked(
    question: str,
    sentence: str,
    scoring: ScoringConfig = SCORING,
    common: frozenset[str] | set[str] = frozenset(),
) -> bool:
    """Whether the sentence gives what a "when", "how much" or "how many" question asks:
    - "when …?": a date or a time ("later this month"), not one the sentence gives as the
      other end of what "until when" / "since when" asks (`without_other_end`);
    - "where …?", "In which town …?": a place the question lacks (`answer_type_match`);
    - "why …?": a connective of cause or purpose, or a word naming one (CAUSE_GIVEN);
    - "how much …?": a figure in digits ($5, 60%, 2.9 million) the question lacks;
    - "how many X …?": a figure that counts X, i.e. followed within counted_window words
      by a word of X, or its last part (up to three words after "how many", up to the
      first function word after one that is not).
    - "who …?" (not "Who is X?"): a name the question lacks (`answer_type_match`);
    - "how much … cost / pay / worth …?": a sum of money ("$5", "£25m", "2 million dollars");
    - "how old / long / far / big / high / soon …?": a figure, in digits or words, the
      question lacks, or a time in words ("next week").
    A count, sum or figure of what happened ("How many Cubans voted …?") is not given
    by a figure given as expected ("millions of Cubans are expected to turn out",
    `_FORECAST_FIGURE`); a hedged cause or place ("may have been caused by ice") still is.
    True for every other question: the evidence decides."""
    kind = asked_fact(question).kind
    if kind == "person":
        return answer_type_match(question, sentence, common)
    if kind in ("count", "money", "figure") and _asks_what_happened(question):
        sentence = _FORECAST_FIGURE.sub(" ", sentence)
    if kind == "money":
        return gives_money(sentence, question)
    if _asks_when(question):
        sentence = without_other_end(question, sentence)
        return answer_type_match(question, sentence) or bool(RELATIVE_TIME.search(sentence))
    if asks_place(question):
        return answer_type_match(question, sentence, common)
    if kind == "cause" and question.lower().lstrip().startswith("why "):
        return bool(CAUSE_GIVEN.search(sentence))
    if _HOW_MUCH.search(question):
        known = term_set(question)
        # A figure: "$5", "60%", "2.9 million"; not the digits of a name ("COVID-19", "G7").
        digits = any(w[:1].isdigit() for w in tokens(sentence) if stem(w) not in known)
        return digits
    if not _HOW_MANY.search(question):
        return not _ASKS_FIGURE.search(question) or _gives_figure(question, sentence)
    counted = {stem(word) for word in counted_words(question)}
    after = counted_after_figures(sentence, scoring.counted_window)
    return any(_counts(counted, stem(word)) for words in after for word in words)


# A figure given as what is expected, not what happened: "millions of Cubans are expected
# to turn out", "is expected to raise $20 million", "could cost $1 billion" (the forecast
# with the few words before it, up to a comma or "and", and the few after it).
_FORECAST = r"(?:(?:expected|likely|set|projected|poised|forecast|predicted)\s+to|could|may|might)"
_FORECAST_FIGURE = re.compile(
    rf"(?:[^\s,;]+(?:\s+(?!and\b|but\b)[^\s,;]+){{0,2}}\s+(?:are|is|was|were)\s+)?"
    rf"\b{_FORECAST}(?:\s+\S+){{0,3}}",
    re.I,
)
_PAST_AUXILIARY = re.compile(r"\b(?:did|was|were)\b", re.I)


@functools.lru_cache(maxsize=256)  # one question, read for each candidate sentence it weighs
def _asks_what_happened(question: str) -> bool:
    """Whether the question asks what happened: a past auxiliary ("How much did it raise?",
    "How many were hurt?") or a past verb after what it counts ("How many Cubans voted?")."""
    return bool(_PAST_AUXILIARY.search(question)) or any(
        w.endswith("ed") for w in counted_words(question)[1:]
    )


def counted_words(question: str) -> list[str]:
    """What "how many X …?" counts, as the question writes it (`_counted_words`: "how
    many reported sightings", "how many Waffle House restaurants"); [] for other
    questions."""
    asked = _HOW_MANY.search(question)
    return _counted_words(asked.group(1)) if asked else []


def counted_after_figures(sentence: str, window: int) -> list[list[str]]:
    """For each figure of the sentence ("41", "five", "Millions"), the `window` words
    after it, where what it counts is written ("visited 41 nations", "laying off 862
    employees")."""
    return [after for _, after in figures_and_after(sentence, window)]


def figures_and_after(sentence: str, window: int) -> list[tuple[str, list[str]]]:
    """Each figure of the sentence, in digits or words, with the `window` words after it."""
    words = tokens(sentence)
    return [
        (word, words[i + 1 : i + 1 + window])
        for i, word in enumerate(words)
        if FIGURE.fullmatch(stem(word)) or word[:1].isdigit()
    ]


# A reason as news gives one: a connective of cause or purpose ("because", "in the wake
# of", "following", "over fire risks", "in a bid to", "while trying to") or a word that
# names one ("the reason", "prompted", "blamed"). "Why …?" is answered only by a sentence
# with one: "The test will first roll out in New Zealand" says where, not why. "Since" and
# "over" before a time ("since 1994", "over the past year") say when.
CAUSE_GIVEN = re.compile(
    r"\b(?:because|due to|owing to|thanks to|as a result|on account of|in the wake of|"
    rf"following|amid|since (?!\d|(?:{DATE_WORDS}|then|last|early|late)\b)|so that|so as to|"
    r"in order to|in an? (?:bid|effort|attempt) to|"
    r"(?:aim|aims|aimed|aiming|seeking|trying|meant|intended|designed) to|"
    r"for fear|out of|over (?!the\b|a\b|an\b|\d|past\b|last\b|next\b)|"
    r"reasons?|cause[sd]?|causing|why|motive|triggered|prompted|sparked|led to|leading to|"
    r"result(?:ed|s)? (?:from|of)|stem(?:s|med)? from|blamed|citing|cited|said it was)\b",
    re.I,
)


# "How much … cost / pay / spend / worth / charge …?": a sum of money is asked, not any figure.
_MONEY_ASKED = re.compile(
    r"\b(?:cost|costs|costing|spend|spends|spending|spent|pay|pays|paying|paid|worth|price|"
    r"prices|priced|fee|fees|earn|earns|earned|salary|wage|wages|budget|fined|"
    r"sell|sells|sold|buy|bought|bid|donate|donated|settlement|compensation|damages)\b",
    re.I,
)
# A sum of money as news writes it: "$1.337 billion", "£25m", "US$5", "40 euros".
MONEY = re.compile(
    r"(?:\b[A-Z]{1,3})?[$£€¥]\s?\d[\d,]*(?:\.\d+)?(?:\s?(?:hundred|thousand|million|billion|"
    r"trillion)\b|(?:m|bn|k|tn)\b)?|(?<![\w.,])\d[\d,.]*(?:\s(?:million|billion))?"
    r"\s(?:dollars|euros|pounds|yen|yuan|cents|rupees)\b"
)


@dataclass(frozen=True)
class AskedFact:
    """What a question asks for: the kind of thing, and how a reader would name it.

    `kind` is one of expansion, date, count, money, figure, person, place, name, cause,
    other;
    `phrase` names the asked thing for a reply ("how many children", "which bank", "the
    cause of death", "when"); `head` is its stemmed head noun when the question has one
    ("child", "bank", "cause")."""

    kind: str
    phrase: str
    head: str = ""


# "which countries …", "Which former Academy president signed …", "what brand name …": the
# words after "which" or "what" up to a function word, three at most, less a trailing verb.
_WHICH_RUN = re.compile(r"\b[Ww](?:hich|hat)\s+((?:[\w’'-]+\s*){1,4})")
# "What was the cause of death …", "What is the population of …": the noun asked about.
_THE_HEAD = re.compile(
    rf"\bwhat(?:['’]s| is| was| are| were| will be) {_DETERMINER} ((?:[\w-]+ ){{0,2}}?[\w-]+)"
    r"(?: of ([a-z][\w-]*))?(?= of\b| for\b| in\b| on\b| behind\b| to\b| that\b| did\b| does\b|"
    r" was\b| is\b|\?|,|$)",
    re.I,
)
# "How much in compensatory damages …", "How much aid did …": what the amount is of.
_MUCH_OF = re.compile(
    r"\bhow much (?:in |of )?((?:[a-z-]+ ){0,2}?[a-z-]+)(?= (?:did|does|do|is|was|are|were|will|"
    r"has|have|had|would|could|can|to)\b|\?|$)",
    re.I,
)
_MONEY_WORDS = frozenset("money cash dollar".split())
# "What does the plan cost?", "What will it pay?": a sum of money, asked without "how much".
_COSTS = re.compile(r"\bwhat (?:does|do|did|will|would)\b.*\b(?:cost|charge|pay|earn)\b", re.I)
# "Who is the CEO of Redfin?" asks for a name; "Who is Shinzo Abe?" asks what he is.
_WHO_IS_THE = re.compile(r"\s*who\s+(?:is|are|was|were)\s+the\b", re.I)
_CAUSE = re.compile(r"\b(?:why|cause|caused|reason|motive|because)\b", re.I)
# "What caused the crash?", "What led to the resignation?": a cause, asked without "why".
_WHAT_CAUSED = re.compile(r"\s*what\s+(?:caused|causes|led\s+to|leads\s+to|prompted|triggered)\b")
_NOT_HEADS = STOPWORDS | {"kind", "type", "sort", "name", "happen"}


@functools.lru_cache(maxsize=256)  # one question, read for each candidate sentence it weighs
def asked_fact(question: str) -> AskedFact:
    """The kind of thing a question asks for, and its head noun (see `AskedFact`).

    Example:
        >>> asked_fact("How many children may have been exposed?")
        AskedFact(kind='count', phrase='how many children', head='child')
    """
    q = " ".join(question.split())
    lower = q.lower()
    if when := _WHEN.search(q):
        asked = " ".join(when.group().lower().split())  # "until when"
        return AskedFact("date", asked if asked.endswith("when") else "when")
    how_many = _HOW_MANY.search(q)
    if how_many:
        counted = _counted_words(how_many.group(1))
        while len(counted) > 1 and _VERB_FORM.search(counted[-1]):
            counted.pop()
        head = stem(counted[-1].lower()) if counted else ""
        return AskedFact("count", " ".join(["how many", *counted]), head)
    if _COSTS.search(q):
        return AskedFact("money", "what it costs")
    if _HOW_MUCH.search(q) or _ASKS_FIGURE.search(lower):
        named = _THE_HEAD.search(q) or _MUCH_OF.search(q)
        how = _ASKS_FIGURE.search(lower)
        phrase = how.group() if how and how.group().startswith("how ") else "how much"
        head = ""
        if named:
            phrase = ("the " if named.re is _THE_HEAD else "how much ") + named.group(1)
            head = stem(named.group(1).split()[-1].lower())
        elif what := re.search(_WHAT_QUANTITY, lower):
            phrase, head = what.group(), stem(what.group().split()[-1])
        money = _HOW_MUCH.search(q) and (_MONEY_ASKED.search(q) or head in _MONEY_WORDS)
        if head in _MONEY_WORDS:
            head = ""
        return AskedFact("money" if money else "figure", phrase, head)
    if lower.startswith("why "):
        return AskedFact("cause", "why", "reason")
    if _WHAT_CAUSED.match(lower):
        return AskedFact("cause", "what caused it", "cause")
    named = _THE_HEAD.search(q)
    the = ""
    if named:
        the = f"the {named.group(1)}" + (f" of {named.group(2)}" if named.group(2) else "")
    if named and _CAUSE.search(named.group(1)):
        return AskedFact("cause", the, "cause")
    if named and named.group(1).lower() in ("name", "names"):
        return AskedFact("name", the)
    subject = definition_subject(q)
    if subject and not _WHO_IS_THE.match(q):
        return AskedFact("expansion", f"{lower.split()[0]} {subject} is")
    if _ASKS_WHERE.search(q):
        return AskedFact("place", "where")
    which = _which_words(q)
    if which:
        return AskedFact("name", "which " + " ".join(which), stem(which[-1].lower()))
    if _ASKS_WHO.search(q):
        return AskedFact("person", "who")
    if named and stem(named.group(1).split()[-1].lower()) not in _NOT_HEADS:
        return AskedFact("other", the, stem(named.group(1).split()[-1].lower()))
    return AskedFact("other", "what you asked")


def _which_words(question: str) -> list[str]:
    """The noun phrase after "which" or "what" ("countries", "former Academy president",
    "brand"): up to the first function word or verb ("pitched", "made") or through an
    owner ("Which MLB team's owner …?" asks for a team), three words at most, without a
    trailing adverb ("first") or a word that only says it is a name ("brand name")."""
    match = _WHICH_RUN.search(question)
    if not match:
        return []
    words: list[str] = []
    for word in match.group(1).split():
        verb = bool(words) and bool(_VERB_FORM.search(word))  # "which starter pitched six …"
        if word.lower() in STOPWORDS or word.lower() in _MODALS or verb:
            break
        owner = POSSESSIVE.sub("", word)  # "Which MLB team's owner …?" asks for a team
        words.append(owner)
        if owner != word:
            break
    words = words[:3]
    while words and (
        _VERB_FORM.search(words[-1])
        or stem(words[-1].lower()) in _NOT_HEADS
        or words[-1].lower() in _ADVERBS
    ):
        words.pop()
    return words


_MODALS = frozenset("may might must shall".split())
# A word's possessive ending: "team's", "countries’".
POSSESSIVE = re.compile(r"['’]s?$")
# Between the asked noun and its verb: "Which astronomer first spotted …", "Which company
# also makes …".
_ADVERBS = frozenset("first last also once just still already later recently initially".split())
_VERB_FORM = re.compile(r"^[a-z]+ed$|^(?:made|wrote|won|took|gave|led|sold|bought|said|told)$")


def _counted_words(text: str) -> list[str]:
    """The words after "how many" that name what is counted: up to three, up to the first
    function word after one that is not ("children" in "children may have been …"); a
    function word before them is skipped ("how many reported sightings")."""
    counted: list[str] = []
    for token in tokens(text)[:3]:
        if stem(token) in _NOT_COUNTED or token.lower() in _MODALS:
            if counted:
                break
            continue
        counted.append(token)
    return counted


_AUXILIARY = frozenset("is are was were be been being have has had".split())


@functools.lru_cache(maxsize=256)  # one question, read for each candidate sentence it weighs
def counted_event(question: str) -> str:
    """What happened to the things a "how many" question counts, when it says so right
    after them: "died" in "How many people have died …?", "hospitalized" in "How many
    people were hospitalized …?". A count of people is a count of what happened to them:
    "892 people sickened" does not say how many died. Empty when the counted noun is not
    the subject ("How many countries did she visit?") or nothing follows it.

    Example:
        >>> counted_event("How many people have died in the outbreak?")
        'died'
    """
    asked = _HOW_MANY.search(question)
    counted = counted_words(question)
    if not asked or not counted:
        return ""
    words = tokens(asked.group(1))
    after = words[words.index(counted[-1]) + 1 :]
    while after and after[0].lower() in _AUXILIARY:
        after = after[1:]
    if after and after[0].islower() and after[0] not in STOPWORDS | _MODALS:
        return after[0]
    return ""


# Obituaries and profiles give many times and places; "When was X born?", "Where did X
# die?" and "How old was X when she died?" are answered by the birth's or the death's.
_LIFE_EVENT = re.compile(r"\b(born|died|die|dies)\b", re.I)


@functools.lru_cache(maxsize=256)  # one question, read for each candidate sentence it weighs
def asked_event(question: str) -> str:
    """What the answering sentence must say happened: the counted event of a "how many"
    question (`counted_event`), or a birth or a death asked "when", "where" or "how old".

    Example:
        >>> asked_event("Where did Jerry Lee Lewis die?")
        'die'
    """
    event = counted_event(question)
    if event or not (_asks_when(question) or asks_place(question) or "how old" in question.lower()):
        return event
    life = _LIFE_EVENT.search(question)
    return life.group(1).lower() if life else ""


def _gives_figure(question: str, sentence: str) -> bool:
    """Whether the sentence has a figure, in digits or words, the question lacks, or a
    time in words: "How old …?" is answered by "17" or "seventeen", "How far …?" by "620
    miles", "How soon …?" by "as early as next week"."""
    known = _asked_terms(question)
    return bool(RELATIVE_TIME.search(sentence)) or any(
        (word[:1].isdigit() or FIGURE.fullmatch(word)) and stem(word) not in known
        for word in tokens(sentence)
    )


def gives_money(sentence: str, question: str = "") -> bool:
    """Whether the sentence states a sum of money ("$5", "£25m", "2 million dollars")
    other than those the question states: "How much of the $18.5 million settlement will
    Connecticut receive?" is not answered by "Target will pay an $18.5 million
    settlement"."""
    known = _asked_terms(question)
    return any(
        not all(stem(w) in known for w in tokens(m.group()) if w[:1].isdigit())
        for m in MONEY.finditer(sentence)
    )


def _counts(counted: set[str], word: str) -> bool:
    """Whether `word` names what is counted, or the last part of it ("420 fires" counts
    wildfires)."""
    return word in counted or (len(word) >= 4 and any(c.endswith(word) for c in counted))
