"""What runs the model, torch or onnxruntime: time per call for a question, an answer's
sentences and indexing passages, both at float32, asked in turn; and how far apart
their vectors are.

    .venv/bin/python bench/runtimes.py [--queries 200] [--batches 100] [--passages 320]
                                       [--out bench/results/runtimes.json]

Inputs are real news text: RealTime QA quiz questions; batches of 8 sentences, like
the answerer's shortlist, and passages cut by the project's splitter, from the
articles (read from ../shared, never copied). Each input goes to both runtimes, one
after the other (which goes first alternates), so a busy spell of the machine falls
on both; p50/p95 ms per call are printed and written to JSON with the machine facts.
"""

from __future__ import annotations

import argparse
import json
import math
import os
import random
import statistics
import sys
import time
from collections.abc import Callable
from dataclasses import asdict
from pathlib import Path

import numpy as np

if __package__ in (None, ""):  # run as `python bench/runtimes.py`: make `bench` importable
    sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

os.environ["HF_HUB_OFFLINE"] = "1"  # the bench never downloads

from bench._common import PROJECT_ROOT, SHARED_DIR, machine, now, rate, write_json  # noqa: E402
from vectorstore import NewsEmbeddings, load_tokenizer, make_splitter  # noqa: E402
from vectorstore.parsing.jsonl import parse_record  # noqa: E402
from vectorstore.sentences import split_sentences  # noqa: E402

DATA_DIR = SHARED_DIR / "bench" / "realtimeqa"
SENTENCES_PER_ANSWER = 8
RUNTIMES = ("torch", "onnx")


def _inputs(
    articles: Path, questions: Path, counts: argparse.Namespace
) -> tuple[list[str], list[list[str]], list[list[str]]]:
    """Questions, 8-sentence batches and 16-passage batches of real news text."""
    with questions.open() as handle:
        asked = [json.loads(line)["question"] for line in handle][: counts.queries]
    splitter = make_splitter(load_tokenizer(), 200, 24)
    sentences: list[str] = []
    passages: list[str] = []
    with articles.open() as feed:
        for number, line in enumerate(feed):
            article = parse_record(json.loads(line), f"articles.jsonl:{number}")
            for passage in splitter.split_text(article.text):
                passages.append(f"{article.title}\n\n{passage}")
                sentences.extend(s.text for s in split_sentences(passage) if len(s.text) > 30)
            if len(passages) >= counts.passages and len(sentences) >= 4 * counts.batches:
                break
    chooser = random.Random(0)
    answers = [chooser.sample(sentences, SENTENCES_PER_ANSWER) for _ in range(counts.batches)]
    batches = [passages[i : i + 16] for i in range(0, counts.passages, 16)]
    return asked, answers, batches


def _in_turn(
    encoders: dict[str, Callable[[list[str]], list[list[float]]]], inputs: list[list[str]]
) -> tuple[dict[str, list[float]], list[float]]:
    """Milliseconds per call for each runtime, and the cosine of their vectors per text."""
    timings: dict[str, list[float]] = {name: [] for name in encoders}
    cosines: list[float] = []
    for number, texts in enumerate(inputs):
        order = RUNTIMES if number % 2 == 0 else RUNTIMES[::-1]
        vectors = {}
        for name in order:
            started = time.perf_counter()
            vectors[name] = np.array(encoders[name](texts))
            timings[name].append((time.perf_counter() - started) * 1000)
        cosines.extend((vectors["torch"] * vectors["onnx"]).sum(axis=1).tolist())
    return timings, cosines


def _summary(timings: list[float]) -> dict[str, float]:
    ordered = sorted(timings)
    return {
        "p50_ms": round(statistics.median(ordered), 2),
        "p95_ms": round(ordered[math.ceil(0.95 * len(ordered)) - 1], 2),  # nearest rank
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--queries", type=int, default=200)
    parser.add_argument("--batches", type=int, default=100, help="batches of 8 sentences")
    parser.add_argument("--passages", type=int, default=320, help="passages, in batches of 16")
    parser.add_argument("--articles", type=Path, default=DATA_DIR / "articles.jsonl")
    parser.add_argument("--questions", type=Path, default=DATA_DIR / "questions.jsonl")
    parser.add_argument(
        "--out", type=Path, default=PROJECT_ROOT / "bench" / "results" / "runtimes.json"
    )
    args = parser.parse_args()

    asked, answers, batches = _inputs(args.articles, args.questions, args)
    models = {name: NewsEmbeddings(precision="float32", runtime=name) for name in RUNTIMES}
    # `_encode`, not `embed_query`: the question cache would time nothing.
    encoders = {name: model._encode for name, model in models.items()}
    for model in models.values():  # load (and for onnx, export once) before timing
        model._encode(answers[0])
    results: dict[str, object] = {"measured_at": now(), "machine": asdict(machine())}
    tasks = {
        "question": [[question] for question in asked],
        "answer_sentences": answers,
        "passages": batches,
    }
    cosines: list[float] = []
    print(f"{'call':18} {'runtime':8} {'calls':>6} {'p50 ms':>8} {'p95 ms':>8}")
    for task, inputs in tasks.items():
        timings, agreement = _in_turn(encoders, inputs)
        cosines.extend(agreement)
        row: dict[str, object] = {"calls": len(inputs)}
        for name in RUNTIMES:
            figures = _summary(timings[name])
            row[name] = figures
            print(
                f"{task:18} {name:8} {len(inputs):6} "
                f"{figures['p50_ms']:8.1f} {figures['p95_ms']:8.1f}"
            )
        row["onnx_speedup_p50"] = round(
            statistics.median(timings["torch"]) / statistics.median(timings["onnx"]), 2
        )
        if task == "passages":
            texts = sum(len(batch) for batch in inputs)
            for name in RUNTIMES:
                row[f"{name}_passages_per_s"] = rate(texts, sum(timings[name]) / 1000)
        results[task] = row
    results["cosine_min"] = round(min(cosines), 7)
    results["cosine_mean"] = round(statistics.fmean(cosines), 7)
    results["texts_compared"] = len(cosines)
    print(f"vectors: cosine torch vs onnx min {min(cosines):.7f} over {len(cosines)} texts")
    write_json(args.out, results)
    print(f"written to {args.out}")


if __name__ == "__main__":
    main()
