"""The Gradio app: its handlers in-process, and the page in a real Chromium."""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path
from typing import TypeVar

import pytest
from pydantic import ValidationError

from app import UISettings, _warm_up, background_refresh, build_app
from qa import Answer
from tests.conftest import free_port
from ui import Handlers, Turn, render_answer
from vectorstore import StoreSettings

T = TypeVar("T")
CHROMIUM = "/usr/bin/chromium"
SCREENSHOT_DIR = Path(os.environ.get("NEWSDESK_TEST_SCREENSHOTS", "/tmp"))
NEEDS_A_SUBJECT = "What would you like to know about?"


def last(updates: Iterator[T]) -> T:
    """The chat handler's final update (it streams a draft first)."""
    *_, final = updates
    return final


def _chat(handlers: Handlers):  # type: ignore[no-untyped-def]
    return lambda *args: last(handlers.chat(*args))


def _answer(turn: Turn) -> Answer:
    assert turn.answer is not None, turn.notice
    return turn.answer


@pytest.mark.unit
def test_ask_and_refresh_are_the_only_api_endpoints() -> None:
    demo = build_app(StoreSettings())
    assert demo.title == "Newsdesk"
    assert set(demo.get_api_info()["named_endpoints"]) == {"/ask", "/refresh"}


@pytest.mark.unit
def test_fetch_every_sets_up_the_background_refresh(monkeypatch: pytest.MonkeyPatch) -> None:
    store = StoreSettings()
    assert background_refresh(UISettings(), store) is None
    monkeypatch.setenv("NEWSDESK_FETCH_EVERY", "1h30m")
    runner = background_refresh(UISettings(), store)
    assert runner is not None
    assert (runner.every, runner.store, runner.running) == (5400, store, False)
    monkeypatch.setenv("NEWSDESK_FETCH_EVERY", " ")
    assert background_refresh(UISettings(), store) is None
    monkeypatch.setenv("NEWSDESK_FETCH_EVERY", "soon")
    with pytest.raises(ValidationError, match="NEWSDESK_FETCH_EVERY: an interval is a number"):
        UISettings()


@pytest.mark.integration
def test_the_chat_keeps_the_answer_and_draws_it(seed_settings: StoreSettings) -> None:
    turns, messages = last(Handlers(seed_settings).chat("What is OSA?", []))
    answer = _answer(turns[0])
    assert answer.answered and "Official Security Assistance" in answer.text
    assert [m["role"] for m in messages] == ["user", "assistant"]
    assert messages[1]["content"] == render_answer(answer)
    source = messages[1]["content"].split("**Sources**")[1]
    assert "**[1]** The Japan News — “Japan, Mongolia to Reach Basic Agreement" in source
    assert "— 2024-08-05\n> The Japanese government is also considering adding Mongolia" in source


@pytest.mark.integration
def test_a_failed_question_is_explained_and_keeps_no_answer(seed_settings: StoreSettings) -> None:
    chat = _chat(Handlers(seed_settings))
    failures = {
        "": "Please type a question about the news.",
        "x" * 600: "please keep it under 500",
    }
    for question, message in failures.items():
        turns, messages = chat(question, [])
        assert turns[0].answer is None and message in turns[0].notice
        assert message in messages[1]["content"]
    turns, _ = chat("What is OSA?", [], [], "last week", "", "")
    assert turns[0].answer is None
    assert turns[0].notice == (
        "“last week” is not a date: type the first day as YYYY-MM-DD, e.g. 2024-08-05."
    )
    turns, _ = chat("What is OSA?", [], [], "2024-08-31", "2024-08-01", "")
    assert (
        turns[0].notice == "The first day (2024-08-31) is after the last (2024-08-01): swap them?"
    )
    turns, _ = chat("What is OSA?", [], [], "", "", "5 August")
    assert "type the “as of” day as YYYY-MM-DD" in turns[0].notice


@pytest.mark.integration
def test_an_empty_index_suggests_the_refresh_button(settings: StoreSettings) -> None:
    turns, messages = last(Handlers(settings).chat("What is OSA?", []))
    assert turns[0].answer is None
    assert (
        "Nothing is indexed" in turns[0].notice and "“Refresh articles” button" in turns[0].notice
    )
    assert "Refresh articles" in messages[1]["content"]


@pytest.mark.integration
def test_a_refusal_keeps_its_answer_and_shows_the_closest_coverage(
    seed_settings: StoreSettings,
) -> None:
    turns, messages = last(Handlers(seed_settings).chat("What is the capital of Peru?", []))
    answer = _answer(turns[0])
    assert not answer.answered and answer.related and not answer.citations
    assert "**Closest coverage** (it does not answer the question)" in messages[1]["content"]
    assert "- The Japan News — “Japan, Mongolia" in messages[1]["content"]


@pytest.mark.integration
def test_the_chat_applies_the_outlet_date_and_as_of_filters(seed_settings: StoreSettings) -> None:
    handlers = Handlers(seed_settings)
    assert handlers.outlets() == ["The Japan News"]

    def answered(*filters: object) -> bool:
        turns, _ = last(handlers.chat("What is OSA?", [], *filters))  # type: ignore[arg-type]
        return _answer(turns[0]).answered

    assert answered(["The Japan News"], "2024-08-01", "2024-08-31", "")
    assert not answered(["CNN"], "", "", "")
    assert not answered([], "2024-09-01", "", "")
    assert not answered([], "", "", "2024-07-01")


@pytest.mark.integration
def test_follow_ups_read_the_kept_answers(seed_settings: StoreSettings) -> None:
    chat = _chat(Handlers(seed_settings))
    alone, _ = chat("Tell me more about it", [])
    assert _answer(alone[0]).text.startswith(NEEDS_A_SUBJECT)

    turns, _ = chat("what is OSA?", [])
    turns, _ = chat("", turns)  # a failed turn in between is not followed up on
    turns, messages = chat("Tell me more about it", turns)
    assert [t.answer is not None for t in turns] == [True, False, True]
    assert "Official Security Assistance" in _answer(turns[2]).text
    assert len(messages) == 6 and messages[5]["content"] == render_answer(_answer(turns[2]))

    turns, _ = chat("Who will Kishida meet in Mongolia?", [])
    turns, _ = chat("When did they last meet?", turns)
    assert "November 2022" in _answer(turns[1]).text


@pytest.mark.integration
def test_the_chat_answers_what_is_in_the_news_with_a_digest(seed_settings: StoreSettings) -> None:
    chat = _chat(Handlers(seed_settings))
    week, _ = chat("What happened this week?", [], [], "", "", "2024-08-06")
    assert _answer(week[0]).text.startswith(
        "The Japanese and Mongolian governments have entered the final phase"
    )
    assert _answer(week[0]).citations[0].published_at.startswith("2024-08-05")
    quiet, _ = chat("What happened this week?", [], [], "", "", "2024-09-30")
    assert "Nothing I have indexed was published between 2024-09-22 and 2024-09-30." in (
        _answer(quiet[0]).text
    )


@pytest.mark.integration
def test_refresh_button_handler_indexes_new_articles(
    settings: StoreSettings, articles_dir: Path
) -> None:
    handlers = Handlers(settings)
    assert "1 added" in handlers.refresh_articles()
    (articles_dir / "zoo.txt").write_text(
        "Zoo welcomes panda\n10:00 JST, May 2, 2024\nThe city zoo welcomed a giant panda named Lulu.\n"
    )
    assert "1 added, 0 updated, 1 skipped" in handlers.refresh_articles()
    turns, _ = last(handlers.chat("What is the name of the zoo's giant panda?", []))
    assert "Lulu" in _answer(turns[0]).text


@pytest.mark.browser
def test_chat_in_a_real_browser(running_app: tuple[str, dict[str, str]]) -> None:
    if not Path(CHROMIUM).exists():
        pytest.fail("Chromium is missing: `make test` installs it (apt-get install chromium)")
    from gradio_client import Client
    from playwright.sync_api import expect, sync_playwright

    osa = Answer.model_validate(
        Client(running_app[0], verbose=False).predict("What is OSA?", api_name="/ask")
    )
    assert osa.citations
    with sync_playwright() as p:
        browser = p.chromium.launch(
            executable_path=CHROMIUM,
            headless=True,
            args=[
                "--no-sandbox",
                "--disable-background-networking",
                "--disable-gpu",
                "--disable-component-update",
                "--disable-sync",
                "--no-first-run",
            ],
        )
        page = browser.new_page()
        page.goto(running_app[0])
        chat = page.locator("#chat")
        bots = chat.locator(".message.bot")
        chat.get_by_text("What is OSA?", exact=True).click(timeout=30_000)  # an example
        bot = bots.last
        expect(bot).to_contain_text("Official Security Assistance", timeout=60_000)
        # The sources drawn are the Answer's: outlet, title, date, and each quote verbatim.
        for citation in osa.citations:
            heading = f"[{citation.number}] {citation.source} — “{citation.title}” — "
            expect(bot).to_contain_text(heading + citation.published_at[:10])
        quotes = [" ".join(q.split()) for c in osa.citations for q in c.quotes]
        expect(bot.locator("blockquote p")).to_have_text(quotes)
        page.screenshot(path=str(SCREENSHOT_DIR / "chat.png"), full_page=True)

        box = page.locator("#question textarea")
        box.fill("When will the agreement be signed?")
        box.press("Enter")
        expect(bots.nth(1)).to_contain_text("autumn", timeout=60_000)
        expect(bots.nth(1).locator("blockquote")).to_contain_text("signed in autumn")
        box.fill("Tell me more about it")  # only the conversation says what "it" is
        box.press("Enter")
        expect(bots.nth(2)).to_contain_text("Official Security Assistance", timeout=60_000)

        box.fill("What is the capital of Peru?")
        box.press("Enter")
        refusals = chat.get_by_text("The coverage I have does not answer that.")
        expect(refusals).to_have_count(1, timeout=60_000)
        expect(bots.nth(3)).to_contain_text("Closest coverage")

        page.get_by_text("Filters: outlets, dates").click()  # the accordion under the chat
        page.locator("#outlets input").first.click()  # its choices: the index's outlets
        expect(page.get_by_role("option", name="The Japan News")).to_be_visible(timeout=10_000)
        page.keyboard.press("Escape")
        page.locator("#as-of textarea, #as-of input").first.fill("2024-07-01")
        box.fill("what is OSA?")
        box.press("Enter")
        expect(refusals).to_have_count(2, timeout=60_000)  # the article was not out yet
        page.screenshot(path=str(SCREENSHOT_DIR / "chat-filters.png"), full_page=True)

        chat.get_by_role("button", name="Clear").click()  # a new conversation
        expect(bots).to_have_count(0)
        box.fill("Tell me more about it")
        box.press("Enter")
        expect(bots.last).to_contain_text(NEEDS_A_SUBJECT, timeout=60_000)
        browser.close()


@pytest.mark.integration
def test_a_failed_warm_up_is_logged_not_raised(
    settings: StoreSettings, caplog: pytest.LogCaptureFixture
) -> None:
    unreachable = settings.model_copy(update={"chroma_url": f"http://127.0.0.1:{free_port()}"})
    with caplog.at_level("WARNING", logger="newsdesk.app"):
        _warm_up(unreachable)
    assert "Warm-up failed" in caplog.text
