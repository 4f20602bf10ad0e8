"""Questions that name their source: "What did USA Today report about …?"."""

from __future__ import annotations

from pathlib import Path

import pytest

from qa import ask, retrieve
from qa.outlets import named_outlet
from tests.corpus import indexed_stories
from vectorstore import StoreSettings

INDEXED = ["usatoday.com", "cnn.com", "e.newsletters.cnn.com", "theweek.co.uk", "The Japan News"]


@pytest.mark.unit
@pytest.mark.parametrize(
    ("question", "sources", "rest"),
    [
        (
            "What did USA Today report about the Kansas vote?",
            ["usatoday.com"],
            "What did the news report about the Kansas vote?",
        ),
        (
            "How many people died in the floods, according to CNN?",
            ["cnn.com", "e.newsletters.cnn.com"],
            "How many people died in the floods?",
        ),
        ("According to CNN, who won?", ["cnn.com", "e.newsletters.cnn.com"], "Who won?"),
        ("according to cnn, who won?", ["cnn.com", "e.newsletters.cnn.com"], "Who won?"),
        ("What is OSA, according to the Japan News?", ["The Japan News"], "What is OSA?"),
        (
            "What was The Week's coverage of the funeral?",
            ["theweek.co.uk"],
            "What was the news coverage of the funeral?",
        ),
        ("What's in USA Today today?", ["usatoday.com"], "What's in the news today?"),
        ("What did usatoday.com say?", ["usatoday.com"], "What did the news say?"),
    ],
)
def test_an_outlet_named_as_the_source(question: str, sources: list[str], rest: str) -> None:
    named = named_outlet(question, INDEXED)
    assert named is not None
    assert (named.sources, named.question) == (sources, rest)


@pytest.mark.unit
@pytest.mark.parametrize(
    "question",
    [
        "Which CNN anchor left the network?",  # a subject, not the source
        "What did Trump say about CNN?",
        "USA TODAY celebrated a milestone anniversary this week. What year was its first issue?",
        "What happened in the week before the vote?",  # "the week", not The Week
        "What are the week's headlines?",
        "what did cnn report about griner",  # a lower-case name needs "according to"
        "What did the BBC report about the vote?",  # not an indexed outlet
    ],
)
def test_no_outlet_named_as_the_source(question: str) -> None:
    assert named_outlet(question, INDEXED) is None


@pytest.fixture
def strike_coverage(tmp_path: Path) -> StoreSettings:
    day = "2024-05-03"
    return indexed_stories(
        tmp_path,
        [
            (
                "port",
                "Port story",
                day,
                "Port News",
                "Dock workers walked out on Friday over pay, and the union said 300 workers "
                "joined the strike. The Harbour Authority said the port would stay open.",
            ),
            (
                "coast",
                "Coast story",
                day,
                "Coast Daily",
                "Dock workers struck on Friday, and the union counted 500 workers on the "
                "picket line at the harbour.",
            ),
            (
                "tides",
                "Tides story",
                day,
                "Harbour Authority",
                "The Harbour Authority publishes the tide tables for the harbour every month.",
            ),
        ],
    )


@pytest.mark.integration
def test_a_question_naming_its_source_is_answered_from_that_outlet(
    strike_coverage: StoreSettings,
) -> None:
    coast = ask(
        "How many workers joined the strike, according to Coast Daily?",
        as_of="2024-05-04",
        store=strike_coverage,
    )
    assert coast.answered and "500 workers" in coast.text
    assert {c.source for c in coast.citations} == {"Coast Daily"}
    assert coast.question == "How many workers joined the strike, according to Coast Daily?"
    port = ask(
        "What did Port News report about the strike?", as_of="2024-05-04", store=strike_coverage
    )
    assert port.answered and "300 workers" in port.text
    assert {c.source for c in port.citations} == {"Port News"}
    found = retrieve("What did Coast Daily report about the strike?", store=strike_coverage)
    assert {d.metadata["source"] for d in found} == {"Coast Daily"}


@pytest.mark.integration
def test_a_newsmaker_that_is_also_an_outlet_is_answered_from_other_coverage(
    strike_coverage: StoreSettings,
) -> None:
    # The Harbour Authority's own page says nothing of the strike; Port News reports
    # what it said, and the answer says where it comes from.
    said = ask(
        "What did the Harbour Authority say about the strike?",
        as_of="2024-05-04",
        store=strike_coverage,
    )
    assert said.answered
    assert said.text.startswith("Nothing from Harbour Authority answers that; other coverage: ")
    assert "port would stay open" in said.text
    assert said.citations[0].source == "Port News"
    assert "Harbour Authority" not in {c.source for c in said.citations}
    # retrieve() gives what that answer came from: the other coverage, not the outlet's.
    found = retrieve(
        "What did the Harbour Authority say about the strike?",
        as_of="2024-05-04",
        store=strike_coverage,
    )
    assert "Port News" in {d.metadata["source"] for d in found}
    assert all(any(c.quote in d.page_content for d in found) for c in said.citations)
