"""Every results file records what produced it, and keeps rows only for dev runs."""

from __future__ import annotations

import json
import subprocess
from datetime import UTC
from pathlib import Path

import pytest
from pydantic import ValidationError

from qa.eval import EvalReport, PipelineResult, QuestionRow, Split, aggregate, report_json
from qa.eval.pipeline import IndexStats
from qa.eval.provenance import KEY_PACKAGES, collect_provenance, cpu_model, git_state
from qa.eval.report import format_failures, format_table
from qa.settings import AnswerSettings
from tests.qa.eval_rows import question_row
from vectorstore import StoreSettings


def _git(repo: Path, *args: str) -> None:
    subprocess.run(["git", *args], cwd=repo, check=True, capture_output=True)


@pytest.fixture
def repo(tmp_path: Path) -> Path:
    """A git work tree with one commit."""
    root = tmp_path / "repo"
    root.mkdir()
    _git(root, "init", "-q")
    (root / "code.py").write_text("x = 1\n")
    _git(root, "add", "code.py")
    _git(root, "-c", "user.name=t", "-c", "user.email=t@t", "commit", "-q", "-m", "one")
    return root


@pytest.mark.unit
def test_git_state_clean_then_dirty(repo: Path) -> None:
    commit, dirty, paths = git_state(repo, [repo / "data"])
    assert len(commit) == 40 and dirty is False and paths == []
    (repo / "data" / "index").mkdir(parents=True)
    (repo / "data" / "index" / "chroma.sqlite3").write_text("x")
    assert git_state(repo, [repo / "data"])[1] is False  # an index is not code
    (repo / "new.py").write_text("y = 2\n")
    assert git_state(repo, [repo / "data"])[1:] == (True, ["?? new.py"])
    (repo / "new.py").unlink()
    (repo / "code.py").write_text("x = 2\n")
    assert git_state(repo, [repo / "data"])[1:] == (True, [" M code.py"])


@pytest.mark.unit
def test_without_git_the_fields_say_so(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    commit, dirty, paths = git_state(tmp_path)  # not a work tree
    assert commit.startswith("unknown (git unavailable") and dirty is None and paths == []
    monkeypatch.setenv("PATH", str(tmp_path))  # no git at all
    commit, dirty, _ = git_state(tmp_path)
    assert commit.startswith("unknown (git unavailable") and dirty is None


@pytest.mark.unit
def test_provenance_records_settings_machine_and_corpus(repo: Path) -> None:
    store, answering = StoreSettings(chunk_tokens=128), AnswerSettings(top_k=5)
    provenance = collect_provenance(
        store=store, answering=answering, articles=300, questions=103, repo=repo
    )
    assert provenance.store_settings == store.model_dump(mode="json")
    assert provenance.store_settings["chunk_tokens"] == 128
    assert provenance.answer_settings["top_k"] == 5
    assert provenance.articles_indexed == 300 and provenance.questions_asked == 103
    assert provenance.started_at.tzinfo == UTC
    assert set(provenance.packages) == set(KEY_PACKAGES)
    assert provenance.packages["chromadb"][0].isdigit()
    assert provenance.cpu_model == cpu_model() != ""
    assert provenance.cpu_count and provenance.python.count(".") == 2
    assert provenance.embedding in {"torch at bfloat16", "onnx at float32"}  # auto, resolved
    pinned = StoreSettings(embedding_runtime="onnx", embedding_precision="float32")
    again = collect_provenance(
        store=pinned, answering=answering, articles=300, questions=103, repo=repo
    )
    assert again.embedding == "onnx at float32"
    assert provenance.dirty is False
    dumped = json.loads(provenance.model_dump_json())
    assert dumped["started_at"].endswith("Z") or dumped["started_at"].endswith("+00:00")


def _row(qid: str, **texts: object) -> QuestionRow:
    return question_row(id=qid, short_answer_strict=False, **texts)


def _report(split: Split, rows: list[QuestionRow], keep: bool = True) -> EvalReport:
    stats = IndexStats(articles=2, chunks=2, chunks_embedded=0, seconds=0.0, data_dir="d")
    result = PipelineResult(
        name="newsdesk",
        metrics=aggregate(rows),
        index=stats,
        seconds=1.0,
        rows=rows if keep else [],
    )
    return EvalReport(
        split=split,
        provenance=collect_provenance(
            store=StoreSettings(), answering=AnswerSettings(), articles=2, questions=len(rows)
        ),
        articles_file="a",
        questions_file="q",
        articles=2,
        questions=len(rows),
        limit_articles=None,
        limit_questions=None,
        gold_aliases=0,
        data_dir="d",
        results={"newsdesk": result},
    )


@pytest.mark.unit
def test_a_test_report_cannot_hold_rows() -> None:
    rows = [_row("q1")]
    with pytest.raises(ValidationError, match="aggregates only"):
        _report(Split.TEST, rows)
    with pytest.raises(ValidationError, match="aggregates only"):
        _report(Split.ALL, rows)
    report = _report(Split.TEST, rows, keep=False)
    assert report.results["newsdesk"].metrics.short_answer_lenient == 1.0
    table = format_table(report)
    assert "by outcome" not in table and "aggregates only" in table
    assert "short answer, strict (cited sentence is gold)" in table
    assert "short answer, lenient (any citation gold)" in table
    with pytest.raises(ValueError, match="dev runs only"):
        format_failures(report)


@pytest.mark.unit
def test_report_json_is_compact_and_reads_back() -> None:
    rows = [_row(f"q{i}", question="Q?", answer="A [1].", cited=["a", "b"]) for i in range(3)]
    report = _report(Split.DEV, rows)
    text = report_json(report)
    assert EvalReport.model_validate_json(text) == report
    lines = text.splitlines()
    for i in range(3):  # each row on a line of its own
        assert sum(f'"id": "q{i}"' in line for line in lines) == 1
    assert len(lines) < 120
    table = format_table(report)
    assert any(line.split()[-1] == "3" for line in table.splitlines() if "its sentence" in line)
