"""Definitions: "What is X?" and "What does X stand for?" answered by the sentence that
defines X ("X is a …" with X opening it, "X, which …", "X, the …", "X, otherwise known
as …", or an abbreviation beside its long form, found by the Schwartz–Hearst algorithm:
`qa.abbreviations`)."""

from __future__ import annotations

import re

from qa.abbreviations import abbreviations

# "What is X?", "Who were the X?", "What does X stand for?", "What did X mean?", each
# perhaps with the context a reader adds after a comma ("What does JET stand for, the
# tokamak near Oxford …?").
_DEFINITION_Q = re.compile(
    r"(?i)^\s*(?:what|who)\s+(?:is|are|was|were)\s+(?:an?\s+|the\s+)?(?P<x>[^,?]+?)"
    r"\s*(?:,[^?]*)?\??\s*$"
    r"|^\s*what\s+(?:does|do|did)\s+(?P<y>[^,?]+?)\s+(?:stand\s+for|mean)\s*(?:,[^?]*)?\??\s*$"
)
# A question ending in its preposition asks what the thing is for, made of or known for,
# not what it is: "What is OSA used for?", "What were the plummets, like …, used for?".
_STRANDED = re.compile(
    r"(?<!\bstand )\b(?:for|of|about|from|with|to|in|on|at|by|like)\s*\??\s*$", re.I
)
# What news puts between a thing and its other name: "prosopagnosia, otherwise known as
# face blindness", "prosopagnosia, or face blindness".
KNOWN_AS = r"(?:or|(?:also |otherwise |better )?known as)"
# After an abbreviation's definition, a clause that describes what it names (", in which
# the government provides …", ", which …") belongs to the answer; other words ("mega-rocket,
# which will carry …") belong to the rest of the sentence.
_DESCRIBES = re.compile(
    r"^\s*,\s*(?:which|who|whose|in which|under which|through which|by which|a|an|the|or)\b",
    re.IGNORECASE,
)


def definition_subject(question: str) -> str:
    """What a "What is X?" question asks to define (up to five words), else "".

    Example:
        >>> definition_subject("What does OSA stand for?")
        'OSA'
    """
    match = _DEFINITION_Q.match(question)
    if not match or _STRANDED.search(question):
        return ""
    subject = (match.group("x") or match.group("y") or "").strip(" ?\"'“”")
    return subject if 0 < len(subject.split()) <= 5 else ""


def definition(subject: str, sentence: str) -> str:
    """`OSA is Official Security Assistance, in which …` when the sentence defines the
    subject, else ""."""
    escaped = re.escape(subject)
    defined = next((a for a in abbreviations(sentence) if a.short == subject), None)
    if defined is not None:
        if sentence.find(f"({subject})") < 0:  # "OSA (Official Security Assistance) is …"
            return f"{subject} is {defined.long}: {sentence.strip()}"
        rest = re.split(r"[.;]", sentence[defined.end :], maxsplit=1)[0].rstrip()
        clause = rest if _DESCRIBES.match(rest) else ""
        return f"{subject} is {defined.long}{clause}."
    # "X, which …" / "X, the …" / "X, or …" / "X, also known as …" anywhere; "X is a …"
    # only when X opens the sentence (after a dateline or "The"): in "the decision to
    # overturn Roe v. Wade is a case of …" the decision is the subject.
    appositive = rf"\b{escaped}\b,\s+(?:which|who|an?|the|{KNOWN_AS})\b"
    # A dateline the cleaning did not cut: a wire in brackets ("(CNN)", "(AP)") or a dash.
    dateline = r"(?:[^.]{0,40}?(?:\([A-Z][A-Za-z]*(?: [A-Z][a-z]+)?\)|—|–)\s*)?"
    opens = rf"{dateline}(?:the\s+)?{escaped}\s+(?:is|are|was|were)\s+(?:an?|the)\b"
    sentence = sentence.strip()
    if re.search(appositive, sentence, re.IGNORECASE) or re.match(opens, sentence, re.IGNORECASE):
        return sentence
    return ""
