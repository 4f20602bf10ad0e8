"""End to end: a feed on a loopback server is fetched, indexed and asked, with its citation."""

from __future__ import annotations

import httpx
import pytest
from pytest_httpserver import HTTPServer

from qa.service import ask
from vectorstore import StoreSettings, refresh
from vectorstore.fetch import fetch_sources
from vectorstore.http_fetch import Fetcher
from vectorstore.settings import FetchSettings
from vectorstore.sources import Source

pytestmark = pytest.mark.integration

TITLE = "Port Elwin harbour board backs tide wall"
QUESTION = "What did the Harbour Board of Port Elwin approve?"
SENTENCES = [
    "The Harbour Board of Port Elwin approved a 40-metre tide wall on Tuesday, officials said.",
    "The wall will protect the fishing quay from winter storm surges.",
    "Construction is due to begin in March and will cost 12 million euros.",
    "Local fishermen had asked for better flood defences for several years.",
]


def serve_tide_wall_feed(httpserver: HTTPServer) -> str:
    """Serve robots.txt (missing), an RSS feed and its one article; return the page's URL."""
    page_url = httpserver.url_for("/news/port-elwin-tide-wall")
    paragraphs = "".join(f"<p>{s}</p>" for s in SENTENCES)
    httpserver.expect_request("/robots.txt").respond_with_data("missing", status=404)
    httpserver.expect_request("/news/port-elwin-tide-wall").respond_with_data(
        f"""<!doctype html><html><head><meta charset="utf-8"><title>{TITLE} | Coast Post</title>
<link rel="canonical" href="{page_url}">
<meta property="og:site_name" content="The Coast Post"></head>
<body><nav><a href="/">Home</a></nav><article><h1>{TITLE}</h1>{paragraphs}</article>
<footer>Copyright The Coast Post</footer></body></html>""",
        content_type="text/html; charset=utf-8",
    )
    # The feed links with a tracking parameter: the citation must carry the canonical URL.
    httpserver.expect_request("/feed.xml").respond_with_data(
        '<?xml version="1.0" encoding="utf-8"?><rss version="2.0"><channel>'
        f"<title>Coast Post</title><link>{httpserver.url_for('/')}</link>"
        f"<item><title>{TITLE}</title><link>{page_url}?utm_source=rss</link>"
        "<pubDate>Tue, 06 Aug 2024 08:00:00 GMT</pubDate><description>Short.</description>"
        "</item></channel></rss>",
        content_type="application/rss+xml",
    )
    return page_url


def test_a_fetched_article_answers_with_its_page_url(
    httpserver: HTTPServer, settings: StoreSettings
) -> None:
    page_url = serve_tide_wall_feed(httpserver)
    with httpx.Client(trust_env=False) as client:
        fetcher = Fetcher(FetchSettings(allow_private=True, delay=0.0, retries=0), client=client)
        report = fetch_sources(
            [Source(url=httpserver.url_for("/feed.xml"), name="The Coast Post")],
            settings.articles_dir,
            fetcher,
        )
    assert not report.failed, report
    assert report.totals.new == 1

    indexed = refresh(settings)
    assert indexed.added >= 2  # the seed article and the fetched one

    answer = ask(QUESTION, store=settings)

    assert answer.answered, answer
    assert "tide wall" in answer.text
    citation = answer.citations[0]
    assert citation.url == page_url
    assert "tide wall" in citation.quote
    assert citation.source == "The Coast Post"
    assert citation.title == TITLE
    assert citation.published_at == "2024-08-06T08:00:00+00:00"
