"""The chat with the LLM answerer (SmolLM2-135M in process): the draft streams, the checked
answer replaces it, and a reader can stop an answer. In a real Chromium."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.conftest import serving_app
from tests.test_app import CHROMIUM, SCREENSHOT_DIR
from ui import Handlers, Turn
from ui.handlers import STOPPED
from ui.render import WRITING
from vectorstore import StoreSettings

LONG_QUESTION = "Why does Mongolia want closer ties with Japan?"  # SmolLM2 writes at length


@pytest.mark.unit
def test_closing_the_chat_stops_the_stream_and_stop_replaces_the_draft(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    closed = []

    def writing(*args: object) -> Iterator[str]:
        try:
            while True:
                yield "word "
        finally:
            closed.append(True)

    handlers = Handlers(StoreSettings())
    monkeypatch.setattr(Handlers, "_stream", lambda self, *args: writing(*args))
    updates = handlers.chat("Why?", [])
    turns, messages = next(updates)
    assert turns[-1].answer is None and turns[-1].draft
    assert messages[-1]["content"].endswith(WRITING)
    updates.close()  # what Gradio does when the Stop button cancels the event
    assert closed == [True]
    turns, messages = handlers.stop(turns)
    assert turns[-1] == Turn("Why?", notice=STOPPED)
    assert messages[-1]["content"] == STOPPED
    kept = [Turn("Earlier?", notice="x")]
    assert handlers.stop(kept)[0] == kept  # nothing being written: nothing changes


@pytest.mark.browser
@pytest.mark.llm
def test_a_written_answer_streams_is_checked_and_can_be_stopped(
    seed_settings: StoreSettings, tmp_path: Path
) -> None:
    from playwright.sync_api import expect, sync_playwright

    env = {"NEWSDESK_ANSWERER": "llm", "NEWSDESK_LLM_MAX_TOKENS": "1024"}
    with serving_app(seed_settings, tmp_path, env) as (url, _, _), sync_playwright() as p:
        browser = p.chromium.launch(
            executable_path=CHROMIUM,
            headless=True,
            args=["--no-sandbox", "--disable-background-networking", "--disable-gpu"],
        )
        page = browser.new_page()
        page.goto(url)
        bots = page.locator("#chat .message.bot")
        box = page.locator("#question textarea")
        box.fill("What is OSA?")
        box.press("Enter")
        # The checked answer (or the marked extracted one) replaces the draft, with sources.
        expect(bots.last).to_contain_text("Sources", timeout=120_000)
        expect(bots.last).not_to_contain_text("Writing…")
        expect(bots.last).to_contain_text("Official Security Assistance")
        page.screenshot(path=str(SCREENSHOT_DIR / "chat-llm.png"), full_page=True)

        box.fill(LONG_QUESTION)
        box.press("Enter")
        expect(bots.nth(1)).to_contain_text("Writing…", timeout=120_000)  # the draft streams
        page.locator("#stop").click()
        expect(bots.nth(1)).to_contain_text(STOPPED, timeout=30_000)
        expect(box).to_be_editable(timeout=10_000)
        browser.close()
    assert "Answerer: llm" in (tmp_path / "app.log").read_text()  # startup says which
