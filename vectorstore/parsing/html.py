"""HTML pages: the main text through trafilatura, metadata from `<title>` and `<meta>`."""

from __future__ import annotations

import json

import trafilatura

from vectorstore.articles import Article, article_id_for
from vectorstore.dates import to_iso
from vectorstore.parsing._common import Unreadable, one_article_per_file


def parse_html(html: str, relative_path: str) -> Article:
    """Extract one article from a saved HTML page."""
    extracted = trafilatura.extract(
        html, output_format="json", with_metadata=True, include_comments=False, favor_precision=True
    )
    if not extracted:
        raise Unreadable("no article text found in the page")
    data = json.loads(extracted)
    paragraphs = [p.strip() for p in (data.get("text") or "").split("\n") if p.strip()]
    if not paragraphs:
        raise Unreadable("no article text found in the page")
    url = (data.get("source") or data.get("url") or "").strip()
    title = (data.get("title") or "").strip() or paragraphs[0][:120]
    if len(paragraphs) > 1 and paragraphs[0] == title:
        paragraphs = paragraphs[1:]  # the headline, already the title
    return Article(
        id=article_id_for(relative_path, url),
        title=title,
        text="\n\n".join(paragraphs),
        source=(data.get("source-hostname") or data.get("hostname") or "").strip(),
        url=url,
        published_at=to_iso(data.get("date")),
        path=relative_path,
    )


parse = one_article_per_file(parse_html)
