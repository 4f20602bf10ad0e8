"""Scoring the retrieved passages' sentences against a question: which could answer it.

A sentence's *evidence* says how well it matches the question (its cosine to the
question, the question's words and names it has); its *score* adds priors that pick
among matching sentences (it gives the kind of thing asked, it is in its article's
lead, its article ranks high, it defines what "What is X?" asks about). Only the
sentences the passages' cleaning flags as reporting are read: page furniture,
datelines and credits never answer (`vectorstore.cleaning`).
"""

from __future__ import annotations

import calendar
import re
from dataclasses import dataclass, field
from datetime import UTC, datetime
from functools import cached_property, lru_cache

import numpy as np
from langchain_core.documents import Document
from langchain_core.embeddings import Embeddings

from qa.answer_types import (
    FIGURE,
    answer_type_match,
    asked_event,
    asked_fact,
    counted_after_figures,
    counted_words,
    figures_and_after,
    gives_what_is_asked,
)
from qa.citations import Quote
from qa.definitions import definition, definition_subject
from qa.lexicon import STOPWORDS, stem
from qa.people import asks_person, names_new_person, surnames
from qa.scoring import SCORING, ScoringConfig
from qa.timeframe import without_time
from qa.words import content_terms, named_terms, roots, term_set, tokens
from vectorstore.cleaning import PassageSentence, passage_sentences
from vectorstore.sentence_vectors import StoredSentenceVectors

# A sentence that opens by pointing back ("Thus, …", "However, …", "Also, …") leans on
# the one before it: read alone, as an answer is, it says less than it seems.
_POINTS_BACK = re.compile(
    r"^\W*(?:thus|therefore|hence|however|but|also|meanwhile|still|instead|moreover|"
    r"furthermore|additionally|nevertheless|nonetheless|likewise|similarly|otherwise|"
    r"consequently|in addition|as a result|that said|even so)\b",
    re.I,
)
# Single words embedded for the count check, kept per scorer (~1.5 kB each).
_MAX_WORD_VECTORS = 4096
_LATEST = re.compile(r"\b(latest|most recent|newest|recently|current|currently|now)\b", re.I)


@dataclass
class Candidate:
    """A sentence of a retrieved passage that may answer, and how well it does."""

    sentence: PassageSentence
    document: Document
    offset: int  # where it starts in its article
    article_rank: int = 0  # the retriever's rank of the sentence's article, from 0
    similarity: float = 0.0  # its cosine to the question, once scored
    evidence: float = 0.0  # how well it matches the question: decides whether to answer
    typed: bool = False  # it gives the kind of thing asked (answer_type_match), once scored
    gives: bool = True  # it can answer a "how many / how much / when" question at all
    score: float = 0.0  # evidence plus the priors: decides which sentence answers
    vector: np.ndarray | None = None  # its unit embedding, if it was shortlisted
    definition: str = ""  # for "What is X?": the clause that defines X
    counted_as: str = ""  # for "How many X?": its word for X, when not the question's

    @property
    def text(self) -> str:
        """The sentence, verbatim."""
        return self.sentence.text

    @property
    def article_id(self) -> str:
        """The id of the sentence's article."""
        return str(self.document.metadata.get("article_id"))

    @property
    def published_ts(self) -> int:
        """Its article's publication time (-1 when unknown)."""
        return int(self.document.metadata.get("published_ts", -1))

    def quote(self) -> Quote:
        """The sentence as a quote to cite."""
        return Quote(self.document, self.sentence.text, self.offset)

    @cached_property
    def words(self) -> set[str]:
        """Every stemmed word of the sentence."""
        return term_set(self.sentence.text)

    @cached_property
    def content(self) -> set[str]:
        """The sentence's meaningful words, stemmed."""
        return set(content_terms(self.sentence.text))

    @cached_property
    def figures(self) -> set[str]:
        """Its meaningful words with a digit: "9.1%", "2022", "$20,000"."""
        return {t for t in self.content if any(ch.isdigit() for ch in t)}


@dataclass
class Evidence:
    """The scored sentences of a question's passages."""

    question: str
    every: list[Candidate]  # every reporting sentence of the passages, passage by passage
    ranked: list[Candidate] = field(default_factory=list)  # scored, best first

    @property
    def best(self) -> Candidate | None:
        """The sentence that answers best, if any was scored."""
        return self.ranked[0] if self.ranked else None


@dataclass(frozen=True)
class Asked:
    """What a question asks with, read once: its words and names (the period it names
    left out) and what a "What is X?" asks to define."""

    question: str
    terms: list[str]
    names: list[str]
    subject: str

    @classmethod
    def read(cls, question: str) -> Asked:
        """The question's terms, names and definition subject."""
        plain = without_time(question)
        return cls(question, content_terms(plain), named_terms(plain), definition_subject(question))


def _best_first(shortlist: list[Candidate]) -> list[Candidate]:
    """Candidates by score, those giving the kind of thing asked first: a sentence with no
    count of X cannot answer "how many X?" (nor one with no figure "how much?", with no
    time "when?")."""
    return sorted(shortlist, key=lambda c: (c.gives, c.score), reverse=True)


def cosine(one: Candidate, other: Candidate) -> float | None:
    """The two sentences' cosine, if both were embedded (shortlisted)."""
    if one.vector is None or other.vector is None:
        return None
    return float(one.vector @ other.vector)


def candidates(documents: list[Document]) -> list[Candidate]:
    """The reporting sentences of the passages, each once (passages overlap), with their
    article's rank among the passages' articles."""
    seen: set[tuple[str, int]] = set()
    ranks: dict[str, int] = {}
    found = []
    for doc in documents:
        rank = ranks.setdefault(str(doc.metadata.get("article_id")), len(ranks))
        base = int(doc.metadata.get("start", 0))
        for sentence in passage_sentences(doc):
            key = (str(doc.metadata.get("article_id")), base + sentence.start)
            if not sentence.answers or key in seen:
                continue
            seen.add(key)
            found.append(Candidate(sentence, doc, base + sentence.start, rank))
    return found


def first_sentence(document: Document) -> Quote | None:
    """A passage's first sentence (after any dateline or credit), as a quote."""
    base = int(document.metadata.get("start", 0))
    for sentence in passage_sentences(document):
        if not sentence.lead_in:
            return Quote(document, sentence.text, base + sentence.start)
    return None


class EvidenceScorer:
    """Scores the sentences of a question's passages (see the module docstring).

    Example:
        >>> evidence = EvidenceScorer(embeddings).score("what is OSA?", documents)
        >>> evidence.best.text
        'Official Security Assistance (OSA) is …'
    """

    def __init__(self, embeddings: Embeddings, scoring: ScoringConfig = SCORING) -> None:
        self.embeddings = embeddings
        self.scoring = scoring
        self._word_vectors: dict[str, np.ndarray] = {}

    def score(
        self, question: str, documents: list[Document], mentions: re.Pattern[str] | None = None
    ) -> Evidence:
        """The passages' sentences, the best few scored and ranked; with `mentions`, only
        sentences that match it are scored."""
        every = candidates(documents)
        pool = [c for c in every if mentions.search(c.text)] if mentions else every
        common = _lower_case_words(every)
        asked = Asked.read(question)
        counting = self._counted_in_other_words(question, pool)
        shortlist = self._shortlist(asked, pool, common, counting)
        evidence = Evidence(question, every)
        if not shortlist:
            return evidence
        self._embed(question, shortlist, self.embeddings)
        people = _people_asked(asked, every, common)
        self._weigh(asked, shortlist, common, people, counting)
        if isinstance(self.embeddings, StoredSentenceVectors) and self.embeddings.approximate:
            self._embed_finalists_alone(question, shortlist, self.embeddings.underlying_embeddings)
        evidence.ranked = _best_first(shortlist)
        return evidence

    def _counted_in_other_words(self, question: str, pool: list[Candidate]) -> dict[int, str]:
        """For "how many X …?": the sentences (by id, with the word) whose figure counts X in other
        words naming the same things ("laying off 862 employees" for workers, "visited 41
        nations" for countries): a word after the figure, up to a function word, within
        same_thing_cosine of what is counted. The words are embedded in one batch."""
        thing = next((w.lower() for w in reversed(counted_words(question)) if w.isalpha()), "")
        if not thing:
            return {}
        window = self.scoring.counted_window
        unsure = {
            id(candidate): words
            for candidate in pool
            if (words := _nouns_after_figures(candidate.text, window))
            and not gives_what_is_asked(question, candidate.text, self.scoring)
        }
        if not unsure:
            return {}
        vectors = self._vectors([thing, *(w for words in unsure.values() for w in words)])
        wanted = self.scoring.same_thing_cosine
        close = {w for w, v in vectors.items() if float(vectors[thing] @ v) >= wanted}
        return {
            key: same[0]
            for key, words in unsure.items()
            if (same := [w for w in words if w in close])
        }

    def _shortlist(
        self,
        asked: Asked,
        pool: list[Candidate],
        common: set[str],
        counting: dict[int, str] | None = None,
    ) -> list[Candidate]:
        """The sentences worth embedding: the question's words, or a top passage's; one
        that defines what is asked, or counts it in other words than the question's
        (`counting`, which the words shared cannot see), as a definition is."""
        scoring = self.scoring
        if len(pool) <= scoring.max_embedded_sentences:
            return pool
        question, terms, subject = asked.question, asked.terms, asked.subject
        order: dict[int, int] = {}
        for candidate in pool:
            order.setdefault(id(candidate.document), len(order))

        def cheap(candidate: Candidate) -> float:
            words = candidate.words
            overlap = sum(t in words for t in terms) / len(terms) if terms else 0.0
            lead = scoring.lead_weight if candidate.offset < scoring.lead_chars else 0.0
            kind = answer_type_match(question, candidate.text, common)
            defines = (subject and definition(subject, candidate.text)) or id(candidate) in (
                counting or {}
            )
            rank = scoring.shortlist_rank_weight / (1 + order[id(candidate.document)])
            typed = scoring.shortlist_type_weight * kind
            return overlap + lead + typed + (scoring.definition_weight if defines else 0.0) + rank

        return sorted(pool, key=cheap, reverse=True)[: scoring.max_embedded_sentences]

    def _embed(self, question: str, candidates: list[Candidate], embeddings: Embeddings) -> None:
        """Each candidate's unit vector (from `embeddings`) and its cosine to the question."""
        if not candidates:
            return
        query = np.array(self.embeddings.embed_query(question))  # the retriever's, cached
        vectors = np.array(embeddings.embed_documents([c.text for c in candidates]))
        vectors /= np.linalg.norm(vectors, axis=1, keepdims=True) + 1e-9
        similarities = vectors @ (query / (np.linalg.norm(query) + 1e-9))
        for candidate, vector, similarity in zip(candidates, vectors, similarities, strict=True):
            candidate.vector = vector
            candidate.similarity = float(similarity)

    def _embed_finalists_alone(
        self, question: str, shortlist: list[Candidate], embeddings: Embeddings
    ) -> None:
        """The stored vectors were pooled in context, which draws the sentences of one
        passage together (docs/EVALUATION.md): the best few, on which the choice rests,
        are embedded alone and their evidence and score follow their new cosine."""
        finalists = _best_first(shortlist)[: self.scoring.exact_finalists]
        before = [c.similarity for c in finalists]
        self._embed(question, finalists, embeddings)
        for candidate, pooled in zip(finalists, before, strict=True):
            shift = self.scoring.similarity_weight * (candidate.similarity - pooled)
            candidate.evidence += shift
            candidate.score += shift

    def _weigh(
        self,
        asked: Asked,
        shortlist: list[Candidate],
        common: set[str],
        people: frozenset[str] | None = None,
        counting: dict[int, str] | None = None,
    ) -> None:
        """Each embedded candidate's evidence and score; `common`: the words the coverage
        writes in lower case (a sentence's first word among them is no name); `people`: the
        passages' surnames when the question asks for a person (`_people_asked`), and then
        a sentence gives the kind of thing asked only if it names a new person; for "who
        …?" one that names none does not answer at all (as one with no count does not
        answer "how many")."""
        scoring = self.scoring
        question, terms, names, subject = asked.question, asked.terms, asked.names, asked.subject
        known = term_set(question)
        who = asked_fact(question).kind == "person"
        for candidate in shortlist:
            similarity = candidate.similarity
            words = candidate.words
            overlap = sum(t in words for t in terms) / len(terms) if terms else 0.0
            name_hits = sum(n in words for n in names) / len(names) if names else 0.0
            candidate.evidence = (
                scoring.similarity_weight * float(similarity)
                + scoring.overlap_weight * overlap
                + scoring.names_weight * name_hits
            )
            candidate.score = candidate.evidence
            candidate.typed = answer_type_match(question, candidate.text, common)
            candidate.counted_as = (counting or {}).get(id(candidate), "")
            gives = bool(candidate.counted_as) or gives_what_is_asked(
                question, candidate.text, scoring, common
            )
            candidate.gives = (
                gives
                and not _other_year(question, candidate.text, _year_of(candidate.published_ts))
                and not _other_of_figure(question, candidate.text, scoring.counted_window)
            )
            if candidate.typed and people and not names_new_person(candidate.text, people, known):
                candidate.typed = False
                candidate.gives = candidate.gives and not who
            if candidate.typed:
                candidate.score += scoring.type_weight
            if candidate.offset < scoring.lead_chars:
                candidate.score += scoring.lead_weight
            if _POINTS_BACK.match(candidate.text):
                candidate.score -= scoring.points_back_penalty
            if subject:
                candidate.definition = definition(subject, candidate.text)
                if candidate.definition:
                    candidate.score += scoring.definition_weight
        event = asked_event(question)
        if event:
            self._keep_those_telling(event, shortlist)
        if _LATEST.search(question):
            self._prefer_recent(shortlist)
        for candidate in shortlist:  # the retriever ranks whole articles
            candidate.score += scoring.rank_weight / (1 + candidate.article_rank)

    def _keep_those_telling(self, event: str, shortlist: list[Candidate]) -> None:
        """A candidate gives the asked fact only if it says `event` happened, in its words or
        others of the same meaning ("died": "killed", "dead", "deaths"; not "sickened"): a
        word with its Snowball root, or one within same_meaning_cosine of it. The words
        left to compare are embedded in one batch."""
        root = roots([event])
        unsure: list[tuple[Candidate, list[str]]] = []
        for candidate in shortlist:
            if not candidate.gives:
                continue
            words = [w for w in tokens(candidate.text) if w.islower() and w not in STOPWORDS]
            if not root & roots(words):
                unsure.append((candidate, words))
        if not unsure:
            return
        vectors = self._vectors([event] + [w for _, words in unsure for w in words])
        wanted = self.scoring.same_meaning_cosine
        for candidate, words in unsure:
            candidate.gives = any(float(vectors[event] @ vectors[w]) >= wanted for w in words)

    def _vectors(self, words: list[str]) -> dict[str, np.ndarray]:
        """Unit vectors of single words, each embedded once while the scorer's cache of
        _MAX_WORD_VECTORS words lasts (then it starts again)."""
        cache = self._word_vectors
        found = {w: cache[w] for w in dict.fromkeys(words) if w in cache}
        new = [w for w in dict.fromkeys(words) if w not in found]
        if new:
            model = getattr(self.embeddings, "underlying_embeddings", self.embeddings)
            if len(cache) + len(new) > _MAX_WORD_VECTORS:
                cache.clear()
            for word, vector in zip(new, np.array(model.embed_documents(new)), strict=True):
                found[word] = cache[word] = vector / (np.linalg.norm(vector) + 1e-9)
        return found

    def _prefer_recent(self, shortlist: list[Candidate]) -> None:
        """For "the latest …" questions, newer evidence gets up to recent_weight more."""
        stamps = [c.published_ts for c in shortlist]
        dated = [t for t in stamps if t >= 0]
        if len(set(dated)) < 2:
            return
        low, high = min(dated), max(dated)
        for candidate, stamp in zip(shortlist, stamps, strict=True):
            if stamp >= 0:
                candidate.score += self.scoring.recent_weight * (stamp - low) / (high - low)


def _nouns_after_figures(sentence: str, window: int) -> list[str]:
    """The words right after each figure, up to a function word ("41 nations", "862
    employees"): where a count names what it counts."""
    nouns: list[str] = []
    for words in counted_after_figures(sentence, window):
        for word in words:
            if word.lower() in STOPWORDS or not word.isalpha():
                break
            nouns.append(word.lower())
    return nouns


def _people_asked(asked: Asked, every: list[Candidate], common: set[str]) -> frozenset[str]:
    """The surnames of the passages' sentences (`qa.people`) when the question asks for a
    person (`asks_person`), else none: people are told from other names by how the
    passages write them."""
    if asked_fact(asked.question).kind not in ("person", "name"):
        return frozenset()
    texts = [c.text for c in every]
    people = surnames(texts, common)
    return people if people and asks_person(asked.question, texts, people) else frozenset()


_YEAR = re.compile(r"\b(?:19|20)\d\d\b")
# A year a sentence looks back to or ahead from ("its first title since 2001") dates
# nothing it reports.
_SINCE_YEAR = re.compile(
    r"\b(?:since|before|until|till|from|through)\s+(?:(?:early|late|mid)[\s-]+)?(?:19|20)\d\d\b",
    re.I,
)


# A day of the story, as a question names it: "on Friday", "Sunday's referendum",
# "yesterday" (not "this week", which dates the story rather than the asked event: "Raymond
# Briggs, who died this week, was most celebrated for which book?").
_STORY_DAY = re.compile(rf"\b(?:{'|'.join(calendar.day_name)}|today|tonight|yesterday)\b", re.I)


def _other_year(question: str, sentence: str, published: int | None = None) -> bool:
    """Whether the sentence dates what it says to other years than the question asks of:
    "the 2022 Nobel Prize in Chemistry" is not answered by "won the Nobel Prize in
    chemistry (1958 and 1980)" (a recurring event, another occurrence of it). A question
    that dates its event to the story's own days ("erupted on Friday") asks of this
    occurrence: a sentence dated only to years before the story's (`published`) tells an
    earlier one ("Its last major eruption was in 1990, when it … injured hundreds").
    Years a sentence looks back to ("since 2001") do not count."""
    asked = set(_YEAR.findall(question))
    said = set(_YEAR.findall(_SINCE_YEAR.sub("", sentence)))
    if not said:
        return False
    if asked:
        return not asked & said
    earlier = published is not None and all(int(year) < published for year in said)
    return earlier and _STORY_DAY.search(question) is not None


def _figured_nouns(text: str, window: int) -> dict[str, set[str]]:
    """Each figure of a text in digits, with the words right after it up to a function
    word, number words left out: "$18.5 million multistate settlement" gives "18.5":
    {multistate, settlement}; "25-gig service" gives "25": {gig, service}. Ordinals
    ("74th") are no figure."""
    found: dict[str, set[str]] = {}
    for word, after in figures_and_after(text, window):
        figure = _DIGITS.match(word)
        rest = word[figure.end() :] if figure else ""
        if figure is None or _ORDINAL.fullmatch(rest):
            continue
        nouns = found.setdefault(figure.group().rstrip(".,"), set())
        if rest.strip("-"):
            nouns.add(stem(rest.strip("-")))
        for noun in after:
            if noun.lower() in STOPWORDS or noun[:1].isdigit():
                break
            if not FIGURE.fullmatch(noun):
                nouns.add(stem(noun))
    return found


_DIGITS = re.compile(r"\d[\d,.]*")
_ORDINAL = re.compile(r"st|nd|rd|th", re.I)


def _other_of_figure(question: str, sentence: str, window: int) -> bool:
    """Whether the sentence tells another of a thing the question names by its figure:
    "the $18.5 million settlement" is not the sentence's "a $10 million class-action
    lawsuit settlement" (the same noun after another figure), unless the sentence has the
    question's figure too."""
    figures, nouns = _asked_figures(question, window)
    if not nouns:
        return False
    said = _figured_nouns(sentence, window)
    return not figures & said.keys() and any(found & nouns for found in said.values())


@lru_cache(maxsize=256)  # one question, weighed against each shortlisted sentence
def _asked_figures(question: str, window: int) -> tuple[frozenset[str], frozenset[str]]:
    """The question's figures and the nouns after them (`_figured_nouns`), read once."""
    asked = _figured_nouns(question, window)
    return frozenset(asked), frozenset().union(*asked.values())


def _year_of(timestamp: int) -> int | None:
    """The year of a publication time (None when unknown)."""
    return datetime.fromtimestamp(timestamp, UTC).year if timestamp >= 0 else None


def _lower_case_words(every: list[Candidate]) -> set[str]:
    """The words the candidates' passages write in lower case: common words, not names."""
    passages = {id(c.document): c.document.page_content for c in every}
    return {w for text in passages.values() for w in tokens(text) if w.islower()}
