"""The fetcher's politeness settings come from `NEWSDESK_FETCH_*` and reach every request."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from pydantic import ValidationError
from pytest_httpserver import HTTPServer

from tests.vectorstore.test_fetch import Site, rss2
from vectorstore.fetch import main
from vectorstore.settings import DEFAULT_USER_AGENT, FetchSettings
from vectorstore.sources import Source, SourcesFile


def test_each_setting_reads_its_environment_variable(monkeypatch: pytest.MonkeyPatch) -> None:
    values = {
        "CONTACT": "desk@example.org",
        "TIMEOUT": "2.5",
        "DELAY": "4",
        "MAX_REDIRECTS": "2",
        "MAX_BYTES": "65536",
        "RETRIES": "1",
        "BACKOFF": "0.25",
        "MAX_RETRY_AFTER": "30",
        "ALLOW_PRIVATE": "true",
        "ALLOW_LINK_LOCAL": "1",
    }
    for name, value in values.items():
        monkeypatch.setenv(f"NEWSDESK_FETCH_{name}", value)
    settings = FetchSettings()
    assert settings.model_dump() == {
        "contact": "desk@example.org",
        "timeout": 2.5,
        "delay": 4.0,
        "max_redirects": 2,
        "max_bytes": 65536,
        "retries": 1,
        "backoff": 0.25,
        "max_retry_after": 30.0,
        "allow_private": True,
        "allow_link_local": True,
    }
    assert settings.user_agent == DEFAULT_USER_AGENT.removesuffix(")") + "; desk@example.org)"
    assert settings.robots_token == "Newsdesk"


def test_defaults_and_refused_values() -> None:
    settings = FetchSettings()
    assert (settings.delay, settings.timeout, settings.max_bytes) == (1.0, 10.0, 10 * 1024 * 1024)
    assert (settings.allow_private, settings.allow_link_local) == (False, False)
    assert settings.user_agent == DEFAULT_USER_AGENT
    with pytest.raises(ValidationError, match="greater than or equal to 0"):
        FetchSettings(delay=-1)
    with pytest.raises(ValidationError, match="greater than 0"):
        FetchSettings(timeout=0)
    with pytest.raises(ValidationError, match="printable ASCII without parentheses"):
        FetchSettings(contact="desk@example.org\r\nX-Evil: 1")


def test_the_fetch_command_fetches_with_the_settings_from_the_environment(
    httpserver: HTTPServer,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    httpserver.expect_request("/robots.txt").respond_with_data("missing", status=404)
    site = Site(httpserver)
    site.page("bridge")
    site.page("harvest", "Long market report. " * 200)
    feed = rss2(site, ["bridge", "harvest"])
    # The same server under another loopback name: a host the sources file does not name.
    other = site.url("/news/harvest").replace("://localhost:", "://127.0.0.1:")
    feed = feed.replace(site.url("/news/harvest"), other)
    site.serve("/rss.xml", feed, "application/rss+xml")
    SourcesFile(sources=[Source(url=site.url("/rss.xml"))]).save(tmp_path / "sources.toml")
    argv = ["--articles-dir", str(tmp_path / "articles")]
    argv += ["--sources-file", str(tmp_path / "sources.toml"), "--json", "-q"]

    # By default the loopback host the sources file names is fetched; a link from its
    # feed to another private host is refused before any request to it.
    assert main(argv) == 1
    out, err = capsys.readouterr()
    counts = json.loads(out.strip().splitlines()[-1])["sources"][site.url("/rss.xml")]
    assert (counts["new"], counts["failed"]) == (1, 1)
    assert f"failed {other}: refused: 127.0.0.1 resolves to a private address" in err
    assert "set NEWSDESK_FETCH_ALLOW_PRIVATE to fetch from any private address" in err
    assert {request.host.split(":")[0] for request, _ in httpserver.log} == {"localhost"}

    for name, value in {
        "ALLOW_PRIVATE": "true",
        "DELAY": "0",
        "RETRIES": "0",
        "MAX_BYTES": "3000",
        "CONTACT": "desk@example.org",
    }.items():
        monkeypatch.setenv(f"NEWSDESK_FETCH_{name}", value)
    httpserver.clear_log()
    assert main(argv) == 1
    out, err = capsys.readouterr()
    counts = json.loads(out.strip().splitlines()[-1])["sources"][site.url("/rss.xml")]
    assert (counts["new"], counts["not_modified"], counts["failed"]) == (0, 1, 1)
    assert f"failed {other}: response over 3000 bytes" in err
    agents = {request.headers["User-Agent"] for request, _ in httpserver.log}
    assert agents == {"Newsdesk/0.1 (+https://github.com/newsdesk; news QA; desk@example.org)"}


def test_a_bad_fetch_setting_is_a_usage_error(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setenv("NEWSDESK_FETCH_TIMEOUT", "0")
    assert main(["--articles-dir", str(tmp_path), "--sources-file", str(tmp_path / "s.toml")]) == 2
    assert "error: bad setting: Input should be greater than 0" in capsys.readouterr().err
