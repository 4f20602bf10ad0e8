"""Evaluation on the RealTime QA news quizzes: `python -m qa.eval`, or `evaluate()`."""

from qa.eval.choices import ChoicePick, ChoiceScorer
from qa.eval.dataset import Corpus, EvalQuestion, Split, load_questions, prepare_corpus
from qa.eval.diff import Comparison, ResultsFileError, compare, load_rows
from qa.eval.harness import EvalConfig, PipelineChoice, evaluate
from qa.eval.metrics import contains, fold
from qa.eval.naive import NaivePipeline
from qa.eval.pipeline import IndexStats, NewsdeskPipeline, Pipeline
from qa.eval.provenance import Provenance, collect_provenance
from qa.eval.results import (
    EvalReport,
    Metrics,
    PipelineResult,
    QuestionRow,
    aggregate,
    report_json,
)

__all__ = [
    "ChoicePick",
    "ChoiceScorer",
    "Comparison",
    "Corpus",
    "EvalConfig",
    "EvalQuestion",
    "EvalReport",
    "IndexStats",
    "Metrics",
    "NaivePipeline",
    "NewsdeskPipeline",
    "Pipeline",
    "PipelineChoice",
    "PipelineResult",
    "Provenance",
    "QuestionRow",
    "ResultsFileError",
    "Split",
    "aggregate",
    "collect_provenance",
    "compare",
    "contains",
    "evaluate",
    "fold",
    "load_questions",
    "load_rows",
    "prepare_corpus",
    "report_json",
]
