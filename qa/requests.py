"""Requests for a summary: "Summarize the article about Mongolia", "Tell me about the
Japan–Mongolia deal", "What's the latest on the strike?"."""

from __future__ import annotations

import re
from dataclasses import dataclass

# A request for what the coverage says about a subject, and the subject after it.
_REQUEST = re.compile(
    r"^\s*(?:please\s+)?(?:(?:can|could|would|will) you\s+)?(?:please\s+)?"
    r"(?:summari[sz]e|sum up|recap|"
    r"give me (?:a |an |the )?(?:short |quick |brief )?(?:summary|overview|rundown|recap|gist|"
    r"briefing)\s+(?:of|on|about)|"
    r"(?:a |an )?(?:short |quick |brief )?(?:summary|overview|rundown|recap) of|"
    r"tell me (?:more )?about|brief me on|catch me up on|fill me in on|"
    r"what(?:['’]s| is) the latest (?:on|with|about|in)|"
    r"what(?:['’]s| is) (?:happening|going on) (?:with|in)|what do we know about)\s+"
    r"(?P<subject>.+?)[\s.?!]*$",
    re.IGNORECASE,
)
# "the article about Mongolia", "the news on the strike": the subject is what follows.
_COVERAGE = re.compile(
    r"^(?:the |this |that |today['’]s )?(?:latest )?(?:article|story|stories|news|coverage|"
    r"report|reports|piece)\s+(?:about|on|of|over|concerning)\s+",
    re.IGNORECASE,
)


@dataclass(frozen=True)
class SummaryRequest:
    """What a request asks to be summarised, and whether it wants the newest coverage."""

    subject: str
    latest: bool


def summary_request(question: str) -> SummaryRequest | None:
    """The subject of a request for a summary, if the question is one.

    Example:
        >>> summary_request("Summarize the article about Mongolia.")
        SummaryRequest(subject='Mongolia', latest=False)
        >>> summary_request("What's the latest on the dock strike?").latest
        True
        >>> summary_request("What is OSA?") is None
        True
    """
    match = _REQUEST.match(question)
    if not match:
        return None
    subject = _COVERAGE.sub("", match.group("subject")).strip(" ,")
    if not subject:
        return None
    return SummaryRequest(
        subject, latest="latest" in match.group(0)[: match.start("subject")].lower()
    )
