"""The polite HTTP client against a real HTTP server on the loopback."""

from __future__ import annotations

import json
import time
from collections.abc import Callable, Iterator
from datetime import UTC, datetime, timedelta
from email.utils import format_datetime

import httpx
import pytest
from pytest_httpserver import HTTPServer
from werkzeug import Request, Response

from vectorstore.http_fetch import Fetcher, _parse_retry_after
from vectorstore.settings import DEFAULT_USER_AGENT, FetchSettings


class FakeClock:
    """A monotonic clock that only moves when the code under test sleeps."""

    def __init__(self) -> None:
        self.now = 0.0
        self.sleeps: list[float] = []

    def __call__(self) -> float:
        return self.now

    def sleep(self, seconds: float) -> None:
        self.sleeps.append(seconds)
        self.now += seconds


@pytest.fixture
def server(httpserver: HTTPServer) -> HTTPServer:
    """The test server with no robots.txt (a 404 allows everything)."""
    httpserver.expect_request("/robots.txt").respond_with_data("missing", status=404)
    return httpserver


@pytest.fixture
def sent() -> list[httpx.Request]:
    """Every request the fetcher's client sends."""
    return []


@pytest.fixture
def clock() -> FakeClock:
    return FakeClock()


@pytest.fixture
def make_fetcher(sent: list[httpx.Request], clock: FakeClock) -> Iterator[Callable[..., Fetcher]]:
    """Fetchers allowed onto the loopback, with a fake clock and no delay unless asked."""
    clients: list[httpx.Client] = []

    def make(validators: dict | None = None, **overrides: object) -> Fetcher:
        options: dict = {"allow_private": True, "delay": 0.0} | overrides
        client = httpx.Client(trust_env=False, event_hooks={"request": [sent.append]})
        fetcher = Fetcher(
            FetchSettings(**options), validators, clock=clock, sleep=clock.sleep, client=client
        )
        clients.append(client)
        return fetcher

    yield make
    for client in clients:
        client.close()


def paths(server: HTTPServer) -> list[str]:
    return [request.path for request, _response in server.log]


def test_sends_the_newsdesk_user_agent(server: HTTPServer, make_fetcher) -> None:
    server.expect_request("/page").respond_with_data(
        "<p>Hello</p>", content_type="text/html; charset=UTF-8"
    )
    result = make_fetcher().fetch(server.url_for("/page"))
    assert result.error == ""
    assert (result.status, result.body) == (200, b"<p>Hello</p>")
    assert (result.content_type, result.encoding) == ("text/html", "utf-8")
    assert paths(server) == ["/robots.txt", "/page"]
    assert {request.headers["User-Agent"] for request, _ in server.log} == {DEFAULT_USER_AGENT}


def test_second_fetch_is_a_conditional_get_answered_304(server: HTTPServer, make_fetcher) -> None:
    def feed(request: Request) -> Response:
        if request.headers.get("If-None-Match") == '"v1"':
            return Response(status=304)
        return Response(
            "<rss/>",
            content_type="application/rss+xml",
            headers={"ETag": '"v1"', "Last-Modified": "Wed, 01 May 2024 12:00:00 GMT"},
        )

    server.expect_request("/feed.xml").respond_with_handler(feed)
    url = server.url_for("/feed.xml")
    validators: dict = {}
    first = make_fetcher(validators).fetch(url)
    assert (first.body, first.not_modified, first.etag) == (b"<rss/>", False, '"v1"')
    # The caller saves the validators as JSON between runs.
    saved = json.loads(json.dumps(validators))
    assert saved == {url: {"etag": '"v1"', "last_modified": "Wed, 01 May 2024 12:00:00 GMT"}}

    second = make_fetcher(saved).fetch(url)
    assert second.error == ""
    assert (second.status, second.not_modified, second.body) == (304, True, b"")
    request = server.log[-1][0]
    assert request.headers["If-None-Match"] == '"v1"'
    assert request.headers["If-Modified-Since"] == "Wed, 01 May 2024 12:00:00 GMT"
    assert saved[url]["etag"] == '"v1"'


def test_robots_disallow_is_honoured(server: HTTPServer, make_fetcher) -> None:
    server.expect_oneshot_request("/robots.txt").respond_with_data(
        "User-agent: Newsdesk\nDisallow: /private\n\nUser-agent: *\nDisallow: /\n"
    )
    server.expect_request("/private/story").respond_with_data("secret")
    server.expect_request("/public/story").respond_with_data("open")
    fetcher = make_fetcher()
    refused = fetcher.fetch(server.url_for("/private/story"))
    allowed = fetcher.fetch(server.url_for("/public/story"))
    assert "robots.txt" in refused.error
    assert allowed.body == b"open"
    assert paths(server) == ["/robots.txt", "/public/story"]  # robots.txt fetched once


def test_robots_server_error_disallows_the_host(httpserver: HTTPServer, make_fetcher) -> None:
    httpserver.expect_request("/robots.txt").respond_with_data("down", status=503)
    httpserver.expect_request("/page").respond_with_data("page")
    result = make_fetcher().fetch(httpserver.url_for("/page"))
    assert "robots.txt" in result.error
    assert paths(httpserver) == ["/robots.txt"]


def test_429_waits_for_retry_after_then_succeeds(
    server: HTTPServer, make_fetcher, clock: FakeClock
) -> None:
    server.expect_oneshot_request("/news").respond_with_data(
        "slow down", status=429, headers={"Retry-After": "1"}
    )
    server.expect_request("/news").respond_with_data("fresh")
    result = make_fetcher().fetch(server.url_for("/news"))
    assert (result.error, result.body) == ("", b"fresh")
    assert clock.sleeps == [1.0]
    assert paths(server).count("/news") == 2


def test_retry_after_over_the_limit_gives_up_without_waiting(
    server: HTTPServer, make_fetcher, clock: FakeClock
) -> None:
    server.expect_request("/news").respond_with_data(
        "come back tomorrow", status=503, headers={"Retry-After": "86400"}
    )
    result = make_fetcher().fetch(server.url_for("/news"))
    assert "503" in result.error and "Retry-After" in result.error
    assert clock.sleeps == []


def test_persistent_500_ends_in_an_error_naming_the_status(
    server: HTTPServer, make_fetcher, clock: FakeClock
) -> None:
    server.expect_request("/broken").respond_with_data("oops", status=500)
    result = make_fetcher(retries=2).fetch(server.url_for("/broken"))
    assert "HTTP 500" in result.error and "3 attempts" in result.error
    assert paths(server).count("/broken") == 3
    assert clock.sleeps == [0.5, 1.0]  # exponential backoff


def test_slow_response_times_out(server: HTTPServer, make_fetcher) -> None:
    def slow(_request: Request) -> Response:
        time.sleep(0.5)
        return Response("late")

    server.expect_request("/slow").respond_with_handler(slow)
    started = time.monotonic()
    result = make_fetcher(timeout=0.2, retries=0).fetch(server.url_for("/slow"))
    assert "timed out" in result.error
    assert time.monotonic() - started < 2


@pytest.mark.parametrize("declared", [True, False], ids=["content-length", "streamed"])
def test_oversized_response_is_cut_off(server: HTTPServer, make_fetcher, declared: bool) -> None:
    body = b"x" * 5000
    if declared:
        server.expect_request("/big").respond_with_data(body)
    else:
        server.expect_request("/big").respond_with_response(
            Response(iter([body[:2500], body[2500:]]))
        )
    result = make_fetcher(max_bytes=1000).fetch(server.url_for("/big"))
    assert "response over 1000 bytes" in result.error
    # A declared Content-Length over the cap is refused before reading the body.
    assert ("Content-Length" in result.error) == declared
    assert result.body == b""


def test_redirects_are_followed_to_the_final_url(server: HTTPServer, make_fetcher) -> None:
    server.expect_request("/old").respond_with_data("", status=301, headers={"Location": "/mid"})
    server.expect_request("/mid").respond_with_data(
        "", status=302, headers={"Location": server.url_for("/story")}
    )
    server.expect_request("/story").respond_with_data("the story")
    result = make_fetcher().fetch(server.url_for("/old"))
    assert (result.error, result.url, result.body) == ("", server.url_for("/story"), b"the story")


def test_redirect_loop_is_an_error(server: HTTPServer, make_fetcher) -> None:
    server.expect_request("/loop").respond_with_data("", status=302, headers={"Location": "/loop"})
    result = make_fetcher(max_redirects=3).fetch(server.url_for("/loop"))
    assert "too many redirects" in result.error
    assert paths(server).count("/loop") == 4


def test_redirect_to_the_metadata_address_is_refused(
    server: HTTPServer, make_fetcher, sent: list[httpx.Request]
) -> None:
    server.expect_request("/evil").respond_with_data(
        "", status=302, headers={"Location": "http://169.254.169.254/latest/meta-data/"}
    )
    result = make_fetcher().fetch(server.url_for("/evil"))
    assert "metadata" in result.error
    assert {request.url.host for request in sent} == {"localhost"}


@pytest.mark.parametrize(
    ("url", "message"),
    [
        ("file:///etc/passwd", "only http and https"),
        ("http://169.254.169.254/latest/meta-data/", "metadata"),
        ("http://[fe80::1]/", "link-local"),
        ("http://169.254.10.1/", "link-local"),
    ],
)
def test_forbidden_urls_are_refused_without_a_request(
    make_fetcher, sent: list[httpx.Request], url: str, message: str
) -> None:
    result = make_fetcher().fetch(url)  # allow_private does not open these
    assert message in result.error
    assert sent == []


def test_loopback_is_refused_unless_private_addresses_are_allowed(
    server: HTTPServer, make_fetcher, sent: list[httpx.Request]
) -> None:
    result = make_fetcher(allow_private=False).fetch(server.url_for("/page"))
    assert "private address" in result.error
    assert sent == [] and server.log == []


def test_requests_to_one_host_are_spaced_by_the_delay(
    server: HTTPServer, make_fetcher, clock: FakeClock
) -> None:
    seen: list[float] = []

    def record(_request: Request) -> Response:
        seen.append(clock.now)
        return Response("ok")

    server.expect_request("/a").respond_with_handler(record)
    server.expect_request("/b").respond_with_handler(record)
    fetcher = make_fetcher(delay=1.5)
    assert fetcher.fetch(server.url_for("/a")).body == b"ok"
    assert fetcher.fetch(server.url_for("/b")).body == b"ok"
    # robots.txt at 0, then /a and /b each a full delay after the request before.
    assert seen == [1.5, 3.0]
    assert clock.sleeps == [1.5, 1.5]


def test_retry_after_reads_seconds_and_http_dates() -> None:
    assert _parse_retry_after("7") == 7.0
    later = format_datetime(datetime.now(UTC) + timedelta(seconds=30), usegmt=True)
    assert 25 <= (_parse_retry_after(later) or 0) <= 30
    assert _parse_retry_after("soon") is None
