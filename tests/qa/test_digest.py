"""Questions that ask what is in the news: "What happened this week?", "What's new?"."""

from __future__ import annotations

import re
from datetime import UTC, date, datetime
from pathlib import Path

import pytest
from langchain_core.documents import Document
from langchain_core.embeddings import DeterministicFakeEmbedding

from qa import ExtractiveAnswerer, Filters, ask
from qa.digest import asks_for_digest
from tests.corpus import indexed_stories, passage
from tests.qa.steps import digest_with
from vectorstore import LexicalIndex, StoreSettings


@pytest.mark.unit
@pytest.mark.parametrize(
    ("question", "digest"),
    [
        ("What happened this week?", True),
        ("What's new?", True),
        ("Any news today?", True),
        ("What are the top stories?", True),
        ("What happened in November 2022?", True),
        ("What is going on?", True),
        ("What happened to Shinzo Abe?", False),  # a name: a question about it
        ("What happened at the summit?", False),  # asks about something
        ("What is the latest on monkeypox?", False),
        ("Is there a new vaccine?", False),
        ("Why?", False),  # asks nothing of the news as such
    ],
)
def test_which_questions_ask_for_a_digest(question: str, digest: bool) -> None:
    assert asks_for_digest(question) is digest


def _lead(article: str, day: str, text: str) -> Document:
    return passage(
        article, f"{article} ({day})\n\n", text, title=article, source="Port News", published_at=day
    )


@pytest.mark.unit
def test_a_digest_is_each_articles_first_sentence_in_the_order_given() -> None:
    answerer = ExtractiveAnswerer(DeterministicFakeEmbedding(size=64))
    leads = [
        _lead(
            "strike",
            "2024-05-03",
            "(CNN) Dock workers walked out on Friday. Talks with the port failed.",
        ),
        _lead("ferry", "2024-05-02", "Watch: the ferry\n\nA new ferry line opened to the island."),
        _lead(
            "storm",
            "2024-05-01",
            "A storm closed the harbour on Wednesday. The harbour reopened today.",
        ),
        _lead("budget", "2024-04-30", "The council passed its budget on Tuesday night."),
    ]
    answer = digest_with(answerer, "What happened this week?", leads)
    assert answer.answered
    assert answer.text == (
        "Dock workers walked out on Friday [1]. A new ferry line opened to the island [2]. "
        "A storm closed the harbour on Wednesday [3]."
    )
    assert [c.title for c in answer.citations] == ["strike", "ferry", "storm"]
    # With a pattern, each article's first sentence that matches it.
    mentions = re.compile(r"\breopened\b|\bTalks\b")
    told = digest_with(answerer, "What happened?", leads, mentions)
    assert told.text == "Talks with the port failed [1]. The harbour reopened today [2]."


@pytest.mark.unit
def test_a_digest_quotes_each_articles_first_match_in_reading_order() -> None:
    answerer = ExtractiveAnswerer(DeterministicFakeEmbedding(size=64))
    head = "summit (2024-08-05)\n\n"
    story = "The leaders met in Tokyo in November 2022 and signed a statement."
    caption = "The leaders shake hands in Tokyo in November 2022."
    meta = {"article_id": "summit", "title": "summit", "passage_start": len(head)}
    found = [  # the caption's passage, at the end of the article, was found first
        Document(page_content=head + caption, metadata=meta | {"start": 400}),
        Document(page_content=head + story, metadata=meta | {"start": 0}),
    ]
    answer = digest_with(answerer, "What happened in November 2022?", found, re.compile("November"))
    assert answer.text == f"{story[:-1]} [1]."
    assert answer.citations[0].offset == 0


@pytest.fixture
def harbour_news(tmp_path: Path) -> StoreSettings:
    stories = [
        ("old", "Port News", "2024-04-20", "The harbour dredging contract was signed."),
        ("storm", "Port News", "2024-05-01", "A storm closed the harbour on Wednesday."),
        ("ferry", "Coast Daily", "2024-05-02", "A new ferry line opened to the island."),
        ("strike", "Port News", "2024-05-03", "Dock workers walked out on Friday."),
        ("later", "Coast Daily", "2024-05-20", "The harbour master retired on Monday."),
    ]
    return indexed_stories(
        tmp_path,
        [
            (
                name,
                f"{name.title()} story",
                day,
                source,
                f"{lead} Officials gave no further details.",
            )
            for name, source, day, lead in stories
        ],
    )


@pytest.mark.integration
def test_what_happened_this_week_lists_the_newest_coverage_first(
    harbour_news: StoreSettings,
) -> None:
    week = ask("What happened this week?", as_of="2024-05-04", store=harbour_news)
    assert week.answered
    assert [c.title for c in week.citations] == ["Strike story", "Ferry story", "Storm story"]
    assert week.text.startswith("Dock workers walked out on Friday [1].")
    # The reader's outlet filter holds; a period with no coverage says which days it searched.
    coast = ask(
        "What's new?",
        as_of="2024-05-04",
        filters=Filters(sources=["Coast Daily"]),
        store=harbour_news,
    )
    assert [c.title for c in coast.citations] == ["Ferry story"]
    # In a conversation, the period of an earlier question does not carry over.
    after = ask(
        "What's new?",
        as_of="2024-05-04",
        store=harbour_news,
        history=[("What happened in April 2024?", "The harbour dredging contract was signed [1].")],
    )
    assert [c.title for c in after.citations] == ["Strike story", "Ferry story", "Storm story"]
    quiet = ask("What happened in March 2024?", as_of="2024-06-01", store=harbour_news)
    assert not quiet.answered
    assert quiet.text.endswith("was published between 2024-03-01 and 2024-03-31.")
    # Exact days: "yesterday" is that day alone; "in April 2024" lists the April story
    # only, not May 1's.
    yesterday = ask("What happened yesterday?", as_of="2024-05-03", store=harbour_news)
    assert [c.title for c in yesterday.citations] == ["Ferry story"]
    today = ask("Any news today?", as_of="2024-05-05", store=harbour_news)
    assert today.text.endswith("was published between 2024-05-05 and 2024-05-05.")
    april = ask("What happened in April 2024?", as_of="2024-06-01", store=harbour_news)
    assert [c.title for c in april.citations] == ["Old story"]


def _stamp(day: str) -> int:
    return int(datetime.fromisoformat(day).replace(tzinfo=UTC).timestamp())


@pytest.mark.integration
def test_newest_articles_in_a_range_from_the_lexical_index(harbour_news: StoreSettings) -> None:
    index = LexicalIndex(harbour_news.lexical_db)
    try:
        newest = index.newest(2, until_ts=_stamp("2024-05-04"))
        assert [d.metadata["title"] for d in newest] == ["Strike story", "Ferry story"]
        assert all(d.metadata["chunk_index"] == 0 for d in newest)
        ranged = index.newest(5, since_ts=_stamp("2024-05-02"), until_ts=_stamp("2024-05-21"))
        assert [d.metadata["title"] for d in ranged] == [
            "Later story",
            "Strike story",
            "Ferry story",
        ]
    finally:
        index.close()


@pytest.mark.integration
def test_what_happened_in_a_past_month_comes_from_later_coverage_naming_it(
    seed_settings: StoreSettings,
) -> None:
    # Nothing was published in November 2022; the 2024 article reports what happened then.
    answer = ask("What happened in November 2022?", store=seed_settings)
    assert answer.answered
    assert answer.text.startswith("Kishida met with Khurelsukh in Tokyo in November 2022")
    assert answer.citations[0].published_at.startswith("2024-08-05")
    assert date(2024, 8, 5).isoformat() in answer.citations[0].label()


def _headline(article: str, title: str, source: str = "Port News") -> Document:
    return Document(
        page_content=f"{title}\n\n{title}.",
        metadata={"article_id": article, "title": title, "source": source},
    )


@pytest.mark.unit
def test_top_stories_are_the_most_covered_not_the_newest() -> None:
    from qa.digest import asks_for_top_stories, most_covered

    leads = [  # newest first, as LexicalIndex.newest gives them
        _headline("ferry", "New ferry line opens to the island"),
        _headline(
            "roundup", "5 things to know for May 3: Dock strike, Council budget, Ferry", "cnn.com"
        ),
        _headline("strike3", "Dock strike enters third day as union talks stall"),
        _headline("budget2", "Council budget vote delayed again"),
        _headline("strike2", "Union says dock strike will go on"),
        _headline("budget1", "Council budget vote set for Tuesday"),
        _headline("strike1", "Dock workers strike over pay, union says"),
    ]
    top = most_covered(leads, 3)
    # The strike (3 articles), the budget (2), then the ferry (1); the roundup, which
    # names all three, is no story of its own.
    assert [d.metadata["article_id"] for d in top] == ["strike3", "budget2", "ferry"]
    assert asks_for_top_stories("What were the biggest stories this week?")
    assert not asks_for_top_stories("What happened this week?")


@pytest.fixture
def busy_week(tmp_path: Path) -> StoreSettings:
    stories = [
        ("strike1", "2024-05-01", "Dock workers strike over pay", "Dock workers walked out"),
        ("strike2", "2024-05-02", "Union rejects pay offer in dock strike", "The union said no"),
        ("strike3", "2024-05-03", "Dock strike ends as pay deal is signed", "The strike ended"),
        ("ferry", "2024-05-04", "New ferry line opens", "A new ferry line opened"),
    ]
    return indexed_stories(
        tmp_path,
        [
            (name, title, day, "Port News", f"{lead} at the harbour on {day}. No further details.")
            for name, day, title, lead in stories
        ],
    )


@pytest.mark.integration
def test_what_are_the_top_stories_lists_the_most_covered_first(busy_week: StoreSettings) -> None:
    top = ask("What were the top stories this week?", as_of="2024-05-04", store=busy_week)
    assert top.answered
    assert [c.title for c in top.citations] == [
        "Dock strike ends as pay deal is signed",
        "New ferry line opens",
    ]
    newest = ask("What happened this week?", as_of="2024-05-04", store=busy_week)
    assert newest.citations[0].title == "New ferry line opens"
