"""`python -m vectorstore.refresh`: index the articles folder and say what changed.

`--fetch` first fetches the sources file's feeds and pages that are due into the articles
folder (as `python -m vectorstore.fetch` does; `--force`: every one); `--every 30m` repeats
the round until interrupted. A round holds the writer lock while it fetches and indexes.

Exit status: 0 when every file was read (and every source fetched), 1 when some were
skipped for errors, 2 for usage errors (a missing folder, a bad setting or interval,
another refresh running), 130 when Ctrl-C stopped it (the next run goes on from there).
"""

from __future__ import annotations

import argparse
import json
import logging
import signal
import sys
import threading
import time
from collections.abc import Callable
from functools import partial
from pathlib import Path
from types import FrameType
from typing import Any

from pydantic import ValidationError
from tqdm import tqdm

from vectorstore.errors import NewsdeskError
from vectorstore.fetch import FetchReport, fetch_round
from vectorstore.settings import FetchSettings, StoreSettings
from vectorstore.sources import SourcesFile, parse_interval
from vectorstore.store import refresh_lock
from vectorstore.sync import refresh


class _LogProgress:
    """Progress as plain log lines (for cron and CI logs): at most one every 10 seconds,
    with the time left once the total is known."""

    def __init__(self) -> None:
        self.done = 0
        self.total: int | None = None
        self.started = self.last = time.monotonic()

    def set_total(self, total: int) -> None:
        """The number of articles to read."""
        self.total = total

    def __call__(self, count: int) -> None:
        self.done += count
        now = time.monotonic()
        if now - self.last >= 10:
            self.last = now
            logging.getLogger("vectorstore.refresh").info(self.line(now))

    def line(self, now: float) -> str:
        """What has been read, how fast, and (with a total) how long the rest will take."""
        rate = self.done / max(now - self.started, 1e-9)
        if self.total is None:
            return f"{self.done} articles read ({rate:.1f}/s)"
        left = max(self.total - self.done, 0) / rate if rate > 0 else float("inf")
        eta = "?" if left == float("inf") else tqdm.format_interval(left)
        return f"{self.done}/{self.total} articles read ({rate:.1f}/s, {eta} left)"


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="python -m vectorstore.refresh",
        description="Index new and edited articles, drop deleted ones, and report the counts.",
    )
    parser.add_argument(
        "--articles-dir", type=Path, help="folder of articles (NEWSDESK_ARTICLES_DIR)"
    )
    parser.add_argument("--data-dir", type=Path, help="where the store lives (NEWSDESK_DATA_DIR)")
    parser.add_argument("--full", action="store_true", help="drop the index and rebuild it")
    parser.add_argument(
        "--dry-run", action="store_true", help="report what would change; write nothing"
    )
    parser.add_argument(
        "--fetch",
        action="store_true",
        help="fetch the sources file's feeds and pages into the articles folder first",
    )
    parser.add_argument(
        "--force",
        action="store_true",
        help="with --fetch: fetch every source, even one fetched less than its `every` ago "
        "(the first round only, with --every)",
    )
    parser.add_argument(
        "--sources-file",
        type=Path,
        metavar="PATH",
        help="the sources file for --fetch (NEWSDESK_SOURCES; default sources.toml beside "
        "the articles folder)",
    )
    parser.add_argument(
        "--every",
        metavar="INTERVAL",
        help="repeat (fetch and) refresh every INTERVAL (30m, 2h, 1d) until interrupted",
    )
    parser.add_argument("--json", action="store_true", help="end with one JSON line of counts")
    parser.add_argument("-q", "--quiet", action="store_true", help="no progress output")
    return parser


def _fetch(
    args: argparse.Namespace, settings: StoreSettings, fetch_settings: FetchSettings, force: bool
) -> FetchReport | None:
    """Fetch the sources into the articles folder; None (after a message) when it cannot."""
    try:
        sources = SourcesFile.load(settings.sources_path).sources
    except NewsdeskError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return None
    return fetch_round(
        sources,
        settings,
        fetch_settings,
        force=force,
        bar=not args.quiet,
        per_source=None if args.quiet else sys.stderr,
    )


def _round(
    args: argparse.Namespace,
    settings: StoreSettings,
    *,
    full: bool,
    force: bool,
    fetch_settings: FetchSettings,
) -> int:
    """One fetch (with --fetch) and refresh, holding the writer lock; return its exit status."""
    fetched: FetchReport | None = None
    bar = None
    progress: Callable[[int], object] | None = None
    on_total: Callable[[int], object] | None = None
    if not args.quiet and sys.stderr.isatty():
        bar = tqdm(unit=" articles", desc="refresh", file=sys.stderr)
        progress, on_total = bar.update, partial(_set_total, bar)
    elif not args.quiet:
        log = _LogProgress()
        progress, on_total = log, log.set_total
    try:
        with refresh_lock(settings):
            if args.fetch:
                fetched = _fetch(args, settings, fetch_settings, force)
                if fetched is None:
                    return 2
            report = refresh(
                settings, full=full, dry_run=args.dry_run, progress=progress, on_total=on_total
            )
    except NewsdeskError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    finally:
        if bar:
            bar.close()
    for failure in report.failed:
        print(f"skipped {failure.path}: {failure.reason}", file=sys.stderr)
    print(report.summary())
    if args.json:
        line: dict[str, Any] = report.model_dump(exclude={"failed"}) | {
            "failed": [f.model_dump() for f in report.failed]
        }
        if fetched is not None:
            line["fetch"] = fetched.totals.counts() | {"sources": len(fetched.sources)}
        print(json.dumps(line), flush=True)
    sys.stdout.flush()
    return 1 if report.failed or (fetched is not None and fetched.failed) else 0


def _set_total(bar: tqdm, total: int) -> None:
    bar.total = total
    bar.refresh()


class _StopAfterRound:
    """A SIGINT handler for `--every`: during a round, finish it, then stop; while
    sleeping, stop at once. A second interrupt during a round stops it too."""

    def __init__(self) -> None:
        self.requested = False
        self.sleeping = False

    def __call__(self, signum: int, frame: FrameType | None) -> None:
        if self.sleeping or self.requested:
            raise KeyboardInterrupt
        self.requested = True
        print("interrupted: stopping after this round", file=sys.stderr)


def main(
    argv: list[str] | None = None,
    *,
    fetch_settings: FetchSettings | None = None,
    sleep: Callable[[float], object] = time.sleep,
    rounds: int | None = None,
) -> int:
    """Run the refresh; return the exit status.

    Args:
        argv: the command line (sys.argv[1:] when None).
        fetch_settings: how `--fetch` fetches; `FetchSettings()` (from `NEWSDESK_FETCH_*`)
            by default.
        sleep: waits between `--every` rounds (tests pass a fake).
        rounds: stop `--every` after this many rounds (None: until interrupted).
    """
    args = _parser().parse_args(argv)
    logging.basicConfig(
        level=logging.WARNING if args.quiet else logging.INFO,
        format="%(levelname)s %(message)s",
        stream=sys.stderr,
    )
    interval: int | None = None
    if args.every is not None:
        try:
            interval = parse_interval(args.every)
        except ValueError as exc:
            print(f"error: --every: {exc}", file=sys.stderr)
            return 2
    if args.fetch and args.dry_run:
        print("error: --fetch writes article files; it cannot go with --dry-run", file=sys.stderr)
        return 2
    if args.force and not args.fetch:
        print("error: --force says which sources to fetch; it goes with --fetch", file=sys.stderr)
        return 2
    overrides = {
        key: value
        for key, value in {
            "articles_dir": args.articles_dir,
            "data_dir": args.data_dir,
            "sources_file": args.sources_file,
        }.items()
        if value is not None
    }
    try:
        settings = StoreSettings(**overrides)
        fetch_settings = fetch_settings or FetchSettings()
    except ValidationError as exc:
        print(f"error: bad setting: {exc.errors()[0]['msg']}", file=sys.stderr)
        return 2
    # --fetch makes a missing articles folder; otherwise a missing one is a mistake.
    if not args.fetch and not settings.articles_dir.is_dir():
        print(f"error: the articles folder {settings.articles_dir} does not exist", file=sys.stderr)
        return 2
    if interval is None:
        try:
            return _round(
                args, settings, full=args.full, force=args.force, fetch_settings=fetch_settings
            )
        except KeyboardInterrupt:
            # Every step done is kept: the next run passes over those articles unread.
            print(
                "interrupted: what was indexed so far is kept; run the same command again "
                "to go on from there",
                file=sys.stderr,
            )
            return 130
    return _repeat(
        args, settings, interval, fetch_settings=fetch_settings, sleep=sleep, rounds=rounds
    )


def _repeat(
    args: argparse.Namespace,
    settings: StoreSettings,
    interval: int,
    *,
    fetch_settings: FetchSettings,
    sleep: Callable[[float], object],
    rounds: int | None,
) -> int:
    """Rounds every `interval` seconds until interrupted (exit 0) or `rounds` are done
    (the worst round's status). The writer lock is held during each round, not between."""
    stop = _StopAfterRound()
    installed = threading.current_thread() is threading.main_thread()
    previous = signal.signal(signal.SIGINT, stop) if installed else None
    worst = 0
    done = 0
    try:
        while True:
            # --full rebuilds once, --force fetches every source once; later rounds only
            # add what changed, from the sources that are due.
            status = _round(
                args,
                settings,
                full=args.full and done == 0,
                force=args.force and done == 0,
                fetch_settings=fetch_settings,
            )
            worst = max(worst, status)
            done += 1
            if stop.requested:
                return 0
            if rounds is not None and done >= rounds:
                return worst
            print(f"next round in {args.every}", file=sys.stderr)
            stop.sleeping = True
            try:
                sleep(interval)
            finally:
                stop.sleeping = False
    except KeyboardInterrupt:
        print("interrupted: stopped", file=sys.stderr)
        return 0
    finally:
        if installed:
            signal.signal(signal.SIGINT, previous)


if __name__ == "__main__":
    sys.exit(main())
