"""The answerer with the real packaged model: what only real embeddings decide."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest
from langchain_core.documents import Document

from qa import ExtractiveAnswerer
from tests.qa.steps import answer_with

pytestmark = pytest.mark.integration


def _article(article_id: str, text: str) -> Document:
    return Document(
        page_content=text,
        metadata={"article_id": article_id, "title": article_id, "source": article_id},
    )


def test_another_outlet_reporting_the_fact_in_its_own_words_is_cited(embeddings) -> None:
    answerer = ExtractiveAnswerer(embeddings)
    documents = [
        _article(
            "wire",
            "Colombia will be governed by a leftist president for the first time after former "
            "rebel Gustavo Petro narrowly defeated a real estate millionaire in a runoff.",
        ),
        _article(
            "daily",
            "Gustavo Petro will become Colombia's first leftist leader, after winning the "
            "country's presidential race on Sunday.",
        ),
        _article("sports", "The Avalanche reached the Stanley Cup final for the first time."),
    ]
    answer = answer_with(answerer, "Which country elected its first leftist leader?", documents)
    # The first claim carries both outlets' markers.
    assert answer.text.index("[1][2].") < answer.text.index(".")
    assert {c.article_id for c in answer.citations[:2]} == {"wire", "daily"}
    assert "sports" not in {c.article_id for c in answer.citations}


def test_a_rewrite_with_other_figures_is_not_cited_as_the_same_fact(embeddings) -> None:
    answerer = ExtractiveAnswerer(embeddings)
    documents = [
        _article(
            "wire",
            "Ford Motor Co. is recalling 2.9 million vehicles that may shift into unintended "
            "gears or roll away while parked.",
        ),
        _article(
            "daily",
            "Ford Motor Co. is recalling 1.2 million vehicles that may shift into unintended "
            "gears or roll away while parked.",
        ),
    ]
    answer = answer_with(answerer, "How many vehicles did Ford recall for rolling away?", documents)
    assert answer.answered
    assert "[1][2]" not in answer.text
    cited = {c.article_id: c.quote for c in answer.citations}
    assert all(("2.9" in quote) == ("2.9" in answer.text) for quote in cited.values())


def _dated(article_id: str, text: str, day: str) -> Document:
    document = _article(article_id, text)
    stamp = int(datetime.fromisoformat(day).replace(tzinfo=UTC).timestamp())
    document.metadata |= {"published_at": day, "published_ts": stamp}
    return document


def test_another_outlet_giving_the_same_answer_is_cited_beside_it(embeddings) -> None:
    # Not the same fact in other words (SAME_FACT_COSINE), but the same answer to the
    # question: the park the claim names, from coverage of the same days.
    answerer = ExtractiveAnswerer(embeddings)
    documents = [
        _dated(
            "wire",
            "Several roads and bridges in Yellowstone were washed out by flooding, park "
            "officials said.",
            "2022-06-14",
        ),
        _dated(
            "daily",
            "Yellowstone National Park closed all five of its entrances after floods damaged "
            "roads and bridges.",
            "2022-06-15",
        ),
        _dated(
            "glacier",
            "Glacier National Park closed several roads after floods damaged bridges.",
            "2022-06-15",
        ),
        _dated(
            "archive",
            "Yellowstone National Park closed roads after floods damaged bridges.",
            "2018-05-02",
        ),
    ]
    question = "Which national park was hit by flooding that washed out roads and bridges?"
    answer = answer_with(answerer, question, documents)
    first = answer.text.split("]. ")[0] + "]"  # the first sentence, with its markers
    cited = {c.article_id for c in answer.citations if f"[{c.number}]" in first}
    assert cited == {"wire", "daily"}
    assert "Yellowstone" in first
    # Another park (not the name the claim gives) and an older story are not cited for it.
    assert not cited & {"glacier", "archive"}
