"""The Newsdesk chat UI (Gradio): answers with their numbered sources underneath.

Run `make run`, or `python app.py [--host 127.0.0.1] [--port 7860]`.
"""

from __future__ import annotations

import argparse
import html
import logging
import os
import threading
from datetime import date
from typing import Any

os.environ.setdefault("GRADIO_ANALYTICS_ENABLED", "False")  # no calls home from a newsroom tool

import gradio as gr  # noqa: E402
from pydantic import Field  # noqa: E402
from pydantic_settings import BaseSettings, SettingsConfigDict  # noqa: E402

from qa import Answer, Filters, InvalidQuestionError, ask, warm_up
from vectorstore import NewsdeskError, StoreSettings, indexed_sources, refresh

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
_SOURCES_HEADING = "\n\n**Sources**"


def render(answer: Answer) -> str:
    """The answer as Markdown, its numbered sources (outlet, title, date, quote) underneath."""
    parts = [html.escape(answer.text, quote=False)]
    if answer.citations:
        parts.append(_SOURCES_HEADING.strip())
        for c in answer.citations:
            title = f"[{_md(c.title)}]({c.url})" if c.url else f"“{_md(c.title)}”"
            date = f" — {c.published_at[:10]}" if c.published_at else ""
            parts.append(
                f"**[{c.number}]** {_md(c.source or 'Unknown outlet')} — {title}{date}\n"
                f"> {_md(c.quote)}"
            )
    elif answer.related:
        parts.append("**Closest coverage** (it does not answer the question)")
        for c in answer.related:
            date = f" — {c.published_at[:10]}" if c.published_at else ""
            parts.append(f"- {_md(c.source or 'Unknown outlet')} — “{_md(c.title)}”{date}")
    return "\n\n".join(parts)


def _md(text: str) -> str:
    return html.escape(text, quote=False).replace("*", r"\*").replace("_", r"\_")


def _text(content: Any) -> str:
    """The text of a chat message's content, whatever shape Gradio gave it."""
    if isinstance(content, str):
        return content
    if isinstance(content, dict):
        return str(content.get("text") or content.get("content") or "")
    if isinstance(content, list):
        return " ".join(_text(item) for item in content)
    return ""


def history_pairs(history: list[dict[str, Any]]) -> list[tuple[str, str]]:
    """Gradio's message list as (question, answer text) turns, sources left out."""
    pairs: list[tuple[str, str]] = []
    question = None
    for message in history or []:
        role = message.get("role") if isinstance(message, dict) else getattr(message, "role", None)
        content = (
            message.get("content") if isinstance(message, dict) else getattr(message, "content", "")
        )
        text = _text(content)
        if role == "user":
            question = text
        elif role == "assistant" and question is not None:
            pairs.append((question, html.unescape(text.split(_SOURCES_HEADING)[0])))
            question = None
    return pairs


class _BadDate(ValueError):
    pass


def _day(label: str, text: str | None) -> date | None:
    """A day typed in a filter box: empty is none, else YYYY-MM-DD."""
    text = (text or "").strip()
    if not text:
        return None
    try:
        return date.fromisoformat(text)
    except ValueError:
        raise _BadDate(
            f"“{text}” is not a date: type the {label} day as YYYY-MM-DD, e.g. 2024-08-05."
        ) from None


def known_sources(settings: StoreSettings) -> list[str]:
    """The outlets in the index, for the outlet filter (none before the first refresh)."""
    return indexed_sources(settings.lexical_db)


def make_handlers(settings: StoreSettings) -> tuple[Any, Any]:
    """The chat handler and the refresh handler, bound to one configuration."""

    def respond(
        message: str,
        history: list[dict[str, Any]],
        sources: list[str] | None = None,
        since: str | None = None,
        until: str | None = None,
        as_of: str | None = None,
    ) -> str:
        """Answer `message`; the filter boxes restrict it to outlets and days, and set "now"."""
        try:
            first, last = _day("first", since), _day("last", until)
            if first and last and first > last:
                raise _BadDate(f"The first day ({first}) is after the last ({last}): swap them?")
            filters = Filters(sources=list(sources or []), since=first, until=last)
            now = _day("“as of”", as_of)
            answer = ask(
                message,
                history=history_pairs(history),
                as_of=now,
                filters=filters,
                store=settings,
            )
        except (InvalidQuestionError, _BadDate) as exc:
            return str(exc)
        except NewsdeskError as exc:
            logger.exception("Question failed")
            return f"Sorry, Newsdesk cannot answer right now: {exc}"
        return render(answer)

    def refresh_articles() -> str:
        try:
            report = refresh(settings)
        except NewsdeskError as exc:
            return f"Refresh not run: {exc}"
        lines = [f"Refreshed {settings.articles_dir}: {report.summary()}."]
        lines += [f"- skipped {f.path}: {f.reason}" for f in report.failed]
        return "\n".join(lines)

    return respond, refresh_articles


def build_app(settings: StoreSettings) -> gr.Blocks:
    """The chat page: a conversation, example questions, filters (outlets, days, "as of")
    under it, and a refresh button."""
    respond, refresh_articles = make_handlers(settings)
    outlets = gr.Dropdown(
        [],
        multiselect=True,
        allow_custom_value=True,
        label="Outlets (none: all)",
        elem_id="outlets",
        render=False,
    )
    filters = [  # rendered by the chat, in its accordion; passed to `respond` in this order
        outlets,
        gr.Textbox(label="From (YYYY-MM-DD)", placeholder="any day", elem_id="since", render=False),
        gr.Textbox(label="To (YYYY-MM-DD)", placeholder="any day", elem_id="until", render=False),
        gr.Textbox(
            label="As of (YYYY-MM-DD): “now” for the question",
            placeholder="today",
            elem_id="as-of",
            render=False,
        ),
    ]

    def outlet_choices() -> Any:
        return gr.Dropdown(choices=known_sources(settings))

    with gr.Blocks(title="Newsdesk") as demo:
        gr.Markdown(
            "# Newsdesk\nAsk about the news coverage in the archive. Every answer cites its "
            "sources: outlet, title, date and the quoted passage. Questions may name a period "
            "(“this week”, “in August 2024”); the filters below narrow the coverage."
        )
        gr.ChatInterface(
            respond,
            examples=[[question] for question in EXAMPLES],
            chatbot=gr.Chatbot(label="Newsdesk", height=520, elem_id="chat"),
            textbox=gr.Textbox(
                placeholder="Ask about the news, e.g. What is OSA?", elem_id="question"
            ),
            api_name="ask",
            additional_inputs=filters,
            additional_inputs_accordion=gr.Accordion(
                "Filters: outlets, dates, “as of”", open=False, elem_id="filters", render=False
            ),
        )
        with gr.Row():
            button = gr.Button("Refresh articles", elem_id="refresh", scale=0)
            status = gr.Markdown(elem_id="refresh-status")
        button.click(refresh_articles, outputs=status, api_name="refresh").then(
            outlet_choices, outputs=outlets, api_visibility="private"
        )
        demo.load(outlet_choices, outputs=outlets, api_visibility="private")
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
    settings = StoreSettings()
    threading.Thread(target=_warm_up, args=(settings,), daemon=True).start()
    build_app(settings).launch(server_name=ui.host, server_port=ui.port)


def _warm_up(settings: StoreSettings) -> None:
    """Load the model and the indexes while the page opens; a failure shows on first ask."""
    try:
        warm_up(settings)
        logger.info("Ready: the model and the indexes are loaded")
    except Exception:  # noqa: BLE001 - the first question reports it to the reader
        logger.warning("Warm-up failed; the first question will retry", exc_info=True)


if __name__ == "__main__":
    main()
