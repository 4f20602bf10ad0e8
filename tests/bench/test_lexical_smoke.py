"""bench/lexical.py end to end on small data (the figures come from the full run)."""

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
def test_lexical_bench_writes_both_indexes_figures(tmp_path: Path) -> None:
    out = tmp_path / "lexical.json"
    done = subprocess.run(
        [
            sys.executable,
            "bench/lexical.py",
            "--passages",
            "3000",
            "--queries",
            "30",
            "--out",
            str(out),
        ],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=600,
    )
    assert done.returncode == 0, done.stderr
    figures = json.loads(out.read_text())
    assert figures["passages"] == 3000 and figures["queries"] == 30
    for name in ("ours", "ours_with_headlines", "fts5"):
        assert 0 < figures[name]["p50_ms"] <= figures[name]["p95_ms"] <= figures[name]["max_ms"]
    assert "ours" in done.stdout and "fts5" in done.stdout
