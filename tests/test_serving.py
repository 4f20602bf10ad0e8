"""Refresh while serving: a cron refresh in another process reaches the running app."""

from __future__ import annotations

import os
import subprocess
import sys
import threading
import time
from pathlib import Path
from typing import Any

import pytest
from gradio_client import Client
from pytest_httpserver import HTTPServer

from tests.conftest import ROOT, serving_app
from tests.vectorstore.test_fetch_e2e import QUESTION, serve_tide_wall_feed
from vectorstore import StoreSettings
from vectorstore.sources import Source, SourcesFile

pytestmark = pytest.mark.integration

PANDA = "What is the name of the zoo's giant panda?"


def _cron_refresh(env: dict[str, str]) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "vectorstore.refresh", "--json", "-q"],
        cwd=ROOT,
        env=os.environ | env,
        capture_output=True,
        text=True,
        timeout=300,
    )


def test_running_app_answers_from_articles_refreshed_by_another_process(
    running_app: tuple[str, dict[str, str]],
) -> None:
    url, env = running_app
    client = Client(url, verbose=False)
    assert client.predict(PANDA, api_name="/ask")["answered"] is False

    articles = Path(env["NEWSDESK_ARTICLES_DIR"])
    (articles / "zoo.txt").write_text(
        "Zoo welcomes panda\n10:00 JST, May 2, 2024\nThe city zoo welcomed a giant panda named Lulu.\n"
    )
    errors: list[dict[str, Any]] = []
    asked: list[dict[str, Any]] = []
    stop = threading.Event()

    def keep_asking() -> None:  # readers during the write must never see a broken store
        while not stop.is_set():
            try:
                reply = client.predict("What is OSA?", api_name="/ask")
            except Exception as exc:  # noqa: BLE001 - any failure is the finding
                reply = {"error": repr(exc)}
            asked.append(reply)
            if "Official Security Assistance" not in reply.get("text", ""):
                errors.append(reply)

    reader = threading.Thread(target=keep_asking)
    reader.start()
    try:
        done = _cron_refresh(env)
    finally:
        stop.set()
        reader.join(timeout=120)
    assert done.returncode == 0, done.stderr
    assert errors == [] and len(asked) >= 1
    reply = client.predict(PANDA, api_name="/ask")
    assert "Lulu" in reply["text"] and reply["citations"][0]["title"] == "Zoo welcomes panda"

    (articles / "zoo.txt").unlink()
    assert _cron_refresh(env).returncode == 0
    assert client.predict(PANDA, api_name="/ask")["answered"] is False


def test_refresh_button_over_http(running_app: tuple[str, dict[str, str]]) -> None:
    url, env = running_app
    articles = Path(env["NEWSDESK_ARTICLES_DIR"])
    (articles / "dam.md").write_text(
        "---\ntitle: Dam opens\nsource: Valley Post\n---\n\n"
        "The Kessel dam opened on Friday after nine years of work.\n"
    )
    client = Client(url, verbose=False)
    status = client.predict(api_name="/refresh")
    assert "1 added, 0 updated, 1 skipped" in status
    reply = client.predict("When did the Kessel dam open?", api_name="/ask")
    assert "Friday" in reply["text"] and reply["citations"][0]["source"] == "Valley Post"


def test_the_app_fetches_in_the_background_and_answers_without_restart(
    httpserver: HTTPServer, seed_settings: StoreSettings, tmp_path: Path
) -> None:
    page_url = serve_tide_wall_feed(httpserver)
    sources = tmp_path / "sources.toml"
    SourcesFile(sources=[Source(url=httpserver.url_for("/feed.xml"))]).save(sources)
    env = {
        "NEWSDESK_FETCH_EVERY": "1h",
        "NEWSDESK_SOURCES": str(sources),
        "NEWSDESK_FETCH_DELAY": "0",
    }
    with serving_app(seed_settings, tmp_path, env) as (url, _env, process):
        client = Client(url, verbose=False)
        deadline = time.monotonic() + 180
        reply = client.predict(QUESTION, api_name="/ask")
        while not reply.get("answered") and time.monotonic() < deadline:
            time.sleep(1)
            reply = client.predict(QUESTION, api_name="/ask")
    log = (tmp_path / "app.log").read_text()
    assert reply.get("answered"), log
    assert "tide wall" in reply["text"]
    assert reply["citations"][0]["url"] == page_url
    assert "Fetching and refreshing every 1h in the background" in log
    assert "Background fetch of 1 sources: 2 fetched, 0 not modified, 1 new" in log
    # SIGTERM stops the app as Ctrl-C does: the background thread is stopped, exit 0.
    assert process.returncode == 0, log
    assert "Traceback" not in log
