"""People's names told from other names by how news writes them, and the "who" questions
that ask for one."""

from __future__ import annotations

from dataclasses import replace

import pytest
from langchain_core.documents import Document
from langchain_core.embeddings import DeterministicFakeEmbedding

from qa import SCORING
from qa.evidence import EvidenceScorer
from qa.people import asks_person, names_new_person, surnames

pytestmark = pytest.mark.unit

GAME = [
    "Houston starter Cristian Javier threw six no-hit innings.",
    "Javier and Houston's bullpen combined on a no-hitter as the Astros won.",
    "The Houston Astros lead the series, and the House of Representatives took note.",
    "A house in Houston was sold.",
]


def test_a_surname_is_the_last_word_of_a_full_name_written_alone_later() -> None:
    assert surnames(GAME, {"house", "sold"}) == {"Javier"}


@pytest.mark.parametrize(
    ("texts", "common"),
    [
        # A team, an institution: "the Astros", "The Houston Astros".
        (["The Houston Astros won.", "Astros fans cheered."], set()),
        # A word the coverage also writes in lower case: "the House", "a house".
        (["Speaker Nancy House spoke.", "House members left."], {"house"}),
        # A name written only in full says nothing about which of its words is a surname.
        (["Krisztián Sarneczky spotted it."], set()),
        # A day, a month or an acronym ends a capitalised run ("said Cam Sholly Tuesday")
        # and stands alone, but names no person.
        (["Police chief Ann Lee Tuesday spoke. Rain fell on Tuesday."], set()),
        (["He spoke to Fox News CNN and others; CNN said so."], set()),
    ],
)
def test_names_that_are_not_surnames(texts: list[str], common: set[str]) -> None:
    assert surnames(texts, common) == set()


def test_a_person_the_question_names_is_not_new() -> None:
    people = frozenset({"Kishida", "Yamagami"})
    known = {"kishida", "meet"}
    assert not names_new_person("Prime Minister Fumio Kishida will meet him.", people, known)
    assert names_new_person("Police arrested Tetsuya Yamagami.", people, known)
    assert not names_new_person("The Nara Medical University Hospital said so.", people, known)


@pytest.mark.parametrize(
    ("question", "texts", "asks"),
    [
        ("Who did police arrest?", [], True),
        # The passages write the role right before a person's name, or after it.
        (
            "Which astronomer first spotted the asteroid?",
            ["Hungarian astronomer Krisztián Sarneczky spotted it.", "Sarneczky said so."],
            True,
        ),
        ("Which Astros starter pitched six no-hit innings?", GAME[:2], True),
        (
            "Which starter pitched six no-hit innings?",
            ["Cristian Javier, the Astros starter, was pulled.", "Javier smiled."],
            True,
        ),
        # A title before the name: "Associate Justice Neil Gorsuch".
        (
            "Which justice wrote the opinion?",
            ["Associate Justice Neil Gorsuch wrote it.", "Gorsuch said so."],
            True,
        ),
        # The asked word a step further off, or as the role's owner, names no park.
        (
            "Which national park was flooded?",
            ["Yellowstone Park Superintendent Cam Sholly spoke.", "Sholly said so."],
            False,
        ),
        (
            "Which national park was flooded?",
            ["Cam Sholly, the park's superintendent, spoke.", "Sholly said so."],
            False,
        ),
        # "Which bank" asks for a bank, whatever people the story names.
        (
            "Which bank bounced the check?",
            ["The bank Wells Fargo paid.", "Team owner Dan Snyder said. Snyder left."],
            False,
        ),
    ],
)
def test_which_questions_ask_for_a_person_when_news_writes_the_role_by_a_name(
    question: str, texts: list[str], asks: bool
) -> None:
    people = surnames(texts, set())
    assert asks_person(question, texts, people) is asks


def _article(article_id: str, text: str) -> Document:
    return Document(page_content=text, metadata={"article_id": article_id, "source": "Daily"})


def test_a_sentence_naming_no_new_person_does_not_give_who() -> None:
    """The lead names only the question's people; the sentence naming the justice gives
    the kind of thing asked and is ranked above it."""
    question = "Which justice wrote the opinion siding with coach Joseph Kennedy?"
    lead = "The Supreme Court sided with coach Joseph Kennedy on Monday in Washington."
    named = "Justice Neil Gorsuch wrote the majority opinion for the Supreme Court."
    story = _article("a", f"{lead} {named} Gorsuch said prayer was private.")
    scorer = EvidenceScorer(DeterministicFakeEmbedding(size=64), replace(SCORING))
    typed = {c.text: c.typed for c in scorer.score(question, [story]).ranked}
    assert typed[lead] is False and typed[named] is True


def test_who_is_not_answered_by_a_sentence_naming_no_new_person() -> None:
    """The passages name people (Kishida, Abe): for "who …?", a sentence naming only the
    question's person and a station does not answer; one naming a new person does."""
    question = "Who did police arrest after Shinzo Abe was shot in Nara?"
    station = "Police said Shinzo Abe was shot in front of Yamatosaidaiji Station in Nara."
    named = "Police arrested Tetsuya Yamagami at the scene, Prime Minister Fumio Kishida said."
    later = "Kishida condemned the attack. Abe died. Yamagami was taken away."
    scorer = EvidenceScorer(DeterministicFakeEmbedding(size=64), replace(SCORING))
    gives = {c.text: c.gives for c in scorer.score(question, [_article("a", station)]).ranked}
    assert gives == {station: True}  # no surname reused: people are not told, nothing gated
    story = _article("b", f"{station} {named} {later}")
    gives = {c.text: c.gives for c in scorer.score(question, [story]).ranked}
    assert gives[station] is False and gives[named] is True
