"""Synthetic news articles for tests that need many of them (deterministic)."""

from __future__ import annotations

import random
from pathlib import Path

from langchain_core.documents import Document

from vectorstore import StoreSettings, refresh

_WORDS = (
    "council harbour minister budget election storm bridge river school hospital court police "
    "market bank trade factory festival museum railway airport farmers teachers doctors union "
    "strike vote reform tax energy water housing rent prices wages exports imports tariff "
    "summit treaty border army navy coast island mountain village city province capital"
).split()


def passage(
    article_id: str, head: str, text: str, *, start: int = 0, **metadata: object
) -> Document:
    """A retrieved passage as `chunk_article` makes one: the article's `head` (title and
    date), then `text`, its `start` in the article's text, and `passage_start` where the
    text begins in `page_content`."""
    return Document(
        page_content=head + text,
        metadata={
            "article_id": article_id,
            **metadata,
            "start": start,
            "passage_start": len(head),
        },
    )


def write_corpus(folder: Path, count: int, seed: int = 7, paragraphs: int = 6) -> list[Path]:
    """`count` dated .txt articles, each with its own topic words, in `folder`."""
    rng = random.Random(seed)
    folder.mkdir(parents=True, exist_ok=True)
    paths = []
    for n in range(count):
        topic = " ".join(rng.sample(_WORDS, 3))
        body = []
        for p in range(paragraphs):
            words = rng.sample(_WORDS, 12)
            body.append(
                f"In report {n}-{p}, the {words[0]} and the {words[1]} met over the {topic}. "
                f"Officials said the {words[2]} {words[3]} would change by {rng.randint(2, 99)} "
                f"percent. The {words[4]} of {words[5]} questioned the {words[6]} plan."
            )
        path = folder / f"story-{n:04d}.txt"
        day = 1 + n % 28
        path.write_text(f"Story {n} on {topic}\n09:00 JST, March {day}, 2024\n" + "\n".join(body))
        paths.append(path)
    return paths


def indexed_stories(root: Path, stories: list[tuple[str, str, str, str, str]]) -> StoreSettings:
    """Markdown articles (file name, title, date, outlet, text) written under `root` and
    refreshed into a real Chroma and BM25 index there; their settings."""
    articles = root / "articles"
    articles.mkdir()
    for name, title, day, source, text in stories:
        (articles / f"{name}.md").write_text(
            f"---\ntitle: {title}\ndate: {day}\nsource: {source}\n---\n\n{text}\n"
        )
    settings = StoreSettings(articles_dir=articles, data_dir=root / "data")
    refresh(settings)
    return settings
