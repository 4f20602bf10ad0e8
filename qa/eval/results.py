"""Typed results of a run: per-question rows, each pipeline's metrics, the whole report."""

from __future__ import annotations

from pydantic import BaseModel, Field

from qa.eval import metrics
from qa.eval.dataset import Split
from qa.eval.pipeline import IndexStats


class QuestionRow(BaseModel):
    """One question's outcome. Texts are kept for dev questions only (never study test)."""

    id: str
    has_gold_article: bool = True
    hit_rank: int | None
    answer_in_top4: bool
    answered: bool
    correct: bool
    answer_has_gold: bool = False
    choice_correct: bool
    latency_ms: float
    early_answered: bool = Field(
        False, description="Asked EARLY_DAYS before its date, the question was answered."
    )
    early_has_gold: bool = Field(
        False, description="... and that early answer contains the gold answer anyway."
    )
    question: str | None = None
    gold_answer: str | None = None
    answer: str | None = None
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
    short_answer_accuracy: float | None
    answer_has_gold: float = Field(
        description="Answered and the first two sentences contain the gold answer, whatever cited."
    )
    multiple_choice_accuracy: float
    refusal_rate: float
    early_refusal_rate: float = Field(
        0.0, description="Asked a month before the story, the share refused (the right reply)."
    )
    early_false_answer_rate: float = Field(
        0.0, description="Asked a month before the story, answered without the gold answer."
    )
    latency_p50_ms: float
    latency_p95_ms: float


class PipelineResult(BaseModel):
    """A pipeline's metrics, its index, and its per-question rows."""

    name: str
    metrics: Metrics
    index: IndexStats
    seconds: float
    rows: list[QuestionRow]


class EvalReport(BaseModel):
    """Everything a run measured (what `--json` writes)."""

    split: Split
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


def aggregate(rows: list[QuestionRow]) -> Metrics:
    """The metrics over per-question rows."""
    linked = [row for row in rows if row.has_gold_article]
    ranks = [row.hit_rank for row in linked]
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
        short_answer_accuracy=_share([row.correct for row in linked]) if linked else None,
        answer_has_gold=_share([row.answer_has_gold for row in rows]),
        multiple_choice_accuracy=_share([row.choice_correct for row in rows]),
        refusal_rate=_share([not row.answered for row in rows]),
        early_refusal_rate=_share([not row.early_answered for row in rows]),
        early_false_answer_rate=_share(
            [row.early_answered and not row.early_has_gold for row in rows]
        ),
        latency_p50_ms=round(metrics.percentile(latencies, 50), 1),
        latency_p95_ms=round(metrics.percentile(latencies, 95), 1),
    )


def _share(flags: list[bool]) -> float:
    return round(metrics.mean([float(flag) for flag in flags]), 4)
