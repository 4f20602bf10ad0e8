"""Benchmark of the embedding refresh, against a tutorial pipeline and the raw model.

Every step runs in its own temp data dir over the same articles (a temp copy of
the RealTime QA feed, never the repository's):

1. the default refresh (`python -m vectorstore.refresh`, precision `auto`),
2. the same at float32,
3. the LangChain tutorial pipeline (1000/200 character splits, `HuggingFaceEmbeddings`,
   `Chroma.from_documents`),
4. the refresh again with nothing changed,
5. the refresh after editing 10 articles (in a copy of the store),
6. in this process: the no-change refresh with the model loaded, then the raw model
   (`SentenceTransformer.encode`) on the refresh's own passages,
7. a batch-size sweep and the float32/bfloat16 cosine on a sample of passages.

Steps 1-5 run as child processes, so each starts cold and has its own peak RSS.

Usage:
    .venv/bin/python bench/ingest.py [--articles FILE] [--limit N] [--quick] [--out FILE]
"""

from __future__ import annotations

import argparse
import json
import logging
import os
import random
import shutil
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

from langchain_core.documents import Document  # noqa: E402

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
from vectorstore import (  # noqa: E402
    Article,
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
from vectorstore.embeddings import model_path, resolve_precision  # noqa: E402
from vectorstore.settings import Precision  # noqa: E402

logger = logging.getLogger("bench.ingest")

DEFAULT_ARTICLES = SHARED_DIR / "bench/realtimeqa/articles.jsonl"
DEFAULT_OUT = PROJECT_ROOT / "bench/results/ingest.json"
SWEEP_BATCH_SIZES = (8, 16, 32, 64)
EDITS = 10
EDIT_NOTE = "Update: this article was revised after publication."
TUTORIAL_CHUNK_SIZE, TUTORIAL_CHUNK_OVERLAP = 1000, 200
FEED_FIELDS = ("id", "title", "source", "url", "published_at")
PRECISIONS: tuple[Precision, ...] = ("float32", "bfloat16")


@dataclass
class Ingest:
    """One full ingest of the articles, measured."""

    pipeline: str
    precision: str
    articles: int
    chunks: int
    seconds: float
    wall_seconds: float
    peak_rss_mb: float
    articles_per_s: float = 0.0
    chunks_per_s: float = 0.0
    report: RefreshReport | None = None

    def __post_init__(self) -> None:
        self.articles_per_s = rate(self.articles, self.seconds)
        self.chunks_per_s = rate(self.chunks, self.seconds)


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
    """`SentenceTransformer.encode` alone on the refresh's own passages."""

    precision: str
    batch_size: int
    chunks: int
    seconds: float
    chunks_per_s: float
    model_load_seconds: float
    same_chunks_as_ingest: bool
    max_seq_length: int
    chunks_over_max_seq: int
    longest_chunk_tokens: int


@dataclass
class SampleEncode:
    """Batch-size sweep and precision agreement on a sample of passages."""

    sample_chunks: int
    batch_sizes: list[int]
    chunks_per_s: dict[str, dict[int, float]]
    cosine_batch_size: int
    cosine_min: float
    cosine_mean: float


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
    raw: RawEncode
    sample: SampleEncode
    no_change: Rerun
    edit: Rerun
    ratios: dict[str, float]
    targets: list[Target]
    load_average_end: list[float]


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
        "embed_batch_size": settings.embed_batch_size,
        "chunk_tokens": settings.chunk_tokens,
        "chunk_overlap_tokens": settings.chunk_overlap_tokens,
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
    return Ingest(
        pipeline="refresh",
        precision=resolve_precision(settings.embedding_precision),
        articles=articles,
        chunks=report.chunks_added,
        seconds=report.seconds,
        wall_seconds=wall,
        peak_rss_mb=rss,
        report=report,
    )


def _rerun(settings: StoreSettings, full: Ingest) -> Rerun:
    """Refresh an indexed store again through the CLI (cold: imports and model load included)."""
    report, wall, rss = _cli_refresh(settings)
    percent = round(100 * report.seconds / full.seconds, 2) if full.seconds else 0.0
    return Rerun(report.seconds, wall, rss, percent, report)


# --- the tutorial pipeline, as a child process -------------------------------------------------


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
    embeddings = HuggingFaceEmbeddings(model_name=str(model_path()))
    client = chromadb.PersistentClient(
        path=str(chroma_dir), settings=ChromaSettings(anonymized_telemetry=False)
    )
    Chroma.from_documents(splits, embeddings, client=client, collection_name="tutorial")
    seconds = time.perf_counter() - started
    print(json.dumps({"seconds": round(seconds, 3), "chunks": len(splits)}))
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
        articles=articles,
        chunks=figures["chunks"],
        seconds=figures["seconds"],
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


def _raw_encode(
    settings: StoreSettings, embeddings: NewsEmbeddings, load_seconds: float
) -> tuple[RawEncode, list[str]]:
    """Encode the passages the default ingest stored, at its precision and batch size."""
    collection = chroma_client(settings).get_collection(settings.collection)
    stored = set(collection.get(include=[])["ids"])
    texts = [doc.page_content for doc in _passages(settings, embeddings) if chunk_id(doc) in stored]
    if not texts:
        raise BenchError("the default ingest stored no passages")
    lengths = [len(encoding.ids) for encoding in embeddings.tokenizer.encode_batch(texts)]
    max_seq = embeddings.model.max_seq_length or max(lengths)  # None: the model reads all
    seconds, _ = _encode(embeddings.model, texts, settings.embed_batch_size)
    raw = RawEncode(
        precision=embeddings.precision,
        batch_size=settings.embed_batch_size,
        chunks=len(texts),
        seconds=round(seconds, 3),
        chunks_per_s=rate(len(texts), seconds),
        model_load_seconds=round(load_seconds, 3),
        same_chunks_as_ingest=len(texts) == len(stored),
        max_seq_length=max_seq,
        chunks_over_max_seq=sum(length > max_seq for length in lengths),
        longest_chunk_tokens=max(lengths),
    )
    return raw, texts


def _sample_encode(
    texts: list[str],
    default: NewsEmbeddings,
    batch_size: int,
    sweep: tuple[int, ...],
    sample_size: int,
) -> SampleEncode:
    """Encode a seeded sample at both precisions and each batch size; compare the vectors."""
    import torch

    sample = random.Random(0).sample(texts, min(sample_size, len(texts)))
    models = {default.precision: default.model}
    for other in PRECISIONS:
        if other not in models:
            models[other] = load_embeddings(other, batch_size).model
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
        sample_chunks=len(sample),
        batch_sizes=sorted(set(sweep) | {batch_size}),
        chunks_per_s=speeds,
        cosine_batch_size=batch_size,
        cosine_min=round(float(cosine.min()), 5),
        cosine_mean=round(float(cosine.mean()), 5),
    )


# --- the run -----------------------------------------------------------------------------------


def _ratios(ingest: dict[str, Ingest], raw: RawEncode) -> dict[str, float]:
    default = ingest["default"]
    return {
        "default_vs_tutorial": rate(default.articles_per_s, ingest["tutorial"].articles_per_s),
        **(
            {"default_vs_float32": rate(default.articles_per_s, ingest["float32"].articles_per_s)}
            if "float32" in ingest
            else {}
        ),
        "ingest_vs_raw": rate(default.chunks_per_s, raw.chunks_per_s),
    }


def _targets(ratios: dict[str, float], no_change: Rerun, edit: Rerun) -> list[Target]:
    edits = len(edit.edited_ids)
    return [
        check(
            "default_vs_tutorial",
            "default ingest ÷ tutorial pipeline, articles/s",
            ratios["default_vs_tutorial"],
            ">=",
            2.5,
        ),
        check(
            "ingest_vs_raw",
            "default ingest ÷ raw encode, chunks/s",
            ratios["ingest_vs_raw"],
            ">=",
            0.9,
        ),
        check(
            "no_change_percent",
            "no-change refresh (CLI), % of full ingest",
            no_change.percent_of_full,
            "<=",
            5.0,
        ),
        check(
            "no_change_embeds_nothing",
            "no-change refresh, chunks embedded",
            no_change.report.chunks_added,
            "==",
            0,
        ),
        check(
            "edit_percent",
            f"edit {edits} articles (CLI), % of full ingest",
            edit.percent_of_full,
            "<=",
            5.0,
        ),
        check("edit_updated", "edit refresh, articles updated", edit.report.updated, "==", edits),
    ]


def _config(
    settings: StoreSettings, articles_file: Path, limit: int | None, quick: bool
) -> dict[str, Any]:
    return {
        "articles_file": str(articles_file),
        "limit": limit,
        "quick": quick,
        "embedding_precision": settings.embedding_precision,
        "resolved_precision": resolve_precision(settings.embedding_precision),
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


def run(
    articles_file: Path,
    limit: int | None,
    quick: bool,
    sample_size: int,
    keep: Path | None = None,
    float32_ingest: bool = True,
) -> Result:
    """Measure every step in fresh temp data dirs; return the figures.

    With `keep`, the articles and the default, float32 and tutorial stores are
    moved there at the end (e.g. to evaluate answers on the float32 store).

    Child processes come first, while this process is small (see `run_child`).
    """
    started_at, host = now(), machine()
    with tempfile.TemporaryDirectory(prefix="newsdesk-bench-") as tmp:
        work = Path(tmp)
        feed = work / "articles" / "articles.jsonl"
        articles, characters = _copy_feed(articles_file, feed, limit)
        settings = StoreSettings(
            articles_dir=feed.parent,
            data_dir=work / "default",
            embedding_precision="auto",
            chroma_url="",
        )
        logger.info("%d articles (%d characters) in %s", articles, characters, feed)

        logger.info("[1/7] default ingest (%s)", resolve_precision(settings.embedding_precision))
        ingest = {"default": _ingest(settings, articles)}
        if float32_ingest:
            logger.info("[2/7] ingest at float32")
            float32 = settings.model_copy(
                update={"data_dir": work / "float32", "embedding_precision": "float32"}
            )
            ingest["float32"] = _ingest(float32, articles)
        logger.info("[3/7] tutorial pipeline")
        ingest["tutorial"] = _tutorial(feed, work / "tutorial", articles)
        logger.info("[4/7] refresh with nothing changed")
        no_change = _rerun(settings, ingest["default"])
        logger.info("[5/7] refresh after editing %d articles (in a copy)", min(EDITS, articles))
        edited_settings, edited = _edited_copy(settings, work / "edited", feed.name)
        edit = _rerun(edited_settings, ingest["default"])
        edit.edited_ids = edited

        logger.info("[6/7] in this process: refresh with nothing changed, raw encode")
        loading = time.perf_counter()
        embeddings = load_embeddings(settings.embedding_precision, settings.embed_batch_size)
        load_seconds = time.perf_counter() - loading
        warm = refresh(settings, embeddings=embeddings)
        no_change.warm_seconds, no_change.warm_report = warm.seconds, warm
        raw, texts = _raw_encode(settings, embeddings, load_seconds)
        sweep = (settings.embed_batch_size,) if quick else SWEEP_BATCH_SIZES
        logger.info("[7/7] batch sizes %s and precision agreement on a sample", list(sweep))
        sample = _sample_encode(texts, embeddings, settings.embed_batch_size, sweep, sample_size)
        if keep is not None:
            keep.mkdir(parents=True, exist_ok=True)
            for name in ("articles", "default", "float32", "tutorial"):
                shutil.rmtree(keep / name, ignore_errors=True)
                if not (work / name).exists():
                    continue
                shutil.move(work / name, keep / name)

    full = ingest["default"].report
    assert full is not None  # a refresh always reports
    ratios = _ratios(ingest, raw)
    return Result(
        benchmark="ingest",
        started_at=started_at,
        finished_at=now(),
        config=_config(settings, articles_file, limit, quick),
        machine=host,
        corpus={
            "articles": articles,
            "characters": characters,
            "chunks": full.chunks_total,
            "duplicates": full.duplicates,
            "failed": len(full.failed),
        },
        ingest=ingest,
        raw=raw,
        sample=sample,
        no_change=no_change,
        edit=edit,
        ratios=ratios,
        targets=_targets(ratios, no_change, edit),
        load_average_end=[round(x, 2) for x in os.getloadavg()],
    )


# --- the table ---------------------------------------------------------------------------------


def _table(result: Result) -> str:
    """The figures side by side, for people."""
    m, c = result.machine, result.corpus
    lines = [
        f"Ingest benchmark: {c['articles']} articles, {c['chunks']} passages "
        f"({c['duplicates']} duplicates left out)",
        f"Machine: {m.usable_cpus} CPUs ({m.cpu_model}), torch {m.packages['torch']}, "
        f"avx512_bf16={m.avx512_bf16}, amx_bf16={m.amx_bf16}, "
        f"load {m.load_average} -> {result.load_average_end}",
        "",
        f"{'pipeline':<30}{'precision':>10}{'seconds':>10}{'articles/s':>12}"
        f"{'chunks/s':>10}{'chunks':>8}{'peak RSS MB':>13}",
    ]
    names = {
        "default": "refresh (default)",
        "float32": "refresh",
        "tutorial": "tutorial 1000/200 chars",
    }
    for key, run_ in result.ingest.items():
        lines.append(
            f"{names[key]:<30}{run_.precision:>10}{run_.seconds:>10.1f}{run_.articles_per_s:>12.2f}"
            f"{run_.chunks_per_s:>10.2f}{run_.chunks:>8}{run_.peak_rss_mb:>13.0f}"
        )
    raw = result.raw
    lines.append(
        f"{'raw encode (ceiling)':<30}{raw.precision:>10}{raw.seconds:>10.1f}{'':>12}"
        f"{raw.chunks_per_s:>10.2f}{raw.chunks:>8}{'':>13}"
    )
    for label, rerun in (("no-change refresh", result.no_change), ("edit refresh", result.edit)):
        lines.append(
            f"{label:<30}{'':>10}{rerun.seconds:>10.1f}{'':>12}{'':>10}"
            f"{rerun.report.chunks_added:>8}{rerun.peak_rss_mb:>13.0f}"
        )
    lines.append(
        f"  no-change in-process (model loaded): {result.no_change.warm_seconds:.1f} s; "
        f"model load {raw.model_load_seconds:.1f} s; "
        f"{raw.chunks_over_max_seq} passages over {raw.max_seq_length} tokens"
    )
    sample = result.sample
    lines += ["", f"raw encode of {sample.sample_chunks} sampled passages, chunks/s"]
    lines.append(f"{'batch':>8}" + "".join(f"{p:>12}" for p in sample.chunks_per_s))
    for size in sample.batch_sizes:
        lines.append(
            f"{size:>8}" + "".join(f"{s[size]:>12.2f}" for s in sample.chunks_per_s.values())
        )
    lines.append(
        f"cosine float32 vs bfloat16 (batch {sample.cosine_batch_size}): "
        f"min {sample.cosine_min:.4f}, mean {sample.cosine_mean:.4f}"
    )
    lines += ["", "targets"]
    for target in result.targets:
        verdict = "PASS" if target.passed else "FAIL"
        lines.append(
            f"  {target.description:<48}{target.value:>10.2f} {target.op} "
            f"{target.threshold:<6g}{verdict}"
        )
    return "\n".join(lines)


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--articles", type=Path, default=DEFAULT_ARTICLES, help="JSON Lines feed")
    parser.add_argument("--limit", type=int, help="only the first N articles (quick runs)")
    parser.add_argument("--out", type=Path, default=DEFAULT_OUT, help="where to write the JSON")
    parser.add_argument(
        "--quick", action="store_true", help="skip the batch-size sweep (default batch size only)"
    )
    parser.add_argument(
        "--sample", type=int, default=600, help="passages for the sweep and the cosine check"
    )
    parser.add_argument(
        "--no-float32",
        action="store_true",
        help="skip the float32 ingest (the sample still compares the precisions)",
    )
    parser.add_argument(
        "--keep", type=Path, help="move the articles and the stores to this folder at the end"
    )
    parser.add_argument("--tutorial-worker", type=Path, help=argparse.SUPPRESS)
    return parser


def main(argv: list[str] | None = None) -> int:
    """Run the benchmark, print the table, write the JSON; return the exit status."""
    parser = _parser()
    args = parser.parse_args(argv)
    if (args.limit is not None and args.limit < 1) or args.sample < 2:
        parser.error("--limit must be at least 1 and --sample at least 2")
    if args.tutorial_worker:
        return _tutorial_worker(args.articles, args.tutorial_worker)
    logging.basicConfig(level=logging.WARNING, format="%(asctime)s %(message)s")
    logger.setLevel(logging.INFO)
    try:
        result = run(
            args.articles.resolve(),
            args.limit,
            args.quick,
            args.sample,
            args.keep,
            float32_ingest=not args.no_float32,
        )
    except BenchError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    write_json(args.out, asdict(result))
    print(_table(result))
    print(f"\nwritten to {args.out}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
