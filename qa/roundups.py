"""Roundups: articles that restate the leads of stories told in full elsewhere."""

from __future__ import annotations

import re

# "5 things to know for Aug. 5: …", "Vladimir Putin, Fed hike, Hurricane Fiona: Daily
# Briefing", "News from around our 50 states", "… It's Tuesday's news."
_ROUNDUP = re.compile(
    r"\b(?:\d+|three|five|ten) things to know\b|\bthings to know (?:today|for|on|this)\b|"
    r"\b(?:daily|morning|evening|weekly|news) (?:briefing|roundup|digest)\b|"
    r"\bnews from around our 50 states\b|\bweek in review\b|\bnews in brief\b|"
    r"\bIt['’]s (?:\w+day['’]s news\.?|\.\.\.|…)\s*$",
    re.IGNORECASE,
)


def is_roundup(title: str) -> bool:
    """Whether a headline is a roundup's.

    Example:
        >>> is_roundup("5 things to know for Aug. 5: Economy, Brittney Griner")
        True
        >>> is_roundup("Brittney Griner sentenced to nine years")
        False
    """
    return bool(_ROUNDUP.search(title))
