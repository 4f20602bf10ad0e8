"""Fetch-then-refresh in a background thread, against a loopback feed, a real Chroma and
the packaged model: a reader in the same process answers from the fetched article."""

from __future__ import annotations

import logging
import shutil
import time
from pathlib import Path

import pytest
from pytest_httpserver import HTTPServer

from qa.service import ask
from tests.conftest import lock_held_by_another_thread
from tests.vectorstore.test_fetch_e2e import QUESTION, serve_tide_wall_feed
from vectorstore import BackgroundRefresh, StoreSettings
from vectorstore.settings import FetchSettings
from vectorstore.sources import Source, SourcesFile

FETCH = FetchSettings(delay=0.0, retries=0)  # the sources file names the loopback host


def _store(tmp_path: Path, feed_url: str) -> StoreSettings:
    """Settings over a fresh articles folder and data dir, following one feed."""
    settings = StoreSettings(
        articles_dir=tmp_path / "articles",
        data_dir=tmp_path / "data",
        sources_file=tmp_path / "sources.toml",
    )
    SourcesFile(sources=[Source(url=feed_url, name="The Coast Post")]).save(settings.sources_path)
    return settings


def _feed_requests(httpserver: HTTPServer) -> int:
    return [request.path for request, _ in httpserver.log].count("/feed.xml")


@pytest.mark.integration
def test_rounds_in_the_background_reach_a_running_reader_until_stopped(
    httpserver: HTTPServer,
    seed_settings: StoreSettings,
    tmp_path: Path,
    caplog: pytest.LogCaptureFixture,
) -> None:
    page_url = serve_tide_wall_feed(httpserver)
    settings = _store(tmp_path, httpserver.url_for("/feed.xml"))
    shutil.copytree(seed_settings.data_dir, settings.data_dir)
    shutil.copytree(seed_settings.articles_dir, settings.articles_dir)
    before = ask(QUESTION, store=settings)  # the reader's store is open from here on
    assert not before.answered

    runner = BackgroundRefresh(settings, every=0.5, fetch=FETCH)
    caplog.set_level(logging.INFO, logger="vectorstore.background_refresh")
    runner.start()
    try:
        deadline = time.monotonic() + 180
        answer = ask(QUESTION, store=settings)
        while not answer.answered and time.monotonic() < deadline:
            time.sleep(0.5)
            answer = ask(QUESTION, store=settings)
        while _feed_requests(httpserver) < 2 and time.monotonic() < deadline:
            time.sleep(0.2)  # a second round follows the first
    finally:
        stopped = runner.stop(timeout=120)

    assert stopped and not runner.running
    assert answer.answered, answer
    assert "tide wall" in answer.text
    assert answer.citations[0].url == page_url
    assert answer.citations[0].source == "The Coast Post"
    assert _feed_requests(httpserver) >= 2
    rounds = [r.getMessage() for r in caplog.records if "Background fetch of" in r.getMessage()]
    assert rounds[0].startswith("Background fetch of 1 sources: 2 fetched, 0 not modified, 1 new")
    assert "1 added" in rounds[0]


def test_a_round_is_skipped_while_another_writer_holds_the_lock(
    httpserver: HTTPServer, tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    settings = _store(tmp_path, httpserver.url_for("/feed.xml"))
    runner = BackgroundRefresh(settings, every=60, fetch=FETCH)
    with lock_held_by_another_thread(settings), caplog.at_level(logging.INFO):
        assert runner.run_once() is None
    assert "Background fetch and refresh skipped this round: Another refresh (pid" in caplog.text
    assert httpserver.log == []
    assert not settings.articles_dir.exists()


def test_a_failing_round_is_logged_and_the_rounds_go_on(
    httpserver: HTTPServer, tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    settings = _store(tmp_path, httpserver.url_for("/feed.xml"))
    settings.sources_path.write_text("[[source]]\nurl = \n")  # not valid TOML
    runner = BackgroundRefresh(settings, every=0.05, fetch=FETCH)
    caplog.set_level(logging.ERROR, logger="vectorstore.background_refresh")
    runner.start()
    deadline = time.monotonic() + 30
    while len(caplog.records) < 2 and time.monotonic() < deadline:
        time.sleep(0.05)
    assert runner.running
    assert runner.stop(timeout=30) and not runner.running
    assert len(caplog.records) >= 2
    first = caplog.records[0]
    assert first.getMessage() == "Background fetch and refresh failed; next round in 0.05 s"
    assert first.exc_info is not None
    assert "is not valid TOML" in str(first.exc_info[1])
