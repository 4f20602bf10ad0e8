"""End to end: a feed on a loopback server is fetched, indexed and asked, with its citation."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import httpx
import pytest
from pytest_httpserver import HTTPServer

from qa.service import ask
from tests.conftest import ROOT
from tests.vectorstore.test_fetch import Site
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


def serve_tide_wall_feed(httpserver: HTTPServer, host: str = "localhost") -> str:
    """Serve robots.txt (missing), an RSS feed and its one article, with ETags, linked
    under `host`; return the page's URL."""
    site = Site(httpserver)
    root = f"http://{host}:{httpserver.port}"
    page_url = f"{root}/news/port-elwin-tide-wall"
    paragraphs = "".join(f"<p>{s}</p>" for s in SENTENCES)
    httpserver.expect_request("/robots.txt").respond_with_data("missing", status=404)
    site.serve(
        "/news/port-elwin-tide-wall",
        f"""<!doctype html><html><head><meta charset="utf-8"><title>{TITLE} | Coast Post</title>
<link rel="canonical" href="{page_url}">
<meta property="og:site_name" content="The Coast Post"></head>
<body><nav><a href="/">Home</a></nav><article><h1>{TITLE}</h1>{paragraphs}</article>
<footer>Copyright The Coast Post</footer></body></html>""",
        "text/html; charset=utf-8",
    )
    # The feed links with a tracking parameter: the citation must carry the canonical URL.
    site.serve(
        "/feed.xml",
        '<?xml version="1.0" encoding="utf-8"?><rss version="2.0"><channel>'
        f"<title>Coast Post</title><link>{root}/</link>"
        f"<item><title>{TITLE}</title><link>{page_url}?utm_source=rss</link>"
        "<pubDate>Tue, 06 Aug 2024 08:00:00 GMT</pubDate><description>Short.</description>"
        "</item></channel></rss>",
        "application/rss+xml",
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


def test_the_command_line_follows_a_feed_on_this_machine_with_the_default_settings(
    httpserver: HTTPServer, tmp_path: Path
) -> None:
    # The flow of a fresh clone: no NEWSDESK_FETCH_ALLOW_PRIVATE; the loopback feed is
    # fetched because the sources file names its host.
    page_url = serve_tide_wall_feed(httpserver, host="127.0.0.1")
    feed_url = f"http://127.0.0.1:{httpserver.port}/feed.xml"
    env = {k: v for k, v in os.environ.items() if not k.startswith("NEWSDESK_")}
    env |= {
        "NEWSDESK_ARTICLES_DIR": str(tmp_path / "articles"),
        "NEWSDESK_DATA_DIR": str(tmp_path / "data"),
    }

    def run(*args: str) -> subprocess.CompletedProcess[str]:
        return subprocess.run(
            [sys.executable, "-m", *args],
            cwd=ROOT,
            env=env,
            capture_output=True,
            text=True,
            timeout=600,
        )

    added = run("vectorstore.sources", "add", feed_url)
    assert added.returncode == 0, added.stderr
    assert feed_url in (tmp_path / "sources.toml").read_text()

    first = run("vectorstore.refresh", "--fetch", "--json", "-q")
    assert first.returncode == 0, first.stderr
    report = json.loads(first.stdout.strip().splitlines()[-1])
    assert (report["fetch"]["new"], report["added"]) == (1, 1)

    answered = run("qa", QUESTION)
    assert answered.returncode == 0, answered.stderr
    assert "tide wall" in answered.stdout.splitlines()[0]
    assert f"    {page_url}" in answered.stdout.splitlines()

    httpserver.clear_log()
    second = run("vectorstore.refresh", "--fetch", "--json", "-q")
    assert second.returncode == 0, second.stderr
    report = json.loads(second.stdout.strip().splitlines()[-1])
    assert (report["fetch"]["not_modified"], report["fetch"]["fetched"]) == (1, 0)
    assert (report["added"], report["updated"], report["chunks_added"]) == (0, 0, 0)
    assert report["sentences_embedded"] == 0
    feed_requests = [
        (r.path, r.headers.get("If-None-Match"), response.status_code)
        for r, response in httpserver.log
        if r.path == "/feed.xml"
    ]
    assert len(feed_requests) == 1 and feed_requests[0][1] and feed_requests[0][2] == 304
