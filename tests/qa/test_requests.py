"""Requests for a summary: what they ask about, and the summary they get."""

from __future__ import annotations

from dataclasses import replace

import pytest
from langchain_core.documents import Document
from langchain_core.embeddings import DeterministicFakeEmbedding

from qa import SCORING, ExtractiveAnswerer, plan
from qa.coverage import names_covered
from qa.requests import SummaryRequest, summary_request
from tests.corpus import passage

pytestmark = pytest.mark.unit


@pytest.mark.parametrize(
    ("request_text", "subject", "latest"),
    [
        ("Summarize the article about Mongolia", "Mongolia", False),
        ("Please summarise the news on the dock strike.", "the dock strike", False),
        ("Tell me about the Japan–Mongolia deal", "the Japan–Mongolia deal", False),
        ("Can you give me a quick overview of the harbour strike?", "the harbour strike", False),
        ("What's the latest on the dock strike?", "the dock strike", True),
        ("What is going on with the ferry line?", "the ferry line", False),
        ("Catch me up on the budget vote", "the budget vote", False),
    ],
)
def test_a_request_for_a_summary_and_its_subject(
    request_text: str, subject: str, latest: bool
) -> None:
    assert summary_request(request_text) == SummaryRequest(subject, latest)


@pytest.mark.parametrize(
    "question",
    ["What is OSA?", "Who will Kishida meet?", "What's the latest?", "Tell me more", "Summarize"],
)
def test_questions_and_bare_requests_are_no_summary_request(question: str) -> None:
    assert summary_request(question) is None


def test_the_plan_searches_the_subject_of_a_request() -> None:
    step = plan("Summarize the article about Mongolia", as_of="2024-08-06")
    assert step.summary and not step.latest and step.search_text == "Mongolia"
    assert plan("What's the latest on Mongolia?", as_of="2024-08-06").latest
    history = [("Who will Kishida meet in Mongolia?", "Khurelsukh [1].")]
    follow_up = plan("Tell me more about it", history, as_of="2024-08-06")
    assert follow_up.summary and follow_up.search_text == "it (Kishida Mongolia)"
    assert plan("Tell me more about it", as_of="2024-08-06").needs_subject


def _story(article: str, day: str, text: str) -> Document:
    stamp = {"2024-05-01": 1714521600, "2024-05-03": 1714694400}[day]
    return passage(
        article,
        f"{article} ({day})\n\n",
        text,
        title=article,
        source="Port News",
        published_at=day,
        published_ts=stamp,
    )


STRIKE = (
    "Dock workers at the harbour walked out on Friday over pay. "
    "The strike closed the harbour to cargo ships. "
    "The union said the dock strike would go on until pay rose. "
    "What we know about the harbour strike. "
    "The harbour master said ferries would still sail."
)


def test_a_summary_is_the_lead_and_central_sentences_in_reading_order() -> None:
    answerer = ExtractiveAnswerer(
        DeterministicFakeEmbedding(size=64), replace(SCORING, min_answer_score=0.0)
    )
    step = plan("Summarize the article about the dock strike at the harbour")
    answer = answerer.answer(step, [_story("strike", "2024-05-01", STRIKE)])
    assert answer.answered
    assert answer.text.startswith("Dock workers at the harbour walked out on Friday over pay [1].")
    sentences = answer.text.count("[1].")
    assert 2 <= sentences <= SCORING.summary_sentences
    assert "What we know" not in answer.text  # a heading is no sentence
    (citation,) = answer.citations
    offsets = citation.offsets
    assert offsets == sorted(offsets) and len(citation.quotes) == sentences
    assert all(STRIKE[o : o + len(q)] == q for q, o in zip(citation.quotes, offsets, strict=True))


def test_the_latest_is_the_newest_matching_story() -> None:
    answerer = ExtractiveAnswerer(
        DeterministicFakeEmbedding(size=64), replace(SCORING, min_answer_score=0.0)
    )
    older = _story("strike", "2024-05-01", STRIKE)
    newer = _story(
        "talks", "2024-05-03", "Talks to end the dock strike at the harbour failed on Sunday."
    )
    latest = answerer.answer(
        plan("What's the latest on the dock strike at the harbour?"), [older, newer]
    )
    assert latest.citations[0].article_id == "talks"
    summary = answerer.answer(plan("Summarize the dock strike at the harbour"), [older, newer])
    assert summary.citations[0].article_id == "strike"  # the best match, not the newest


def test_a_hyphenated_name_is_covered_where_each_side_is_named() -> None:
    passage = Document(page_content="Japan and Mongolia will sign a deal.")
    assert names_covered("Tell me about the Japan–Mongolia deal", [passage])
    assert not names_covered("Tell me about the Japan–Korea deal", [passage])
    # Two stories naming one side each do not cover the compound.
    apart = [
        Document(page_content="British troops left."),
        Document(page_content="A Belgian pilot flew."),
    ]
    assert not names_covered("How old is the British-Belgian pilot?", apart)
    together = [Document(page_content="The British and Belgian pilot flew around the world.")]
    assert names_covered("How old is the British-Belgian pilot?", together)
