"""`bench/ingest.py` end to end on 20 articles: it runs, and its JSON holds sane figures.

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


@pytest.fixture(scope="module")
def figures(tmp_path_factory: pytest.TempPathFactory) -> dict:
    """One quick benchmark run (no batch-size sweep), its JSON decoded."""
    if not ARTICLES.is_file():
        pytest.skip(f"the RealTime QA feed is not at {ARTICLES}")
    out = tmp_path_factory.mktemp("bench") / "ingest.json"
    kept = out.parent / "kept"
    done = subprocess.run(
        [sys.executable, "bench/ingest.py", "--limit", str(LIMIT), "--quick", "--sample", "32"]
        + ["--out", str(out), "--keep", str(kept)],
        cwd=ROOT,
        # The run measures the default settings, whatever the developer's NEWSDESK_* say.
        env={k: v for k, v in os.environ.items() if not k.startswith("NEWSDESK_")},
        capture_output=True,
        text=True,
        timeout=900,
    )
    assert done.returncode == 0, done.stderr[-3000:]
    assert "targets" in done.stdout and str(out) in done.stdout
    return json.loads(out.read_text()) | {"kept": str(kept)}


def test_kept_float32_store_is_whole_and_up_to_date(figures: dict) -> None:
    kept = Path(figures["kept"])
    assert {p.name for p in kept.iterdir()} == {"articles", "default", "float32", "tutorial"}
    settings = StoreSettings(
        articles_dir=kept / "articles", data_dir=kept / "float32", embedding_precision="float32"
    )
    report = refresh(settings)
    assert (report.skipped, report.chunks_added) == (LIMIT - report.duplicates, 0)
    assert report.chunks_total == figures["corpus"]["chunks"]


def test_every_section_is_written(figures: dict) -> None:
    assert set(figures) >= {
        "config",
        "machine",
        "corpus",
        "ingest",
        "raw",
        "sample",
        "no_change",
        "edit",
        "ratios",
        "targets",
    }
    assert set(figures["ingest"]) == {"default", "float32", "tutorial"}
    assert figures["config"]["limit"] == LIMIT
    assert figures["machine"]["cpu_count"] > 0
    assert figures["machine"]["packages"]["torch"]


def test_the_three_ingests_index_every_article(figures: dict) -> None:
    corpus, ingest = figures["corpus"], figures["ingest"]
    assert corpus["articles"] == LIMIT
    default, float32 = ingest["default"], ingest["float32"]
    assert default["precision"] in {"bfloat16", "float32"}
    assert float32["precision"] == "float32"
    report = default["report"]
    assert report["added"] + report["duplicates"] == LIMIT
    assert report["failed"] == []
    # Same articles, same chunking: precision changes only the vectors.
    assert default["chunks"] == float32["chunks"] == corpus["chunks"] > LIMIT
    assert ingest["tutorial"]["chunks"] > 0
    for run in ingest.values():
        assert run["articles"] == LIMIT
        assert run["seconds"] > 0 and run["articles_per_s"] > 0 and run["chunks_per_s"] > 0
        assert run["peak_rss_mb"] > 100  # a process holding torch and the model


def test_raw_encode_covers_the_same_passages(figures: dict) -> None:
    raw = figures["raw"]
    assert raw["same_chunks_as_ingest"] is True
    assert raw["chunks"] == figures["corpus"]["chunks"]
    assert raw["precision"] == figures["ingest"]["default"]["precision"]
    assert raw["batch_size"] == figures["config"]["embed_batch_size"]
    assert raw["chunks_per_s"] > 0 and raw["max_seq_length"] == 256


def test_bfloat16_vectors_agree_with_float32(figures: dict) -> None:
    sample = figures["sample"]
    assert sample["sample_chunks"] == 32
    assert sample["batch_sizes"] == [figures["config"]["embed_batch_size"]]  # --quick
    assert set(sample["chunks_per_s"]) == {"float32", "bfloat16"}
    assert 0.9 < sample["cosine_min"] <= sample["cosine_mean"] <= 1.0001


def test_a_second_refresh_embeds_nothing(figures: dict) -> None:
    for report in (figures["no_change"]["report"], figures["no_change"]["warm_report"]):
        assert (report["added"], report["updated"], report["deleted"]) == (0, 0, 0)
        assert report["skipped"] == figures["ingest"]["default"]["report"]["added"]
        assert report["chunks_added"] == report["chunks_deleted"] == 0
    assert figures["no_change"]["percent_of_full"] > 0


def test_editing_ten_articles_updates_exactly_those(figures: dict) -> None:
    edit = figures["edit"]
    assert len(set(edit["edited_ids"])) == 10
    report = edit["report"]
    assert (report["added"], report["updated"], report["deleted"]) == (0, 10, 0)
    assert report["chunks_added"] >= 10 and report["chunks_deleted"] >= 10
    targets = {target["name"]: target for target in figures["targets"]}
    assert targets["edit_updated"]["passed"] is True
    assert targets["no_change_embeds_nothing"]["passed"] is True
    assert all(isinstance(target["passed"], bool) for target in targets.values())
