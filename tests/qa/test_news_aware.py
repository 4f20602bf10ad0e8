"""Dates and outlets: as_of, filters, "this week", "in August 2024", "the latest"."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest

from qa import Filters, ask, retrieve
from qa.timeframe import period_mentions, time_window
from vectorstore import StoreSettings, refresh


@pytest.mark.unit
@pytest.mark.parametrize(
    ("question", "since", "until"),
    [
        ("What happened in August 2024?", date(2024, 8, 1), date(2024, 8, 31)),
        ("Who won this week?", date(2024, 9, 2), date(2024, 9, 10)),
        ("What did the court decide in 2023?", date(2023, 1, 1), date(2023, 12, 31)),
        ("What is OSA?", None, date(2024, 9, 10)),
        # A period under way counts up to now; one ahead is when something is to happen,
        # so all coverage up to now may tell what is expected.
        ("Who won a seat in September 2024?", date(2024, 9, 1), date(2024, 9, 10)),
        ("What will the summit decide in December 2024?", None, date(2024, 9, 10)),
        ("Who will host the World Cup in 2026?", None, date(2024, 9, 10)),
    ],
)
def test_time_window(question: str, since: date | None, until: date) -> None:
    assert time_window(question, date(2024, 9, 10)) == (since, until)


@pytest.mark.integration
def test_as_of_hides_later_articles(seed_settings: StoreSettings) -> None:
    assert ask("what is OSA?", as_of="2024-08-06", store=seed_settings).answered
    before = ask("what is OSA?", as_of=date(2024, 7, 1), store=seed_settings)
    assert not before.answered
    assert retrieve("what is OSA?", as_of="2024-07-01", store=seed_settings) == []


@pytest.mark.integration
def test_outlet_and_date_filters(seed_settings: StoreSettings) -> None:
    ours = Filters(sources=["The Japan News"], since=date(2024, 8, 1), until=date(2024, 8, 31))
    answer = ask("what is OSA?", filters=ours, store=seed_settings)
    assert answer.answered and answer.citations[0].published_at.startswith("2024-08-05")
    assert not ask("what is OSA?", filters=Filters(sources=["CNN"]), store=seed_settings).answered
    later = Filters(since=date(2024, 9, 1))
    assert not ask("what is OSA?", filters=later, store=seed_settings).answered
    with pytest.raises(ValueError, match="is after the last"):
        Filters(since=date(2024, 9, 1), until=date(2024, 8, 1))


@pytest.mark.integration
def test_month_named_in_the_question(seed_settings: StoreSettings) -> None:
    assert ask("What is OSA, as reported in August 2024?", store=seed_settings).answered
    march = ask("What was reported about OSA in March 2023?", store=seed_settings)
    assert not march.answered
    # Nothing was found at all: the reply says which days were searched.
    assert march.text.endswith(
        "Nothing I have indexed was published between 2023-03-01 and 2023-03-31."
    )


@pytest.mark.integration
def test_a_period_ahead_is_answered_from_coverage_so_far(seed_settings: StoreSettings) -> None:
    # Asked the day after the article: September has not begun, so it is when the deal is
    # expected, not when it was reported.
    question = "What deal will Kishida confirm with Mongolia in September 2024?"
    answer = ask(question, as_of="2024-08-06", store=seed_settings)
    assert answer.answered
    assert "will likely confirm the deal" in answer.text
    assert answer.citations[0].published_at.startswith("2024-08-05")
    passages = retrieve(question, as_of="2024-08-06", store=seed_settings)
    assert passages and passages[0].metadata["title"].startswith("Japan, Mongolia")


@pytest.mark.unit
@pytest.mark.parametrize(
    ("question", "text", "mentions"),
    [
        ("What did they agree in November 2022?", "they met in November 2022", True),
        ("What did they agree in November 2022?", "a deal signed Nov. 17, 2022", True),
        ("What did they agree in November 2022?", "they met in December 2022", False),
        ("What did they agree in 2022?", "the talks of 2022", True),
        ("What did they agree in 2022?", "the talks of 2021", False),
    ],
)
def test_how_coverage_writes_the_period_asked_about(
    question: str, text: str, mentions: bool
) -> None:
    pattern = period_mentions(question)
    assert pattern is not None and bool(pattern.search(text)) is mentions
    assert period_mentions("What did they agree this week?") is None


@pytest.mark.integration
def test_a_past_period_is_answered_from_later_coverage_that_names_it(
    seed_settings: StoreSettings,
) -> None:
    # Nothing was published in 2022; the 2024 article reports what happened then.
    answer = ask("What did the two leaders agree in 2022?", store=seed_settings)
    assert answer.answered
    assert "November 2022" in answer.text
    assert "joint statement" in answer.text
    assert all(c.published_at.startswith("2024-08-05") for c in answer.citations)
    # retrieve() gives the passages ask() answered from: those that name the period.
    passages = retrieve("What did the two leaders agree in 2022?", store=seed_settings)
    assert passages and all("2022" in doc.page_content for doc in passages)
    assert all(any(c.quote in doc.page_content for doc in passages) for c in answer.citations)
    assert retrieve("What did the two leaders agree in 2021?", store=seed_settings) == []
    # In a conversation too (the question then also carries the earlier names).
    history = [("When will the agreement be signed?", "In autumn or later [1].")]
    followed = ask("What did the two leaders agree in 2022?", history=history, store=seed_settings)
    assert followed.answered and "November 2022" in followed.text
    # The reader's own date filter stands; a period the article never names stays unanswered.
    in_2022 = Filters(since=date(2022, 1, 1), until=date(2022, 12, 31))
    assert not ask(
        "What did the two leaders agree in 2022?", filters=in_2022, store=seed_settings
    ).answered
    assert not ask("What did the two leaders agree in 2021?", store=seed_settings).answered


@pytest.mark.integration
def test_a_refusal_with_nothing_found_names_the_days_and_outlets_searched(
    seed_settings: StoreSettings,
) -> None:
    early = ask("what is OSA?", as_of="2024-07-01", store=seed_settings)
    assert early.text == (
        "The coverage I have does not answer that. "
        "Nothing I have indexed was published by 2024-07-01."
    )
    cnn = ask(
        "what is OSA?", as_of="2024-09-01", filters=Filters(sources=["CNN"]), store=seed_settings
    )
    assert cnn.text.endswith("Nothing I have indexed from CNN was published by 2024-09-01.")
    # Coverage was found but does not answer: the closest is listed, no such note.
    off = ask("What is the weather in Tokyo?", store=seed_settings)
    assert off.text == "The coverage I have does not answer that." and off.related


@pytest.fixture
def two_ceos(tmp_path: Path) -> StoreSettings:
    articles = tmp_path / "articles"
    articles.mkdir()
    (articles / "old.txt").write_text(
        "Acme names chief executive\n09:00 JST, March 3, 2023\n"
        "Acme Corporation named Robert Vance as its chief executive officer on Friday.\n"
    )
    (articles / "new.txt").write_text(
        "Acme replaces chief executive\n09:00 JST, June 4, 2024\n"
        "Acme Corporation named Carol Ortiz as its chief executive officer on Monday.\n"
    )
    settings = StoreSettings(articles_dir=articles, data_dir=tmp_path / "data")
    refresh(settings)
    return settings


@pytest.mark.integration
def test_latest_prefers_the_newest_coverage(two_ceos: StoreSettings) -> None:
    question = "Who is the latest chief executive of Acme?"
    latest = ask(question, as_of="2024-12-01", store=two_ceos)
    assert "Carol Ortiz" in latest.text.split("[1]")[0]
    assert latest.citations[0].published_at.startswith("2024-06-04")
    then = ask(question, as_of="2023-12-31", store=two_ceos)
    assert "Robert Vance" in then.text and "Carol Ortiz" not in then.text
