"""A source's `every`: skipped ("not due") until that long after its last fetch, by an
injected clock, against a real HTTP server on the loopback."""

from __future__ import annotations

import json
import logging
from datetime import UTC, datetime, timedelta
from pathlib import Path

import httpx
import pytest
from pytest_httpserver import HTTPServer

from tests.vectorstore.test_fetch import Site, rss2
from vectorstore.fetch import fetch_sources
from vectorstore.fetch_state import STATE_FILE, FetchState
from vectorstore.sources import Source

T0 = datetime(2024, 8, 5, 9, 0, tzinfo=UTC)


@pytest.fixture
def site(httpserver: HTTPServer) -> Site:
    httpserver.expect_request("/robots.txt").respond_with_data("missing", status=404)
    site = Site(httpserver)
    site.page("bridge")
    site.page("harvest")
    site.serve("/two-hourly.xml", rss2(site, ["bridge"]), "application/rss+xml")
    site.serve("/always.xml", rss2(site, ["harvest"]), "application/rss+xml")
    return site


def feed_requests(sent: list[httpx.Request]) -> list[str]:
    paths = [r.url.path for r in sent if r.url.path.endswith(".xml")]
    sent.clear()
    return paths


def test_a_source_is_not_fetched_again_until_its_every_has_passed(
    site: Site, make_fetcher, sent: list[httpx.Request], tmp_path: Path
) -> None:
    two_hourly = Source(url=site.url("/two-hourly.xml"), every="2h")
    always = Source(url=site.url("/always.xml"))
    sources = [two_hourly, always]

    first = fetch_sources(sources, tmp_path, make_fetcher(), now=T0)
    assert first.totals.new == 2 and first.totals.not_due == 0
    assert feed_requests(sent) == ["/two-hourly.xml", "/always.xml"]

    later = fetch_sources(sources, tmp_path, make_fetcher(), now=T0 + timedelta(hours=1))
    skipped = later.sources[two_hourly.url]
    assert skipped.counts() == {name: 0 for name in skipped.counts()} | {"not_due": 1}
    # Due a minute early, so a two-hourly schedule that starts a little late still fetches it.
    assert skipped.due_at == "2024-08-05T10:59:00+00:00"
    assert skipped.summary() == "not due until 2024-08-05T10:59:00+00:00"
    assert later.sources[always.url].not_modified == 1
    assert later.totals.not_due == 1 and not later.failed
    assert feed_requests(sent) == ["/always.xml"]

    due = fetch_sources(sources, tmp_path, make_fetcher(), now=T0 + timedelta(hours=2))
    assert due.sources[two_hourly.url].not_modified == 1
    assert due.totals.not_due == 0
    assert feed_requests(sent) == ["/two-hourly.xml", "/always.xml"]

    state = json.loads((tmp_path / STATE_FILE).read_text())
    assert state["fetched_at"] == {
        two_hourly.url: "2024-08-05T11:00:00Z",
        always.url: "2024-08-05T11:00:00Z",
    }
    assert state["validators"][two_hourly.url]["etag"]


def test_a_failed_fetch_also_waits_for_its_every(
    site: Site, httpserver: HTTPServer, make_fetcher, sent: list[httpx.Request], tmp_path: Path
) -> None:
    httpserver.expect_request("/down.xml").respond_with_data("down", status=500)
    down = Source(url=site.url("/down.xml"), every="30m")

    first = fetch_sources([down], tmp_path, make_fetcher(), now=T0)
    assert "HTTP 500" in first.sources[down.url].errors[0]
    soon = fetch_sources([down], tmp_path, make_fetcher(), now=T0 + timedelta(minutes=10))
    assert soon.sources[down.url].due_at == "2024-08-05T09:29:00+00:00"
    assert not soon.failed
    again = fetch_sources([down], tmp_path, make_fetcher(), now=T0 + timedelta(minutes=30))
    assert again.sources[down.url].failed == 1
    assert feed_requests(sent) == ["/down.xml", "/down.xml"]


@pytest.mark.parametrize(
    ("every", "later", "force"),
    [("1d", timedelta(minutes=5), True), ("1h", -timedelta(hours=3), False)],
    ids=["forced", "clock set back"],
)
def test_a_source_fetched_moments_ago_is_fetched_when_forced_or_the_clock_went_back(
    site: Site,
    make_fetcher,
    sent: list[httpx.Request],
    tmp_path: Path,
    every: str,
    later: timedelta,
    force: bool,
) -> None:
    source = Source(url=site.url("/two-hourly.xml"), every=every)
    fetch_sources([source], tmp_path, make_fetcher(), now=T0)
    sent.clear()
    report = fetch_sources([source], tmp_path, make_fetcher(), now=T0 + later, force=force)
    assert report.sources[source.url].not_modified == 1
    assert feed_requests(sent) == ["/two-hourly.xml"]
    assert FetchState.load(tmp_path).fetched_at[source.url] == T0 + later  # the last fetch


@pytest.mark.parametrize(
    ("every", "elapsed", "due_at"),
    [
        ("30m", timedelta(minutes=28), "2024-08-05T09:29:00+00:00"),
        ("30m", timedelta(minutes=29), None),
        ("5m", timedelta(minutes=4), "2024-08-05T09:04:30+00:00"),  # a tenth of 5m early
        ("5m", timedelta(minutes=4, seconds=30), None),
        ("1d", timedelta(hours=23, minutes=58), "2024-08-05T08:59:00+00:00"),
    ],
)
def test_due_at_allows_a_little_slack(every: str, elapsed: timedelta, due_at: str | None) -> None:
    source = Source(url="https://example.com/rss", every=every)
    last = T0 - (timedelta(days=1) if every == "1d" else timedelta(0))
    state = FetchState(fetched_at={source.url: last})
    due = state.due_at(source, last + elapsed)
    assert (due.isoformat() if due else None) == due_at
    assert state.due_at(Source(url=source.url), last + elapsed) is None  # no every: always due


def test_an_unreadable_state_file_makes_every_source_due(
    tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    (tmp_path / STATE_FILE).write_text('{"fetched_at": {"https://example.com/rss": "yesterday"}}')
    with caplog.at_level(logging.WARNING):
        state = FetchState.load(tmp_path)
    assert state == FetchState()
    assert "cannot be read" in caplog.text
    # A state file written before `fetched_at` existed keeps its validators.
    (tmp_path / STATE_FILE).write_text('{"validators": {"https://e.com/rss": {"etag": "\\"a\\""}}}')
    assert FetchState.load(tmp_path).validators == {"https://e.com/rss": {"etag": '"a"'}}
