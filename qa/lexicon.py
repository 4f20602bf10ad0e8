"""The words questions and news are read with: stop words, asking words, calendar names,
and the light stemming that matches a word's forms.

Every word list of `qa/` lives here, each named for the one job it does. Lists that
match stemmed terms are stored stemmed (`stem`).
"""

from __future__ import annotations

import calendar
import functools
import re

# Irregular verb forms questions and articles swap ("When did they meet?" / "they met").
IRREGULAR_FORMS = {
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
    """A light stem, enough to match 'meetings' with 'meeting' and 'countries' with 'country'.

    Example:
        >>> stem("Countries"), stem("met"), stem("news")
        ('country', 'meet', 'news')
    """
    word = word.lower().replace("’", "'").removesuffix("'s")
    if word in IRREGULAR_FORMS:
        return IRREGULAR_FORMS[word]
    for suffix, replacement in (("ies", "y"), ("sses", "ss"), ("es", "e"), ("s", "")):
        if len(word) > 4 and word.endswith(suffix) and not word.endswith("ss"):
            return word[: -len(suffix)] + replacement
    return word


def _stems(words: str) -> frozenset[str]:
    return frozenset(stem(word) for word in words.split())


# Words that carry no subject: articles, pronouns, auxiliaries, prepositions, question
# words. A sentence matching only these matches nothing.
FUNCTION_WORDS = frozenset(
    "a about after all also an and any are as at be been before being between but by can "
    "could did do does doing during each for from had has have having he her here hers him "
    "his how i if in into is it its just me more most my no nor not now of off on once only "
    "or other our out over own same she should so some such than that the their theirs them "
    "then there these they this those through to too under until up very was we were what "
    "when where which while who whom whose why will with would you your yours".split()
)
# Words about the news itself ("What did CNN report?", "the latest on …"): every story
# has them, so they tell no story apart.
NEWS_WORDS = frozenset(
    "tell said says say latest recent recently new news according report reported reports "
    "coverage".split()
)
# Periods, which filter the publication dates rather than match text (qa.timeframe).
PERIOD_WORDS = frozenset("week month year today".split())
STOPWORDS = FUNCTION_WORDS | NEWS_WORDS | PERIOD_WORDS

# "What happened to …?", "What is going on with …?": asking that something happened.
_HAPPENING = "happen happened happening going go"
# Words that say how a question asks, not what about: "What is the latest on …?", "What
# does … stand for?", "For what reason …?" ask about the names (stemmed).
ASKING_WORDS = _stems(
    f"{_HAPPENING} think know update updates announce announced announcement make made get "
    "mean means stand call called name named kind type sort reason result thing things "
    "anything something everything situation status story explain describe summarize "
    "summary detail details information"
)
# Words that ask for more of what was said and name nothing: "Tell me more", "What else?",
# "Can you elaborate?" (stemmed).
CONVERSATIONAL = _stems(
    "else explain elaborate expand continue go detail details mean come please thanks thank "
    "ok okay sure really true yes interesting"
)
# Words of a question that asks only what is in the news: "What happened this week?",
# "What are the top stories?" (stemmed; stop words count too).
DIGEST_WORDS = _stems(
    f"{_HAPPENING} headline headlines story stories top main big biggest tonight lately anything"
)

# Month numbers by lower-case name and abbreviation ("august", "aug"), from `calendar`.
MONTHS = {name.lower(): i for i, name in enumerate(calendar.month_name) if name} | {
    name.lower(): i for i, name in enumerate(calendar.month_abbr) if name
}
# Full month and day names, lower case: a question's "August" or "Monday" says when.
CALENDAR_NAMES = frozenset(
    name.lower() for name in (*calendar.day_name, *calendar.month_name) if name
)
# A date word as news writes it: a month, its abbreviation ("Sept" too), a weekday.
DATE_WORDS = "|".join(
    [
        *(name for name in calendar.month_name if name),
        *(re.escape(abbr) for abbr in calendar.month_abbr if abbr and abbr != "May"),
        "Sept",
        *calendar.day_name,
    ]
)
