"""A refresh killed with SIGKILL halfway is completed by the next one, with no duplicates;
one stopped with Ctrl-C says so, loses at most the step it was in, and the next goes on."""

from __future__ import annotations

import fcntl
import os
import pty
import re
import signal
import sqlite3
import struct
import subprocess
import sys
import termios
import threading
import time
from pathlib import Path

import pytest

from tests.conftest import ROOT
from tests.corpus import write_corpus
from vectorstore import StoreSettings, chroma_client, refresh
from vectorstore.chunking import article_of
from vectorstore.lexical import LexicalIndex
from vectorstore.store import open_record_manager

pytestmark = pytest.mark.integration


def _column(db: Path, sql: str) -> list[str]:
    if not db.exists():
        return []
    try:
        with sqlite3.connect(f"file:{db}?mode=ro", uri=True, timeout=1) as conn:
            return [row[0] for row in conn.execute(sql)]
    except sqlite3.OperationalError:
        return []


def _records(db: Path) -> int:
    return len(_column(db, "SELECT key FROM upsertion_record"))


def _state(settings: StoreSettings) -> tuple[list[str], int, set[str], set[str]]:
    collection = chroma_client(settings).get_collection(settings.collection)
    ids = sorted(collection.get(include=[])["ids"])
    lexical = LexicalIndex(settings.lexical_db)
    return ids, collection.count(), lexical.ids(), set(open_record_manager(settings).list_keys())


def test_killed_refresh_is_repaired_by_the_next_run(tmp_path: Path) -> None:
    articles = tmp_path / "articles"
    write_corpus(articles, 400)
    killed = StoreSettings(articles_dir=articles, data_dir=tmp_path / "killed")
    env = os.environ | {
        "NEWSDESK_ARTICLES_DIR": str(articles),
        "NEWSDESK_DATA_DIR": str(killed.data_dir),
        "NEWSDESK_INDEX_BATCH_ARTICLES": "8",
    }
    process = subprocess.Popen(
        [sys.executable, "-m", "vectorstore.refresh", "-q"],
        cwd=ROOT,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    deadline = time.monotonic() + 300
    while _records(killed.record_db) < 100 and process.poll() is None:
        assert time.monotonic() < deadline, "the refresh made no progress"
        time.sleep(0.05)
    assert process.poll() is None, "the refresh finished before it could be killed"
    process.send_signal(signal.SIGKILL)
    process.wait()
    halfway = _records(killed.record_db)

    report = refresh(killed)
    assert report.failed == [] and report.deleted == 0
    assert report.added + report.skipped + report.updated == 400

    clean = StoreSettings(articles_dir=articles, data_dir=tmp_path / "clean")
    clean_report = refresh(clean)
    assert 0 < halfway < clean_report.chunks_total

    ids, count, lexical_ids, record_keys = _state(killed)
    clean_ids, clean_count, _, _ = _state(clean)
    assert ids == clean_ids
    assert count == clean_count == len(clean_ids) == clean_report.chunks_total
    assert lexical_ids == record_keys == set(clean_ids)


def _drain(fd: int, screen: list[str]) -> None:
    """Read what the child draws on its terminal until it closes it."""
    while True:
        try:
            chunk = os.read(fd, 4096)
        except OSError:
            return
        if not chunk:
            return
        screen.append(chunk.decode(errors="replace"))


def test_ctrl_c_stops_a_backfill_that_the_next_run_goes_on_with(tmp_path: Path) -> None:
    articles, count, step = tmp_path / "articles", 120, 8
    write_corpus(articles, count)
    settings = StoreSettings(
        articles_dir=articles,
        data_dir=tmp_path / "data",
        index_batch_articles=step,
        sentence_vectors="pooled",
    )
    env = os.environ | {
        "NEWSDESK_ARTICLES_DIR": str(articles),
        "NEWSDESK_DATA_DIR": str(settings.data_dir),
        "NEWSDESK_INDEX_BATCH_ARTICLES": str(step),
        "NEWSDESK_SENTENCE_VECTORS": "pooled",
    }
    terminal, child_end = pty.openpty()  # on a terminal, the refresh draws its bar
    fcntl.ioctl(child_end, termios.TIOCSWINSZ, struct.pack("HHHH", 24, 120, 0, 0))
    process = subprocess.Popen(
        [sys.executable, "-m", "vectorstore.refresh"],
        cwd=ROOT,
        env=env,
        stdin=subprocess.DEVNULL,
        stdout=subprocess.DEVNULL,
        stderr=child_end,
        # As from a shell's foreground: a runner that ignores SIGINT would pass that on.
        preexec_fn=lambda: signal.signal(signal.SIGINT, signal.SIG_DFL),
    )
    os.close(child_end)
    screen: list[str] = []
    reader = threading.Thread(target=_drain, args=(terminal, screen), daemon=True)
    reader.start()
    try:
        deadline = time.monotonic() + 300
        manifest = "SELECT article_id FROM articles"
        while len(_column(settings.manifest_db, manifest)) < 2 * step:
            assert process.poll() is None, "the refresh finished before it could be stopped"
            assert time.monotonic() < deadline, "the refresh made no progress"
            time.sleep(0.05)
        process.send_signal(signal.SIGINT)
        assert process.wait(timeout=60) == 130
    finally:
        if process.poll() is None:
            process.kill()
            process.wait()
        reader.join(timeout=10)
        os.close(terminal)
    drawn = "".join(screen)
    assert re.search(rf"\d+/{count} \[\d\d:\d\d<\d\d:\d\d", drawn), drawn[-2000:]  # ETA
    assert "interrupted: what was indexed so far is kept" in drawn
    assert "Traceback" not in drawn

    recorded = _column(settings.record_db, "SELECT key FROM upsertion_record")
    finished = set(_column(settings.manifest_db, manifest))
    assert len({article_of(key) for key in recorded} - finished) <= step  # one step at most

    report = refresh(settings)
    assert report.failed == [] and report.added + report.updated + report.skipped == count
    assert report.skipped >= len(finished)
    assert report.chunks_added == report.chunks_total - len(recorded)  # none embedded twice
    ids, collection_count, lexical_ids, record_keys = _state(settings)
    assert collection_count == len(ids) == report.chunks_total
    assert lexical_ids == record_keys == set(ids)
    marks = _column(settings.sentence_db, "SELECT passage_id FROM done")
    assert set(marks) == set(ids)
