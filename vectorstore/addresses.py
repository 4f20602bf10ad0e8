"""Which network addresses the fetcher may reach, checked where it connects.

Link-local and cloud metadata addresses are refused unless a setting allows them.
Loopback and private (intranet) addresses are refused too, except for the hosts the
user named in the sources file (`trusted_hosts`): a feed on this machine or an
intranet is followed as listed, while a feed's link, or a redirect, to some other
private host is not (unless `NEWSDESK_FETCH_ALLOW_PRIVATE` allows every one).

A host name is resolved and every address it gives is checked; the connection is then
made to one of those same addresses, so a name that resolves to another address the
second time it is looked up (DNS rebinding) cannot slip past the check.
"""

from __future__ import annotations

import ipaddress
import socket
from collections.abc import Iterable

import httpcore
import httpx

from vectorstore.settings import FetchSettings

IPAddress = ipaddress.IPv4Address | ipaddress.IPv6Address

_METADATA_ADDRESSES = frozenset(
    ipaddress.ip_address(a) for a in ("169.254.169.254", "fd00:ec2::254", "100.100.100.200")
)


class AddressError(httpcore.ConnectError):
    """A host that does not resolve, or resolves to an address the settings refuse.

    A `httpcore.ConnectError`, so that httpx reports it as a failed connection.
    """


class AddressRefusedError(AddressError):
    """A host resolves to an address the settings refuse."""


def trusted_host(url: str) -> str:
    """The host of `url` as the checks compare it: lower case, IDNA-encoded, no brackets.

    Example:
        >>> trusted_host("http://Intranet.Example:8080/feed.xml"), trusted_host("http://[::1]/")
        ('intranet.example', '::1')
    """
    return httpx.URL(url).raw_host.decode("ascii")  # `.host` would decode IDNA back


def refusal(
    host: str, address: IPAddress, settings: FetchSettings, *, trusted: bool = False
) -> str | None:
    """Why `address` (of `host`) may not be fetched from, or None when it may.

    A `trusted` host (one the sources file names) may be loopback or private; never
    link-local or metadata unless the settings allow it.

    Example:
        >>> import ipaddress
        >>> refusal("meta.test", ipaddress.ip_address("169.254.169.254"), FetchSettings())
        'refused: meta.test is a cloud metadata address (169.254.169.254); set NEWSDESK_FETCH_ALLOW_LINK_LOCAL to fetch from it'
    """
    if isinstance(address, ipaddress.IPv6Address) and address.ipv4_mapped:
        address = address.ipv4_mapped
    if address in _METADATA_ADDRESSES or address.is_link_local:
        if settings.allow_link_local:
            return None
        what = (
            "is a cloud metadata address"
            if address in _METADATA_ADDRESSES
            else "resolves to a link-local address"
        )
        return (
            f"refused: {host} {what} ({address}); set NEWSDESK_FETCH_ALLOW_LINK_LOCAL to fetch "
            "from it"
        )
    if settings.allow_private or trusted:
        return None
    if (
        address.is_private
        or address.is_loopback
        or address.is_reserved
        or address.is_multicast
        or address.is_unspecified
    ):
        return (
            f"refused: {host} resolves to a private address ({address}) and is not a host "
            "of the sources file; add it as a source, or set NEWSDESK_FETCH_ALLOW_PRIVATE "
            "to fetch from any private address"
        )
    return None


def resolve(host: str, port: int) -> list[IPAddress]:
    """Every address `host` resolves to (the literal itself for an IP host).

    Raises:
        AddressError: the name does not resolve.
    """
    try:
        return [ipaddress.ip_address(host.strip("[]"))]
    except ValueError:
        pass
    try:
        infos = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)
    except (OSError, UnicodeError) as exc:
        raise AddressError(f"cannot resolve host {host!r}: {exc}") from exc
    # Strip an IPv6 zone ("fe80::1%eth0") before parsing.
    found = [ipaddress.ip_address(str(info[4][0]).split("%", 1)[0]) for info in infos]
    return list(dict.fromkeys(found))


def allowed_addresses(
    host: str, port: int, settings: FetchSettings, trusted_hosts: frozenset[str] = frozenset()
) -> list[IPAddress]:
    """The addresses of `host`, when the settings allow every one of them.

    `trusted_hosts` (from `trusted_host`) may resolve to loopback and private addresses.

    Raises:
        AddressRefusedError: some address is refused (the message says which and why).
        AddressError: the name does not resolve.
    """
    addresses = resolve(host, port)
    trusted = host.strip("[]").lower() in trusted_hosts
    for address in addresses:
        reason = refusal(host, address, settings, trusted=trusted)
        if reason:
            raise AddressRefusedError(reason)
    return addresses


class _CheckedBackend(httpcore.NetworkBackend):
    """Opens TCP connections only to the checked addresses of a host."""

    def __init__(self, settings: FetchSettings, trusted_hosts: frozenset[str]) -> None:
        self._settings = settings
        self._trusted_hosts = trusted_hosts
        self._backend = httpcore.SyncBackend()

    def connect_tcp(
        self,
        host: str,
        port: int,
        timeout: float | None = None,
        local_address: str | None = None,
        socket_options: Iterable[httpcore.SOCKET_OPTION] | None = None,
    ) -> httpcore.NetworkStream:
        error: httpcore.ConnectError | None = None
        for address in allowed_addresses(host, port, self._settings, self._trusted_hosts):
            try:
                # TLS still names the host (httpcore passes it as the server name).
                return self._backend.connect_tcp(
                    str(address), port, timeout, local_address, socket_options
                )
            except httpcore.ConnectError as exc:
                error = exc
        raise error or AddressError(f"no address for host {host!r}")

    def connect_unix_socket(
        self,
        path: str,
        timeout: float | None = None,
        socket_options: Iterable[httpcore.SOCKET_OPTION] | None = None,
    ) -> httpcore.NetworkStream:
        raise AddressError("feeds and pages are not fetched through Unix sockets")

    def sleep(self, seconds: float) -> None:
        self._backend.sleep(seconds)


class CheckedTransport(httpx.HTTPTransport):
    """An httpx transport that connects only to addresses `FetchSettings` allows
    (loopback and private ones also for `trusted_hosts`, made by `trusted_host`).

    Example:
        >>> client = httpx.Client(transport=CheckedTransport(FetchSettings()), trust_env=False)
        >>> client.get("http://169.254.169.254/")  # doctest: +SKIP
        Traceback (most recent call last):
        httpx.ConnectError: refused: 169.254.169.254 is a cloud metadata address ...
    """

    def __init__(
        self, settings: FetchSettings, trusted_hosts: frozenset[str] = frozenset()
    ) -> None:
        super().__init__(trust_env=False)
        # httpx takes no network backend of its own: its connection pool is made again
        # with one that checks each address it connects to.
        self._pool = httpcore.ConnectionPool(
            ssl_context=httpx.create_ssl_context(trust_env=False),
            max_connections=100,
            max_keepalive_connections=20,
            keepalive_expiry=5.0,
            network_backend=_CheckedBackend(settings, trusted_hosts),
        )
