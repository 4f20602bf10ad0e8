"""A written question set (`bench/questions/`): answerable, near-miss and absent-story
questions, measured apart."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from qa.eval.dataset import EvalQuestion, Expect, Split, load_questions
from qa.eval.results import aggregate
from qa.models import Answer, Citation
from tests.qa.eval_rows import question_row

pytestmark = pytest.mark.unit


def _line(qid: str, expect: str, split: str = "dev", article: str = "rtqa-a1") -> dict[str, str]:
    return {
        "id": qid,
        "question": "Which team bought the harbour?",
        "answer": "Acme" if expect == "answer" else "",
        "kind": "who",
        "expect": expect,
        "article_id": "" if expect == "absent" else article,
        "question_date": "2022-07-02",
        "note": "",
        "split": split,
    }


def test_a_written_line_names_its_article_and_what_to_expect() -> None:
    answerable = EvalQuestion.model_validate(_line("u1", "answer"))
    assert answerable.gold_articles == {"rtqa-a1"} and answerable.has_gold_article
    assert answerable.written and answerable.expect is Expect.ANSWER and answerable.kind == "who"
    absent = EvalQuestion.model_validate(_line("u2", "absent"))
    assert absent.gold_articles == set() and not absent.has_gold_article


def test_a_written_set_is_taken_whole_by_split(tmp_path: Path) -> None:
    lines = [
        _line("u1", "answer"),
        _line("u2", "near_miss"),
        _line("u3", "absent"),
        _line("u4", "answer", split="test"),
    ]
    path = tmp_path / "set.jsonl"
    path.write_text("".join(json.dumps(line) + "\n" for line in lines))
    assert [q.id for q in load_questions(path, Split.DEV)] == ["u1", "u2", "u3"]
    assert [q.id for q in load_questions(path, Split.DEV, with_gold=False)] == ["u1", "u2", "u3"]
    assert [q.id for q in load_questions(path, Split.TEST)] == ["u4"]


def test_refusals_are_counted_apart_and_no_choice_figure_is_made_up() -> None:
    rows = [
        question_row(id="a1", choice_correct=None, asked_fact_strict=True),
        question_row(id="a2", choice_correct=None, asked_fact_strict=False, answered=False),
        question_row(id="n1", choice_correct=None, expect=Expect.NEAR_MISS, answered=False),
        question_row(id="n2", choice_correct=None, expect=Expect.NEAR_MISS),
        question_row(
            id="x1",
            choice_correct=None,
            expect=Expect.ABSENT,
            answered=False,
            has_gold_article=False,
        ),
    ]
    figures = aggregate(rows)
    assert figures.asked_fact_strict == 0.5  # of the two answerable questions
    assert figures.refused_answerable == 0.5
    assert figures.refused_near_miss == 0.5
    assert figures.refused_absent == 1.0
    assert figures.multiple_choice_accuracy is None
    quiz = aggregate([question_row()])  # a quiz question: no written-set refusal figures
    assert quiz.refused_answerable is None and quiz.multiple_choice_accuracy == 1.0


def test_the_asked_fact_must_be_in_the_sentence_and_in_the_quote_it_cites() -> None:
    from qa.eval.metrics import asked_fact_strict

    quote = "The board said Acme Ltd bought the harbour for 3 million dollars."
    cited = [
        Citation(number=1, article_id="a", title="t", quote="The harbour was sold on Monday."),
        Citation(number=2, article_id="b", title="t", quote=quote),
    ]
    right = Answer(text="The harbour was sold [1]. Acme Ltd bought it [2].", citations=cited)
    assert asked_fact_strict(right, "Acme Ltd")
    # The sentence names Acme, but the quote it cites does not: a reader cannot check it.
    unchecked = Answer(text="Acme Ltd bought the harbour [1].", citations=cited)
    assert not asked_fact_strict(unchecked, "Acme Ltd")
    refused = Answer(text="No.", answered=False)
    assert not asked_fact_strict(refused, "Acme Ltd")
