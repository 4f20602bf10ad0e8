"""bench/rules.py: the regexes, word lists and tuned constants it counts in source text."""

from __future__ import annotations

import pytest

from bench.rules import Rules, count_commit, count_rules

pytestmark = pytest.mark.unit

SMALL = '''
import re
from dataclasses import dataclass

_YEAR = re.compile(r"\\b(19|20)\\d\\d\\b")
_WORD = re.compile("[a-z]+", re.I)
PERIODS = frozenset({"week", "month", "year"})


@dataclass(frozen=True)
class ScoringConfig:
    """The tuned numbers."""

    weight: float = 0.5
    depth: int = 3
    strict: bool = True
'''


def test_a_small_source_has_exactly_its_rules() -> None:
    assert count_rules(SMALL) == Rules(regexes=2, lists=1, entries=3, constants=2)


def test_each_counted_shape_and_what_is_left_out() -> None:
    source = '''
import re

__all__ = ["a", "b"]
LIMIT = 5
OFFSET: int = -1
ENABLED = True
lower_case = 4
RATE = 0.5 * 2
MONTHS = {"jan": 1, "feb": 2}
STOP = "a an the".split()
NAMES = set(["x", "y"])
PAIRS = ((1, 2), (3, 4))


def _ci(pattern: str) -> re.Pattern[str]:
    return re.compile(pattern, re.IGNORECASE)


def _stems(words: str) -> frozenset[str]:
    """Stemmed."""
    return frozenset(word.lower() for word in words.split())


ASKING = _stems(f"know tell {STOP}")
_CUE = _ci(r"\\bnews\\b")


class Kind:
    LABELS = ("who", "when")


def match(text: str, phrase: str) -> bool:
    local = {"not", "counted"}
    return bool(re.search(r"\\bwhy\\b", text) or re.search(phrase, text) or re.sub(f"{phrase}", "", text))
'''
    # regexes: _ci("\bnews\b"), re.search(r"..."), re.sub(f"...") (the compile inside
    # `_ci` counts where `_ci` is called, the search of a variable not at all);
    # lists: MONTHS (2 keys), STOP (3 words), NAMES (2), ASKING (2 literal words), LABELS (2);
    # constants: LIMIT, OFFSET.
    assert count_rules(source) == Rules(regexes=3, lists=5, entries=11, constants=2)


def test_scoring_config_counts_only_when_it_is_a_dataclass() -> None:
    plain = SMALL.replace("@dataclass(frozen=True)\n", "")
    assert count_rules(plain).constants == 0
    renamed = SMALL.replace("class ScoringConfig", "class Other")
    assert count_rules(renamed).constants == 0


def test_the_working_tree_has_rules_of_each_kind() -> None:
    files = count_commit(None)
    assert "qa/scoring.py" in files and "qa/lexicon.py" in files
    assert not any(path.startswith("qa/eval/") for path in files)
    totals = sum(files.values(), Rules())
    assert totals.regexes > 0 and totals.lists > 0 and totals.entries > 0
    assert totals.constants > 0
    assert files["qa/scoring.py"].constants >= 40  # the ScoringConfig fields
    assert files["qa/lexicon.py"].lists > 0
