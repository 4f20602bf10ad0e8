"""Word pieces counted word by word equal the tokenizer's count of the whole text."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from tokenizers import Tokenizer, normalizers

from tests.conftest import SEEDS
from vectorstore import word_pieces
from vectorstore.embeddings import load_tokenizer
from vectorstore.word_pieces import WordPieceCounter

# Letters, accents, CJK, digits, punctuation, and every kind of whitespace and control
# character that Python and BERT's normalizer treat differently.
_ALPHABET = (
    "abcXYZ09éÉüßçñΣσς東京株式.,;:!?'\"()[]-–—…%$€"
    " \t\n\r\x0b\x0c\x1c\x1d\x1e\x1f\x85\xa0\u1680\u2002\u2009\u200b\u2028\u2029\u202f\u3000"
    "\x00\x07\ufffd\u00ad"
)


def _exact(tokenizer: Tokenizer, text: str) -> int:
    return len(tokenizer.encode(text, add_special_tokens=False).ids)


@settings(max_examples=300, deadline=None)
@given(st.text(alphabet=_ALPHABET, max_size=80))
def test_counts_any_text_as_the_tokenizer_does(text: str) -> None:
    tokenizer = load_tokenizer()
    assert WordPieceCounter(tokenizer)(text) == _exact(tokenizer, text)


def test_counts_news_text_as_the_tokenizer_does() -> None:
    tokenizer = load_tokenizer()
    count = WordPieceCounter(tokenizer)
    assert count.by_word
    texts = []
    for path in sorted(SEEDS.glob("*.txt")):
        body = path.read_text(encoding="utf-8")
        texts += [body, *body.split("\n"), *body.split(". ")]
    assert len(texts) > 30
    assert [count(text) for text in texts] == [_exact(tokenizer, text) for text in texts]
    # A word is tokenized once: counting the seed again needs no tokenizer.
    expected = count(texts[0])
    count.tokenizer = None  # type: ignore[assignment]
    assert count(texts[0]) == expected > 100


def test_a_full_memory_starts_again(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(word_pieces, "MAX_REMEMBERED", 5)
    tokenizer = load_tokenizer()
    count = WordPieceCounter(tokenizer)
    first = "Japan and Mongolia agreed on defense equipment transfers"
    assert count(first) == _exact(tokenizer, first)
    second = "Mongolia's reliance on China and Russia, officials said."
    assert count(second) == _exact(tokenizer, second)
    assert len(count._words) <= len(set(second.split()))


def test_another_tokenizer_is_asked_for_each_text() -> None:
    tokenizer = Tokenizer.from_str(load_tokenizer().to_str())
    tokenizer.enable_truncation(max_length=4)  # a count per word would ignore the cut
    count = WordPieceCounter(tokenizer)
    assert not count.by_word
    assert count("Stocks fell in Tokyo on Monday") == 4
    kept = Tokenizer.from_str(load_tokenizer().to_str())
    kept.normalizer = normalizers.BertNormalizer(clean_text=False)  # control characters stay
    assert not WordPieceCounter(kept).by_word
