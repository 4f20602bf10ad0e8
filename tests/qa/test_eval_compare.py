"""`python -m qa.eval.compare`: two runs' dev rows, question by question."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from qa.eval.compare import main
from qa.eval.diff import ComparedRow, compare, load_rows
from qa.eval.results import ANSWER_CHARS, answer_digest
from tests.qa.eval_rows import RIGHT


def _row(qid: str, **fields: Any) -> dict[str, Any]:
    row: dict[str, Any] = RIGHT | {
        "id": qid,
        "early_answered": False,
        "early_has_gold": False,
        "question": "Q?",
        "gold_answer": "Squid Game",
        "answer": "Netflix renewed Squid Game [1]. It was a big week [2].",
        "cited": ["a", "b"],
        "gold_articles": ["a"],
        "chosen": "Squid Game",
    }
    row |= fields
    return row | {"answer_digest": answer_digest(row["answer"])} | fields  # as the harness


def _write(path: Path, rows: list[dict[str, Any]], split: str = "dev", **extra: Any) -> Path:
    data = {
        "split": split,
        "provenance": {"commit": "0123456789abcdef" * 2, "dirty": False},
        "results": {"newsdesk": {"name": "newsdesk", "rows": rows}},
    } | extra
    path.write_text(json.dumps(data))
    return path


def _rows(*rows: dict[str, Any]) -> dict[str, ComparedRow]:
    return {row["id"]: ComparedRow.model_validate(row) for row in rows}


@pytest.mark.unit
def test_rows_that_differ_field_by_field() -> None:
    old = _rows(_row("q1"), _row("q2"), _row("q3"), _row("gone"))
    new = _rows(
        _row("q1"),
        _row("q2", short_answer_strict=False, hit_rank=None, cited=["b", "c"]),
        _row("q3", answer="Netflix renewed Stranger Things [1]."),
        _row("added"),
    )
    result = compare(old, new)
    assert result.compared == 3 and result.only_old == ["gone"] and result.only_new == ["added"]
    assert [d.id for d in result.differ] == ["q2", "q3"]
    q2 = {c.field: (c.old, c.new) for c in result.differ[0].changes}
    assert q2 == {
        "short_answer_strict": (True, False),
        "hit_rank": (1, None),
        "cited": (["a", "b"], ["b", "c"]),
    }
    q3 = result.differ[1].changes
    assert [c.field for c in q3] == ["answer"]
    assert q3[0].old == "Netflix renewed Squid Game. It was a big week."  # markers stripped
    assert result.markers_only == [] and result.not_compared == []


@pytest.mark.unit
def test_renumbered_markers_are_listed_apart() -> None:
    old = _rows(_row("q1", answer="Squid Game is back [1]. A big week [2].", cited=["a", "b"]))
    new = _rows(_row("q1", answer="Squid Game is back [1]. A big week [1].", cited=["a"]))
    result = compare(old, new)
    assert [c.field for c in result.differ[0].changes] == ["cited"]  # not the text
    old = _rows(_row("q1", answer="Squid Game is back [1]. A big week [2].", cited=["b", "a"]))
    new = _rows(_row("q1", answer="Squid Game is back [2]. A big week [1].", cited=["a", "b"]))
    result = compare(old, new)
    assert result.differ == [] and [d.id for d in result.markers_only] == ["q1"]
    strict = compare(old, new, ignore_markers=False)
    assert [c.field for c in strict.differ[0].changes] == ["answer"]
    assert strict.markers_only == []


@pytest.mark.unit
def test_a_cut_answer_matches_the_whole_text_of_an_older_file() -> None:
    whole = "Squid Game is back for a second season, Netflix said. " * 10 + "[1]."
    assert len(whole) > ANSWER_CHARS
    old = _rows(_row("q1", answer=whole))
    new = _rows(_row("q1", answer=whole[:ANSWER_CHARS]))
    assert compare(old, new).differ == []


@pytest.mark.unit
def test_an_older_file_with_correct_is_read_as_lenient(tmp_path: Path) -> None:
    legacy = _row("q1", correct=False)
    for field in ("short_answer_strict", "short_answer_lenient", "asked_fact_strict"):
        del legacy[field]
    old = load_rows(_write(tmp_path / "old.json", [legacy]))
    assert old.rows["q1"].short_answer_lenient is False
    new = load_rows(_write(tmp_path / "new.json", [_row("q1")]))
    result = compare(old.rows, new.rows)
    changes = {c.field: (c.old, c.new) for c in result.differ[0].changes}
    assert changes == {"short_answer_lenient": (False, True)}
    assert result.not_compared == ["short_answer_strict", "asked_fact_strict"]


@pytest.mark.unit
def test_cli_lists_changes_and_a_summary(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    old = _write(tmp_path / "old.json", [_row("q1"), _row("q2")])
    new = _write(
        tmp_path / "new.json",
        [_row("q1", choice_correct=False), _row("q2", answer=_row("q2")["answer"] + " [3]")],
    )
    assert main([str(old), str(new)]) == 0
    out = capsys.readouterr().out
    assert "q1\n  choice_correct: true -> false" in out
    assert "markers only" in out and "  q2\n" in out
    assert out.rstrip().endswith("2 rows compared, 1 differ; 1 more in markers only")
    assert "(0123456789ab)" in out


@pytest.mark.unit
@pytest.mark.parametrize("split", ["test", "all"])
def test_cli_refuses_test_split_files(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], split: str
) -> None:
    dev = _write(tmp_path / "dev.json", [_row("q1")])
    test = _write(tmp_path / "test.json", [], split=split)
    assert main([str(dev), str(test)]) == 2
    err = capsys.readouterr().err
    assert f"{split}-split run" in err and "only dev runs are compared" in err


@pytest.mark.unit
def test_cli_usage_errors(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    dev = _write(tmp_path / "dev.json", [_row("q1")])
    assert main([str(dev), str(dev), "--pipeline", "naive"]) == 2
    assert "no naive results" in capsys.readouterr().err
    assert main([str(dev), str(tmp_path / "missing.json")]) == 2
    assert "Cannot read" in capsys.readouterr().err
    (tmp_path / "other.json").write_text("[1, 2]")
    assert main([str(dev), str(tmp_path / "other.json")]) == 2
    assert "not a qa.eval results file" in capsys.readouterr().err


@pytest.mark.unit
def test_rows_without_texts_are_compared_by_their_answers_digests() -> None:
    bare = {"answer": None, "question": None, "gold_answer": None, "chosen": None}
    old = _rows(_row("q1"), _row("q2"))
    new = _rows(
        _row(
            "q1",
            answer_digest=answer_digest("Netflix renewed Squid Game [2]. It was a big week [1]."),
        )
        | bare,
        _row("q2", answer_digest=answer_digest("Netflix renewed Stranger Things [1].")) | bare,
    )
    result = compare(old, new)
    assert [d.id for d in result.differ] == ["q2"]  # q1 only renumbered its markers
    assert [c.field for c in result.differ[0].changes] == ["answer_digest"]
