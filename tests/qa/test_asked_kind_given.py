"""A sentence answers "until when", "where", "why" and a birth or a death only if it gives
that: the other end of a period, another place, no reason or another event is a near miss."""

from __future__ import annotations

from dataclasses import replace

import pytest
from langchain_core.embeddings import DeterministicFakeEmbedding

from qa import SCORING, ExtractiveAnswerer
from qa.answer_types import (
    CAUSE_GIVEN,
    answer_type_match,
    asked_event,
    asked_fact,
    asks_place,
    gives_what_is_asked,
    without_other_end,
)
from qa.definitions import definition_subject
from qa.evidence import EvidenceScorer
from qa.short_answer import short_answer
from qa.words import mentioned
from tests.qa.steps import answer_with, passage

VOTED = "How many Cubans voted in favour of the family code in Sunday's referendum?"


@pytest.mark.unit
@pytest.mark.parametrize(
    ("question", "sentence", "gives"),
    [
        # A figure given as expected does not say what happened.
        (VOTED, "On Sunday, millions of Cubans are expected to turn out to vote.", False),
        (VOTED, "Some 5.8 million Cubans voted in favour of the code.", True),
        ("How much did the fire cost?", "The fire could cost $1 billion.", False),
        ("How much did the fire cost?", "The fire cost $1 billion, insurers said.", True),
        ("How much was raised?", "The sale is expected to raise $20 million.", False),
        # A forecast beside the figure of what happened leaves it.
        (
            "How many people were injured?",
            "The storm injured 12 people and could cost $1 billion.",
            True,
        ),
        ("How many jobs were lost?", "The plant cut 500 jobs and is expected to cut more.", True),
        # A hedged cause is still a cause: only figures are read as forecasts.
        (
            "Why did the plane crash?",
            "Investigators said the crash may have been caused by ice on the wings.",
            True,
        ),
        # A question of what is expected is answered by the forecast.
        ("How many people are expected to attend?", "50,000 people are expected to attend.", True),
        ("How much will the bridge cost?", "The bridge could cost $1 billion.", True),
    ],
)
def test_a_forecast_does_not_say_what_happened(question: str, sentence: str, gives: bool) -> None:
    assert gives_what_is_asked(question, sentence) is gives


UNTIL = "Until when will the McDonald's restaurants keep selling Krispy Kreme doughnuts?"


@pytest.mark.unit
@pytest.mark.parametrize(
    ("question", "sentence", "gives"),
    [
        # The start of a period does not say until when it runs, nor its end since when.
        (UNTIL, "Starting Oct. 26, some Americans will be able to grab a doughnut.", False),
        (UNTIL, "The doughnuts will be sold from Monday while supplies last.", False),
        (UNTIL, "The test runs from Oct. 26 until Nov. 30 in Louisville.", True),
        (UNTIL, "The doughnuts will be on sale through December.", True),
        ("Since when has the bridge been closed?", "The bridge will stay closed until May.", False),
        ("Since when has the bridge been closed?", "The bridge has been closed since May.", True),
        # "When" alone is answered by either end.
        ("When will the test start?", "Starting Oct. 26, some Americans can buy them.", True),
    ],
)
def test_until_when_is_not_answered_by_when_it_starts(
    question: str, sentence: str, gives: bool
) -> None:
    assert gives_what_is_asked(question, sentence) is gives


@pytest.mark.unit
def test_the_other_end_is_blanked_in_place_and_the_short_answer_is_the_asked_end() -> None:
    sentence = "The test runs from Oct. 26 until Nov. 30 in Louisville."
    blanked = without_other_end(UNTIL, sentence)
    assert len(blanked) == len(sentence)
    assert "Oct. 26" not in blanked and "until Nov. 30" in blanked
    assert short_answer(UNTIL, sentence) == "Nov. 30"
    assert short_answer("When does the test start?", sentence) == "Oct. 26"
    assert asked_fact(UNTIL).phrase == "until when"


@pytest.mark.unit
@pytest.mark.parametrize(
    ("question", "asks", "kind"),
    [
        ("Where did Ronnie Spector die?", True, "place"),
        ("Amid warnings from Beijing, where did Nancy Pelosi travel on her tour?", True, "place"),
        ("In which Hampshire town was the student nurse found?", True, "name"),  # "which town"
        # A relative "where" after a noun asks no place.
        ("How many children were exposed at the day-care where a worker fell ill?", False, "count"),
    ],
)
def test_where_asks_a_place_only_as_the_question_word(question: str, asks: bool, kind: str) -> None:
    assert asks_place(question) is asks
    assert asked_fact(question).kind == kind


@pytest.mark.unit
@pytest.mark.parametrize(
    ("question", "sentence", "gives"),
    [
        ("Where did the capsule land?", "The capsule came down in the Pacific Ocean.", True),
        ("Where did the capsule land?", "The capsule came down safely, NASA said.", False),
        # A place one travels to.
        ("Where will Pelosi go next?", "Pelosi flew to Taiwan on Tuesday.", True),
        (
            "Where will the two leaders hold talks?",
            "Kishida will confirm the deal when Kishida visits Mongolia later this month.",
            True,
        ),
        # The question's own place is no answer, nor the country its people's name says.
        (
            "In which Hampshire town was the student nurse found?",
            "The Metropolitan Police said she was found in Hampshire on Tuesday.",
            False,
        ),
        (
            "On which Japanese island did the volcano erupt?",
            "A volcano in Japan erupted on Sunday.",
            False,
        ),
        # A side of the place or the kind of place may stand between.
        (
            "On which Japanese island did the volcano erupt?",
            "The volcano, located on the island of Kyushu, erupted on Sunday.",
            True,
        ),
        (
            "In which part of Ghana were the patients from?",
            "Both patients were from southern Ashanti region, the WHO said.",
            True,
        ),
    ],
)
def test_where_is_answered_by_a_place_the_question_lacks(
    question: str, sentence: str, gives: bool
) -> None:
    assert gives_what_is_asked(question, sentence) is gives


@pytest.mark.unit
@pytest.mark.parametrize(
    ("sentence", "reason"),
    [
        ("Toyota told owners to stop driving because the wheels might fall off.", True),
        ("The players must stay in the hotel in the wake of the rapper's shooting.", True),
        ("Some Kia SUVs were recalled over fire risks.", True),
        ("Balenciaga cut ties with West following a series of antisemitic posts.", True),
        ("He set the brush alight while trying to burn a spider.", True),
        ("A consumer complaint prompted officials to inspect the facility.", True),
        # No reason: where, when, by whom, or "after" as a time.
        ("The test will first roll out to subscribers in New Zealand.", False),
        ("Campaigners had been forced to cancel it by the government.", False),
        ("Prices rose by over 8% over the past year.", False),
        ("Inhofe has held the seat since 1994.", False),
        ("The game was called off since the pitch was flooded.", True),
        ("After years of users clamoring for it, Twitter is testing edits.", False),
    ],
)
def test_why_is_answered_only_by_a_sentence_giving_a_reason(sentence: str, reason: bool) -> None:
    assert bool(CAUSE_GIVEN.search(sentence)) is reason
    assert gives_what_is_asked("Why did it happen?", sentence) is reason
    assert gives_what_is_asked("What happened to the SUVs?", sentence)  # not asked why


@pytest.mark.unit
@pytest.mark.parametrize(
    ("question", "event"),
    [
        ("Where did Jerry Lee Lewis die?", "die"),
        ("When was TobyKeith, the world's oldest dog, born?", "born"),
        ("How old was Hilary Mantel when she died?", "died"),
        ("How many people have died in the crush?", "died"),  # the counted event
        # A death that only places the person, in a question that asks another kind.
        ("What was the cause of death of Coolio, who died in Los Angeles?", ""),
        ("Who played Joe, who died in the first episode?", ""),
    ],
)
def test_a_birth_or_a_death_asked_when_where_or_how_old(question: str, event: str) -> None:
    assert asked_event(question) == event


@pytest.mark.unit
def test_a_place_of_another_event_does_not_say_where_someone_died(embeddings) -> None:
    question = "Where did Ronnie Spector, the lead singer of the Ronettes, die?"
    toured = "The Ronettes became hugely popular in England, where they headlined over the Stones."
    died = "Ronnie Spector died at her home in Danbury, Connecticut, after a battle with cancer."
    scorer = EvidenceScorer(embeddings, SCORING)
    ranked = scorer.score(question, [passage("a", toured)]).ranked
    assert [c.gives for c in ranked] == [False]
    ranked = scorer.score(question, [passage("b", f"{toured} {died}")]).ranked
    assert [c.text for c in ranked if c.gives] == [died]


@pytest.mark.unit
@pytest.mark.parametrize(
    ("question", "subject"),
    [
        ("What is OSA?", "OSA"),
        ("What does OSA stand for?", "OSA"),
        # A question ending in its preposition asks what the thing is for or made of.
        ("What is OSA used for?", ""),
        ("What were ancient hematite plummets, like the one found in a gator, used for?", ""),
        ("What is the sculpture made of?", ""),
    ],
)
def test_a_question_ending_in_a_preposition_asks_no_definition(question: str, subject: str) -> None:
    assert definition_subject(question) == subject


@pytest.mark.unit
def test_a_near_miss_is_told_when_only_another_story_gives_the_asked_kind() -> None:
    """The sentence giving a time ranks first, but it is about another story: the reply
    quotes the story asked about and says what it does not give."""
    asked = passage(
        "krispy",
        "Starting Oct. 26, nine McDonald's restaurants near Louisville will sell Krispy Kreme "
        "doughnuts in a test.",
    )
    other = passage("halloween", "Free coffee on Saturday at a bakery in Ohio.")
    question = (
        "Until when will the McDonald's restaurants near Louisville sell Krispy Kreme doughnuts?"
    )
    answerer = ExtractiveAnswerer(
        DeterministicFakeEmbedding(size=64), replace(SCORING, min_answer_score=0.0)
    )
    answer = answer_with(answerer, question, [asked, other])
    assert not answer.answered
    assert answer.text.startswith("The coverage reports “Starting Oct. 26, nine McDonald's")
    assert answer.text.endswith("but does not say until when.")
    assert answer.citations[0].article_id == "krispy"


@pytest.mark.unit
@pytest.mark.parametrize(
    ("question", "sentence", "span"),
    [
        ("Where was the gold found?", "Police said the gold was found in Hampshire.", "Hampshire"),
        # The short answer's place is the one the gate finds, side or kind of place between.
        (
            "Where were the patients from?",
            "Police Chief Kwame Mensah said both patients were from the southern Ashanti region.",
            "Ashanti",
        ),
        (
            "Where did the volcano erupt?",
            "The Japan Meteorological Agency said the volcano erupted on the island of Kyushu.",
            "Kyushu",
        ),
        # Not the place the question says, its people's name for it included.
        (
            "Where did the North Korean missile that flew over Japan come down?",
            "A missile fired from North Korea flew over Japan and landed in the Pacific Ocean.",
            "Pacific Ocean",
        ),
    ],
)
def test_the_short_answer_to_where_is_the_place_the_gate_finds(
    question: str, sentence: str, span: str
) -> None:
    assert short_answer(question, sentence) == span


@pytest.mark.unit
@pytest.mark.parametrize(
    ("name", "words", "said"),
    [
        ("japanese", {"japan"}, True),  # the root before "ese"
        ("korean", {"korea"}, True),  # the name less the last letter of its "-ean"
        ("mongolian", {"mongolia"}, True),
        ("korean", {"kor"}, False),  # too short to say a place
        ("european", {"euro"}, False),  # more than the ending's last letters
        ("korean", {"pacif", "ocean"}, False),
    ],
)
def test_a_peoples_name_says_its_place(name: str, words: set[str], said: bool) -> None:
    assert mentioned(name, words) is said


@pytest.mark.unit
@pytest.mark.parametrize(
    ("sentence", "named"),
    [
        ("Ten people were hurt when the bridge collapsed.", False),  # a number, not a name
        ("Three were hurt when the Fern Hollow Bridge collapsed.", True),
    ],
)
def test_a_number_word_opening_a_sentence_is_no_name(sentence: str, named: bool) -> None:
    assert answer_type_match("Who was hurt when the bridge collapsed?", sentence) is named
