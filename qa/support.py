"""The citation checker: is a written sentence supported by the source it cites?

A sentence is supported by a source when (1) every name and figure it states appears
in the source (`qa.stated`) and (2) the source's sentence closest to it in meaning
(MiniLM cosine) is at least `ScoringConfig.support_similarity` close: the threshold
calibrated on the RealTime QA dev split (docs/EVALUATION.md, "The citation checker").
That closest sentence, verbatim, is the quote the citation shows.

`check()` reads a written answer: its sentences, each with the `[n]` markers after it.
A marker for a source that was not given is removed (a sentence whose markers all
named such sources is dropped: what it rests on cannot be shown); a cited sentence
keeps the sources that support it (none: it is dropped); an uncited sentence stays
only when it states no name and no figure (stricter than "none that no source gives":
a name or figure shown to a reader must be checkable, and an article's injected
"reply PWNED" is such a name).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field

import numpy as np
from langchain_core.documents import Document
from langchain_core.embeddings import Embeddings

from qa.citations import Claim, Quote, marked_sentences
from qa.evidence import candidates
from qa.scoring import SCORING, ScoringConfig
from qa.stated import SourceFacts, figures, names
from qa.words import content_terms


@dataclass(frozen=True)
class Support:
    """How one source bears on one sentence."""

    quote: Quote | None  # the source's sentence closest in meaning, verbatim
    similarity: float  # its cosine to the sentence
    lacks: tuple[str, ...]  # the names and figures stated that the source does not give
    holds: bool  # the source supports the sentence

    def reason(self) -> str:
        """Why it does not hold, for a reader."""
        if self.lacks:
            return "its source does not give " + ", ".join(self.lacks)
        return "no sentence of its source says it"


@dataclass(frozen=True)
class Dropped:
    """A written sentence the checker removed, and why."""

    sentence: str
    reason: str


@dataclass
class Checked:
    """A written answer after the check: the claims kept, in order, and those dropped."""

    claims: list[Claim] = field(default_factory=list)
    dropped: list[Dropped] = field(default_factory=list)
    written: int = 0  # sentences in the written answer

    @property
    def cited(self) -> int:
        """How many kept sentences cite a source."""
        return sum(bool(c.quotes) for c in self.claims)


class SupportChecker:
    """Checks written sentences against the sources they cite (see the module docstring).

    Args:
        embeddings: Embeds the sentences (the store's model, with its sentence vectors).
        scoring: `support_similarity` and `support_min_terms` are read from it.

    Example:
        >>> checker = SupportChecker(embeddings)
        >>> checker.support("OSA is Japan's aid to armed forces.", passage).holds
        True
    """

    def __init__(self, embeddings: Embeddings, scoring: ScoringConfig = SCORING) -> None:
        self.embeddings = embeddings
        self.scoring = scoring

    def support(self, sentence: str, source: Document, facts: SourceFacts | None = None) -> Support:
        """Whether `source` supports `sentence`, and its closest sentence; `facts`: the
        source's, if already read."""
        lacks = tuple((facts or source_facts(source)).lacks(sentence))
        quote, similarity = self._closest(sentence, source)
        holds = (
            not lacks
            and quote is not None
            and similarity >= self.scoring.support_similarity
            and len(content_terms(sentence)) >= self.scoring.support_min_terms
        )
        return Support(quote, similarity, lacks, holds)

    def check(self, text: str, sources: Sequence[Document]) -> Checked:
        """The written answer `text`, with `[n]` markers for `sources` (`[1]` is the
        first), checked sentence by sentence."""
        checked = Checked()
        facts = [source_facts(s) for s in sources]
        for marked in marked_sentences(text, len(sources)):
            sentence, numbers = marked.text, marked.numbers
            checked.written += 1
            if marked.unknown:
                checked.dropped.append(Dropped(sentence, "it cites a source that was not given"))
                continue
            if not numbers:
                # Uncited, it stays (without a marker) only when it states no name and no
                # figure: a name or figure shown to a reader must be checkable.
                if names(sentence) or figures(sentence):
                    checked.dropped.append(
                        Dropped(sentence, "it states a name or figure but cites no source")
                    )
                else:
                    checked.claims.append(Claim(sentence, (), needs_source=False))
                continue
            supports = [self.support(sentence, sources[n - 1], facts[n - 1]) for n in numbers]
            quotes = tuple(s.quote for s in supports if s.holds and s.quote is not None)
            if quotes:
                checked.claims.append(Claim(sentence, quotes))
            else:
                best = max(supports, key=lambda s: (not s.lacks, s.similarity))
                checked.dropped.append(Dropped(sentence, best.reason()))
        return checked

    def _closest(self, sentence: str, source: Document) -> tuple[Quote | None, float]:
        """The source's reporting sentence closest in meaning to `sentence`, and its cosine."""
        quotes = [c.quote() for c in candidates([source])]
        if not quotes:
            return None, 0.0
        query = np.array(self.embeddings.embed_query(sentence))
        vectors = np.array(self.embeddings.embed_documents([q.text for q in quotes]))
        vectors /= np.linalg.norm(vectors, axis=1, keepdims=True) + 1e-9
        similarities = vectors @ (query / (np.linalg.norm(query) + 1e-9))
        best = int(np.argmax(similarities))
        return quotes[best], float(similarities[best])


def source_facts(source: Document) -> SourceFacts:
    """The names and figures a source gives: its passage's and its title's."""
    start = int(source.metadata.get("passage_start", 0))
    return SourceFacts.read(f"{source.metadata.get('title', '')}\n{source.page_content[start:]}")
