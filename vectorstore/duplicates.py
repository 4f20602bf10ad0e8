"""When two articles are the same story: the same id, the same URL or the same body."""

from __future__ import annotations

import hashlib

from vectorstore.articles import Article

# A body this long identifies its story: the same body under another title is a repost.
# Shorter ones (a caption, the text of a page's ad widget) repeat only with the same title.
DISTINCT_BODY_WORDS = 50


def duplicate_keys(article: Article) -> list[str]:
    """What another copy of the same story would share with this one."""
    words = article.text.lower().split()
    if len(words) < DISTINCT_BODY_WORDS:
        words = article.title.lower().split() + ["\n"] + words
    keys = ["body:" + hashlib.sha256(" ".join(words).encode()).hexdigest()]
    url = article.url.strip().rstrip("/").lower()
    return keys + (["url:" + url] if url else [])


class DuplicateFilter:
    """Remembers the articles read so far and tells when one repeats an earlier one.

    Example:
        >>> seen = DuplicateFilter()
        >>> seen.repeats(article), seen.repeats(article)
        (False, True)
    """

    def __init__(self) -> None:
        self._seen: set[str] = set()

    def repeats(self, article: Article) -> bool:
        """True when `article` repeats one already read; otherwise remember it."""
        keys = ["id:" + article.id, *duplicate_keys(article)]
        if any(key in self._seen for key in keys):
            return True
        self._seen.update(keys)
        return False
