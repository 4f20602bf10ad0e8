"""Cleaning at ingestion: which sentences of a passage may answer, and which are page
furniture, datelines, credits; whether the article is a roundup.

The text is never changed. `chunk_article` stores, with each passage, the flag of every
sentence (`metadata["sentences"]`: `[start, end, flag]` spans of the passage text
`page_content[metadata["passage_start"]:]`) and whether its headline is a roundup's
(`metadata["roundup"]`), under `metadata["cleaning"] = CLEANING_VERSION`. The answerer
reads them through `passage_sentences` and `is_roundup_passage`, which compute the same
with these rules for a passage stored before them (the refresh then mends it).

The rules of news pages at large are here; an outlet's own are in
`vectorstore.outlet_rules`; datelines and photo credits before a sentence are found by
the sentence splitter (`vectorstore.sentences`), which has always left them out of the
sentence. docs/CLEANING.md tells how to add a rule.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from enum import StrEnum
from typing import Any

from langchain_core.documents import Document

from vectorstore.outlet_rules import FurnitureRule, OutletRules, rules_for
from vectorstore.sentences import PHOTO_AGENCY, Sentence, sentence_spans

# Bump on any change of a rule here, in outlet_rules or in the sentence splitter: the next
# refresh re-flags every passage (metadata only: no passage is cut or embedded again).
CLEANING_VERSION = 1
CLEANING_FIELDS = ("cleaning", "roundup", "sentences")  # not part of a chunk's id
FURNITURE = "furniture:"  # + the rule's name ("furniture:label", "furniture:cnn.ad_widget")
MIN_SENTENCE_CHARS = 20


class Flag(StrEnum):
    """A span's flag, but for furniture (FURNITURE + the rule's name)."""

    ANSWERS = ""  # a sentence that may answer a question
    FRAGMENT = "fragment"  # under MIN_SENTENCE_CHARS characters
    QUESTION = "question"  # a quiz, a headline that asks
    DATELINE = "dateline"  # "(CNN)", "NEW YORK (AP) —", "LOUISVILLE, Ky. —" before a sentence
    CREDIT = "credit"  # "Justin Sullivan/Getty Images" before a caption
    LEAD_IN = "lead_in"  # a stray dash before a sentence


_LEAD_INS = frozenset({Flag.DATELINE, Flag.CREDIT, Flag.LEAD_IN})


def _ci(pattern: str) -> re.Pattern[str]:
    return re.compile(pattern, re.IGNORECASE)


# Lines the parser kept that are not reporting: none may answer, open a digest or be
# quoted as a claim. The first rule that fires names the flag.
_FURNITURE = (
    # A label before a link, a gallery or a note: "In pictures: Shinzo Abe" (which
    # answered "What happened to Shinzo Abe?"), "Watch: …", "Related: …", "Graphics: Life
    # cycle … of the monarch butterfly", "Editor's note: …", "Opinion: A previous version
    # of this column misstated …".
    FurnitureRule(
        "label",
        _ci(
            r"^\W*(?:photos?|in pictures|pictured|video|watch|read more|related|see also|more|"
            r"click here|sign up|graphics?|opinion|editor['’]?s note|fact check|podcast|"
            r"live updates?|more coverage|full coverage)\s*:"
        ),
    ),
    # A heading over more coverage, with no sentence in it: "Live updates on the harbour
    # strike", "MORE COVERAGE OF TRUMP IN IOWA".
    FurnitureRule(
        "heading",
        _ci(r"^\W*(?:live updates?|more coverage|full coverage)\b(?!.*[.!?][\"”’']?\s*$)"),
    ),
    # A link to another story under a label, written without a space and with no full
    # stop: "Who is Elon Musk?:What to know about the Tesla CEO …", "Graphics:After 50
    # years, US takes first step back to moon …". A roundup item that reports ("Fort
    # Smith:The Arkansas Department of Agriculture has added … counties.") ends as a
    # sentence does, and stays.
    FurnitureRule(
        "link", re.compile(r"^\W*[A-Z][\w'’ ?!,-]{0,40}[\w?!]:[A-Z'‘“\"](?!.*[.!?][\"”’']?\s*$)")
    ),
    # A photo caption ending with its credit: "Conservative leadership candidate Rishi
    # Sunak Peter Nicholls/Reuters", "(Photo by Alex Wong/Getty Images)".
    FurnitureRule(
        "credit", re.compile(rf"[A-Za-z][\w.'’-]*(?:/[^/\n]{{1,40}}?)*/{PHOTO_AGENCY}\)?\W*$"), "/"
    ),
    # A pointer to more coverage: "For the latest coverage on Hurricane Fiona, follow our
    # updates from Wednesday here.", "See the recall notice here.", "Read the full story here."
    FurnitureRule(
        "pointer",
        _ci(
            r"^[\s►👉]*(?:(?:for (?:more|the latest|our latest)|to get it)\b[^.]*,\s*)?"
            r"(?:see|read|find|get|follow|click|watch|learn|check out|sign up)\b.*\bhere\W*$|"
            r"^[\s►👉]*for (?:more|the latest|our latest)\b[^.]*,\s*(?:see|read|follow|visit)\b"
        ),
    ),
    # A newsletter plug: "Sign up for CNN's Wonder Theory science newsletter."
    FurnitureRule("newsletter", _ci(r"\bsign up for\b.*\bnewsletter\b")),
    # A promotion: "Explore the universe with news on fascinating discoveries, scientific
    # advancements and more", "On today's episode of the 5 Things podcast: …".
    FurnitureRule(
        "promo", _ci(r"\band (?:much )?more\s*$|^\W*on (?:today['’]s|this) episode of\b")
    ),
    # A reporter's e-mail address.
    FurnitureRule("email", re.compile(r"^\S+@\S+\.\w+$")),
    # An embedded tweet: "… pic.twitter.com/… — Video Music Awards (@vmas) August 27, 2022"
    # (which answered "Who won video of the year?").
    FurnitureRule("tweet", _ci(r"pic\.twitter\.com/|\(@\w+\)\s+[A-Z][a-z]+\.? \d{1,2}, \d{4}")),
    # A gallery's counter: "Photo 3 of 9", "Slide 2 of 20".
    FurnitureRule("gallery", _ci(r"\b(?:caption|image|photo|slide) \d+ of \d+\b")),
    # A video link ending with its running time: "… Pier collapse in 2021 01:21".
    FurnitureRule("video", re.compile(r"\b\d\d:\d\d\s*$")),
    # A lead-in to a list, which says nothing itself: "Here's what borrowers need to know:".
    FurnitureRule("list_lead", re.compile(r":\s*$")),
)

# Roundups: articles that restate the leads of stories told in full elsewhere ("… : Week
# in review"). Not "daily briefing" (USA Today's series; elsewhere a press briefing) nor
# "news briefing" (a press conference).
_ROUNDUP = _ci(
    r"\b(?:daily|morning|evening|weekly|news) (?:roundup|digest)\b|"
    r"\b(?:morning|evening|weekly) briefing\b|\bweek in review\b|\bnews in brief\b"
)


@dataclass(frozen=True)
class PassageSentence(Sentence):
    """A span of a passage: a sentence or what opens one, with its flag; `start` is its
    offset in the passage text (`page_content[metadata["passage_start"]:]`).

    Example:
        >>> s = PassageSentence("Related: Pier closes", 0, "furniture:label")
        >>> s.answers, s.lead_in, s.rule
        (False, False, 'label')
    """

    flag: str

    @property
    def end(self) -> int:
        """Where the span ends in the passage text."""
        return self.start + len(self.text)

    @property
    def answers(self) -> bool:
        """Whether the sentence may answer a question (what the answerer weighs)."""
        return self.flag == Flag.ANSWERS

    @property
    def lead_in(self) -> bool:
        """Whether the span is a dateline, a credit or a dash before a sentence."""
        return self.flag in _LEAD_INS

    @property
    def rule(self) -> str:
        """The furniture rule that fired ("label", "cnn.ad_widget"), "" if none did."""
        return self.flag.removeprefix(FURNITURE) if self.flag.startswith(FURNITURE) else ""


def sentence_flag(sentence: str, source: str = "") -> str:
    """The flag of one sentence of an article from `source` (a lead-in taken off).

    Example:
        >>> sentence_flag("Related: The harbour reopens on Monday")
        'furniture:label'
        >>> sentence_flag("The harbour reopened on Monday, officials said.")
        ''
    """
    return _flag(sentence, rules_for(source))


def _flag(sentence: str, outlets: list[tuple[str, OutletRules]]) -> str:
    if len(sentence) < MIN_SENTENCE_CHARS:
        return Flag.FRAGMENT.value
    if sentence.rstrip("”\"' ").endswith("?"):
        return Flag.QUESTION.value
    for key, rules in outlets:  # an outlet's rule first: it names the template
        for rule in rules.furniture:
            if rule.fires(sentence):
                return f"{FURNITURE}{key}.{rule.name}"
    for rule in _FURNITURE:
        if rule.fires(sentence):
            return FURNITURE + rule.name
    return Flag.ANSWERS.value


def _spans(passage: str, source: str) -> list[tuple[int, int, str]]:
    outlets = rules_for(source)
    return [
        (start, end, kind or _flag(passage[start:end], outlets))
        for start, end, kind in sentence_spans(passage)
    ]


def is_roundup_title(title: str, source: str = "") -> bool:
    """Whether a headline is a roundup's, by the rules of news at large and of `source`.

    Example:
        >>> is_roundup_title("5 things to know for Aug. 5: Economy, Brittney Griner", "cnn.com")
        True
        >>> is_roundup_title("Brittney Griner sentenced to nine years", "cnn.com")
        False
    """
    return bool(_ROUNDUP.search(title)) or any(
        pattern.search(title) for _, rules in rules_for(source) for pattern in rules.roundups
    )


def clean_passage(passage: str, title: str, source: str) -> dict[str, Any]:
    """The cleaning metadata of a passage (its text, its article's headline and outlet).

    Example:
        >>> clean_passage("(CNN) Stocks fell on Friday.", "Stocks fall", "cnn.com")
        {'cleaning': 1, 'roundup': False, 'sentences': '[[0,5,"dateline"],[6,28,""]]'}
    """
    spans = [list(span) for span in _spans(passage, source)]
    return {
        "cleaning": CLEANING_VERSION,
        "roundup": is_roundup_title(title, source),
        "sentences": json.dumps(spans, separators=(",", ":")),
    }


def _current(metadata: dict[str, Any]) -> bool:
    return metadata.get("cleaning") == CLEANING_VERSION and "sentences" in metadata


def passage_sentences(document: Document) -> list[PassageSentence]:
    """The spans of a passage, each a sentence or a lead-in, flagged, in reading order.

    Read from the metadata stored with the passage, or worked out with the same rules
    when it lacks them (a store not yet refreshed, a Document made by hand).

    Example:
        >>> doc = Document(page_content="Watch: Pier collapse. The pier fell on Monday.")
        >>> [(s.text, s.flag) for s in passage_sentences(doc)]
        [('Watch: Pier collapse.', 'furniture:label'), ('The pier fell on Monday.', '')]
    """
    metadata = document.metadata
    passage = document.page_content[int(metadata.get("passage_start", 0)) :]
    if _current(metadata):
        spans = json.loads(metadata["sentences"])
    else:
        spans = _spans(passage, str(metadata.get("source", "")))
    return [PassageSentence(passage[start:end], start, str(flag)) for start, end, flag in spans]


def is_roundup_passage(document: Document) -> bool:
    """Whether the passage's article is a roundup (its stored flag, or worked out from
    its title and outlet)."""
    metadata = document.metadata
    if _current(metadata) and "roundup" in metadata:
        return bool(metadata["roundup"])
    return is_roundup_title(str(metadata.get("title", "")), str(metadata.get("source", "")))
