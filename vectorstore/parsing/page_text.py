"""Plain-text articles, including news pages saved as text.

A saved page reads: headline, photo caption(s), a dateline such as
`17:04 JST, August 5, 2024`, the body paragraphs, then the site's headline
lists ("POPULAR ARTICLE", "JN ACCESS RANKING", lone "-" separators), which are
page furniture and are cut. The caption is indexed after the body. A file without a
dateline is headline + body.
"""

from __future__ import annotations

import re

from vectorstore.articles import Article, article_id_for
from vectorstore.dates import to_iso
from vectorstore.outlet_rules import outlet_named_by
from vectorstore.parsing._common import Unreadable, clean_lines, one_article_per_file

_MONTHS = (
    "January|February|March|April|May|June|July|August|September|October|November|December|"
    "Jan|Feb|Mar|Apr|Jun|Jul|Aug|Sept|Sep|Oct|Nov|Dec"
)
# "17:04 JST, August 5, 2024", "August 5, 2024 17:04 JST", "Aug. 5, 2024", "2024-08-05 17:04"
_DATELINE = re.compile(
    rf"^(?:(?:\d{{1,2}}:\d{{2}}\s*(?:[AP]M\s*)?[A-Z]{{0,4}},?\s*)?(?:{_MONTHS})\.?\s+\d{{1,2}},\s*\d{{4}}"
    rf"(?:,?\s*\d{{1,2}}:\d{{2}}\s*(?:[AP]M)?\s*[A-Z]{{0,4}})?"
    r"|\d{4}-\d{2}-\d{2}(?:[ T]\d{2}:\d{2}(?::\d{2})?(?:Z|[+-]\d{2}:?\d{2}|\s*[A-Z]{2,4})?)?)$"
)
# A line that ends in an all-capitals heading of two or more words and has no
# sentence in it: "JN ACCESS RANKING", '"Politics" POPULAR ARTICLE', "RELATED ARTICLES".
_FURNITURE_HEADING = re.compile(r"(?:^|\s)[A-Z]{2,}(?:\s+[A-Z]{2,})+$")
_SEPARATOR = re.compile(r"^[-–—•*·|]+$")


def _is_furniture(line: str) -> bool:
    return bool(_SEPARATOR.match(line)) or (
        bool(_FURNITURE_HEADING.search(line)) and not line.rstrip().endswith((".", "?", "!"))
    )


def parse_page_text(text: str, relative_path: str) -> Article:
    """Parse one plain-text article (see the module docstring for the layout).

    Example:
        >>> a = parse_page_text("Title\\nCaption\\n9:00 JST, May 1, 2024\\nBody.", "x.txt")
        >>> (a.title, a.published_at, a.text)
        ('Title', '2024-05-01T09:00:00+09:00', 'Body.')
    """
    lines = clean_lines(text)
    while lines and not lines[0]:
        lines.pop(0)
    if not lines:
        raise Unreadable("empty file")
    title, rest = lines[0], lines[1:]
    caption_lines: list[str] = []
    published_at = ""
    for i, line in enumerate(rest[:6]):
        if _DATELINE.match(line):
            caption_lines, rest = rest[:i], rest[i + 1 :]
            published_at = to_iso(line)
            break
    body: list[str] = []
    furniture: list[str] = []
    for i, line in enumerate(rest):
        if line and _is_furniture(line):
            furniture = rest[i:]
            break
        if line:
            body.append(line)
    # The site's lists can name the outlet when the text does not ("JN ACCESS RANKING").
    source = outlet_named_by(furniture)
    if not body:
        raise Unreadable("no article text after the headline")
    caption = " ".join(line for line in caption_lines if line)
    return Article(
        id=article_id_for(relative_path),
        title=title,
        # The photo caption is searched and quoted too, after the story: it can hold a
        # fact the story does not ("… shake hands at the Prime Minister's Office in Tokyo").
        text="\n\n".join(body + ([caption] if caption else [])),
        source=source,
        published_at=published_at,
        caption=caption,
        path=relative_path,
    )


parse = one_article_per_file(parse_page_text)
