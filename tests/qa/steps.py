"""Running an answerer on one plan step, as the chain does, for unit tests."""

from __future__ import annotations

import re
from dataclasses import replace

from langchain_core.documents import Document

from qa import Answerer, DigestKind, plan
from qa.models import Answer


def answer_with(
    answerer: Answerer,
    question: str,
    documents: list[Document],
    mentions: re.Pattern[str] | None = None,
) -> Answer:
    """The answerer on a search step for `question`, over `documents`."""
    step = replace(plan(question), digest=DigestKind.NONE, needs_subject=False, mentions=mentions)
    return answerer.answer(step, documents)


def digest_with(
    answerer: Answerer,
    question: str,
    leads: list[Document],
    mentions: re.Pattern[str] | None = None,
) -> Answer:
    """The answerer on a digest step for `question`, over `leads`."""
    step = replace(plan(question), digest=DigestKind.NEWEST, mentions=mentions)
    return answerer.answer(step, leads)


def passage(article_id: str, text: str) -> Document:
    """A retrieved passage: the article's text, titled by its id, from the "Daily"."""
    return Document(
        page_content=text,
        metadata={"article_id": article_id, "title": article_id, "source": "Daily"},
    )
