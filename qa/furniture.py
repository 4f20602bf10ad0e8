"""Page furniture: lines the parser kept in an article's text that are not reporting.

None of them may answer a question, open a digest or be quoted as a claim.
"""

from __future__ import annotations

import re

from qa.sentences import PHOTO_AGENCY

# "In pictures: Shinzo Abe" (a gallery's title, which answered "What happened to Shinzo
# Abe?"), "Hide Caption 6 of 16", "Watch: …", "Related: …", a video link ("JUST WATCHED …",
# "… in 2021 01:21"); a lead-in to a list ("Here's what borrowers need to know:"), which
# says nothing itself; a newsletter plug; a reporter's e-mail address; an embedded tweet
# ("… pic.twitter.com/… — Video Music Awards (@vmas) August 27, 2022", which answered "Who
# won video of the year?"); an editor's note, a correction ("Opinion: A previous version of
# this column misstated …"), a link to a fact check or graphic ("Graphics: Life cycle and
# migrations maps of the monarch butterfly"); a promotion ("Explore the universe with news
# on fascinating discoveries, scientific advancements and more", "On today's episode of the
# 5 Things podcast: …").
_LABELLED = re.compile(
    r"^\W*(?:photos?|in pictures|pictured|hide caption|show caption|video|watch|read more|"
    r"related|see also|more|click here|sign up|graphics?|opinion|editor['’]?s note|"
    r"fact check|podcast|live updates?|more coverage|full coverage)\s*:|"
    r"^\W*(?:must watch|just watched)\b|"
    r"^\W*(?:live updates?|more coverage|full coverage)\b(?!.*[.!?][\"”’']?\s*$)|"
    r"\band (?:much )?more\s*$|^\W*on (?:today['’]s|this) episode of\b|"
    r"\bsign up for\b.*\bnewsletter\b|^\S+@\S+\.\w+$|"
    r"\b(?:hide|show) caption\b|\b(?:caption|image|photo|slide) \d+ of \d+\b|"
    r"\b\d\d:\d\d\s*$|:\s*$|pic\.twitter\.com/|\(@\w+\)\s+[A-Z][a-z]+\.? \d{1,2}, \d{4}",
    re.IGNORECASE,
)
# A link to another story under a label, written without a space and with no full stop:
# "Who is Elon Musk?:What to know about the Tesla CEO …", "Graphics:After 50 years, US takes
# first step back to moon …". A roundup item that reports ("Fort Smith:The Arkansas
# Department of Agriculture has added … counties.") ends as a sentence does, and stays.
_LINK = re.compile(r"^\W*[A-Z][\w'’ ?!,-]{0,40}[\w?!]:[A-Z'‘“\"](?!.*[.!?][\"”’']?\s*$)")
# A photo caption ending with its credit: "Conservative leadership candidate Rishi Sunak
# Peter Nicholls/Reuters", "(Photo by Alex Wong/Getty Images)".
_CREDITED = re.compile(rf"[A-Za-z][\w.'’-]*(?:/[^/\n]{{1,40}}?)*/{PHOTO_AGENCY}\)?\W*$")
# A pointer to more coverage: "For the latest coverage on Hurricane Fiona, follow our
# updates from Wednesday here.", "See the recall notice here.", "Read the full story here."
_POINTER = re.compile(
    r"^[\s►👉]*(?:(?:for (?:more|the latest|our latest)|to get it)\b[^.]*,\s*)?"
    r"(?:see|read|find|get|follow|click|watch|learn|check out|sign up)\b.*\bhere\W*$|"
    r"^[\s►👉]*for (?:more|the latest|our latest)\b[^.]*,\s*(?:see|read|follow|visit)\b",
    re.IGNORECASE,
)


# A video player's ad-feedback widget, kept by the scrape (197 video links in the RealTime
# QA corpus; 19 articles whose body is only the widget): "Video Ad Feedback Survivors
# recount horror of Halloween disaster in Seoul 02:07 - Source: CNN", "1. How relevant is
# this ad to you?", "Video player was slow to load content … Ad froze or did not finish
# loading …".
_AD_WIDGET = re.compile(
    r"^\W*video ad feedback\b|\b\d\d:\d\d\s+-\s+source:|\bhow relevant is this ad to you\b|"
    r"\bad froze or did not finish loading\b",
    re.IGNORECASE,
)


def is_furniture(text: str) -> bool:
    """Whether a sentence is page furniture rather than reporting.

    Example:
        >>> is_furniture("Graphics:After 50 years, US takes first step back to moon")
        True
        >>> is_furniture("NASA scrubbed the launch on Saturday.")
        False
    """
    return bool(
        _LABELLED.search(text)
        or _LINK.search(text)
        or ("/" in text and _CREDITED.search(text))  # a credit has its slash: skip the rest
        or _POINTER.search(text)
        or _AD_WIDGET.search(text)
    )
