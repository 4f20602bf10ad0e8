"""The Gradio app: its handlers in-process, and the page in a real Chromium."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from app import _warm_up, build_app, history_pairs, known_sources, make_handlers
from tests.conftest import free_port
from vectorstore import StoreSettings

CHROMIUM = "/usr/bin/chromium"
SCREENSHOT_DIR = Path(os.environ.get("NEWSDESK_TEST_SCREENSHOTS", "/tmp"))


@pytest.mark.integration
def test_app_builds_and_answers_through_its_handler(seed_settings: StoreSettings) -> None:
    demo = build_app(seed_settings)
    assert demo.title == "Newsdesk"
    respond, _ = make_handlers(seed_settings)
    reply = respond("What is OSA?", [])
    answer, sources = reply.split("**Sources**")
    assert "Official Security Assistance" in answer and "[1]" in answer
    assert "**[1]** The Japan News" in sources
    assert "Japan, Mongolia to Reach Basic Agreement" in sources
    assert "2024-08-05" in sources
    assert "> The Japanese government is also considering adding Mongolia" in sources


@pytest.mark.integration
def test_handler_is_polite_about_bad_questions(seed_settings: StoreSettings) -> None:
    respond, _ = make_handlers(seed_settings)
    assert respond("", []) == "Please type a question about the news."
    assert "please keep it under 500" in respond("x" * 600, [])
    reply = respond("What is the capital of Peru?", [])
    assert "does not answer" in reply and "**Sources**" not in reply


@pytest.mark.integration
def test_handler_applies_the_outlet_date_and_as_of_filters(seed_settings: StoreSettings) -> None:
    respond, _ = make_handlers(seed_settings)
    assert known_sources(seed_settings) == ["The Japan News"]
    ours = respond("What is OSA?", [], ["The Japan News"], "2024-08-01", "2024-08-31", "")
    assert "Official Security Assistance" in ours and "2024-08-05" in ours
    assert "does not answer" in respond("What is OSA?", [], ["CNN"], "", "", "")
    assert "does not answer" in respond("What is OSA?", [], [], "2024-09-01", "", "")
    assert "does not answer" in respond("What is OSA?", [], [], "", "", "2024-07-01")
    bad = respond("What is OSA?", [], [], "last week", "", "")
    assert bad == "“last week” is not a date: type the first day as YYYY-MM-DD, e.g. 2024-08-05."
    swapped = respond("What is OSA?", [], [], "2024-08-31", "2024-08-01", "")
    assert swapped == "The first day (2024-08-31) is after the last (2024-08-01): swap them?"


@pytest.mark.integration
def test_handler_follows_up_on_the_conversation(seed_settings: StoreSettings) -> None:
    respond, _ = make_handlers(seed_settings)
    first = respond("Who will Kishida meet in Mongolia?", [])
    history = [
        {"role": "user", "content": "Who will Kishida meet in Mongolia?"},
        {"role": "assistant", "content": first},
    ]
    assert "November 2022" in respond("When did they last meet?", history)


@pytest.mark.integration
def test_handler_answers_what_is_in_the_news_with_a_digest(seed_settings: StoreSettings) -> None:
    respond, _ = make_handlers(seed_settings)
    week = respond("What happened this week?", [], [], "", "", "2024-08-06")
    assert week.startswith("The Japanese and Mongolian governments have entered the final phase")
    assert "2024-08-05" in week
    quiet = respond("What happened this week?", [], [], "", "", "2024-09-30")
    assert "Nothing I have indexed was published between 2024-09-22 and 2024-09-30." in quiet


@pytest.mark.unit
def test_history_pairs_drop_sources_and_read_gradio_content_lists() -> None:
    history = [
        {"role": "user", "content": [{"type": "text", "text": "Q1"}]},
        {"role": "assistant", "content": "A1 [1].\n\n**Sources**\n\n**[1]** X"},
        {"role": "user", "content": "Q2"},
    ]
    assert history_pairs(history) == [("Q1", "A1 [1].")]


@pytest.mark.integration
def test_refresh_button_handler_indexes_new_articles(
    settings: StoreSettings, articles_dir: Path
) -> None:
    respond, refresh_articles = make_handlers(settings)
    assert "1 added" in refresh_articles()
    (articles_dir / "zoo.txt").write_text(
        "Zoo welcomes panda\n10:00 JST, May 2, 2024\nThe city zoo welcomed a giant panda named Lulu.\n"
    )
    assert "1 added, 0 updated, 1 skipped" in refresh_articles()
    assert "Lulu" in respond("What is the name of the zoo's giant panda?", [])


@pytest.mark.browser
def test_chat_in_a_real_browser(running_app: tuple[str, dict[str, str]]) -> None:
    if not Path(CHROMIUM).exists():
        pytest.fail("Chromium is missing: `make test` installs it (apt-get install chromium)")
    from playwright.sync_api import expect, sync_playwright

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
        expect(page.get_by_text("What is OSA?").first).to_be_visible(timeout=30_000)
        box = page.locator("#question textarea")
        box.fill("what is OSA?")
        box.press("Enter")
        bot = page.locator("#chat .message.bot, #chat [data-testid='bot']").last
        expect(bot).to_contain_text("Official Security Assistance", timeout=60_000)
        expect(bot).to_contain_text("The Japan News")
        expect(bot).to_contain_text("2024-08-05")
        expect(bot).to_contain_text("free of charge to military forces")
        page.screenshot(path=str(SCREENSHOT_DIR / "chat.png"), full_page=True)

        box.fill("What is the capital of Peru?")
        box.press("Enter")
        refusals = page.locator("#chat").get_by_text("The coverage I have does not answer that.")
        expect(refusals).to_have_count(1, timeout=60_000)

        page.get_by_text("Filters: outlets, dates").click()  # the accordion under the chat
        page.locator("#outlets input").first.click()  # its choices: the index's outlets
        expect(page.get_by_role("option", name="The Japan News")).to_be_visible(timeout=10_000)
        page.keyboard.press("Escape")
        page.locator("#as-of textarea, #as-of input").first.fill("2024-07-01")
        box.fill("what is OSA?")
        box.press("Enter")
        expect(refusals).to_have_count(2, timeout=60_000)  # the article was not out yet
        page.screenshot(path=str(SCREENSHOT_DIR / "chat-filters.png"), full_page=True)
        browser.close()


@pytest.mark.integration
def test_a_failed_warm_up_is_logged_not_raised(
    settings: StoreSettings, caplog: pytest.LogCaptureFixture
) -> None:

    unreachable = settings.model_copy(update={"chroma_url": f"http://127.0.0.1:{free_port()}"})
    with caplog.at_level("WARNING", logger="newsdesk.app"):
        _warm_up(unreachable)
    assert "Warm-up failed" in caplog.text
