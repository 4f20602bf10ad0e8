"""`bench/ingest.py` end to end on 20 articles in two rounds: it runs, and its JSON holds
sane figures.

No timing is asserted (figures depend on the machine); the counts and checks are.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from tests.conftest import ROOT
from vectorstore import StoreSettings, refresh

pytestmark = pytest.mark.integration

ARTICLES = ROOT.parent / "shared/bench/realtimeqa/articles.jsonl"
LIMIT = 20
REFRESH_RUNS = {"pooled", "no_sentences", "separate"}


@pytest.fixture(scope="module")
def figures(tmp_path_factory: pytest.TempPathFactory) -> dict:
    """One quick benchmark run (no batch-size sweep), its JSON decoded."""
    if not ARTICLES.is_file():
        pytest.skip(f"the RealTime QA feed is not at {ARTICLES}")
    out = tmp_path_factory.mktemp("bench") / "ingest.json"
    kept = out.parent / "kept"
    done = subprocess.run(
        [sys.executable, "bench/ingest.py", "--limit", str(LIMIT), "--quick", "--rounds", "2"]
        + ["--out", str(out), "--keep", str(kept)],
        cwd=ROOT,
        # The run measures the default settings, whatever the developer's NEWSDESK_* say.
        env={k: v for k, v in os.environ.items() if not k.startswith("NEWSDESK_")},
        capture_output=True,
        text=True,
        timeout=1200,
    )
    assert done.returncode == 0, done.stderr[-3000:]
    assert "targets" in done.stdout and str(out) in done.stdout
    return json.loads(out.read_text()) | {"kept": str(kept)}


def test_the_kept_pooled_store_is_whole_and_up_to_date(figures: dict) -> None:
    kept = Path(figures["kept"])
    assert {p.name for p in kept.iterdir()} == {"articles", "tutorial", *figures["ingest"]}
    settings = StoreSettings(
        articles_dir=kept / "articles", data_dir=kept / "pooled", sentence_vectors="pooled"
    )
    report = refresh(settings)
    assert (report.skipped, report.chunks_added) == (LIMIT - report.duplicates, 0)
    assert report.sentences_embedded == 0  # its table is whole, under pooled keys
    assert report.chunks_total == figures["corpus"]["passages"]


def test_every_section_is_written(figures: dict) -> None:
    assert set(figures) >= {
        "config",
        "machine",
        "corpus",
        "ingest",
        "raw",
        "raw_fastest",
        "agreement",
        "no_change",
        "edit",
        "ratios",
        "targets",
    }
    bfloat16 = figures["machine"]["native_bfloat16"]
    float32 = {"float32"} if bfloat16 else set()
    assert set(figures["ingest"]) == REFRESH_RUNS | float32 | {"tutorial"}
    assert figures["config"]["limit"] == LIMIT and figures["sample"] is None  # --quick
    assert figures["machine"]["cpu_count"] > 0 and figures["machine"]["cpu_model"]
    assert figures["machine"]["packages"]["torch"]


def test_every_refresh_indexes_every_article_and_says_where_its_time_went(figures: dict) -> None:
    corpus, ingest = figures["corpus"], figures["ingest"]
    assert corpus["articles"] == LIMIT
    pooled, separate, off = ingest["pooled"], ingest["separate"], ingest["no_sentences"]
    assert (pooled["sentence_vectors"], separate["sentence_vectors"]) == ("pooled", "separate")
    assert off["sentence_vectors"] == "off" and off["sentences"] == 0
    # The same answering sentences, pooled from their passages or encoded alone.
    assert pooled["sentences"] == separate["sentences"] > corpus["passages"]
    assert 0 < pooled["sentences_pooled"] <= pooled["sentences"]
    assert separate["sentences_pooled"] == 0
    for name in ingest.keys() - {"tutorial"}:
        run = ingest[name]
        assert run["report"]["added"] + run["report"]["duplicates"] == LIMIT
        assert run["report"]["failed"] == []
        assert run["passages"] == corpus["passages"] > LIMIT  # the same cut for every run
    for run in ingest.values():
        assert run["articles"] == LIMIT and run["passages"] > 0
        assert run["seconds"] > 0 and run["articles_per_s"] > 0 and run["passages_per_s"] > 0
        assert 0 < run["model_seconds"] < run["seconds"]
        assert run["other_seconds"] == pytest.approx(run["seconds"] - run["model_seconds"])
        assert run["peak_rss_mb"] > 100  # a process holding the model


def test_raw_encodes_cover_the_same_passages(figures: dict) -> None:
    raw = figures["raw"]
    assert "onnx-float32" in raw and figures["raw_fastest"] in raw
    bfloat16 = figures["machine"]["native_bfloat16"]
    assert f"torch-{'bfloat16' if bfloat16 else 'float32'}" in raw
    for encode in raw.values():
        assert encode["passages"] == figures["corpus"]["passages"]
        assert encode["batch_size"] == figures["config"]["embed_batch_size"]
        assert encode["passages_per_s"] > 0 and encode["max_seq_length"] == 256
    fastest = raw[figures["raw_fastest"]]["passages_per_s"]
    assert fastest == max(encode["passages_per_s"] for encode in raw.values())


def test_pooled_sentence_vectors_are_compared_with_the_separate_ones(figures: dict) -> None:
    agreement = figures["agreement"]
    assert agreement["sentences"] == figures["ingest"]["pooled"]["sentences"]
    assert 0 < agreement["cosine_min"] <= agreement["cosine_p5"] <= agreement["cosine_median"]
    assert agreement["cosine_median"] < 0.95  # in context: not the same vectors


def test_a_second_refresh_embeds_nothing(figures: dict) -> None:
    for report in (figures["no_change"]["report"], figures["no_change"]["warm_report"]):
        assert (report["added"], report["updated"], report["deleted"]) == (0, 0, 0)
        assert report["skipped"] == figures["ingest"]["pooled"]["report"]["added"]
        assert report["chunks_added"] == report["chunks_deleted"] == 0
        assert report["sentences_embedded"] == 0
    assert figures["no_change"]["percent_of_full"] > 0


def test_editing_ten_articles_updates_exactly_those(figures: dict) -> None:
    edit = figures["edit"]
    assert len(set(edit["edited_ids"])) == 10
    report = edit["report"]
    assert (report["added"], report["updated"], report["deleted"]) == (0, 10, 0)
    assert report["chunks_added"] >= 10 and report["chunks_deleted"] >= 10
    assert report["sentences_pooled"] > 0  # the pooled store's edits are pooled too
    targets = {target["name"]: target for target in figures["targets"]}
    assert targets["edit_updated"]["passed"] is True
    assert targets["no_change_embeds_nothing"]["passed"] is True
    assert {"pooled_vs_raw", "float32_vs_tutorial", "no_change_percent"} <= targets.keys()
    assert ("bfloat16_vs_tutorial" in targets) == figures["machine"]["native_bfloat16"]
    assert all(isinstance(target["passed"], bool) for target in targets.values())


def test_the_targets_take_the_median_of_the_rounds(figures: dict) -> None:
    rounds, ingest = figures["rounds"], figures["ingest"]
    assert figures["config"]["rounds"] == len(rounds) == 2
    first = rounds[0]  # the first round is the main pass's own runs
    assert first["pooled_seconds"] == ingest["pooled"]["seconds"]
    assert first["tutorial_seconds"] == ingest["tutorial"]["seconds"]
    assert first["raw_seconds"] == figures["raw"][figures["raw_fastest"]]["seconds"]
    for r in rounds:
        assert min(r["pooled_seconds"], r["raw_seconds"], r["tutorial_seconds"]) > 0
        assert r["pooled_vs_raw"] == pytest.approx(r["raw_seconds"] / r["pooled_seconds"], 1e-2)
    targets = {target["name"]: target for target in figures["targets"]}
    median = sum(r["pooled_vs_raw"] for r in rounds) / 2
    assert targets["pooled_vs_raw"]["value"] == pytest.approx(median, abs=2e-3)
    assert figures["ratios"]["pooled_vs_raw"] == pytest.approx(median, abs=2e-3)
