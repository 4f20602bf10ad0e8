"""`python -m vectorstore.refresh`: index the articles folder and say what changed.

Exit status: 0 when every file was read, 1 when some were skipped for errors,
2 for usage errors (a missing folder, a bad setting, another refresh running).
"""

from __future__ import annotations

import argparse
import json
import logging
import sys
import time
from pathlib import Path

from pydantic import ValidationError
from tqdm import tqdm

from vectorstore.errors import NewsdeskError
from vectorstore.settings import StoreSettings
from vectorstore.sync import refresh


class _LogProgress:
    """Progress as plain log lines (for cron and CI logs): at most one every 10 seconds."""

    def __init__(self) -> None:
        self.done = 0
        self.started = self.last = time.monotonic()

    def __call__(self, count: int) -> None:
        self.done += count
        now = time.monotonic()
        if now - self.last >= 10:
            self.last = now
            rate = self.done / max(now - self.started, 1e-9)
            logging.getLogger("vectorstore.refresh").info(
                "%d articles read (%.1f/s)", self.done, rate
            )


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
    parser.add_argument("--json", action="store_true", help="end with one JSON line of counts")
    parser.add_argument("-q", "--quiet", action="store_true", help="no progress output")
    return parser


def main(argv: list[str] | None = None) -> int:
    """Run the refresh; return the exit status."""
    args = _parser().parse_args(argv)
    logging.basicConfig(
        level=logging.WARNING if args.quiet else logging.INFO,
        format="%(levelname)s %(message)s",
        stream=sys.stderr,
    )
    overrides = {
        key: value
        for key, value in {"articles_dir": args.articles_dir, "data_dir": args.data_dir}.items()
        if value is not None
    }
    try:
        settings = StoreSettings(**overrides)
    except ValidationError as exc:
        print(f"error: bad setting: {exc.errors()[0]['msg']}", file=sys.stderr)
        return 2
    if not settings.articles_dir.is_dir():
        print(f"error: the articles folder {settings.articles_dir} does not exist", file=sys.stderr)
        return 2
    bar = None
    progress = None
    if not args.quiet and sys.stderr.isatty():
        bar = tqdm(unit=" articles", desc="refresh", file=sys.stderr)
        progress = bar.update
    elif not args.quiet:
        progress = _LogProgress()
    try:
        report = refresh(settings, full=args.full, dry_run=args.dry_run, progress=progress)
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
        print(
            json.dumps(
                report.model_dump(exclude={"failed"})
                | {"failed": [f.model_dump() for f in report.failed]}
            )
        )
    return 1 if report.failed else 0


if __name__ == "__main__":
    sys.exit(main())
