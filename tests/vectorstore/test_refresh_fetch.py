"""`python -m vectorstore.refresh --fetch [--every]` against a feed on the loopback."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from pytest_httpserver import HTTPServer

from tests.conftest import lock_held_by_another_thread
from tests.vectorstore.test_fetch import Site, rss2
from vectorstore import StoreSettings
from vectorstore.refresh_command import main
from vectorstore.settings import FetchSettings
from vectorstore.sources import Source, SourcesFile

pytestmark = pytest.mark.integration

FETCH = FetchSettings(delay=0.0, retries=0)  # the sources file names the loopback host


@pytest.fixture
def site(httpserver: HTTPServer) -> Site:
    httpserver.expect_request("/robots.txt").respond_with_data("missing", status=404)
    site = Site(httpserver)
    site.page("bridge")
    site.serve("/feed.xml", rss2(site, ["bridge"]), "application/rss+xml")
    return site


def _argv(site: Site, tmp_path: Path) -> list[str]:
    sources = tmp_path / "sources.toml"
    SourcesFile(sources=[Source(url=site.url("/feed.xml"))]).save(sources)
    return [
        "--fetch",
        "--articles-dir",
        str(tmp_path / "articles"),
        "--data-dir",
        str(tmp_path / "data"),
        "--sources-file",
        str(sources),
        "--json",
        "-q",
    ]


def _json_lines(out: str) -> list[dict]:
    return [json.loads(line) for line in out.splitlines() if line.startswith("{")]


def test_fetch_then_refresh_indexes_the_fetched_article(
    site: Site, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(_argv(site, tmp_path), fetch_settings=FETCH) == 0
    out = capsys.readouterr().out
    last = json.loads(out.strip().splitlines()[-1])
    assert last["added"] == 1
    assert last["fetch"]["new"] == 1
    assert last["fetch"]["failed"] == 0
    files = [p for p in (tmp_path / "articles").iterdir() if not p.name.startswith(".")]
    assert len(files) == 1
    assert "river" in files[0].read_text()


def test_every_repeats_rounds_with_the_injected_sleep(
    site: Site, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    slept: list[float] = []
    status = main(
        [*_argv(site, tmp_path), "--every", "30m"],
        fetch_settings=FETCH,
        sleep=slept.append,
        rounds=2,
    )
    assert status == 0
    assert slept == [1800]
    first, second = _json_lines(capsys.readouterr().out)
    assert (first["added"], first["fetch"]["new"]) == (1, 1)
    assert (second["added"], second["updated"], second["fetch"]["new"]) == (0, 0, 0)
    assert second["fetch"]["not_modified"] >= 1


def test_every_stops_cleanly_on_interrupt(
    site: Site, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    def interrupt(seconds: float) -> None:
        raise KeyboardInterrupt

    assert (
        main([*_argv(site, tmp_path), "--every", "1h"], fetch_settings=FETCH, sleep=interrupt) == 0
    )
    assert len(_json_lines(capsys.readouterr().out)) == 1


def test_a_failing_source_makes_the_exit_status_1(
    site: Site, httpserver: HTTPServer, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    httpserver.expect_request("/gone.xml").respond_with_data("no", status=404)
    argv = _argv(site, tmp_path)
    sources = tmp_path / "sources.toml"
    SourcesFile(
        sources=[Source(url=site.url("/feed.xml")), Source(url=site.url("/gone.xml"))]
    ).save(sources)
    assert main(argv, fetch_settings=FETCH) == 1
    last = json.loads(capsys.readouterr().out.strip().splitlines()[-1])
    assert (last["added"], last["fetch"]["failed"]) == (1, 1)


@pytest.mark.parametrize("interval", ["soon", "0m", "30x", ""])
def test_a_bad_interval_exits_2(
    interval: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    argv = ["--articles-dir", str(tmp_path), "--data-dir", str(tmp_path / "d"), "--every", interval]
    assert main(argv) == 2
    assert "--every" in capsys.readouterr().err
    assert not (tmp_path / "d").exists()


def test_a_source_not_due_is_skipped_in_later_rounds_unless_forced(
    site: Site,
    httpserver: HTTPServer,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    # No fetch_settings given: the command reads NEWSDESK_FETCH_* like any user's run.
    for name, value in {"DELAY": "0", "RETRIES": "0"}.items():
        monkeypatch.setenv(f"NEWSDESK_FETCH_{name}", value)
    argv = _argv(site, tmp_path)
    SourcesFile(sources=[Source(url=site.url("/feed.xml"), every="2h")]).save(
        tmp_path / "sources.toml"
    )

    assert main([*argv, "--every", "30m"], sleep=lambda _s: None, rounds=2) == 0
    first, second = _json_lines(capsys.readouterr().out)
    assert (first["fetch"]["new"], first["fetch"]["not_due"], first["added"]) == (1, 0, 1)
    assert (second["fetch"]["not_due"], second["fetch"]["fetched"]) == (1, 0)
    assert [r.path for r, _ in httpserver.log].count("/feed.xml") == 1

    assert main([*argv, "--force"]) == 0
    (forced,) = _json_lines(capsys.readouterr().out)
    assert (forced["fetch"]["not_modified"], forced["fetch"]["not_due"]) == (1, 0)
    assert [r.path for r, _ in httpserver.log].count("/feed.xml") == 2


def test_force_goes_with_fetch(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["--articles-dir", str(tmp_path), "--force"]) == 2
    assert "--force" in capsys.readouterr().err


def test_a_round_holds_the_writer_lock_while_it_fetches(
    site: Site, httpserver: HTTPServer, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    data = StoreSettings(articles_dir=tmp_path / "articles", data_dir=tmp_path / "data")
    with lock_held_by_another_thread(data):
        assert main(_argv(site, tmp_path), fetch_settings=FETCH) == 2
    assert "Another refresh (pid" in capsys.readouterr().err
    assert httpserver.log == []
    assert not (tmp_path / "articles").exists()
