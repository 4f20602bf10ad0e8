"""Two runs' dev rows, question by question: what changed, field by field.

Reads `qa.eval` JSON files, those of this harness and of the one before it (whose
rows had a single `correct`, today's lenient figure). Only dev runs are compared:
a test-split file is refused, whatever it holds.
"""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any

from pydantic import BaseModel, ConfigDict, Field, ValidationError, model_validator

from qa.eval.dataset import Split
from qa.eval.metrics import strip_markers
from qa.eval.results import ANSWER_CHARS, answer_digest
from vectorstore.errors import NewsdeskError

# The row fields compared as they are; the answer text and the cited articles follow.
FIELDS = (
    "answer_digest",
    "answered",
    "short_answer_strict",
    "short_answer_lenient",
    "answer_has_gold",
    "asked_fact_strict",
    "short_exact",
    "early_answered",
    "early_has_gold",
    "hit_rank",
    "choice_correct",
)
_CUT_MARKER = re.compile(r"\s*\[\d*$")  # a marker the 300-character cut went through

Value = bool | int | str | list[str] | None


class ResultsFileError(NewsdeskError, ValueError):
    """A results file cannot be compared (unreadable, a test run, no such pipeline)."""


class ComparedRow(BaseModel):
    """The fields of a dev row that `compare` looks at; absent ones are not compared."""

    model_config = ConfigDict(extra="ignore")

    id: str
    answered: bool | None = None
    short_answer_strict: bool | None = None
    short_answer_lenient: bool | None = None
    answer_has_gold: bool | None = None
    asked_fact_strict: bool | None = None
    short_exact: bool | None = None
    early_answered: bool | None = None
    early_has_gold: bool | None = None
    hit_rank: int | None = None
    choice_correct: bool | None = None
    answer_digest: str | None = None
    answer: str | None = None
    cited: list[str] | None = None

    @model_validator(mode="before")
    @classmethod
    def _legacy(cls, data: Any) -> Any:
        """The harness before strict and lenient wrote the lenient figure as `correct`,
        and kept each answer's whole text instead of its digest."""
        if not isinstance(data, dict):
            return data
        data = dict(data)
        if "correct" in data and "short_answer_lenient" not in data:
            data["short_answer_lenient"] = data.pop("correct")
        legacy = "short_answer_strict" not in data  # it kept whole texts, never cut
        if legacy and data.get("answer") is not None and "answer_digest" not in data:
            data["answer_digest"] = answer_digest(data["answer"])
        return data

    def has(self, field: str) -> bool:
        """Whether the file held this field (None may be a value: no hit in the top 10)."""
        return field in self.model_fields_set


class FieldChange(BaseModel):
    """One field of one question, before and after."""

    field: str
    old: Value
    new: Value


class RowDiff(BaseModel):
    """A question whose row changed; `markers_only` when only its `[n]` markers did."""

    id: str
    changes: list[FieldChange] = Field(default_factory=list)
    markers_only: bool = False
    old_answer: str | None = None
    new_answer: str | None = None


class Comparison(BaseModel):
    """Two runs' rows of one pipeline, matched by question id.

    Example:
        >>> old = {"q1": ComparedRow(id="q1", answered=True)}
        >>> new = {"q1": ComparedRow(id="q1", answered=False)}
        >>> compare(old, new).differ[0].changes[0].field
        'answered'
    """

    compared: int = Field(description="Questions in both runs.")
    differ: list[RowDiff] = Field(default_factory=list)
    markers_only: list[RowDiff] = Field(
        default_factory=list, description="Rows alike but for the answer's `[n]` markers."
    )
    only_old: list[str] = Field(default_factory=list)
    only_new: list[str] = Field(default_factory=list)
    not_compared: list[str] = Field(
        default_factory=list, description="Fields one of the files lacks (an older harness)."
    )


class RunFile(BaseModel):
    """A results file's dev rows for one pipeline, and what it says about its run."""

    path: Path
    commit: str | None = None
    dirty: bool | None = None
    rows: dict[str, ComparedRow]


def load_rows(path: Path, pipeline: str = "newsdesk") -> RunFile:
    """The dev rows of `pipeline` in a `qa.eval` JSON file, by question id.

    Raises:
        ResultsFileError: The file is unreadable, not a results file, of the test (or
            all) split, or without that pipeline.
    """
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError) as exc:
        raise ResultsFileError(f"Cannot read {path}: {exc}") from None
    if not isinstance(data, dict) or "split" not in data or "results" not in data:
        raise ResultsFileError(f"{path} is not a qa.eval results file (written by --json)")
    if data["split"] != Split.DEV.value:
        raise ResultsFileError(
            f"{path} is a {data['split']}-split run: only dev runs are compared row by row "
            "(test is for the figures, never for studying answers)"
        )
    results = data["results"]
    if pipeline not in results:
        raise ResultsFileError(
            f"{path} has no {pipeline} results (it has {', '.join(results) or 'none'}): "
            "choose one with --pipeline"
        )
    try:
        rows = [ComparedRow.model_validate(row) for row in results[pipeline].get("rows", [])]
    except ValidationError as exc:
        raise ResultsFileError(f"{path} holds a row this tool cannot read: {exc}") from None
    provenance = data.get("provenance") or {}
    return RunFile(
        path=path,
        commit=provenance.get("commit"),
        dirty=provenance.get("dirty"),
        rows={row.id: row for row in rows},
    )


def compare(
    old: dict[str, ComparedRow], new: dict[str, ComparedRow], *, ignore_markers: bool = True
) -> Comparison:
    """The rows that differ between two runs, by question id.

    Args:
        old: The earlier run's rows by id.
        new: The later run's rows by id.
        ignore_markers: Compare answer texts without their `[n]` markers, and list rows
            that differ in their markers alone apart (`markers_only`); else a marker
            change is a text change.

    Returns:
        A `Comparison`, rows in the new run's order.
    """
    common = [qid for qid in new if qid in old]
    fields = [*FIELDS, "answer", "cited"]
    not_compared = [
        f
        for f in fields
        if common
        and (not any(old[q].has(f) for q in common) or not any(new[q].has(f) for q in common))
    ]
    result = Comparison(
        compared=len(common),
        only_old=[qid for qid in old if qid not in new],
        only_new=[qid for qid in new if qid not in old],
        not_compared=not_compared,
    )
    for qid in common:
        diff = _row_diff(old[qid], new[qid], ignore_markers)
        if diff.changes:
            result.differ.append(diff)
        elif diff.markers_only:
            result.markers_only.append(diff)
    return result


def _row_diff(old: ComparedRow, new: ComparedRow, ignore_markers: bool) -> RowDiff:
    diff = RowDiff(id=new.id, old_answer=old.answer, new_answer=new.answer)
    texts = old.answer is not None and new.answer is not None  # say more than the digests
    for field in FIELDS:
        if field == "answer_digest" and texts:
            continue
        if old.has(field) and new.has(field) and getattr(old, field) != getattr(new, field):
            diff.changes.append(
                FieldChange(field=field, old=getattr(old, field), new=getattr(new, field))
            )
    if old.answer is not None and new.answer is not None:
        same_plain = _same(_plain(old.answer), _plain(new.answer), old.answer, new.answer)
        same_raw = _same(_cut(old.answer), _cut(new.answer), old.answer, new.answer)
        if ignore_markers and not same_plain:
            diff.changes.append(
                FieldChange(field="answer", old=_plain(old.answer), new=_plain(new.answer))
            )
        elif ignore_markers and not same_raw:
            diff.markers_only = True
        elif not ignore_markers and not same_raw:
            diff.changes.append(
                FieldChange(field="answer", old=_cut(old.answer), new=_cut(new.answer))
            )
    if old.cited is not None and new.cited is not None and set(old.cited) != set(new.cited):
        diff.changes.append(
            FieldChange(field="cited", old=sorted(set(old.cited)), new=sorted(set(new.cited)))
        )
    return diff


def _cut(text: str) -> str:
    """The text as a row keeps it (an older harness kept it whole)."""
    return _CUT_MARKER.sub("", text[:ANSWER_CHARS]) if len(text) >= ANSWER_CHARS else text


def _plain(text: str) -> str:
    """The kept text without its `[n]` markers."""
    return strip_markers(_cut(text))


def _same(old: str, new: str, old_raw: str, new_raw: str) -> bool:
    """Equal texts; when both were cut, equal over what both kept."""
    if len(old_raw) >= ANSWER_CHARS and len(new_raw) >= ANSWER_CHARS:
        shared = min(len(old), len(new))
        return old[:shared] == new[:shared]
    return old == new
