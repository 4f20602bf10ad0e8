"""What every parser shares: the problem record and safe reading of a file."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from vectorstore.errors import ArticleError

if TYPE_CHECKING:
    from vectorstore.articles import Article

MAX_ARTICLE_BYTES = 5_000_000  # no news article is this long; a bigger file is not one


@dataclass(frozen=True)
class Problem:
    """A file (or a line of a feed) that could not be read, and why."""

    path: str
    reason: str

    def __str__(self) -> str:
        return f"{self.path}: {self.reason}"


class Unreadable(ArticleError):
    """Raised inside parsers; becomes a `Problem` for the file."""


def read_text(path: Path, max_bytes: int = MAX_ARTICLE_BYTES) -> str:
    """The file's text, or `Unreadable` saying plainly what is wrong with it."""
    try:
        size = path.stat().st_size
        if size > max_bytes:
            raise Unreadable(
                f"too large for an article ({size / 1e6:.1f} MB; the limit is {max_bytes / 1e6:.0f} MB)"
            )
        raw = path.read_bytes()
    except FileNotFoundError as exc:
        raise Unreadable("the file disappeared while the refresh ran") from exc
    except OSError as exc:
        raise Unreadable(f"cannot be read ({exc.strerror or exc})") from exc
    if b"\x00" in raw[:8192]:
        raise Unreadable("binary file, not text")
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise Unreadable(f"not UTF-8 text (bad byte at offset {exc.start})") from exc
    if not text.strip():
        raise Unreadable("empty file")
    return text


def clean_lines(text: str) -> list[str]:
    """Lines with surrounding blanks removed, normalised line endings."""
    return [line.strip() for line in text.replace("\r\n", "\n").replace("\r", "\n").split("\n")]


def one_article_per_file(
    parse_text: Callable[[str, str], Article],
) -> Callable[[Path, str], Iterator[Article | Problem]]:
    """A file parser from a text parser: the file's one article, or the problem that stops it."""

    def parse(path: Path, relative_path: str) -> Iterator[Article | Problem]:
        try:
            yield parse_text(read_text(path), relative_path)
        except Unreadable as exc:
            yield Problem(relative_path, str(exc))

    parse.__doc__ = (
        f"Yield the article of one file read by `{parse_text.__name__}`, or its problem."
    )
    return parse
