"""What a sentence states that a source must also say: its names and its figures.

A written sentence may word a fact its own way, but the names and figures in it are
the fact: "Kishida met Biden" and "Kishida met Putin", "1,200 troops" and "2,100
troops" read alike to an embedding. The citation checker asks that each of them
appears in the source: a figure as a value ("1.2 million" is "1,200,000", "5
percent" is "5%", "seven" is "7"), a name as a word of the source or one it derives
from ("Japanese" from "Japan").
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from qa.lexicon import stem
from qa.words import named_terms, roots, tokens

_SCALES = {"thousand": 1e3, "million": 1e6, "billion": 1e9, "trillion": 1e12}
_WORD_NUMBERS = {
    w: float(i)
    for i, w in enumerate(
        "zero one two three four five six seven eight nine ten eleven twelve thirteen "
        "fourteen fifteen sixteen seventeen eighteen nineteen twenty".split()
    )
} | {
    w: float(10 * i)
    for i, w in enumerate("thirty forty fifty sixty seventy eighty ninety".split(), start=3)
}
_NUMBER = re.compile(
    r"(?<![\w.-])(?P<digits>\d{1,3}(?:,\d{3})+(?:\.\d+)?|\d+(?:\.\d+)?)(?:st|nd|rd|th)?"
    r"|\b(?P<word>" + "|".join(_WORD_NUMBERS) + r")\b",
    re.I,
)
_SCALE = re.compile(r"\s*(?:-\s*)?(thousand|million|billion|trillion|mn|bn)\b", re.I)
_ABBREVIATED_SCALE = {"mn": 1e6, "bn": 1e9}


def figures(text: str, *, loose: bool = False) -> set[float]:
    """The values of the numbers a text writes, in digits or words, with their scale.

    "One" is a figure only when `loose` (a source's "one of the…" says 1; a written
    "one of the…" states no figure).

    Example:
        >>> sorted(figures("1.2 million people, 5% of them, seven days in 2024"))
        [5.0, 7.0, 2024.0, 1200000.0]
    """
    values = set()
    for match in _NUMBER.finditer(text):
        if match["digits"]:
            value = float(match["digits"].replace(",", ""))
        else:
            word = match["word"].lower()
            if word == "one" and not loose:
                continue
            value = _WORD_NUMBERS[word]
        scale = _SCALE.match(text, match.end())
        if scale:
            unit = scale[1].lower()
            value *= _SCALES.get(unit) or _ABBREVIATED_SCALE[unit]
        values.add(round(value, 6))
    return values


def names(text: str) -> set[str]:
    """The names a text states, stemmed: capitalised words after its first, acronyms, and
    a first word followed by another capitalised one ("Dartmouth College said…"; not
    "Despite…", "Earlier…", which only open a sentence). Numbers are `figures`.

    Example:
        >>> sorted(names("Earlier, Japan and Mongolia signed an OSA deal on Monday."))
        ['japan', 'monday', 'mongolia', 'osa']
    """
    return {n for n in named_terms(text, initial=True) if not any(ch.isdigit() for ch in n)}


@dataclass(frozen=True)
class SourceFacts:
    """What a source says, read once: its figures and its words, for the checks."""

    figures: frozenset[float]
    words: frozenset[str]  # every word, stemmed
    word_roots: frozenset[str]

    @classmethod
    def read(cls, text: str) -> SourceFacts:
        """The figures and words of a source's text."""
        words = {stem(w) for w in tokens(text)}
        return cls(frozenset(figures(text, loose=True)), frozenset(words), frozenset(roots(words)))

    def lacks(self, sentence: str) -> list[str]:
        """The names and figures `sentence` states that this source does not give, as
        written in the sentence (empty when it gives them all)."""
        missing = [_shown(v) for v in sorted(figures(sentence)) if not self._has_figure(v)]
        missing += [n for n in sorted(names(sentence)) if not self._has_name(n)]
        return missing

    def _has_figure(self, value: float) -> bool:
        # A large figure may be written rounded: "1.2 million" gives the source's "1,187,000"
        # to its two significant digits; "2023" is not "2024" to four.
        if value in self.figures:
            return True
        digits = _significant_digits(value)
        return value >= 1000 and any(
            float(f"{given:.{digits}g}") == value for given in self.figures
        )

    def _has_name(self, name: str) -> bool:
        if name in self.words or roots([name]) & self.word_roots:
            return True
        # A name's derived form: "Japanese" for "Japan", "Ukrainian" for "Ukraine".
        return len(name) >= 5 and any(
            len(word) >= 4 and (name.startswith(word[:-1]) or word.startswith(name[:-1]))
            for word in self.words
            if word[:3] == name[:3]
        )


def _significant_digits(value: float) -> int:
    return max(1, len(f"{value:.6g}".split("e")[0].replace(".", "").strip("0")))


def _shown(value: float) -> str:
    if value != int(value):
        return f"{value:g}"
    return f"{value:,.0f}" if value >= 10000 else f"{value:.0f}"
