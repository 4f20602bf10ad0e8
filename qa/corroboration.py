"""Other outlets that report an answer's claim, cited beside it: `… vehicles [1][2].`

Another article's sentence corroborates a claim when it reports the same fact (wire
copy, a rewrite: most content words shared each way, or close in meaning with the
claim's figures) or gives the same answer to the question in its own words. Never
from a much older story: an old figure beside today's would mislead.
"""

from __future__ import annotations

from qa.evidence import Candidate, cosine
from qa.scoring import SCORING, ScoringConfig
from qa.words import identifies, named_terms, term_set


def older_story(other: Candidate, best: Candidate, scoring: ScoringConfig = SCORING) -> bool:
    """Whether `other` comes from coverage published well before the best sentence's: it
    reports an older story ("the Fed raised rates" in 2018, asked of 2022)."""
    mine, theirs = best.published_ts, other.published_ts
    gap = scoring.second_sentence_max_gap_days * 86_400
    return mine >= 0 and 0 <= theirs < mine - gap


def near_copy(one: Candidate, other: Candidate, scoring: ScoringConfig = SCORING) -> bool:
    """Whether two sentences say the same thing in nearly the same words."""
    mine, theirs = one.words, other.words
    if min(len(mine), len(theirs)) < scoring.near_copy_min_terms:
        return one.text.strip() == other.text.strip()
    return len(mine & theirs) >= scoring.near_copy_share * min(len(mine), len(theirs))


def also_reported(
    claim: Candidate,
    candidates: list[Candidate],
    question: str,
    scoring: ScoringConfig = SCORING,
) -> list[Candidate]:
    """Other articles' sentences that report the claim (wire copy, rewrites) or give the
    same answer to `question`, best ranked first, none from a much older story: a reader
    sees every outlet that reports it, up to max_sources_per_claim."""
    articles = {claim.article_id}
    found: list[Candidate] = []
    asked = term_set(question)  # what the claim adds to it, once per claim
    given, figures = _names_given(claim, asked), claim.figures - asked
    for other in sorted(candidates, key=lambda c: c.article_rank):
        if len(found) + 1 >= scoring.max_sources_per_claim:
            break
        if (
            other.article_id not in articles
            and not older_story(other, claim, scoring)
            and (
                _same_fact(claim, other, scoring)
                or _gives_same_answer(claim, other, given, figures, scoring)
            )
        ):
            articles.add(other.article_id)
            found.append(other)
    return found


def _same_fact(claim: Candidate, other: Candidate, scoring: ScoringConfig) -> bool:
    """Whether another sentence reports the claim: each shares corroboration_share of its
    content words with the other (a shorter sentence on the same subject does not), or
    it says the same in other words (same_fact_cosine) with the claim's figures."""
    mine, theirs = claim.content, other.content
    my_figures, their_figures = claim.figures, other.figures
    close = cosine(claim, other)
    if close is not None and close >= scoring.same_fact_cosine and my_figures <= their_figures:
        return True
    if (
        my_figures
        and their_figures
        and not (my_figures <= their_figures or their_figures <= my_figures)
    ):
        return False  # other figures: another fact (a 0.25-point rise is not a 0.75 one)
    if min(len(mine), len(theirs)) < scoring.near_copy_min_terms:
        return near_copy(claim, other, scoring)
    return len(mine & theirs) >= scoring.corroboration_share * max(len(mine), len(theirs))


def _gives_same_answer(
    claim: Candidate,
    other: Candidate,
    given: list[str],
    figures: set[str],
    scoring: ScoringConfig,
) -> bool:
    """Whether another outlet's sentence answers the question as the claim does: it gives
    the kind of thing asked, matches the question well enough to answer it itself, is
    close to the claim, and names every name the claim adds to the question (`given`),
    with its figures beyond the question's (`figures`)."""
    if not other.typed or other.evidence < scoring.answer_evidence:
        return False
    close = cosine(claim, other)
    if close is None or close < scoring.answer_cosine:
        return False
    if figures and not figures <= other.figures:
        return False
    return bool(given or figures) and all(n in other.words for n in given)


def _names_given(claim: Candidate, asked: set[str]) -> list[str]:
    """The names the claim adds to the question's words (not days, months or numbers)."""
    names = named_terms(claim.text, initial=True)
    return [n for n in names if n not in asked and identifies(n)]
