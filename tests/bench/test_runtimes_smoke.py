"""bench/runtimes.py end to end on small data (the figures come from the full run)."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from tests.conftest import ROOT

pytestmark = pytest.mark.integration

DATA = ROOT.parent / "shared" / "bench" / "realtimeqa"


@pytest.mark.skipif(not DATA.exists(), reason="the RealTime QA set lives in ../shared")
def test_runtimes_bench_times_both_runtimes_on_the_same_inputs(tmp_path: Path) -> None:
    out = tmp_path / "runtimes.json"
    done = subprocess.run(
        [sys.executable, "bench/runtimes.py", "--queries", "6", "--batches", "3"]
        + ["--passages", "32", "--out", str(out)],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=900,
    )
    assert done.returncode == 0, done.stderr
    figures = json.loads(out.read_text())
    assert figures["question"]["calls"] == 6 and figures["answer_sentences"]["calls"] == 3
    assert figures["passages"]["calls"] == 2
    for task in ("question", "answer_sentences", "passages"):
        for runtime in ("torch", "onnx"):
            assert 0 < figures[task][runtime]["p50_ms"] <= figures[task][runtime]["p95_ms"]
    # 6 questions, 3 batches of 8 sentences, 32 passages: every vector compared.
    assert figures["cosine_min"] > 0.9999 and figures["texts_compared"] == 6 + 24 + 32
    assert "onnx" in done.stdout and figures["machine"]["cpu_count"] >= 1
