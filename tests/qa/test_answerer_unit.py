"""The chain and the answerer with LangChain's fakes: no model, no store."""

from __future__ import annotations

import re
from dataclasses import replace
from pathlib import Path

import pytest
from langchain_core.documents import Document
from langchain_core.embeddings import DeterministicFakeEmbedding, Embeddings
from langchain_core.retrievers import BaseRetriever

from qa import SCORING, ExtractiveAnswerer, build_chain, plan
from qa.answer_types import answer_type_match, gives_what_is_asked
from qa.followups import contextualize
from qa.scoring import ScoringConfig
from tests.corpus import passage
from tests.qa.steps import answer_with
from vectorstore.sentences import split_sentences

pytestmark = pytest.mark.unit


def _scoring(min_score: float) -> ScoringConfig:
    return replace(SCORING, min_answer_score=min_score)


PASSAGE = (
    "The council met on Monday. The Harbour Safety Board (HSB), which inspects piers, "
    "closed pier 4. Repairs will cost 3 million dollars."
)


def _doc(text: str = PASSAGE) -> Document:
    return passage(
        "pier.txt",
        "Pier closes (2024-05-01)\n\n",
        text,
        start=10,
        title="Pier closes",
        source="Port News",
        published_at="2024-05-01",
    )


class _Fixed(BaseRetriever):
    documents: list[Document]

    def _get_relevant_documents(self, query, *, run_manager):  # type: ignore[no-untyped-def]
        return self.documents


def test_definition_answer_with_marker_and_verbatim_quote() -> None:
    answerer = ExtractiveAnswerer(DeterministicFakeEmbedding(size=64), _scoring(0.0))
    answer = answer_with(answerer, "What is HSB?", [_doc()])
    assert answer.answered
    assert answer.text.startswith("HSB is Harbour Safety Board, which inspects piers")
    assert answer.text.endswith("[1].")
    (citation,) = answer.citations
    assert citation.quote == (
        "The Harbour Safety Board (HSB), which inspects piers, closed pier 4."
    )
    assert citation.offset == 10 + PASSAGE.index(citation.quote)
    assert (citation.source, citation.title) == ("Port News", "Pier closes")


def test_the_sentence_that_defines_the_subject_answers_what_is_it() -> None:
    answerer = ExtractiveAnswerer(DeterministicFakeEmbedding(size=64), _scoring(0.0))
    # Every sentence names the subject, more than the answerer embeds; the definition
    # comes last, in the second article.
    news = " ".join(f"Monkeypox cases rose in city {n} this week." for n in range(12))
    story = _article("pox", news)
    lead = _article("guide", "Monkeypox is a poxvirus, related to smallpox and cowpox.")
    answer = answer_with(answerer, "What is monkeypox?", [story, lead])
    assert answer.text.startswith("Monkeypox is a poxvirus, related to smallpox")


@pytest.mark.parametrize(
    ("sentence", "defines"),
    [
        ("Monkeypox is a poxvirus, related to smallpox.", True),
        ("(CNN) Monkeypox is a rare disease.", True),
        ("Atlanta (AP) Monkeypox is a rare disease.", True),  # any wire's dateline
        ("NEW YORK — Monkeypox is a rare disease.", True),
        ("Roe v. Wade, the 1973 ruling, set the right.", True),
        # The subject of "is a" is the decision, not Roe v. Wade.
        ("The decision to overturn Roe v. Wade is a case of history repeating.", False),
    ],
)
def test_a_definition_opens_with_its_subject(sentence: str, defines: bool) -> None:
    from qa.definitions import definition as _definition

    subject = "monkeypox" if "pox" in sentence else "Roe v. Wade"
    assert _definition(subject, sentence) == (sentence if defines else "")


def test_with_a_pattern_only_a_sentence_that_matches_it_answers() -> None:
    answerer = ExtractiveAnswerer(DeterministicFakeEmbedding(size=64), _scoring(0.0))
    story = _article(
        "port",
        "The Harbour Safety Board closed pier 4 on Monday. "
        "The board first inspected pier 4 in March 2021, after a storm.",
    )
    answer = answer_with(
        answerer, "When did the board inspect pier 4?", [story], re.compile(r"\b2021\b")
    )
    assert answer.text.startswith("The board first inspected pier 4 in March 2021")
    assert not answer_with(
        answerer, "What did the board do?", [story], re.compile(r"\b2019\b")
    ).answered


def test_page_furniture_never_answers() -> None:
    answerer = ExtractiveAnswerer(DeterministicFakeEmbedding(size=64), _scoring(0.0))
    gallery = _article(
        "gallery",
        "In pictures: Harbour master Ana Lima\n\nAna Lima at the pier. Hide Caption 3 of 9\n\n"
        "Watch: Ana Lima on the pier closure\n\nMUST WATCH Pier collapse in 2021 01:21\n\n"
        "Here is what else to know about Ana Lima:\n\n"
        "JUST WATCHED See Ana Lima's reaction Replay More Videos ...\n\n"
        "Harbour master Ana Lima resigned on Monday after the pier collapsed.",
    )
    answer = answer_with(answerer, "What happened to Ana Lima?", [gallery])
    assert answer.text.startswith("Harbour master Ana Lima resigned on Monday")
    assert [c.quote for c in answer.citations] == [
        "Harbour master Ana Lima resigned on Monday after the pier collapsed."
    ]


def test_refuses_when_the_names_asked_about_are_absent() -> None:
    answerer = ExtractiveAnswerer(DeterministicFakeEmbedding(size=64), _scoring(0.0))
    answer = answer_with(answerer, "What is the population of Lima?", [_doc()])
    assert not answer.answered and answer.citations == []
    assert [r.title for r in answer.related] == ["Pier closes"]


def test_chain_runs_retriever_then_answerer() -> None:
    answerer = ExtractiveAnswerer(DeterministicFakeEmbedding(size=64), _scoring(0.0))
    chain = build_chain(_Fixed(documents=[_doc()]), answerer)
    result = chain.invoke({"plan": plan("How much will repairs cost?")})
    assert "3 million dollars" in result["answer"].text
    assert result["passages"] == [_doc()]  # what the answer was made from


def test_sentence_offsets_are_exact() -> None:
    text = "Mr. Smith left. U.S. troops arrived.\n\nA new paragraph starts here."
    sentences = split_sentences(text)
    assert [s.text for s in sentences] == [
        "Mr. Smith left.",
        "U.S. troops arrived.",
        "A new paragraph starts here.",
    ]
    assert all(text[s.start : s.start + len(s.text)] == s.text for s in sentences)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("It is ranked No. 1 in the world.", ["It is ranked No. 1 in the world."]),
        (
            "The answer was clear: No. Voters agreed.",
            ["The answer was clear: No.", "Voters agreed."],
        ),
        ("Phones, cameras, etc. Well, it helps.", ["Phones, cameras, etc.", "Well, it helps."]),
        ("Ford Motor Co. is recalling cars.", ["Ford Motor Co. is recalling cars."]),
    ],
)
def test_no_and_etc_end_a_sentence_unless_a_figure_follows_no(
    text: str, expected: list[str]
) -> None:
    assert [s.text for s in split_sentences(text)] == expected


def test_contextualize_only_when_the_question_refers_back() -> None:
    history = [("Who will Kishida meet in Mongolia?", "He will meet Khurelsukh [1].")]
    assert contextualize("When did they last meet?", history) == (
        "When did they last meet? (Kishida Mongolia)"
    )
    assert contextualize("What is OSA?", history) == "What is OSA?"
    # A reaction to it, more of it, or a question too short to name anything.
    for follow_up in ("How did China react?", "And Russia?", "What else?", "Why?"):
        assert contextualize(follow_up, history) == f"{follow_up} (Kishida Mongolia)"
    assert contextualize("Who won the World Cup?", history) == "Who won the World Cup?"
    assert contextualize("When did they last meet?", None) == "When did they last meet?"


def test_contextualize_carries_the_subject_through_turns_that_name_nobody() -> None:
    history = [
        ("Who resigned as UK prime minister?", "Boris Johnson announced his resignation [1]."),
        ("Who might replace him?", "Rishi Sunak announced he was standing [1]."),
    ]
    assert contextualize("Why did he resign?", history) == "Why did he resign? (UK)"
    # No question named anyone: the last answer's names.
    history = [("Who resigned?", "Boris Johnson announced his resignation [1].")]
    assert contextualize("Why did he resign?", history) == "Why did he resign? (Johnson)"
    # A period is no name: each question says its own time.
    history = [
        ("What is OSA?", "OSA is Official Security Assistance [1]."),
        ("What happened in November 2022?", "Kishida met Khurelsukh in November 2022 [1]."),
    ]
    assert contextualize("What's new?", history) == "What's new? (OSA)"


@pytest.mark.unit
@pytest.mark.parametrize(
    ("question", "sentence", "expected"),
    [
        ("Which automaker recalled 2.9 million vehicles?", "Ford is recalling vehicles.", True),
        (
            "Which automaker recalled 2.9 million vehicles?",
            "The automaker recalled 2.9 million vehicles.",
            False,
        ),
        ("Trump met the leader of which country?", "He met Trump in Tokyo on Friday.", True),
        ("Trump met the leader of which country?", "The meeting with Trump went well.", False),
        ("How many cases are there in the US?", "There are 6,600 cases in the US.", True),
        ("How many cases are there in the US?", "Cases rose in the US.", False),
        ("When did they last meet?", "They met in November 2022.", True),
        # The question's own words, whole, and days of the week are not a new name or figure.
        ("Which virus spread as Covid-19 cases fell?", "Covid-19 cases fell on Monday.", False),
        ("Which virus spread as Covid-19 cases fell?", "Monkeypox spread on Monday.", True),
        ("Apple will unveil which product?", "Apple will unveil a new iPhone.", True),
        ("How many flights were cut in 2022?", "Flights were cut in 2022.", False),
        ("How many flights were cut in 2022?", "In 2022, 1,200 flights were cut.", True),
        ("What did the images show?", "The images showed galaxies.", False),
        # "Who" asks for a name wherever it opens a question; a relative "who" does not.
        ("The notes expire soon. Who features on the new note?", "It shows Alan Turing.", True),
        ("Officials say the fire was started by a man who was:", "He was Tom Ash.", False),
        # "Where" wants a place: a name after a preposition of place, or a people's name.
        ("Where did the missile land?", "It landed in the Pacific Ocean.", True),
        ("Where did the missile land?", "North Korea fired it, Japan said.", False),
        ("Where was she found?", "The Metropolitan Police found her on Monday.", False),
        ("Where was the data leaked?", "It held data on a billion Chinese citizens.", True),
        ("In which town was the ticket sold?", "It was sold at a shop in Des Plaines.", True),
    ],
)
def test_answer_type_wants_something_the_question_does_not_say(
    question: str, sentence: str, expected: bool
) -> None:
    assert answer_type_match(question, sentence) is expected


def test_a_first_word_the_coverage_writes_in_lower_case_is_no_name() -> None:
    question = "A cheese product is selling well again. Which product is it?"
    common = {"sales", "the", "of"}  # "sales" is written in lower case elsewhere
    assert not answer_type_match(question, "Sales of the cheese rose.", common)
    assert answer_type_match(question, "Sales of Velveeta rose.", common)
    assert answer_type_match(question, "Velveeta sold well.", common)  # never lower case
    assert answer_type_match(question, "Sales of the cheese rose.")  # no coverage known


def _article(article_id: str, text: str) -> Document:
    return Document(
        page_content=text,
        metadata={"article_id": article_id, "title": article_id, "source": article_id},
    )


def test_the_same_report_in_other_articles_is_cited_beside_it_not_repeated() -> None:
    answerer = ExtractiveAnswerer(DeterministicFakeEmbedding(size=64), _scoring(0.0))
    documents = [
        _article("wire", "Repairs to pier 4 will cost 3 million dollars, the board said Monday."),
        _article(
            "daily", "Repairs to pier 4 will cost 3 million dollars, the board said on Monday."
        ),
        _article("other", "Repairs to the old ferry terminal were finished in 2020 at a cost."),
        _article("wire", "Repairs to pier 4 will cost 3 million dollars, the board said Monday."),
    ]
    documents[3].metadata["start"] = 500  # the wire story repeats its own sentence later on
    answer = answer_with(answerer, "How much will repairs to pier 4 cost?", documents)
    assert answer.text.count("3 million dollars") == 1
    assert "Monday [1][2]." in answer.text
    assert {c.article_id for c in answer.citations[:2]} == {"wire", "daily"}
    assert all("3 million dollars" in c.quote for c in answer.citations[:2])
    assert "other" not in {c.article_id for c in answer.citations[:2]}


def test_another_outlet_reporting_the_fact_in_its_own_words_is_cited_too() -> None:
    answerer = ExtractiveAnswerer(DeterministicFakeEmbedding(size=64), _scoring(0.0))
    claim = "Ford is recalling 2.9 million vehicles that may roll away while parked, it said."
    rewrite = "On Wednesday Ford said it is recalling 2.9 million cars because they may roll away."
    other_fact = "Ford sold 2.9 million vehicles last year, the company said on Wednesday."
    documents = [
        _article("wire", claim),
        _article("daily", rewrite),
        _article("sales", other_fact),
    ]
    answer = answer_with(answerer, "Which automaker is recalling 2.9 million vehicles?", documents)
    first = answer.text.split("]. ")[0] + "]"  # the first sentence, with its markers
    cited = [c.article_id for c in answer.citations if f"[{c.number}]" in first]
    assert len(cited) == 2 and "sales" not in cited  # the same subject, another fact
    assert {c.quote for c in answer.citations if c.article_id in cited} <= {claim, rewrite}
    assert answer.text.count("recalling 2.9 million") == 1  # cited, not repeated


def test_when_the_question_quotes_a_sentence_the_answer_goes_on_with_the_next() -> None:
    answerer = ExtractiveAnswerer(DeterministicFakeEmbedding(size=64), _scoring(0.0))
    lead = "The city council approved a new tram line on Tuesday after a long debate."
    story = f"{lead} The line will run from the harbour to the airport. Work starts in 2026."
    question = f"{lead} What will the line link?"
    answer = answer_with(answerer, question, [_article("trams", story)])
    assert answer.text == (
        lead.rstrip(".") + " [1]. The line will run from the harbour to the airport [1]."
    )
    (citation,) = answer.citations  # one article, one number, both sentences quoted
    assert citation.quotes == [lead, "The line will run from the harbour to the airport."]


def test_a_day_month_or_number_the_passage_words_otherwise_does_not_refuse() -> None:
    answerer = ExtractiveAnswerer(DeterministicFakeEmbedding(size=64), _scoring(0.0))
    story = _article("flood", "Officials in Virginia say dozens of people are unaccounted for.")
    answer = answer_with(
        answerer,
        "Dozens of people were unaccounted for on Thursday after 2 days of flooding in which "
        "state?",
        [story],
    )
    assert answer.answered and "Virginia" in answer.text
    refused = answer_with(answerer, "Were dozens unaccounted for in Ohio?", [story])
    assert not refused.answered  # a place is a name the answer must be about


def test_a_sentence_naming_the_kind_of_thing_asked_is_among_those_embedded() -> None:
    from qa.evidence import Asked, EvidenceScorer, candidates

    scorer = EvidenceScorer(DeterministicFakeEmbedding(size=64), _scoring(0.0))
    days = ["one", "two", "three", "four", "five", "six", "seven", "eight", "nine", "ten"]
    fillers = [f"The harbour was quiet all week, the {day} report said." for day in days]
    story = " ".join([*fillers, "Acme bought it in cash."])
    pool = candidates([_article("port", story)])
    assert len(pool) > SCORING.max_embedded_sentences
    shortlist = scorer._shortlist(Asked.read("Which company bought the harbour?"), pool, set())
    assert "Acme bought it in cash." in [c.text for c in shortlist]


def test_priors_pick_the_sentence_but_never_make_weak_evidence_answer() -> None:
    story = _article("port", "Acme bought it in cash, the harbour office said.")
    question = "Which company bought the harbour?"
    from qa.evidence import EvidenceScorer

    strict = ExtractiveAnswerer(DeterministicFakeEmbedding(size=64), _scoring(0.3))
    (only,) = EvidenceScorer(strict.embeddings, strict.scoring).score(question, [story]).ranked
    assert only.evidence < 0.3 <= only.score  # a typed lead sentence of the top article
    assert not answer_with(strict, question, [story]).answered
    lenient = ExtractiveAnswerer(DeterministicFakeEmbedding(size=64), _scoring(0.0))
    assert answer_with(lenient, question, [story]).text.startswith("Acme bought it in cash")


def test_an_initialism_is_the_same_word_with_or_without_its_full_stops() -> None:
    from qa.words import content_terms, named_terms, term_set

    assert named_terms("Which U.S. park flooded?") == named_terms("Which US park flooded?")
    assert {"us", "uk"} <= term_set("The U.S. and the U.K. agreed.")
    assert content_terms("Prices rose 5.02% in the U.S.") == ["price", "rise", "5.02", "us"]


def test_a_function_word_with_its_clitic_is_no_name() -> None:
    from qa.words import named_terms

    question = "Author Delia Owens is wanted in Zambia. What's the title of her novel?"
    assert named_terms(question) == ["delia", "owen", "zambia"]


@pytest.mark.parametrize(
    ("sentence", "names"),
    [
        ("Dartmouth College ended loans on Tuesday.", ["dartmouth", "college", "tuesday"]),
        ("Several roads in Yellowstone were closed.", ["yellowstone"]),
        ("Meanwhile, Yellowstone stayed closed.", ["yellowstone"]),
        ("Ford recalled 2.9 million cars.", ["2.9"]),  # one capitalised word: may be any
    ],
)
def test_a_sentence_opening_with_a_name_of_two_words_names_it(
    sentence: str, names: list[str]
) -> None:
    from qa.words import named_terms

    assert named_terms(sentence, initial=True) == names
    assert named_terms(sentence)[:1] != ["dartmouth"]  # a question's first word asks


def test_a_function_word_with_its_clitic_is_no_content_word() -> None:
    from qa.words import content_terms

    assert content_terms("What's new about OSA?") == ["osa"]
    assert content_terms("Who’s the new chief, and where's she from?") == ["chief"]
    assert content_terms("Biden's plan") == ["biden", "plan"]


def test_a_name_no_passage_mentions_is_not_answered_from_a_neighbouring_story() -> None:
    answerer = ExtractiveAnswerer(DeterministicFakeEmbedding(size=64), _scoring(0.0))
    story = _article("port", "The Harbour Safety Board closed pier 4 in Lisbon on Monday.")
    assert answer_with(answerer, "Which pier did the board close in Lisbon?", [story]).answered
    refused = answer_with(answerer, "Which pier did the board close in Porto?", [story])
    assert not refused.answered and refused.related  # the closest coverage is still listed


def test_a_passage_that_shares_only_the_names_does_not_answer() -> None:
    answerer = ExtractiveAnswerer(DeterministicFakeEmbedding(size=64), _scoring(0.0))
    story = _article("port", "The Harbour Safety Board closed pier 4 in Lisbon on Monday.")
    for question in ("What is the population of Lisbon?", "What is the weather in Lisbon?"):
        refused = answer_with(answerer, question, [story])
        assert not refused.answered and refused.related, question
    # The words asked match their derived forms: "arrested" the article's "arrest".
    arrest = _article("arrest", "Harbour master Ana Lima was held after her arrest in May.")
    assert answer_with(answerer, "When was Ana Lima arrested?", [arrest]).answered
    assert not answer_with(answerer, "When was Ana Lima promoted?", [arrest]).answered
    # Asking words ("what happened", "what is the latest") ask about the names alone.
    for question in ("What happened in Lisbon?", "What is the latest on the Harbour Safety Board?"):
        answer = answer_with(answerer, question, [story])
        assert answer.answered and "closed pier 4" in answer.text, question


def test_a_name_that_says_what_kind_of_answer_is_wanted_need_not_be_in_the_passage() -> None:
    answerer = ExtractiveAnswerer(DeterministicFakeEmbedding(size=64), _scoring(0.0))
    story = _article("angels", "The Los Angeles Angels owner said on Tuesday he may sell the team.")
    other = _article("camp", "Teams open their spring training camps in Arizona, MLB said.")
    answer = answer_with(answerer, "Which MLB team's owner may sell the team?", [story, other])
    assert answer.answered and "Los Angeles Angels" in answer.text
    # A name outside "which …" still has to be in the passage; and every name somewhere.
    assert not answer_with(
        answerer, "Which MLB team's owner in Arizona may sell?", [story, other]
    ).answered
    assert not answer_with(answerer, "Which MLB team's owner may sell the team?", [story]).answered


def test_an_initial_is_no_name_the_coverage_must_spell_alike() -> None:
    answerer = ExtractiveAnswerer(DeterministicFakeEmbedding(size=64), _scoring(0.0))
    story = _article("row", "J.K. Rowling hit back at author Joanne Harris on Twitter on Monday.")
    answer = answer_with(
        answerer, "Which author did J. K. Rowling hit back at on Twitter?", [story]
    )
    assert answer.answered and "Joanne Harris" in answer.text


class _Vectors(Embeddings):
    """Set vectors for the texts of a test; the question along the first axis."""

    def __init__(self, table: dict[str, list[float]]) -> None:
        self.table = table

    def embed_documents(self, texts: list[str]) -> list[list[float]]:
        return [self.table[text] for text in texts]

    def embed_query(self, text: str) -> list[float]:
        return [1.0, 0.0, 0.0]


def test_the_second_sentence_adds_to_the_first_rather_than_repeat_it() -> None:
    best = "The storm flooded the harbour on Monday, the board said."
    again = "Officials said high water swamped the harbour's piers at the start of the week."
    more = "The harbour will stay closed to ferries until Friday."
    vectors = _Vectors(
        {best: [0.95, 0.312, 0.0], again: [0.9, 0.436, 0.0], more: [0.88, -0.475, 0.0]}
    )
    answerer = ExtractiveAnswerer(vectors, _scoring(0.0))
    story = _article("storm", f"{best} {again} {more}")
    answer = answer_with(answerer, "What happened at the harbour?", [story])
    # The repeat is closer to the question (0.90 against 0.88), but it says what the first
    # sentence said (cosine 0.99 to it, 0.69 for the other).
    assert answer.text.startswith("The storm flooded the harbour on Monday")
    assert "closed to ferries" in answer.text and "swamped" not in answer.text


def test_a_quote_cited_for_both_sentences_keeps_one_number() -> None:
    answerer = ExtractiveAnswerer(DeterministicFakeEmbedding(size=64), _scoring(0.0))
    wire = "Repairs to pier 4 will cost 3 million dollars, the harbour board said on Monday."
    daily = "The harbour board expects pier 4 repairs to cost about 3 million dollars this year."
    documents = [_article("wire", wire), _article("daily", daily)]
    answer = answer_with(answerer, "How much will repairs to pier 4 cost?", documents)
    # Each sentence is the other's corroboration: two quotes, each cited by one number.
    assert sorted(c.quote for c in answer.citations) == sorted([wire, daily])
    assert answer.text == (
        "Repairs to pier 4 will cost 3 million dollars, the harbour board said on Monday [1][2]. "
        "The harbour board expects pier 4 repairs to cost about 3 million dollars this year [2][1]."
    )


@pytest.mark.parametrize(("gap_days", "added"), [(3, True), (400, False)])
def test_a_second_sentence_from_a_much_older_story_is_left_out(gap_days: int, added: bool) -> None:
    answerer = ExtractiveAnswerer(DeterministicFakeEmbedding(size=64), _scoring(0.0))
    now = "The Fed raised interest rates by 0.75 points on Wednesday, its biggest rise since 1994."
    then = "The Fed raised interest rates by 0.25 points on Wednesday, the third rise of the year."
    documents = [_article("today", now), _article("earlier", then)]
    day = 86_400
    documents[0].metadata["published_ts"] = 1_000 * day
    documents[1].metadata["published_ts"] = (1_000 - gap_days) * day
    answer = answer_with(
        answerer, "By how much did the Fed raise rates in its latest move?", documents
    )
    assert answer.text.startswith("The Fed raised interest rates by 0.75 points")
    assert ("0.25 points" in answer.text) is added
    assert ("earlier" in {c.article_id for c in answer.citations}) is added
    assert "[1][2]" not in answer.text  # other figures: not the same fact, not corroboration


@pytest.mark.parametrize(
    ("question", "sentence", "expected"),
    [
        ("How many troops does Mongolia have?", "The two heads of state met in Tokyo.", False),
        ("How many troops does Mongolia have?", "Mongolia has about 10,000 active troops.", True),
        ("How many months was her detention extended?", "It was extended six months.", True),
        ("How many cases are there?", "More than 6,600 probable or confirmed cases.", True),
        (
            "How many radars will Japan give?",
            "The two countries agreed that Japan will help.",
            False,
        ),
        # "Who" wants a name the question lacks; "Who is X?" asks what X is.
        ("Who will Kishida meet?", "The two leaders will meet.", False),
        ("Who will Kishida meet?", "Kishida will meet President Khurelsukh.", True),
        ("Who is Khurelsukh?", "He is the president of Mongolia.", True),
        # "How much … pay / cost / worth" wants a sum of money, not any figure.
        ("How much did the passengers pay?", "Six passengers flew 10 minutes.", False),
        ("How much did the passengers pay?", "Each paid $28 million.", True),
        ("How much is the pearl worth?", "Pearls like it fetch 2,000 dollars.", True),
        ("How much aid did Japan give?", "The two countries will cooperate.", False),
        ("How much aid did Japan give?", "Japan gave $2 million in aid.", True),
        ("How much did prices rise in 2022?", "Prices rose sharply in 2022.", False),
        ("When was OSA created?", "Japan supports nations with OSA.", False),
        ("When will Kishida visit Mongolia?", "Kishida visits Mongolia later this month.", True),
        ("When did they last meet?", "They met in Tokyo in November 2022.", True),
        ("When will it be signed?", "It will be signed in autumn or later.", True),
        ("When will the law take effect?", "It takes effect in the early spring.", True),
        ("When will talks resume?", "Talks will resume within weeks.", True),
        ("When will the vote be held?", "The vote will be held in two weeks.", True),
        ("When will prices fall?", "Prices fall as supply rises.", False),
        # A word before the thing counted, and a figure counting part of it.
        (
            "Police received how many reported sightings?",
            "After the 118th reported sighting.",
            True,
        ),
        ("Police received how many reported sightings?", "After a reported sighting.", False),
        ("How many wildfires have there been?", "There had been 420 fires this year.", True),
        ("How many wildfires have there been?", "There had been 420 arrests this year.", False),
        # A quantity asked by name wants a figure; a name's digits are none.
        ("What is the inflation rate?", "Soaring inflation outlived COVID-19.", False),
        ("What is the inflation rate?", "Inflation fell from its high of 8.6% in May.", True),
        ("What was the death toll?", "The death toll rose to at least 32 people.", True),
        ("What is the population of Mongolia?", "Kishida visits Mongolia.", False),
        ("How much did the allies pledge?", "The G7 pledged support.", False),
        # "Until when …?" asks a time as "when …?" does.
        ("Until when will they sell doughnuts?", "They sell doughnuts all day.", False),
        ("Until when will they sell doughnuts?", "They sell them until Nov. 30.", True),
        # "How big / old / far / soon …?" wants a figure, in digits or words, or a time.
        ("How big a pay raise do the pilots want?", "Hundreds of pilots picketed.", False),
        ("How big a pay raise do the pilots want?", "The pilots want a 20% raise.", True),
        ("How old is he?", "The pilot, 17, landed in Belgium.", True),
        ("How old is he?", "The pilot landed in Belgium.", False),
        ("How far can the car travel?", "It can travel 620 miles.", True),
        ("How soon could vaccines be ready?", "They could be ready as early as next week.", True),
        ("How soon could vaccines be ready?", "Vaccines are safe, advisers said.", False),
    ],
)
def test_a_count_or_a_date_must_be_what_was_asked(
    question: str, sentence: str, expected: bool
) -> None:
    assert gives_what_is_asked(question, sentence) is expected


def test_a_how_many_question_with_no_count_of_it_is_refused() -> None:
    answerer = ExtractiveAnswerer(DeterministicFakeEmbedding(size=64), _scoring(0.0))
    story = _article("visit", "Kishida will visit Mongolia and the two leaders will meet.")
    assert not answer_with(answerer, "How many troops does Mongolia have?", [story]).answered
    assert answer_with(answerer, "How many leaders will meet in Mongolia?", [story]).answered


def test_a_how_many_question_is_answered_by_the_best_sentence_that_counts_it() -> None:
    answerer = ExtractiveAnswerer(DeterministicFakeEmbedding(size=64), _scoring(0.0))
    story = _article(
        "rates",
        "The Bank of England raised its interest rate to the highest level, the Bank of "
        "England said on Thursday. The interest rate rise is the biggest in 27 years.",
    )
    question = (
        "The Bank of England raised its interest rate to the highest level in how many years?"
    )
    answer = answer_with(answerer, question, [story])
    assert answer.answered
    assert answer.text.startswith("The interest rate rise is the biggest in 27 years")


def test_a_people_asked_about_is_found_as_its_country() -> None:
    answerer = ExtractiveAnswerer(DeterministicFakeEmbedding(size=64), _scoring(0.0))
    story = _article(
        "volcano", "A volcano erupted on Sunday on Kyushu, the southern island of Japan."
    )
    assert answer_with(answerer, "A volcano erupted on which Japanese island?", [story]).answered
    assert not answer_with(answerer, "A volcano erupted on which Chilean island?", [story]).answered


def test_markers_after_a_quote_stay_with_its_sentence() -> None:
    answerer = ExtractiveAnswerer(DeterministicFakeEmbedding(size=64), _scoring(0.0))
    quoted = 'The board chair said pier 4 repairs "will take all summer."'
    answer = answer_with(
        answerer, "What did the board chair say about pier 4 repairs?", [_article("quote", quoted)]
    )
    assert answer.text == 'The board chair said pier 4 repairs "will take all summer" [1].'
    assert answer.citations[0].quote == quoted  # the quote itself stays verbatim
    assert [s.text for s in split_sentences(answer.text)] == [answer.text]


@pytest.mark.parametrize(
    ("text", "first"),
    [
        ("(CNN) Two lawmakers resigned on Monday.", "Two lawmakers resigned on Monday."),
        ("Hong Kong (CNN Business) Investors sold shares.", "Investors sold shares."),
        ("New York CNN Business — Stocks fell on Friday.", "Stocks fell on Friday."),
        ("NEW YORK (AP) — Wall Street had its worst day.", "Wall Street had its worst day."),
        ("LOUISVILLE, Ky. — A petition got enough votes.", "A petition got enough votes."),
        (
            "Justin Sullivan/Getty Images Firefighters battle the blaze near Mariposa.",
            "Firefighters battle the blaze near Mariposa.",
        ),
        (
            "Gregg Newton/AFP via Getty Images Cathie Perkins spoke to reporters.",
            "Cathie Perkins spoke to reporters.",
        ),
        (
            "--The death of the queen set a period of mourning.",
            "The death of the queen set a period of mourning.",
        ),
        # Not lead-ins: a slash inside a name, a wire named in the sentence itself.
        (
            "The Defense POW/MIA Accounting Agency said so.",
            "The Defense POW/MIA Accounting Agency said so.",
        ),
        (
            "The Associated Press (AP) reported it first.",
            "The Associated Press (AP) reported it first.",
        ),
    ],
)
def test_a_dateline_or_photo_credit_is_not_part_of_the_sentence(text: str, first: str) -> None:
    sentence = split_sentences("Intro line.\n\n" + text)[1]
    assert sentence.text == first
    assert ("Intro line.\n\n" + text)[sentence.start :].startswith(first)  # still verbatim


def test_embedded_tweets_newsletter_plugs_and_addresses_never_answer() -> None:
    answerer = ExtractiveAnswerer(DeterministicFakeEmbedding(size=64), _scoring(0.0))
    page = _article(
        "awards",
        "Ana Lima won the harbour award! pic.twitter.com/3z90qAEAXB — Port Awards (@portawards) "
        "August 27, 2022\n\nSign up for our newsletter on who won the harbour award tonight\n\n"
        "harbour.award.winner@portnews.example.com\n\n"
        "Harbour master Ana Lima won the harbour award on Sunday night.",
    )
    answer = answer_with(answerer, "Who won the harbour award?", [page])
    assert [c.quote for c in answer.citations] == [
        "Harbour master Ana Lima won the harbour award on Sunday night."
    ]


def test_a_heading_is_never_the_second_sentence() -> None:
    best = "The storm flooded the harbour on Monday, the board said."
    heading = "What we know about the storm that flooded the harbour"
    more = "The harbour will stay closed to ferries until Friday."
    vectors = _Vectors(
        {best: [0.95, 0.312, 0.0], heading: [0.9, -0.3, 0.316], more: [0.8, -0.6, 0.0]}
    )
    answerer = ExtractiveAnswerer(vectors, _scoring(0.0))
    story = _article("storm", f"{best}\n\n{heading}\n\n{more}")
    answer = answer_with(answerer, "What happened at the harbour?", [story])
    # The heading is closer to the question (0.90 against 0.80) and adds as much, but it
    # is no sentence: "What we know about …" says nothing.
    assert answer.text.startswith("The storm flooded the harbour on Monday")
    assert "closed to ferries" in answer.text and "What we know" not in answer.text


def test_pooled_vectors_decide_only_which_sentences_are_embedded_again_alone(
    tmp_path: Path,
) -> None:
    from vectorstore.sentence_vectors import SQLiteByteStore, StoredSentenceVectors, vector_store

    fire = "The restaurant's kitchen caught fire on Monday night, the fire service said."
    menu = "The restaurant, open since 1998, serves fish and chips on Monday nights."
    alone = _Vectors({fire: [0.9, 0.436, 0.0], menu: [0.6, 0.8, 0.0]})
    # Pooled in context, a sentence leans towards its passage: here the menu looks
    # closer to the question than the fire.
    pooled = {fire: [0.1, 0.995, 0.0], menu: [0.99, 0.141, 0.0]}
    vector_store(tmp_path / "s.sqlite", "pooled").mset(list(pooled.items()))
    table = SQLiteByteStore(tmp_path / "s.sqlite", read_only=True)
    story = _article("fire", f"{menu} {fire}")
    question = "What happened at the restaurant on Monday?"

    stored = ExtractiveAnswerer(StoredSentenceVectors(alone, table, "pooled"), _scoring(0.0))
    assert answer_with(stored, question, [story]).text.startswith(fire[:-1])  # re-embedded alone

    none_again = replace(_scoring(0.0), exact_finalists=0)
    as_pooled = ExtractiveAnswerer(StoredSentenceVectors(alone, table, "pooled"), none_again)
    assert answer_with(as_pooled, question, [story]).text.startswith(menu[:-1])


def test_the_names_a_reader_adds_to_place_the_story_may_be_in_other_passages_of_it() -> None:
    answerer = ExtractiveAnswerer(DeterministicFakeEmbedding(size=64), _scoring(0.0))
    head = "Whey to go\n\n"
    first = (
        "Wheyward Spirit, a California distillery, turns whey from cheese makers into a spirit. "
    )
    second = "Ben & Jerry's now puts it in an ice cream flavor."
    founder = "Emily Darchuk, the founder of Wheyward Spirit, says the idea came from her work."
    other = "Emily Darchuk says the idea came from years of work in dairy plants."
    question = (
        "Who founded Wheyward Spirit, the California distillery whose spirit Ben & Jerry's uses?"
    )

    def story(last: str) -> list[Document]:
        return [
            passage("whey", head, first + second, title="Whey to go", source="Daily"),
            passage("whey", head, last, start=200, title="Whey to go", source="Daily"),
        ]

    # Its passage names Wheyward Spirit only; California and Ben & Jerry's are in the first.
    answer = answer_with(answerer, question, story(founder))
    assert answer.answered and "Emily Darchuk, the founder" in answer.text
    # A passage naming none of the question's names is still about something else.
    answer = answer_with(answerer, question, story(other))
    assert "years of work in dairy plants" not in answer.text
