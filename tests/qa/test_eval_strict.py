"""Strict and lenient short answers, judged on hand-made answers."""

from __future__ import annotations

import pytest

from qa.eval.metrics import (
    answer_sentences,
    cited_numbers,
    short_answer_lenient,
    short_answer_strict,
    short_answer_text,
)
from qa.eval.report import OUTCOMES, outcome
from qa.models import Answer, Citation
from tests.qa.eval_rows import question_row

GOLD = {"gold"}


def _answer(text: str, *articles: str, answered: bool = True) -> Answer:
    """Citation n (1-based) is `articles[n - 1]`."""
    citations = [
        Citation(number=i, article_id=a, title="t", quote="q")
        for i, a in enumerate(articles, start=1)
    ]
    return Answer(text=text, citations=citations, answered=answered)


def _both(answer: Answer, gold_answer: str) -> tuple[bool, bool]:
    return (
        short_answer_strict(answer, gold_answer, GOLD),
        short_answer_lenient(answer, gold_answer, GOLD),
    )


@pytest.mark.unit
def test_gold_answer_in_a_sentence_citing_another_article_is_lenient_only() -> None:
    answer = _answer(
        "Netflix made news this week [1]. The show renewed is Squid Game [2].", "gold", "other"
    )
    assert _both(answer, "Squid Game") == (False, True)
    # The other way round: the sentence holding the answer cites the gold article.
    answer = _answer(
        "Netflix made news this week [1]. The show renewed is Squid Game [2].", "other", "gold"
    )
    assert _both(answer, "Squid Game") == (True, True)


@pytest.mark.unit
def test_any_sentence_holding_the_answer_may_carry_the_gold_citation() -> None:
    answer = _answer(
        "Squid Game is back, Netflix said [1]. Squid Game will return in 2024 [2].",
        "other",
        "gold",
    )
    assert _both(answer, "Squid Game") == (True, True)
    # One of several markers on the sentence is enough.
    answer = _answer("The show renewed is Squid Game [1][2].", "other", "gold")
    assert _both(answer, "Squid Game") == (True, True)


@pytest.mark.unit
def test_markers_after_a_closing_quote_stay_with_their_sentence() -> None:
    text = "The minister said the work “has begun” [1]. It started in Tokyo [2]."
    assert answer_sentences(_answer(text)) == [
        "The minister said the work “has begun” [1].",
        "It started in Tokyo [2].",
    ]
    assert _both(_answer(text, "gold", "other"), "has begun") == (True, True)
    assert _both(_answer(text, "other", "gold"), "has begun") == (False, True)
    # After a quote's "?”" the markers would split off as a "sentence" of their own.
    text = "She asked “is Squid Game back?” [1]. It was a big week [2]."
    sentences = answer_sentences(_answer(text))
    assert len(sentences) == 2 and cited_numbers(sentences[0]) == {1}
    assert _both(_answer(text, "gold", "other"), "Squid Game") == (True, True)
    assert _both(_answer(text, "other", "gold"), "Squid Game") == (False, True)


@pytest.mark.unit
def test_one_article_cited_by_both_sentences_keeps_one_number() -> None:
    answer = _answer("Netflix made news this week [1]. The show renewed is Squid Game [1].", "gold")
    assert _both(answer, "Squid Game") == (True, True)
    answer = _answer(
        "Netflix made news this week [1]. The show renewed is Squid Game [1].", "other"
    )
    assert _both(answer, "Squid Game") == (False, False)


@pytest.mark.unit
def test_strict_judges_the_first_two_sentences_only() -> None:
    text = "Netflix made news [1]. It was a big week [1]. It is Squid Game [2]."
    answer = _answer(text, "other", "gold")
    assert _both(answer, "Squid Game") == (False, False)
    assert short_answer_text(answer) == "Netflix made news. It was a big week."


@pytest.mark.unit
def test_strict_needs_an_answer_and_a_marker() -> None:
    refused = _answer("Squid Game [1].", "gold", answered=False)
    assert _both(refused, "Squid Game") == (False, False)
    unmarked = _answer("The show renewed is Squid Game.", "gold")
    assert _both(unmarked, "Squid Game") == (False, True)
    # The marker's number is not a figure of the text.
    assert _both(_answer("Prices rose [1].", "gold"), "1") == (False, False)


@pytest.mark.unit
def test_outcome_uses_the_strict_figure() -> None:
    row = question_row(short_answer_strict=False)
    assert outcome(row) == OUTCOMES[5] == "right answer, its sentence cites no gold article"
    strict = row.model_copy(update={"short_answer_strict": True})
    assert outcome(strict) == OUTCOMES[0]
