"""The coverage gate: does the retrieved coverage answer the question, or do we refuse?

Every answerer runs it first. It refuses, and lists the closest coverage instead of
guessing, when
- the question names someone or something no retrieved passage mentions;
- no sentence matches the question well enough (evidence below min_answer_score);
- the best sentence's passage is about other names, or does not have the words that
  say what is asked about them ("population" in "What is the population of
  Mongolia?") and does not say it in other words either;
- the best sentence does not give the kind of thing asked (a count for "how many", a
  sum of money for "how much … cost", a date for "when", a name for "who");
- the best story says the asked fact is not known ("an undisclosed sum", "did not say
  how many", `qa.unsaid`).

The last two are near misses: the coverage has the story, not the fact. The refusal
says so and quotes what the coverage does say: "The coverage reports “…” [1] but does
not say how many children."
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field, replace

from langchain_core.documents import Document

from qa.answer_types import AskedFact, asked_fact, asks_place
from qa.citations import citation_for
from qa.evidence import Candidate, Evidence, EvidenceScorer, first_sentence
from qa.lexicon import ASKING_WORDS, stem
from qa.models import Answer, Citation
from qa.plan import QueryPlan
from qa.scoring import SCORING, ScoringConfig
from qa.timeframe import without_time
from qa.unsaid import says_unsaid
from qa.words import content_terms, identifies, mentioned, named_terms, roots, term_set

NOT_ANSWERED = "The coverage I have does not answer that."


@dataclass
class Coverage:
    """The gate's verdict: the scored evidence, and why it refused, if it did."""

    evidence: Evidence
    refused: str = ""  # why the coverage does not answer; empty when it does
    related: list[Citation] = field(default_factory=list)  # the closest coverage, if refused
    # A near miss: the sentence of the story the reply quotes, and the asked fact it lacks.
    reported: Candidate | None = None
    asked: AskedFact | None = None
    unsaid: bool = False  # the quoted sentence says the asked fact is not known

    @property
    def answers(self) -> bool:
        """Whether the coverage answers the question."""
        return not self.refused

    def refusal(self, question: str) -> Answer:
        """The reply when the coverage does not answer: it says so, and lists the closest;
        for a near miss, it quotes what the story does say and names what it does not."""
        if self.reported is None or self.asked is None:
            return Answer(
                text=NOT_ANSWERED, answered=False, question=question, related=self.related
            )
        quote = self.reported.text.strip()
        if self.unsaid:
            text = f"The coverage does not say {self.asked.phrase}: “{quote}” [1]"
        else:
            text = f"The coverage reports “{quote}” [1] but does not say {self.asked.phrase}."
        return Answer(
            text=text,
            answered=False,
            question=question,
            citations=[citation_for(1, self.reported.quote())],
            related=self.related,
        )


class CoverageGate:
    """Decides whether the passages answer a plan's question (see the module docstring).

    Example:
        >>> coverage = CoverageGate(EvidenceScorer(embeddings)).assess(step, passages)
        >>> coverage.answers, coverage.evidence.best.text
    """

    def __init__(self, scorer: EvidenceScorer, scoring: ScoringConfig = SCORING) -> None:
        self.scorer = scorer
        self.scoring = scoring

    def assess(self, plan: QueryPlan, passages: list[Document]) -> Coverage:
        """Score the passages' sentences for the plan's question and judge them."""
        question = plan.search_text
        if not names_covered(question, passages):
            return self._refuse("a name the question is about is in no passage", passages)
        evidence = self.scorer.score(question, passages, plan.mentions)
        best = evidence.best
        if best is None:
            return self._refuse("no sentence to weigh", passages, evidence)
        asked = asked_fact(question)
        closest = max(evidence.ranked, key=lambda c: c.score)
        # A count leans on its story for its subject ("she … visited 41 nations"): in the
        # article of the closest sentence, which fits, its fit is the count's.
        leans = (
            asked.kind == "count"
            and best.gives
            and best.article_id == closest.article_id
            and self._fits(question, closest, passages)
        )
        weak = best.evidence < self.scoring.min_answer_score and not leans
        off_topic = not weak and not leans and not self._on_topic(question, best, passages)
        # Sentences giving the asked kind rank first: when the first is weak or off the
        # topic and a closer one that does not give it is not, the story is covered and
        # the asked fact is not.
        if (weak or off_topic) and not closest.gives and self._fits(question, closest, passages):
            refused = self._refuse("no sentence gives what is asked", passages, evidence)
            return replace(refused, reported=closest, asked=asked)
        if weak:
            return self._refuse("the best sentence matches too weakly", passages, evidence)
        if off_topic:
            return self._refuse("the best passage is about something else", passages, evidence)
        place = asks_place(question)
        unsaid = next(
            (
                c
                for c in evidence.every
                if c.article_id == best.article_id and says_unsaid(asked, c.text, place)
            ),
            None,
        )
        if unsaid is not None:
            refused = self._refuse("the story says the asked fact is not known", passages)
            return replace(refused, evidence=evidence, reported=unsaid, asked=asked, unsaid=True)
        if not best.gives:
            refused = self._refuse("no sentence gives what is asked", passages, evidence)
            return replace(refused, reported=best, asked=asked)
        return Coverage(evidence)

    def closest(self, passages: list[Document]) -> list[Citation]:
        """The closest coverage: the first sentence of each of the first passages'
        articles."""
        related: list[Citation] = []
        seen: set[str] = set()
        for doc in passages[: self.scoring.related_passages]:
            article = str(doc.metadata.get("article_id"))
            if article in seen:
                continue
            seen.add(article)
            quote = first_sentence(doc)
            if quote is not None:
                related.append(citation_for(len(related) + 1, quote))
        return related

    def _refuse(
        self, why: str, passages: list[Document], evidence: Evidence | None = None
    ) -> Coverage:
        return Coverage(evidence or Evidence("", []), why, self.closest(passages))

    def _fits(self, question: str, candidate: Candidate, passages: list[Document]) -> bool:
        """Whether the sentence matches well enough and its passage is on the topic."""
        return candidate.evidence >= self.scoring.min_answer_score and self._on_topic(
            question, candidate, passages
        )

    def _on_topic(self, question: str, best: Candidate, passages: list[Document]) -> bool:
        """Half the question's names in the passages of its article, one in the passage; a
        quarter of its words in the passage and near the answer; one of the words that say
        what is asked about the names in the passages of its article, unless the sentence
        says it in other words."""
        scoring = self.scoring
        context = term_set(best.document.page_content)
        # The names a reader adds to place the story ("Wheyward Spirit, the California
        # distillery that …") are the story's, not always the answering passage's: half of
        # them in the passages of its article, one at least in the passage.
        story = set().union(
            *(term_set(d.page_content) for d in passages if _article(d) == best.article_id)
        )
        names = _identifying_names(question, kind=False)
        question = without_time(question)
        if names and (
            not any(mentioned(n, context) for n in names)
            or sum(mentioned(n, story) for n in names) < scoring.min_name_coverage * len(names)
        ):
            return False
        asked = _asked_words(question)
        says_it = best.similarity >= scoring.same_meaning_cosine
        if asked and not roots(asked) & roots(story) and not says_it:
            return False
        terms = content_terms(question)
        if not terms:
            return True
        near = term_set(best.text + " " + str(best.document.metadata.get("title", "")))
        needed = scoring.min_term_coverage * len(terms)
        return (
            sum(t in context for t in terms) >= needed and sum(t in near for t in terms) >= needed
        )


def _article(document: Document) -> str:
    return str(document.metadata.get("article_id"))


# The capitalised words right after "which" or "what" say what kind of answer is wanted
# ("which European nation", "Which MLB team’s owner", "which “Star Trek” character"): the
# passage that answers names the thing itself ("Italy", "the Los Angeles Angels").
_KIND_OF_ANSWER = re.compile(r"\b[Ww](?:hich|hat)\s+((?:[“\"‘']?[A-Z][\w.’'-]*[”\"’']?\s+)+)")


def _identifying_names(question: str, *, kind: bool = True) -> list[str]:
    """The question's names that should be in the coverage that answers it; with `kind`
    False, not those that only say what kind of answer is wanted (_KIND_OF_ANSWER)."""
    question = without_time(question)
    names = [n for n in named_terms(question) if identifies(n)]
    if kind:
        return names
    kinds = {term for match in _KIND_OF_ANSWER.finditer(question) for term in term_set(match[1])}
    return [n for n in names if n not in kinds]


def _asked_words(question: str) -> list[str]:
    """The question's words beyond its names and asking words: what it asks about them
    ("population" in "What is the population of Mongolia?"). A passage that only shares
    the names does not answer it."""
    names = set(named_terms(question))
    return [t for t in content_terms(question) if t not in names and t not in ASKING_WORDS]


def names_covered(question: str, passages: list[Document]) -> bool:
    """Whether every name the question is about appears somewhere in the passages: a
    question about a person, place or thing the coverage never mentions is not answered
    from a neighbouring story. A compound of names is covered by a passage that names
    each side."""
    names = _identifying_names(question)
    if not names:
        return True
    each = [term_set(doc.page_content) for doc in passages]
    found: set[str] = set().union(*each)
    return all(mentioned(name, found) or _compound_mentioned(name, each) for name in names)


_JOINED = re.compile(r"[-–—]")


def _compound_mentioned(name: str, passages: list[set[str]]) -> bool:
    """Whether a compound of names ("Japan–Mongolia", "US-China") is covered: one passage
    names each side (two stories that name one side each do not cover it)."""
    parts = [stem(part) for part in _JOINED.split(name) if part]
    return len(parts) > 1 and any(
        all(mentioned(part, words) for part in parts) for words in passages
    )
