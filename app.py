"""The Newsdesk chat UI (Gradio): answers with their numbered sources underneath.

Run `make run`, or `python app.py [--host 127.0.0.1] [--port 7860]`. Besides the page, the
app serves two API endpoints: `/ask` (a question, as JSON: the `Answer`) and `/refresh`.
With `NEWSDESK_FETCH_EVERY` set (`30m`), it also fetches the sources and refreshes the
index in the background that often.
"""

from __future__ import annotations

import argparse
import logging
import os
import signal
import threading
from types import FrameType
from typing import Any

os.environ.setdefault("GRADIO_ANALYTICS_ENABLED", "False")  # no calls home from a newsroom tool

import gradio as gr  # noqa: E402
from pydantic import Field, field_validator  # noqa: E402
from pydantic_settings import BaseSettings, SettingsConfigDict  # noqa: E402

from qa import AnswerSettings, warm_up  # noqa: E402
from ui import Handlers, Turn, chat_messages  # noqa: E402
from vectorstore import BackgroundRefresh, StoreSettings  # noqa: E402
from vectorstore.sources import parse_interval  # noqa: E402

logger = logging.getLogger("newsdesk.app")


class UISettings(BaseSettings):
    """Where the chat UI listens (`NEWSDESK_HOST`, `NEWSDESK_PORT`), and how often it
    fetches and refreshes in the background (`NEWSDESK_FETCH_EVERY`)."""

    model_config = SettingsConfigDict(env_prefix="NEWSDESK_", extra="ignore")

    host: str = "127.0.0.1"
    port: int = Field(7860, ge=1, le=65535)
    fetch_every: str | None = Field(
        None,
        description="Fetch the sources, then refresh, this often (30m, 2h, 1d) while the app "
        "runs; unset: never in the background.",
    )

    @field_validator("fetch_every")
    @classmethod
    def _check_every(cls, value: str | None) -> str | None:
        value = (value or "").strip()
        if not value:
            return None
        try:
            parse_interval(value)
        except ValueError as exc:
            raise ValueError(f"NEWSDESK_FETCH_EVERY: {exc}") from None
        return value


def background_refresh(ui: UISettings, store: StoreSettings) -> BackgroundRefresh | None:
    """The background fetch-then-refresh `NEWSDESK_FETCH_EVERY` asks for (not started), or
    None when it is unset."""
    if ui.fetch_every is None:
        return None
    return BackgroundRefresh(store, parse_interval(ui.fetch_every))


EXAMPLES = [
    "What is OSA?",
    "Who will Kishida meet in Mongolia?",
    "Why does Mongolia want closer ties with Japan?",
]
INTRO = (
    "# Newsdesk\nAsk about the news coverage in the archive. Every answer cites its "
    "sources: outlet, title, date and the quoted passage. Questions may name a period "
    "(“this week”, “in August 2024”); the filters below narrow the coverage."
)


def build_app(store: StoreSettings, answering: AnswerSettings | None = None) -> gr.Blocks:
    """The chat page: a conversation, example questions, filters (outlets, days, "as of")
    under it, and a refresh button; and the `/ask` and `/refresh` API endpoints."""
    handlers = Handlers(store, answering)
    with gr.Blocks(title="Newsdesk") as demo:
        gr.Markdown(INTRO)
        turns = gr.State([])  # the conversation: one `Turn` (with its `Answer`) per question
        asked = gr.State("")  # the question being answered
        chat = gr.Chatbot(
            label="Newsdesk",
            height=520,
            elem_id="chat",
            examples=[{"text": question} for question in EXAMPLES],
            latex_delimiters=[],  # a "$" in a quote is money, not mathematics
        )
        question = gr.Textbox(
            placeholder="Ask about the news, e.g. What is OSA?",
            show_label=False,
            submit_btn=True,
            elem_id="question",
        )
        with gr.Accordion("Filters: outlets, dates, “as of”", open=False, elem_id="filters"):
            outlets = gr.Dropdown(
                [],
                multiselect=True,
                allow_custom_value=True,
                label="Outlets (none: all)",
                elem_id="outlets",
            )
            with gr.Row():
                since = gr.Textbox(
                    label="From (YYYY-MM-DD)", placeholder="any day", elem_id="since"
                )
                until = gr.Textbox(label="To (YYYY-MM-DD)", placeholder="any day", elem_id="until")
                as_of = gr.Textbox(
                    label="As of (YYYY-MM-DD): “now” for the question",
                    placeholder="today",
                    elem_id="as-of",
                )
        with gr.Row():
            stop = gr.Button("Stop answering", elem_id="stop", scale=0, variant="stop")
            button = gr.Button("Refresh articles", elem_id="refresh", scale=0)
            status = gr.Markdown(elem_id="refresh-status")

        def show_question(text: str, kept: list[Turn]) -> tuple[Any, list[dict[str, str]], str]:
            return gr.Textbox(value="", interactive=False), chat_messages(kept, text), text

        def show_example(kept: list[Turn], example: gr.SelectData) -> Any:
            return show_question(str(example.value["text"]), kept)

        def outlet_choices() -> Any:
            return gr.Dropdown(choices=handlers.outlets())

        # The page's own events stay private: `/ask` is the one public question endpoint.
        private: dict[str, Any] = {"api_visibility": "private"}
        shown = [question, chat, asked]
        answers: list[Any] = []
        for asking in (
            question.submit(show_question, [question, turns], shown, queue=False, **private),
            chat.example_select(show_example, [turns], shown, queue=False, **private),
        ):
            answer = asking.then(
                handlers.chat,
                [asked, turns, outlets, since, until, as_of],
                [turns, chat],
                **private,
            )
            answer.then(
                lambda: gr.Textbox(interactive=True), None, question, queue=False, **private
            )
            answers.append(answer)
        # Stop: the answer being written is cancelled (its generation with it).
        # Cancel first; once the cancelled event's last update is in, replace its draft.
        stop.click(None, None, None, cancels=answers, queue=False, **private).then(
            handlers.stop, [turns], [turns, chat], **private
        ).then(lambda: gr.Textbox(interactive=True), None, question, queue=False, **private)
        chat.clear(lambda: [], None, turns, queue=False, **private)

        gr.api(handlers.ask_api, api_name="ask")
        button.click(handlers.refresh_articles, outputs=status, api_name="refresh").then(
            outlet_choices, outputs=outlets, **private
        )
        demo.load(outlet_choices, outputs=outlets, **private)
    return demo


def main(argv: list[str] | None = None) -> None:
    """Start the UI on the configured host and port."""
    parser = argparse.ArgumentParser(description="Newsdesk chat UI")
    parser.add_argument("--host", help="address to bind (NEWSDESK_HOST, default 127.0.0.1)")
    parser.add_argument("--port", type=int, help="port (NEWSDESK_PORT, default 7860)")
    args = parser.parse_args(argv)
    logging.basicConfig(level=logging.INFO, format="%(levelname)s %(name)s: %(message)s")
    overrides = {k: v for k, v in {"host": args.host, "port": args.port}.items() if v is not None}
    ui = UISettings(**overrides)
    store, answering = StoreSettings(), AnswerSettings()
    background = background_refresh(ui, store)
    threading.Thread(target=_warm_up, args=(store, answering), daemon=True).start()
    # A SIGTERM (a service manager stopping the app) ends it as Ctrl-C does, through the
    # `finally` below.
    signal.signal(signal.SIGTERM, _interrupt)
    try:
        if background is not None:
            background.start()
            logger.info("Fetching and refreshing every %s in the background", ui.fetch_every)
        build_app(store, answering).launch(server_name=ui.host, server_port=ui.port)
    finally:
        if background is not None:
            background.stop(timeout=10)


def _interrupt(signum: int, frame: FrameType | None) -> None:
    raise KeyboardInterrupt


def _warm_up(store: StoreSettings, answering: AnswerSettings | None = None) -> None:
    """Load the model and the indexes while the page opens; a failure shows on first ask."""
    try:
        warm_up(store, answering)
        logger.info("Ready: the model and the indexes are loaded")
    except Exception:  # noqa: BLE001 - the first question reports it to the reader
        logger.warning("Warm-up failed; the first question will retry", exc_info=True)


if __name__ == "__main__":
    main()
