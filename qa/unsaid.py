"""Sentences that say the asked fact is not known: news text's own near-miss marker.

Reporters say what they could not learn: "Most of the passengers paid an undisclosed
sum", "Officials did not say how many children might have been exposed", "It is unclear
who will be looking after Candy and Lissy", "The autopsy did not reveal the cause of
death", "shut … until further notice". Such a sentence, in the story that answers best,
tells the reader the coverage does not give the fact, so the gate refuses and quotes it.

The sentence counts only when what it says is unknown is what the question asks: the
marker's clause names the question's head noun ("how many children", "the other countries",
"the cause"), or, for a question without one, its "how" word ("how much", "how long") or
a word naming that kind of fact ("sum" for a price, "who", "reason" for a "why",
"further notice" for a "when"). A reason is named by any of its nouns: "No explanation
was given" leaves a "why" unanswered.

A fact still being established is not known either: "the NTSB was investigating the
cause of the crash", "the costs would only be known afterwards", "for some reason we
can't technically confirm".
"""

from __future__ import annotations

import re

from qa.answer_types import AskedFact
from qa.lexicon import stem
from qa.words import term_set

# "did not say", "didn't disclose", "has not yet released", "declined to identify", "is
# unclear", "remains unknown", "undisclosed", "until further notice", "not made public".
_UNSAID = re.compile(
    r"\b(?:undisclosed|unidentified|unnamed|"
    r"(?:(?:did|does|do|would|could|can|ca|wo|will|has|have|had|was|were|is|are)(?:\s+not|n['’]t)|"
    r"cannot)"
    r"(?:\s+(?:yet|immediately|not|publicly|officially|technically))*\s+(?:been\s+)?(?:say|"
    r"said|disclose|disclosed|reveal|revealed|identify|identified|specify|specified|name|"
    r"named|release|released|confirm|confirmed|give|given|provide|provided|determine|"
    r"determined|announce|announced|explain|explained|know|known|clear|available|made\s+public)|"
    # Still being established: under investigation, known only later.
    r"(?:is|are|was|were)\s+(?:still\s+)?investigating|under\s+investigation|"
    r"(?:will|would)\s+only\s+be\s+known|"
    r"(?:declined|refused|failed)\s+to\s+(?:say|disclose|reveal|identify|specify|name|"
    r"release|confirm|give|provide|comment\s+on)|"
    r"(?:is|was|are|were|remains?|remained|it['’]s|still)\s+(?:still\s+|also\s+)?"
    r"(?:unclear|unknown|undetermined|not\s+(?:yet\s+)?(?:known|clear))|"
    r"until\s+further\s+notice|"
    # "No explanation was given", "no cause has been determined".
    r"no\s+(?:\w+\s+)?(?:was|were|has\s+been|have\s+been|had\s+been)\s+(?:given|provided|"
    r"offered|released|disclosed|determined|announced))\b",
    re.I,
)

# Words naming each kind of fact, as a sentence that withholds it writes it (stemmed).
_KIND_WORDS: dict[str, frozenset[str]] = {
    "money": frozenset(
        map(stem, "sum amount price cost fee term terms figure value discount".split())
    ),
    "figure": frozenset(map(stem, "amount figure number rate level".split())),
    "count": frozenset(map(stem, "number".split())),
    "date": frozenset(map(stem, "when date time timing notice".split())),
    "person": frozenset(map(stem, "who name identity identify identified".split())),
    "place": frozenset(map(stem, "where location site".split())),
    "name": frozenset(map(stem, "which name identify identified".split())),
    "cause": frozenset(map(stem, "why cause reason motive explanation".split())),
}
# A reason, a cause, a motive, an explanation: one asked thing, in any of its nouns.
_CAUSE_NOUNS = _KIND_WORDS["cause"] - {"why"}


def says_unsaid(asked: AskedFact, sentence: str, place: bool = False) -> bool:
    """Whether the sentence says the asked fact is not known (see the module docstring);
    `place`: the question asks where ("At which plant …?"), which "did not say where"
    withholds whatever the head noun.

    Example:
        >>> says_unsaid(asked_fact("How many children were exposed?"),
        ...             "Officials did not say how many children might have been exposed.")
        True
    """
    if asked.kind in ("expansion", "other") and not asked.head:
        return False
    wanted = {asked.head} if asked.head else set(_KIND_WORDS.get(asked.kind, ()))
    if asked.head in _CAUSE_NOUNS:
        wanted |= _CAUSE_NOUNS
    if place:
        wanted.add("where")
    if not asked.head and asked.phrase.startswith("how "):
        wanted.add(stem(asked.phrase.split()[1]))  # "how long", "how much": that word
    return any(
        _UNSAID.search(clause) and term_set(clause) & wanted for clause in _CLAUSE.split(sentence)
    )


# Clauses: what one says is unknown is not what the next reports ("Police did not say how
# many were hurt, but 12 people died").
_CLAUSE = re.compile(r"[,;:]\s|\s[-–—]\s|\s(?:but|while|whereas|although)\s")
