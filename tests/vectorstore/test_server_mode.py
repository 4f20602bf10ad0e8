"""Client/server mode: refresh and ask() against a real `chroma run` server on 127.0.0.1."""

from __future__ import annotations

import shutil
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator
from pathlib import Path

import pytest

from qa import ask
from tests.conftest import free_port
from vectorstore import (
    CLEANING_VERSION,
    NewsEmbeddings,
    StoreSettings,
    chroma_client,
    refresh,
    sync,
)

pytestmark = [pytest.mark.server, pytest.mark.integration]


@pytest.fixture
def chroma_server(tmp_path: Path) -> Iterator[str]:
    """A real Chroma server with its own storage, on a free loopback port."""
    chroma = shutil.which("chroma", path=str(Path(sys.executable).parent))
    assert chroma, "the chroma CLI comes with the chromadb package"
    port = free_port()
    log = (tmp_path / "chroma.log").open("w")
    server = subprocess.Popen(
        [
            chroma,
            "run",
            "--path",
            str(tmp_path / "server-data"),
            "--host",
            "127.0.0.1",
            "--port",
            str(port),
        ],
        stdout=log,
        stderr=subprocess.STDOUT,
    )
    url = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 60
    while True:
        try:
            urllib.request.urlopen(f"{url}/api/v2/heartbeat", timeout=2)
            break
        except OSError:
            if server.poll() is not None or time.monotonic() > deadline:
                server.kill()
                pytest.fail("chroma run did not start: " + (tmp_path / "chroma.log").read_text())
            time.sleep(0.3)
    yield url
    server.terminate()
    server.wait(timeout=30)


def test_refresh_and_ask_through_the_server(
    chroma_server: str, articles_dir: Path, tmp_path: Path
) -> None:
    settings = StoreSettings(
        articles_dir=articles_dir, data_dir=tmp_path / "client-data", chroma_url=chroma_server
    )
    report = refresh(settings)
    assert report.added == 1 and report.chunks_total > 0
    # The vectors live on the server, not in the client's data dir.
    assert not settings.chroma_dir.exists()
    collection = chroma_client(settings).get_collection(settings.collection)
    assert collection.count() == report.chunks_total

    answer = ask("what is OSA?", store=settings)
    assert answer.answered and "Official Security Assistance" in answer.text
    assert answer.citations[0].source == "The Japan News"

    (articles_dir / "000_28c4a3eef7881f30.txt").unlink()
    (articles_dir / "zoo.txt").write_text("Zoo news\nThe zoo welcomed a panda called Lulu.\n")
    report = refresh(settings)
    assert (report.added, report.deleted) == (1, 1)
    assert collection.count() == report.chunks_total
    assert "Lulu" in ask("What is the panda at the zoo called?", store=settings).text
    assert not ask("what is OSA?", store=settings).answered


def test_a_filtered_search_by_passage_ids_through_the_server(
    chroma_server: str, articles_dir: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from qa import AnswerSettings, service

    (articles_dir / "zoo.md").write_text(
        "---\ntitle: Zoo news\nsource: Zoo Weekly\ndate: 2024-08-01\n---\n"
        "The zoo welcomed a panda called Lulu.\n"
    )
    settings = StoreSettings(
        articles_dir=articles_dir, data_dir=tmp_path / "client-data", chroma_url=chroma_server
    )
    refresh(settings)
    retriever = service._pipeline(settings, AnswerSettings()).retriever
    calls: list[set[str]] = []
    search = retriever.vector_store.similarity_search_by_vector_with_relevance_scores  # type: ignore[attr-defined]

    def spy(*args: object, **kwargs: object) -> object:
        calls.append(set(kwargs))
        return search(*args, **kwargs)

    monkeypatch.setattr(
        retriever.vector_store, "similarity_search_by_vector_with_relevance_scores", spy
    )
    monkeypatch.setattr("qa.retriever.OVERFETCH", 1)  # the nearest passage is not the zoo's
    found = retriever._dense("Japan Mongolia defense equipment OSA", 1, ["Zoo Weekly"], None, None)
    assert [doc.metadata["source"] for doc, _ in found] == ["Zoo Weekly"]
    assert "ids" in calls[-1]


def test_a_store_on_the_server_is_reflagged_in_place(
    chroma_server: str, articles_dir: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    settings = StoreSettings(
        articles_dir=articles_dir, data_dir=tmp_path / "client-data", chroma_url=chroma_server
    )
    with pytest.MonkeyPatch.context() as patch:  # indexed as before the cleaning flags
        patch.setattr("vectorstore.chunking.clean_passage", lambda *args: {})
        patch.setattr(sync, "_mend_cleaning", lambda *args: 0)
        refresh(settings)
    collection = chroma_client(settings).get_collection(settings.collection)
    before = collection.get(include=["metadatas"])
    assert not any("cleaning" in meta for meta in before["metadatas"])

    calls: list[list[str]] = []
    encode = NewsEmbeddings._encode
    monkeypatch.setattr(
        NewsEmbeddings, "_encode", lambda self, texts: calls.append(texts) or encode(self, texts)
    )
    assert refresh(settings).passages_recleaned == len(before["ids"])
    after = collection.get(include=["metadatas"])
    assert calls == [] and after["ids"] == before["ids"]
    assert {meta["cleaning"] for meta in after["metadatas"]} == {CLEANING_VERSION}
