"""The evaluation of written answers on small data: `qa.eval --answerer both` with the
real SmolLM2, and the citation checker's evaluation (`qa.eval.checker`)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from qa.eval.__main__ import main
from qa.eval.checker import Trial, changed
from qa.eval.checker import main as checker_main
from qa.stated import SourceFacts
from tests.qa.test_eval import BENCH

needs_bench = pytest.mark.skipif(not BENCH.is_dir(), reason="needs ../shared/bench/realtimeqa")


@pytest.mark.unit
def test_a_changed_sentence_has_one_figure_or_name_the_article_does_not_give() -> None:
    import random

    article = SourceFacts.read(
        "Japan gave Mongolia 40 radars in 2024. Kishida visited Ulaanbaatar."
    )
    sentence = "Japan gave Mongolia 40 radars."
    for seed in range(10):
        new = changed(sentence, article, ["Brazil", "Japan"], random.Random(seed))
        assert new != sentence
        assert article.lacks(new), new  # the change is one the article does not support
        assert len(new.split()) == len(sentence.split())
    assert changed("The deal was signed.", article, ["Brazil"], random.Random(0)) == (
        "The deal was signed."  # nothing to change
    )


@pytest.mark.unit
def test_a_trial_is_accepted_only_with_every_name_and_figure_and_a_close_sentence() -> None:
    assert Trial("gold", 0, 0.55, lacks=False, says_little=False).accepted(0.4)
    assert not Trial("gold", 0, 0.35, lacks=False, says_little=False).accepted(0.4)
    assert not Trial("gold", 0, 0.9, lacks=True, says_little=False).accepted(0.4)
    assert not Trial("gold", 0, 0.9, lacks=False, says_little=True).accepted(0.4)


@pytest.mark.integration
@needs_bench
def test_the_checker_evaluation_sweeps_thresholds_on_dev(tmp_path: Path) -> None:
    out = tmp_path / "checker.json"
    assert checker_main(["--limit-questions", "8", "--json", str(out), "-q"]) == 0
    result = json.loads(out.read_text())
    assert result["split"] == "dev" and result["facts"] >= 5
    assert result["provenance"]["commit"] and "cpu_model" in result["provenance"]
    assert set(result["trials"]) >= {"gold", "other"}
    assert [row["threshold"] for row in result["sweep"]][:2] == [0.3, 0.35]
    at = result["at_setting"]
    assert at["threshold"] == result["settings"]["support_similarity"] == 0.4
    for key in ("gold_sentences", "other_sentences", "gold_facts"):
        assert 0.0 <= at[key] <= 1.0
    # A higher threshold never accepts more gold sentences, nor rejects fewer others.
    golds = [row["gold_sentences"] for row in result["sweep"]]
    others = [row["other_sentences"] for row in result["sweep"]]
    assert golds == sorted(golds, reverse=True) and others == sorted(others)


@pytest.mark.integration
@pytest.mark.llm
@needs_bench
def test_eval_runs_extractive_and_smollm2_on_the_same_index(tmp_path: Path) -> None:
    out = tmp_path / "eval.json"
    argv = ["--split", "dev", "--answerer", "both", "--limit-articles", "20"]
    argv += ["--limit-questions", "2", "--data-dir", str(tmp_path / "data"), "--json", str(out)]
    assert main(argv) == 0
    report = json.loads(out.read_text())
    assert set(report["results"]) == {"newsdesk", "newsdesk-llm"}
    extractive, written = (report["results"][n] for n in ("newsdesk", "newsdesk-llm"))
    assert extractive["index"]["chunks"] == written["index"]["chunks"]  # one index
    assert written["index"]["chunks_embedded"] == 0
    assert extractive["metrics"]["written_kept"] is None
    figures = written["metrics"]
    answered = [r for r in written["rows"] if r["answered"]]
    if answered:  # the gate let a question through: the model wrote, or failed with a notice
        assert any(r["written_sentences"] is not None or r["fell_back"] for r in answered)
        assert figures["written_fallback"] is not None
    assert report["provenance"]["answer_settings"]["llm"]["backend"] == "llamacpp"


@pytest.mark.unit
def test_answers_the_model_failed_on_count_even_when_none_was_written() -> None:
    from qa.eval.results import aggregate
    from tests.qa.eval_rows import question_row

    failed = aggregate([question_row(fell_back=True), question_row(id="2", answered=False)])
    assert failed.written_fallback == 1.0 and failed.written_kept is None
    mixed = aggregate(
        [question_row(fell_back=True), question_row(id="2", written_sentences=2, kept_sentences=1)]
    )
    assert mixed.written_fallback == 0.5 and mixed.written_kept == 0.5
    assert aggregate([question_row()]).written_fallback is None  # an extractive run
