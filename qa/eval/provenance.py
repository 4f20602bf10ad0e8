"""What a run ran on: the commit and whether the tree was dirty, the settings, the machine.

Every `qa.eval` JSON carries one `Provenance`, filled once per run, so that a figure
can be traced to the code, the settings and the hardware that produced it. Nothing
here fails a run: what cannot be found out (no git, no /proc/cpuinfo) says so in its
field.
"""

from __future__ import annotations

import os
import platform
import subprocess
from collections.abc import Iterable
from datetime import UTC, datetime
from importlib import metadata
from pathlib import Path
from typing import Any

from pydantic import BaseModel, Field

from qa.settings import AnswerSettings
from vectorstore import StoreSettings
from vectorstore.embeddings import resolve_precision, resolve_runtime
from vectorstore.settings import PROJECT_ROOT

# The packages whose versions can move the figures (ranking, embeddings, answers).
KEY_PACKAGES = (
    "chromadb",
    "langchain-core",
    "sentence-transformers",
    "onnxruntime",
    "torch",
    "bm25s",
)
_MAX_DIRTY_PATHS = 50
_GIT_TIMEOUT_S = 20


class Provenance(BaseModel):
    """The code, settings, machine and corpus behind a run's figures.

    Example:
        >>> p = collect_provenance(store=StoreSettings(), answering=AnswerSettings(),
        ...                        articles=300, questions=103)
        >>> p.answer_settings["top_k"], p.articles_indexed
        (8, 300)
    """

    commit: str = Field(
        description="`git rev-parse HEAD`, or `unknown (...)` saying why git could not tell."
    )
    dirty: bool | None = Field(
        description="Tracked files changed or untracked files present (data dirs aside); "
        "None when git could not tell."
    )
    dirty_paths: list[str] = Field(
        default_factory=list,
        description=f"`git status --porcelain` entries behind `dirty` (the first {_MAX_DIRTY_PATHS}).",
    )
    started_at: datetime = Field(description="When the run started (UTC).")
    python: str
    packages: dict[str, str] = Field(
        description="Versions of the packages that can move the figures ('not installed')."
    )
    cpu_model: str
    cpu_count: int | None = Field(description="Logical CPUs of the machine (`os.cpu_count()`).")
    embedding: str = Field(
        "",
        description="What ran the model, the settings' `auto` resolved on this CPU "
        "(e.g. 'torch at bfloat16': AVX512-BF16 or AMX; 'onnx at float32' elsewhere).",
    )
    store_settings: dict[str, Any] = Field(
        description="`StoreSettings` as Newsdesk's index used them (the baseline reads only "
        "the embedding fields)."
    )
    answer_settings: dict[str, Any] = Field(description="`AnswerSettings` as the run used them.")
    articles_indexed: int = Field(description="Articles in the corpus both pipelines indexed.")
    questions_asked: int


def collect_provenance(
    *,
    store: StoreSettings,
    answering: AnswerSettings,
    articles: int,
    questions: int,
    data_dirs: Iterable[Path] = (),
    repo: Path = PROJECT_ROOT,
) -> Provenance:
    """The run's provenance, read now.

    Args:
        store: The store settings the run uses.
        answering: The answer settings the run uses.
        articles: Articles in the indexed corpus.
        questions: Questions asked.
        data_dirs: Folders whose untracked files do not make the tree dirty (indexes, results).
        repo: The git work tree of the code under evaluation.

    Returns:
        A `Provenance`; never raises for a missing git or an unknown CPU.
    """
    commit, dirty, paths = git_state(repo, data_dirs)
    return Provenance(
        commit=commit,
        dirty=dirty,
        dirty_paths=paths,
        started_at=datetime.now(UTC).replace(microsecond=0),
        python=platform.python_version(),
        packages={name: _version(name) for name in KEY_PACKAGES},
        cpu_model=cpu_model(),
        cpu_count=os.cpu_count(),
        embedding=_embedding(store),
        store_settings=store.model_dump(mode="json"),
        answer_settings=answering.model_dump(mode="json"),
        articles_indexed=articles,
        questions_asked=questions,
    )


def git_state(repo: Path, data_dirs: Iterable[Path] = ()) -> tuple[str, bool | None, list[str]]:
    """The HEAD commit, whether the tree is dirty, and the entries that make it so.

    Untracked files under `data_dirs` do not count; when git cannot tell, the commit
    reads `unknown (<why>)` and dirty is None.
    """
    try:
        commit = _git(repo, "rev-parse", "HEAD").strip()
        status = _git(repo, "status", "--porcelain", "-z", "--untracked-files=all")
    except (OSError, subprocess.SubprocessError) as exc:
        reason = str(exc).strip().splitlines()[-1] if str(exc).strip() else type(exc).__name__
        return f"unknown (git unavailable: {reason})", None, []
    ignored = _relative_dirs(repo, data_dirs)
    entries = []
    fields = iter(status.split("\0"))
    for field in fields:
        if not field:
            continue
        code, path = field[:2], field[3:]
        if code[0] in "RC":
            next(fields, None)  # a rename's or copy's original path
        if code == "??" and any(path.startswith(folder) for folder in ignored):
            continue
        entries.append(field)
    return commit, bool(entries), entries[:_MAX_DIRTY_PATHS]


def cpu_model() -> str:
    """The CPU's model name from /proc/cpuinfo, else what `platform` knows."""
    try:
        with open("/proc/cpuinfo", encoding="utf-8") as info:
            for line in info:
                key, _, value = line.partition(":")
                if key.strip() == "model name" and value.strip():
                    return value.strip()
    except OSError:
        pass
    return platform.processor() or platform.machine() or "unknown"


def _git(repo: Path, *args: str) -> str:
    done = subprocess.run(
        ["git", *args],
        cwd=repo,
        capture_output=True,
        text=True,
        check=False,
        timeout=_GIT_TIMEOUT_S,
    )
    if done.returncode != 0:
        raise subprocess.SubprocessError(done.stderr.strip() or f"git {args[0]} failed")
    return done.stdout


def _relative_dirs(repo: Path, folders: Iterable[Path]) -> list[str]:
    """The folders inside `repo`, as `git status` writes paths (relative, ending in /)."""
    root = repo.resolve()
    relative = []
    for folder in folders:
        try:
            relative.append(folder.resolve().relative_to(root).as_posix().rstrip("/") + "/")
        except ValueError:
            continue  # outside the work tree: git does not list it
    return relative


def _version(package: str) -> str:
    try:
        return metadata.version(package)
    except metadata.PackageNotFoundError:
        return "not installed"


def _embedding(store: StoreSettings) -> str:
    """The runtime and precision the model ran at, `auto` resolved as the store resolves it."""
    precision = resolve_precision(store.embedding_precision, store.embedding_runtime)
    return f"{resolve_runtime(store.embedding_runtime, precision)} at {precision}"
