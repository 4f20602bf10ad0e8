"""The mean of a span of token states: one span or many at once, the same vectors."""

from __future__ import annotations

import numpy as np

from vectorstore.token_states import TokenStates, normalise


def _states() -> TokenStates:
    """[CLS] "Stocks"(0-6) "fell"(7-11) "."(11-12) "Bonds"(13-18) "rose"(19-23) [SEP], read to 20."""
    rows = np.random.default_rng(3).normal(size=(7, 5)).astype(np.float32)
    offsets = np.array([[0, 0], [0, 6], [7, 11], [11, 12], [13, 18], [19, 23], [0, 0]])
    return TokenStates(rows, offsets, read_to=20)


def test_a_span_is_the_normalised_mean_of_its_own_tokens_only() -> None:
    states = _states()
    first = states.pool(0, 12)
    assert first is not None
    np.testing.assert_allclose(first, normalise(states.states[1:4].mean(axis=0)), rtol=1e-6)
    # A span that starts inside a token takes that token; [CLS] and [SEP] never count.
    inner = states.pool(8, 11)
    assert inner is not None
    np.testing.assert_allclose(inner, normalise(states.states[2]), rtol=1e-6)


def test_many_spans_at_once_give_each_span_its_own_vector_or_none() -> None:
    states = _states()
    spans = [(0, 12), (13, 18), (13, 23), (12, 13), (7, 11)]
    together = states.pool_spans(spans)
    assert together[2] is None  # past where the model stopped reading (20)
    assert together[3] is None  # only the space between two tokens
    for (start, end), vector in zip(spans, together, strict=True):
        alone = states.pool(start, end)
        assert (vector is None) == (alone is None)
        if vector is not None:
            np.testing.assert_allclose(vector, alone, rtol=1e-6)
            assert abs(float(np.linalg.norm(vector)) - 1.0) < 1e-5
    np.testing.assert_allclose(together[1], normalise(states.states[4]), rtol=1e-6)
    assert states.pool_spans([]) == []


def test_slice_sums_agree_with_the_direct_mean_over_a_full_passage() -> None:
    """256 tokens as a passage holds them: overlapping spans, spans ending inside a token."""
    rng = np.random.default_rng(11)
    rows = rng.normal(size=(256, 384)).astype(np.float32) * 4 + 1
    words = [[0, 0]] + [[5 * i, 5 * i + 4] for i in range(254)] + [[0, 0]]
    states = TokenStates(rows, np.array(words), read_to=5 * 254)
    spans = [(0, 1270), (3, 17), (500, 501), (640, 900), (700, 1200), (1265, 1270)]
    for (start, end), vector in zip(spans, states.pool_spans(spans), strict=True):
        tokens = [i for i, (s, e) in enumerate(words) if e > s and s < end and e > start]
        assert vector is not None
        np.testing.assert_allclose(vector, normalise(rows[tokens].mean(axis=0)), atol=2e-6)
