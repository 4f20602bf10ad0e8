"""How fast the BM25 index answers at 100k passages: ours beside a plain SQLite FTS5 one.

    .venv/bin/python bench/lexical.py [--passages 100000] [--out bench/results/lexical.json]

Passages are real news text: the RealTime QA articles (read from ../shared, never
copied), cut by the project's own splitter, repeated with new ids until the count is
reached. Queries are the quiz questions. Both indexes answer the same queries for the
same top 30; p50/p95 latency in ms are printed and written to JSON.
"""

from __future__ import annotations

import argparse
import json
import re
import sqlite3
import statistics
import tempfile
import time
from pathlib import Path

from langchain_core.documents import Document

from vectorstore import load_tokenizer, make_splitter
from vectorstore.lexical import LexicalIndex
from vectorstore.parsing.jsonl import parse_record

ROOT = Path(__file__).resolve().parents[1]
DATA = ROOT.parent / "shared" / "bench" / "realtimeqa"


def passages(articles: Path, count: int) -> list[tuple[str, str]]:
    """`count` (headline, passage) pairs of real news text, cut as the refresh cuts them."""
    splitter = make_splitter(load_tokenizer(), 200, 24)
    texts: list[tuple[str, str]] = []
    with articles.open() as feed:
        for number, line in enumerate(feed):
            article = parse_record(json.loads(line), f"articles.jsonl:{number}")
            texts.extend(
                (article.title, f"{article.title}\n\n{p}")
                for p in splitter.split_text(article.text)
            )
            if len(texts) >= count:
                break
    base = len(texts)
    while len(texts) < count:
        texts.append(texts[len(texts) % base])
    return texts[:count]


def _latencies(search, queries: list[str]) -> list[float]:
    timings = []
    for query in queries:
        started = time.perf_counter()
        search(query)
        timings.append((time.perf_counter() - started) * 1000)
    return timings


def _summary(timings: list[float]) -> dict[str, float]:
    ordered = sorted(timings)
    return {
        "p50_ms": round(statistics.median(ordered), 2),
        "p95_ms": round(ordered[int(0.95 * (len(ordered) - 1))], 2),
        "max_ms": round(ordered[-1], 2),
    }


_STOP = frozenset(
    "a an and are as at be by did do does for from has have how in is it of on or "
    "the this to was were what when where which who why will with".split()
)


def _fts5(path: Path, texts: list[str]) -> sqlite3.Connection:
    """The baseline: SQLite FTS5 with its built-in bm25() ranking (Newsdesk's first design)."""
    db = sqlite3.connect(str(path))
    db.execute("CREATE VIRTUAL TABLE p USING fts5(text, tokenize='porter unicode61')")
    db.executemany("INSERT INTO p(text) VALUES (?)", [(t,) for t in texts])
    db.commit()
    return db


def _fts5_search(db: sqlite3.Connection, query: str, k: int) -> list[tuple[int, float]]:
    terms = [t for t in re.findall(r"\w+", query.lower()) if t not in _STOP]
    if not terms:
        return []
    match = " OR ".join(f'"{t}"' for t in dict.fromkeys(terms))
    sql = "SELECT rowid, bm25(p) FROM p WHERE p MATCH ? ORDER BY bm25(p) LIMIT ?"
    return db.execute(sql, (match, k)).fetchall()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--passages", type=int, default=100_000)
    parser.add_argument("--queries", type=int, default=300)
    parser.add_argument("--articles", type=Path, default=DATA / "articles.jsonl")
    parser.add_argument("--questions", type=Path, default=DATA / "questions.jsonl")
    parser.add_argument("--out", type=Path, default=ROOT / "bench" / "results" / "lexical.json")
    args = parser.parse_args()

    texts = passages(args.articles, args.passages)
    with args.questions.open() as handle:
        queries = [json.loads(line)["question"] for line in handle][: args.queries]

    results: dict[str, object] = {"passages": len(texts), "queries": len(queries)}
    with tempfile.TemporaryDirectory() as folder:
        index = LexicalIndex(Path(folder) / "lexical.sqlite")
        started = time.perf_counter()
        for start in range(0, len(texts), 5000):
            batch = texts[start : start + 5000]
            ids = [f"p{start + i}::0::x" for i in range(len(batch))]
            # Each passage its own article: the headline index at its largest (one per passage).
            docs = [
                Document(page_content=text, metadata={"article_id": i, "title": title})
                for i, (title, text) in zip(ids, batch, strict=True)
            ]
            index.upsert(ids, docs)
        index.prepare()
        results["ours_build_s"] = round(time.perf_counter() - started, 1)
        started = time.perf_counter()
        LexicalIndex(Path(folder) / "lexical.sqlite").prepare()  # a reader loading the snapshot
        results["ours_load_s"] = round(time.perf_counter() - started, 2)
        _latencies(lambda q: index.search(q, 30), queries[:20])
        results["ours"] = _summary(_latencies(lambda q: index.search(q, 30), queries))
        # What a question costs the retriever: the passages and the headlines.
        both = lambda q: (index.search(q, 50), index.search_headlines(q, 50))  # noqa: E731
        _latencies(both, queries[:20])
        results["ours_with_headlines"] = _summary(_latencies(both, queries))

        started = time.perf_counter()
        fts = _fts5(Path(folder) / "fts5.sqlite", [text for _, text in texts])
        results["fts5_build_s"] = round(time.perf_counter() - started, 1)
        _latencies(lambda q: _fts5_search(fts, q, 30), queries[:20])
        results["fts5"] = _summary(_latencies(lambda q: _fts5_search(fts, q, 30), queries))
        fts.close()

    results["target_p95_under_50ms"] = results["ours_with_headlines"]["p95_ms"] < 50  # type: ignore[index]
    print(f"{'index':20} {'p50 ms':>8} {'p95 ms':>8} {'max ms':>8}  ({len(texts):,} passages)")
    for name in ("ours", "ours_with_headlines", "fts5"):
        row = results[name]
        assert isinstance(row, dict)
        print(f"{name:20} {row['p50_ms']:8.2f} {row['p95_ms']:8.2f} {row['max_ms']:8.2f}")
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(json.dumps(results, indent=2))
    print(f"written to {args.out}")


if __name__ == "__main__":
    main()
