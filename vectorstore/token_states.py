"""What the model computes for each token of a text, and the mean over a span of them.

MiniLM's vector of a text is the mean of its last layer's token states, normalised. The
same mean over the tokens of one sentence of a passage gives that sentence a vector
from the passage's own forward pass ("late chunking", Günther et al. 2024,
arXiv:2409.04701); `vectorstore.late_chunking` does so for the answerer's sentences.
Both runtimes (`vectorstore.onnx_model`, torch in `vectorstore.embeddings`) cut and
tokenize a text with `reading_tokenizer`, so a token's offsets mean the same in both.
"""

from __future__ import annotations

import functools
import json
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

import numpy as np
from tokenizers import Encoding, Tokenizer


@functools.cache
def reading_tokenizer(folder: Path) -> Tokenizer:
    """The model's tokenizer, cut at what the model reads and padded per batch."""
    config = json.loads((folder / "sentence_bert_config.json").read_text())
    tokenizer = Tokenizer.from_file(str(folder / "tokenizer.json"))
    tokenizer.enable_truncation(max_length=int(config["max_seq_length"]))
    tokenizer.enable_padding()
    return tokenizer


def normalise(vectors: np.ndarray) -> np.ndarray:
    """Rows (or one vector) scaled to length 1."""
    norms = np.linalg.norm(vectors, axis=-1, keepdims=True)
    return vectors / np.clip(norms, 1e-12, None)


def mean_pool(states: np.ndarray, mask: np.ndarray) -> np.ndarray:
    """The normalised mean of each row's unmasked token states (a batch's text vectors)."""
    weights = mask[..., None].astype(np.float32)
    pooled = (states * weights).sum(axis=1) / np.clip(weights.sum(axis=1), 1e-9, None)
    return normalise(pooled)


def read_to(encoding: Encoding, text_length: int) -> int:
    """How far into its text the model reads an encoding: all of it unless it was cut."""
    if not encoding.overflowing:
        return text_length
    return max((end for _, end in encoding.offsets), default=0)


@dataclass(frozen=True)
class TokenStates:
    """The last-layer states of the tokens the model read of one text, with their offsets.

    `offsets[i]` is token i's `(start, end)` in the text, `(0, 0)` for [CLS] and [SEP];
    `read_to` is where the model stopped reading (the text's length unless it was cut).

    Example:
        >>> states = TokenStates(np.eye(4, dtype=np.float32), np.array([[0, 0], [0, 3], [4, 8], [0, 0]]), 8)
        >>> states.pool(4, 8).tolist()
        [0.0, 0.0, 1.0, 0.0]
    """

    states: np.ndarray
    offsets: np.ndarray
    read_to: int

    @classmethod
    def of(cls, states: np.ndarray, encoding: Encoding, text_length: int) -> TokenStates:
        """The states of an encoding's real tokens (its padding left out)."""
        tokens = sum(encoding.attention_mask)
        offsets = np.array(encoding.offsets[:tokens], dtype=np.int64).reshape(-1, 2)
        offsets[np.array(encoding.special_tokens_mask[:tokens], dtype=bool)] = 0
        return cls(states[:tokens].astype(np.float32), offsets, read_to(encoding, text_length))

    def pool(self, start: int, end: int) -> np.ndarray | None:
        """The normalised mean of the states of the tokens of `text[start:end]`; None
        when the model did not read all of it, or it holds no token."""
        return self.pool_spans([(start, end)])[0]

    def pool_spans(self, spans: Sequence[tuple[int, int]]) -> list[np.ndarray | None]:
        """`pool` of each `(start, end)` span. A span's tokens are consecutive (offsets
        rise through the text), so each is a slice summed: no BLAS product, whose idle
        threads spin and slow the model's next batch by ~7 % on two cores."""
        if not spans:
            return []
        bounds = np.array(spans, dtype=np.int64).reshape(-1, 2)
        starts, ends = self.offsets[:, 0], self.offsets[:, 1]
        inside = (
            (starts[None, :] < bounds[:, 1:])
            & (ends[None, :] > bounds[:, :1])
            & (ends > starts)[None, :]
        )
        counts = inside.sum(axis=1)
        sums = np.stack(
            [
                self.states[first : first + count].sum(axis=0)
                for first, count in zip(
                    inside.argmax(axis=1).tolist(), counts.tolist(), strict=True
                )
            ]
        )
        vectors = normalise(sums / np.clip(counts, 1, None)[:, None])
        readable = (bounds[:, 1] <= self.read_to) & (counts > 0)
        return [vector if ok else None for vector, ok in zip(vectors, readable, strict=True)]
