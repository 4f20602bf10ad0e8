"""How many word pieces the model makes of a text, without tokenizing it each time.

The splitter measures every piece it considers (~120 per article), and tokenizing each
was the refresh's largest cost outside the model and Chroma. A BERT tokenizer
(`BertNormalizer`, `BertPreTokenizer`, `WordPiece`) never makes a word piece across
whitespace, and what it does to a word does not depend on its neighbours, so a text's
count is the sum of its words' counts: each distinct word is tokenized once, and
remembered. Characters the normalizer drops rather than treats as whitespace (the control
characters among Python's whitespace: \\v, \\f, \\x1c-\\x1f, \\x85) are dropped before
the text is split, as the normalizer drops them.

Any other tokenizer is asked for each text, as before.
"""

from __future__ import annotations

from tokenizers import Tokenizer, models, normalizers, pre_tokenizers

# Python's str.split() splits at these; BERT's normalizer deletes them (control characters).
_DROPPED = str.maketrans(dict.fromkeys([0x0B, 0x0C, 0x1C, 0x1D, 0x1E, 0x1F, 0x85]))
MAX_REMEMBERED = 500_000  # distinct words (~50 MB); the memory starts again past it


class WordPieceCounter:
    """`counter(text)`: the number of word pieces in `text`, special tokens left out.

    Example:
        >>> from vectorstore.embeddings import load_tokenizer
        >>> count = WordPieceCounter(load_tokenizer())
        >>> count("Tokyo stocks fell"), count("Stocks fell in Tokyo, again.")
        (3, 7)
    """

    def __init__(self, tokenizer: Tokenizer) -> None:
        self.tokenizer = tokenizer
        self.by_word = _is_bert(tokenizer)
        self._words: dict[str, int] = {}

    def __call__(self, text: str) -> int:
        if not self.by_word:
            return len(self.tokenizer.encode(text, add_special_tokens=False).ids)
        words = text.translate(_DROPPED).split()
        known = self._words
        try:
            return sum(map(known.__getitem__, words))  # every word seen before
        except KeyError:
            pass
        new = [word for word in dict.fromkeys(words) if word not in known]
        if len(known) + len(new) > MAX_REMEMBERED:
            known.clear()
            new = list(dict.fromkeys(words))
        encodings = self.tokenizer.encode_batch(new, add_special_tokens=False)
        known.update((word, len(e.ids)) for word, e in zip(new, encodings, strict=True))
        return sum(map(known.__getitem__, words))


def _is_bert(tokenizer: Tokenizer) -> bool:
    """Whether the tokenizer splits and normalises words as BERT's does (dropping control
    characters), and counts a text in full."""
    normalizer = tokenizer.normalizer
    return (
        isinstance(normalizer, normalizers.BertNormalizer)
        and normalizer.clean_text
        and isinstance(tokenizer.pre_tokenizer, pre_tokenizers.BertPreTokenizer)
        and isinstance(tokenizer.model, models.WordPiece)
        and tokenizer.truncation is None
    )
