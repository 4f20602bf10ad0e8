"""`python -m qa.eval`: Newsdesk (and the naive baseline) on the RealTime QA news quizzes.

Only dev runs keep (and print) per-question results; test and all-split runs keep
aggregates only. Exit status: 0 when the run finished, 2 for usage errors (a missing
file, a bad option, `--failures` off dev, another refresh running on the same data dir).
"""

from __future__ import annotations

import argparse
import logging
import sys
from pathlib import Path

from tqdm import tqdm

from qa.eval.dataset import Split
from qa.eval.harness import AnswererChoice, EvalConfig, PipelineChoice, evaluate
from qa.eval.report import format_failures, format_table
from qa.eval.results import report_json
from vectorstore.errors import NewsdeskError
from vectorstore.settings import PROJECT_ROOT

BENCH = PROJECT_ROOT.parent / "shared" / "bench" / "realtimeqa"


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="python -m qa.eval", description=__doc__.split("\n")[0])
    parser.add_argument("--articles", type=Path, default=BENCH / "articles.jsonl")
    parser.add_argument("--questions", type=Path, default=BENCH / "questions.jsonl")
    parser.add_argument("--split", choices=[s.value for s in Split], default=Split.DEV.value)
    parser.add_argument(
        "--pipeline", choices=[p.value for p in PipelineChoice], default=PipelineChoice.NEWSDESK
    )
    parser.add_argument(
        "--answerer",
        choices=[a.value for a in AnswererChoice],
        default=AnswererChoice.EXTRACTIVE,
        help="Newsdesk's answerer: extractive, llm (the model NEWSDESK_LLM_* name; default "
        "SmolLM2-135M in process) or both, on the same index",
    )
    parser.add_argument(
        "--limit-articles",
        type=int,
        metavar="N",
        help="index only the gold articles plus the first distractors, N articles in all",
    )
    parser.add_argument(
        "--limit-questions", type=int, metavar="N", help="only the first N questions of the split"
    )
    parser.add_argument(
        "--data-dir", type=Path, help="where the indexes go (default .newsdesk-eval/<hash>)"
    )
    parser.add_argument(
        "--without-gold",
        action="store_true",
        help="ask the split's questions whose gold article is not in the corpus instead "
        "(answers only: no retrieval figures)",
    )
    parser.add_argument(
        "--json",
        type=Path,
        metavar="FILE",
        help="write every figure and the run's provenance to FILE (dev runs: per-question rows too)",
    )
    parser.add_argument(
        "--no-texts",
        action="store_true",
        help="dev rows keep ids, outcomes and a hash of each answer, no question or answer "
        "text (for files committed to the repository: the quiz data is never copied there)",
    )
    parser.add_argument(
        "--failures", action="store_true", help="list the wrong short answers (dev runs only)"
    )
    parser.add_argument("-q", "--quiet", action="store_true", help="no progress bars")
    return parser


def _echo(text: str, *, err: bool = False) -> None:
    print(text, file=sys.stderr if err else sys.stdout)  # noqa: T201


def main(argv: list[str] | None = None) -> int:
    """Run the evaluation; return the exit status."""
    args = _parser().parse_args(argv)
    # The handler's own level too: some libraries set DEBUG on their loggers.
    handler = logging.StreamHandler(sys.stderr)
    handler.setLevel(logging.WARNING)
    handler.setFormatter(logging.Formatter("%(levelname)s %(message)s"))
    logging.basicConfig(level=logging.WARNING, handlers=[handler])
    for path in (args.articles, args.questions):
        if not path.is_file():
            _echo(f"error: {path} does not exist (see --articles / --questions)", err=True)
            return 2
    if args.failures and args.split != Split.DEV.value:
        _echo(
            f"error: --failures lists dev failures only; a {args.split} run keeps aggregates "
            "only (test is for the figures, never for studying failures)",
            err=True,
        )
        return 2
    for option in ("limit_articles", "limit_questions"):
        if getattr(args, option) is not None and getattr(args, option) < 1:
            _echo(f"error: --{option.replace('_', '-')} must be at least 1", err=True)
            return 2
    config = EvalConfig(
        articles=args.articles,
        questions=args.questions,
        split=Split(args.split),
        pipeline=PipelineChoice(args.pipeline),
        answerer=AnswererChoice(args.answerer),
        limit_articles=args.limit_articles,
        limit_questions=args.limit_questions,
        data_dir=args.data_dir,
        without_gold=args.without_gold,
        texts=not args.no_texts,
    )
    show = not args.quiet and sys.stderr.isatty()

    def bar(label: str, total: int) -> tqdm:
        return tqdm(desc=label, total=total, file=sys.stderr, disable=not show, leave=False)

    try:
        report = evaluate(config, bar)
    except (NewsdeskError, ValueError) as exc:
        _echo(f"error: {exc}", err=True)
        return 2
    _echo(format_table(report))
    if args.failures:
        _echo(format_failures(report))
    if args.json:
        args.json.parent.mkdir(parents=True, exist_ok=True)
        args.json.write_text(report_json(report), encoding="utf-8")
        _echo(f"\nwrote {args.json}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
