"""Answerers: a plan's question and its passages in, a cited `Answer` out.

Every answerer runs the coverage gate first (`qa.coverage`: refuse, listing the closest
coverage, rather than answer from a neighbouring story) and states its answer as
claims with quotes, which the citation builder (`qa.citations`) numbers and checks.
The extractive answerer, the default, needs no LLM: its answer is made of sentences
(or, for a definition, a clause) of the articles themselves.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import Protocol

import numpy as np
from langchain_core.documents import Document
from langchain_core.embeddings import Embeddings

from qa.citations import Claim, cited_answer
from qa.corroboration import also_reported, near_copy, older_story
from qa.coverage import NOT_ANSWERED, Coverage, CoverageGate
from qa.evidence import Candidate, Evidence, EvidenceScorer, candidates, cosine
from qa.models import Answer
from qa.plan import DigestKind, QueryPlan
from qa.scoring import SCORING, ScoringConfig
from qa.short_answer import short_answer
from qa.words import term_set

# A heading or list item ("What we know, don't know about what was taken from Mar-a-Lago")
# ends without a full stop and says nothing: it is never a second sentence.
_ENDS_AS_SENTENCE = re.compile(r"[.!?…][\"'”’)\]]*\s*$")


class Answerer(Protocol):
    """What writes an answer: the same contract for every answerer."""

    def answer(self, plan: QueryPlan, passages: list[Document]) -> Answer:
        """The cited answer to `plan`'s question from `passages` (best first), or a
        refusal listing the closest coverage."""
        ...

    def stream(self, plan: QueryPlan, passages: list[Document]) -> Iterator[str | Answer]:
        """The answer's text as it is written (pieces of a draft), then the checked
        `Answer`, last."""
        ...


def last_answer(stream: Iterator[str | Answer]) -> Answer:
    """The `Answer` a stream ends with (its draft's pieces read and left)."""
    answer = None
    for item in stream:
        if isinstance(item, Answer):
            answer = item
    if answer is None:
        raise ValueError("the answer stream ended without an Answer")
    return answer


class ExtractiveAnswerer:
    """Answer from the retrieved passages' own sentences, with [n] citations.

    Args:
        embeddings: Embeds the question and the candidate sentences.
        scoring: The weights and thresholds (`qa.scoring`).

    Example:
        >>> answerer = ExtractiveAnswerer(embeddings)
        >>> answer = answerer.answer(plan("what is OSA?"), documents)
    """

    def __init__(self, embeddings: Embeddings, scoring: ScoringConfig = SCORING) -> None:
        self.embeddings = embeddings
        self.scoring = scoring
        self.gate = CoverageGate(EvidenceScorer(embeddings, scoring), scoring)

    def answer(self, plan: QueryPlan, passages: list[Document]) -> Answer:
        """The best sentence, and a second one that adds to it, each with the other
        outlets that report it, and the words of the best that answer (`Answer.short`);
        for a digest, the first sentence of each story."""
        if plan.digest is not DigestKind.NONE:
            return self._digest(plan, passages)
        return self.from_coverage(plan, self.gate.assess(plan, passages))

    def stream(self, plan: QueryPlan, passages: list[Document]) -> Iterator[str | Answer]:
        """The whole answer's text at once (none for a refusal), then the answer."""
        answer = self.answer(plan, passages)
        if answer.answered:
            yield answer.text
        yield answer

    def from_coverage(self, plan: QueryPlan, coverage: Coverage) -> Answer:
        """The answer once the coverage gate has read the passages (a refusal when it
        refused)."""
        if not coverage.answers:
            return coverage.refusal(plan.search_text)
        if plan.summary:
            return self._summary(plan, coverage)
        chosen = self._choose(plan.search_text, coverage)
        every = coverage.evidence.every
        claims = [
            Claim(
                candidate.definition or candidate.text,
                tuple(
                    c.quote()
                    for c in [candidate, *also_reported(candidate, every, plan.search_text)]
                ),
            )
            for candidate in chosen
        ]
        answer = cited_answer(plan.search_text, claims)
        if not answer.answered:
            return coverage.refusal(plan.search_text)
        best = chosen[0]
        span = short_answer(plan.search_text, best.text, best.definition, best.counted_as)
        if span and span in answer.citations[0].quote:
            answer = answer.model_copy(update={"short": span})
        return answer

    def _choose(self, question: str, coverage: Coverage) -> list[Candidate]:
        """The best sentence, then (unless it is a definition) the one that adds most to
        it among those scoring second_sentence_share of it: of the kind asked when the
        best is, from no much older story, no heading, no near copy."""
        scoring = self.scoring
        evidence: Evidence = coverage.evidence
        best = evidence.ranked[0]
        chosen = [best]
        following = _following(best, evidence.every) if self._restates(question, best) else None
        if following is not None and scoring.max_sentences > 1:
            chosen.append(following)  # the question quotes this sentence: the answer comes next
        others = sorted(
            evidence.ranked[1:], key=lambda c: (c.gives, self._adds_to(c, best)), reverse=True
        )
        for other in others:
            if len(chosen) >= scoring.max_sentences or best.definition:
                break
            if best.typed and not other.typed:
                continue
            if older_story(other, best, scoring) or not _ENDS_AS_SENTENCE.search(other.text):
                continue
            if other.score >= scoring.second_sentence_share * best.score and not any(
                near_copy(other, taken, scoring) for taken in chosen
            ):
                chosen.append(other)
        return chosen

    def _adds_to(self, other: Candidate, best: Candidate) -> float:
        """How much a sentence is worth beside the best one: its score, less
        second_sentence_redundancy times its cosine to the best (what it repeats)."""
        close = cosine(other, best)
        if close is None:
            return other.score
        return other.score - self.scoring.second_sentence_redundancy * max(0.0, close)

    def _restates(self, question: str, candidate: Candidate) -> bool:
        """Whether the sentence says little the question does not (the question quotes it)."""
        said = candidate.words
        asked = term_set(question)
        return bool(said) and len(said & asked) >= self.scoring.restates_share * len(said)

    def _summary(self, plan: QueryPlan, coverage: Coverage) -> Answer:
        """A short summary of the story the coverage tells of the request's subject: its
        best-matching article's lead, its sentence that best matches the request (what a
        follow-up's "it" names), and the sentences closest to the article's centre (the
        mean of its sentences' vectors), in reading order; for "the latest", of the newest
        article that matches as well."""
        evidence = coverage.evidence
        best = evidence.ranked[0]
        if plan.latest:
            matching = [c for c in evidence.ranked if c.evidence >= self.scoring.min_answer_score]
            best = max(matching, key=lambda c: c.published_ts)
        story = sorted(
            {c.offset: c for c in evidence.every if c.article_id == best.article_id}.values(),
            key=lambda c: c.offset,
        )
        chosen = [story[0]]
        if best.offset != story[0].offset:
            chosen.append(best)
        if len(story) > len(chosen):
            vectors = np.array(self.embeddings.embed_documents([c.text for c in story]))
            vectors /= np.linalg.norm(vectors, axis=1, keepdims=True) + 1e-9
            centre = vectors.mean(axis=0)
            central = sorted(range(1, len(story)), key=lambda i: -float(vectors[i] @ centre))
            for i in central:
                if len(chosen) >= self.scoring.summary_sentences:
                    break
                if _ENDS_AS_SENTENCE.search(story[i].text) and not any(
                    near_copy(story[i], taken, self.scoring) for taken in chosen
                ):
                    chosen.append(story[i])
        chosen.sort(key=lambda c: c.offset)
        return cited_answer(plan.search_text, [Claim(c.text, (c.quote(),)) for c in chosen])

    def _digest(self, plan: QueryPlan, passages: list[Document]) -> Answer:
        """What the coverage in `passages` reports, for a question that asks for no more
        ("What happened this week?"): the first sentence of each of its first
        digest_stories articles; for later coverage of a period, each article's first
        sentence that names it."""
        firsts: dict[int, Candidate] = {}  # by article rank: the first in reading order
        for candidate in candidates(passages):
            rank, first = candidate.article_rank, firsts.get(candidate.article_rank)
            if rank >= self.scoring.digest_stories or (first and first.offset < candidate.offset):
                continue
            if plan.mentions is None or plan.mentions.search(candidate.text):
                firsts[rank] = candidate
        if not firsts:
            related = self.gate.closest(passages)
            return Answer(text=NOT_ANSWERED, answered=False, related=related)
        claims = [Claim(firsts[rank].text, (firsts[rank].quote(),)) for rank in sorted(firsts)]
        return cited_answer(plan.search_text, claims)


def _following(candidate: Candidate, every: list[Candidate]) -> Candidate | None:
    """The next sentence of the same passage, if it was retrieved."""
    later = [
        other
        for other in every
        if other.document is candidate.document and other.offset > candidate.offset
    ]
    return min(later, key=lambda other: other.offset, default=None)
