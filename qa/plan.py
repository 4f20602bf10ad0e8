"""A question's plan: what to search, over which days and outlets, and what to try next.

`plan()` reads everything a question implies before anything is searched: the
conversation's names (follow-ups), the period it names, the outlet it names as its
source, whether it asks only what is in the news (a digest). The service runs the
plan's steps in order and answers from the first step that the coverage answers.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass, field, replace
from datetime import UTC, date, datetime, time, timedelta
from enum import StrEnum
from typing import Any

from qa.digest import asks_for_digest, asks_for_top_stories
from qa.followups import contextualize, names_no_subject
from qa.models import Filters
from qa.outlets import NamedOutlet, named_outlet
from qa.requests import summary_request
from qa.timeframe import exact_window, period_mentions, time_window, without_time


class DigestKind(StrEnum):
    """What a question that asks only what is in the news wants listed."""

    NONE = "none"  # a question about something in the news: search for it
    NEWEST = "newest"  # "What happened this week?": the stories published last
    TOP = "top"  # "What are the top stories?": the stories most covered


@dataclass(frozen=True)
class QueryPlan:
    """One way to look for the answer, and the ways to try after it (`fallbacks`).

    Example:
        >>> step = plan("What did the two leaders agree in 2022?", as_of="2024-08-06")
        >>> [(s.since, s.until, bool(s.mentions)) for s in step.steps()]
        [(datetime.date(2022, 1, 1), datetime.date(2022, 12, 31), False), \
(datetime.date(2022, 1, 1), datetime.date(2024, 8, 6), True)]
    """

    question: str  # the question as this step answers it (a named outlet left out)
    search_text: str  # what is searched: the question, with the conversation's names
    now: date  # "now" for the question: nothing published later is used
    since: date | None  # the first publication day searched (None: any)
    until: date  # the last
    sources: tuple[str, ...] = ()  # the outlets searched (none: all)
    outlet: NamedOutlet | None = None  # the outlet the question names as its source
    digest: DigestKind = DigestKind.NONE
    # Later coverage of a past period: only sentences naming it ("in November 2022") answer.
    mentions: re.Pattern[str] | None = None
    note: str = ""  # said before the answer when this step answers
    needs_subject: bool = False  # names nothing to look for: ask the reader for a subject
    summary: bool = False  # a request for a summary of the coverage of `search_text`
    latest: bool = False  # ... of its newest coverage ("What's the latest on …?")
    fallbacks: tuple[QueryPlan, ...] = field(default=(), compare=False)

    def steps(self) -> tuple[QueryPlan, ...]:
        """This step, then its fallbacks, in the order they are tried."""
        return (self, *self.fallbacks)

    def search_scope(self, k: int | None = None) -> dict[str, Any]:
        """The retriever's fields for this step: outlets, dates, "now" (and `k`).

        A search allows a day either side of the period for time zones.
        """
        scope: dict[str, Any] = {
            "until_ts": _day_ts(self.until + timedelta(days=1), end=True),
            "now_ts": _day_ts(self.now, end=True),
        }
        if self.since is not None:
            scope["since_ts"] = _day_ts(self.since - timedelta(days=1))
        if self.sources:
            scope["sources"] = list(self.sources)
        if k:
            scope["k"] = k
        return scope

    def listing_range(self) -> tuple[int | None, int]:
        """The exact publication range a digest lists (no margin): since and until, as
        timestamps."""
        since = _day_ts(self.since) if self.since else None
        return since, _day_ts(self.until, end=True)

    def searched(self) -> str:
        """Which days (and outlets) this step searched, for a reply that found nothing."""
        days = f"between {self.since} and {self.until}" if self.since else f"by {self.until}"
        outlets = f" from {', '.join(self.sources)}" if self.sources else ""
        return f"Nothing I have indexed{outlets} was published {days}."


def plan(
    question: str,
    history: list[tuple[str, str]] | None = None,
    as_of: date | str | None = None,
    filters: Filters | None = None,
    outlets: Iterable[str] = (),
) -> QueryPlan:
    """The plan for a question: its first step, with the fallbacks in order.

    - The question as searched carries the conversation's names when it refers back.
    - A month or year it names, and the reader's `filters`, set the days searched;
      "now" is `as_of` (default today).
    - An indexed outlet it names as its source (`outlets`) restricts the search; when
      that outlet's coverage does not answer, other coverage does, said so.
    - A past month or year is first the time of publication; later coverage that names
      it comes next.

    Example:
        >>> plan("What happened this week?", as_of="2024-08-06").digest
        <DigestKind.NEWEST: 'newest'>
    """
    now = as_date(as_of)
    filters = filters or Filters()
    named = named_outlet(question, outlets)
    if named is None:
        steps = _branch(question, history, now, filters)
    else:
        within = filters.model_copy(update={"sources": named.sources})
        note = f"Nothing from {', '.join(named.sources)} answers that; other coverage: "
        steps = [
            *_branch(named.question, history, now, within, outlet=named),
            *_branch(question, history, now, filters, note=note),
        ]
    return replace(steps[0], fallbacks=tuple(steps[1:]))


def _branch(
    question: str,
    history: list[tuple[str, str]] | None,
    now: date,
    filters: Filters,
    *,
    outlet: NamedOutlet | None = None,
    note: str = "",
) -> list[QueryPlan]:
    """The steps for the question as asked of one set of outlets: the question's period,
    then later coverage that names it."""
    request = summary_request(question)
    query = contextualize(request.subject if request else question, history)
    digest = DigestKind.NONE
    if request is None and asks_for_digest(query):
        digest = DigestKind.TOP if asks_for_top_stories(question) else DigestKind.NEWEST
    needs_subject = digest is DigestKind.NONE and names_no_subject(without_time(query))
    since, until = _days(question, now, filters, exact=digest is not DigestKind.NONE)
    first = QueryPlan(
        question=question,
        search_text=query,
        now=now,
        since=since,
        until=until,
        sources=tuple(filters.sources),
        outlet=outlet,
        digest=digest,
        note=note,
        needs_subject=needs_subject,
        summary=request is not None,
        latest=request is not None and request.latest,
    )
    mentions = period_mentions(question)
    if needs_subject or mentions is None or filters.since or filters.until:
        return [first]
    # Nothing published then may answer; coverage since that names the period may.
    period_start, _ = time_window(question, now)
    return [first, replace(first, since=period_start, until=now, mentions=mentions)]


def _days(
    question: str, now: date, filters: Filters, *, exact: bool = False
) -> tuple[date | None, date]:
    """The first and last publication days a question may draw on (first: None, any);
    `exact`, "yesterday" is that day alone (exact_window)."""
    since, until = (exact_window if exact else time_window)(question, now)
    if filters.since and (since is None or filters.since > since):
        since = filters.since
    if filters.until and filters.until < until:
        until = filters.until
    return since, until


def as_date(value: date | str | None) -> date:
    """`as_of` as a day: a date, a datetime, an ISO string, or None for today."""
    if value is None:
        return date.today()
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, date):
        return value
    return date.fromisoformat(str(value)[:10])


def _day_ts(day: date, *, end: bool = False) -> int:
    moment = datetime.combine(day, time.max if end else time.min, tzinfo=UTC)
    return int(moment.timestamp())
