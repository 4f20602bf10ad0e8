"""Markdown articles with optional YAML front matter (title, date, source, url)."""

from __future__ import annotations

import frontmatter
import yaml

from vectorstore.articles import Article, article_id_for
from vectorstore.dates import to_iso
from vectorstore.parsing._common import Unreadable, clean_lines, one_article_per_file


def parse_markdown(text: str, relative_path: str) -> Article:
    """Parse a Markdown article; the title is the front matter's, else the first line."""
    try:
        post = frontmatter.loads(text)
    except yaml.YAMLError as exc:
        raise Unreadable(f"front matter is not valid YAML ({exc.__class__.__name__})") from exc
    meta = post.metadata
    lines = [line for line in clean_lines(post.content)]
    title = str(meta.get("title") or "").strip()
    if not title:
        while lines and not lines[0]:
            lines.pop(0)
        if not lines:
            raise Unreadable("no title and no text")
        title = lines.pop(0).lstrip("#").strip()
    paragraphs = "\n".join(lines).strip().split("\n\n")
    body = "\n\n".join(" ".join(p.split("\n")).strip() for p in paragraphs if p.strip())
    if not body:
        raise Unreadable("no article text after the title")
    url = str(meta.get("url") or "").strip()
    return Article(
        id=str(meta.get("id") or article_id_for(relative_path, url)),
        title=title,
        text=body,
        source=str(meta.get("source") or "").strip(),
        url=url,
        published_at=to_iso(meta.get("date") or meta.get("published_at")),
        path=relative_path,
    )


parse = one_article_per_file(parse_markdown)
