"""A count written in other words than the question's: "How many workers …?" is answered
by "laying off 862 employees", "How many countries …?" by "visited 41 nations", a word
for the same things (MiniLM cosine ≥ same_thing_cosine); not by a neighbouring kind
("12 states", "six months")."""

from __future__ import annotations

import pytest

from qa import SCORING, ExtractiveAnswerer
from qa.answer_types import counted_after_figures, counted_words
from qa.evidence import EvidenceScorer
from qa.short_answer import short_answer
from tests.qa.steps import answer_with, passage

pytestmark = pytest.mark.unit

COUNTRIES = (
    "How many countries did 19-year-old Zara Rutherford visit on her record-setting solo flight "
    "around the world?"
)
LEAD = (
    "The 19-year-old Belgian-British pilot Zara Rutherford set a world record as the youngest "
    "woman to fly solo around the world, landing in Belgium on Thursday."
)
NATIONS = (
    "In her trek of more than 28,000 nautical miles, she stopped over in five continents and "
    "visited 41 nations."
)


@pytest.mark.parametrize(
    ("question", "counted"),
    [
        ("How many workers is Redfin laying off?", ["workers"]),
        (
            "How many Waffle House restaurants in Florida had closed?",
            ["Waffle", "House", "restaurants"],
        ),
        ("How many reported sightings were there?", ["sightings"]),  # a word before the thing
        ("When did the layoffs start?", []),
    ],
)
def test_what_a_how_many_question_counts(question: str, counted: list[str]) -> None:
    assert counted_words(question) == counted


def test_the_words_after_each_figure_say_what_it_counts() -> None:
    sentence = "Redfin is laying off 862 employees, about 13% of its workforce."
    assert counted_after_figures(sentence, 2) == [["employees", "about"], ["of", "its"]]
    millions = "Millions of baby swings and rockers have been recalled."  # a figure in words
    assert counted_after_figures(millions, 3) == [["of", "baby", "swings"]]


@pytest.mark.parametrize(
    ("question", "sentence", "counted_as"),
    [
        (
            "How many workers is Redfin laying off?",
            "Redfin is laying off 862 employees.",
            "employees",
        ),
        (COUNTRIES, NATIONS, "nations"),
        ("How many soldiers were sent to the border?", "Some 300 troops were sent.", "troops"),
        # Neighbouring kinds are other things: states are not countries, months not years.
        ("How many countries did she visit?", "She visited 12 states on her trip.", ""),
        ("How many years was Griner sentenced to?", "Griner was detained for six months.", ""),
    ],
)
def test_a_count_in_other_words_gives_what_is_asked(
    embeddings, question: str, sentence: str, counted_as: str
) -> None:
    (candidate,) = (
        EvidenceScorer(embeddings, SCORING).score(question, [passage("a", sentence)]).ranked
    )
    assert (candidate.gives, candidate.counted_as) == (bool(counted_as), counted_as)


def test_the_short_answer_is_the_figure_counting_the_asked_thing() -> None:
    assert short_answer(COUNTRIES, NATIONS, counted_as="nations") == "41 nations"
    assert short_answer(COUNTRIES, NATIONS) == "more than 28,000 nautical miles"  # the first


def test_a_count_in_other_words_is_shortlisted_among_sentences_sharing_the_questions_words(
    embeddings,
) -> None:
    """The shortlist ranks by the words a sentence shares with the question; a count in
    other words shares few, and is weighed as a definition is."""
    stops = "Paris Rome Nome Lima Quito Dakar Cairo Delhi Seoul Tokyo Perth Oslo".split()
    restating = [f"Rutherford's flight drew crowds in {stop}." for stop in stops]
    documents = [passage("a", " ".join(restating)), passage("b", NATIONS)]
    ranked = EvidenceScorer(embeddings, SCORING).score(COUNTRIES, documents).ranked
    assert len(ranked) == SCORING.max_embedded_sentences
    assert NATIONS in [c.text for c in ranked]


def test_a_count_leaning_on_its_story_for_its_subject_answers(embeddings) -> None:
    """ "She … visited 41 nations" is weak alone (it names neither Rutherford nor her
    flight) but it counts the asked thing in the article the lead fits."""
    answerer = ExtractiveAnswerer(embeddings)
    answer = answer_with(answerer, COUNTRIES, [passage("flight", f"{LEAD} {NATIONS}")])
    assert answer.answered and answer.text.startswith(NATIONS.rstrip("."))
    assert answer.short == "41 nations"
    # In another story, the same count does not answer: the story asked about is covered,
    # the count is not.
    other = answer_with(answerer, COUNTRIES, [passage("flight", LEAD), passage("tour", NATIONS)])
    assert not other.answered
