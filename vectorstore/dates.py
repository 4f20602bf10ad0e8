"""Turning the dates found in articles into ISO 8601."""

from __future__ import annotations

import re
from datetime import UTC, datetime, timedelta, timezone

from dateutil import parser as _dateutil

# Zone abbreviations news sites print in datelines; dateutil knows almost none.
_ZONES = {
    "UTC": 0,
    "GMT": 0,
    "Z": 0,
    "JST": 9,
    "KST": 9,
    "CST": -6,
    "CDT": -5,
    "EST": -5,
    "EDT": -4,
    "MST": -7,
    "MDT": -6,
    "PST": -8,
    "PDT": -7,
    "BST": 1,
    "CET": 1,
    "CEST": 2,
    "IST": 5.5,
    "AEST": 10,
    "AEDT": 11,
    "HKT": 8,
    "SGT": 8,
}
_ZONE_RE = re.compile(r"\b(" + "|".join(_ZONES) + r")\b")


def to_iso(value: object) -> str:
    """Normalise a date (ISO string, dateline, epoch seconds) to ISO 8601, or "" if unreadable.

    Example:
        >>> to_iso("17:04 JST, August 5, 2024")
        '2024-08-05T17:04:00+09:00'
    """
    if value is None or value == "":
        return ""
    if isinstance(value, int | float) and not isinstance(value, bool):
        return datetime.fromtimestamp(value, tz=UTC).isoformat()
    if isinstance(value, datetime):
        return value.isoformat()
    text = str(value).strip()
    if not text:
        return ""
    zone = None
    match = _ZONE_RE.search(text)
    if match:
        zone = timezone(timedelta(hours=_ZONES[match.group(1)]))
        text = (text[: match.start()] + text[match.end() :]).strip(" ,")
    try:
        moment = _dateutil.parse(text, fuzzy=True)
    except (ValueError, OverflowError):
        return ""
    if zone is not None and moment.tzinfo is None:
        moment = moment.replace(tzinfo=zone)
    return moment.isoformat()
