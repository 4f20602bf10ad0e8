"""A folder of every format, refreshed together; dates usable as Chroma range filters."""

from __future__ import annotations

import json
from datetime import UTC, datetime
from pathlib import Path

import pytest

from vectorstore import StoreSettings, chroma_client, refresh
from vectorstore.chunking import article_of

pytestmark = pytest.mark.integration

FEED = [
    {
        "id": "rtqa-1",
        "title": "Rover lands",
        "source": "cnn.com",
        "url": "https://e.org/rover",
        "published_at": "2022-06-12",
        "body": "The rover landed on Mars on Sunday.\nIt sent photos.",
    },
    {
        "id": "rtqa-2",
        "title": "Rover lands again",
        "source": "usatoday.com",
        "url": "https://e.org/rover/",
        "published_at": "2022-06-13",
        "body": "A copy of the rover story under the same URL.",
    },
    {
        "id": "rtqa-3",
        "title": "Storm",
        "source": "cnn.com",
        "url": "https://e.org/storm",
        "published_at": "2022-08-01T10:00:00-04:00",
        "body": "A storm hit the coast on Monday.",
    },
]


def _mixed_folder(folder: Path) -> None:
    folder.mkdir()
    (folder / "feed.jsonl").write_text("\n".join(json.dumps(r) for r in FEED) + "\n")
    (folder / "notes.md").write_text(
        "---\ntitle: Budget passes\ndate: 2024-01-15\nsource: Daily Planet\n---\n"
        "The budget passed on Friday by two votes.\n"
    )
    (folder / "page.html").write_text(
        "<html><head><title>Tram approved</title><meta name='date' content='2023-05-04'>"
        "</head><body><article><p>"
        + "The council approved the tram line. " * 8
        + "</p></article></body></html>"
    )
    (folder / "plain.txt").write_text("Harbour reopens\nThe harbour reopened on Monday.\n")
    (folder / "picture.jpg").write_bytes(b"\xff\xd8\xff")


def test_every_format_is_indexed_with_iso_dates_and_timestamps(tmp_path: Path) -> None:
    articles = tmp_path / "articles"
    _mixed_folder(articles)
    settings = StoreSettings(articles_dir=articles, data_dir=tmp_path / "data")
    report = refresh(settings)
    assert report.failed == []
    assert (report.added, report.duplicates) == (5, 1)  # rtqa-2 repeats rtqa-1's URL
    collection = chroma_client(settings).get_collection(settings.collection)
    metas = {m["article_id"]: m for m in collection.get(include=["metadatas"])["metadatas"]}
    assert set(metas) == {"rtqa-1", "rtqa-3", "plain.txt", "page.html", "notes.md"}
    assert metas["rtqa-3"]["published_at"] == "2022-08-01T10:00:00-04:00"
    assert metas["rtqa-3"]["published_ts"] == int(datetime(2022, 8, 1, 14, tzinfo=UTC).timestamp())
    assert metas["notes.md"]["published_at"] == "2024-01-15T00:00:00"
    assert metas["notes.md"]["source"] == "Daily Planet"
    assert metas["page.html"]["published_at"].startswith("2023-05-04")
    assert metas["plain.txt"]["published_ts"] == -1  # unknown date

    summer_2022 = {
        "$and": [
            {"published_ts": {"$gte": int(datetime(2022, 6, 1, tzinfo=UTC).timestamp())}},
            {"published_ts": {"$lt": int(datetime(2022, 9, 1, tzinfo=UTC).timestamp())}},
        ]
    }
    found = collection.get(where=summer_2022, include=["metadatas"])["metadatas"]
    assert {m["article_id"] for m in found} == {"rtqa-1", "rtqa-3"}


def test_editing_one_feed_line_reembeds_only_that_article(tmp_path: Path) -> None:
    articles = tmp_path / "articles"
    _mixed_folder(articles)
    settings = StoreSettings(articles_dir=articles, data_dir=tmp_path / "data")
    refresh(settings)
    edited = [dict(FEED[0]), FEED[2] | {"body": "A storm hit the coast on Tuesday."}]
    (articles / "feed.jsonl").write_text("\n".join(json.dumps(r) for r in edited) + "\n")
    report = refresh(settings)
    assert (report.added, report.updated, report.skipped, report.deleted) == (0, 1, 4, 0)
    assert report.chunks_added == 1
    ids = chroma_client(settings).get_collection(settings.collection).get(include=[])["ids"]
    assert sum(article_of(i) == "rtqa-3" for i in ids) == 1


def test_a_file_that_vanishes_mid_refresh_is_reported(tmp_path: Path) -> None:
    articles = tmp_path / "articles"
    articles.mkdir()
    for n in range(4):
        (articles / f"a{n}.txt").write_text(f"Story {n}\nThe council met for meeting number {n}.\n")
    settings = StoreSettings(
        articles_dir=articles, data_dir=tmp_path / "data", index_batch_articles=1
    )

    def vanish(_count: int) -> None:  # called after each article is written
        (articles / "a3.txt").unlink(missing_ok=True)

    report = refresh(settings, progress=vanish)
    assert [(f.path, f.reason) for f in report.failed] == [
        ("a3.txt", "the file disappeared while the refresh ran")
    ]
    assert report.added == 3
