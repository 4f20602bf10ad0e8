"""Article files to `Article`s, one module per format family, chosen by extension."""

from __future__ import annotations

import logging
from collections.abc import Callable, Iterator
from pathlib import Path

from vectorstore.articles import Article
from vectorstore.parsing import html, jsonl, markdown, page_text
from vectorstore.parsing._common import Problem
from vectorstore.parsing.page_text import parse_page_text

__all__ = [
    "PARSERS",
    "Problem",
    "count_articles",
    "iter_articles",
    "list_article_files",
    "parse_page_text",
]

logger = logging.getLogger(__name__)

Parser = Callable[[Path, str], Iterator[Article | Problem]]

PARSERS: dict[str, Parser] = {
    ".txt": page_text.parse,
    ".md": markdown.parse,
    ".markdown": markdown.parse,
    ".html": html.parse,
    ".htm": html.parse,
    ".jsonl": jsonl.parse,
}


def list_article_files(articles_dir: Path) -> list[Path]:
    """Every file the refresh will read, sorted; hidden files and folders are left out."""
    files = []
    for path in sorted(articles_dir.rglob("*")):
        relative = path.relative_to(articles_dir)
        if any(part.startswith(".") for part in relative.parts) or not path.is_file():
            continue
        if path.suffix.lower() not in PARSERS:
            logger.warning("Skipping %s: unknown extension %r", relative, path.suffix)
            continue
        files.append(path)
    return files


# A file holds one article unless its format says how to count them without parsing.
_COUNTERS: dict[str, Callable[[Path], int]] = {".jsonl": jsonl.count}


def count_articles(paths: list[Path]) -> int:
    """How many articles the files hold, counted without parsing them (for a progress bar)."""
    return sum(_COUNTERS.get(path.suffix.lower(), lambda _: 1)(path) for path in paths)


def iter_articles(path: Path, articles_dir: Path) -> Iterator[Article | Problem]:
    """The articles of one file (a feed holds many), or the problems met reading it."""
    relative = path.relative_to(articles_dir).as_posix()
    yield from PARSERS[path.suffix.lower()](path, relative)
