"""Every weight and threshold of retrieval and answering, in one place, each with its reason.

The values were chosen on the RealTime QA dev split (never on test); what each
alternative gave is listed in docs/EVALUATION.md under "Options tried".
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class ScoringConfig:
    """The tuned numbers; `qa.AnswerSettings` overrides the few a user may set.

    Example:
        >>> from dataclasses import replace
        >>> replace(SCORING, min_answer_score=0.0).min_answer_score
        0.0
    """

    # --- Retrieval: fusing the dense, BM25 and headline rankings (qa.retriever) ---
    # A rank r is worth 1 / (rrf_k + r + 1); a small constant lets first ranks stand out.
    rrf_k: int = 10
    # Coverage from just before "now" gets this many first ranks more (news is about now).
    recency_shares: float = 2.5
    # ... halving every this many days, so a months-old match still answers alone.
    recency_half_life_days: float = 14.0
    # Only an article with this share of the best one's score gets the recency prior.
    recency_min_share: float = 0.1
    # A headline matching the question counts this share of a passage rank.
    headline_weight: float = 0.5
    # A roundup restates stories told in full elsewhere: its fused score counts this less.
    roundup_discount: float = 0.2

    # --- What the answerer reads beyond the retrieved passages (qa.context) ---
    # The leads of this many of the best articles: news puts its key facts first.
    lead_articles: int = 3
    # ... this many passages of each, from its start.
    lead_passages: int = 4

    # --- A sentence's evidence: does it match the question? (qa.evidence) ---
    # Share of evidence from the sentence's cosine to the question.
    similarity_weight: float = 0.55
    # Share from the question's words the sentence has.
    overlap_weight: float = 0.3
    # Share from the question's names the sentence has.
    names_weight: float = 0.15
    # Below this evidence the coverage does not answer (NEWSDESK_MIN_ANSWER_SCORE).
    min_answer_score: float = 0.35
    # Sentences embedded per question: embedding is most of an answer's time.
    max_embedded_sentences: int = 8
    # Of those, the best this many are embedded again alone when the stored vectors were
    # pooled from their passage (which blurs sentences of one passage together): on dev,
    # 4 gave the answers of sentences encoded alone (docs/EVALUATION.md, issue 26).
    exact_finalists: int = 4
    # Choosing those: a sentence giving the kind of thing asked is likelier to answer.
    shortlist_type_weight: float = 0.2
    # ... and one of a top article, halving per article rank.
    shortlist_rank_weight: float = 0.3

    # --- Priors: which of the matching sentences answers (qa.evidence) ---
    # It gives the kind of thing asked (a date for "when", a name for "who").
    type_weight: float = 0.2
    # It is in its article's lead (the first lead_chars characters).
    lead_weight: float = 0.1
    lead_chars: int = 400
    # Its article ranks high: this much for the first article, halving per rank.
    rank_weight: float = 0.15
    # It opens by pointing back ("Thus, …", "However, …"): read alone, it says less.
    points_back_penalty: float = 0.1
    # It defines what "What is X?" asks about ("X is a …", "… (X)").
    definition_weight: float = 0.3
    # For "the latest …" questions, the newest evidence gets up to this much more.
    recent_weight: float = 0.15

    # --- The coverage gate: refuse rather than answer from a neighbouring story ---
    # At least this share of the question's names in the answering passage.
    min_name_coverage: float = 0.5
    # At least this share of its words in the passage, and near the answer.
    min_term_coverage: float = 0.25
    # A sentence this close to the question says what is asked in other words.
    same_meaning_cosine: float = 0.6
    # Passages whose first sentences a refusal lists as the closest coverage.
    related_passages: int = 3

    # --- A second sentence beside the best one (qa.answerer) ---
    max_sentences: int = 2
    # It must score this share of the best one's score.
    second_sentence_share: float = 0.6
    # Among those, the one that adds most: its score less this times its cosine to the best.
    second_sentence_redundancy: float = 0.2
    # Never from coverage this many days older than the best sentence's (an older story).
    second_sentence_max_gap_days: int = 30
    # A sentence with this share of its words in the question only restates it.
    restates_share: float = 0.7

    # --- Citing other outlets that report the same (qa.corroboration) ---
    # Two sentences sharing this share of the shorter one's words say the same thing.
    near_copy_share: float = 0.8
    # ... judged by words only when both have this many; shorter ones must be equal.
    near_copy_min_terms: int = 5
    # Another article's sentence sharing this share of words each way reports the claim.
    corroboration_share: float = 0.5
    # ... or one this close in meaning that gives the claim's figures.
    same_fact_cosine: float = 0.8
    # Or one that answers the question itself: this much evidence …
    answer_evidence: float = 0.35
    # ... this close to the claim, naming every name the claim adds to the question.
    answer_cosine: float = 0.55
    # At most this many sources for one claim, its own included.
    max_sources_per_claim: int = 3

    # --- Summaries: "Summarize the article about …", "Tell me about …" (qa.answerer) ---
    # Sentences of a summary: its article's lead, then the sentences closest to its centre.
    summary_sentences: int = 3

    # --- Checking a written answer's citations (qa.support) ---
    # A cited source supports a sentence when its closest sentence is this close in meaning
    # (MiniLM cosine; calibrated on dev paraphrases: docs/EVALUATION.md) ...
    support_similarity: float = 0.4
    # ... and the sentence says something: this many meaningful words ("PWNED." says nothing).
    support_min_terms: int = 3

    # --- Kinds of answer (qa.answer_types) ---
    # Words after a figure that may name what it counts ("420 wildfires").
    counted_window: int = 4
    # ... and one of them names what is counted in other words when this close to it
    # (MiniLM): nouns for the same things ("workers", "employees" 0.85; "countries",
    # "nations" 0.79), not neighbouring kinds ("years", "months" 0.74; "countries",
    # "states" 0.62).
    same_thing_cosine: float = 0.75

    # --- Digests: "What happened this week?", "What are the top stories?" (qa.digest) ---
    # Stories a digest sums up, newest (or most covered) first.
    digest_stories: int = 3
    # "Top stories" weighs this many of the period's newest articles (a busy week's worth).
    top_stories_pool: int = 300
    # Headline words two articles share, beyond common ones: one story.
    same_story_terms: int = 2
    # A word in this share of the period's headlines tells none apart …
    common_term_share: float = 0.2
    # ... when it is also in more than this many of them.
    common_term_min: int = 10


SCORING = ScoringConfig()
