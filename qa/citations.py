"""The citation builder: claims and their quotes to `[n]` markers and `Citation`s.

Any answerer states claims, each resting on quotes: sentences of the retrieved
passages. The builder gives each cited article one number, in the order first cited
(two sentences of one article both carry `[1]`; its `Citation` keeps every quote),
and checks each quote verbatim against its article's passage: a quote that is not
there is dropped, never shown as cited. An answer written with markers for numbered
sources (`claims_from_markers`) loses the markers that name no source given.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass

from langchain_core.documents import Document

from qa.models import Answer, Citation
from vectorstore.sentences import split_sentences


@dataclass(frozen=True)
class Quote:
    """A sentence of a retrieved passage, verbatim, and where it starts in its article."""

    document: Document  # the passage it comes from
    text: str
    offset: int

    @property
    def article_id(self) -> str:
        """The id of the article quoted."""
        return str(self.document.metadata.get("article_id", ""))

    def is_verbatim(self) -> bool:
        """Whether the passage holds exactly this text at this offset."""
        meta = self.document.metadata
        passage = self.document.page_content[int(meta.get("passage_start", 0)) :]
        at = self.offset - int(meta.get("start", 0))
        return bool(self.text) and at >= 0 and passage[at : at + len(self.text)] == self.text


@dataclass(frozen=True)
class Claim:
    """A sentence of the answer and the quotes it rests on, its own source first. A claim
    that `needs_source` is shown only with a quote that checks; one that does not (a
    written answer's "The sources do not say when.") is shown without markers."""

    text: str
    quotes: tuple[Quote, ...]
    needs_source: bool = True


def cited_answer(question: str, claims: Sequence[Claim]) -> Answer:
    """The answer stating `claims`, each followed by its markers, with the citations.

    Example:
        >>> answer = cited_answer("what is OSA?", [Claim("OSA is aid.", (quote,))])
        >>> answer.text, answer.citations[0].number
        ('OSA is aid [1].', 1)
    """
    citations: dict[str, Citation] = {}  # by article id, in the order first cited
    parts = []
    for claim in claims:
        numbers: list[int] = []
        for quote in claim.quotes:
            if not quote.is_verbatim():
                continue
            citation = citations.get(quote.article_id)
            if citation is None:
                citation = citation_for(len(citations) + 1, quote)
                citations[quote.article_id] = citation
            elif quote.text not in citation.quotes:
                citation.quotes.append(quote.text)
                citation.offsets.append(quote.offset)
            if citation.number not in numbers:
                numbers.append(citation.number)
        if numbers:
            parts.append(with_markers(claim.text, numbers))
        elif not claim.needs_source:
            parts.append(claim.text)
    return Answer(
        text=" ".join(parts),
        citations=list(citations.values()),
        answered=bool(citations),
        question=question,
    )


def claims_from_markers(text: str, sources: Sequence[Quote]) -> list[Claim]:
    """The sentences of an answer written with `[n]` markers for the numbered `sources`
    (`[1]` is `sources[0]`), each as a claim citing what its markers name. A marker for
    a source not given is dropped; a sentence with none cites nothing.

    Example:
        >>> [c.quotes for c in claims_from_markers("It rained [1][7].", [rain])]
        [(rain,)]
    """
    return [
        Claim(marked.text, tuple(sources[n - 1] for n in marked.numbers))
        for marked in marked_sentences(text, len(sources))
    ]


@dataclass(frozen=True)
class MarkedSentence:
    """A sentence of a text written with `[n]` markers, without them."""

    text: str
    numbers: tuple[int, ...]  # the sources its markers name, in order, once each
    unknown: bool  # it had markers, and they named only sources not given


def marked_sentences(text: str, sources: int) -> list[MarkedSentence]:
    """The sentences of a text written with `[n]` markers for `sources` numbered sources.
    `[1, 2]` and `[Source 1]` are read as `[1][2]` and `[1]`; a number outside 1 to
    `sources` is dropped.

    Example:
        >>> [(m.text, m.numbers) for m in marked_sentences("It rained [1, 9]. Roads shut.[2]", 2)]
        [('It rained.', (1,)), ('Roads shut.', (2,))]
    """
    texts: list[str] = []
    written: list[list[int]] = []  # each sentence's markers as written
    text = _MARKER_LIST.sub(_one_marker_each, text)
    for sentence in split_sentences(_MARKERS_AFTER_STOP.sub(r" \2\1", text)):
        numbers = [int(n) for n in _MARKER.findall(sentence.text)]
        bare = _MARKERS.sub("", sentence.text).strip()
        if bare and bare not in ".!?":
            texts.append(_closed(bare))
            written.append(numbers)
        elif texts:  # markers after a closing quote: they belong to the sentence before
            written[-1] += numbers
    marked = []
    for bare_text, numbers in zip(texts, written, strict=True):
        given = tuple(dict.fromkeys(n for n in numbers if 1 <= n <= sources))
        marked.append(MarkedSentence(bare_text, given, bool(numbers) and not given))
    return marked


# "[1, 2]", "[1,2]", "[Source 1]", "[sources 1 and 3]": how written answers mark sources.
_MARKER_LIST = re.compile(r"\[(?:sources?\s*)?(\d+(?:\s*(?:,|and|&)\s*\d+)*)\]", re.I)


# "Roads shut.[2] Next…": markers after the full stop (and any closing quote) move before
# it, so the sentence ends where the splitter looks for its end.
_MARKERS_AFTER_STOP = re.compile(r"([.!?][\"'”’)]*)[ \t]*((?:\[\d+\])+)")


def _one_marker_each(match: re.Match[str]) -> str:
    return "".join(f"[{n}]" for n in re.findall(r"\d+", match[1]))


_MARKER = re.compile(r"\[(\d+)\]")
_MARKERS = re.compile(r"\s*(?:\[\d+\])+")


def _closed(text: str) -> str:
    """A sentence whose markers stood before its full stop (`It rained [1].`) keeps the
    full stop once its markers are out."""
    return re.sub(r"\s+([.!?])$", r"\1", text)


def citation_for(number: int, quote: Quote) -> Citation:
    """The numbered citation of one quote: its article's outlet, title, URL and date."""
    meta = quote.document.metadata
    return Citation(
        number=number,
        article_id=quote.article_id,
        title=str(meta.get("title", "")),
        source=str(meta.get("source", "")),
        url=str(meta.get("url", "")),
        published_at=str(meta.get("published_at", "")),
        quote=quote.text,
        offset=quote.offset,
    )


_CLOSING_QUOTES = "\"'”’"


def with_markers(text: str, numbers: list[int]) -> str:
    """`Text [1][2].`: the sentence with its citation markers before the full stop. A
    quote's closing full stop moves after them too (`… has begun” [1].`), so the markers
    stay with their sentence."""
    text = text.rstrip()
    markers = "".join(f"[{n}]" for n in numbers)
    if len(text) > 1 and text[-1] in _CLOSING_QUOTES and text[-2] in ".,":
        return f"{text[:-2]}{text[-1]} {markers}."
    end = ""
    while text and text[-1] in ".!?":
        end = text[-1] + end
        text = text[:-1]
    return f"{text} {markers}{end or '.'}"
