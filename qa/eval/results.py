"""Typed results of a run: per-question rows, each pipeline's metrics, the whole report."""

from __future__ import annotations

import hashlib
import json
from typing import Any

from pydantic import BaseModel, Field, model_validator

from qa.eval import metrics
from qa.eval.dataset import Expect, Split
from qa.eval.pipeline import IndexStats
from qa.eval.provenance import Provenance

ANSWER_CHARS = 300  # a dev row's answer text is cut here, to keep result files small


def answer_digest(text: str) -> str:
    """A short hash of an answer's text without its `[n]` markers: two runs' rows tell
    whether an answer changed without keeping its text.

    Example:
        >>> answer_digest("It rained [1].") == answer_digest("It rained [2].")
        True
    """
    return hashlib.sha256(metrics.strip_markers(text).encode()).hexdigest()[:16]


class QuestionRow(BaseModel):
    """One question's outcome. Only dev runs keep rows (with texts, the answer cut to
    `ANSWER_CHARS`, unless run with `--no-texts`): a test or all-split report keeps
    aggregates only."""

    id: str
    has_gold_article: bool = True
    hit_rank: int | None
    answer_in_top4: bool
    answered: bool
    short_answer_strict: bool = Field(
        description="A sentence of the first two holds the gold answer and cites a gold article."
    )
    short_answer_lenient: bool = Field(
        description="The first two sentences hold the gold answer and any citation is gold."
    )
    answer_has_gold: bool = False
    asked_fact_strict: bool = Field(
        False,
        description="A sentence of the first two gives the asked fact and cites a quote "
        "that gives it.",
    )
    short_exact: bool = Field(
        False, description="The short answer (`Answer.short`) is the gold answer (SQuAD EM)."
    )
    short_f1: float = Field(0.0, description="Its word overlap with the gold answer (SQuAD F1).")
    choice_correct: bool | None = Field(description="None for a written set: it has no choices.")
    latency_ms: float
    written_sentences: int | None = Field(None, description="LLM answerer: sentences written.")
    kept_sentences: int | None = Field(None, description="... of them, kept by the check.")
    tokens: int | None = Field(None, description="LLM answerer: tokens generated.")
    generation_seconds: float | None = Field(
        None, description="... in this many seconds after the first (the prompt read before)."
    )
    fell_back: bool = Field(False, description="The answer carries a notice: extracted instead.")
    expect: Expect = Expect.ANSWER
    kind: str = ""
    early_answered: bool = Field(
        False, description="Asked EARLY_DAYS before its date, the question was answered."
    )
    early_has_gold: bool = Field(
        False, description="... and that early answer contains the gold answer anyway."
    )
    answer_digest: str | None = Field(
        None, description="The answer text without its [n] markers, hashed: changes with it."
    )
    question: str | None = None
    gold_answer: str | None = None
    answer: str | None = None
    short: str | None = None
    cited: list[str] | None = None
    gold_articles: list[str] | None = None
    chosen: str | None = None


class Metrics(BaseModel):
    """The figures for one pipeline, over `questions` questions. Retrieval and short-answer
    accuracy need a gold article: None over questions without one (`--without-gold`)."""

    questions: int
    hit_at_4: float | None
    hit_at_10: float | None
    mrr_at_10: float | None
    answer_in_top4: float
    short_answer_strict: float | None = Field(
        description="Short answers right, the sentence holding the answer citing a gold article."
    )
    short_answer_lenient: float | None = Field(
        description="Short answers right, any citation of the answer being a gold article."
    )
    answer_has_gold: float = Field(
        description="Answered and the first two sentences contain the gold answer, whatever cited."
    )
    asked_fact_strict: float | None = Field(
        None,
        description="Of the questions the coverage answers, the share whose answer gives the "
        "asked fact in a sentence citing a quote that gives it.",
    )
    short_span_exact: float | None = Field(
        None, description="Short answers (`Answer.short`) that are the gold answer, exactly."
    )
    short_span_f1: float | None = Field(
        None, description="The mean word overlap (F1) of the short answer with the gold one."
    )
    multiple_choice_accuracy: float | None
    refusal_rate: float
    refused_answerable: float | None = Field(
        None, description="Written sets: the answerable questions refused (an error)."
    )
    refused_near_miss: float | None = Field(
        None, description="Written sets: the near misses refused (right: the fact is not covered)."
    )
    refused_absent: float | None = Field(
        None, description="Written sets: the questions on absent stories refused (right)."
    )
    early_refusal_rate: float = Field(
        0.0, description="Asked a month before the story, the share refused (the right reply)."
    )
    early_false_answer_rate: float = Field(
        0.0, description="Asked a month before the story, answered without the gold answer."
    )
    latency_p50_ms: float
    latency_p95_ms: float
    written_kept: float | None = Field(
        None, description="LLM answerer: the share of written sentences the citation check kept."
    )
    written_fallback: float | None = Field(
        None,
        description="LLM answerer: of the answers the coverage gate let through, the share "
        "given extractively instead (nothing cited survived, or the model failed).",
    )
    tokens_per_second: float | None = Field(
        None,
        description="LLM answerer: tokens generated per second, after the first token (the "
        "prompt's reading is in the latency).",
    )


class PipelineResult(BaseModel):
    """A pipeline's metrics, its index, and its per-question rows (dev runs only)."""

    name: str
    metrics: Metrics
    index: IndexStats
    seconds: float
    rows: list[QuestionRow] = Field(default_factory=list)


class EvalReport(BaseModel):
    """Everything a run measured and what it ran on (what `--json` writes).

    Only a dev report holds per-question rows: a test (or all-split) report cannot be made
    with any, so that test failures are never studied.
    """

    split: Split
    provenance: Provenance
    articles_file: str
    questions_file: str
    articles: int
    questions: int
    without_gold: bool = Field(False, description="The questions whose gold article is missing.")
    limit_articles: int | None
    limit_questions: int | None
    gold_aliases: int = Field(
        description="Articles whose text repeats another article's: indexed once, both count as gold."
    )
    data_dir: str
    results: dict[str, PipelineResult]

    @model_validator(mode="after")
    def _aggregates_only_off_dev(self) -> EvalReport:
        if self.split is not Split.DEV and any(r.rows for r in self.results.values()):
            raise ValueError(
                f"A {self.split.value}-split report keeps aggregates only: drop its rows"
            )
        return self


def aggregate(rows: list[QuestionRow]) -> Metrics:
    """The metrics over per-question rows."""
    linked = [row for row in rows if row.has_gold_article]  # its story's article is indexed
    ranks = [row.hit_rank for row in linked]
    answerable = [row for row in linked if row.expect is Expect.ANSWER]
    choices = [row.choice_correct for row in rows if row.choice_correct is not None]
    latencies = [row.latency_ms for row in rows]
    return Metrics(
        questions=len(rows),
        hit_at_4=_share([metrics.hit_at(r, 4) for r in ranks]) if ranks else None,
        hit_at_10=_share([metrics.hit_at(r, 10) for r in ranks]) if ranks else None,
        mrr_at_10=(
            round(metrics.mean([metrics.reciprocal_rank(r, 10) for r in ranks]), 4)
            if ranks
            else None
        ),
        answer_in_top4=_share([row.answer_in_top4 for row in rows]),
        short_answer_strict=(
            _share([row.short_answer_strict for row in answerable]) if answerable else None
        ),
        short_answer_lenient=(
            _share([row.short_answer_lenient for row in answerable]) if answerable else None
        ),
        answer_has_gold=_share([r.answer_has_gold for r in rows if r.expect is Expect.ANSWER]),
        asked_fact_strict=(
            _share([row.asked_fact_strict for row in answerable]) if answerable else None
        ),
        short_span_exact=(_share([row.short_exact for row in answerable]) if answerable else None),
        short_span_f1=(
            round(metrics.mean([row.short_f1 for row in answerable]), 3) if answerable else None
        ),
        multiple_choice_accuracy=_share([bool(c) for c in choices]) if choices else None,
        refusal_rate=_share([not row.answered for row in rows]),
        refused_answerable=_refused(rows, Expect.ANSWER, written=True),
        refused_near_miss=_refused(rows, Expect.NEAR_MISS),
        refused_absent=_refused(rows, Expect.ABSENT),
        early_refusal_rate=_share([not row.early_answered for row in rows]),
        early_false_answer_rate=_share(
            [row.early_answered and not row.early_has_gold for row in rows]
        ),
        latency_p50_ms=round(metrics.percentile(latencies, 50), 1),
        latency_p95_ms=round(metrics.percentile(latencies, 95), 1),
        **_written_figures(rows),
    )


def _written_figures(rows: list[QuestionRow]) -> dict[str, float | None]:
    """The LLM answerer's figures (None for an extractive run)."""
    written = [r for r in rows if r.written_sentences is not None]
    # An answer the model failed on (fell back to the extract) counts, written or not.
    gated = [r for r in rows if r.written_sentences is not None or r.fell_back]
    if not gated:
        return {}
    sentences = sum(r.written_sentences or 0 for r in written)
    seconds = sum(r.generation_seconds or 0.0 for r in written)
    return {
        "written_kept": round(sum(r.kept_sentences or 0 for r in written) / sentences, 4)
        if sentences
        else None,
        "written_fallback": _share([r.fell_back for r in gated]),
        "tokens_per_second": round(sum(r.tokens or 0 for r in written) / seconds, 1)
        if seconds
        else None,
    }


def report_json(report: EvalReport) -> str:
    """The report as JSON, indented, each per-question row on a line of its own: small
    enough to commit, and a changed row is a changed line in a diff."""
    return _dumps(report.model_dump(mode="json"), 0) + "\n"


def _dumps(value: Any, depth: int) -> str:
    pad, inner = "  " * depth, "  " * (depth + 1)
    if isinstance(value, dict) and value:
        items = [f"{inner}{json.dumps(k)}: {_dumps(v, depth + 1)}" for k, v in value.items()]
        return "{\n" + ",\n".join(items) + "\n" + pad + "}"
    if isinstance(value, list) and value and all(isinstance(v, dict) for v in value):
        items = [inner + json.dumps(v, ensure_ascii=False) for v in value]
        return "[\n" + ",\n".join(items) + "\n" + pad + "]"
    return json.dumps(value, ensure_ascii=False)


def _refused(rows: list[QuestionRow], expect: Expect, *, written: bool = False) -> float | None:
    """The share of the `expect` questions refused (None without any); with `written`, of
    a written set's questions only (they have no choices)."""
    kept = [r for r in rows if r.expect is expect and (not written or r.choice_correct is None)]
    return _share([not row.answered for row in kept]) if kept else None


def _share(flags: list[bool]) -> float:
    return round(metrics.mean([float(flag) for flag in flags]), 4)
