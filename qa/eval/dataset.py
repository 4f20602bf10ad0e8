"""The RealTime QA files: questions with gold articles, and the corpus to index.

`prepare_corpus` puts the articles file alone in a folder (the refresh reads a
whole folder), cut down to the gold articles plus the first distractors when
`limit` is given.
"""

from __future__ import annotations

import hashlib
import json
import logging
from collections.abc import Iterator
from enum import StrEnum
from pathlib import Path
from typing import Any

from pydantic import BaseModel, Field, model_validator

from vectorstore import ArticleError
from vectorstore.duplicates import duplicate_keys
from vectorstore.parsing.jsonl import parse_record

logger = logging.getLogger(__name__)

CORPUS_FILE = "articles.jsonl"


class Split(StrEnum):
    """Which questions to evaluate: tune on `dev`, report on `test`."""

    DEV = "dev"
    TEST = "test"
    ALL = "all"


class Expect(StrEnum):
    """What the coverage should do with a question of a written set (`bench/questions/`)."""

    ANSWER = "answer"  # its article states the asked fact
    NEAR_MISS = "near_miss"  # its story is covered, the asked fact is not: refuse
    ABSENT = "absent"  # no article covers its story: refuse


class Evidence(BaseModel):
    """The quiz's source for an answer: an article id (None when not in the corpus)."""

    article_id: str | None = None
    fact: str | None = None
    url: str | None = None


class EvalQuestion(BaseModel):
    """One quiz question of `questions.jsonl`.

    Example:
        >>> q = EvalQuestion(id="x", question="Q?", answer="B", choices=["A", "B"],
        ...                  answer_index=[1], question_date="2022-06-16")
        >>> q.gold_choice
        'B'
    """

    id: str
    question: str
    answer: str
    choices: list[str] = Field(default_factory=list)  # a written set has none
    answer_index: list[int] = Field(default_factory=list)
    question_date: str
    evidence: list[Evidence] = Field(default_factory=list)
    has_gold_article: bool = False
    week: str = ""
    split: str = "dev"
    expect: Expect = Expect.ANSWER
    kind: str = Field(
        "", description="What is asked: who, when, how_many, define, … (written sets)."
    )

    @model_validator(mode="before")
    @classmethod
    def _written(cls, data: Any) -> Any:
        """A written set's line names its article (`article_id`) and what to `expect`:
        the article is its gold one, and it is in the corpus unless the story is absent."""
        if isinstance(data, dict) and "expect" in data and "evidence" not in data:
            article = data.get("article_id") or None
            data = dict(data) | {
                "evidence": [{"article_id": article}] if article else [],
                "has_gold_article": article is not None,
            }
        return data

    @property
    def written(self) -> bool:
        """Whether it comes from a written set (no choices: no multiple-choice figure)."""
        return not self.choices

    @property
    def gold_articles(self) -> set[str]:
        """The ids of the articles the quiz cites."""
        return {e.article_id for e in self.evidence if e.article_id}

    @property
    def gold_choice(self) -> str:
        """The right choice (the data's `answer_index` is a one-element list)."""
        return self.choices[self.answer_index[0]]


def load_questions(
    path: Path, split: Split, limit: int | None = None, *, with_gold: bool = True
) -> list[EvalQuestion]:
    """The questions of `split` that have a gold article (or, `with_gold=False`, those
    whose gold article is not in the corpus), in file order, at most `limit`. A written
    set (`bench/questions/`) is taken whole: its answerable, near-miss and absent-story
    questions are measured apart."""
    questions = []
    for record in _records(path):
        question = EvalQuestion.model_validate(record)
        if not question.written and question.has_gold_article is not with_gold:
            continue
        if split is not Split.ALL and question.split != split.value:
            continue
        questions.append(question)
        if limit is not None and len(questions) >= limit:
            break
    return questions


class Corpus(BaseModel):
    """The articles to index: a folder holding only `articles.jsonl`, and what is in it.

    `aliases` maps an article id to the ids of articles with the same text (or URL):
    the refresh indexes such repeats once, under the first id.
    """

    folder: Path
    articles: int
    fingerprint: str
    limited: bool = False
    aliases: dict[str, list[str]] = Field(default_factory=dict)

    @property
    def file(self) -> Path:
        """The JSON Lines file the pipelines index."""
        return self.folder / CORPUS_FILE

    def gold_for(self, question: EvalQuestion) -> set[str]:
        """The question's gold article ids, plus the ids their text is indexed under."""
        gold = set(question.gold_articles)
        for article in question.gold_articles:
            gold.update(self.aliases.get(article, []))
        return gold


def prepare_corpus(
    articles: Path, folder: Path, questions: list[EvalQuestion], limit: int | None = None
) -> Corpus:
    """Write (or link) the corpus into `folder`; keep gold articles first when limiting.

    Args:
        articles: The benchmark's `articles.jsonl`.
        folder: Where the corpus goes; it holds nothing else.
        questions: The selected questions, whose gold articles are always kept.
        limit: At most this many articles (never fewer than the gold ones), or all.

    Returns:
        The `Corpus`, with its article count and a fingerprint of its content.
    """
    folder.mkdir(parents=True, exist_ok=True)
    target = folder / CORPUS_FILE
    lines = [line for line in articles.read_bytes().splitlines() if line.strip()]
    if limit is not None:
        lines = _limited(lines, {a for q in questions for a in q.gold_articles}, limit)
        payload = b"\n".join(lines) + b"\n"
        if not target.exists() or target.is_symlink() or target.read_bytes() != payload:
            target.unlink(missing_ok=True)
            target.write_bytes(payload)
    elif not (target.is_symlink() and target.resolve() == articles.resolve()):
        target.unlink(missing_ok=True)
        target.symlink_to(articles.resolve())
    digest = hashlib.sha256()
    for line in lines:
        digest.update(line + b"\n")
    return Corpus(
        folder=folder,
        articles=len(lines),
        fingerprint=digest.hexdigest()[:16],
        limited=limit is not None,
        aliases=_aliases(json.loads(line) for line in lines),
    )


def _records(path: Path) -> Iterator[dict[str, Any]]:
    with path.open(encoding="utf-8") as lines:
        for line in lines:
            if line.strip():
                yield json.loads(line)


def _limited(lines: list[bytes], gold: set[str], limit: int) -> list[bytes]:
    """Gold articles plus the first others in file order, up to `limit`; file order kept."""
    ids = [str(json.loads(line).get("id", "")) for line in lines]
    keep = {i for i, article in enumerate(ids) if article in gold}
    if len(keep) > limit:
        logger.warning("%d gold articles exceed the limit of %d: all kept", len(keep), limit)
    for i in range(len(lines)):
        if len(keep) >= limit:
            break
        keep.add(i)
    return [line for i, line in enumerate(lines) if i in keep]


def _aliases(records: Iterator[dict[str, Any]]) -> dict[str, list[str]]:
    """Article id -> ids of the articles that repeat its body or URL (as the refresh sees it)."""
    groups: dict[str, list[str]] = {}
    owner: dict[str, str] = {}
    for number, record in enumerate(records):
        try:
            article = parse_record(record, f"{CORPUS_FILE}:{number}")
        except ArticleError:
            continue  # the refresh skips it too
        keys = duplicate_keys(article)
        first = next((owner[key] for key in keys if key in owner), article.id)
        for key in keys:
            owner.setdefault(key, first)
        groups.setdefault(first, []).append(article.id)
    aliases: dict[str, list[str]] = {}
    for members in groups.values():
        if len(members) > 1:
            for member in members:
                aliases[member] = [other for other in members if other != member]
    return aliases
