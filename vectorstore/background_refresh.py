"""Fetch the sources, then refresh the index, every so often in a background thread.

The chat app runs this when `NEWSDESK_FETCH_EVERY` is set. Each round holds the writer
lock while it fetches and indexes, so there are never two writers: a round that finds
the lock held (a refresh from the command line or cron, the chat's refresh button) is
skipped and logged, and the next one runs on schedule. A round that fails is logged and
the thread goes on. Readers see the new articles at their next question, in this
process or another (the store's generation marker).
"""

from __future__ import annotations

import logging
import threading
from dataclasses import dataclass

from vectorstore.errors import StoreBusyError
from vectorstore.fetch import FetchReport, fetch_sources
from vectorstore.http_fetch import Fetcher
from vectorstore.report import RefreshReport
from vectorstore.settings import FetchSettings, StoreSettings
from vectorstore.sources import SourcesFile
from vectorstore.store import refresh_lock
from vectorstore.sync import refresh

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class Round:
    """What one round did: the fetch's counts, then the refresh's."""

    fetched: FetchReport
    indexed: RefreshReport


class BackgroundRefresh:
    """Rounds of fetch-then-refresh in a daemon thread: the first at `start()`, then one
    `every` seconds after each round ends, until `stop()`.

    Args:
        store: where the articles, the sources file and the index are.
        every: seconds between the end of one round and the start of the next.
        fetch: how politely to fetch; `FetchSettings()` (from `NEWSDESK_FETCH_*`) by
            default.

    Example:
        >>> runner = BackgroundRefresh(StoreSettings(), every=1800)
        >>> runner.start()  # doctest: +SKIP
        >>> runner.stop()  # doctest: +SKIP
        True
    """

    def __init__(
        self, store: StoreSettings, every: float, fetch: FetchSettings | None = None
    ) -> None:
        if every <= 0:
            raise ValueError(f"every must be more than 0 seconds, got {every}")
        self.store = store
        self.every = every
        self.fetch = fetch or FetchSettings()
        self._stopping = threading.Event()
        self._thread: threading.Thread | None = None

    @property
    def running(self) -> bool:
        """True while the thread runs (a round, or the wait for the next)."""
        return self._thread is not None and self._thread.is_alive()

    def run_once(self) -> Round | None:
        """One round: fetch the sources that are due, then index what changed.

        Returns:
            What the round did, or None when it was skipped (the writer lock was held)
            or failed; either is logged, and nothing is raised.
        """
        try:
            with refresh_lock(self.store):
                sources = SourcesFile.load(self.store.sources_path).sources
                with Fetcher.for_sources(self.fetch, sources) as fetcher:
                    fetched = fetch_sources(sources, self.store.articles_dir, fetcher)
                indexed = refresh(self.store)
        except StoreBusyError as exc:
            log.info("Background fetch and refresh skipped this round: %s", exc)
            return None
        except Exception:  # noqa: BLE001 - the app goes on; the next round may succeed
            log.exception("Background fetch and refresh failed; next round in %g s", self.every)
            return None
        for counts in fetched.sources.values():
            for error in counts.errors:
                log.warning("Background fetch: failed %s", error)
        log.info(
            "Background fetch of %d sources: %s; refresh: %s",
            len(fetched.sources),
            fetched.totals.summary(),
            indexed.summary(),
        )
        return Round(fetched, indexed)

    def start(self) -> None:
        """Start the thread (the first round begins at once); a no-op if it runs."""
        if self.running:
            return
        self._stopping.clear()
        self._thread = threading.Thread(
            target=self._rounds, name="newsdesk-background-refresh", daemon=True
        )
        self._thread.start()

    def stop(self, timeout: float = 30.0) -> bool:
        """Start no more rounds, and wait up to `timeout` seconds for one under way.

        Returns:
            True when the thread has ended. When a round is still under way it ends with
            the process: its article files are written whole, and the next refresh
            completes an interrupted index.
        """
        self._stopping.set()
        if self._thread is None:
            return True
        self._thread.join(timeout)
        if self._thread.is_alive():
            log.warning("The background refresh is still in a round after %g s", timeout)
            return False
        return True

    def _rounds(self) -> None:
        while not self._stopping.is_set():
            self.run_once()
            if self._stopping.wait(self.every):
                break
