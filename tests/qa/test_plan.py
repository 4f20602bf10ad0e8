"""`plan()`: what a question searches, over which days and outlets, and what comes next."""

from __future__ import annotations

from datetime import UTC, date, datetime

import pytest

from qa import DigestKind, Filters, plan

pytestmark = pytest.mark.unit

NOW = date(2024, 8, 6)


def test_a_plain_question_is_one_search_up_to_now() -> None:
    step = plan("What is OSA?", as_of=NOW)
    assert step.steps() == (step,)
    assert (step.search_text, step.since, step.until, step.now) == ("What is OSA?", None, NOW, NOW)
    assert step.digest is DigestKind.NONE and not step.needs_subject and step.mentions is None
    scope = step.search_scope()
    assert "since_ts" not in scope and "sources" not in scope and "k" not in scope
    # "Now" is the end of its day (UTC); a search allows a day's margin for time zones.
    assert scope["now_ts"] == int(datetime(2024, 8, 6, 23, 59, 59, tzinfo=UTC).timestamp())
    assert scope["until_ts"] - scope["now_ts"] == 86_400


def test_a_past_period_is_searched_then_later_coverage_that_names_it() -> None:
    first, later = plan("What did the two leaders agree in 2022?", as_of=NOW).steps()
    assert (first.since, first.until, first.mentions) == (
        date(2022, 1, 1),
        date(2022, 12, 31),
        None,
    )
    assert (later.since, later.until) == (date(2022, 1, 1), NOW)
    assert later.mentions is not None and later.mentions.search("in November 2022")
    assert not later.mentions.search("in 2024")
    assert (
        first.searched()
        == "Nothing I have indexed was published between 2022-01-01 and 2022-12-31."
    )


def test_a_period_that_has_not_begun_searches_all_coverage_so_far() -> None:
    first, later = plan("What deal will Kishida confirm in September 2024?", as_of=NOW).steps()
    assert (first.since, first.until) == (None, NOW)
    assert later.since is None and later.mentions is not None
    assert later.mentions.search("in September 2024")


def test_the_readers_own_dates_leave_out_the_later_coverage_step() -> None:
    days = Filters(since=date(2022, 6, 1), until=date(2022, 6, 30))
    (only,) = plan("What did the two leaders agree in 2022?", as_of=NOW, filters=days).steps()
    assert (only.since, only.until) == (date(2022, 6, 1), date(2022, 6, 30))


def test_a_named_outlet_is_searched_first_then_other_coverage_said_so() -> None:
    named, elsewhere = plan(
        "How many people died, according to CNN?", as_of=NOW, outlets=["cnn.com", "usatoday.com"]
    ).steps()
    assert named.sources == ("cnn.com",) and named.outlet is not None
    assert named.question == "How many people died?"
    assert named.note == ""
    assert elsewhere.sources == () and elsewhere.outlet is None
    assert elsewhere.question == "How many people died, according to CNN?"
    assert elsewhere.note == "Nothing from cnn.com answers that; other coverage: "
    assert named.searched().startswith("Nothing I have indexed from cnn.com was published")


def test_digests_list_exact_days() -> None:
    week = plan("What happened yesterday?", as_of=NOW)
    assert week.digest is DigestKind.NEWEST
    assert (week.since, week.until) == (date(2024, 8, 5), date(2024, 8, 5))
    since, until = week.listing_range()
    assert since is not None and until - since == 86_400 - 1
    assert plan("What are the top stories this week?", as_of=NOW).digest is DigestKind.TOP
    assert plan("What happened to Abe?", as_of=NOW).digest is DigestKind.NONE


def test_a_follow_up_carries_the_conversations_names_and_nothing_else_needs_a_subject() -> None:
    history = [("Who will Kishida meet in Mongolia?", "Kishida will meet Khurelsukh [1].")]
    step = plan("When did they last meet?", history, as_of=NOW)
    assert step.search_text == "When did they last meet? (Kishida Mongolia)"
    assert step.question == "When did they last meet?"
    assert plan("Tell me more", as_of=NOW).needs_subject
    assert not plan("Tell me more", history, as_of=NOW).needs_subject


def test_k_and_outlet_filters_reach_the_search_scope() -> None:
    step = plan("What is OSA?", as_of=NOW, filters=Filters(sources=["The Japan News"]))
    assert step.search_scope(10)["k"] == 10
    assert step.search_scope()["sources"] == ["The Japan News"]
