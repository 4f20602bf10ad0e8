"""Definitions: "What is X?" and "What does X stand for?" answered by the sentence that
defines X ("X is a …" with X opening it, "X, which …", "X, the …", or an acronym after
its expansion, "Official Security Assistance (OSA)")."""

from __future__ import annotations

import re

# "What is X?", "Who were the X?", "What does X stand for?", "What did X mean?"
_DEFINITION_Q = re.compile(
    r"(?i)^\s*(?:what|who)\s+(?:is|are|was|were)\s+(?:an?\s+|the\s+)?(?P<x>.+?)\s*\??\s*$"
    r"|^\s*what\s+(?:does|do|did)\s+(?P<y>.+?)\s+(?:stand\s+for|mean)\s*\??\s*$"
)


def definition_subject(question: str) -> str:
    """What a "What is X?" question asks to define (up to five words), else "".

    Example:
        >>> definition_subject("What does OSA stand for?")
        'OSA'
    """
    match = _DEFINITION_Q.match(question)
    if not match:
        return ""
    subject = (match.group("x") or match.group("y") or "").strip(" ?\"'“”")
    return subject if 0 < len(subject.split()) <= 5 else ""


def definition(subject: str, sentence: str) -> str:
    """`OSA is Official Security Assistance, in which …` when the sentence defines the
    subject, else ""."""
    escaped = re.escape(subject)
    # "Official Security Assistance (OSA), in which ..." : an expansion before the acronym.
    acronym = re.search(
        rf"((?:[A-Z][\w’'-]*\s+(?:(?:of|for|and|the|on|in|de)\s+)?){{1,8}}[A-Z][\w’'-]*)\s*\(\s*{escaped}\s*\)"
        r"(?P<rest>[^.;]*)",
        sentence,
    )
    if acronym and subject.isupper():
        expansion = _trim_expansion(acronym.group(1), subject)
        rest = acronym.group("rest").strip()
        clause = rest if rest.startswith(",") else (f", {rest}" if rest else "")
        return f"{subject} is {expansion}{clause}."
    # "OSA (Official Security Assistance) is ..." or "OSA, which ..." or "OSA is a ..."
    spelled = re.search(rf"\b{escaped}\s*\(([^)]{{3,80}})\)", sentence)
    if spelled and subject.isupper():
        return f"{subject} is {spelled.group(1).strip()}: {sentence.strip()}"
    # "X, which …" / "X, the …" anywhere; "X is a …" only when X opens the sentence (after a
    # dateline or "The"): in "the decision to overturn Roe v. Wade is a case of …" the
    # decision is the subject.
    appositive = rf"\b{escaped}\b,\s+(?:which|who|an?|the)\b"
    # A dateline the cleaning did not cut: a wire in brackets ("(CNN)", "(AP)") or a dash.
    dateline = r"(?:[^.]{0,40}?(?:\([A-Z][A-Za-z]*(?: [A-Z][a-z]+)?\)|—|–)\s*)?"
    opens = rf"{dateline}(?:the\s+)?{escaped}\s+(?:is|are|was|were)\s+(?:an?|the)\b"
    sentence = sentence.strip()
    if re.search(appositive, sentence, re.IGNORECASE) or re.match(opens, sentence, re.IGNORECASE):
        return sentence
    return ""


def _trim_expansion(words: str, acronym: str) -> str:
    """Keep the last words of a capitalised run whose initials spell the acronym."""
    tokens = words.split()
    for size in range(len(acronym), len(tokens) + 1):
        tail = tokens[-size:]
        initials = "".join(t[0] for t in tail if t[0].isupper())
        if initials.upper() == acronym.upper():
            return " ".join(tail)
    return " ".join(tokens[-len(acronym) :])
