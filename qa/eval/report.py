"""An `EvalReport` as text: the metrics side by side, where dev answers fail, dev failures.

A test (or all-split) report has no rows: its text is the aggregates only.
"""

from __future__ import annotations

from collections import Counter
from pathlib import Path

from qa.eval.dataset import Expect, Split
from qa.eval.results import EvalReport, QuestionRow

_ROWS = [
    ("retrieval", None, ""),
    ("  hit@4", "hit_at_4", "{:.3f}"),
    ("  hit@10", "hit_at_10", "{:.3f}"),
    ("  mrr@10", "mrr_at_10", "{:.3f}"),
    ("  answer_in_top4", "answer_in_top4", "{:.3f}"),
    ("answers", None, ""),
    ("  short answer, strict (cited sentence is gold)", "short_answer_strict", "{:.3f}"),
    ("  short answer, lenient (any citation gold)", "short_answer_lenient", "{:.3f}"),
    ("  (gold answer, any citation)", "answer_has_gold", "{:.3f}"),
    ("  asked fact, strict (the answer and its quote)", "asked_fact_strict", "{:.3f}"),
    ("  short answer span: exact (SQuAD EM)", "short_span_exact", "{:.3f}"),
    ("  short answer span: word overlap (SQuAD F1)", "short_span_f1", "{:.3f}"),
    ("  multiple-choice accuracy", "multiple_choice_accuracy", "{:.3f}"),
    ("  refusals", "refusal_rate", "{:.3f}"),
    ("  refused: answerable (wrong)", "refused_answerable", "{:.3f}"),
    ("  refused: near misses (right)", "refused_near_miss", "{:.3f}"),
    ("  refused: absent stories (right)", "refused_absent", "{:.3f}"),
    ("  asked a month early: refusals", "early_refusal_rate", "{:.3f}"),
    ("  asked a month early: wrong answers", "early_false_answer_rate", "{:.3f}"),
    ("  answer latency p50 (ms)", "latency_p50_ms", "{:.0f}"),
    ("  answer latency p95 (ms)", "latency_p95_ms", "{:.0f}"),
    ("written answers (LLM)", None, ""),
    ("  written sentences kept by the check", "written_kept", "{:.3f}"),
    ("  extracted instead (fallback)", "written_fallback", "{:.3f}"),
    ("  tokens per second", "tokens_per_second", "{:.1f}"),
]
OUTCOMES = (
    "correct",
    "no gold passage in top 10",
    "answer not in top 4 passages",
    "answer in top 4, refused",
    "answer in top 4, not extracted",
    "right answer, its sentence cites no gold article",
)
_WIDTH = 50


def outcome(row: QuestionRow) -> str:
    """Where a short answer went wrong (strictly judged), in the order a question flows
    through the system."""
    if row.short_answer_strict or (row.answer_has_gold and not row.has_gold_article):
        return OUTCOMES[0]  # with no gold article to cite, the gold answer is right
    if row.answer_has_gold:
        return OUTCOMES[5]
    if row.hit_rank is None and row.has_gold_article:
        return OUTCOMES[1]
    if not row.answer_in_top4:
        return OUTCOMES[2]
    return OUTCOMES[3] if not row.answered else OUTCOMES[4]


def format_table(report: EvalReport) -> str:
    """The metrics of every pipeline in columns, then (dev only) how the short answers fail."""
    names = list(report.results)
    width = _WIDTH
    kind = "without a gold article in the corpus" if report.without_gold else "with a gold article"
    title = f"RealTime QA, {report.split.value} split: {report.questions} questions {kind}"
    if _written(report):
        half = "the half read for failures" if report.split is Split.DEV else "the figures' half"
        title = f"{Path(report.questions_file).name}, {half}: {report.questions} questions"
    lines = [
        f"{title}; {report.articles:,} articles indexed",
        " " * width + "".join(f"{name:>14}" for name in names),
    ]
    for label, key, pattern in _ROWS:
        cells = ""
        if key:
            for name in names:
                value = getattr(report.results[name].metrics, key)
                cells += f"{'n/a' if value is None else pattern.format(value):>14}"
        lines.append(f"{label:<{width}}{cells}".rstrip())
    lines.append("index")
    for label, attribute in (("  chunks", "chunks"), ("  embedded this run", "chunks_embedded")):
        cells = "".join(f"{getattr(report.results[n].index, attribute):>14,}" for n in names)
        lines.append(f"{label:<{width}}{cells}")
    cells = "".join(f"{report.results[n].index.seconds:>14.0f}" for n in names)
    lines.append(f"{'  seconds':<{width}}{cells}")
    if report.split is not Split.DEV:
        lines.append(f"({report.split.value} split: aggregates only, no per-question results)")
        return "\n".join(lines)
    lines.append("short answers, by outcome")
    for label in OUTCOMES:
        counts = [
            Counter(outcome(r) for r in report.results[n].rows if r.expect is Expect.ANSWER)[label]
            for n in names
        ]
        lines.append(f"{'  ' + label:<{width}}" + "".join(f"{c:>14}" for c in counts))
    if _written(report):
        lines.append("asked fact (strict) right, by kind")
        kinds = sorted({r.kind for n in names for r in report.results[n].rows if r.kind})
        for kind_asked in kinds:
            cells = ""
            for n in names:
                asked = [
                    r
                    for r in report.results[n].rows
                    if r.kind == kind_asked and r.expect is Expect.ANSWER
                ]
                cells += f"{sum(r.asked_fact_strict for r in asked):>10} / {len(asked):<2}"
            lines.append(f"{'  ' + kind_asked:<{width}}{cells}")
    return "\n".join(lines)


def _written(report: EvalReport) -> bool:
    """Whether the report is of a written set (answerable, near-miss, absent questions)."""
    return any(r.metrics.refused_answerable is not None for r in report.results.values())


def format_failures(report: EvalReport) -> str:
    """Dev questions whose short answer is wrong, per pipeline (test questions never shown).

    Raises:
        ValueError: The report is not of the dev split.
    """
    if report.split is not Split.DEV:
        raise ValueError(f"Failures are listed for dev runs only, not {report.split.value}")
    lines = []
    for name, result in report.results.items():
        failed = [row for row in result.rows if _failed(row) and row.question is not None]
        lines.append(f"\n{name}: {len(failed)} dev short answers wrong")
        for row in failed:
            mark = {True: "+", False: "-", None: "n/a"}[row.choice_correct]
            why = outcome(row) if row.expect is Expect.ANSWER else f"{row.expect}, answered"
            lines.append(
                f"  {row.id} [{why}; {row.kind or 'quiz'}; hit rank {row.hit_rank}; choice "
                f"{mark}] {row.question}\n    gold: {row.gold_answer}  |  answer: "
                f"{(row.answer or '')[:160]}"
            )
    return "\n".join(lines)


def _failed(row: QuestionRow) -> bool:
    """A quiz question's short answer is wrong; a written set's answerable question does
    not get its fact (strictly), or a near miss or absent story is answered."""
    if row.expect is not Expect.ANSWER:
        return row.answered
    if row.choice_correct is None:
        return not row.asked_fact_strict
    return outcome(row) != OUTCOMES[0]
