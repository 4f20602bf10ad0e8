"""A question to a cited answer: retrieval, the extractive answerer and `ask()`."""

from qa.answerer import ExtractiveAnswerer
from qa.errors import InvalidQuestionError
from qa.models import Answer, Citation, Filters
from qa.retriever import NewsRetriever
from qa.service import ask, build_chain, check_question, retrieve, warm_up

__all__ = [
    "Answer",
    "Citation",
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
