"""Counts the hand-written answering rules at a commit: regexes, word lists, tuned constants.

A change that replaces rules with a general method should leave fewer of them; this
counts them before and after. It reads the Python files of `qa/` (not `qa/eval/`, the
evaluation harness) and `vectorstore/`, at a git commit or in the working tree, with `ast`:

- regexes: every `re.compile(...)`, and `re.search` (`match`, `fullmatch`, `sub`,
  `findall`, `finditer`, `split`) given a literal pattern; a one-line helper that
  compiles its argument (`_ci(pattern)`) counts where it is called with a literal;
- word lists: set, frozenset, list, tuple and string-keyed dict literals assigned at
  module level or in a class body (`frozenset({...})`, `"a b c".split()` and one-line
  helpers that split their argument, `_stems("a b c")`, included), and their string
  entries (a split string's words, a dict's keys); `__all__` is no rule;
- tuned constants: the numeric defaults of the `ScoringConfig` dataclass (qa/scoring.py)
  and the module-level numbers with UPPER_CASE names.

Usage:
    .venv/bin/python -m bench.rules [--at COMMIT] [--json]
"""

from __future__ import annotations

import argparse
import ast
import json
import subprocess
import sys
from dataclasses import asdict, astuple, dataclass

from bench._common import PROJECT_ROOT, BenchError

SCANNED = ("qa", "vectorstore")
SKIPPED = "qa/eval/"
_RE_CALLS = {f"re.{name}" for name in "search match fullmatch sub findall finditer split".split()}


@dataclass
class Rules:
    """The rules in one file, or in all; `entries` are the word lists' entries."""

    regexes: int = 0
    lists: int = 0
    entries: int = 0
    constants: int = 0

    def __add__(self, other: Rules) -> Rules:
        return Rules(*(a + b for a, b in zip(astuple(self), astuple(other), strict=True)))


def _is_text(node: ast.expr | None) -> bool:
    is_str = isinstance(node, ast.Constant) and isinstance(node.value, str)
    return is_str or isinstance(node, ast.JoinedStr)


def _is_number(node: ast.expr | None) -> bool:
    if isinstance(node, ast.UnaryOp) and isinstance(node.op, ast.USub | ast.UAdd):
        node = node.operand
    return isinstance(node, ast.Constant) and type(node.value) in (int, float)


def _pattern(call: ast.Call) -> ast.expr | None:
    keywords = (k.value for k in call.keywords if k.arg == "pattern")
    return call.args[0] if call.args else next(keywords, None)


def _helpers(tree: ast.Module) -> tuple[set[str], set[str], set[int]]:
    """The one-line functions that compile (`_ci`) or split (`_stems`) their first argument,
    and the `re.compile` calls in the former (counted where the helper is called)."""
    compiling, splitting, inner = set[str](), set[str](), set[int]()
    for fn in tree.body:
        if not isinstance(fn, ast.FunctionDef) or not fn.args.args:
            continue
        body = fn.body[1:] if ast.get_docstring(fn) else fn.body
        if len(body) != 1 or not isinstance(body[0], ast.Return):
            continue
        param = fn.args.args[0].arg
        for node in (n for n in ast.walk(body[0]) if isinstance(n, ast.Call)):
            func, first = ast.unparse(node.func), _pattern(node)
            if func == "re.compile" and isinstance(first, ast.Name) and first.id == param:
                compiling.add(fn.name)
                inner.add(id(node))
            elif func == f"{param}.split":
                splitting.add(fn.name)
    return compiling, splitting, inner


def _words(node: ast.expr) -> int | None:
    if isinstance(node, ast.Constant) and isinstance(node.value, str):
        return len(node.value.split())
    if isinstance(node, ast.JoinedStr):  # only the literal parts: f"{_HAPPENING} think know"
        return sum(_words(part) or 0 for part in node.values)
    return None


def _entries(node: ast.expr, splitting: set[str]) -> int | None:
    """The string entries of a word list; None when the value is no word list."""
    if isinstance(node, ast.Set | ast.List | ast.Tuple):
        return sum(map(_is_text, node.elts)) or None
    if isinstance(node, ast.Dict):
        return len(node.keys) if node.keys and all(map(_is_text, node.keys)) else None
    if not isinstance(node, ast.Call):
        return None
    func = ast.unparse(node.func)
    if isinstance(node.func, ast.Attribute) and node.func.attr == "split" and not node.args:
        return _words(node.func.value)
    if len(node.args) == 1 and func in ("frozenset", "set", "list", "tuple"):
        return _entries(node.args[0], splitting)
    return _words(node.args[0]) if len(node.args) == 1 and func in splitting else None


def _assignments(body: list[ast.stmt]) -> list[tuple[str, ast.expr]]:
    """(name, value) of the statements `NAME = value` and `NAME: type = value`."""
    pairs = [
        (s.targets[0] if isinstance(s, ast.Assign) else s.target, s.value)
        for s in body
        if isinstance(s, ast.Assign | ast.AnnAssign)
    ]
    return [(target.id, value) for target, value in pairs if isinstance(target, ast.Name) and value]


def count_rules(source: str, filename: str = "<source>") -> Rules:
    """The rules in one file's source text."""
    tree = ast.parse(source, filename)
    compiling, splitting, inner = _helpers(tree)
    rules = Rules()
    for call in (n for n in ast.walk(tree) if isinstance(n, ast.Call) and id(n) not in inner):
        func = ast.unparse(call.func)
        by_pattern = func in _RE_CALLS or func in compiling
        rules.regexes += func == "re.compile" or (by_pattern and _is_text(_pattern(call)))
    classes = [node for node in ast.walk(tree) if isinstance(node, ast.ClassDef)]
    for body in [tree.body, *(cls.body for cls in classes)]:
        for name, value in _assignments(body):
            if not name.startswith("__") and (entries := _entries(value, splitting)):
                rules.lists += 1
                rules.entries += entries
    rules.constants = sum(n.isupper() and _is_number(v) for n, v in _assignments(tree.body))
    for cls in classes:
        decorators = [ast.unparse(getattr(d, "func", d)) for d in cls.decorator_list]
        if cls.name == "ScoringConfig" and any(d.endswith("dataclass") for d in decorators):
            fields = [s.value for s in cls.body if isinstance(s, ast.AnnAssign)]
            rules.constants += sum(map(_is_number, fields))
    return rules


def _git(*args: str) -> str:
    done = subprocess.run(["git", *args], cwd=PROJECT_ROOT, capture_output=True, text=True)
    if done.returncode != 0:
        raise BenchError(f"git {' '.join(args)}: {done.stderr.strip()}")
    return done.stdout


def count_commit(commit: str | None) -> dict[str, Rules]:
    """The rules in each scanned file at `commit`, or in the working tree when None."""
    if commit is None:
        found = [path for top in SCANNED for path in (PROJECT_ROOT / top).rglob("*.py")]
        paths = [path.relative_to(PROJECT_ROOT).as_posix() for path in found]
    else:
        paths = _git("ls-tree", "-r", "--name-only", commit, "--", *SCANNED).splitlines()
    wanted = sorted(p for p in paths if p.endswith(".py") and not p.startswith(SKIPPED))
    if commit is None:
        return {p: count_rules((PROJECT_ROOT / p).read_text(encoding="utf-8"), p) for p in wanted}
    return {p: count_rules(_git("show", f"{commit}:{p}"), p) for p in wanted}


def main(argv: list[str] | None = None) -> int:
    """Print the rules per file and in all; return the exit status."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--at", metavar="COMMIT", help="a git commit (default: the working tree)")
    parser.add_argument("--json", action="store_true", help="print one JSON object")
    args = parser.parse_args(argv)
    try:
        at = f"{args.at}^{{commit}}"
        commit = _git("rev-parse", "--short", "--verify", at).strip() if args.at else None
        files = count_commit(commit)
    except (BenchError, SyntaxError) as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    totals = sum(files.values(), Rules())
    shown = {path: rules for path, rules in files.items() if any(astuple(rules))}
    if args.json:
        found = {path: asdict(rules) for path, rules in shown.items()}
        print(json.dumps({"commit": commit, "files": found, "totals": asdict(totals)}, indent=2))
        return 0
    print(f"rules at {commit or 'the working tree'}: {len(files)} files, {len(shown)} with rules")
    width = max(map(len, shown), default=5) + 2
    for name, rules in [("file", None), *shown.items(), ("total", totals)]:
        cells = asdict(totals) if rules is None else astuple(rules)
        print(f"{name:{width}}" + "".join(f"{cell:>10}" for cell in cells))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
