"""The chat's conversation as data: each turn keeps the `Answer` it got, not its Markdown."""

from __future__ import annotations

from dataclasses import dataclass

from qa import Answer


@dataclass(frozen=True)
class Turn:
    """One question of the conversation and what it got.

    `answer` is None when the question failed (a bad filter, nothing indexed, …); `notice`
    then says why, in words fit for the reader. While an answer is being written, `draft`
    holds its unchecked text so far (and `answer` is None).

    Example:
        >>> Turn("What is OSA?", notice="Nothing is indexed yet.").answer is None
        True
    """

    question: str
    answer: Answer | None = None
    notice: str = ""
    draft: str | None = None


def earlier_turns(turns: list[Turn]) -> list[tuple[str, str]]:
    """The (question, answer text) pairs `qa.ask(history=...)` follows up on; failed turns
    are left out, as the reader got no answer from them.

    Example:
        >>> earlier_turns([Turn("osa?", Answer(text="OSA is aid [1].", question="OSA?"))])
        [('OSA?', 'OSA is aid [1].')]
    """
    return [
        (turn.answer.question or turn.question, turn.answer.text)
        for turn in turns
        if turn.answer is not None
    ]
