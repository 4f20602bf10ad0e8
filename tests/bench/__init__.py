"""Smoke runs of the benchmarks: each script end to end on small data."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

from tests.conftest import ROOT

REALTIMEQA = ROOT.parent / "shared" / "bench" / "realtimeqa"
needs_realtimeqa = pytest.mark.skipif(
    not REALTIMEQA.exists(), reason="the RealTime QA set lives in ../shared"
)


def run_bench(script: str, out: Path, *args: str) -> tuple[str, Any]:
    """Run `bench/<script>` writing its JSON to `out`: its standard output and figures."""
    done = subprocess.run(
        [sys.executable, f"bench/{script}", *args, "--out", str(out)],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=900,
    )
    assert done.returncode == 0, done.stderr
    return done.stdout, json.loads(out.read_text())
