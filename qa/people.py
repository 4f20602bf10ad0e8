"""People's names in news text, told apart from other names by how news writes them.

News names a person in full once ("Cristian Javier", "Sen. Jim Inhofe") and by surname
alone after that ("Javier threw …"); a team or an institution is written after "the"
("the Astros", "The Denver Broncos"), or its last word is a common word the coverage
also writes in lower case ("the House", "a house"). So a name's last word is a surname
when the coverage also writes it alone, never after "the" and never in lower case.
"""

from __future__ import annotations

import re
from collections.abc import Iterable

from qa.answer_types import DATE, POSSESSIVE, asked_fact
from qa.lexicon import FUNCTION_WORDS, stem

# A run of capitalised words, an initial or an honorific's full stop inside it ("Sen. Jim
# Inhofe", "J. K. Rowling", "Krisztián Sarneczky").
_RUN = re.compile(r"(?<![\w'’-])[A-Z][\w'’-]*\.?(?:\s+[A-Z][\w'’-]*\.?)*")


def _words(run: str) -> list[str]:
    return [POSSESSIVE.sub("", word).rstrip(".") for word in run.split()]


def surnames(texts: Iterable[str], common: set[str] | frozenset[str]) -> frozenset[str]:
    """The words the texts use as people's surnames: the last word of a full name (not
    after a function word) that is also written alone, never after "the" and never in
    lower case (`common`), nor an acronym, a day or a month.

    Example:
        >>> sorted(surnames(["Houston starter Cristian Javier threw six innings. Javier "
        ...                  "and Houston's bullpen won."], set()))
        ['Javier']
    """
    runs: list[list[str]] = []
    things: set[str] = set()  # "the Astros", "The Denver Broncos": a team, a thing
    for text in texts:
        for match in _RUN.finditer(text):
            run = _words(match.group())
            if run[0] == "The" or text[: match.start()].endswith(("the ", "The ")):
                things.add(run[-1])
            runs.append(run)
    alone = {run[0] for run in runs if len(run) == 1}
    return frozenset(
        run[-1]
        for run in runs
        if len(run) > 1
        and run[-1] in alone
        and run[-1] not in things
        and run[-2].lower() not in FUNCTION_WORDS
        and run[-1].lower() not in common
        and len(run[-1]) > 1
        and not run[-1].isupper()  # "CNN", "NATO": an acronym names no person
        and not DATE.fullmatch(run[-1])  # "Sunday", "March": a day or a month
    )


def names_new_person(sentence: str, people: frozenset[str], known: set[str]) -> bool:
    """Whether the sentence names a person (by a surname in `people`) whom the question's
    stemmed words (`known`) do not name."""
    return any(
        (last := _words(match.group())[-1]) in people and stem(last) not in known
        for match in _RUN.finditer(sentence)
    )


def asks_person(question: str, texts: Iterable[str], people: frozenset[str]) -> bool:
    """Whether the question asks for a person: "who …?", or "which N …?" where the texts
    write N right before or after a person's name, as news writes a role ("Which
    astronomer …?": "Hungarian astronomer Krisztián Sarneczky"; "Which starter …?":
    "Cristian Javier, the Astros starter"). "Which bank …?" asks for a bank, whoever the
    story names.

    Example:
        >>> asks_person("Which astronomer spotted it?", ["astronomer Ann Lee found it. Lee "
        ...             "said so."], frozenset({"Lee"}))
        True
    """
    asked = asked_fact(question)
    if asked.kind == "person":
        return True
    role = asked.phrase.split()[-1] if asked.kind == "name" and asked.head else ""
    if not role or not people:
        return False
    # The role right before the name ("astronomer Krisztián Sarneczky", "Associate Justice
    # Neil Gorsuch") or after it, and not its owner: "Park Superintendent Cam Sholly" and
    # "Cam Sholly, the park's superintendent" name a superintendent, not a park.
    said = re.compile(rf"{re.escape(role.lower())}s?")
    after = re.compile(
        rf"({_RUN.pattern}),\s+(?:(?:the|a|an|its|their)\s+)?(?:\S+\s+){{0,3}}?"
        rf"(?i:{re.escape(role)})s?\b(?!['’])"
    )
    for text in texts:
        for match in _RUN.finditer(text):
            words = _words(match.group())
            ahead = text[: match.start()].split()[-1:]  # the word before the run
            titles = [*ahead, *words[-3:-1]]
            if words[-1] in people and any(said.fullmatch(t.lower()) for t in titles):
                return True
        if any(_words(m.group(1))[-1] in people for m in after.finditer(text)):
            return True
    return False
