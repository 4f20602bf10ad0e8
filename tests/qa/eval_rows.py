"""A per-question result row for the evaluation's unit tests: a right answer unless told."""

from __future__ import annotations

from typing import Any

from qa.eval.results import QuestionRow

RIGHT = {
    "id": "1",
    "hit_rank": 1,
    "answer_in_top4": True,
    "answered": True,
    "short_answer_strict": True,
    "short_answer_lenient": True,
    "answer_has_gold": True,
    "asked_fact_strict": True,
    "short_exact": True,
    "short_f1": 1.0,
    "choice_correct": True,
    "latency_ms": 100.0,
}


def question_row(**fields: Any) -> QuestionRow:
    """A row answered right, with `fields` changed."""
    return QuestionRow.model_validate(RIGHT | fields)
