"""bench/lexical.py end to end on small data (the figures come from the full run)."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.bench import needs_realtimeqa, run_bench

pytestmark = pytest.mark.integration


@needs_realtimeqa
def test_lexical_bench_writes_both_indexes_figures(tmp_path: Path) -> None:
    stdout, figures = run_bench(
        "lexical.py", tmp_path / "lexical.json", "--passages", "3000", "--queries", "30"
    )
    assert figures["passages"] == 3000 and figures["queries"] == 30
    for name in ("ours", "ours_with_headlines", "fts5"):
        assert 0 < figures[name]["p50_ms"] <= figures[name]["p95_ms"] <= figures[name]["max_ms"]
    assert "ours" in stdout and "fts5" in stdout
