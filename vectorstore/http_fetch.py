"""A polite HTTP client for feeds and pages: robots.txt, per-host pacing, caps, retries.

Every failure of a source (refused address, robots.txt, timeout, 5xx, oversized
body, redirect loop) comes back as a `FetchResult` with `error` set, so one bad
source never stops a fetch run.
"""

from __future__ import annotations

import email.utils
import logging
import re
import threading
import time
import urllib.robotparser
from collections.abc import Callable, Iterable, Iterator, MutableMapping
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import UTC, datetime
from urllib.parse import urljoin, urlsplit

import httpx

from vectorstore.addresses import (
    AddressError,
    AddressRefusedError,
    CheckedTransport,
    allowed_addresses,
    trusted_host,
)
from vectorstore.settings import FetchSettings
from vectorstore.sources import Source

log = logging.getLogger(__name__)

_RETRY_STATUSES = frozenset({429, 500, 502, 503, 504})
_CHARSET_RE = re.compile(rb"""<meta[^>]+charset=["']?([A-Za-z0-9_.:-]+)""", re.IGNORECASE)
_XML_ENCODING_RE = re.compile(rb"""<\?xml[^>]+encoding=["']([A-Za-z0-9_.:-]+)""")

Validators = MutableMapping[str, dict[str, str]]


@dataclass(frozen=True)
class FetchResult:
    """What one fetch of a URL gave: a body, a 304, or an error message."""

    url: str
    status: int = 0
    body: bytes = b""
    content_type: str = ""
    encoding: str = ""
    etag: str = ""
    last_modified: str = ""
    not_modified: bool = False
    error: str = ""

    @property
    def ok(self) -> bool:
        """True when the fetch gave a body or a 304."""
        return not self.error


class _Failed(Exception):
    """A source-level failure; `Fetcher.fetch` turns it into `FetchResult.error`."""


class _Refused(_Failed):
    """An address the settings refuse: never read as an unreachable robots.txt."""


class Fetcher:
    """Fetches feeds and pages one polite request at a time per host.

    Args:
        settings: limits, identity and the addresses allowed; `FetchSettings()` (read
            from `NEWSDESK_FETCH_*`) by default.
        validators: ETag / Last-Modified per URL, updated in place; a dict the
            caller can save as JSON and pass back next run for conditional GETs.
        clock: a monotonic clock in seconds (injectable for tests).
        sleep: how to wait (injectable for tests).
        client: an `httpx.Client` to send through; the Fetcher owns (and
            closes) the one it makes when none is given, which connects only to
            the addresses the settings allow (`CheckedTransport`).
        trusted_hosts: hosts (as `trusted_host` gives them) that may be loopback or
            private: those of the sources file (`Fetcher.for_sources`).

    Example:
        >>> with Fetcher(FetchSettings(), validators={}) as fetcher:  # doctest: +SKIP
        ...     result = fetcher.fetch("https://example.com/feed.xml")
        ...     result.error or result.not_modified or len(result.body)
    """

    def __init__(
        self,
        settings: FetchSettings | None = None,
        validators: Validators | None = None,
        *,
        clock: Callable[[], float] = time.monotonic,
        sleep: Callable[[float], None] = time.sleep,
        client: httpx.Client | None = None,
        trusted_hosts: Iterable[str] = (),
    ) -> None:
        self.settings = settings or FetchSettings()
        self.trusted_hosts = frozenset(trusted_hosts)
        self.validators: Validators = {} if validators is None else validators
        self._clock = clock
        self._sleep = sleep
        self._owns_client = client is None
        # trust_env=False: a proxy from the environment would defeat the address checks.
        self._client = client or httpx.Client(
            transport=CheckedTransport(self.settings, self.trusted_hosts), trust_env=False
        )
        self._guard = threading.Lock()
        self._host_locks: dict[str, threading.Lock] = {}
        self._last_request: dict[str, float] = {}
        self._host_delay: dict[str, float] = {}
        self._robots: dict[str, urllib.robotparser.RobotFileParser] = {}

    @classmethod
    def for_sources(cls, settings: FetchSettings, sources: Iterable[Source]) -> Fetcher:
        """A Fetcher that trusts the hosts of `sources` (the user listed them) with
        loopback and private addresses."""
        return cls(settings, trusted_hosts={trusted_host(s.url) for s in sources})

    def __enter__(self) -> Fetcher:
        return self

    def __exit__(self, *exc_info: object) -> None:
        self.close()

    def close(self) -> None:
        """Close the HTTP client if this Fetcher made it."""
        if self._owns_client:
            self._client.close()

    def fetch(self, url: str) -> FetchResult:
        """GET `url` politely; never raises for a bad source.

        Args:
            url: an http or https URL.

        Returns:
            A `FetchResult`: the final URL, status and body; `not_modified` for
            a 304; or `error` saying what went wrong.
        """
        try:
            return self._fetch(url)
        except _Failed as exc:
            log.info("fetch %s failed: %s", url, exc)
            return FetchResult(url=url, error=str(exc))

    def _fetch(self, url: str) -> FetchResult:
        current = url
        for _hop in range(self.settings.max_redirects + 1):
            origin = self._check_url(current)
            if not self._robots_for(origin).can_fetch(self.settings.robots_token, current):
                raise _Failed(f"disallowed by robots.txt: {current}")
            outcome = self._get_with_retries(current, origin, self._conditional_headers(url))
            if isinstance(outcome, str):
                current = outcome
                continue
            self._remember_validators(url, outcome)
            return outcome
        raise _Failed(f"too many redirects (more than {self.settings.max_redirects})")

    # -- addresses ---------------------------------------------------------

    def _check_url(self, url: str) -> str:
        """Refuse non-http(s) URLs and forbidden addresses; return the origin."""
        try:
            parts = urlsplit(url)
            port = parts.port
            # The host as the transport connects by it (IDNA, lower case), so that this
            # check and the one where it connects agree, trusted hosts included.
            host = trusted_host(url) if parts.hostname else ""
        except (ValueError, httpx.InvalidURL) as exc:
            raise _Failed(f"invalid URL {url!r}: {exc}") from exc
        if parts.scheme not in ("http", "https"):
            raise _Failed(f"only http and https URLs are fetched, not {parts.scheme or 'none'!r}")
        if not host:
            raise _Failed(f"no host in URL {url!r}")
        port = port or (443 if parts.scheme == "https" else 80)
        # Checked here to refuse before any request; the transport checks again where it
        # connects, as the name may resolve elsewhere by then.
        try:
            allowed_addresses(host, port, self.settings, self.trusted_hosts)
        except AddressRefusedError as exc:
            raise _Refused(str(exc)) from exc
        except AddressError as exc:
            raise _Failed(str(exc)) from exc
        return f"{parts.scheme}://{parts.netloc.rsplit('@', 1)[-1].lower()}"

    # -- robots.txt --------------------------------------------------------

    def _robots_for(self, origin: str) -> urllib.robotparser.RobotFileParser:
        with self._guard:
            cached = self._robots.get(origin)
        if cached is not None:
            return cached
        parser = urllib.robotparser.RobotFileParser(origin + "/robots.txt")
        try:
            status, text = self._get_robots(origin + "/robots.txt")
        except _Refused:
            raise
        except (_Failed, httpx.HTTPError) as exc:
            # RFC 9309: an unreachable robots.txt means "assume complete disallow".
            log.info("robots.txt of %s unreachable (%s): disallowing", origin, exc)
            status, text = 503, ""
        if status == 429 or status >= 500:
            parser.parse(["User-agent: *", "Disallow: /"])
        elif status >= 400:
            parser.parse([])  # no robots.txt: everything is allowed
        else:
            parser.parse(text.splitlines())
            crawl_delay = parser.crawl_delay(self.settings.robots_token)
            if crawl_delay is not None:
                with self._guard:
                    self._host_delay[origin] = min(
                        float(crawl_delay), self.settings.max_retry_after
                    )
        with self._guard:
            self._robots[origin] = parser
        return parser

    def _get_robots(self, url: str) -> tuple[int, str]:
        """Status and text of a robots.txt, following same-site redirects."""
        for _hop in range(self.settings.max_redirects + 1):
            origin = self._check_url(url)
            with self._paced(origin), self._send(url, {}) as response:
                location = _redirect_target(response)
                if location is None:
                    body = self._read_body(response) if response.status_code < 300 else b""
                    return response.status_code, body.decode("utf-8", errors="replace")
            url = location
        return 503, ""

    # -- requests ----------------------------------------------------------

    def _get_with_retries(
        self, url: str, origin: str, headers: dict[str, str]
    ) -> FetchResult | str:
        """One hop: a result, or the URL a redirect points to."""
        attempts = self.settings.retries + 1
        for attempt in range(attempts):
            last = attempt == attempts - 1
            try:
                with self._paced(origin), self._send(url, headers) as response:
                    location = _redirect_target(response)
                    if location is not None:
                        return location
                    status = response.status_code
                    if status in _RETRY_STATUSES:
                        reason = f"HTTP {status} {response.reason_phrase}".strip()
                        wait = self._retry_wait(response, attempt)
                    else:
                        return self._result(url, response)
            except httpx.TimeoutException as exc:
                reason = f"timed out after {self.settings.timeout:g} s ({type(exc).__name__})"
                wait = self.settings.backoff * 2**attempt
            if last:
                break
            if wait > self.settings.max_retry_after:
                raise _Failed(
                    f"{reason}; Retry-After {wait:g} s is over the "
                    f"{self.settings.max_retry_after:g} s limit"
                )
            log.info("%s from %s; retrying in %.1f s", reason, url, wait)
            self._sleep(wait)
        raise _Failed(f"{reason} after {attempts} attempt{'s' if attempts > 1 else ''}")

    @contextmanager
    def _send(self, url: str, headers: dict[str, str]) -> Iterator[httpx.Response]:
        headers = {"User-Agent": self.settings.user_agent, **headers}
        try:
            with self._client.stream(
                "GET",
                url,
                headers=headers,
                timeout=self.settings.timeout,
                follow_redirects=False,
            ) as response:
                yield response
        except httpx.TimeoutException:
            raise
        except httpx.ConnectError as exc:
            if isinstance(exc.__cause__, AddressRefusedError):
                raise _Refused(str(exc.__cause__)) from exc
            raise _Failed(f"{type(exc).__name__}: {exc or 'request failed'}") from exc
        except (httpx.HTTPError, httpx.InvalidURL) as exc:
            raise _Failed(f"{type(exc).__name__}: {exc or 'request failed'}") from exc

    @contextmanager
    def _paced(self, origin: str) -> Iterator[None]:
        """Hold the host's lock and wait out its delay since the last request."""
        with self._guard:
            lock = self._host_locks.setdefault(origin, threading.Lock())
            delay = max(self.settings.delay, self._host_delay.get(origin, 0.0))
        with lock:
            last = self._last_request.get(origin)
            if last is not None:
                wait = last + delay - self._clock()
                if wait > 0:
                    self._sleep(wait)
            try:
                yield
            finally:
                self._last_request[origin] = self._clock()

    def _read_body(self, response: httpx.Response) -> bytes:
        """The body, streamed and cut off past `max_bytes`."""
        limit = self.settings.max_bytes
        declared = response.headers.get("Content-Length", "")
        if declared.isdigit() and int(declared) > limit:
            raise _Failed(f"response over {limit} bytes (Content-Length {declared})")
        deadline = time.monotonic() + self.settings.timeout
        chunks: list[bytes] = []
        size = 0
        for chunk in response.iter_bytes():
            size += len(chunk)
            if size > limit:
                raise _Failed(f"response over {limit} bytes")
            # httpx times each read, not the whole body; a trickling server is cut off here.
            if time.monotonic() > deadline:
                raise _Failed(f"timed out after {self.settings.timeout:g} s reading the body")
            chunks.append(chunk)
        return b"".join(chunks)

    def _result(self, url: str, response: httpx.Response) -> FetchResult:
        status = response.status_code
        etag = response.headers.get("ETag", "")
        last_modified = response.headers.get("Last-Modified", "")
        if status == 304:
            return FetchResult(
                url, status, etag=etag, last_modified=last_modified, not_modified=True
            )
        if not 200 <= status < 300:
            raise _Failed(f"HTTP {status} {response.reason_phrase}".strip())
        body = self._read_body(response)
        return FetchResult(
            url,
            status,
            body=body,
            content_type=response.headers.get("Content-Type", "").split(";", 1)[0].strip().lower(),
            encoding=_guess_encoding(response.charset_encoding, body),
            etag=etag,
            last_modified=last_modified,
        )

    # -- conditional GET ---------------------------------------------------

    def _conditional_headers(self, url: str) -> dict[str, str]:
        saved = self.validators.get(url) or {}
        headers = {}
        if saved.get("etag"):
            headers["If-None-Match"] = saved["etag"]
        if saved.get("last_modified"):
            headers["If-Modified-Since"] = saved["last_modified"]
        return headers

    def _remember_validators(self, url: str, result: FetchResult) -> None:
        if result.not_modified:
            return
        if result.etag or result.last_modified:
            self.validators[url] = {"etag": result.etag, "last_modified": result.last_modified}
        else:
            self.validators.pop(url, None)

    # -- retries -----------------------------------------------------------

    def _retry_wait(self, response: httpx.Response, attempt: int) -> float:
        """Seconds to wait: the server's Retry-After if given, else exponential backoff."""
        backoff = self.settings.backoff * 2**attempt
        retry_after = _parse_retry_after(response.headers.get("Retry-After", ""))
        return backoff if retry_after is None else retry_after


def _redirect_target(response: httpx.Response) -> str | None:
    """The absolute URL a 3xx response points to, or None."""
    if response.status_code in (301, 302, 303, 307, 308):
        location = response.headers.get("Location")
        if location:
            return urljoin(str(response.url), location)
    return None


def _parse_retry_after(value: str) -> float | None:
    """Retry-After as seconds from now: delta-seconds or an HTTP date."""
    value = value.strip()
    if not value:
        return None
    if value.isdigit():
        return float(value)
    try:
        when = email.utils.parsedate_to_datetime(value)
    except (TypeError, ValueError):
        return None
    if when.tzinfo is None:
        when = when.replace(tzinfo=UTC)
    return max(0.0, (when - datetime.now(UTC)).total_seconds())


def _guess_encoding(declared: str | None, body: bytes) -> str:
    """The header charset, a BOM, an in-document declaration, UTF-8 if it decodes, else ''."""
    if declared:
        return declared.lower()
    for bom, name in ((b"\xef\xbb\xbf", "utf-8"), (b"\xff\xfe", "utf-16"), (b"\xfe\xff", "utf-16")):
        if body.startswith(bom):
            return name
    head = body[:2048]
    match = _XML_ENCODING_RE.search(head) or _CHARSET_RE.search(head)
    if match:
        return match.group(1).decode("ascii").lower()
    try:
        body.decode("utf-8")
    except UnicodeDecodeError:
        return ""
    return "utf-8"
