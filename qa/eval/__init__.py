"""Evaluation on the RealTime QA news quizzes: `python -m qa.eval`, or `evaluate()`."""

from qa.eval.choices import ChoicePick, ChoiceScorer
from qa.eval.dataset import Corpus, EvalQuestion, Split, load_questions, prepare_corpus
from qa.eval.harness import EvalConfig, PipelineChoice, evaluate
from qa.eval.metrics import contains, fold
from qa.eval.naive import NaivePipeline
from qa.eval.pipeline import IndexStats, NewsdeskPipeline, Pipeline
from qa.eval.results import EvalReport, Metrics, PipelineResult, QuestionRow, aggregate

__all__ = [
    "ChoicePick",
    "ChoiceScorer",
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
    "QuestionRow",
    "Split",
    "aggregate",
    "contains",
    "evaluate",
    "fold",
    "load_questions",
    "prepare_corpus",
]
