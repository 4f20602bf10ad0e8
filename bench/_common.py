"""What every benchmark needs: child processes with their peak RSS, machine facts, targets."""

from __future__ import annotations

import json
import logging
import os
import platform
import resource
import subprocess
import sys
import tempfile
import time
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime
from importlib import metadata
from pathlib import Path
from typing import Any, Literal

from pydantic import BaseModel

logger = logging.getLogger(__name__)

PROJECT_ROOT = Path(__file__).resolve().parents[1]
SHARED_DIR = PROJECT_ROOT.parent / "shared"

Comparison = Literal[">=", "<=", "=="]
_PACKAGES = (
    "torch",
    "sentence-transformers",
    "transformers",
    "onnxruntime",
    "chromadb",
    "langchain-core",
    "langchain-classic",
    "langchain-chroma",
    "langchain-huggingface",
    "langchain-text-splitters",
)


class BenchError(Exception):
    """A benchmark cannot run (missing input, a child process failed)."""


@dataclass(frozen=True)
class ChildRun:
    """A finished child process: exit status, wall time, peak RSS and its standard output."""

    returncode: int
    wall_seconds: float
    peak_rss_mb: float
    stdout: str

    def last_json(self) -> Any:
        """The last line of standard output, decoded as JSON."""
        lines = [line for line in self.stdout.splitlines() if line.strip()]
        if not lines:
            raise BenchError("the child process printed nothing")
        return json.loads(lines[-1])


def run_child(
    command: Sequence[str], *, env: Mapping[str, str] | None = None, cwd: Path | None = None
) -> ChildRun:
    """Run a command to completion; its stderr goes to ours, its stdout is returned.

    The peak RSS is the child's own (`os.wait4`), not the maximum over all children
    as `RUSAGE_CHILDREN` would report. Linux counts into it the memory the child
    shared with this process before `exec`, so it means something only while this
    process is smaller than the child: start children before loading big things here.
    """
    with tempfile.TemporaryFile("w+", encoding="utf-8") as out:
        started = time.perf_counter()
        process = subprocess.Popen(list(command), stdout=out, env=env, cwd=cwd)
        _, status, usage = os.wait4(process.pid, 0)
        wall = time.perf_counter() - started
        process.returncode = os.waitstatus_to_exitcode(status)
        out.seek(0)
        peak = round(usage.ru_maxrss / 1024, 1)  # Linux reports KiB
        if resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024 >= peak:
            logger.warning(
                "The peak RSS of %s (%.0f MB) may be this process's, not the child's",
                command[:3],
                peak,
            )
        return ChildRun(process.returncode, round(wall, 3), peak, out.read())


@dataclass(frozen=True)
class Target:
    """A goal a measured value must meet, and whether it did."""

    name: str
    description: str
    value: float
    op: Comparison
    threshold: float
    passed: bool


def check(name: str, description: str, value: float, op: Comparison, threshold: float) -> Target:
    """Compare `value` with `threshold`."""
    passed = {
        ">=": value >= threshold,
        "<=": value <= threshold,
        "==": value == threshold,
    }[op]
    return Target(name, description, value, op, threshold, passed)


def _cpu_facts() -> tuple[str, set[str]]:
    try:
        text = Path("/proc/cpuinfo").read_text()
    except OSError:
        return platform.processor(), set()
    model, flags = platform.processor(), set[str]()
    for line in text.splitlines():
        key, _, value = line.partition(":")
        if key.strip() == "model name" and value.strip():
            model = value.strip()
        elif key.strip() == "flags":
            flags = set(value.split())
    return model, flags


def _memory_gb() -> float | None:
    try:
        return round(os.sysconf("SC_PAGE_SIZE") * os.sysconf("SC_PHYS_PAGES") / 1e9, 1)
    except (ValueError, OSError):
        return None


def _version(package: str) -> str | None:
    try:
        return metadata.version(package)
    except metadata.PackageNotFoundError:
        return None


@dataclass(frozen=True)
class Machine:
    """Where the figures were measured."""

    cpu_model: str
    cpu_count: int | None
    usable_cpus: int
    torch_threads: int
    avx512f: bool
    avx512_bf16: bool
    amx_bf16: bool
    native_bfloat16: bool  # what the project's `auto` precision goes by
    memory_gb: float | None
    python: str
    platform: str
    packages: dict[str, str | None]
    load_average: list[float] = field(default_factory=list)


def machine() -> Machine:
    """Facts about this machine and the library versions in use."""
    import torch

    model, flags = _cpu_facts()
    return Machine(
        cpu_model=model,
        cpu_count=os.cpu_count(),
        usable_cpus=len(os.sched_getaffinity(0)),
        torch_threads=torch.get_num_threads(),
        avx512f="avx512f" in flags,
        avx512_bf16="avx512_bf16" in flags,
        amx_bf16="amx_bf16" in flags,
        native_bfloat16=bool({"amx_bf16", "avx512_bf16"} & flags),
        memory_gb=_memory_gb(),
        python=sys.version.split()[0],
        platform=platform.platform(),
        packages={name: _version(name) for name in _PACKAGES},
        load_average=[round(x, 2) for x in os.getloadavg()],
    )


def now() -> str:
    """The current time, ISO 8601 in UTC."""
    return datetime.now(UTC).isoformat(timespec="seconds")


def _encode(value: object) -> object:
    if isinstance(value, BaseModel):
        return value.model_dump()
    if isinstance(value, Path):
        return str(value)
    raise TypeError(f"cannot write {type(value).__name__} as JSON")


def write_json(path: Path, data: dict[str, Any]) -> None:
    """Write `data` (it may hold pydantic models and paths) as indented JSON."""
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps(data, indent=2, default=_encode, ensure_ascii=False) + "\n")


def rate(count: float, seconds: float) -> float:
    """`count` per second, 0 when no time was measured."""
    return round(count / seconds, 3) if seconds > 0 else 0.0
