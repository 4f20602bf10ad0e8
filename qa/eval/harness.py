"""Run the benchmark: build each pipeline's index, ask every question, aggregate the metrics.

The harness prints nothing: progress goes through a `BarFactory` (the CLI passes
tqdm), results come back as an `EvalReport`.
"""

from __future__ import annotations

import hashlib
import json
import time
from collections.abc import Callable
from datetime import date, timedelta
from enum import StrEnum
from pathlib import Path
from typing import Protocol

from pydantic import BaseModel, Field

from qa.eval import metrics
from qa.eval.choices import ChoiceScorer
from qa.eval.dataset import Corpus, EvalQuestion, Split, load_questions, prepare_corpus
from qa.eval.naive import NaivePipeline
from qa.eval.pipeline import IndexStats, NewsdeskPipeline, Pipeline
from qa.eval.provenance import collect_provenance
from qa.eval.results import (
    ANSWER_CHARS,
    EvalReport,
    PipelineResult,
    QuestionRow,
    aggregate,
    answer_digest,
)
from qa.settings import AnswererKind, AnswerSettings
from vectorstore import StoreSettings, embeddings_for
from vectorstore.settings import PROJECT_ROOT

DEFAULT_ROOT = PROJECT_ROOT / ".newsdesk-eval"
RESULTS_DIR = PROJECT_ROOT / "docs" / "results"  # the committed runs behind published figures
RETRIEVE_K = 10
# Each question is asked again this many days before its date, when the story had not
# broken: the coverage should not answer it then (see `QuestionRow.early_answered`).
EARLY_DAYS = 31


class PipelineChoice(StrEnum):
    """Which system(s) to evaluate."""

    NEWSDESK = "newsdesk"
    NAIVE = "naive"
    BOTH = "both"

    def names(self, answerers: AnswererChoice | None = None) -> list[str]:
        """The pipelines this choice runs, in display order: Newsdesk once per answerer."""
        newsdesk = (answerers or AnswererChoice.EXTRACTIVE).pipelines()
        if self is PipelineChoice.NAIVE:
            return ["naive"]
        return [*newsdesk, "naive"] if self is PipelineChoice.BOTH else newsdesk


class AnswererChoice(StrEnum):
    """Which answerer(s) Newsdesk runs with, on the same index."""

    EXTRACTIVE = "extractive"
    LLM = "llm"  # the model NEWSDESK_LLM_* name (default: SmolLM2-135M in process)
    BOTH = "both"

    def pipelines(self) -> list[str]:
        """The Newsdesk pipelines' names: `newsdesk` (extractive), `newsdesk-llm`."""
        return {
            AnswererChoice.EXTRACTIVE: ["newsdesk"],
            AnswererChoice.LLM: ["newsdesk-llm"],
            AnswererChoice.BOTH: ["newsdesk", "newsdesk-llm"],
        }[self]


class Bar(Protocol):
    """The part of a tqdm bar the harness uses."""

    def update(self, n: float | None = 1) -> bool | None:
        """Advance by `n`."""
        ...

    def close(self) -> None:
        """Finish the bar."""
        ...


BarFactory = Callable[[str, int], Bar]


class _NoBar:
    def update(self, n: float | None = 1) -> bool | None:
        return None

    def close(self) -> None:
        return None


class EvalConfig(BaseModel):
    """One run's inputs (the CLI's options)."""

    articles: Path
    questions: Path
    split: Split = Split.DEV
    pipeline: PipelineChoice = PipelineChoice.NEWSDESK
    answerer: AnswererChoice = AnswererChoice.EXTRACTIVE
    limit_articles: int | None = Field(None, ge=1)
    limit_questions: int | None = Field(None, ge=1)
    data_dir: Path | None = None
    without_gold: bool = Field(
        False,
        description="Ask the questions whose gold article is not in the corpus instead: "
        "a second check of the answers, with no retrieval figures.",
    )
    texts: bool = Field(
        True,
        description="Dev rows keep the question, gold answer, answer and choice texts; off "
        "for files committed to the repository (the quiz data is never copied there).",
    )


def data_root(config: EvalConfig, settings: StoreSettings) -> Path:
    """`--data-dir`, or `.newsdesk-eval/<hash of the corpus selection and index settings>`."""
    if config.data_dir is not None:
        return config.data_dir
    key = {
        "articles": str(config.articles.resolve()),
        "limit_articles": config.limit_articles,
        "chunk_tokens": settings.chunk_tokens,
        "chunk_overlap_tokens": settings.chunk_overlap_tokens,
        "precision": settings.embedding_precision,
    }
    if config.limit_articles is not None:  # the kept gold articles depend on the questions
        key |= {
            "questions": str(config.questions.resolve()),
            "split": config.split.value,
            "limit_questions": config.limit_questions,
            "without_gold": config.without_gold,
        }
    digest = hashlib.sha256(json.dumps(key, sort_keys=True).encode()).hexdigest()[:12]
    return DEFAULT_ROOT / digest


def evaluate(config: EvalConfig, bar: BarFactory | None = None) -> EvalReport:
    """Index the corpus for each pipeline, then ask every selected question.

    Args:
        config: Files, split, pipelines and limits.
        bar: Makes a progress bar from a label and a total (e.g. tqdm); none by default.

    Returns:
        The `EvalReport`: its provenance, every pipeline's metrics and, for a dev run
        only, the per-question rows (a test or all-split report keeps aggregates only).

    Example:
        >>> report = evaluate(EvalConfig(articles=Path("a.jsonl"), questions=Path("q.jsonl")))
        >>> report.results["newsdesk"].metrics.hit_at_4
    """
    make_bar: BarFactory = bar or (lambda label, total: _NoBar())
    settings = StoreSettings()
    answering = AnswerSettings()
    questions = load_questions(
        config.questions, config.split, config.limit_questions, with_gold=not config.without_gold
    )
    if not questions:
        kind = "without" if config.without_gold else "with"
        raise ValueError(
            f"No {config.split.value} question {kind} a gold article in {config.questions}"
        )
    root = data_root(config, settings)
    _ignore_in_git(root)
    corpus = prepare_corpus(config.articles, root / "corpus", questions, config.limit_articles)
    # Read before the (long) indexing: the code and settings the run starts with.
    provenance = collect_provenance(
        store=NewsdeskPipeline.settings_for(corpus, root / "newsdesk", settings),
        answering=answering,
        articles=corpus.articles,
        questions=len(questions),
        data_dirs=(root, DEFAULT_ROOT, settings.data_dir, RESULTS_DIR),
    )
    pipelines = [
        _build(name, corpus, root, settings, answering, make_bar)
        for name in config.pipeline.names(config.answerer)
    ]
    keep_rows = config.split is Split.DEV  # test and all: aggregates only
    results = {}
    for pipeline, stats in pipelines:
        results[pipeline.name] = _run(
            pipeline, stats, questions, corpus, make_bar, keep_rows, keep_rows and config.texts
        )
    return EvalReport(
        split=config.split,
        provenance=provenance,
        articles_file=str(config.articles),
        questions_file=str(config.questions),
        articles=corpus.articles,
        questions=len(questions),
        without_gold=config.without_gold,
        limit_articles=config.limit_articles,
        limit_questions=config.limit_questions,
        gold_aliases=len(corpus.aliases),
        data_dir=str(root),
        results=results,
    )


def _build(
    name: str,
    corpus: Corpus,
    root: Path,
    settings: StoreSettings,
    answering: AnswerSettings,
    make_bar: BarFactory,
) -> tuple[Pipeline, IndexStats]:
    progress = make_bar(f"indexing ({name})", corpus.articles)

    def tick(articles: int) -> None:
        progress.update(articles)

    try:
        if name == "naive":
            embeddings = embeddings_for(settings)
            return NaivePipeline.build(corpus, root / "naive", embeddings, tick)
        if name == "newsdesk-llm":  # the same index, written answers
            answering = answering.model_copy(update={"answerer": AnswererKind.LLM})
        pipeline, stats = NewsdeskPipeline.build(
            corpus, root / "newsdesk", tick, base=settings, answering=answering
        )
        pipeline.name = name
        return pipeline, stats
    finally:
        progress.close()


def _run(
    pipeline: Pipeline,
    stats: IndexStats,
    questions: list[EvalQuestion],
    corpus: Corpus,
    make_bar: BarFactory,
    keep_rows: bool,
    texts: bool,
) -> PipelineResult:
    """Ask every question; keep the per-question rows only if `keep_rows`, their texts
    only if `texts`."""
    started = time.perf_counter()
    scorer = ChoiceScorer(pipeline.embeddings)
    pipeline.answer(questions[0].question, questions[0].question_date)  # warm-up, not timed
    rows = []
    progress = make_bar(f"questions ({pipeline.name})", len(questions))
    try:
        for question in questions:
            rows.append(_one(pipeline, scorer, question, corpus.gold_for(question), texts))
            progress.update(1)
    finally:
        progress.close()
    return PipelineResult(
        name=pipeline.name,
        metrics=aggregate(rows),
        index=stats,
        seconds=round(time.perf_counter() - started, 3),
        rows=rows if keep_rows else [],
    )


def _one(
    pipeline: Pipeline,
    scorer: ChoiceScorer,
    question: EvalQuestion,
    gold: set[str],
    with_texts: bool,
) -> QuestionRow:
    as_of = question.question_date
    timer = time.perf_counter()
    answer = pipeline.answer(question.question, as_of)
    latency = (time.perf_counter() - timer) * 1000
    passages = pipeline.retrieve(question.question, as_of, RETRIEVE_K)
    rank = metrics.hit_rank(passages, gold, RETRIEVE_K)
    early = pipeline.answer(question.question, _days_before(as_of, EARLY_DAYS))
    pick = (
        scorer.pick(question.question, question.choices, answer, passages)
        if question.choices
        else None
    )
    row = QuestionRow(
        id=question.id,
        has_gold_article=question.has_gold_article,
        hit_rank=rank,
        answer_in_top4=metrics.answer_in_passages(passages, question.answer, 4),
        answered=answer.answered,
        short_answer_strict=metrics.short_answer_strict(answer, question.answer, gold),
        short_answer_lenient=metrics.short_answer_lenient(answer, question.answer, gold),
        answer_has_gold=answer.answered
        and metrics.contains(metrics.short_answer_text(answer), question.answer),
        asked_fact_strict=bool(question.answer)
        and metrics.asked_fact_strict(answer, question.answer),
        short_exact=metrics.short_span_exact(answer, question.answer),
        short_f1=metrics.short_span_f1(answer, question.answer),
        choice_correct=None if pick is None else pick.index == question.answer_index[0],
        expect=question.expect,
        kind=question.kind,
        early_answered=early.answered,
        early_has_gold=early.answered
        and metrics.contains(metrics.short_answer_text(early), question.answer),
        latency_ms=round(latency, 1),
        written_sentences=answer.written.sentences if answer.written else None,
        kept_sentences=answer.written.kept if answer.written else None,
        tokens=answer.written.tokens if answer.written else None,
        generation_seconds=(
            answer.written.seconds - answer.written.first_token_seconds if answer.written else None
        ),
        fell_back=answer.notice is not None,
        answer_digest=answer_digest(answer.text),
        cited=[c.article_id for c in answer.citations],
        gold_articles=sorted(question.gold_articles),
    )
    if with_texts:
        row = row.model_copy(
            update={
                "question": question.question,
                "gold_answer": question.answer,
                "answer": answer.text[:ANSWER_CHARS],
                "short": answer.short,
                "chosen": None if pick is None else question.choices[pick.index],
            }
        )
    return row


def _days_before(day: str, days: int) -> str:
    """The ISO date `days` before `day` (an ISO date or timestamp)."""
    return (date.fromisoformat(day[:10]) - timedelta(days=days)).isoformat()


def _ignore_in_git(root: Path) -> None:
    """Keep the default `.newsdesk-eval/` out of git without touching `.gitignore`."""
    root.mkdir(parents=True, exist_ok=True)
    if root.parent == DEFAULT_ROOT and not (DEFAULT_ROOT / ".gitignore").exists():
        (DEFAULT_ROOT / ".gitignore").write_text("*\n")
