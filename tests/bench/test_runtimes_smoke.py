"""bench/runtimes.py end to end on small data (the figures come from the full run)."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.bench import needs_realtimeqa, run_bench

pytestmark = pytest.mark.integration


@needs_realtimeqa
def test_runtimes_bench_times_both_runtimes_on_the_same_inputs(tmp_path: Path) -> None:
    stdout, figures = run_bench(
        "runtimes.py",
        tmp_path / "runtimes.json",
        *("--queries", "6", "--batches", "3", "--passages", "32"),
    )
    assert figures["question"]["calls"] == 6 and figures["answer_sentences"]["calls"] == 3
    assert figures["passages"]["calls"] == 2
    for task in ("question", "answer_sentences", "passages"):
        for runtime in ("torch", "onnx"):
            assert 0 < figures[task][runtime]["p50_ms"] <= figures[task][runtime]["p95_ms"]
    # 6 questions, 3 batches of 8 sentences, 32 passages: every vector compared.
    assert figures["cosine_min"] > 0.9999 and figures["texts_compared"] == 6 + 24 + 32
    assert "onnx" in stdout and figures["machine"]["cpu_count"] >= 1
