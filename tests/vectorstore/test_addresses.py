"""The address guard: a host name's resolved addresses are checked, where the fetcher connects.

The resolver (`socket.getaddrinfo`) is replaced for made-up `.test` names only; every
connection made goes to the real test server on 127.0.0.1.
"""

from __future__ import annotations

import ipaddress
import socket
from collections.abc import Callable, Iterator

import httpx
import pytest
from pytest_httpserver import HTTPServer

from vectorstore.addresses import CheckedTransport, refusal, trusted_host
from vectorstore.http_fetch import Fetcher
from vectorstore.settings import FetchSettings
from vectorstore.sources import Source

Answers = dict[str, list[list[str]]]


@pytest.fixture
def resolver(monkeypatch: pytest.MonkeyPatch) -> Answers:
    """Made-up host names and what each lookup of them gives, in turn (the last repeats)."""
    answers: Answers = {}
    real = socket.getaddrinfo

    def getaddrinfo(host: str, port: object, *args: object, **kwargs: object) -> list:
        if host not in answers:
            return real(host, port, *args, **kwargs)  # type: ignore[arg-type]
        turns = answers[host]
        addresses = turns.pop(0) if len(turns) > 1 else turns[0]
        return [
            (
                socket.AF_INET6 if ":" in a else socket.AF_INET,
                socket.SOCK_STREAM,
                socket.IPPROTO_TCP,
                "",
                (a, port, 0, 0) if ":" in a else (a, port),
            )
            for a in addresses
        ]

    monkeypatch.setattr(socket, "getaddrinfo", getaddrinfo)
    return answers


@pytest.fixture
def server(httpserver: HTTPServer) -> HTTPServer:
    httpserver.expect_request("/robots.txt").respond_with_data("missing", status=404)
    httpserver.expect_request("/page").respond_with_data("the page")
    return httpserver


@pytest.fixture
def sent() -> list[httpx.Request]:
    return []


@pytest.fixture
def fetch(sent: list[httpx.Request]) -> Iterator[Callable[..., Fetcher]]:
    """Fetchers with no delay, through the checked transport, recording each request."""
    clients: list[httpx.Client] = []

    def make(**overrides: object) -> Fetcher:
        settings = FetchSettings(**({"delay": 0.0, "retries": 0} | overrides))
        client = httpx.Client(
            transport=CheckedTransport(settings),
            trust_env=False,
            event_hooks={"request": [sent.append]},
        )
        clients.append(client)
        return Fetcher(settings, client=client)

    yield make
    for client in clients:
        client.close()


@pytest.mark.parametrize(
    ("address", "message"),
    [
        ("169.254.169.254", "is a cloud metadata address (169.254.169.254)"),
        ("fd00:ec2::254", "is a cloud metadata address (fd00:ec2::254)"),
        ("169.254.7.1", "resolves to a link-local address (169.254.7.1)"),
        ("fe80::1", "resolves to a link-local address (fe80::1)"),
        ("::ffff:169.254.169.254", "is a cloud metadata address (169.254.169.254)"),
    ],
)
@pytest.mark.parametrize("allow_private", [False, True])
def test_a_name_resolving_to_link_local_or_metadata_is_refused(
    resolver: Answers,
    fetch: Callable[..., Fetcher],
    sent: list[httpx.Request],
    address: str,
    message: str,
    allow_private: bool,
) -> None:
    resolver["metadata.test"] = [[address]]
    with fetch(allow_private=allow_private) as fetcher:
        result = fetcher.fetch("http://metadata.test/latest/meta-data/")
    assert result.error.startswith(f"refused: metadata.test {message}")
    assert "NEWSDESK_FETCH_ALLOW_LINK_LOCAL" in result.error
    assert sent == []


def test_one_forbidden_address_among_several_refuses_the_name(
    resolver: Answers, fetch: Callable[..., Fetcher], sent: list[httpx.Request]
) -> None:
    resolver["mixed.test"] = [["93.184.216.34", "10.0.0.7"]]
    with fetch() as fetcher:
        result = fetcher.fetch("https://mixed.test/feed.xml")
    assert result.error == (
        "refused: mixed.test resolves to a private address (10.0.0.7) and is not a host of "
        "the sources file; add it as a source, or set NEWSDESK_FETCH_ALLOW_PRIVATE to fetch "
        "from any private address"
    )
    assert sent == []


def test_a_name_resolving_to_loopback_is_fetched_only_with_allow_private(
    resolver: Answers, server: HTTPServer, fetch: Callable[..., Fetcher]
) -> None:
    resolver["news.test"] = [["127.0.0.1"]]
    url = f"http://news.test:{server.port}/page"
    with fetch() as fetcher:
        refused = fetcher.fetch(url)
    assert "refused: news.test resolves to a private address (127.0.0.1)" in refused.error
    assert server.log == []

    with fetch(allow_private=True) as fetcher:
        fetched = fetcher.fetch(url)
    assert (fetched.error, fetched.body) == ("", b"the page")
    # Connected to the checked address, while the request still names the host.
    assert [request.headers["Host"] for request, _ in server.log] == [
        f"news.test:{server.port}",
        f"news.test:{server.port}",
    ]


def test_the_checked_transport_refuses_a_name_it_resolves_to_metadata(
    resolver: Answers, server: HTTPServer
) -> None:
    resolver["rebind.test"] = [["169.254.169.254"]]
    settings = FetchSettings(allow_private=True)
    with (
        httpx.Client(transport=CheckedTransport(settings), trust_env=False) as client,
        pytest.raises(httpx.ConnectError, match="rebind.test is a cloud metadata address"),
    ):
        client.get(f"http://rebind.test:{server.port}/page")
    assert server.log == []


def test_a_name_that_rebinds_after_the_checks_is_refused_where_it_connects(
    resolver: Answers, server: HTTPServer
) -> None:
    # The fetcher looks the name up to check the page's URL, then robots.txt's, and gets
    # the loopback (which allow_private opens); the lookup made to connect gives the
    # metadata address.
    resolver["rebind.test"] = [["127.0.0.1"], ["127.0.0.1"], ["169.254.169.254"]]
    with Fetcher(FetchSettings(allow_private=True, delay=0.0, retries=0)) as fetcher:
        result = fetcher.fetch(f"http://rebind.test:{server.port}/page")
    assert result.error == (
        "refused: rebind.test is a cloud metadata address (169.254.169.254); "
        "set NEWSDESK_FETCH_ALLOW_LINK_LOCAL to fetch from it"
    )
    assert server.log == []


def test_the_fetchers_own_client_reaches_a_checked_loopback_address(server: HTTPServer) -> None:
    with Fetcher(FetchSettings(allow_private=True, delay=0.0, retries=0)) as fetcher:
        result = fetcher.fetch(f"http://127.0.0.1:{server.port}/page")
    assert (result.error, result.body) == ("", b"the page")
    assert [request.path for request, _ in server.log] == ["/robots.txt", "/page"]


def test_each_kind_of_address_is_opened_by_its_own_setting() -> None:
    metadata = ipaddress.ip_address("169.254.169.254")
    loopback = ipaddress.ip_address("127.0.0.1")
    public = ipaddress.ip_address("93.184.216.34")
    default = FetchSettings()
    private = FetchSettings(allow_private=True)
    link_local = FetchSettings(allow_link_local=True)
    assert "cloud metadata" in (refusal("h", metadata, default) or "")
    assert "cloud metadata" in (refusal("h", metadata, private) or "")
    assert refusal("h", metadata, link_local) is None
    assert "private address" in (refusal("h", loopback, default) or "")
    assert "private address" in (refusal("h", loopback, link_local) or "")
    assert refusal("h", loopback, private) is None
    # A host the sources file names may be private, never metadata or link-local.
    assert refusal("h", loopback, default, trusted=True) is None
    assert "cloud metadata" in (refusal("h", metadata, default, trusted=True) or "")
    assert [refusal("h", public, s) for s in (default, private, link_local)] == [None] * 3


def test_the_hosts_of_the_sources_file_may_be_private_and_no_other(
    resolver: Answers, httpserver: HTTPServer
) -> None:
    # An intranet feed the user listed: fetched with the default settings, by the
    # fetcher's own checked client. Its redirect to another private name is refused.
    resolver["intranet.test"] = [["127.0.0.1"]]
    resolver["other.test"] = [["127.0.0.1"]]
    port = httpserver.port
    httpserver.expect_request("/robots.txt").respond_with_data("missing", status=404)
    httpserver.expect_request("/feed.xml").respond_with_data("<rss/>")
    httpserver.expect_request("/moved").respond_with_data(
        "", status=302, headers={"Location": f"http://Other.test:{port}/feed.xml"}
    )
    sources = [Source(url=f"http://INTRANET.test:{port}/feed.xml")]
    settings = FetchSettings(delay=0.0, retries=0)
    with Fetcher.for_sources(settings, sources) as fetcher:
        assert fetcher.trusted_hosts == {"intranet.test"}
        fetched = fetcher.fetch(f"http://intranet.test:{port}/feed.xml")
        moved = fetcher.fetch(f"http://intranet.test:{port}/moved")
    assert (fetched.error, fetched.body) == ("", b"<rss/>")
    assert moved.error.startswith("refused: other.test resolves to a private address")
    assert [r.path for r, _ in httpserver.log] == ["/robots.txt", "/feed.xml", "/moved"]
    assert trusted_host("https://[::1]:8443/a") == "::1"


def test_a_listed_host_is_trusted_in_the_form_it_is_connected_by(
    resolver: Answers, server: HTTPServer
) -> None:
    # A non-ASCII host name: checked before the request and where it connects under one
    # name, its IDNA form, so the check and the connection agree on the trust.
    resolver["xn--bcher-kva.test"] = [["127.0.0.1"]]
    url = f"http://Bücher.test:{server.port}/page"
    settings = FetchSettings(delay=0.0, retries=0)
    with Fetcher.for_sources(settings, [Source(url=url)]) as fetcher:
        result = fetcher.fetch(url)
    assert (result.error, result.body) == ("", b"the page")
    assert [request.path for request, _ in server.log] == ["/robots.txt", "/page"]
