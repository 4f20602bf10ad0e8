"""Test-split discipline: a test (or all-split) run leaves no per-question trace anywhere.

End to end on a tiny synthetic corpus, and over every results file committed under
`docs/results/`.
"""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any

import pytest

from qa.eval import Split, load_questions
from qa.eval.__main__ import main

ROOT = Path(__file__).resolve().parents[2]
RESULTS = ROOT / "docs" / "results"
TEXT_FIELDS = ("question", "gold_answer", "answer", "chosen")  # the quiz's words, or an answer's
BENCH = ROOT.parent / "shared" / "bench" / "realtimeqa"
ROW_TEXTS = ("question", "gold_answer", "answer", "cited", "gold_articles", "chosen")

ARTICLES = [
    {
        "id": "art-zephyr",
        "title": "Zephyrine Lighthouse reopens after restoration",
        "source": "Harbor Gazette",
        "url": "https://example.org/zephyrine-lighthouse",
        "published_at": "2022-09-01",
        "body": "The Zephyrine Lighthouse reopened to visitors on Tuesday after a two-year "
        "restoration. The lighthouse keeper, Odalys Brumfield, said the lamp now runs on "
        "solar power.\nThe restoration cost 4.2 million dollars, the harbor board said.",
    },
    {
        "id": "art-quokka",
        "title": "Quokka census finds record numbers on Marrowby Island",
        "source": "Island Times",
        "url": "https://example.org/quokka-census",
        "published_at": "2022-09-03",
        "body": "Rangers counted 12,400 quokkas on Marrowby Island, the highest number "
        "since counts began. The census was led by ecologist Tamsin Okonjo.",
    },
    {
        "id": "art-tram",
        "title": "Velmora opens its first tram line",
        "source": "City Post",
        "url": "https://example.org/velmora-tram",
        "published_at": "2022-09-05",
        "body": "The city of Velmora opened its first tram line on Monday. The line links "
        "the old port with the university and carries 30,000 riders a day.",
    },
]
QUESTIONS = [
    ("secret-test-q1", "test", "Who keeps the newly restored Zephyrine Lighthouse?",
     "Odalys Brumfield", ["Odalys Brumfield", "Tamsin Okonjo"], "art-zephyr"),
    ("secret-test-q2", "test", "How many quokkas did rangers count on Marrowby Island?",
     "12,400", ["8,000", "12,400"], "art-quokka"),
    ("visible-dev-q3", "dev", "Which city opened its first tram line?",
     "Velmora", ["Velmora", "Marrowby"], "art-tram"),
]  # fmt: skip


def _write_jsonl(path: Path, records: list[dict[str, Any]]) -> Path:
    path.write_text("".join(json.dumps(r) + "\n" for r in records))
    return path


def _questions(path: Path) -> Path:
    records = [
        {
            "id": qid,
            "question": question,
            "answer": answer,
            "choices": choices,
            "answer_index": [choices.index(answer)],
            "question_date": "2022-09-09",
            "evidence": [{"article_id": gold}],
            "has_gold_article": True,
            "split": split,
        }
        for qid, split, question, answer, choices, gold in QUESTIONS
    ]
    return _write_jsonl(path, records)


def leaks(text: str, questions: list[tuple[str, str, str]]) -> list[str]:
    """The ids, question texts and gold answers of `questions` that occur in `text`."""
    return [value for question in questions for value in question if value and value in text]


def rows_kept(report: dict[str, Any]) -> list[str]:
    """What in a parsed results file is per-question: rows, or row texts."""
    found = []
    for name, result in report.get("results", {}).items():
        for row in result.get("rows", []):
            found.append(f"{name}: row {row.get('id', '?')}")
            found.extend(f"{name}: {key}" for key in ROW_TEXTS if row.get(key) is not None)
    return found


@pytest.mark.integration
def test_a_test_run_keeps_and_prints_aggregates_only(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    articles = _write_jsonl(tmp_path / "articles.jsonl", ARTICLES)
    questions = _questions(tmp_path / "questions.jsonl")
    body_sentences = [s for a in ARTICLES for s in str(a["body"]).split(". ")]
    hidden = [(qid, q, a) for qid, split, q, a, _, _ in QUESTIONS if split == "test"]
    common = ["--articles", str(articles), "--questions", str(questions)]
    common += ["--data-dir", str(tmp_path / "data"), "-q"]
    for split, asked in (("test", 2), ("all", 3)):
        out = tmp_path / f"eval-{split}.json"
        argv = [*common, "--split", split, "--pipeline", "both", "--json", str(out)]
        assert main(argv) == 0
        stdout = capsys.readouterr().out
        text = out.read_text()
        report = json.loads(text)
        assert report["split"] == split and report["questions"] == asked
        assert report["provenance"]["questions_asked"] == asked
        assert rows_kept(report) == []
        for name in ("newsdesk", "naive"):
            assert report["results"][name]["rows"] == []
            assert 0.0 <= report["results"][name]["metrics"]["short_answer_lenient"] <= 1.0
        assert "by outcome" not in stdout and "aggregates only" in stdout
        everything = [(qid, q, a) for qid, _, q, a, _, _ in QUESTIONS]
        for output in (text, stdout):
            assert leaks(output, hidden if split == "test" else everything) == []
            assert not [s for s in body_sentences if s in output]  # no answer text either
    # Dev keeps its rows, with texts; --failures is for dev only.
    out = tmp_path / "eval-dev.json"
    assert main([*common, "--split", "dev", "--json", str(out), "--failures"]) == 0
    dev = json.loads(out.read_text())
    assert [row["id"] for row in dev["results"]["newsdesk"]["rows"]] == ["visible-dev-q3"]
    assert dev["results"]["newsdesk"]["rows"][0]["question"].startswith("Which city")
    # For the repository: ids, outcomes and the answer's digest, no quiz or answer text.
    bare = tmp_path / "eval-dev-bare.json"
    assert main([*common, "--split", "dev", "--json", str(bare), "--no-texts"]) == 0
    (row,) = json.loads(bare.read_text())["results"]["newsdesk"]["rows"]
    (kept,) = dev["results"]["newsdesk"]["rows"]
    assert [row.get(field) for field in TEXT_FIELDS] == [None] * len(TEXT_FIELDS)
    assert row["answer_digest"] == kept["answer_digest"] and row["cited"] == kept["cited"]
    capsys.readouterr()
    for split in ("test", "all"):
        assert main([*common, "--split", split, "--failures"]) == 2
        assert "--failures lists dev failures only" in capsys.readouterr().err


def _result_files() -> list[Path]:
    return sorted(RESULTS.glob("**/*.json")) if RESULTS.is_dir() else []


@pytest.mark.unit
@pytest.mark.parametrize("path", _result_files(), ids=lambda p: p.name)
def test_committed_test_results_hold_aggregates_only(path: Path) -> None:
    text = path.read_text(encoding="utf-8")
    report = json.loads(text)
    if "benchmark" in report:  # bench/: its commit and settings are in its config
        assert re.fullmatch(r"[0-9a-f]{40}", report["config"]["commit"]), path.name
        assert report["machine"]["cpu_model"], path.name
        report["split"] = Split.DEV.value  # no quiz questions asked; leaks still checked
    assert "provenance" in report or "benchmark" in report, (
        f"{path.name} does not record its commit and settings"
    )
    test_questions: list[tuple[str, str, str]] = []
    if BENCH.is_dir():
        test_questions = [
            (q.id, q.question, q.answer)
            for with_gold in (True, False)
            for q in load_questions(BENCH / "questions.jsonl", Split.TEST, with_gold=with_gold)
        ]
    if report["split"] != Split.DEV.value:
        assert rows_kept(report) == [], f"{path.name} is a {report['split']} run with rows"
    # Neither a test run nor a dev run may hold a test question's id or text.
    assert leaks(text, [(qid, question, "") for qid, question, _ in test_questions]) == []


@pytest.mark.unit
@pytest.mark.parametrize("path", _result_files(), ids=lambda p: p.name)
def test_committed_results_copy_no_quiz_or_answer_text(path: Path) -> None:
    report = json.loads(path.read_text(encoding="utf-8"))
    texts = [
        f"{name}: {row['id']}: {field}"
        for name, result in report.get("results", {}).items()  # a checker run has none
        for row in result.get("rows", [])
        for field in TEXT_FIELDS
        if row.get(field)
    ]
    assert texts == [], f"{path.name} copies quiz data into the repository (run with --no-texts)"


@pytest.mark.unit
def test_the_scan_catches_a_test_file_with_rows() -> None:
    bad = {"split": "test", "results": {"newsdesk": {"rows": [{"id": "x", "question": "Q?"}]}}}
    assert rows_kept(bad) == ["newsdesk: row x", "newsdesk: question"]
    assert leaks('{"id": "secret-test-q1"}', [("secret-test-q1", "Who?", "Her")]) == [
        "secret-test-q1"
    ]
