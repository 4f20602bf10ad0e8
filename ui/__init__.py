"""The chat UI's parts that do not draw: the conversation, its Markdown, the handlers."""

from ui.conversation import Turn, earlier_turns
from ui.handlers import Handlers, reader_message
from ui.render import chat_messages, escape_markdown, render_answer

__all__ = [
    "Handlers",
    "Turn",
    "chat_messages",
    "earlier_turns",
    "escape_markdown",
    "reader_message",
    "render_answer",
]
