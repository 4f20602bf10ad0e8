"""Fixtures of the fetch tests: fetchers onto the loopback that record what they send."""

from __future__ import annotations

from collections.abc import Callable, Iterator

import httpx
import pytest

from vectorstore.http_fetch import Fetcher
from vectorstore.settings import FetchSettings


@pytest.fixture
def sent() -> list[httpx.Request]:
    return []


@pytest.fixture
def make_fetcher(sent: list[httpx.Request]) -> Iterator[Callable[[], Fetcher]]:
    """Fresh fetchers (as a new run would make) allowed onto the loopback, with no delay."""
    clients: list[httpx.Client] = []

    def make() -> Fetcher:
        client = httpx.Client(trust_env=False, event_hooks={"request": [sent.append]})
        clients.append(client)
        return Fetcher(FetchSettings(allow_private=True, delay=0.0, retries=0), client=client)

    yield make
    for client in clients:
        client.close()
