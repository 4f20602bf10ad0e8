"""The Newsdesk chat UI (Gradio): answers with their numbered sources underneath.

Run `make run`, or `python app.py [--host 127.0.0.1] [--port 7860]`. Besides the page, the
app serves two API endpoints: `/ask` (a question, as JSON: the `Answer`) and `/refresh`.
"""

from __future__ import annotations

import argparse
import logging
import os
import threading
from typing import Any

os.environ.setdefault("GRADIO_ANALYTICS_ENABLED", "False")  # no calls home from a newsroom tool

import gradio as gr  # noqa: E402
from pydantic import Field  # noqa: E402
from pydantic_settings import BaseSettings, SettingsConfigDict  # noqa: E402

from qa import AnswerSettings, warm_up  # noqa: E402
from ui import Handlers, Turn, chat_messages  # noqa: E402
from vectorstore import StoreSettings  # noqa: E402

logger = logging.getLogger("newsdesk.app")


class UISettings(BaseSettings):
    """Where the chat UI listens (`NEWSDESK_HOST`, `NEWSDESK_PORT`)."""

    model_config = SettingsConfigDict(env_prefix="NEWSDESK_", extra="ignore")

    host: str = "127.0.0.1"
    port: int = Field(7860, ge=1, le=65535)


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
        stop.click(
            handlers.stop, [turns], [turns, chat], cancels=answers, queue=False, **private
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
    threading.Thread(target=_warm_up, args=(store, answering), daemon=True).start()
    build_app(store, answering).launch(server_name=ui.host, server_port=ui.port)


def _warm_up(store: StoreSettings, answering: AnswerSettings | None = None) -> None:
    """Load the model and the indexes while the page opens; a failure shows on first ask."""
    try:
        warm_up(store, answering)
        logger.info("Ready: the model and the indexes are loaded")
    except Exception:  # noqa: BLE001 - the first question reports it to the reader
        logger.warning("Warm-up failed; the first question will retry", exc_info=True)


if __name__ == "__main__":
    main()
