"""The packaged MiniLM exported once to ONNX, checked against torch, run by onnxruntime.

torch pays a fixed cost on every call that outweighs the work for one question
or a handful of sentences: on the 2-core float32 machine a question embeds in
~30 ms with torch and ~8 ms with onnxruntime, an answer's 8 candidate sentences
in ~130 ms and ~95 ms (docs/EVALUATION.md). The export runs on first use from
the sha256-checked weights into a cache folder, and is kept only if its vectors
agree with torch's on probe texts; a later run checks the file's own sha256 and
exports again if the file was altered or cut short. The export fuses attention, layer
norms and GELU into onnxruntime's BERT operators; the plain graph is the fallback.
"""

from __future__ import annotations

import hashlib
import json
import logging
import os
import tempfile
import warnings
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import numpy as np
from tokenizers import Encoding

from vectorstore.errors import ModelError
from vectorstore.token_states import TokenStates, mean_pool, reading_tokenizer

logger = logging.getLogger(__name__)

EXPORT_VERSION = 2
AGREEMENT = 0.9999  # least cosine between the export's vectors and torch's on the probes
_INPUTS = ("input_ids", "attention_mask", "token_type_ids")
_PROBES = (
    "What is OSA?",
    "Prime Minister Fumio Kishida will visit Mongolia and meet President Ukhnaa Khurelsukh.",
    "Obstructive sleep apnea (OSA) is a disorder in which breathing stops during sleep.",
    # Longer than the model reads: the truncation must match too.
    " ".join(["Markets fell on Monday as investors weighed the central bank's next move."] * 30),
)


def _sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        for block in iter(lambda: handle.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def exported_model(folder: Path, weights_sha256: str, cache_dir: Path) -> Path:
    """The ONNX file of the model in `folder`, exported into `cache_dir` if not there yet.

    Raises:
        ModelError: the export failed, disagrees with torch, or cannot be written.
    """
    target = cache_dir / f"minilm-{weights_sha256[:16]}-v{EXPORT_VERSION}.onnx"
    stamp = target.with_suffix(".json")
    if target.is_file() and stamp.is_file():
        try:
            expected = json.loads(stamp.read_text())["sha256"]
        except (OSError, ValueError, KeyError):
            expected = ""
        if _sha256(target) == expected:
            return target
        logger.warning("The exported model %s is altered or incomplete: exporting again", target)
    logger.info("Exporting the embedding model to ONNX (once, into %s)", cache_dir)
    try:
        cache_dir.mkdir(parents=True, exist_ok=True)
        with tempfile.TemporaryDirectory(dir=cache_dir) as scratch:
            draft = Path(scratch) / target.name
            _export(folder, draft)
            agreement = _agreement(folder, draft)
            if agreement < AGREEMENT:
                raise ModelError(
                    f"The ONNX export of the embedding model disagrees with torch "
                    f"(cosine {agreement:.6f} < {AGREEMENT})."
                )
            os.replace(draft, target)
        stamp.write_text(json.dumps({"sha256": _sha256(target), "agreement": agreement}))
    except ModelError:
        raise
    except Exception as exc:  # noqa: BLE001 - torch's exporter raises many kinds
        raise ModelError(f"Could not export the embedding model to ONNX: {exc}") from exc
    return target


def _export(folder: Path, destination: Path) -> None:
    """Export the model, its attention, layer norms and GELU fused into onnxruntime's
    BERT operators (2-3 % faster in bulk than the plain graph); where the fusing export
    fails, the plain graph of torch's dynamo exporter."""
    try:
        _fused_export(folder, destination)
    except Exception as exc:  # noqa: BLE001 - the exporter and the optimiser raise many kinds
        logger.warning("Fused ONNX export failed (%s): exporting the plain graph", exc)
        _plain_export(folder, destination)


def _bert(folder: Path) -> Any:
    """The model as a module that maps the three inputs to the last hidden state."""
    import torch
    from transformers import AutoModel

    # Eager attention keeps the padding mask in the graph (the fused kernel's
    # tracing drops it when the example has no padding).
    bert = AutoModel.from_pretrained(str(folder), attn_implementation="eager").eval()

    class _Hidden(torch.nn.Module):
        def __init__(self) -> None:
            super().__init__()
            self.bert = bert
            self.config = bert.config

        def forward(self, input_ids: Any, attention_mask: Any, token_type_ids: Any) -> Any:
            return self.bert(
                input_ids=input_ids, attention_mask=attention_mask, token_type_ids=token_type_ids
            ).last_hidden_state

    return _Hidden().eval()


def _example() -> tuple[Any, Any, Any]:
    import torch

    ids = torch.full((2, 16), 1000, dtype=torch.long)
    mask = torch.ones_like(ids)
    mask[1, 9:] = 0  # one padded row, so the mask cannot be traced away
    return ids, mask, torch.zeros_like(ids)


def _fused_export(folder: Path, destination: Path) -> None:
    """torch's TorchScript exporter, whose graph onnxruntime's transformer optimiser
    recognises (`model_type="bert"`), then that optimiser."""
    import torch
    from onnxruntime.transformers import optimizer

    model = _bert(folder)
    plain = destination.with_name("plain-" + destination.name)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        torch.onnx.export(
            model,
            _example(),
            str(plain),
            dynamo=False,
            opset_version=17,
            input_names=list(_INPUTS),
            output_names=["last_hidden_state"],
            dynamic_axes={name: {0: "batch", 1: "length"} for name in _INPUTS},
        )
    fused = optimizer.optimize_model(
        str(plain),
        model_type="bert",
        num_heads=model.config.num_attention_heads,
        hidden_size=model.config.hidden_size,
        opt_level=1,
    )
    if not fused.get_fused_operator_statistics().get("Attention"):
        raise ModelError("the optimiser fused no attention")
    fused.save_model_to_file(str(destination))
    plain.unlink()


def _plain_export(folder: Path, destination: Path) -> None:
    """torch's dynamo exporter, as it comes."""
    import torch

    batch, length = torch.export.Dim("batch"), torch.export.Dim("length")
    # The exporter narrates each step and warns about optional extras: keep it quiet.
    logging.getLogger("torch.onnx").setLevel(logging.ERROR)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        program = torch.onnx.export(
            _bert(folder),
            _example(),
            dynamo=True,
            verbose=False,
            input_names=list(_INPUTS),
            output_names=["last_hidden_state"],
            dynamic_shapes={name: {0: batch, 1: length} for name in _INPUTS},
        )
    if program is None:
        raise ModelError("torch.onnx.export returned no program")
    program.save(destination, external_data=False)


def _agreement(folder: Path, exported: Path) -> float:
    """The least cosine between the export's and torch's vectors of the probes."""
    from sentence_transformers import SentenceTransformer

    reference = SentenceTransformer(str(folder), device="cpu").encode(
        list(_PROBES), normalize_embeddings=True, convert_to_numpy=True, show_progress_bar=False
    )
    ours = OnnxEncoder(exported, folder).encode(list(_PROBES), batch_size=len(_PROBES))
    return float((reference * ours).sum(axis=1).min())


class OnnxEncoder:
    """Normalised mean-pooled MiniLM vectors from an ONNX file, like SentenceTransformer's,
    and the token states they are pooled from.

    Example:
        >>> encoder = OnnxEncoder(exported, model_folder)  # doctest: +SKIP
        >>> encoder.encode(["what is OSA?"], batch_size=16).shape  # doctest: +SKIP
        (1, 384)
    """

    def __init__(self, path: Path, folder: Path) -> None:
        import onnxruntime as ort

        options = ort.SessionOptions()
        options.graph_optimization_level = ort.GraphOptimizationLevel.ORT_ENABLE_ALL
        options.log_severity_level = 3  # errors only
        self.session = ort.InferenceSession(str(path), options, providers=["CPUExecutionProvider"])
        self.tokenizer = reading_tokenizer(folder)

    def encode(self, texts: list[str], batch_size: int) -> np.ndarray:
        """One row per text, in order; texts of like length share a batch (less padding)."""
        if not texts:
            return np.zeros((0, 0), dtype=np.float32)
        rows: list[int] = []
        vectors = []
        for batch, _, hidden, mask in self._runs(texts, batch_size):
            rows += batch
            vectors.append(mean_pool(hidden, mask))
        return np.concatenate(vectors)[np.argsort(rows)]

    def token_states(
        self, texts: list[str], batch_size: int
    ) -> Iterator[tuple[int, np.ndarray, TokenStates]]:
        """Each text's index, its vector (as `encode` gives it) and its token states, in
        the order the batches run."""
        for batch, encodings, hidden, mask in self._runs(texts, batch_size):
            for row, vector, states, encoding in zip(
                batch, mean_pool(hidden, mask), hidden, encodings, strict=True
            ):
                yield row, vector, TokenStates.of(states, encoding, len(texts[row]))

    def _runs(
        self, texts: list[str], batch_size: int
    ) -> Iterator[tuple[list[int], list[Encoding], np.ndarray, np.ndarray]]:
        """The model over texts of like length together: each batch's text indices,
        encodings, last hidden states and attention mask."""
        order = sorted(range(len(texts)), key=lambda i: len(texts[i]))
        for start in range(0, len(order), batch_size):
            batch = order[start : start + batch_size]
            encodings = self.tokenizer.encode_batch([texts[i] for i in batch])
            ids = np.array([e.ids for e in encodings], dtype=np.int64)
            mask = np.array([e.attention_mask for e in encodings], dtype=np.int64)
            (hidden,) = self.session.run(
                None,
                {"input_ids": ids, "attention_mask": mask, "token_type_ids": np.zeros_like(ids)},
            )
            yield batch, encodings, hidden, mask
