"""An outlet's name, however it is written: "cnn.com", "e.newsletters.cnn.com" and "CNN"
are one outlet, "usatoday.com" and "USA Today" another.

The cleaning rules of an outlet (`vectorstore.outlet_rules`) and the outlet a question
names (`qa.outlets`) both compare names through these keys.
"""

from __future__ import annotations

import re

# The labels of a domain that name no outlet: "www.", and the ending ("cnn.com",
# "theweek.co.uk", "e.newsletters.cnn.com" are CNN, The Week and CNN).
_NOT_A_NAME = frozenset("www com org net co uk us gov edu int info news newsletters e".split())


def outlet_key(text: str) -> str:
    """An outlet's name as compared: lower case, letters and digits, no leading "the".

    Example:
        >>> outlet_key("The Japan News"), outlet_key("USA Today")
        ('japannews', 'usatoday')
    """
    key = re.sub(r"[^a-z0-9]", "", text.lower())
    return key.removeprefix("the") or key


def outlet_keys(source: str) -> set[str]:
    """The keys an indexed outlet goes by: "usatoday.com" is "usatoday" (as "USA Today"
    is) and "usatodaycom"; "The Japan News" is "japannews".

    Example:
        >>> sorted(outlet_keys("e.newsletters.cnn.com"))
        ['cnn', 'enewsletterscnncom']
    """
    keys = {outlet_key(source)}
    if "." in source and " " not in source:
        labels = [label for label in source.lower().split(".") if label not in _NOT_A_NAME]
        keys |= {outlet_key(labels[-1])} if labels else set()
    return keys - {""}
