"""A question to a cited answer: retrieval, the extractive answerer and `ask()`."""

from qa.answerer import ExtractiveAnswerer
from qa.errors import EmptyStoreError, InvalidQuestionError
from qa.models import Answer, Citation, Filters
from qa.retriever import NewsRetriever
from qa.service import ask, build_chain, check_question, retrieve, warm_up
from qa.settings import AnswererKind, AnswerSettings

__all__ = [
    "Answer",
    "AnswerSettings",
    "AnswererKind",
    "Citation",
    "EmptyStoreError",
    "ExtractiveAnswerer",
    "Filters",
    "InvalidQuestionError",
    "NewsRetriever",
    "ask",
    "build_chain",
    "check_question",
    "retrieve",
    "warm_up",
]
