"""What one outlet's pages hold that no other's do: its widgets, its roundup series, the
lines that name it. One table, keyed by outlet (`vectorstore.outlets.outlet_key`).

A rule here applies only to the articles of its outlet ("CNN", "cnn.com" and
"e.newsletters.cnn.com" are one); what news pages do at large (a "Related:" label, a
photo credit, a wire dateline) is in `vectorstore.cleaning` and `vectorstore.sentences`.
Every rule names the site template it matches. Change a rule, bump
`vectorstore.cleaning.CLEANING_VERSION`: the next refresh re-flags every passage.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass

from vectorstore.outlets import outlet_keys


@dataclass(frozen=True)
class FurnitureRule:
    """A kind of page furniture: the name its flag carries, and the pattern of its lines.

    Example:
        >>> rule = FurnitureRule("email", re.compile(r"^\\S+@\\S+\\.\\w+$"))
        >>> rule.fires("jdoe@example.com"), rule.fires("Write to the editor.")
        (True, False)
    """

    name: str
    pattern: re.Pattern[str]
    needs: str = ""  # a substring every match holds: a cheap test before the pattern's

    def fires(self, sentence: str) -> bool:
        """Whether the sentence is this kind of furniture."""
        return (not self.needs or self.needs in sentence) and bool(self.pattern.search(sentence))


@dataclass(frozen=True)
class OutletRules:
    """One outlet's rules: furniture, roundup headlines, and the lines that name it on a
    saved page (`vectorstore.parsing.page_text`)."""

    name: str  # as the outlet writes itself, for a page that names it by a signature only
    furniture: tuple[FurnitureRule, ...] = ()
    roundups: tuple[re.Pattern[str], ...] = ()
    page_signatures: tuple[str, ...] = ()


def _ci(pattern: str) -> re.Pattern[str]:
    return re.compile(pattern, re.IGNORECASE)


OUTLET_RULES: dict[str, OutletRules] = {
    "cnn": OutletRules(
        name="CNN",
        furniture=(
            # The video player's ad-feedback form, kept by the scrape (217 lines in the
            # RealTime QA corpus; 19 articles whose body is only the form): "Video Ad
            # Feedback Survivors recount horror of Halloween disaster in Seoul 02:07 -
            # Source: CNN", "1. How relevant is this ad to you?", "Video player was slow
            # to load content … Ad froze or did not finish loading …".
            FurnitureRule(
                "ad_widget",
                _ci(
                    r"^\W*video ad feedback\b|\b\d\d:\d\d\s+-\s+source:|"
                    r"\bhow relevant is this ad to you\b|\bad froze or did not finish loading\b"
                ),
            ),
            # A photo gallery's caption toggle: "Hide Caption 6 of 16 Photos: Deadly
            # flooding in western Europe …".
            FurnitureRule("gallery", _ci(r"\b(?:hide|show) caption\b")),
            # The video carousel beside a story: "JUST WATCHED See the reaction Replay
            # More Videos ...", "MUST WATCH Heat dome bakes Southeast 02:19".
            FurnitureRule("video_player", _ci(r"^\W*(?:must watch|just watched)\b")),
        ),
        roundups=(
            # The "5 Things" morning newsletter: "5 things to know for Aug. 5: Economy,
            # Brittney Griner …", "5 things to know on April 3, 2022: Start your week smart".
            _ci(r"^\W*(?:\d+|five) things to know (?:for|on)\b"),
        ),
    ),
    "usatoday": OutletRules(
        name="USA Today",
        roundups=(
            # The "5 Things" podcast's page: "Yellowstone floods, Fed meeting: 5 things to
            # know Wednesday", "Highland Park shooting, Ukraine: 5 things to know ...".
            _ci(
                r"\b(?:\d+|five) things to know(?: \w+day| today| this \w+)?(?:\s*(?:\.\.\.|…))?\s*$"
            ),
            # The evening newsletter: "Vladimir Putin, Fed hike, Hurricane Fiona: Daily Briefing".
            _ci(r"\bdaily briefing\s*$"),
            # The states roundup: "Conch contest, golf tree: News from around our 50 states".
            _ci(r"\bnews from around our 50 states\b"),
            # The daily news roundup: "Justice Stephen Breyer, NATO and R. Kelly.
            # It's Wednesday's news." (cut short on the index page: "… It's ...").
            _ci(r"\bIt['’]s (?:\w+day['’]s news\.?|\.\.\.|…)\s*$"),
        ),
    ),
    "japannews": OutletRules(
        name="The Japan News",
        # The ranking list under every article page of the-japan-news.com.
        page_signatures=("JN ACCESS RANKING",),
    ),
}


def rules_for(source: str) -> list[tuple[str, OutletRules]]:
    """The `(key, rules)` of the outlet an article's source names (none for most).

    Example:
        >>> [key for key, _ in rules_for("e.newsletters.cnn.com")]
        ['cnn']
    """
    keys = outlet_keys(source) if source else set()
    return [(key, rules) for key, rules in OUTLET_RULES.items() if key in keys]


def outlet_named_by(lines: Iterable[str]) -> str:
    """The outlet whose page signature is one of these lines ("" for none).

    Example:
        >>> outlet_named_by(["POPULAR ARTICLE", "JN ACCESS RANKING"])
        'The Japan News'
    """
    found = set(lines)
    return next(
        (rules.name for rules in OUTLET_RULES.values() if found & set(rules.page_signatures)),
        "",
    )
