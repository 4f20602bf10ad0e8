"""`python -m qa "what is OSA?"`: print the answer and its numbered sources."""

from __future__ import annotations

import argparse
import logging
import sys
from datetime import date

from qa.errors import InvalidFiltersError
from qa.models import Answer, Filters, parse_day
from qa.service import ask
from vectorstore.errors import NewsdeskError


def format_answer(answer: Answer) -> str:
    """The answer, its short answer, then its sources with their quotes, as plain text."""
    lines = [answer.text, ""]
    if answer.short:
        lines += [f"In short: {answer.short}", ""]
    if answer.notice:
        lines += [f"Note: {answer.notice}", ""]
    if answer.written and answer.written.dropped:
        lines += [f"Left out: “{d.text}” ({d.reason})" for d in answer.written.dropped] + [""]
    if answer.citations:
        lines.append("Sources:")
        for citation in answer.citations:
            lines.append(citation.label())
            if citation.url:
                lines.append(f"    {citation.url}")
            lines.extend(f"    “{quote}”" for quote in citation.quotes)
    elif answer.related:
        lines.append("Closest coverage (it does not answer the question):")
        lines.extend(citation.label() for citation in answer.related)
    return "\n".join(lines).rstrip()


def main(argv: list[str] | None = None) -> int:
    """Answer one question; exit 0 when answered, 1 when the coverage does not say, 2 on errors."""
    parser = argparse.ArgumentParser(prog="python -m qa", description=__doc__)
    parser.add_argument("question", nargs="+", help="the question, e.g. what is OSA?")
    parser.add_argument(
        "--as-of", type=_day, metavar="YYYY-MM-DD", help='"now" for the question (default today)'
    )
    parser.add_argument(
        "--source",
        action="append",
        default=[],
        metavar="OUTLET",
        help="only this outlet (repeatable)",
    )
    parser.add_argument("--since", metavar="YYYY-MM-DD", help="only coverage from this day")
    parser.add_argument("--until", metavar="YYYY-MM-DD", help="only coverage up to this day")
    args = parser.parse_args(argv)
    logging.basicConfig(level=logging.WARNING, format="%(levelname)s %(message)s")
    try:
        filters = Filters.from_input(args.source, args.since, args.until)
    except InvalidFiltersError as exc:
        parser.error(str(exc))
    try:
        answer = ask(" ".join(args.question), as_of=args.as_of, filters=filters)
    except NewsdeskError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    print(format_answer(answer))
    return 0 if answer.answered else 1


def _day(text: str) -> date | None:
    try:
        return parse_day(text, "“as of”")
    except InvalidFiltersError as exc:
        raise argparse.ArgumentTypeError(str(exc)) from None


if __name__ == "__main__":
    sys.exit(main())
