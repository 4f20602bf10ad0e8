"""The refresh against a real Chroma in a temp dir, with the real packaged model."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import threading
from pathlib import Path

import pytest

from tests.conftest import ROOT, SEED_FILE, lock_held_by_another_thread, write_article
from vectorstore import NewsEmbeddings, StoreBusyError, StoreSettings, chroma_client, refresh, sync
from vectorstore.chunking import article_of
from vectorstore.lexical import LexicalIndex
from vectorstore.store import open_record_manager, refresh_lock

pytestmark = pytest.mark.integration


def _store_ids(settings: StoreSettings) -> set[str]:
    collection = chroma_client(settings).get_collection(settings.collection)
    return set(collection.get(include=[])["ids"])


def test_first_refresh_indexes_the_seed_and_second_changes_nothing(settings: StoreSettings) -> None:
    first = refresh(settings)
    assert (first.added, first.updated, first.skipped, first.deleted) == (1, 0, 0, 0)
    assert first.chunks_added == first.chunks_total > 0
    ids = _store_ids(settings)
    assert len(ids) == first.chunks_total
    assert all(article_of(i) == "000_28c4a3eef7881f30.txt" for i in ids)

    second = refresh(settings)
    assert (second.added, second.updated, second.skipped, second.deleted) == (0, 0, 1, 0)
    assert (second.chunks_added, second.chunks_deleted) == (0, 0)
    assert _store_ids(settings) == ids


def test_chunk_ids_are_the_same_in_two_separate_stores(
    settings: StoreSettings, tmp_path: Path
) -> None:
    refresh(settings)
    other = settings.model_copy(update={"data_dir": tmp_path / "other"})
    refresh(other)
    assert _store_ids(settings) == _store_ids(other)


def test_chunks_carry_article_metadata_and_offsets(settings: StoreSettings) -> None:
    refresh(settings)
    collection = chroma_client(settings).get_collection(settings.collection)
    got = collection.get(include=["metadatas", "documents"])
    text = SEED_FILE.read_text()
    for meta, content in zip(got["metadatas"], got["documents"], strict=True):
        assert meta["source"] == "The Japan News"
        assert meta["published_at"] == "2024-08-05T17:04:00+09:00"
        assert meta["published_ts"] == 1722845040
        passage = content[meta["passage_start"] :]
        # Verbatim, paragraph by paragraph (the photo caption is indexed after the story).
        assert all(paragraph in text for paragraph in passage.split("\n\n"))
        assert passage.rstrip().endswith((".", "”"))  # sentences kept whole
        assert content.startswith(meta["title"])
        assert "POPULAR ARTICLE" not in content


def test_edit_and_delete_touch_only_their_article(
    settings: StoreSettings, articles_dir: Path
) -> None:
    write_article(
        articles_dir, "b.txt", "Harbour reopens", "The harbour reopened on Monday after repairs."
    )
    write_article(
        articles_dir, "c.txt", "Bridge closes", "The old bridge closed for good on Friday."
    )
    refresh(settings)
    before = _store_ids(settings)
    seed_ids = {i for i in before if article_of(i).startswith("000_")}

    write_article(
        articles_dir, "b.txt", "Harbour reopens", "The harbour reopened on Tuesday, a day late."
    )
    (articles_dir / "c.txt").unlink()
    report = refresh(settings)
    assert (report.added, report.updated, report.skipped, report.deleted) == (0, 1, 1, 1)
    assert report.chunks_added == 1  # only the edited article was embedded again
    after = _store_ids(settings)
    assert seed_ids <= after
    assert not any(article_of(i) == "c.txt" for i in after)
    b_ids = [i for i in after if article_of(i) == "b.txt"]
    assert len(b_ids) == 1 and b_ids[0] not in before
    lexical = LexicalIndex(settings.lexical_db)
    assert lexical.ids() == after  # BM25 index in step, deletions included
    assert [h.document.metadata["article_id"] for h in lexical.search("Tuesday harbour")] == [
        "b.txt"
    ]
    assert set(open_record_manager(settings).list_keys()) == after


def test_unchanged_articles_are_not_cut_again_nor_the_model_loaded(
    settings: StoreSettings, articles_dir: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    write_article(articles_dir, "b.txt", "Harbour reopens", "The harbour reopened on Monday.")
    refresh(settings)
    cut: list[str] = []
    original = sync.chunk_article
    monkeypatch.setattr(sync, "chunk_article", lambda a, s: cut.append(a.id) or original(a, s))
    fresh = NewsEmbeddings()  # the model loads on the first text to embed

    report = refresh(settings, embeddings=fresh)
    assert (report.skipped, report.chunks_added) == (2, 0)
    assert cut == []
    assert not fresh.loaded

    write_article(articles_dir, "b.txt", "Harbour reopens", "The harbour reopened on Tuesday.")
    report = refresh(settings, embeddings=fresh)
    assert (report.updated, report.skipped, report.chunks_added) == (1, 1, 1)
    assert cut == ["b.txt"]
    assert fresh.loaded


def test_other_chunk_settings_cut_every_article_again(settings: StoreSettings) -> None:
    refresh(settings)
    before = _store_ids(settings)
    report = refresh(settings.model_copy(update={"chunk_tokens": 120}))
    assert report.updated == 1 and report.chunks_added > 0
    after = _store_ids(settings)
    assert len(after) > len(before) and not after & before


def test_a_lost_manifest_only_costs_time(settings: StoreSettings) -> None:
    refresh(settings)
    ids = _store_ids(settings)
    settings.manifest_db.unlink()
    report = refresh(settings)
    assert (report.skipped, report.chunks_added, report.chunks_deleted) == (1, 0, 0)
    assert _store_ids(settings) == ids
    assert refresh(settings).skipped == 1


def test_dry_run_counts_but_writes_nothing(settings: StoreSettings, articles_dir: Path) -> None:
    refresh(settings)
    ids = _store_ids(settings)
    write_article(articles_dir, "new.txt", "New story", "Something new happened in the city today.")
    report = refresh(settings, dry_run=True)
    assert (report.added, report.skipped, report.dry_run) == (1, 1, True)
    assert _store_ids(settings) == ids


def test_full_rebuild_gives_the_same_ids(settings: StoreSettings) -> None:
    refresh(settings)
    ids = _store_ids(settings)
    report = refresh(settings, full=True)
    assert report.added == 1 and report.chunks_added == len(ids)
    assert _store_ids(settings) == ids


def test_unreadable_file_is_reported_and_keeps_its_old_chunks(
    settings: StoreSettings, articles_dir: Path
) -> None:
    path = write_article(
        articles_dir, "b.txt", "Harbour reopens", "The harbour reopened on Monday."
    )
    refresh(settings)
    path.write_bytes(b"\xff\xfe broken \x00 bytes")
    report = refresh(settings)
    assert [(f.path, "binary" in f.reason) for f in report.failed] == [("b.txt", True)]
    assert report.deleted == 0
    assert any(article_of(i) == "b.txt" for i in _store_ids(settings))


def test_duplicates_are_indexed_once(settings: StoreSettings, articles_dir: Path) -> None:
    (articles_dir / "copy.txt").write_text(SEED_FILE.read_text())
    report = refresh(settings)
    assert (report.added, report.duplicates) == (1, 1)


def test_a_short_shared_body_under_other_headlines_is_not_a_duplicate(
    settings: StoreSettings, articles_dir: Path
) -> None:
    widget = "How relevant is this ad to you? Video player was slow to load content."
    write_article(articles_dir, "a.txt", "Netflix renews a hit drama", widget)
    write_article(articles_dir, "b.txt", "Carmaker recalls pickups", widget)
    write_article(articles_dir, "c.txt", "Netflix renews a hit drama", widget)
    long_body = " ".join(["The harbour reopened on Monday after a month of repairs."] * 6)
    write_article(articles_dir, "d.txt", "Harbour reopens", long_body)
    write_article(articles_dir, "e.txt", "Harbour back in business", long_body)
    report = refresh(settings)
    assert (report.added, report.duplicates) == (4, 2)
    articles = {article_of(i) for i in _store_ids(settings)}
    assert {"a.txt", "b.txt", "d.txt"} <= articles
    assert not {"c.txt", "e.txt"} & articles


def test_second_refresh_on_the_same_store_is_refused(settings: StoreSettings) -> None:
    with (
        lock_held_by_another_thread(settings),
        pytest.raises(StoreBusyError, match="Another refresh"),
    ):
        refresh(settings)


def test_the_thread_holding_the_writer_lock_may_take_it_again(
    settings: StoreSettings, tmp_path: Path
) -> None:
    busy: list[str] = []

    def try_lock() -> None:
        try:
            with refresh_lock(settings):
                busy.append("taken")
        except StoreBusyError as exc:
            busy.append(str(exc))

    with refresh_lock(settings):
        with refresh_lock(settings):
            other = threading.Thread(target=try_lock)
            other.start()
            other.join(timeout=30)
        assert (settings.data_dir / "refresh.lock").read_text() == str(os.getpid())
    assert len(busy) == 1 and busy[0].startswith(f"Another refresh (pid {os.getpid()})")
    try_lock()
    assert busy[1] == "taken"


def _cli(*args: str, env_dir: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "vectorstore.refresh", *args, "--data-dir", str(env_dir)],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=300,
    )


def test_cli_json_and_exit_codes(articles_dir: Path, tmp_path: Path) -> None:
    data = tmp_path / "cli-data"
    done = _cli("--articles-dir", str(articles_dir), "--json", env_dir=data)
    assert done.returncode == 0, done.stderr
    counts = json.loads(done.stdout.strip().splitlines()[-1])
    assert {k: counts[k] for k in ("added", "updated", "skipped", "deleted")} == {
        "added": 1,
        "updated": 0,
        "skipped": 0,
        "deleted": 0,
    }
    assert "1 added" in done.stdout

    (articles_dir / "bad.txt").write_bytes(b"\x00\x01\x02")
    done = _cli("--articles-dir", str(articles_dir), "--json", env_dir=data)
    assert done.returncode == 1
    assert "skipped bad.txt: binary file" in done.stderr
    counts = json.loads(done.stdout.strip().splitlines()[-1])
    assert counts["skipped"] == 1 and counts["failed"][0]["path"] == "bad.txt"

    done = _cli("--articles-dir", str(tmp_path / "missing"), env_dir=data)
    assert done.returncode == 2 and "does not exist" in done.stderr


def test_cli_refuses_a_second_refresh_on_the_same_store(articles_dir: Path, tmp_path: Path) -> None:
    data = tmp_path / "locked-data"
    with refresh_lock(StoreSettings(articles_dir=articles_dir, data_dir=data)):
        done = _cli("--articles-dir", str(articles_dir), env_dir=data)
    assert done.returncode == 2
    assert "Another refresh (pid" in done.stderr and "wait for it to finish" in done.stderr


def test_refresh_mends_a_lost_bm25_index(settings: StoreSettings) -> None:
    refresh(settings)
    ids = _store_ids(settings)
    LexicalIndex(settings.lexical_db).clear()
    report = refresh(settings)
    assert report.chunks_added == 0  # nothing embedded again
    lexical = LexicalIndex(settings.lexical_db)
    assert lexical.ids() == ids
    assert lexical.search("Official Security Assistance")[0].id in ids


def test_the_headline_index_follows_edits_and_deletions(
    settings: StoreSettings, articles_dir: Path
) -> None:
    write_article(articles_dir, "b.txt", "Harbour reopens", "The port was busy again on Monday.")
    write_article(articles_dir, "c.txt", "Bridge closes", "Traffic was diverted on Friday.")
    refresh(settings)
    lexical = LexicalIndex(settings.lexical_db)
    (hit,) = lexical.search_headlines("bridge closes")
    assert hit.document.metadata["article_id"] == "c.txt"
    assert hit.document.metadata["chunk_index"] == 0  # an article comes back as its lead

    write_article(articles_dir, "b.txt", "Harbour stays shut", "The port was busy again on Monday.")
    (articles_dir / "c.txt").unlink()
    refresh(settings)
    assert lexical.search_headlines("bridge closes") == []
    assert [h.document.metadata["article_id"] for h in lexical.search_headlines("shut")] == [
        "b.txt"
    ]


def test_threads_opening_the_store_at_once_all_get_it(tmp_path: Path) -> None:
    settings = StoreSettings(articles_dir=tmp_path, data_dir=tmp_path / "data")
    start = threading.Barrier(4)
    counts: list[int | str] = []
    clients = []

    def open_and_count() -> None:
        start.wait(timeout=30)
        try:
            client = chroma_client(settings)
            clients.append(client)
            counts.append(client.get_or_create_collection(settings.collection).count())
        except Exception as exc:  # noqa: BLE001 - any failure is the finding
            counts.append(repr(exc))

    threads = [threading.Thread(target=open_and_count) for _ in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    for client in clients:
        client.close()
    assert counts == [0, 0, 0, 0]


@pytest.mark.unit
def test_progress_in_log_lines_says_how_long_the_rest_will_take() -> None:
    from vectorstore.refresh_command import _LogProgress

    log = _LogProgress()
    log.started = 100.0
    log.done = 30
    assert log.line(110.0) == "30 articles read (3.0/s)"
    log.set_total(120)
    assert log.line(110.0) == "30/120 articles read (3.0/s, 00:30 left)"
