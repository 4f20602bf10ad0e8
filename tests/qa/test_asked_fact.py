"""The asked fact: what kind of thing a question wants, near misses refused with what the
coverage does say, and the short answer beside the sentence."""

from __future__ import annotations

import pytest
from langchain_core.embeddings import DeterministicFakeEmbedding

from qa import SCORING, ExtractiveAnswerer
from qa.answer_types import AskedFact, asked_fact, asks_place, counted_event, gives_money
from qa.eval.metrics import short_span_exact, short_span_f1
from qa.evidence import EvidenceScorer, _other_of_figure, _other_year
from qa.models import Answer
from qa.unsaid import says_unsaid
from tests.qa.steps import answer_with, passage

pytestmark = pytest.mark.unit


@pytest.mark.parametrize(
    ("question", "expected"),
    [
        (
            "How many children may have been exposed?",
            AskedFact("count", "how many children", "children"),
        ),
        ("How many people died in the fire?", AskedFact("count", "how many people", "people")),
        ("How much did the passengers pay for their seats?", AskedFact("money", "how much")),
        (
            "How much in damages did the jury award?",
            AskedFact("money", "how much damages", "damag"),
        ),
        ("How much aid did Japan give?", AskedFact("figure", "how much aid", "aid")),
        ("How far can the car travel on a single charge?", AskedFact("figure", "how far")),
        ("What is the inflation rate?", AskedFact("figure", "the inflation rate", "rate")),
        # An owner's name or "its" in place of "the".
        (
            "What was Freddie Mac's average rate on a 30-year mortgage last week?",
            AskedFact("figure", "the average rate", "rate"),
        ),
        (
            "What is the country's inflation rate?",
            AskedFact("figure", "the inflation rate", "rate"),
        ),
        ("What is its population?", AskedFact("figure", "the population", "population")),
        # A quantity as the noun of "what".
        (
            "Up to what hourly minimum wage can the council set?",
            AskedFact("money", "what hourly minimum wage", "wage"),
        ),
        ("At what speed was the car traveling?", AskedFact("figure", "what speed", "speed")),
        ("What did the Fed say about the rate?", AskedFact("other", "what you asked")),
        ("When will the park reopen?", AskedFact("date", "when")),
        ("Why did the FDA warn shoppers?", AskedFact("cause", "why", "reason")),
        (
            "What was the cause of death of the rapper?",
            AskedFact("cause", "the cause of death", "cause"),
        ),
        # A cause asked without "why".
        ("What caused the crash?", AskedFact("cause", "what caused it", "cause")),
        ("What led to his resignation?", AskedFact("cause", "what caused it", "cause")),
        ("Where was the winning ticket sold?", AskedFact("place", "where")),
        ("Which bank did the team blame?", AskedFact("name", "which bank", "bank")),
        (
            "Which former Academy president signed the letter?",
            AskedFact("name", "which former Academy president", "presid"),
        ),
        ("Under what brand name will Sanofi sell it?", AskedFact("name", "which brand", "brand")),
        ("Which MLB team's owner plans to sell?", AskedFact("name", "which MLB team", "team")),
        (
            "Which astronomer first spotted the asteroid?",
            AskedFact("name", "which astronomer", "astronom"),
        ),
        ("Who will take care of the dogs?", AskedFact("person", "who")),
        ("What is OSA?", AskedFact("expansion", "what OSA is")),
        ("What did the activists pour over the painting?", AskedFact("other", "what you asked")),
    ],
)
def test_the_kind_of_thing_asked_and_its_head_noun(question: str, expected: AskedFact) -> None:
    asked = asked_fact(question)
    assert (asked.kind, asked.phrase) == (expected.kind, expected.phrase)
    assert asked.head.startswith(expected.head[:4]) if expected.head else not asked.head


@pytest.mark.parametrize(
    ("question", "sentence", "unsaid"),
    [
        # Each phrasing of "not known" news uses, tied to what was asked.
        ("How much did the passengers pay?", "Most passengers paid an undisclosed sum.", True),
        (
            "How many children were exposed?",
            "Officials did not say how many children were exposed.",
            True,
        ),
        ("Who will look after the dogs?", "It is unclear who will be looking after them.", True),
        ("What was the cause of death?", "An autopsy did not reveal the cause of death.", True),
        ("When will the park reopen?", "The park is shut until further notice.", True),
        (
            "Which countries made the shirts?",
            "The release did not identify the other countries.",
            True,
        ),
        (
            "How much did Disney pay for the studio?",
            "The terms of the deal were not disclosed.",
            True,
        ),
        # Still being established: investigated, known only later, not confirmed.
        (
            "What caused the helicopter crash?",
            "The NTSB was investigating the cause of the crash.",
            True,
        ),
        ("What caused the fire?", "The cause of the fire is under investigation.", True),
        (
            "How much did policing the jubilee cost?",
            "Police said the costs of policing would only be known afterwards.",
            True,
        ),
        (
            "Why didn't the gun fire?",
            "It did not fire, for some reason we can't technically confirm at this moment.",
            True,
        ),
        # "No X was given": what was not given is unknown; an explanation is a reason.
        (
            "Why were the two band members absent from the show?",
            "No explanation was given on stage, and the publicists did not reply.",
            True,
        ),
        ("What caused the outage?", "No cause has been determined yet.", True),
        ("How many people died?", "No explanation was given for the delay.", False),
        # A discount kept secret leaves the price paid unknown.
        (
            "How much will the NHS pay per dose?",
            "The drug costs £2,000 a dose, but the maker agreed an undisclosed discount.",
            True,
        ),
        # Not known, but not what was asked: another clause, another head, another kind.
        (
            "Why did Toyota tell owners to stop driving?",
            "Toyota is still investigating why this can happen.",
            False,
        ),
        (
            "How many people died?",
            "Police did not say how many were hurt, but 12 people died.",
            False,
        ),
        (
            "How much in damages did the jury award?",
            "It is unclear how much of the money they will see.",
            False,
        ),
        ("Who won the election?", "It is unclear when the results will be certified.", False),
        ("What is OSA?", "It is unclear who will pay for it.", False),
        ("How many children were exposed?", "Forty children were exposed, officials said.", False),
    ],
)
def test_a_sentence_that_says_the_asked_fact_is_not_known(
    question: str, sentence: str, unsaid: bool
) -> None:
    assert says_unsaid(asked_fact(question), sentence) is unsaid


@pytest.mark.parametrize(
    ("question", "sentence", "unsaid"),
    [
        (
            "At which plant will Jeep build its electric Recon SUV?",
            "The company didn’t provide pricing or say where either vehicle will be built.",
            True,
        ),
        ("Where will the Recon be built?", "Jeep did not say where it will be built.", True),
        # Another thing withheld is not the place.
        (
            "In which Illinois town was the winning ticket sold?",
            "Mega Millions didn't identify the ticket holder by name.",
            False,
        ),
    ],
)
def test_a_place_is_withheld_by_not_saying_where(
    question: str, sentence: str, unsaid: bool
) -> None:
    assert says_unsaid(asked_fact(question), sentence, place=asks_place(question)) is unsaid


@pytest.mark.parametrize(
    ("sentence", "money"),
    [
        ("Each paid $28 million.", True),
        ("The club owes £25m.", True),
        ("The fine was 2 million dollars.", True),
        ("Six passengers flew for 10 minutes.", False),
        ("The pearl is one in 10,000.", False),
    ],
)
def test_a_sum_of_money(sentence: str, money: bool) -> None:
    assert gives_money(sentence) is money


_QUAKE = "How many people died in the 7.8-magnitude earthquake?"


@pytest.mark.parametrize(
    ("question", "sentence", "other"),
    [
        # The question names its thing by a figure: the same noun after another is another.
        (
            "How much of Target's $18.5 million settlement will Connecticut receive?",
            "As part of a $10 million class-action lawsuit settlement reached in 2015, the "
            "company also agreed to pay up to $10,000 to consumers.",
            True,
        ),
        (_QUAKE, "A 6.4-magnitude earthquake struck the region in 2020, killing 10.", True),
        # The question's own figure, or no figure before the noun: the same thing.
        (
            _QUAKE,
            "The 7.8-magnitude earthquake killed 50,000 people; a 6.4-magnitude one hit.",
            False,
        ),
        (_QUAKE, "The earthquake killed 50,000 people.", False),
        # A figure written with its noun ("25-gig") is the same figure; an ordinal is none.
        (
            "How much will EPB charge for its new 25-gig internet service?",
            "EPB will charge $1,500 per month for residential 25 gig internet service.",
            False,
        ),
        (
            "Which show leads with 25 Emmy nominations?",
            "The 74th Primetime Emmy nominations were announced Tuesday.",
            False,
        ),
        # Another figure before other nouns, or a question naming nothing by a figure.
        (_QUAKE, "Rescuers pulled 12 survivors from the rubble.", False),
        ("How many people died in the earthquake?", "A 6.4-magnitude earthquake hit.", False),
    ],
)
def test_a_thing_the_question_names_by_its_figure(
    question: str, sentence: str, other: bool
) -> None:
    assert _other_of_figure(question, sentence, SCORING.counted_window) is other


_SHARE = "How much of Target's $18.5 million data-breach settlement will Connecticut receive?"


@pytest.mark.parametrize(
    ("sentence", "money"),
    [
        ("Target will pay an $18.5 million multistate settlement.", False),
        ("Connecticut will get $1.2 million of the $18.5 million.", True),
        ("The earlier settlement was $10 million.", True),
    ],
)
def test_a_sum_the_question_states_is_not_the_answer(sentence: str, money: bool) -> None:
    assert gives_money(sentence, _SHARE) is money


def _answerer() -> ExtractiveAnswerer:
    from dataclasses import replace

    return ExtractiveAnswerer(
        DeterministicFakeEmbedding(size=64), replace(SCORING, min_answer_score=0.0)
    )


def test_a_near_miss_quotes_the_story_saying_the_fact_is_not_known() -> None:
    story = passage(
        "daycare",
        "A day-care worker in Rantoul tested positive for monkeypox, officials said. "
        "Officials did not say how many children might have been exposed to the virus.",
    )
    question = "How many children may have been exposed to monkeypox at the Rantoul day-care?"
    answer = answer_with(_answerer(), question, [story])
    assert not answer.answered
    assert answer.text == (
        "The coverage does not say how many children: “Officials did not say how many "
        "children might have been exposed to the virus.” [1]"
    )
    assert answer.citations[0].quote.startswith("Officials did not say how many children")
    assert answer.citations[0].article_id == "daycare"


def test_a_near_miss_without_the_asked_kind_says_what_the_coverage_reports() -> None:
    story = passage(
        "backpacks",
        "Dallas schools will hand out free clear backpacks to students before the school year.",
    )
    question = "How much is Dallas spending on the free clear backpacks for students?"
    answer = answer_with(_answerer(), question, [story])
    assert not answer.answered
    assert answer.text == (
        "The coverage reports “Dallas schools will hand out free clear backpacks to students "
        "before the school year.” [1] but does not say how much."
    )
    assert answer.citations[0].article_id == "backpacks"


def test_an_earlier_occurrence_does_not_answer_a_question_dated_to_the_storys_day() -> None:
    story = passage(
        "kelud",
        "Mount Kelud on Java erupted on Friday, sending ash 18 kilometers into the air. "
        "Kelud's last major eruption was in 1990, when it killed more than 30 people and "
        "injured hundreds.",
    )
    story.metadata["published_ts"] = 1_392_336_000  # 2014-02-14
    on_friday = "How many people were injured when Mount Kelud erupted on Friday?"
    answer = answer_with(_answerer(), on_friday, [story])
    assert not answer.answered
    assert "does not say how many people" in answer.text
    # Asked without the story's day, the 1990 eruption's figure may be what is asked.
    answer = answer_with(_answerer(), "How many people were injured by Mount Kelud?", [story])
    assert answer.answered
    assert "injured hundreds" in answer.text


def test_another_settlement_does_not_answer_for_the_one_the_question_names() -> None:
    story = passage(
        "target",
        "Retail giant Target will pay an $18.5 million multistate settlement over the 2013 "
        "data breach. As part of a $10 million class-action lawsuit settlement reached in "
        "2015, the company also agreed to pay up to $10,000 to consumers.",
    )
    question = "How much of Target's $18.5 million settlement will Connecticut receive?"
    answer = answer_with(_answerer(), question, [story])
    assert not answer.answered
    assert "$10 million" not in answer.text


def test_who_needs_a_name_the_question_does_not_give() -> None:
    story = passage(
        "trade",
        "The Cavaliers made a blockbuster trade for Donovan Mitchell. "
        "Cavaliers general manager Koby Altman said the trade took months.",
    )
    question = "Who is the Cavaliers general manager who made the trade for Donovan Mitchell?"
    answer = answer_with(_answerer(), question, [story])
    assert answer.answered and answer.text.startswith("Cavaliers general manager Koby Altman")
    assert answer.short == "Koby Altman"


@pytest.mark.parametrize(
    ("question", "sentence", "short"),
    [
        (
            "How many employees is Redfin laying off?",
            "Redfin is laying off 862 employees, its chief said.",
            "862 employees",
        ),
        (
            "When will Kishida visit Mongolia?",
            "Kishida will visit Mongolia later this month, aides said.",
            "later this month",
        ),
        (
            "How much does the standard plan cost per month?",
            "The standard plan now costs $15.49 a month, Netflix said.",
            "$15.49 a month",
        ),
    ],
)
def test_the_answer_carries_its_short_span_from_the_cited_quote(
    question: str, sentence: str, short: str
) -> None:
    answer = answer_with(_answerer(), question, [passage("story", sentence)])
    assert answer.answered and answer.short == short
    assert short in answer.citations[0].quote


def test_a_why_answer_has_no_short_span() -> None:
    story = passage("recall", "Ford is recalling the cars because a bushing may be damaged.")
    answer = answer_with(_answerer(), "Why is Ford recalling the cars?", [story])
    assert answer.answered and answer.short is None


@pytest.mark.parametrize(
    ("short", "gold", "exact", "f1"),
    [
        ("$965 million", "965 million", True, 1.0),
        ("the Washburn Fire", "Washburn Fire", True, 1.0),
        ("40 hours", "40 hours per week", False, 0.667),
        ("Javier", "Cristian Javier", False, 0.667),
        ("Houston", "Cristian Javier", False, 0.0),
        (None, "Cristian Javier", False, 0.0),
    ],
)
def test_exact_span_and_word_overlap(short: str | None, gold: str, exact: bool, f1: float) -> None:
    answer = Answer(text="…", short=short)
    assert short_span_exact(answer, gold) is exact
    assert short_span_f1(answer, gold) == f1
    refused = Answer(text="…", short=short, answered=False)
    assert not short_span_exact(refused, gold) and short_span_f1(refused, gold) == 0.0


@pytest.mark.parametrize(
    ("question", "sentence"),
    [
        # What is not known is another figure than the one asked.
        (
            "Biden called on Congress to suspend federal gas taxes for how long?",
            "It's unclear how many states will suspend their gas tax.",
        ),
        (
            "The airline offered them how much money to give up their seat?",
            "They didn't immediately know how many volunteers were needed.",
        ),
    ],
)
def test_another_unknown_figure_is_no_near_miss(question: str, sentence: str) -> None:
    assert not says_unsaid(asked_fact(question), sentence)


class _SameVector(DeterministicFakeEmbedding):
    """Every text gets one vector: only words and priors tell sentences apart."""

    def embed_documents(self, texts: list[str]) -> list[list[float]]:
        return [[1.0] * self.size for _ in texts]

    def embed_query(self, text: str) -> list[float]:
        return [1.0] * self.size


def test_a_sentence_pointing_back_scores_less_than_the_same_words_alone() -> None:
    text = (
        "Japan and Mongolia agreed to promote defense cooperation, officials said. "
        "Thus, Japan and Mongolia agreed to promote defense cooperation."
    )
    scorer = EvidenceScorer(_SameVector(size=8), SCORING)
    ranked = scorer.score("What did Japan and Mongolia agree?", [passage("deal", text)]).ranked
    alone, back = sorted(ranked, key=lambda c: c.offset)
    assert back.text.startswith("Thus,")
    assert alone.score - back.score == pytest.approx(SCORING.points_back_penalty)
    assert alone.score > back.score


@pytest.mark.parametrize(
    ("question", "sentence", "other"),
    [
        (
            "Which chemists shared the 2022 Nobel Prize in Chemistry?",
            "Frederick Sanger twice (1958 and 1980) won the Nobel Prize in chemistry.",
            True,
        ),
        (
            "Which team won the 2022 Stanley Cup?",
            "Colorado won the team's first Stanley Cup since 2001 on Sunday.",
            False,
        ),
        ("Which team won the 2022 Stanley Cup?", "Colorado won the 2022 Stanley Cup.", False),
        ("Which team won the Stanley Cup?", "Colorado won the Cup in 2001.", False),
    ],
)
def test_a_sentence_dated_to_other_years_than_the_question_names(
    question: str, sentence: str, other: bool
) -> None:
    assert _other_year(question, sentence) is other


_KELUD = "Kelud's last major eruption was in 1990, when it killed more than 30 people and injured hundreds."


@pytest.mark.parametrize(
    ("question", "sentence", "other"),
    [
        # The question dates its event to a day of the story: an earlier year's is another.
        ("How many people were injured when Mount Kelud erupted on Friday?", _KELUD, True),
        ("How many people were injured in Sunday's eruption?", _KELUD, True),
        ("How many people did the eruption injure yesterday?", _KELUD, True),
        # No day of the story: the background may be what is asked.
        ("How many people were injured when Mount Kelud erupted?", _KELUD, False),
        # "this week" dates the story, not the asked fact.
        (
            "Raymond Briggs, who died this week, was most celebrated for which book?",
            "Briggs, best known for his 1978 work The Snowman, has died.",
            False,
        ),
        # The story's own year, or a year looked back to, is no other occurrence.
        (
            "How many people were injured when Mount Kelud erupted on Friday?",
            "The 2014 eruption on Friday injured 40 people.",
            False,
        ),
        (
            "How many people were injured when Mount Kelud erupted on Friday?",
            "It was the deadliest eruption since 1990, injuring 40 people.",
            False,
        ),
    ],
)
def test_a_sentence_dated_before_the_story_for_a_question_dated_to_its_day(
    question: str, sentence: str, other: bool
) -> None:
    assert _other_year(question, sentence, published=2014) is other


@pytest.mark.parametrize(
    ("question", "event"),
    [
        ("How many people have died in the outbreak?", "died"),
        ("How many people were hospitalized after eating the cereal?", "hospitalized"),
        ("How many homes were destroyed by the fire?", "destroyed"),
        # The counted noun is not the subject, or nothing is said to happen to it.
        ("How many countries did Zara Rutherford visit?", ""),
        ("How many people are on Delta's no-fly list?", ""),
        ("How many workers is Redfin laying off?", ""),
        ("How many were hospitalized?", ""),  # the counted word is the event itself
        ("When did the fire start?", ""),
    ],
)
def test_what_happened_to_the_things_counted(question: str, event: str) -> None:
    assert counted_event(question) == event


def test_a_count_of_what_happened_to_others_does_not_give_the_count(embeddings) -> None:
    """892 sickened is not how many died; 3 killed says it in other words."""
    question = "How many people have died in the salmonella outbreak?"
    sickened = "The salmonella outbreak has sickened at least 892 people in 38 states."
    killed = "The salmonella outbreak has killed 3 people in 38 states."
    scorer = EvidenceScorer(embeddings, SCORING)
    gives = {c.text: c.gives for c in scorer.score(question, [passage("a", sickened)]).ranked}
    assert gives == {sickened: False}
    ranked = scorer.score(question, [passage("b", f"{sickened} {killed}")]).ranked
    assert [c.text for c in ranked if c.gives] == [killed]


def test_the_word_vectors_the_count_check_keeps_are_bounded(embeddings, monkeypatch) -> None:
    monkeypatch.setattr("qa.evidence._MAX_WORD_VECTORS", 2)
    scorer = EvidenceScorer(embeddings, SCORING)
    first = scorer._vectors(["died", "killed"])
    assert set(first) == {"died", "killed"}
    again = scorer._vectors(["died", "sickened"])  # over the bound: the cache starts again
    assert set(again) == {"died", "sickened"} and set(scorer._word_vectors) == {"sickened"}
    assert float(again["died"] @ first["died"]) == pytest.approx(1.0, abs=1e-5)
