"""Splitting passages into sentences with their offsets (the answerer's candidates, whose
vectors the refresh computes ahead: `vectorstore.sentence_vectors`)."""

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


@dataclass(frozen=True)
class Sentence:
    """A sentence and where it starts in the text it came from."""

    text: str
    start: int


# What opens a sentence without being part of it, each a kind of lead-in: a wire dateline
# ("(CNN)", "Hong Kong (CNN Business)", "New York CNN Business —", "NEW YORK (AP) —",
# "LOUISVILLE, Ky. —"), a photo credit before its caption ("Justin Sullivan/Getty Images",
# "Gregg Newton/AFP via Getty Images"), a stray dash. Several may open one sentence.
_WIRE = r"(?:CNN(?: [A-Z][a-z]+)?|AP|AFP|Reuters)"
PHOTO_AGENCY = (
    r"(?:[\w.'’ ]+ via )?(?:Getty Images|Reuters|AP|AFP|Associated Press|"
    r"ASSOCIATED PRESS|USA TODAY(?: Sports| Network)?|USA Today(?: Sports| Network)?|"
    r"Shutterstock|Redux|Bloomberg|Zuma(?: Press| Wire)?|ZUMA(?: Press| Wire)?|EPA(?:-EFE)?|"
    r"Sipa USA|Everett Collection|Alamy|NurPhoto|Anadolu Agency|Pool|NASA|FILE)"
)
_LEAD_IN = re.compile(
    rf"(?P<dateline>(?:(?!The )[A-Z][\w.'’-]*(?:,? [A-Z][\w.'’-]*){{0,2}} )?"
    rf"(?:\({_WIRE}\)\s*(?:[—–-]+\s*)?|{_WIRE}\s+[—–]\s*)"
    r"|[A-Z][A-Z.'’ ]{2,}(?:, [A-Z][A-Za-z.]+(?: [A-Z][A-Za-z.]+)?)?\s+[—–]\s*)"
    rf"|(?P<credit>(?:[A-Z][\w.'’-]*\s){{0,3}}[A-Z][\w.'’-]*(?:/[^/\n]{{1,40}}?)*/{PHOTO_AGENCY}(?=\s|$)\s*)"
    r"|(?P<lead_in>[-—–]{1,2}\s*(?=[A-Z“\"]))"
)
SENTENCE = ""  # the kind of a sentence's own span in `sentence_spans`


def _pieces(text: str) -> list[Sentence]:
    """The text cut at sentence ends and paragraph breaks, each piece stripped."""
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
                result.append(Sentence(stripped, sentence.start + at))
                offset = at + len(stripped)
    return result


def sentence_spans(text: str) -> list[tuple[int, int, str]]:
    """`(start, end, kind)` of every sentence of the text and of every lead-in before
    one, in reading order: kind is SENTENCE ("") or the lead-in's ("dateline", "credit",
    "lead_in"). `text[start:end]` is verbatim; the sentences are `split_sentences`'.

    Example:
        >>> sentence_spans("(CNN) Stocks fell.")
        [(0, 5, 'dateline'), (6, 18, '')]
    """
    spans: list[tuple[int, int, str]] = []
    for piece in _pieces(text):
        at = 0
        while lead_in := _LEAD_IN.match(piece.text, at):
            kind = str(lead_in.lastgroup)
            spans.append((piece.start + at, piece.start + len(lead_in[0].rstrip()) + at, kind))
            at = lead_in.end()
        if at < len(piece.text):
            spans.append((piece.start + at, piece.start + len(piece.text), SENTENCE))
    return spans


def split_sentences(text: str) -> list[Sentence]:
    """Sentences of a passage, verbatim, with offsets; abbreviations do not end one, and a
    dateline or photo credit before a sentence is not part of it."""
    return [
        Sentence(text[start:end], start)
        for start, end, kind in sentence_spans(text)
        if kind == SENTENCE
    ]


def candidate_sentences(passage: str) -> list[Sentence]:
    """The sentences of a passage that may answer a question: not a fragment (under 20
    characters), not a question itself (a quiz, a headline). The answerer also leaves
    out page furniture; the refresh embeds these ahead for it."""
    return [
        sentence
        for sentence in split_sentences(passage)
        if len(sentence.text) >= 20 and not sentence.text.rstrip("”\"' ").endswith("?")
    ]
