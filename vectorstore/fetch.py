"""`python -m vectorstore.fetch`: fetch the sources file's feeds and pages into the articles folder.

Each article becomes `fetched-<hash of its canonical URL>.md` (Markdown with YAML front
matter, which the refresh already reads); a later fetch of the same URL whose text
changed rewrites that one file, and nothing is ever deleted. ETag / Last-Modified
validators are kept in `<articles folder>/.fetch-state.json` (hidden, so the refresh
skips it) and sent back next run, so an unchanged feed costs one 304 and no parsing;
so is when each source was last fetched, and a source with an `every` is skipped ("not
due") until that long has passed, unless `--force` is given.

Exit status: 0 when every source and item was fetched, 1 when some failed (each is
reported for its source), 2 for usage errors (a bad setting or sources file).
"""

from __future__ import annotations

import argparse
import calendar
import hashlib
import json
import logging
import re
import sys
import time
from collections.abc import Callable, Iterable, Mapping
from datetime import UTC, datetime
from pathlib import Path
from typing import Any, TextIO
from urllib.parse import parse_qsl, urlencode, urljoin, urlsplit, urlunsplit

import feedparser
import frontmatter
import lxml.html
import trafilatura
import yaml
from pydantic import BaseModel, Field, ValidationError
from tqdm import tqdm

from vectorstore.atomic import write_text_atomically
from vectorstore.dates import to_iso
from vectorstore.errors import SourcesError
from vectorstore.fetch_state import FetchState
from vectorstore.http_fetch import Fetcher, FetchResult
from vectorstore.settings import FetchSettings, StoreSettings
from vectorstore.sources import Source, SourceKind, SourcesFile

log = logging.getLogger(__name__)

_TRACKING_PARAMS = frozenset({"fbclid", "gclid", "mc_cid", "mc_eid", "ref", "cmpid"})
NEAR_DUPLICATE = 0.9  # Jaccard similarity of word 5-grams at which two bodies are one story
_SHINGLE_WORDS = 5
_WORD = re.compile(r"\w+")


# -- results -------------------------------------------------------------------


class SourceCounts(BaseModel):
    """What fetching one source did.

    `fetched` counts responses with a body (the feed and each article page),
    `not_modified` the 304s; `new` / `updated` / `unchanged` count article files;
    `duplicates` the items already written this run from another source, or whose
    body is a near copy of an article already in the folder (kept once, the other
    outlets listed in its `also_from`); `not_due` the sources skipped because they were
    fetched less than their `every` ago (`due_at` says when they are due).
    """

    fetched: int = 0
    not_modified: int = 0
    new: int = 0
    updated: int = 0
    unchanged: int = 0
    duplicates: int = 0
    failed: int = 0
    not_due: int = 0
    due_at: str = ""
    errors: list[str] = Field(default_factory=list)

    @classmethod
    def count_names(cls) -> list[str]:
        """The fields that count something (summed over sources in the totals)."""
        return [name for name, field in cls.model_fields.items() if field.annotation is int]

    def counts(self) -> dict[str, int]:
        """The counts alone, without the messages and the due time."""
        return {name: getattr(self, name) for name in self.count_names()}

    def fail(self, message: str) -> None:
        """Count one failure and keep its message."""
        self.failed += 1
        self.errors.append(message)

    def summary(self) -> str:
        """One line of counts, or when a source that was not due is due."""
        if self.due_at:
            return f"not due until {self.due_at}"
        line = (
            f"{self.fetched} fetched, {self.not_modified} not modified, {self.new} new, "
            f"{self.updated} updated, {self.unchanged} unchanged, {self.failed} failed"
        )
        return line + (f", {self.not_due} not due" if self.not_due else "")


class FetchReport(BaseModel):
    """The counts of a fetch run, per source URL.

    Example:
        >>> report = FetchReport(sources={"https://example.com/rss": SourceCounts(new=2)})
        >>> report.totals.new
        2
    """

    sources: dict[str, SourceCounts] = Field(default_factory=dict)

    @property
    def totals(self) -> SourceCounts:
        """The counts summed over every source (messages and due times left out)."""
        return SourceCounts(
            **{
                name: sum(getattr(c, name) for c in self.sources.values())
                for name in SourceCounts.count_names()
            }
        )

    @property
    def failed(self) -> bool:
        """True when some source or item failed."""
        return any(c.failed for c in self.sources.values())


# -- URLs ----------------------------------------------------------------------


def canonical_url(url: str) -> str:
    """The URL without tracking parameters or fragment, scheme and host lower-cased.

    Example:
        >>> canonical_url("HTTPS://Example.COM/a?id=3&utm_source=rss&fbclid=x#top")
        'https://example.com/a?id=3'
    """
    parts = urlsplit(url.strip())
    query = [
        (key, value)
        for key, value in parse_qsl(parts.query, keep_blank_values=True)
        if not key.lower().startswith("utm_") and key.lower() not in _TRACKING_PARAMS
    ]
    return urlunsplit(
        (parts.scheme.lower(), parts.netloc.lower(), parts.path or "/", urlencode(query), "")
    )


def article_file_name(url: str) -> str:
    """`fetched-<first 16 hex of the SHA-1 of the canonical URL>.md`."""
    return f"fetched-{hashlib.sha1(url.encode('utf-8')).hexdigest()[:16]}.md"


def _page_canonical(body: bytes, final_url: str) -> str | None:
    """The page's `<link rel=canonical>` (or `og:url`), absolute, if it is http(s)."""
    try:
        tree = lxml.html.document_fromstring(body)
    except (ValueError, lxml.etree.ParserError):
        return None
    for href in tree.xpath(
        '//link[translate(@rel,"CANONICAL","canonical")="canonical"]/@href'
        ' | //meta[@property="og:url"]/@content'
    ):
        absolute = urljoin(final_url, str(href).strip())
        if urlsplit(absolute).scheme in ("http", "https"):
            return absolute
    return None


# -- extraction ----------------------------------------------------------------


class _Page(BaseModel):
    """What trafilatura found in a page."""

    title: str = ""
    author: str = ""
    sitename: str = ""
    date: str = ""
    url: str = ""
    text: str = ""


def _extract(result: FetchResult) -> _Page:
    """Title, author, site name, date, canonical URL and text of a fetched page."""
    content: bytes | str = result.body
    if result.encoding and result.encoding.replace("_", "-") not in ("utf-8", "utf8"):
        # A charset sent only in the HTTP header is invisible to trafilatura.
        try:
            content = result.body.decode(result.encoding, errors="replace")
        except LookupError:
            content = result.body
    try:
        document = trafilatura.bare_extraction(content, url=result.url, with_metadata=True)
    except Exception as exc:  # noqa: BLE001 - a broken page must not stop the run
        log.info("trafilatura failed on %s: %s", result.url, exc)
        document = None
    data: Mapping[str, Any] = {}
    if document is not None:
        data = document.as_dict() if hasattr(document, "as_dict") else dict(document)
    return _Page(
        title=str(data.get("title") or "").strip(),
        author=str(data.get("author") or "").strip(),
        sitename=str(data.get("sitename") or "").strip(),
        date=to_iso(data.get("date")),
        url=_page_canonical(result.body, result.url) or str(data.get("url") or "") or result.url,
        text=str(data.get("text") or "").strip(),
    )


def _html_to_text(fragment: str) -> str:
    """Plain text of a feed's HTML summary or content, one paragraph per block."""
    if "<" not in fragment:
        return fragment.strip()
    try:
        root = lxml.html.fragment_fromstring(fragment, create_parent="div")
    except (ValueError, lxml.etree.ParserError):
        return ""
    for block in root.iter("p", "br", "div", "li", "h1", "h2", "h3", "h4", "blockquote"):
        block.tail = "\n" + (block.tail or "")
    return "\n".join(line.strip() for line in root.text_content().split("\n") if line.strip())


def _entry_text(entry: Mapping[str, Any]) -> str:
    """The longest text a feed entry carries itself (content, else summary)."""
    candidates = [c.get("value", "") for c in entry.get("content") or []]
    candidates.append(entry.get("summary") or "")
    texts = [_html_to_text(c) for c in candidates if c]
    return max(texts, key=len, default="")


def _entry_date(entry: Mapping[str, Any]) -> str:
    for key in ("published_parsed", "updated_parsed", "created_parsed"):
        parsed = entry.get(key)
        if parsed:
            return datetime.fromtimestamp(calendar.timegm(parsed), tz=UTC).isoformat()
    return ""


def _paragraphs(text: str, title: str) -> str:
    """Text as Markdown paragraphs, without a first line that only repeats the title."""
    lines = [line.strip() for line in text.splitlines() if line.strip()]
    if lines and lines[0].lstrip("# ").strip().casefold() == title.strip().casefold():
        lines.pop(0)
    return "\n\n".join(lines)


# -- near-identical bodies -----------------------------------------------------


def shingles(text: str) -> frozenset[str]:
    """The text's word 5-grams, case-folded, punctuation and layout ignored.

    Example:
        >>> sorted(shingles("One, two three four five six."))
        ['one two three four five', 'two three four five six']
    """
    words = _WORD.findall(text.casefold())
    if len(words) < _SHINGLE_WORDS:
        return frozenset([" ".join(words)]) if words else frozenset()
    return frozenset(
        " ".join(words[i : i + _SHINGLE_WORDS]) for i in range(len(words) - _SHINGLE_WORDS + 1)
    )


def similarity(a: frozenset[str], b: frozenset[str]) -> float:
    """Jaccard similarity of two shingle sets (0 when either is empty).

    Example:
        >>> similarity(shingles("a b c d e f"), shingles("a b c d e f"))
        1.0
    """
    if not a or not b:
        return 0.0
    return len(a & b) / len(a | b)


def _outlet_list(value: object) -> list[str]:
    """A front-matter `also_from` value as a list of outlet names."""
    if isinstance(value, list | tuple):
        return [str(item) for item in value if item]
    return [str(value)] if value else []


def _add_also_from(path: Path, outlet: str) -> None:
    """List `outlet` in the kept file's `also_from` (unless it is the file's own outlet)."""
    post = frontmatter.loads(path.read_text(encoding="utf-8"))
    meta = dict(post.metadata)
    others = _outlet_list(meta.get("also_from"))
    if not outlet or outlet == meta.get("source") or outlet in others:
        return
    meta["also_from"] = [*others, outlet]
    _write_atomically(path, _render(meta, post.content.strip()))


# -- writing -------------------------------------------------------------------


def _render(meta: dict[str, Any], body: str) -> str:
    front = yaml.safe_dump(meta, sort_keys=False, allow_unicode=True, width=10_000)
    return f"---\n{front}---\n\n{body}\n"


def _write_atomically(path: Path, text: str) -> None:
    write_text_atomically(path, text)


def _save_article(articles_dir: Path, meta: dict[str, Any], body: str) -> str:
    """Write the article's file; returns "new", "updated" or "unchanged".

    An existing file keeps its outlet (the first copy's), its `fetched_at` and a
    fetch-time date, so refetching unchanged text gives identical bytes.
    """
    path = articles_dir / article_file_name(meta["url"])
    old_text = None
    if path.exists():
        old_text = path.read_text(encoding="utf-8")
        try:
            old = frontmatter.loads(old_text).metadata
        except yaml.YAMLError:
            old = {}
        meta["source"] = old.get("source") or meta["source"]
        if old.get("fetched_at"):
            meta["fetched_at"] = str(old["fetched_at"])
        if meta["date_from"] == "fetch time" and old.get("date"):
            meta["date"] = str(old["date"])
        if old.get("also_from"):
            meta["also_from"] = _outlet_list(old["also_from"])
    text = _render(meta, body)
    if text == old_text:
        return "unchanged"
    _write_atomically(path, text)
    return "new" if old_text is None else "updated"


# -- the run -------------------------------------------------------------------


class _Run:
    """One fetch run over many sources, sharing the seen-URL set and the fetcher."""

    def __init__(self, articles_dir: Path, fetcher: Fetcher, now: datetime) -> None:
        self.articles_dir = articles_dir
        self.fetcher = fetcher
        self.now = now
        self.seen: dict[str, str] = {}  # canonical URL -> source URL that wrote it
        self._bodies: dict[str, frozenset[str]] | None = None  # file name -> shingles

    @property
    def bodies(self) -> dict[str, frozenset[str]]:
        """Shingles of every fetched article in the folder, read on first use."""
        if self._bodies is None:
            self._bodies = {}
            for path in sorted(self.articles_dir.glob("fetched-*.md")):
                try:
                    body = frontmatter.loads(path.read_text(encoding="utf-8")).content
                except (OSError, UnicodeDecodeError, yaml.YAMLError):
                    continue
                self._bodies[path.name] = shingles(body)
        return self._bodies

    def near_copy(self, name: str, text: str) -> tuple[str | None, frozenset[str]]:
        """The file (other than `name`) whose body is a near copy of `text`, and its shingles."""
        mine = shingles(text)
        for other, theirs in self.bodies.items():
            if other != name and similarity(mine, theirs) >= NEAR_DUPLICATE:
                return other, mine
        return None, mine

    def source(self, source: Source) -> SourceCounts:
        counts = SourceCounts()
        result = self.fetcher.fetch(source.url)
        if result.error:
            counts.fail(f"{source.url}: {result.error}")
        elif result.not_modified:
            counts.not_modified += 1
        else:
            counts.fetched += 1
            if source.kind is SourceKind.PAGE:
                self._article(source, source.url, result, counts, entry={})
            else:
                self._feed(source, result, counts)
        if counts.failed:
            # Forget the source's validators, so failed items are tried again next run.
            self.fetcher.validators.pop(source.url, None)
        return counts

    def _feed(self, source: Source, result: FetchResult, counts: SourceCounts) -> None:
        parsed = feedparser.parse(
            result.body,
            response_headers={
                "content-location": result.url,
                "content-type": result.content_type or "application/xml",
            },
        )
        if not parsed.get("version") or (parsed.get("bozo") and not parsed.entries):
            problem = parsed.get("bozo_exception")
            what = f" ({result.content_type})" if result.content_type else ""
            detail = f": {problem}" if problem else ""
            counts.fail(f"{source.url}: not an RSS or Atom feed{what}{detail}")
            return
        feed_title = str(parsed.feed.get("title") or "").strip()
        for entry in parsed.entries:
            link = str(entry.get("link") or "").strip()
            if not link:
                counts.fail(f"{source.url}: an entry has no link ({entry.get('title', '')!r})")
                continue
            link = urljoin(result.url, link)
            if canonical_url(link) in self.seen:
                counts.duplicates += 1
                continue
            page = self.fetcher.fetch(link)
            if page.error:
                counts.fail(f"{link}: {page.error}")
            elif page.not_modified:
                counts.not_modified += 1
                self.seen[canonical_url(link)] = source.url
            else:
                counts.fetched += 1
                self._article(source, link, page, counts, entry, feed_title)

    def _article(
        self,
        source: Source,
        link: str,
        result: FetchResult,
        counts: SourceCounts,
        entry: Mapping[str, Any],
        feed_title: str = "",
    ) -> None:
        page = _extract(result)
        url = canonical_url(page.url)
        if url in self.seen:
            counts.duplicates += 1
            return
        title = str(entry.get("title") or "").strip() or page.title
        text = _paragraphs(page.text or _entry_text(entry), title)
        if not text:
            counts.fail(f"{link}: no article text in the page or the feed entry")
            self.fetcher.validators.pop(link, None)
            return
        self.seen[url] = self.seen[canonical_url(link)] = source.url
        date, date_from = _entry_date(entry), "feed"
        if not date:
            date, date_from = page.date, "page"
        if not date:
            date, date_from = self.now.isoformat(), "fetch time"
        host = urlsplit(url).hostname or ""
        meta: dict[str, Any] = {
            "title": title or url,
            "date": date,
            "date_from": date_from,
            "source": source.name or feed_title or page.sitename or host,
            "url": url,
            "fetched_at": self.now.isoformat(),
        }
        author = str(entry.get("author") or "").strip() or page.author
        if author:
            meta["author"] = author
        name = article_file_name(url)
        kept: str | None = None
        body_shingles: frozenset[str] = frozenset()
        if not (self.articles_dir / name).exists():
            kept, body_shingles = self.near_copy(name, text)
        try:
            if kept is not None:
                _add_also_from(self.articles_dir / kept, meta["source"])
                counts.duplicates += 1
                return
            outcome = _save_article(self.articles_dir, meta, text)
        except (OSError, yaml.YAMLError) as exc:
            counts.fail(f"{link}: cannot write the article: {exc}")
            self.fetcher.validators.pop(link, None)
            return
        self.bodies[name] = body_shingles or shingles(text)
        setattr(counts, outcome, getattr(counts, outcome) + 1)


def fetch_sources(
    sources: Iterable[Source],
    articles_dir: Path,
    fetcher: Fetcher | None = None,
    *,
    force: bool = False,
    now: datetime | None = None,
    progress: Callable[[int], object] | None = None,
) -> FetchReport:
    """Fetch every source that is due into `articles_dir`; never raises for a bad source.

    Args:
        sources: the feeds and pages, in order (the first outlet of a story is kept).
        articles_dir: where article files and `.fetch-state.json` go; made if missing.
        fetcher: the HTTP client; by default one with `FetchSettings()` that trusts
            the hosts of `sources` (`Fetcher.for_sources`). Its validators are loaded
            from and saved to the state file.
        force: fetch every source, even one fetched less than its `every` ago.
        now: the time of this run (UTC; the clock by default). A source is due once its
            `every` has passed since the last run that fetched it, successfully or not.
        progress: called with 1 after each source.

    Returns:
        A `FetchReport` of counts and error messages per source URL.

    Example:
        >>> report = fetch_sources([Source(url="https://example.com/rss")], Path("articles"))  # doctest: +SKIP
        >>> report.totals.new  # doctest: +SKIP
        12
    """
    sources = list(sources)
    articles_dir.mkdir(parents=True, exist_ok=True)
    own = fetcher is None
    fetcher = fetcher or Fetcher.for_sources(FetchSettings(), sources)
    state = FetchState.load(articles_dir)
    fetcher.validators.update(state.validators)
    run = _Run(articles_dir, fetcher, (now or datetime.now(UTC)).replace(microsecond=0))
    report = FetchReport()
    try:
        for source in sources:
            due_at = None if force else state.due_at(source, run.now)
            if due_at is not None:
                report.sources[source.url] = SourceCounts(not_due=1, due_at=due_at.isoformat())
            else:
                state.fetched_at[source.url] = run.now
                report.sources[source.url] = run.source(source)
            if progress:
                progress(1)
    finally:
        state.validators = dict(fetcher.validators)
        state.save(articles_dir)
        if own:
            fetcher.close()
    return report


# -- the command line ----------------------------------------------------------


def fetch_round(
    sources: list[Source],
    settings: StoreSettings,
    fetch_settings: FetchSettings,
    *,
    force: bool,
    bar: bool,
    per_source: TextIO | None,
) -> FetchReport | None:
    """Fetch `sources` into the articles folder, as the fetch and refresh commands do: a
    progress bar on a terminal (with `bar`), each source's counts to `per_source` (none:
    not shown), failures to stderr, the totals to stdout. None (after a message) when the
    articles folder cannot be written."""
    if not sources:
        _say(
            f"no sources in {settings.sources_path}; add one with "
            "`python -m vectorstore.sources add URL`",
            err=True,
        )
    progress = None
    if bar and sys.stderr.isatty():
        progress = tqdm(total=len(sources), unit=" sources", desc="fetch", file=sys.stderr)
    started = time.monotonic()
    try:
        with Fetcher.for_sources(fetch_settings, sources) as fetcher:
            report = fetch_sources(
                sources,
                settings.articles_dir,
                fetcher,
                force=force,
                progress=progress.update if progress else None,
            )
    except OSError as exc:
        _say(f"error: cannot write to {settings.articles_dir}: {exc}", err=True)
        return None
    finally:
        if progress:
            progress.close()
    for url, counts in report.sources.items():
        for error in counts.errors:
            _say(f"failed {error}", err=True)
        if per_source is not None:
            per_source.write(f"{url}: {counts.summary()}\n")
    _say(
        f"fetched {len(report.sources)} sources in {time.monotonic() - started:.1f} s: "
        f"{report.totals.summary()}"
    )
    return report


def _say(line: str, *, err: bool = False) -> None:
    (sys.stderr if err else sys.stdout).write(line + "\n")


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="python -m vectorstore.fetch",
        description="Fetch the sources file's feeds and pages into the articles folder.",
    )
    parser.add_argument(
        "--articles-dir", type=Path, help="folder of articles (NEWSDESK_ARTICLES_DIR)"
    )
    parser.add_argument(
        "--sources-file",
        type=Path,
        metavar="PATH",
        help="the sources file (NEWSDESK_SOURCES; default sources.toml beside the articles folder)",
    )
    parser.add_argument(
        "--force",
        action="store_true",
        help="fetch every source now, even one fetched less than its `every` ago",
    )
    parser.add_argument("--json", action="store_true", help="end with one JSON line of counts")
    parser.add_argument("-q", "--quiet", action="store_true", help="no progress output")
    return parser


def main(argv: list[str] | None = None) -> int:
    """Run the fetch; return the exit status."""
    args = _parser().parse_args(argv)
    logging.basicConfig(
        level=logging.WARNING if args.quiet else logging.INFO,
        format="%(levelname)s %(message)s",
        stream=sys.stderr,
    )
    overrides = {
        key: value
        for key, value in {
            "articles_dir": args.articles_dir,
            "sources_file": args.sources_file,
        }.items()
        if value is not None
    }
    try:
        settings = StoreSettings(**overrides)
        fetch_settings = FetchSettings()
        sources = SourcesFile.load(settings.sources_path).sources
    except ValidationError as exc:
        _say(f"error: bad setting: {exc.errors()[0]['msg']}", err=True)
        return 2
    except SourcesError as exc:
        _say(f"error: {exc}", err=True)
        return 2
    report = fetch_round(
        sources,
        settings,
        fetch_settings,
        force=args.force,
        bar=not args.quiet,
        per_source=sys.stdout,
    )
    if report is None:
        return 2
    if args.json:
        _say(
            json.dumps(
                {
                    "sources": {u: c.model_dump() for u, c in report.sources.items()},
                    "totals": report.totals.counts(),
                }
            )
        )
    return 1 if report.failed else 0


if __name__ == "__main__":
    sys.exit(main())
