"""A refresh killed with SIGKILL halfway is completed by the next one, with no duplicates."""

from __future__ import annotations

import os
import signal
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

import pytest

from tests.conftest import ROOT
from tests.corpus import write_corpus
from vectorstore import StoreSettings, chroma_client, refresh
from vectorstore.lexical import LexicalIndex
from vectorstore.store import open_record_manager

pytestmark = pytest.mark.integration


def _records(db: Path) -> int:
    if not db.exists():
        return 0
    try:
        with sqlite3.connect(f"file:{db}?mode=ro", uri=True, timeout=1) as conn:
            return int(conn.execute("SELECT count(*) FROM upsertion_record").fetchone()[0])
    except sqlite3.OperationalError:
        return 0


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
