"""Fetching feeds and pages into article files, against a real HTTP server on the loopback."""

from __future__ import annotations

import hashlib
import json
from collections.abc import Callable
from pathlib import Path

import frontmatter
import httpx
import pytest
from pytest_httpserver import HTTPServer
from werkzeug import Request, Response

from vectorstore.articles import Article
from vectorstore.fetch import article_file_name, canonical_url, fetch_sources, main
from vectorstore.fetch_state import STATE_FILE
from vectorstore.parsing import iter_articles, list_article_files
from vectorstore.sources import Source, SourceKind, SourcesFile

STORIES = {
    "bridge": (
        "Council approves river bridge",
        "The city council voted on Monday to build a new bridge across the river. "
        "Work starts next spring and should take two years to finish. "
        "Residents welcomed the plan, though some worried about traffic during construction.",
    ),
    "harvest": (
        "Record rice harvest in Niigata",
        "Farmers in Niigata brought in the largest rice harvest in a decade this autumn. "
        "A warm summer and steady rain helped the crop. "
        "Prices at the wholesale market fell slightly as a result.",
    ),
    "museum": (
        "Science museum reopens after repairs",
        "The national science museum reopened its doors on Saturday after two years of repairs. "
        "The new wing holds a planetarium and a hall of early computers. "
        "Tickets for the first week sold out within hours.",
    ),
}


class Site:
    """Feeds and pages served with ETags from a dict that tests can edit."""

    def __init__(self, server: HTTPServer) -> None:
        self.server = server
        self.docs: dict[str, tuple[str, bytes]] = {}

    def url(self, path: str) -> str:
        return self.server.url_for(path)

    def serve(self, path: str, body: str | bytes, content_type: str) -> None:
        data = body.encode("utf-8") if isinstance(body, str) else body
        new = path not in self.docs
        self.docs[path] = (content_type, data)
        if new:
            self.server.expect_request(path).respond_with_handler(self._handler(path))

    def page(self, slug: str, text_suffix: str = "") -> None:
        title, text = STORIES[slug]
        sentences = text.split(". ")
        paragraphs = "".join(f"<p>{s.rstrip('.')}.</p>" for s in sentences)
        self.serve(
            f"/news/{slug}",
            f"""<!doctype html><html><head><meta charset="utf-8"><title>{title} | Daily</title>
<link rel="canonical" href="{self.url(f"/news/{slug}")}">
<meta property="og:site_name" content="The Daily Test"></head>
<body><nav><a href="/">Home</a></nav><article><h1>{title}</h1>{paragraphs}
<p>{text_suffix}</p></article><footer>Copyright The Daily Test</footer></body></html>""",
            "text/html; charset=utf-8",
        )

    def _handler(self, path: str) -> Callable[[Request], Response]:
        def handle(request: Request) -> Response:
            content_type, data = self.docs[path]
            etag = '"' + hashlib.sha1(data).hexdigest()[:12] + '"'
            if request.headers.get("If-None-Match") == etag:
                return Response(status=304, headers={"ETag": etag})
            return Response(data, content_type=content_type, headers={"ETag": etag})

        return handle


def rss2(site: Site, slugs: list[str], query: str = "") -> str:
    items = "".join(
        f"<item><title>{STORIES[s][0]}</title><link>{site.url(f'/news/{s}')}{query}</link>"
        f"<pubDate>Mon, 05 Aug 2024 08:00:00 GMT</pubDate><description>Short.</description></item>"
        for s in slugs
    )
    return (
        '<?xml version="1.0" encoding="utf-8"?><rss version="2.0"><channel>'
        f"<title>RSS Outlet</title><link>{site.url('/')}</link>{items}</channel></rss>"
    )


def atom(site: Site, slugs: list[str], query: str = "", updated: str = "2024-08-06") -> str:
    entries = "".join(
        f'<entry><title>{STORIES[s][0]}</title><link href="{site.url(f"/news/{s}")}{query}"/>'
        f"<id>urn:{s}</id><updated>{updated}T09:30:00Z</updated></entry>"
        for s in slugs
    )
    return (
        '<?xml version="1.0" encoding="utf-8"?><feed xmlns="http://www.w3.org/2005/Atom">'
        f"<title>Atom Outlet</title><id>urn:atom</id><updated>{updated}T09:30:00Z</updated>"
        f"{entries}</feed>"
    )


def rdf(site: Site, slugs: list[str]) -> str:
    items = "".join(
        f'<item rdf:about="{site.url(f"/news/{s}")}"><title>{STORIES[s][0]}</title>'
        f"<link>{site.url(f'/news/{s}')}</link><dc:date>2024-08-07T10:00:00+09:00</dc:date></item>"
        for s in slugs
    )
    return (
        '<?xml version="1.0" encoding="utf-8"?>'
        '<rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#" '
        'xmlns="http://purl.org/rss/1.0/" xmlns:dc="http://purl.org/dc/elements/1.1/">'
        f'<channel rdf:about="{site.url("/rdf.xml")}"><title>RDF Outlet</title>'
        f"<link>{site.url('/')}</link><description>d</description></channel>{items}</rdf:RDF>"
    )


@pytest.fixture
def site(httpserver: HTTPServer) -> Site:
    httpserver.expect_request("/robots.txt").respond_with_data("missing", status=404)
    site = Site(httpserver)
    for slug in STORIES:
        site.page(slug)
    return site


def articles(folder: Path) -> dict[str, Article]:
    """The folder's articles as the refresh reads them, by URL."""
    found = {}
    for path in list_article_files(folder):
        for item in iter_articles(path, folder):
            assert isinstance(item, Article), item
            found[item.url] = item
    return found


def snapshot(folder: Path) -> dict[str, bytes]:
    return {p.name: p.read_bytes() for p in folder.glob("fetched-*.md")}


def test_rss_atom_and_rdf_articles_are_written_and_parse(
    site: Site, make_fetcher, tmp_path: Path
) -> None:
    site.serve("/rss.xml", rss2(site, ["bridge"]), "application/rss+xml")
    site.serve("/atom.xml", atom(site, ["harvest"]), "application/atom+xml")
    site.serve("/rdf.xml", rdf(site, ["museum"]), "application/rdf+xml")
    sources = [
        Source(url=site.url("/rss.xml"), name="Bridge Times"),
        Source(url=site.url("/atom.xml")),
        Source(url=site.url("/rdf.xml")),
    ]

    report = fetch_sources(sources, tmp_path, make_fetcher())

    assert not report.failed, report
    assert report.totals.new == 3 and report.totals.fetched == 6
    found = articles(tmp_path)
    assert set(found) == {site.url(f"/news/{s}") for s in STORIES}
    for slug, (title, text) in STORIES.items():
        article = found[site.url(f"/news/{slug}")]
        assert article.title == title
        assert "Copyright" not in article.text
        for sentence in text.split(". "):
            assert sentence.rstrip(".") in article.text
        assert article.path == article_file_name(article.url)
    assert found[site.url("/news/bridge")].source == "Bridge Times"
    assert found[site.url("/news/bridge")].published_at == "2024-08-05T08:00:00+00:00"
    assert found[site.url("/news/harvest")].source == "Atom Outlet"
    assert found[site.url("/news/museum")].published_at == "2024-08-07T01:00:00+00:00"
    front = (tmp_path / article_file_name(site.url("/news/museum"))).read_text()
    assert "date_from: feed" in front and "fetched_at:" in front
    assert (tmp_path / STATE_FILE).exists()


def test_second_run_is_conditional_and_rewrites_nothing(
    site: Site, make_fetcher, sent: list[httpx.Request], tmp_path: Path
) -> None:
    site.serve("/rss.xml", rss2(site, ["bridge", "harvest"]), "application/rss+xml")
    sources = [Source(url=site.url("/rss.xml"))]
    fetch_sources(sources, tmp_path, make_fetcher())
    before = snapshot(tmp_path)
    mtimes = {p.name: p.stat().st_mtime_ns for p in tmp_path.glob("fetched-*.md")}
    sent.clear()

    report = fetch_sources(sources, tmp_path, make_fetcher())

    counts = report.sources[site.url("/rss.xml")]
    assert (counts.not_modified, counts.fetched, counts.new, counts.updated) == (1, 0, 0, 0)
    feed_requests = [r for r in sent if r.url.path == "/rss.xml"]
    assert feed_requests[0].headers["If-None-Match"]
    assert snapshot(tmp_path) == before
    assert {p.name: p.stat().st_mtime_ns for p in tmp_path.glob("fetched-*.md")} == mtimes


def test_a_changed_page_updates_its_one_file(site: Site, make_fetcher, tmp_path: Path) -> None:
    site.serve("/atom.xml", atom(site, ["bridge", "harvest"]), "application/atom+xml")
    sources = [Source(url=site.url("/atom.xml"))]
    fetch_sources(sources, tmp_path, make_fetcher())
    before = snapshot(tmp_path)

    site.page("bridge", "Update: the council later added a cycle lane to the design.")
    # The feed changes too (its entry's updated time), as a real feed does.
    site.serve("/atom.xml", atom(site, ["bridge", "harvest"], updated="2024-08-08"), "text/xml")
    report = fetch_sources(sources, tmp_path, make_fetcher())

    counts = report.sources[site.url("/atom.xml")]
    assert (counts.updated, counts.new, counts.not_modified) == (1, 0, 1)
    after = snapshot(tmp_path)
    changed = article_file_name(site.url("/news/bridge"))
    assert set(after) == set(before)
    assert after[changed] != before[changed]
    assert {k: v for k, v in after.items() if k != changed} == {
        k: v for k, v in before.items() if k != changed
    }
    assert "cycle lane" in articles(tmp_path)[site.url("/news/bridge")].text


def test_tracking_parameters_are_stripped_and_a_story_is_kept_once(
    site: Site, make_fetcher, tmp_path: Path
) -> None:
    site.serve("/rss.xml", rss2(site, ["bridge"], "?utm_source=rss&utm_medium=feed"), "text/xml")
    site.serve("/atom.xml", atom(site, ["bridge"], "?fbclid=abc#comments"), "text/xml")
    sources = [
        Source(url=site.url("/rss.xml"), name="First Outlet"),
        Source(url=site.url("/atom.xml"), name="Second Outlet"),
    ]

    report = fetch_sources(sources, tmp_path, make_fetcher())

    assert list(tmp_path.glob("fetched-*.md")) == [
        tmp_path / article_file_name(site.url("/news/bridge"))
    ]
    assert report.sources[site.url("/atom.xml")].duplicates == 1
    (article,) = articles(tmp_path).values()
    assert article.url == site.url("/news/bridge")
    assert article.source == "First Outlet"


def test_a_near_identical_body_from_another_feed_is_kept_once_with_also_from(
    site: Site, make_fetcher, tmp_path: Path
) -> None:
    # The wire copy: another URL and canonical, other page chrome, case and punctuation changed.
    title, text = STORIES["bridge"]
    wire_text = text.upper().replace(",", "").replace(". ", "! ")
    paragraphs = "".join(f"<p>{s}</p>" for s in wire_text.split("! "))
    site.serve(
        "/wire/bridge-story",
        f"""<!doctype html><html><head><title>{title} - Wire</title>
<link rel="canonical" href="{site.url("/wire/bridge-story")}"></head>
<body><main><article><h2>{title}</h2>{paragraphs}</article></main></body></html>""",
        "text/html; charset=utf-8",
    )
    site.serve("/rss.xml", rss2(site, ["bridge", "harvest"]), "application/rss+xml")
    site.serve(
        "/wire.xml",
        '<?xml version="1.0"?><rss version="2.0"><channel><title>Wire</title>'
        f"<link>{site.url('/')}</link><item><title>{title}</title>"
        f"<link>{site.url('/wire/bridge-story')}</link></item></channel></rss>",
        "application/rss+xml",
    )
    sources = [
        Source(url=site.url("/rss.xml"), name="First Outlet"),
        Source(url=site.url("/wire.xml"), name="Wire Service"),
    ]

    report = fetch_sources(sources, tmp_path, make_fetcher())

    assert not report.failed, report
    assert report.sources[site.url("/wire.xml")].duplicates == 1
    assert report.totals.new == 2
    kept = tmp_path / article_file_name(site.url("/news/bridge"))
    assert not (tmp_path / article_file_name(site.url("/wire/bridge-story"))).exists()
    front = frontmatter.loads(kept.read_text()).metadata
    assert front["source"] == "First Outlet" and front["also_from"] == ["Wire Service"]
    assert (
        "also_from"
        not in frontmatter.loads(
            (tmp_path / article_file_name(site.url("/news/harvest"))).read_text()
        ).metadata
    )
    assert articles(tmp_path)[site.url("/news/bridge")].source == "First Outlet"

    # A later run with the validators lost (the files already in the folder are compared
    # too) writes no copy and lists the outlet once.
    (tmp_path / STATE_FILE).unlink()
    again = fetch_sources(sources, tmp_path, make_fetcher())
    assert not again.failed, again
    assert again.sources[site.url("/wire.xml")].duplicates == 1
    assert len(list(tmp_path.glob("fetched-*.md"))) == 2
    assert frontmatter.loads(kept.read_text()).metadata["also_from"] == ["Wire Service"]


def test_bad_feeds_fail_for_their_source_while_others_are_written(
    site: Site, httpserver: HTTPServer, make_fetcher, tmp_path: Path
) -> None:
    site.serve("/broken.xml", "<rss version='2.0'><channel><item><title>x", "application/rss+xml")
    site.serve("/html.xml", "<html><body><p>Not a feed at all.</p></body></html>", "text/html")
    httpserver.expect_request("/gone.xml").respond_with_data("no", status=404)
    site.serve("/rss.xml", rss2(site, ["bridge"]), "application/rss+xml")
    site.serve(
        "/empty",
        "<html><head><title>Empty</title></head><body><img src='a.png'></body></html>",
        "text/html",
    )
    site.serve(
        "/latin1",
        "<html><head><title>Caf\xe9 opens</title></head><body><article><h1>Caf\xe9</h1><p>"
        + "Le caf\xe9 du coin a rouvert ses portes ce matin apr\xe8s des travaux. " * 3
        + "</p></article></body></html>",
        "text/html; charset=iso-8859-1",
    )
    site.docs["/latin1"] = (
        "text/html; charset=iso-8859-1",
        site.docs["/latin1"][1].decode().encode("latin-1"),
    )
    (tmp_path / "kept.md").write_text("# Kept\n\nAn article written earlier by hand.\n")
    sources = [
        Source(url=site.url("/broken.xml")),
        Source(url=site.url("/html.xml")),
        Source(url=site.url("/gone.xml")),
        Source(url=site.url("/rss.xml")),
        Source(url=site.url("/empty"), kind=SourceKind.PAGE),
        Source(url=site.url("/latin1"), kind=SourceKind.PAGE),
    ]

    report = fetch_sources(sources, tmp_path, make_fetcher())

    failed = {url: c.errors for url, c in report.sources.items() if c.failed}
    assert set(failed) == {site.url(p) for p in ("/broken.xml", "/html.xml", "/gone.xml", "/empty")}
    assert "404" in failed[site.url("/gone.xml")][0]
    assert "not an RSS or Atom feed" in failed[site.url("/html.xml")][0]
    assert "no article text" in failed[site.url("/empty")][0]
    found = articles(tmp_path)
    assert site.url("/news/bridge") in found
    assert "caf\xe9 du coin" in found[site.url("/latin1")].text
    assert (tmp_path / "kept.md").exists()


def test_cli_reads_the_sources_file_and_ends_with_json(
    site: Site, tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch
) -> None:
    site.serve("/rss.xml", rss2(site, ["bridge"]), "application/rss+xml")
    sources = SourcesFile(sources=[Source(url=site.url("/rss.xml"))])
    sources.save(tmp_path / "sources.toml")
    monkeypatch.setenv("NEWSDESK_FETCH_ALLOW_PRIVATE", "true")
    monkeypatch.setenv("NEWSDESK_FETCH_DELAY", "0")

    status = main(
        [
            "--articles-dir",
            str(tmp_path / "articles"),
            "--sources-file",
            str(tmp_path / "sources.toml"),
            "--json",
            "-q",
        ]
    )

    assert status == 0
    last = json.loads(capsys.readouterr().out.strip().splitlines()[-1])
    assert last["totals"]["new"] == 1
    assert last["sources"][site.url("/rss.xml")]["fetched"] == 2


def test_cli_usage_error_and_failure_statuses(site: Site, tmp_path: Path, monkeypatch) -> None:
    (tmp_path / "bad.toml").write_text("[[source]]\nurl = 'ftp://x'\n")
    assert (
        main(["--articles-dir", str(tmp_path), "--sources-file", str(tmp_path / "bad.toml")]) == 2
    )
    SourcesFile(sources=[Source(url=site.url("/nothing.xml"))]).save(tmp_path / "s.toml")
    monkeypatch.setenv("NEWSDESK_FETCH_ALLOW_PRIVATE", "1")
    monkeypatch.setenv("NEWSDESK_FETCH_DELAY", "0")
    monkeypatch.setenv("NEWSDESK_FETCH_RETRIES", "0")
    assert (
        main(["--articles-dir", str(tmp_path), "--sources-file", str(tmp_path / "s.toml"), "-q"])
        == 1
    )


def test_canonical_url_strips_tracking() -> None:
    assert (
        canonical_url("HTTP://News.Example/a/b?id=7&utm_campaign=x&gclid=1&ref=tw&mc_cid=2#frag")
        == "http://news.example/a/b?id=7"
    )
