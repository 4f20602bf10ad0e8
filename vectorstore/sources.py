"""The sources file: the feeds and pages Newsdesk fetches, and `python -m vectorstore.sources`.

The file is TOML, one `[[source]]` table per feed or page:

    [[source]]
    url = "https://www.japantimes.co.jp/feed/"
    kind = "feed"
    name = "The Japan Times"
    every = "30m"

Exit status of the command: 0 on success, 2 for usage errors (a bad URL or interval,
an unknown URL to remove, an unreadable or malformed sources file).
"""

from __future__ import annotations

import argparse
import re
import sys
import tomllib
from enum import StrEnum
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator

from vectorstore.atomic import write_text_atomically
from vectorstore.errors import SourcesError
from vectorstore.settings import StoreSettings

_INTERVAL = re.compile(r"(\d+)([smhd])")
_UNIT_SECONDS = {"s": 1, "m": 60, "h": 3600, "d": 86400}
_FIELDS = ("url", "kind", "name", "every")


class SourceKind(StrEnum):
    """What a source's URL points to."""

    FEED = "feed"  # RSS 2.0, RSS 1.0/RDF or Atom: every linked article is fetched
    PAGE = "page"  # one article page


def parse_interval(text: str) -> int:
    """Seconds in an interval such as `30m`, `2h`, `1d` or `1h30m`.

    Raises:
        ValueError: the text is not one or more `<number><s|m|h|d>` parts, or is zero.

    Example:
        >>> parse_interval("1h30m")
        5400
    """
    compact = text.strip().lower().replace(" ", "")
    parts = _INTERVAL.findall(compact)
    if not parts or "".join(n + u for n, u in parts) != compact:
        raise ValueError(
            f"an interval is a number and a unit (s, m, h or d), such as 30m or 2h; got {text!r}"
        )
    seconds = sum(int(n) * _UNIT_SECONDS[u] for n, u in parts)
    if seconds <= 0:
        raise ValueError(f"an interval must be longer than zero; got {text!r}")
    return seconds


def _normalize_url(value: str) -> str:
    """The URL with its scheme and host lower-cased; only absolute http(s) URLs pass."""
    value = value.strip()
    if any(c.isspace() or ord(c) < 32 or ord(c) == 127 for c in value):
        raise ValueError(f"a URL cannot hold spaces or control characters: {value!r}")
    parts = urlsplit(value)
    scheme = parts.scheme.lower()
    if scheme not in ("http", "https"):
        shown = f"{scheme}://" if scheme else "no scheme"
        raise ValueError(f"only http:// and https:// URLs can be fetched, not {shown}: {value}")
    try:
        parts.port  # noqa: B018 - raises on a port that is not a number in range
    except ValueError as exc:
        raise ValueError(f"bad port in {value}: {exc}") from None
    if not parts.hostname:
        raise ValueError(f"the URL names no host: {value}")
    userinfo, _, host = parts.netloc.rpartition("@")
    netloc = f"{userinfo}@{host.lower()}" if userinfo else host.lower()
    return urlunsplit((scheme, netloc, parts.path, parts.query, parts.fragment))


class Source(BaseModel):
    """One feed or page to fetch.

    Example:
        >>> source = Source(url="https://example.com/rss", name="Example News", every="2h")
        >>> (source.kind.value, source.interval)
        ('feed', 7200)
    """

    model_config = ConfigDict(frozen=True, extra="forbid")

    url: str = Field(description="An absolute http:// or https:// URL.")
    kind: SourceKind = SourceKind.FEED
    name: str | None = Field(None, description="The outlet's name; empty means none.")
    every: str | None = Field(
        None, description="How often to fetch it, such as 30m, 2h or 1d; none: every fetch."
    )

    @field_validator("url")
    @classmethod
    def _check_url(cls, value: str) -> str:
        return _normalize_url(value)

    @field_validator("name")
    @classmethod
    def _check_name(cls, value: str | None) -> str | None:
        value = (value or "").strip()
        if any(ord(c) < 32 or ord(c) == 127 for c in value):
            raise ValueError(f"a name is one line of text without control characters: {value!r}")
        return value or None

    @field_validator("every")
    @classmethod
    def _check_every(cls, value: str | None) -> str | None:
        value = (value or "").strip().lower().replace(" ", "")
        if not value:
            return None
        parse_interval(value)
        return value

    @property
    def interval(self) -> int | None:
        """`every` in seconds, or None when the source is fetched on every run."""
        return parse_interval(self.every) if self.every else None


def _error_text(exc: ValidationError) -> str:
    """The first problem of a validation error, as one line."""
    error = exc.errors()[0]
    field = ".".join(str(part) for part in error["loc"])
    message = error["msg"].removeprefix("Value error, ")
    return f"{field}: {message}" if field else message


def _canonical_url(url: str) -> str:
    try:
        return _normalize_url(url)
    except ValueError:
        return url.strip()


class SourcesFile(BaseModel):
    """The list of sources, read from and written to a TOML file.

    Example:
        >>> sources = SourcesFile()
        >>> sources.add(Source(url="https://example.com/rss", name="Example"))
        True
        >>> sources.add(Source(url="https://example.com/rss", name="Example News"))
        False
        >>> [s.name for s in sources.sources]
        ['Example News']
    """

    sources: list[Source] = Field(default_factory=list)

    @classmethod
    def load(cls, path: Path) -> SourcesFile:
        """Read a sources file; a missing file is an empty list.

        Raises:
            SourcesError: the file cannot be read, is not valid TOML (the message names
                the line), or holds something other than valid `[[source]]` tables.
        """
        try:
            text = path.read_bytes().decode("utf-8")
        except FileNotFoundError:
            return cls()
        except UnicodeDecodeError as exc:
            raise SourcesError(f"the sources file {path} is not UTF-8 (byte {exc.start})") from None
        except OSError as exc:
            raise SourcesError(f"cannot read the sources file {path}: {exc.strerror}") from None
        try:
            data = tomllib.loads(text)
        except tomllib.TOMLDecodeError as exc:
            # The message ends with "(at line N, column M)".
            raise SourcesError(f"the sources file {path} is not valid TOML: {exc}") from None
        unknown = sorted(set(data) - {"source"})
        if unknown:
            raise SourcesError(
                f"the sources file {path} has unknown key(s) {', '.join(unknown)}; "
                "each source is a [[source]] table"
            )
        tables = data.get("source", [])
        if not isinstance(tables, list) or not all(isinstance(t, dict) for t in tables):
            raise SourcesError(f"in the sources file {path}, each source is a [[source]] table")
        sources: list[Source] = []
        seen: dict[str, int] = {}
        for number, table in enumerate(tables, start=1):
            try:
                source = Source.model_validate(table)
            except ValidationError as exc:
                raise SourcesError(
                    f"the sources file {path}, source {number}: {_error_text(exc)}"
                ) from None
            if source.url in seen:
                raise SourcesError(
                    f"the sources file {path} lists {source.url} twice "
                    f"(sources {seen[source.url]} and {number}); keep one"
                )
            seen[source.url] = number
            sources.append(source)
        return cls(sources=sources)

    def save(self, path: Path) -> None:
        """Write the file atomically: a temp file in the same folder, then a rename.

        Comments and layout of a hand-edited file are not kept.
        """
        target = path.resolve() if path.is_symlink() else path
        target.parent.mkdir(parents=True, exist_ok=True)
        try:
            mode = target.stat().st_mode & 0o777
        except FileNotFoundError:
            mode = 0o666  # less the umask, as for any new file
        write_text_atomically(target, self.to_toml(), mode)

    def to_toml(self) -> str:
        """The file's text: a header comment and one `[[source]]` table per source."""
        lines = ["# Newsdesk sources: feeds and pages to fetch (python -m vectorstore.sources)."]
        for source in self.sources:
            lines += ["", "[[source]]"]
            for key in _FIELDS:
                value = getattr(source, key)
                if value is not None:
                    lines.append(f"{key} = {_toml_string(str(value))}")
        return "\n".join(lines) + "\n"

    def get(self, url: str) -> Source | None:
        """The source of this URL, or None."""
        url = _canonical_url(url)
        return next((s for s in self.sources if s.url == url), None)

    def add(self, source: Source) -> bool:
        """Add a source, or replace the one with the same URL in place.

        Returns:
            True when the URL was new, False when an existing entry was updated.
        """
        for index, existing in enumerate(self.sources):
            if existing.url == source.url:
                self.sources[index] = source
                return False
        self.sources.append(source)
        return True

    def remove(self, url: str) -> Source:
        """Remove the source of this URL and return it.

        Raises:
            SourcesError: no source has this URL.
        """
        found = self.get(url)
        if found is None:
            raise SourcesError(f"{url.strip()} is not in the sources file")
        self.sources.remove(found)
        return found


_ESCAPES = {
    '"': '\\"',
    "\\": "\\\\",
    "\b": "\\b",
    "\t": "\\t",
    "\n": "\\n",
    "\f": "\\f",
    "\r": "\\r",
}


def _toml_string(value: str) -> str:
    """A TOML basic string: quotes, backslashes and control characters escaped."""
    out = []
    for char in value:
        if char in _ESCAPES:
            out.append(_ESCAPES[char])
        elif ord(char) < 32 or ord(char) == 127:
            out.append(f"\\u{ord(char):04x}")
        else:
            out.append(char)
    return '"' + "".join(out) + '"'


# The command line.


class _UsageError(Exception):
    """A bad command line or setting: exit status 2."""


def _parser() -> argparse.ArgumentParser:
    common = argparse.ArgumentParser(add_help=False)
    common.add_argument(
        "--sources-file",
        type=Path,
        default=argparse.SUPPRESS,
        metavar="PATH",
        help="the sources file (NEWSDESK_SOURCES; default sources.toml beside the articles folder)",
    )
    parser = argparse.ArgumentParser(
        prog="python -m vectorstore.sources",
        description="List, add and remove the feeds and pages that Newsdesk fetches.",
        parents=[common],
    )
    commands = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")
    add = commands.add_parser(
        "add",
        parents=[common],
        help="add a feed or page, or change one already listed",
        description="Add a feed or page. Adding a URL already listed changes it; options "
        "not given keep their values (--name '' or --every '' clears them).",
    )
    add.add_argument("url", metavar="URL", help="an http:// or https:// URL")
    add.add_argument("--name", help="the outlet's name")
    kind = add.add_mutually_exclusive_group()
    kind.add_argument(
        "--page", dest="kind", action="store_const", const=SourceKind.PAGE, help="one article page"
    )
    kind.add_argument(
        "--feed",
        dest="kind",
        action="store_const",
        const=SourceKind.FEED,
        help="an RSS or Atom feed (the default)",
    )
    add.add_argument("--every", metavar="INTERVAL", help="fetch at most this often: 30m, 2h, 1d")
    remove = commands.add_parser("remove", parents=[common], help="remove a feed or page")
    remove.add_argument("url", metavar="URL")
    commands.add_parser(
        "list", parents=[common], help="one line per source: kind, name, every, url"
    )
    return parser


def _sources_path(override: Path | None) -> Path:
    try:
        settings = StoreSettings() if override is None else StoreSettings(sources_file=override)
    except ValidationError as exc:
        raise _UsageError(f"bad setting: {_error_text(exc)}") from None
    return settings.sources_path


def _add(sources: SourcesFile, args: argparse.Namespace) -> Source:
    old = sources.get(args.url)
    fields = {
        "url": args.url,
        "kind": args.kind or (old.kind if old else SourceKind.FEED),
        "name": args.name if args.name is not None else (old.name if old else None),
        "every": args.every if args.every is not None else (old.every if old else None),
    }
    try:
        return Source.model_validate(fields)
    except ValidationError as exc:
        raise _UsageError(_error_text(exc)) from None


def main(argv: list[str] | None = None) -> int:
    """Run the command; return the exit status."""
    args = _parser().parse_args(argv)
    try:
        path = _sources_path(getattr(args, "sources_file", None))
        sources = SourcesFile.load(path)
        if args.command == "list":
            if not sources.sources:
                print(f"no sources in {path}; add one with `add URL`", file=sys.stderr)
            for s in sources.sources:
                print("\t".join([s.kind.value, s.name or "-", s.every or "-", s.url]))
        elif args.command == "add":
            source = _add(sources, args)
            new = sources.add(source)
            sources.save(path)
            print(f"{'added' if new else 'updated'} {source.url} in {path}")
        else:
            removed = sources.remove(args.url)
            sources.save(path)
            print(f"removed {removed.url} from {path}")
    except (_UsageError, SourcesError) as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    except OSError as exc:
        print(f"error: cannot write the sources file: {exc}", file=sys.stderr)
        return 2
    return 0


if __name__ == "__main__":
    sys.exit(main())
