"""An `Answer` drawn as the chat's Markdown: its text, then its sources or the closest coverage.

Everything shown comes from the `Answer`'s fields; every piece of article text is escaped,
so a title or a quote shows exactly as written (no emphasis, links or HTML of its own).
"""

from __future__ import annotations

import re
from urllib.parse import quote as _percent_encode

from qa import Answer, Citation
from ui.conversation import Turn

SOURCES_HEADING = "**Sources**"
WRITING = "_Writing… the citations are checked when it finishes; this draft is then replaced._"
RELATED_HEADING = "**Closest coverage** (it does not answer the question)"

# Characters that start emphasis, code, links (and images), HTML, entities, tables,
# strikethrough or LaTeX anywhere in a line, and list items or headings at its start. They
# become character references, which Markdown shows as the character and never reads as
# syntax; a backslash escape is not enough inside a link's text.
_INLINE = re.compile(r"[\\`*_\[\]<>&#|~$]")
_LINE_START = re.compile(r"^(\d*)([-+=.)])")
_URL_SAFE = ":/?#[]@!$&'*+,;=%~"  # everything else (spaces, parentheses, <, >) is encoded


def escape_markdown(text: str) -> str:
    """`text` on one line, as Markdown that shows it character for character.

    Runs of whitespace (line breaks too) become one space: a quote stays one paragraph.

    Example:
        >>> escape_markdown("*Not* a [link]")
        '&#42;Not&#42; a &#91;link&#93;'
    """
    line = _INLINE.sub(_reference, " ".join(text.split()))
    return _LINE_START.sub(lambda m: m[1] + _reference(m, 2), line)


def _reference(match: re.Match[str], group: int = 0) -> str:
    return f"&#{ord(match[group])};"


def render_answer(answer: Answer) -> str:
    """The answer's text, its short answer in bold, then its numbered sources (outlet,
    title linked to its URL, date, and every sentence of the article it cites) or, for a
    refusal, the closest coverage.

    Example:
        >>> render_answer(Answer(text="Not in the coverage.", answered=False))
        'Not in the coverage.'
    """
    text = escape_markdown(answer.text)
    short = escape_markdown(answer.short or "")
    if short and short in text:
        text = text.replace(short, f"**{short}**", 1)
    parts = [text]
    if answer.notice:
        parts.append(f"_{escape_markdown(answer.notice)}_")
    if answer.written and answer.written.dropped:
        count = len(answer.written.dropped)
        parts.append(
            f"_{count} written sentence{'s' if count > 1 else ''} left out: "
            f"{'their sources do' if count > 1 else 'its source does'} not support "
            f"{'them' if count > 1 else 'it'}._"
        )
    if answer.citations:
        parts.append(SOURCES_HEADING)
        parts += [_source(c) for c in answer.citations]
    elif answer.related:
        parts.append(RELATED_HEADING)
        parts.append("\n".join(f"- {_heading(c)}" for c in answer.related))
    return "\n\n".join(parts)


def chat_messages(turns: list[Turn], pending: str | None = None) -> list[dict[str, str]]:
    """The chat's messages for the kept turns, and a question still being answered."""
    messages: list[dict[str, str]] = []
    for turn in turns:
        if turn.answer:
            reply = render_answer(turn.answer)
        elif turn.draft is not None:
            reply = f"{escape_markdown(turn.draft)}\n\n{WRITING}"
        else:
            reply = escape_markdown(turn.notice)
        messages.append({"role": "user", "content": escape_markdown(turn.question)})
        messages.append({"role": "assistant", "content": reply})
    if pending is not None:
        messages.append({"role": "user", "content": escape_markdown(pending)})
    return messages


def _source(citation: Citation) -> str:
    quotes = "\n>\n".join(f"> {escape_markdown(q)}" for q in citation.quotes)
    return f"**[{citation.number}]** {_heading(citation)}\n{quotes}"


def _heading(citation: Citation) -> str:
    """Outlet — title (a link when the article has a web address) — day."""
    title = escape_markdown(citation.title) or "Untitled"
    if citation.url.startswith(("https://", "http://")):
        title = f"[{title}]({_percent_encode(citation.url, safe=_URL_SAFE)})"
    else:
        title = f"“{title}”"
    parts = [escape_markdown(citation.source) or "Unknown outlet", title]
    if citation.published_at:
        parts.append(_INLINE.sub(_reference, citation.published_at[:10]))  # mid-line
    return " — ".join(parts)
