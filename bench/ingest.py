"""Benchmark of what a refresh embeds, against the tutorial pipeline and the raw model.

Every step runs in its own temp data dir over the same articles (a temp copy of the
first 600 RealTime QA articles, all 3,773 with `--full`; never the repository's):

1. the refresh with pooled sentence vectors (`python -m vectorstore.refresh`,
   `NEWSDESK_SENTENCE_VECTORS=pooled`, precision `auto`),
2. the same with the sentence vectors off (`NEWSDESK_EMBED_SENTENCES=false`),
3. the same with each sentence encoded alone (`NEWSDESK_SENTENCE_VECTORS=separate`),
4. on a CPU with native bfloat16, the pooled refresh at float32 (the tutorial's precision),
5. the LangChain tutorial pipeline (1000/200 character splits, `HuggingFaceEmbeddings`,
   `Chroma.from_documents`),
6. the pooled refresh again with nothing changed, then after editing 10 articles (in a
   copy of the store),
7. in this process: the no-change refresh with the model loaded; the raw model on the
   refresh's own passages with onnxruntime at float32 and with torch at this CPU's
   fastest precision (bfloat16 where native); the cosine of each pooled sentence
   vector with the same sentence encoded alone (from the pooled and separate tables),
8. unless `--quick`, a batch-size sweep and the float32/bfloat16 cosine on a sample.

Steps 1-6 run as child processes, so each starts cold and has its own peak RSS. Each
ingest records articles/s, passages/s, its seconds in the model's calls and elsewhere,
and its peak RSS; the JSON records the CPU and whether it computes bfloat16 natively.

Usage:
    .venv/bin/python bench/ingest.py [--full | --limit N] [--articles FILE] [--quick] [--out FILE]
"""

from __future__ import annotations

import argparse
import json
import logging
import os
import random
import shutil
import sqlite3
import statistics
import sys
import tempfile
import time
from collections import Counter
from collections.abc import Iterator
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

if __package__ in (None, ""):  # run as `python bench/ingest.py`: make `bench` importable
    sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

os.environ["HF_HUB_OFFLINE"] = "1"  # the bench never downloads; its children inherit this

import numpy as np  # noqa: E402
from langchain_core.documents import Document  # noqa: E402
from langchain_core.embeddings import Embeddings  # noqa: E402

from bench._common import (  # noqa: E402
    PROJECT_ROOT,
    SHARED_DIR,
    BenchError,
    Machine,
    Target,
    check,
    machine,
    now,
    rate,
    run_child,
    write_json,
)
from qa.eval.provenance import git_state  # noqa: E402
from vectorstore import (  # noqa: E402
    Article,
    ModelError,
    NewsEmbeddings,
    RefreshReport,
    StoreSettings,
    chroma_client,
    chunk_article,
    chunk_id,
    iter_articles,
    list_article_files,
    load_embeddings,
    make_splitter,
    refresh,
)
from vectorstore.embeddings import (  # noqa: E402
    model_path,
    native_bfloat16,
    resolve_precision,
    resolve_runtime,
)
from vectorstore.sentence_vectors import key_prefix  # noqa: E402
from vectorstore.settings import Precision  # noqa: E402
from vectorstore.token_states import reading_tokenizer  # noqa: E402

logger = logging.getLogger("bench.ingest")

DEFAULT_ARTICLES = SHARED_DIR / "bench/realtimeqa/articles.jsonl"
DEFAULT_LIMIT = 600
RESULTS = PROJECT_ROOT / "docs/results"
SWEEP_BATCH_SIZES = (8, 16, 32, 64)
EDITS = 10
EDIT_NOTE = "Update: this article was revised after publication."
TUTORIAL_CHUNK_SIZE, TUTORIAL_CHUNK_OVERLAP = 1000, 200
FEED_FIELDS = ("id", "title", "source", "url", "published_at")
PRECISIONS: tuple[Precision, ...] = ("float32", "bfloat16")
# The refresh runs: settings over the benchmark's own (pooled sentence vectors, `auto`).
REFRESH_RUNS: dict[str, dict[str, Any]] = {
    "pooled": {},
    "no_sentences": {"embed_sentences": False},
    "separate": {"sentence_vectors": "separate"},
    "float32": {"embedding_precision": "float32"},
}


@dataclass
class Ingest:
    """One full ingest of the articles, measured."""

    pipeline: str
    precision: str
    runtime: str
    sentence_vectors: str  # pooled, separate or off (the tutorial has none)
    articles: int
    passages: int
    seconds: float
    model_seconds: float
    wall_seconds: float
    peak_rss_mb: float
    sentences: int = 0
    sentences_pooled: int = 0
    other_seconds: float = 0.0
    articles_per_s: float = 0.0
    passages_per_s: float = 0.0
    report: RefreshReport | None = None

    def __post_init__(self) -> None:
        self.other_seconds = round(self.seconds - self.model_seconds, 3)
        self.articles_per_s = rate(self.articles, self.seconds)
        self.passages_per_s = rate(self.passages, self.seconds)


@dataclass
class Rerun:
    """A refresh of an already indexed store (nothing changed, or a few articles edited)."""

    seconds: float
    wall_seconds: float
    peak_rss_mb: float
    percent_of_full: float
    report: RefreshReport
    warm_seconds: float | None = None
    warm_report: RefreshReport | None = None
    edited_ids: list[str] = field(default_factory=list)


@dataclass
class RawEncode:
    """The model alone on the refresh's own passages, in one runtime and precision."""

    runtime: str
    precision: str
    batch_size: int
    passages: int
    seconds: float
    passages_per_s: float
    articles_per_s: float
    model_load_seconds: float
    max_seq_length: int
    passages_over_max_seq: int
    longest_passage_tokens: int


@dataclass
class Agreement:
    """Cosine of each pooled sentence vector with the same sentence encoded alone, from
    the pooled and the separate ingests' tables (every sentence both hold)."""

    sentences: int
    cosine_min: float
    cosine_p1: float
    cosine_p5: float
    cosine_median: float
    cosine_mean: float


@dataclass
class SampleEncode:
    """Batch-size sweep and precision agreement on a sample of passages."""

    sample_passages: int
    batch_sizes: list[int]
    passages_per_s: dict[str, dict[int, float]]
    cosine_batch_size: int
    cosine_min: float
    cosine_mean: float


@dataclass
class Round:
    """The pooled refresh, the raw encode (fastest runtime) and the tutorial, back to back:
    their ratios within a round are taken minutes apart, not half an hour."""

    pooled_seconds: float
    raw_seconds: float
    tutorial_seconds: float
    pooled_vs_raw: float = 0.0
    pooled_vs_tutorial: float = 0.0

    def __post_init__(self) -> None:
        self.pooled_vs_raw = rate(self.raw_seconds, self.pooled_seconds)
        self.pooled_vs_tutorial = rate(self.tutorial_seconds, self.pooled_seconds)


@dataclass
class Result:
    """Everything one run measured; written as the JSON file."""

    benchmark: str
    started_at: str
    finished_at: str
    config: dict[str, Any]
    machine: Machine
    corpus: dict[str, int]
    ingest: dict[str, Ingest]
    raw: dict[str, RawEncode]
    raw_fastest: str
    agreement: Agreement | None
    sample: SampleEncode | None
    no_change: Rerun
    edit: Rerun
    ratios: dict[str, float]
    targets: list[Target]
    load_average_end: list[float]
    rounds: list[Round] = field(default_factory=list)


# --- the articles ------------------------------------------------------------------------------


def _copy_feed(source: Path, target: Path, limit: int | None) -> tuple[int, int]:
    """Copy the first `limit` feed lines (all without a limit); return articles and characters."""
    if not source.is_file():
        raise BenchError(
            f"articles file not found: {source} (the RealTime QA feed lives in "
            "../shared/bench/realtimeqa/ beside the project; pass --articles FILE)"
        )
    target.parent.mkdir(parents=True, exist_ok=True)
    articles = characters = 0
    with source.open(encoding="utf-8") as feed, target.open("w", encoding="utf-8") as out:
        for line in feed:
            if not line.strip():
                continue
            if limit is not None and articles >= limit:
                break
            out.write(line if line.endswith("\n") else line + "\n")
            articles += 1
            characters += len(json.loads(line).get("body") or "")
    return articles, characters


def _read_feed(path: Path) -> list[dict[str, Any]]:
    with path.open(encoding="utf-8") as feed:
        return [json.loads(line) for line in feed if line.strip()]


def _url_key(record: dict[str, Any]) -> str:
    return str(record.get("url") or "").strip().rstrip("/").lower()


def _body_key(record: dict[str, Any]) -> str:
    return " ".join(str(record.get("body") or "").lower().split())


def _edit_feed(feed: Path, count: int) -> list[str]:
    """Put a correction note atop `count` articles spread over the feed; return their ids.

    Only articles whose id, URL and body occur once are edited, so each edit is an
    update (never a duplicate turned into a new article). The note shifts every
    passage's offset, so all of an edited article's passages get new chunk ids.
    """
    records = _read_feed(feed)
    ids = Counter(record.get("id") for record in records)
    urls = Counter(_url_key(record) for record in records)
    bodies = Counter(_body_key(record) for record in records)
    candidates = [
        i
        for i, record in enumerate(records)
        if record.get("id")
        and ids[record["id"]] == 1
        and (not _url_key(record) or urls[_url_key(record)] == 1)
        and _body_key(record)
        and bodies[_body_key(record)] == 1
    ]
    count = min(count, len(candidates))
    chosen = [candidates[k * len(candidates) // count] for k in range(count)]
    for i in chosen:
        records[i]["body"] = f"{EDIT_NOTE}\n\n{records[i]['body']}"
    feed.write_text(
        "".join(json.dumps(record, ensure_ascii=False) + "\n" for record in records),
        encoding="utf-8",
    )
    return [records[i]["id"] for i in chosen]


# --- the project's refresh, as a child process -------------------------------------------------


def _refresh_env(settings: StoreSettings) -> dict[str, str]:
    """The environment that makes `python -m vectorstore.refresh` read exactly `settings`."""
    overrides = {
        "chroma_url": settings.chroma_url,
        "collection": settings.collection,
        "embedding_precision": settings.embedding_precision,
        "embedding_runtime": settings.embedding_runtime,
        "embed_batch_size": settings.embed_batch_size,
        "chunk_tokens": settings.chunk_tokens,
        "chunk_overlap_tokens": settings.chunk_overlap_tokens,
        "embed_sentences": settings.embed_sentences,
        "sentence_vectors": settings.sentence_vectors,
        "index_batch_articles": settings.index_batch_articles,
    }
    return os.environ | {f"NEWSDESK_{key.upper()}": str(value) for key, value in overrides.items()}


def _cli_refresh(settings: StoreSettings) -> tuple[RefreshReport, float, float]:
    """Run the refresh CLI; return its report, wall seconds and peak RSS (MB)."""
    command = [
        sys.executable,
        "-m",
        "vectorstore.refresh",
        "--articles-dir",
        str(settings.articles_dir),
        "--data-dir",
        str(settings.data_dir),
        "--json",
    ]
    if not sys.stderr.isatty():
        command.append("-q")  # on a terminal the refresh draws its own progress bar
    child = run_child(command, env=_refresh_env(settings), cwd=PROJECT_ROOT)
    if child.returncode not in (0, 1):  # 1: some files skipped, the rest indexed
        raise BenchError(f"the refresh exited with status {child.returncode}: {command}")
    report = RefreshReport.model_validate(child.last_json())
    return report, child.wall_seconds, child.peak_rss_mb


def _ingest(settings: StoreSettings, articles: int) -> Ingest:
    """A full ingest into an empty data dir, through the project's refresh CLI."""
    report, wall, rss = _cli_refresh(settings)
    precision = resolve_precision(settings.embedding_precision, settings.embedding_runtime)
    return Ingest(
        pipeline="refresh",
        precision=precision,
        runtime=resolve_runtime(settings.embedding_runtime, precision),
        sentence_vectors=settings.sentence_vectors if settings.embed_sentences else "off",
        articles=articles,
        passages=report.chunks_added,
        seconds=report.seconds,
        model_seconds=report.model_seconds,
        wall_seconds=wall,
        peak_rss_mb=rss,
        sentences=report.sentences_embedded,
        sentences_pooled=report.sentences_pooled,
        report=report,
    )


def _rerun(settings: StoreSettings, full: Ingest) -> Rerun:
    """Refresh an indexed store again through the CLI (cold: imports and model load included)."""
    report, wall, rss = _cli_refresh(settings)
    percent = round(100 * report.seconds / full.seconds, 2) if full.seconds else 0.0
    return Rerun(report.seconds, wall, rss, percent, report)


# --- the tutorial pipeline, as a child process -------------------------------------------------


class _Timed(Embeddings):
    """Embeddings that count the seconds spent in another's calls."""

    def __init__(self, inner: Embeddings) -> None:
        self.inner = inner
        self.seconds = 0.0

    def embed_documents(self, texts: list[str]) -> list[list[float]]:
        started = time.perf_counter()
        try:
            return self.inner.embed_documents(texts)
        finally:
            self.seconds += time.perf_counter() - started

    def embed_query(self, text: str) -> list[float]:
        return self.inner.embed_query(text)


def _tutorial_worker(feed: Path, chroma_dir: Path) -> int:
    """The LangChain tutorial ingest, with its defaults; prints one JSON line of figures."""
    import chromadb
    from chromadb.config import Settings as ChromaSettings
    from langchain_chroma import Chroma
    from langchain_text_splitters import RecursiveCharacterTextSplitter

    started = time.perf_counter()
    # Imported inside the timer: the refresh imports sentence-transformers on first use too.
    from langchain_huggingface import HuggingFaceEmbeddings

    documents = [
        Document(
            page_content=record.get("body") or "",
            metadata={key: str(record.get(key) or "") for key in FEED_FIELDS},
        )
        for record in _read_feed(feed)
    ]
    splitter = RecursiveCharacterTextSplitter(
        chunk_size=TUTORIAL_CHUNK_SIZE, chunk_overlap=TUTORIAL_CHUNK_OVERLAP
    )
    splits = splitter.split_documents(documents)
    embeddings = _Timed(HuggingFaceEmbeddings(model_name=str(model_path())))
    client = chromadb.PersistentClient(
        path=str(chroma_dir), settings=ChromaSettings(anonymized_telemetry=False)
    )
    Chroma.from_documents(splits, embeddings, client=client, collection_name="tutorial")
    seconds = time.perf_counter() - started
    figures = {
        "seconds": round(seconds, 3),
        "model_seconds": round(embeddings.seconds, 3),
        "chunks": len(splits),
    }
    print(json.dumps(figures))
    return 0


def _tutorial(feed: Path, chroma_dir: Path, articles: int) -> Ingest:
    """Run `_tutorial_worker` in a child process."""
    command = [
        sys.executable,
        str(Path(__file__).resolve()),
        "--tutorial-worker",
        str(chroma_dir),
        "--articles",
        str(feed),
    ]
    child = run_child(command, cwd=PROJECT_ROOT)
    if child.returncode != 0:
        raise BenchError(f"the tutorial pipeline exited with status {child.returncode}")
    figures = child.last_json()
    return Ingest(
        pipeline="tutorial",
        precision="float32",
        runtime="torch",
        sentence_vectors="off",
        articles=articles,
        passages=figures["chunks"],
        seconds=figures["seconds"],
        model_seconds=figures["model_seconds"],
        wall_seconds=child.wall_seconds,
        peak_rss_mb=child.peak_rss_mb,
    )


# --- the raw model, in this process ------------------------------------------------------------


def _passages(settings: StoreSettings, embeddings: NewsEmbeddings) -> Iterator[Document]:
    """Every passage of the articles folder, cut as the refresh cuts them."""
    splitter = make_splitter(
        embeddings.tokenizer, settings.chunk_tokens, settings.chunk_overlap_tokens
    )
    for path in list_article_files(settings.articles_dir):
        for item in iter_articles(path, settings.articles_dir):
            if isinstance(item, Article):
                yield from chunk_article(item, splitter)


def _encode(model: Any, texts: list[str], batch_size: int) -> tuple[float, Any]:
    """Seconds to encode `texts` as the project does, and the vectors (after one warm-up batch)."""
    options = {
        "batch_size": batch_size,
        "normalize_embeddings": True,
        "convert_to_numpy": False,
        "convert_to_tensor": True,
        "show_progress_bar": False,
    }
    model.encode(texts[:batch_size], **options)
    started = time.perf_counter()
    vectors = model.encode(texts, **options)
    return time.perf_counter() - started, vectors


def _stored_passages(settings: StoreSettings, embeddings: NewsEmbeddings) -> list[str]:
    """The texts of the passages the ingest into `settings.data_dir` stored."""
    collection = chroma_client(settings).get_collection(settings.collection)
    stored = set(collection.get(include=[])["ids"])
    texts = [doc.page_content for doc in _passages(settings, embeddings) if chunk_id(doc) in stored]
    if not texts or len(texts) != len(stored):
        raise BenchError(f"the ingest stored {len(stored)} passages; {len(texts)} cut again")
    return texts


def _raw_encode(
    texts: list[str], articles: int, runtime: str, precision: str, batch_size: int
) -> RawEncode:
    """The model alone on `texts`, after a warm-up batch: with onnxruntime (`OnnxEncoder`)
    or torch (`SentenceTransformer.encode`)."""
    loading = time.perf_counter()
    embeddings = load_embeddings(precision, batch_size, runtime)  # type: ignore[arg-type]
    model = embeddings.onnx if runtime == "onnx" else embeddings.model
    load_seconds = time.perf_counter() - loading
    if runtime == "onnx":
        model.encode(texts[:batch_size], batch_size)
        started = time.perf_counter()
        model.encode(texts, batch_size)
        seconds = time.perf_counter() - started
    else:
        seconds, _ = _encode(model, texts, batch_size)
    reader = int(reading_tokenizer(model_path()).truncation["max_length"])
    lengths = [len(encoding.ids) for encoding in embeddings.tokenizer.encode_batch(texts)]
    return RawEncode(
        runtime=runtime,
        precision=precision,
        batch_size=batch_size,
        passages=len(texts),
        seconds=round(seconds, 3),
        passages_per_s=rate(len(texts), seconds),
        articles_per_s=rate(articles, seconds),
        model_load_seconds=round(load_seconds, 3),
        max_seq_length=reader,
        passages_over_max_seq=sum(length > reader for length in lengths),
        longest_passage_tokens=max(lengths),
    )


def _raw_encodes(texts: list[str], articles: int, batch_size: int) -> dict[str, RawEncode]:
    """The raw encode with onnxruntime at float32 and torch at the fastest precision here."""
    fastest_torch = "bfloat16" if native_bfloat16() else "float32"
    raw: dict[str, RawEncode] = {}
    for runtime, precision in (("onnx", "float32"), ("torch", fastest_torch)):
        try:
            raw[f"{runtime}-{precision}"] = _raw_encode(
                texts, articles, runtime, precision, batch_size
            )
        except ModelError as exc:
            logger.warning("No raw encode with %s: %s", runtime, exc)
    if not raw:
        raise BenchError("neither runtime could encode the passages")
    return raw


def _sentence_vectors(settings: StoreSettings, mode: str) -> dict[str, np.ndarray]:
    """The sentence vectors of an ingest's table, by the digest of their text."""
    with sqlite3.connect(f"file:{settings.sentence_db}?mode=ro", uri=True) as db:
        rows = db.execute("SELECT key, value FROM vectors").fetchall()
    prefix = f"{key_prefix(mode)}:"  # type: ignore[arg-type]
    return {
        key.removeprefix(prefix): np.frombuffer(value, np.float32)
        for key, value in rows
        if key.startswith(prefix)
    }


def _agreement(pooled: StoreSettings, separate: StoreSettings) -> Agreement | None:
    """How close the pooled ingest's sentence vectors are to the separate ingest's."""
    ours, theirs = _sentence_vectors(pooled, "pooled"), _sentence_vectors(separate, "separate")
    both = sorted(ours.keys() & theirs.keys())
    if not both:
        return None
    cosines = np.array([float(ours[key] @ theirs[key]) for key in both])
    return Agreement(
        sentences=len(both),
        cosine_min=round(float(cosines.min()), 4),
        cosine_p1=round(float(np.percentile(cosines, 1)), 4),
        cosine_p5=round(float(np.percentile(cosines, 5)), 4),
        cosine_median=round(float(np.median(cosines)), 4),
        cosine_mean=round(float(cosines.mean()), 4),
    )


def _sample_encode(
    texts: list[str], batch_size: int, sweep: tuple[int, ...], sample_size: int
) -> SampleEncode:
    """Encode a seeded sample with torch at both precisions and each batch size; compare."""
    import torch

    sample = random.Random(0).sample(texts, min(sample_size, len(texts)))
    models = {p: load_embeddings(p, batch_size, "torch").model for p in PRECISIONS}
    speeds: dict[str, dict[int, float]] = {precision: {} for precision in models}
    vectors: dict[str, Any] = {}
    for size in sorted(set(sweep) | {batch_size}):
        for precision, model in models.items():
            seconds, encoded = _encode(model, sample, size)
            speeds[precision][size] = rate(len(sample), seconds)
            if size == batch_size:
                vectors[precision] = encoded.float()
    cosine = torch.nn.functional.cosine_similarity(vectors["float32"], vectors["bfloat16"])
    return SampleEncode(
        sample_passages=len(sample),
        batch_sizes=sorted(set(sweep) | {batch_size}),
        passages_per_s=speeds,
        cosine_batch_size=batch_size,
        cosine_min=round(float(cosine.min()), 5),
        cosine_mean=round(float(cosine.mean()), 5),
    )


# --- the run -----------------------------------------------------------------------------------


def _same_precision(ingest: dict[str, Ingest]) -> Ingest:
    """The pooled refresh at the tutorial's precision (float32)."""
    return ingest["float32"] if "float32" in ingest else ingest["pooled"]


def _ratios(
    ingest: dict[str, Ingest], raw: RawEncode, no_change: Rerun, rounds: list[Round]
) -> dict[str, float]:
    """The ratios of the targets; with more than one round, the pooled refresh's to the raw
    encode and to the tutorial are the medians of the rounds' own."""
    pooled, tutorial = ingest["pooled"], ingest["tutorial"]
    ratios = {
        "pooled_vs_raw": rate(pooled.articles_per_s, raw.articles_per_s),
        "separate_vs_raw": rate(ingest["separate"].articles_per_s, raw.articles_per_s),
        "no_sentences_vs_raw": rate(ingest["no_sentences"].articles_per_s, raw.articles_per_s),
        "pooled_vs_separate": rate(pooled.articles_per_s, ingest["separate"].articles_per_s),
        "pooled_vs_tutorial": rate(pooled.articles_per_s, tutorial.articles_per_s),
        "float32_vs_tutorial": rate(
            _same_precision(ingest).articles_per_s, tutorial.articles_per_s
        ),
        "no_change_percent": no_change.percent_of_full,
    }
    if len(rounds) > 1:
        ratios["pooled_vs_raw"] = statistics.median(r.pooled_vs_raw for r in rounds)
        ratios["pooled_vs_tutorial"] = statistics.median(r.pooled_vs_tutorial for r in rounds)
        if _same_precision(ingest) is pooled:
            ratios["float32_vs_tutorial"] = ratios["pooled_vs_tutorial"]
    return ratios


def _targets(
    ratios: dict[str, float], ingest: dict[str, Ingest], no_change: Rerun, edit: Rerun
) -> list[Target]:
    edits = len(edit.edited_ids)
    targets = [
        check(
            "pooled_vs_raw",
            "pooled refresh ÷ raw encode (fastest), articles/s",
            ratios["pooled_vs_raw"],
            ">=",
            0.85,
        ),
        check(
            "float32_vs_tutorial",
            "pooled refresh at float32 ÷ tutorial, articles/s",
            ratios["float32_vs_tutorial"],
            ">=",
            1.0,
        ),
    ]
    if ingest["pooled"].precision == "bfloat16":
        targets.append(
            check(
                "bfloat16_vs_tutorial",
                "pooled refresh at bfloat16 ÷ tutorial, articles/s",
                ratios["pooled_vs_tutorial"],
                ">=",
                1.5,
            )
        )
    return targets + [
        check(
            "no_change_percent",
            "no-change refresh (CLI), % of the pooled ingest",
            no_change.percent_of_full,
            "<=",
            2.0,
        ),
        check(
            "no_change_embeds_nothing",
            "no-change refresh, chunks embedded",
            no_change.report.chunks_added,
            "==",
            0,
        ),
        check("edit_updated", "edit refresh, articles updated", edit.report.updated, "==", edits),
    ]


def _config(
    settings: StoreSettings, articles_file: Path, limit: int | None, quick: bool, rounds: int
) -> dict[str, Any]:
    commit, dirty, _ = git_state(PROJECT_ROOT)
    return {
        "commit": commit,
        "dirty": dirty,
        "articles_file": str(articles_file),
        "limit": limit,
        "quick": quick,
        "rounds": rounds,
        "embedding_precision": settings.embedding_precision,
        "resolved_precision": resolve_precision(settings.embedding_precision),
        "default_sentence_vectors": StoreSettings.model_fields["sentence_vectors"].default,
        "embed_batch_size": settings.embed_batch_size,
        "chunk_tokens": settings.chunk_tokens,
        "chunk_overlap_tokens": settings.chunk_overlap_tokens,
        "index_batch_articles": settings.index_batch_articles,
        "tutorial_chunk_size": TUTORIAL_CHUNK_SIZE,
        "tutorial_chunk_overlap": TUTORIAL_CHUNK_OVERLAP,
    }


def _edited_copy(
    settings: StoreSettings, target: Path, feed_name: str
) -> tuple[StoreSettings, list[str]]:
    """A copy of the indexed store and of its articles, with `EDITS` articles edited."""
    shutil.copytree(settings.articles_dir, target / "articles")
    shutil.copytree(settings.data_dir, target / "data")
    edited = _edit_feed(target / "articles" / feed_name, EDITS)
    copy = settings.model_copy(
        update={"articles_dir": target / "articles", "data_dir": target / "data"}
    )
    return copy, edited


def _runs(settings: StoreSettings, work: Path, float32_ingest: bool) -> dict[str, StoreSettings]:
    """The settings of each refresh run, each in its own data dir."""
    runs = {}
    for name, update in REFRESH_RUNS.items():
        if name == "float32" and (
            not float32_ingest or resolve_precision(settings.embedding_precision) == "float32"
        ):
            continue  # the pooled run is at float32 already, or it was not asked for
        runs[name] = settings.model_copy(update={"data_dir": work / name, **update})
    return runs


def run(
    articles_file: Path,
    limit: int | None,
    quick: bool,
    sample_size: int,
    keep: Path | None = None,
    float32_ingest: bool = True,
    rounds: int = 1,
) -> Result:
    """Measure every step in fresh temp data dirs; return the figures.

    Each round past the first runs the pooled refresh, the raw encode in the fastest
    runtime and the tutorial again, back to back (see `Round`).

    With `keep`, the articles and the stores are moved there at the end (e.g. to
    evaluate answers on one of them).

    Child processes come first, while this process is small (see `run_child`).
    """
    started_at, host = now(), machine()
    with tempfile.TemporaryDirectory(prefix="newsdesk-bench-") as tmp:
        work = Path(tmp)
        feed = work / "articles" / "articles.jsonl"
        articles, characters = _copy_feed(articles_file, feed, limit)
        settings = StoreSettings(
            articles_dir=feed.parent,
            data_dir=work / "pooled",
            embedding_precision="auto",
            chroma_url="",
            sentence_vectors="pooled",
        )
        logger.info("%d articles (%d characters) in %s", articles, characters, feed)

        runs = _runs(settings, work, float32_ingest)
        ingest: dict[str, Ingest] = {}
        for name, run_settings in runs.items():
            logger.info("refresh: %s", name)
            ingest[name] = _ingest(run_settings, articles)
        logger.info("tutorial pipeline")
        ingest["tutorial"] = _tutorial(feed, work / "tutorial", articles)
        logger.info("refresh with nothing changed")
        no_change = _rerun(settings, ingest["pooled"])
        logger.info("refresh after editing %d articles (in a copy)", min(EDITS, articles))
        edited_settings, edited = _edited_copy(settings, work / "edited", feed.name)
        edit = _rerun(edited_settings, ingest["pooled"])
        edit.edited_ids = edited

        logger.info("in this process: refresh with nothing changed, raw encodes")
        embeddings = load_embeddings(settings.embedding_precision, settings.embed_batch_size)
        warm = refresh(settings, embeddings=embeddings)
        no_change.warm_seconds, no_change.warm_report = warm.seconds, warm
        texts = _stored_passages(settings, embeddings)
        raw = _raw_encodes(texts, articles, settings.embed_batch_size)
        fastest = max(raw, key=lambda name: raw[name].passages_per_s)
        fast = raw[fastest]
        repeats = [Round(ingest["pooled"].seconds, fast.seconds, ingest["tutorial"].seconds)]
        for number in range(2, rounds + 1):
            logger.info("round %d of %d: pooled refresh, raw encode, tutorial", number, rounds)
            again = runs["pooled"].model_copy(update={"data_dir": work / f"pooled-{number}"})
            pooled_seconds = _ingest(again, articles).seconds
            raw_seconds = _raw_encode(
                texts, articles, fast.runtime, fast.precision, fast.batch_size
            ).seconds
            tutorial_seconds = _tutorial(feed, work / f"tutorial-{number}", articles).seconds
            repeats.append(Round(pooled_seconds, raw_seconds, tutorial_seconds))
        agreement = _agreement(settings, runs["separate"])
        sample = None
        if not quick:
            logger.info("batch sizes %s and precision agreement on a sample", SWEEP_BATCH_SIZES)
            sample = _sample_encode(
                texts, settings.embed_batch_size, SWEEP_BATCH_SIZES, sample_size
            )
        if keep is not None:
            keep.mkdir(parents=True, exist_ok=True)
            for name in ("articles", *runs, "tutorial"):
                shutil.rmtree(keep / name, ignore_errors=True)
                shutil.move(work / name, keep / name)

    full = ingest["pooled"].report
    assert full is not None  # a refresh always reports
    ratios = _ratios(ingest, raw[fastest], no_change, repeats)
    return Result(
        benchmark="ingest",
        started_at=started_at,
        finished_at=now(),
        config=_config(settings, articles_file, limit, quick, rounds),
        machine=host,
        corpus={
            "articles": articles,
            "characters": characters,
            "passages": full.chunks_total,
            "duplicates": full.duplicates,
            "failed": len(full.failed),
        },
        ingest=ingest,
        raw=raw,
        raw_fastest=fastest,
        agreement=agreement,
        sample=sample,
        no_change=no_change,
        edit=edit,
        ratios=ratios,
        targets=_targets(ratios, ingest, no_change, edit),
        load_average_end=[round(x, 2) for x in os.getloadavg()],
        rounds=repeats,
    )


# --- the table ---------------------------------------------------------------------------------


def _table(result: Result) -> str:
    """The figures side by side, for people."""
    m, c = result.machine, result.corpus
    lines = [
        f"Ingest benchmark: {c['articles']} articles, {c['passages']} passages "
        f"({c['duplicates']} duplicates left out)",
        f"Machine: {m.usable_cpus} CPUs ({m.cpu_model}), native bfloat16 {m.native_bfloat16}, "
        f"torch {m.packages['torch']}, load {m.load_average} -> {result.load_average_end}",
        "",
        f"{'run':<28}{'runtime':>14}{'seconds':>9}{'in model':>9}{'articles/s':>11}"
        f"{'passages/s':>11}{'sentences':>10}{'RSS MB':>8}",
    ]
    for name, ingest in result.ingest.items():
        label = f"{name} ({ingest.sentence_vectors})" if ingest.pipeline == "refresh" else name
        lines.append(
            f"{label:<28}{ingest.runtime + ' ' + ingest.precision:>14}{ingest.seconds:>9.1f}"
            f"{ingest.model_seconds:>9.1f}{ingest.articles_per_s:>11.2f}"
            f"{ingest.passages_per_s:>11.2f}{ingest.sentences:>10}{ingest.peak_rss_mb:>8.0f}"
        )
    for name, raw in result.raw.items():
        label = f"raw encode{' (fastest)' if name == result.raw_fastest else ''}"
        lines.append(
            f"{label:<28}{raw.runtime + ' ' + raw.precision:>14}{raw.seconds:>9.1f}"
            f"{raw.seconds:>9.1f}{raw.articles_per_s:>11.2f}{raw.passages_per_s:>11.2f}"
        )
    for label, rerun in (("no-change refresh", result.no_change), ("edit refresh", result.edit)):
        lines.append(
            f"{label:<28}{'':>14}{rerun.seconds:>9.1f}{'':>9}{'':>11}{'':>11}{'':>10}"
            f"{rerun.peak_rss_mb:>8.0f}"
        )
    lines.append(f"  no-change in-process (model loaded): {result.no_change.warm_seconds:.1f} s")
    if result.agreement:
        a = result.agreement
        lines.append(
            f"pooled vs separate sentence vectors ({a.sentences} sentences): cosine min "
            f"{a.cosine_min:.3f}, p5 {a.cosine_p5:.3f}, median {a.cosine_median:.3f}"
        )
    if result.sample:
        sample = result.sample
        lines += ["", f"torch on {sample.sample_passages} sampled passages, passages/s"]
        lines.append(f"{'batch':>8}" + "".join(f"{p:>12}" for p in sample.passages_per_s))
        for size in sample.batch_sizes:
            lines.append(
                f"{size:>8}" + "".join(f"{s[size]:>12.2f}" for s in sample.passages_per_s.values())
            )
        lines.append(
            f"cosine float32 vs bfloat16 (batch {sample.cosine_batch_size}): "
            f"min {sample.cosine_min:.4f}, mean {sample.cosine_mean:.4f}"
        )
    if len(result.rounds) > 1:
        lines += [
            "",
            f"{'round':>8}{'pooled s':>10}{'raw s':>8}{'tutorial s':>12}"
            f"{'÷ raw':>8}{'÷ tutorial':>12}",
        ]
        for number, r in enumerate(result.rounds, 1):
            lines.append(
                f"{number:>8}{r.pooled_seconds:>10.1f}{r.raw_seconds:>8.1f}"
                f"{r.tutorial_seconds:>12.1f}{r.pooled_vs_raw:>8.2f}{r.pooled_vs_tutorial:>12.2f}"
            )
    lines += ["", "targets"]
    for target in result.targets:
        verdict = "PASS" if target.passed else "FAIL"
        lines.append(
            f"  {target.description:<52}{target.value:>10.2f} {target.op} "
            f"{target.threshold:<6g}{verdict}"
        )
    return "\n".join(lines)


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--articles", type=Path, default=DEFAULT_ARTICLES, help="JSON Lines feed")
    size = parser.add_mutually_exclusive_group()
    size.add_argument("--limit", type=int, default=DEFAULT_LIMIT, help="the first N articles (600)")
    size.add_argument("--full", action="store_true", help="every article of the feed")
    parser.add_argument(
        "--out",
        type=Path,
        help="where to write the JSON (docs/results/ingest-600.json, ingest-full.json with "
        "--full; bench/results/ingest-N.json for another --limit)",
    )
    parser.add_argument(
        "--quick", action="store_true", help="skip the batch-size sweep on a sample"
    )
    parser.add_argument(
        "--sample", type=int, default=600, help="passages for the sweep and the cosine check"
    )
    parser.add_argument(
        "--no-float32",
        action="store_true",
        help="on a bfloat16 CPU, skip the pooled refresh at float32",
    )
    parser.add_argument(
        "--keep", type=Path, help="move the articles and the stores to this folder at the end"
    )
    parser.add_argument(
        "--rounds",
        type=int,
        default=1,
        help="run the pooled refresh, the raw encode and the tutorial N times in all, back "
        "to back; the targets take the medians of the rounds' ratios",
    )
    parser.add_argument("--tutorial-worker", type=Path, help=argparse.SUPPRESS)
    return parser


def _default_out(limit: int | None) -> Path:
    if limit is None:
        return RESULTS / "ingest-full.json"
    if limit == DEFAULT_LIMIT:
        return RESULTS / f"ingest-{DEFAULT_LIMIT}.json"
    return PROJECT_ROOT / f"bench/results/ingest-{limit}.json"


def main(argv: list[str] | None = None) -> int:
    """Run the benchmark, print the table, write the JSON; return the exit status."""
    parser = _parser()
    args = parser.parse_args(argv)
    if args.tutorial_worker:
        return _tutorial_worker(args.articles, args.tutorial_worker)
    limit = None if args.full else args.limit
    if (limit is not None and limit < 1) or args.sample < 2 or args.rounds < 1:
        parser.error("--limit and --rounds must be at least 1, --sample at least 2")
    out = args.out or _default_out(limit)
    logging.basicConfig(level=logging.WARNING, format="%(asctime)s %(message)s")
    logger.setLevel(logging.INFO)
    try:
        result = run(
            args.articles.resolve(),
            limit,
            args.quick,
            args.sample,
            args.keep,
            float32_ingest=not args.no_float32,
            rounds=args.rounds,
        )
    except BenchError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    write_json(out, asdict(result))
    print(_table(result))
    print(f"\nwritten to {out}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
