"""`python -m qa`'s printout of an answer: every quoted sentence under its source."""

from __future__ import annotations

import pytest

from qa.__main__ import format_answer
from qa.models import Answer, Citation

pytestmark = pytest.mark.unit


def _citation(**fields: object) -> Citation:
    base = {
        "number": 1,
        "article_id": "summit.txt",
        "title": "Kishida to visit Mongolia",
        "source": "The Japan News",
        "published_at": "2024-08-05T17:04:00+09:00",
        "quote": "Kishida will visit Mongolia.",
        "offset": 0,
    }
    return Citation.model_validate(base | fields)


def test_each_quoted_sentence_of_a_source_is_printed_under_it() -> None:
    quotes = ["Kishida will visit Mongolia.", "The two will sign a defense deal."]
    cited = _citation(quotes=quotes, offsets=[0, 40], url="https://example.com/summit")
    answer = Answer(
        text="Kishida will visit Mongolia [1]. They will sign a deal [1].", citations=[cited]
    )
    assert format_answer(answer).splitlines() == [
        answer.text,
        "",
        "Sources:",
        "[1] The Japan News, “Kishida to visit Mongolia”, 2024-08-05",
        "    https://example.com/summit",
        "    “Kishida will visit Mongolia.”",
        "    “The two will sign a defense deal.”",
    ]


def test_a_refusal_lists_the_closest_coverage() -> None:
    answer = Answer(
        text="The coverage I have does not answer that.", answered=False, related=[_citation()]
    )
    assert format_answer(answer).splitlines()[-2:] == [
        "Closest coverage (it does not answer the question):",
        "[1] The Japan News, “Kishida to visit Mongolia”, 2024-08-05",
    ]


def test_the_short_answer_is_printed_under_the_answer() -> None:
    answer = Answer(
        text="Kishida will visit Mongolia later this month [1].",
        short="later this month",
        citations=[_citation()],
    )
    assert format_answer(answer).splitlines()[:4] == [
        answer.text,
        "",
        "In short: later this month",
        "",
    ]


def test_a_written_answer_says_what_was_left_out_and_any_notice() -> None:
    from qa.models import DroppedSentence, Written

    answer = Answer(
        text="Kishida will visit Mongolia [1].",
        notice="The written answer is unavailable (x): the extracted answer is shown.",
        written=Written(
            model="m",
            dropped=[DroppedSentence(text="It cost $9.", reason="its source does not give 9")],
        ),
    )
    assert format_answer(answer).splitlines() == [
        "Kishida will visit Mongolia [1].",
        "",
        "Note: The written answer is unavailable (x): the extracted answer is shown.",
        "",
        "Left out: “It cost $9.” (its source does not give 9)",
    ]
