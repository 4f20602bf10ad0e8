"""The citation builder: one number per article, every quote verbatim, unknown markers
dropped."""

from __future__ import annotations

import pytest
from langchain_core.documents import Document

from qa.citations import Claim, Quote, cited_answer, claims_from_markers, with_markers
from tests.corpus import passage

pytestmark = pytest.mark.unit

HEAD = "Summit (2024-08-05)\n\n"
SUMMIT = (
    "Kishida will visit Mongolia this month. The two leaders will sign a defense deal. "
    "Mongolia wants to rely less on China and Russia."
)
PRICES = "Fuel prices rose 4% in July. Analysts expect more rises."


def _passage(article: str, text: str, start: int = 0, source: str = "Port News") -> Document:
    return passage(
        article,
        HEAD,
        text,
        start=start,
        title=article.title(),
        source=source,
        published_at="2024-08-05",
    )


def _quote(document: Document, sentence: str) -> Quote:
    passage = document.page_content[len(HEAD) :]
    return Quote(document, sentence, document.metadata["start"] + passage.index(sentence))


def test_two_sentences_of_one_article_share_its_number_and_both_quotes_are_kept() -> None:
    summit = _passage("summit", SUMMIT, start=120)
    first = _quote(summit, "Kishida will visit Mongolia this month.")
    second = _quote(summit, "Mongolia wants to rely less on China and Russia.")
    answer = cited_answer("Why?", [Claim(first.text, (first,)), Claim(second.text, (second,))])
    assert answer.answered
    assert answer.text == (
        "Kishida will visit Mongolia this month [1]. "
        "Mongolia wants to rely less on China and Russia [1]."
    )
    (citation,) = answer.citations
    assert citation.quote == first.text and citation.offset == first.offset
    assert citation.quotes == [first.text, second.text]
    assert citation.offsets == [first.offset, second.offset]
    assert SUMMIT[citation.offsets[1] - 120 :].startswith(second.text)


def test_each_article_is_numbered_in_the_order_first_cited() -> None:
    summit, prices = _passage("summit", SUMMIT), _passage("prices", PRICES, source="Coast Daily")
    deal = _quote(summit, "The two leaders will sign a defense deal.")
    fuel = _quote(prices, "Fuel prices rose 4% in July.")
    claims = [Claim(fuel.text, (fuel, deal)), Claim(deal.text, (deal,))]
    answer = cited_answer("What happened?", claims)
    assert answer.text == (
        "Fuel prices rose 4% in July [1][2]. The two leaders will sign a defense deal [2]."
    )
    assert [(c.number, c.article_id, c.source) for c in answer.citations] == [
        (1, "prices", "Coast Daily"),
        (2, "summit", "Port News"),
    ]


def test_a_quote_that_is_not_verbatim_in_its_article_is_never_cited() -> None:
    summit = _passage("summit", SUMMIT)
    real = _quote(summit, "Kishida will visit Mongolia this month.")
    altered = Quote(summit, "Kishida will visit Mongolia next year.", real.offset)
    misplaced = Quote(summit, real.text, real.offset + 3)
    answer = cited_answer("When?", [Claim("He goes next year.", (altered, misplaced))])
    assert not answer.answered and answer.text == "" and answer.citations == []
    kept = cited_answer("When?", [Claim("He goes this month.", (altered, real))])
    assert kept.text == "He goes this month [1]." and kept.citations[0].quote == real.text


def test_markers_for_sources_not_given_are_dropped() -> None:
    summit, prices = _passage("summit", SUMMIT), _passage("prices", PRICES)
    sources = [
        _quote(summit, "The two leaders will sign a defense deal."),
        _quote(prices, PRICES[:28]),
    ]
    claims = claims_from_markers(
        "They will sign a deal [1][7]. Fuel rose 4% [2]. Nobody knows why [0].", sources
    )
    assert [(c.text, c.quotes) for c in claims] == [
        ("They will sign a deal.", (sources[0],)),
        ("Fuel rose 4%.", (sources[1],)),
        ("Nobody knows why.", ()),
    ]
    answer = cited_answer("What?", claims)
    assert answer.text == "They will sign a deal [1]. Fuel rose 4% [2]."  # the uncited one goes


def test_markers_stay_with_their_sentence_after_a_closing_quote() -> None:
    assert with_markers("“The strike has begun.”", [1, 2]) == "“The strike has begun” [1][2]."
    assert with_markers("Is it over?", [3]) == "Is it over [3]?"
    assert with_markers("It rained", [1]) == "It rained [1]."
