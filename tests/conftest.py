"""Shared fixtures: every test gets its own data dir; the seed store is built once."""

from __future__ import annotations

import os
import shutil
import socket
from pathlib import Path

import pytest

os.environ["HF_HUB_OFFLINE"] = "1"
os.environ["GRADIO_ANALYTICS_ENABLED"] = "False"

from vectorstore import Settings, load_embeddings, refresh  # noqa: E402

ROOT = Path(__file__).resolve().parent.parent
SEEDS = ROOT / "seeds"
SEED_FILE = SEEDS / "000_28c4a3eef7881f30.txt"


@pytest.fixture(autouse=True)
def _isolated_env(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    """No test reads the developer's NEWSDESK_* settings or writes to the real data dir."""
    for name in list(os.environ):
        if name.startswith("NEWSDESK_"):
            monkeypatch.delenv(name)
    monkeypatch.setenv("NEWSDESK_DATA_DIR", str(tmp_path / "default-data"))


@pytest.fixture
def articles_dir(tmp_path: Path) -> Path:
    """A private copy of the seed corpus that a test may edit."""
    folder = tmp_path / "articles"
    shutil.copytree(SEEDS, folder)
    return folder


@pytest.fixture
def settings(articles_dir: Path, tmp_path: Path) -> Settings:
    """Settings for a fresh, empty store over the private seed copy."""
    return Settings(articles_dir=articles_dir, data_dir=tmp_path / "data")


@pytest.fixture(scope="session")
def seed_settings(tmp_path_factory: pytest.TempPathFactory) -> Settings:
    """A store with the seed corpus indexed once per session (read-only for tests)."""
    base = tmp_path_factory.mktemp("seed-store")
    shutil.copytree(SEEDS, base / "articles")
    settings = Settings(articles_dir=base / "articles", data_dir=base / "data")
    refresh(settings)
    return settings


@pytest.fixture(scope="session")
def embeddings():
    """The real packaged model, loaded once."""
    return load_embeddings()


def free_port() -> int:
    """A port nobody listens on, on the loopback."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])
