"""Dates a question implies: "this week", "last month", "in August 2024", "yesterday"."""

from __future__ import annotations

import calendar
import re
from datetime import date, timedelta

from qa.lexicon import MONTHS

_MONTH_YEAR = re.compile(r"\b(?:in\s+)?(" + "|".join(MONTHS) + r")\.?\s+(\d{4})\b", re.IGNORECASE)
_YEAR = re.compile(r"\bin\s+((?:19|20)\d\d)\b", re.IGNORECASE)
_RELATIVE = {
    "today": 1,
    "yesterday": 2,
    "this week": 8,
    "past week": 8,
    "last week": 15,
    "this month": 31,
    "past month": 31,
    "last month": 62,
    "this year": 366,
}


def time_window(question: str, now: date) -> tuple[date | None, date]:
    """(since, until) for the question; since is None when it names no period, or one
    that has not begun by `now`: "Who will host the World Cup in 2026?" asks what the
    coverage so far expects, not what was published in 2026.

    Example:
        >>> time_window("What happened in August 2024?", date(2025, 1, 1))
        (datetime.date(2024, 8, 1), datetime.date(2024, 8, 31))
        >>> time_window("What is planned for March 2025?", date(2025, 1, 1))
        (None, datetime.date(2025, 1, 1))
    """
    text = question.lower()
    named = _named_period(text)
    if named is not None:
        first, last = named
        return (first, min(last, now)) if first <= now else (None, now)
    for phrase, days in _RELATIVE.items():
        if phrase in text:
            return now - timedelta(days=days), now
    return None, now


def _named_period(text: str) -> tuple[date, date] | None:
    """The first and last day of the month ("in August 2024") or year ("in 2023") named."""
    match = _MONTH_YEAR.search(text)
    if match:
        month, year = MONTHS[match.group(1).lower()], int(match.group(2))
        return date(year, month, 1), date(year, month, calendar.monthrange(year, month)[1])
    match = _YEAR.search(text)
    if match:
        year = int(match.group(1))
        return date(year, 1, 1), date(year, 12, 31)
    return None


def exact_window(question: str, now: date) -> tuple[date | None, date]:
    """As time_window, but "today" is only today and "yesterday" only yesterday: the
    days a list of what was published then covers (a search looks a day wider).

    Example:
        >>> exact_window("What happened yesterday?", date(2024, 8, 6))
        (datetime.date(2024, 8, 5), datetime.date(2024, 8, 5))
    """
    text = question.lower()
    if not _MONTH_YEAR.search(text) and not _YEAR.search(text):
        for phrase, back in (("today", 0), ("yesterday", 1)):
            if re.search(rf"\b{phrase}\b", text):
                return now - timedelta(days=back), now - timedelta(days=back)
    return time_window(question, now)


def period_mentions(question: str) -> re.Pattern[str] | None:
    """How coverage writes the month or year the question names ("in November 2022":
    "November 2022", "Nov. 17, 2022"; "in 2023": "2023"); None when it names neither.

    Example:
        >>> bool(period_mentions("What did they agree in November 2022?").search("Nov. 5, 2022"))
        True
    """
    text = question.lower()
    match = _MONTH_YEAR.search(text)
    if match:
        month = MONTHS[match.group(1).lower()]
        names = f"{calendar.month_name[month]}|{calendar.month_abbr[month]}\\.?"
        return re.compile(rf"\b(?:{names})\s+(?:\d{{1,2}},?\s+)?{match.group(2)}\b", re.I)
    match = _YEAR.search(text)
    return re.compile(rf"\b{match.group(1)}\b") if match else None


def without_time(question: str) -> str:
    """The question minus the period it names, which filters rather than matches text."""
    text = _MONTH_YEAR.sub(" ", question)
    text = _YEAR.sub(" ", text)
    for phrase in _RELATIVE:
        text = re.sub(rf"\b{phrase}\b", " ", text, flags=re.IGNORECASE)
    return " ".join(text.split())
