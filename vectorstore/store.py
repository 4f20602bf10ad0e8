"""The Chroma collection (embedded or on a server) and LangChain's record manager."""

from __future__ import annotations

import fcntl
import os
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from urllib.parse import urlparse

import chromadb
from chromadb.config import Settings as ChromaSettings
from langchain_chroma import Chroma
from langchain_classic.indexes import SQLRecordManager
from langchain_core.embeddings import Embeddings

from vectorstore.errors import StoreBusyError
from vectorstore.settings import StoreSettings

_COSINE = {"hnsw:space": "cosine"}
# chromadb makes and stops the system it shares between the clients of one path without
# a lock: two threads opening the store at once (the chat's warm-up and its background
# refresh) would both make one, and one of them fails.
_opening = threading.Lock()


def chroma_client(settings: StoreSettings) -> chromadb.ClientAPI:
    """A Chroma client: a server when `chroma_url` is set, else the store in `data_dir`."""
    chroma_settings = ChromaSettings(anonymized_telemetry=False, allow_reset=True)
    if settings.chroma_url:
        url = urlparse(settings.chroma_url)
        return chromadb.HttpClient(
            host=url.hostname or "127.0.0.1",
            port=url.port or (443 if url.scheme == "https" else 8000),
            ssl=url.scheme == "https",
            settings=chroma_settings,
        )
    settings.chroma_dir.mkdir(parents=True, exist_ok=True)
    with _opening:
        return chromadb.PersistentClient(path=str(settings.chroma_dir), settings=chroma_settings)


def open_vector_store(settings: StoreSettings, embeddings: Embeddings) -> Chroma:
    """The collection as a LangChain vector store, with cosine distances."""
    return Chroma(
        client=chroma_client(settings),
        collection_name=settings.collection,
        embedding_function=embeddings,
        collection_metadata=_COSINE,
    )


def close_vector_store(store: Chroma) -> None:
    """Release the store's Chroma client, so the next open reads the store from disk afresh."""
    client = getattr(store, "_client", None)  # langchain-chroma keeps the client it was given
    if client is not None and hasattr(client, "close"):
        with _opening:
            client.close()


def open_record_manager(settings: StoreSettings) -> SQLRecordManager:
    """LangChain's record of what is indexed, kept beside the store in `data_dir`."""
    settings.data_dir.mkdir(parents=True, exist_ok=True)
    where = settings.chroma_url or "embedded"
    manager = SQLRecordManager(
        namespace=f"chroma/{where}/{settings.collection}",
        db_url=f"sqlite:///{settings.record_db}",
    )
    manager.create_schema()
    return manager


def generation(settings: StoreSettings) -> str:
    """Changes whenever a refresh changed the store; readers reopen when it does."""
    marker = settings.data_dir / "generation"
    return marker.read_text() if marker.exists() else ""


def bump_generation(settings: StoreSettings) -> None:
    """Tell running readers that the store changed."""
    marker = settings.data_dir / "generation"
    marker.write_text(f"{os.getpid()}-{time.time_ns()}")


_held = threading.local()  # per thread: the lock files it holds, with their depth


@contextmanager
def refresh_lock(settings: StoreSettings) -> Iterator[None]:
    """Only one writer per data dir at a time; a second one is told who holds it.

    The thread that holds the lock may take it again (a fetch-then-refresh round holds
    it while `refresh()` takes it); any other thread or process gets `StoreBusyError`.

    Raises:
        StoreBusyError: another thread or process holds the lock.
    """
    settings.data_dir.mkdir(parents=True, exist_ok=True)
    path = settings.data_dir / "refresh.lock"
    held: dict[str, int] = _held.__dict__.setdefault("depth", {})
    key = os.path.realpath(path)
    if held.get(key):
        held[key] += 1
        try:
            yield
        finally:
            held[key] -= 1
        return
    with path.open("a+") as handle:
        try:
            fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError as exc:
            handle.seek(0)
            holder = handle.read().strip() or "another process"
            raise StoreBusyError(
                f"Another refresh (pid {holder}) is updating {settings.data_dir}; "
                "wait for it to finish, then run the refresh again."
            ) from exc
        handle.seek(0)
        handle.truncate()
        handle.write(str(os.getpid()))
        handle.flush()
        held[key] = 1
        try:
            yield
        finally:
            held.pop(key, None)
            handle.seek(0)
            handle.truncate()
            fcntl.flock(handle, fcntl.LOCK_UN)
