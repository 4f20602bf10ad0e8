"""Shared fixtures: every test gets its own data dir; the seed store is built once."""

from __future__ import annotations

import os
import shutil
import socket
import subprocess
import sys
import threading
import time
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest

os.environ["HF_HUB_OFFLINE"] = "1"
os.environ["GRADIO_ANALYTICS_ENABLED"] = "False"

from vectorstore import StoreSettings, load_embeddings, refresh  # noqa: E402
from vectorstore.store import refresh_lock  # noqa: E402

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


def write_article(folder: Path, name: str, title: str, body: str) -> Path:
    """A plain-text article file dated 2024-05-01."""
    path = folder / name
    path.write_text(f"{title}\n12:00 JST, May 1, 2024\n{body}\n")
    return path


@contextmanager
def lock_held_by_another_thread(settings: StoreSettings) -> Iterator[None]:
    """The writer lock of `settings`' data dir, held by another thread until the block ends
    (the thread that holds the lock may take it again, so tests hold it elsewhere)."""
    taken, release = threading.Event(), threading.Event()

    def hold() -> None:
        with refresh_lock(settings):
            taken.set()
            release.wait(timeout=600)

    holder = threading.Thread(target=hold, daemon=True)
    holder.start()
    assert taken.wait(timeout=30), "the lock was not taken"
    try:
        yield
    finally:
        release.set()
        holder.join(timeout=30)


@pytest.fixture
def settings(articles_dir: Path, tmp_path: Path) -> StoreSettings:
    """StoreSettings for a fresh, empty store over the private seed copy."""
    return StoreSettings(articles_dir=articles_dir, data_dir=tmp_path / "data")


@pytest.fixture(scope="session")
def seed_settings(tmp_path_factory: pytest.TempPathFactory) -> StoreSettings:
    """A store with the seed corpus indexed once per session (read-only for tests)."""
    base = tmp_path_factory.mktemp("seed-store")
    shutil.copytree(SEEDS, base / "articles")
    settings = StoreSettings(articles_dir=base / "articles", data_dir=base / "data")
    refresh(settings)
    return settings


@pytest.fixture(scope="session")
def embeddings():
    """The real packaged model, loaded once."""
    return load_embeddings()


def record_encodes(monkeypatch: pytest.MonkeyPatch) -> list[list[str]]:
    """Every batch of texts the model embeds from now on (it still embeds them)."""
    from vectorstore import NewsEmbeddings

    batches: list[list[str]] = []
    encode = NewsEmbeddings._encode
    monkeypatch.setattr(
        NewsEmbeddings, "_encode", lambda self, texts: batches.append(texts) or encode(self, texts)
    )
    return batches


def free_port() -> int:
    """A port nobody listens on, on the loopback."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


@contextmanager
def serving_app(
    seed_settings: StoreSettings, tmp_path: Path, extra_env: dict[str, str] | None = None
) -> Iterator[tuple[str, dict[str, str], subprocess.Popen[bytes]]]:
    """`python app.py` on a free port over copies of the seed store and articles, with
    `extra_env`: its URL, its NEWSDESK_* settings and its process (stopped with SIGTERM
    when the block ends; its output is in `tmp_path / "app.log"`)."""
    data, articles = tmp_path / "data", tmp_path / "served-articles"
    shutil.copytree(seed_settings.data_dir, data)
    shutil.copytree(seed_settings.articles_dir, articles)
    port = free_port()
    env = os.environ | {
        "NEWSDESK_DATA_DIR": str(data),
        "NEWSDESK_ARTICLES_DIR": str(articles),
        "NEWSDESK_PORT": str(port),
    }
    env |= extra_env or {}
    log = (tmp_path / "app.log").open("w")
    process = subprocess.Popen(
        [sys.executable, "app.py"], cwd=ROOT, env=env, stdout=log, stderr=subprocess.STDOUT
    )
    url = f"http://127.0.0.1:{port}/"
    deadline = time.monotonic() + 120
    while time.monotonic() < deadline:
        try:
            urllib.request.urlopen(url, timeout=2)
            break
        except OSError:
            assert process.poll() is None, (tmp_path / "app.log").read_text()
            time.sleep(0.5)
    else:
        process.kill()
        pytest.fail("the app did not start: " + (tmp_path / "app.log").read_text())
    try:
        yield url, {k: env[k] for k in env if k.startswith("NEWSDESK_")}, process
    finally:
        process.terminate()
        process.wait(timeout=30)
        log.close()


@pytest.fixture
def running_app(seed_settings: StoreSettings, tmp_path: Path):
    """`python app.py` on a free port over copies of the seed store and articles: its URL
    and its NEWSDESK_* settings."""
    with serving_app(seed_settings, tmp_path) as (url, env, _process):
        yield url, env
