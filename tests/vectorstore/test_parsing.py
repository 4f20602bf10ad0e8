"""Parsing: the seed page, plain text, Markdown, HTML and JSON Lines, and bad input."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from tests.conftest import SEED_FILE
from vectorstore import Article, iter_articles, list_article_files, parse_page_text
from vectorstore.dates import to_iso

pytestmark = pytest.mark.unit


def _only_article(path: Path, folder: Path) -> Article:
    items = list(iter_articles(path, folder))
    assert len(items) == 1 and isinstance(items[0], Article), items
    return items[0]


def test_seed_parses_title_date_outlet_and_body() -> None:
    article = _only_article(SEED_FILE, SEED_FILE.parent)
    assert article.title.startswith("Japan, Mongolia to Reach Basic Agreement on Defense Equipment")
    assert article.title.endswith("Later This Month")
    assert article.published_at == "2024-08-05T17:04:00+09:00"
    assert article.source == "The Japan News"
    assert article.id == "000_28c4a3eef7881f30.txt"
    assert article.caption.startswith(
        "Prime Minister Fumio Kishida, right, and Mongolian President"
    )
    assert article.text.startswith("The Japanese and Mongolian governments have entered")
    # The photo caption is indexed after the story.
    assert article.text.endswith(
        "“third neighbor” countries, including Japan.\n\n" + article.caption
    )
    assert article.caption.endswith("in Tokyo in November 2022.")
    assert "Official Security Assistance (OSA)" in article.text


def test_seed_furniture_is_not_article_text() -> None:
    article = _only_article(SEED_FILE, SEED_FILE.parent)
    for furniture in (
        "POPULAR ARTICLE",
        "JN ACCESS RANKING",
        "Residence Permits",
        "Takaichi",
        "GDP",
    ):
        assert furniture not in article.text
    assert "\n-\n" not in article.text


def test_plain_text_without_dateline(tmp_path: Path) -> None:
    path = tmp_path / "note.txt"
    path.write_text("Harbour reopens\n\nThe harbour reopened on Monday.\nFerries resumed.\n")
    article = _only_article(path, tmp_path)
    assert (article.title, article.published_at, article.source) == ("Harbour reopens", "", "")
    assert article.text == "The harbour reopened on Monday.\n\nFerries resumed."


def test_markdown_front_matter(tmp_path: Path) -> None:
    path = tmp_path / "story.md"
    path.write_text(
        "---\ntitle: Dam opens\ndate: 2024-03-01T10:00:00Z\nsource: Daily Planet\n"
        "url: https://example.org/dam\n---\n\nThe dam opened.\nIt holds water.\n\nSecond paragraph.\n"
    )
    article = _only_article(path, tmp_path)
    assert article.title == "Dam opens"
    assert article.source == "Daily Planet"
    assert article.url == "https://example.org/dam"
    assert article.published_at == "2024-03-01T10:00:00+00:00"
    assert article.text == "The dam opened. It holds water.\n\nSecond paragraph."
    assert article.id.startswith("url-")


def test_markdown_title_from_heading(tmp_path: Path) -> None:
    path = tmp_path / "plain.md"
    path.write_text("# Budget passes\n\nThe budget passed on Friday.\n")
    article = _only_article(path, tmp_path)
    assert article.title == "Budget passes"
    assert article.text == "The budget passed on Friday."


def test_html_page(tmp_path: Path) -> None:
    path = tmp_path / "page.html"
    body = " ".join(["The city council approved the new tram line after a long debate."] * 4)
    path.write_text(
        "<html><head><title>Tram line approved | City Times</title>"
        '<meta property="og:site_name" content="City Times">'
        '<meta name="date" content="2023-05-04"></head><body>'
        "<nav>Home | Sport | Weather</nav><article><h1>Tram line approved</h1>"
        f"<p>{body}</p><p>Construction starts next spring, the mayor said on Tuesday.</p>"
        "</article><footer>Copyright City Times</footer></body></html>"
    )
    article = _only_article(path, tmp_path)
    assert "Tram line approved" in article.title
    assert "Construction starts next spring" in article.text
    assert "Home | Sport" not in article.text
    assert article.published_at.startswith("2023-05-04")
    assert article.source == "City Times"


def test_jsonl_feed_reports_bad_lines_and_keeps_good_ones(tmp_path: Path) -> None:
    path = tmp_path / "feed.jsonl"
    good = {
        "id": "a1",
        "title": "One",
        "source": "CNN",
        "url": "u1",
        "published_at": "2022-06-17",
        "body": "First body.\nMore.",
    }
    lines = [
        json.dumps(good),
        "[1, 2]",
        json.dumps({"id": "a2", "title": "No body"}),
        "{not json",
        json.dumps(good | {"id": "a3", "body": "Third body."}),
    ]
    path.write_text("\n".join(lines) + "\n")
    items = list(iter_articles(path, tmp_path))
    articles = [i for i in items if isinstance(i, Article)]
    problems = [str(i) for i in items if not isinstance(i, Article)]
    assert [a.id for a in articles] == ["a1", "a3"]
    assert articles[0].text == "First body.\n\nMore."
    assert articles[0].published_at == "2022-06-17T00:00:00"
    assert problems == [
        "feed.jsonl:2: not a JSON object but list",
        "feed.jsonl:3: no 'body' field with the article text",
        "feed.jsonl:4: not valid JSON (Expecting property name enclosed in double quotes)",
    ]


@pytest.mark.parametrize(
    ("name", "content", "reason"),
    [
        ("latin1.txt", "Caf\xe9 news\nBody.".encode("latin-1"), "not UTF-8 text"),
        ("empty.txt", b"   \n", "empty file"),
        ("binary.txt", b"\x89PNG\r\n\x1a\n\x00\x00\x00IHDR", "binary file"),
        ("empty.jsonl", b"", "empty file"),
    ],
)
def test_bad_files_become_problems(tmp_path: Path, name: str, content: bytes, reason: str) -> None:
    path = tmp_path / name
    path.write_bytes(content)
    (item,) = list(iter_articles(path, tmp_path))
    assert not isinstance(item, Article)
    assert reason in item.reason and item.path == name


def test_huge_file_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "huge.txt"
    with path.open("wb") as handle:
        handle.truncate(50 * 1024 * 1024)
    (item,) = list(iter_articles(path, tmp_path))
    assert not isinstance(item, Article) and "too large" in item.reason


def test_vanished_file(tmp_path: Path) -> None:
    (item,) = list(iter_articles(tmp_path / "gone.txt", tmp_path))
    assert not isinstance(item, Article) and "disappeared" in item.reason


def test_unknown_extensions_and_hidden_files_are_not_listed(tmp_path: Path) -> None:
    for name in ("a.txt", "b.pdf", ".hidden.txt", "c.md"):
        (tmp_path / name).write_text("x\ny")
    assert [p.name for p in list_article_files(tmp_path)] == ["a.txt", "c.md"]


@pytest.mark.parametrize(
    ("raw", "iso"),
    [
        ("17:04 JST, August 5, 2024", "2024-08-05T17:04:00+09:00"),
        ("2022-06-17T12:00:00Z", "2022-06-17T12:00:00+00:00"),
        ("June 3, 2022", "2022-06-03T00:00:00"),
        ("not a date", ""),
        ("", ""),
    ],
)
def test_dates_normalise_to_iso(raw: str, iso: str) -> None:
    assert to_iso(raw) == iso


def test_dateline_variants() -> None:
    article = parse_page_text("Title\nAugust 5, 2024 09:30 EDT\nBody text here.", "x.txt")
    assert article.published_at == "2024-08-05T09:30:00-04:00"
    assert article.caption == ""
