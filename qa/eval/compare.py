"""`python -m qa.eval.compare OLD.json NEW.json`: the dev rows that differ between two runs.

Lists, by question id, each field that changed (answered, strict / lenient correct,
the gold answer in the answer, the early answers, the hit rank, the multiple-choice
pick, the answer text without its `[n]` markers, the cited articles as a set), then
the rows that differ in their markers alone (renumbered citations), then a summary.
Test-split files are refused. Exit status: 0 when compared, 2 for usage errors.
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

from qa.eval.diff import Comparison, FieldChange, ResultsFileError, RunFile, compare, load_rows


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="python -m qa.eval.compare", description=__doc__.split("\n")[0]
    )
    parser.add_argument("old", type=Path, metavar="OLD.json")
    parser.add_argument("new", type=Path, metavar="NEW.json")
    parser.add_argument("--pipeline", choices=["newsdesk", "naive"], default="newsdesk")
    parser.add_argument(
        "--ignore-markers",
        action=argparse.BooleanOptionalAction,
        default=True,
        help="compare answer texts without their [n] markers and list marker-only "
        "differences apart (default); --no-ignore-markers counts them as text changes",
    )
    return parser


def _echo(text: str, *, err: bool = False) -> None:
    print(text, file=sys.stderr if err else sys.stdout)  # noqa: T201


def main(argv: list[str] | None = None) -> int:
    """Compare two results files; return the exit status."""
    args = _parser().parse_args(argv)
    try:
        old, new = (load_rows(path, args.pipeline) for path in (args.old, args.new))
    except ResultsFileError as exc:
        _echo(f"error: {exc}", err=True)
        return 2
    comparison = compare(old.rows, new.rows, ignore_markers=args.ignore_markers)
    _echo(format_comparison(comparison, old, new, args.pipeline))
    return 0


def format_comparison(comparison: Comparison, old: RunFile, new: RunFile, pipeline: str) -> str:
    """The comparison as text: header, changed rows, marker-only rows, summary."""
    lines = [f"{pipeline}: {_run(old)} -> {_run(new)}"]
    if comparison.not_compared:
        lines.append(f"not in both files, not compared: {', '.join(comparison.not_compared)}")
    for diff in comparison.differ:
        lines.append(diff.id)
        lines.extend(f"  {_change(change)}" for change in diff.changes)
    if comparison.markers_only:
        lines.append("markers only (the same text, its [n] markers renumbered or moved):")
        for diff in comparison.markers_only:
            lines.append(f"  {diff.id}")
            lines.append(f"    old: {diff.old_answer}")
            lines.append(f"    new: {diff.new_answer}")
    for label, ids in (("only in OLD", comparison.only_old), ("only in NEW", comparison.only_new)):
        if ids:
            lines.append(f"{label}: {len(ids)} rows ({', '.join(ids)})")
    summary = f"{comparison.compared} rows compared, {len(comparison.differ)} differ"
    if comparison.markers_only:
        summary += f"; {len(comparison.markers_only)} more in markers only"
    lines.append(summary)
    return "\n".join(lines)


def _run(run: RunFile) -> str:
    if run.commit is None:
        return f"{run.path} (no provenance)"
    dirty = {True: ", dirty tree", False: "", None: ", tree state unknown"}[run.dirty]
    commit = run.commit if run.commit.startswith("unknown") else run.commit[:12]
    return f"{run.path} ({commit}{dirty})"


def _change(change: FieldChange) -> str:
    if change.field == "cited" and isinstance(change.old, list) and isinstance(change.new, list):
        gone = sorted(set(change.old) - set(change.new))
        added = sorted(set(change.new) - set(change.old))
        return f"cited: -{gone} +{added}"
    return f"{change.field}: {json.dumps(change.old, ensure_ascii=False)} -> " + json.dumps(
        change.new, ensure_ascii=False
    )


if __name__ == "__main__":
    sys.exit(main())
