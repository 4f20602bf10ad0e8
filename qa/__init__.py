"""A question to a cited answer: the plan, retrieval, the coverage gate, the answerer and
`ask()`."""

from qa.answerer import Answerer, ExtractiveAnswerer
from qa.errors import EmptyStoreError, InvalidFiltersError, InvalidQuestionError
from qa.models import Answer, Citation, Filters
from qa.plan import DigestKind, QueryPlan, plan
from qa.retriever import NewsRetriever
from qa.scoring import SCORING, ScoringConfig
from qa.service import ask, ask_stream, build_chain, check_question, retrieve, warm_up
from qa.settings import AnswererKind, AnswerSettings

__all__ = [
    "SCORING",
    "Answer",
    "AnswerSettings",
    "Answerer",
    "AnswererKind",
    "Citation",
    "DigestKind",
    "EmptyStoreError",
    "ExtractiveAnswerer",
    "Filters",
    "InvalidFiltersError",
    "InvalidQuestionError",
    "NewsRetriever",
    "QueryPlan",
    "ScoringConfig",
    "ask",
    "ask_stream",
    "build_chain",
    "check_question",
    "plan",
    "retrieve",
    "warm_up",
]
