"""The model's ONNX export: made once, as good as torch's vectors, repaired when altered."""

from __future__ import annotations

import logging
import shutil
from pathlib import Path

import numpy as np
import pytest

from tests.conftest import SEED_FILE
from vectorstore import ModelError, onnx_model
from vectorstore.embeddings import (
    MODEL_SHA256,
    NewsEmbeddings,
    model_path,
)
from vectorstore.onnx_model import OnnxEncoder, exported_model

pytestmark = pytest.mark.integration


@pytest.fixture(scope="module")
def exported(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A real export into a fresh cache folder, made once for this module."""
    return exported_model(model_path(), MODEL_SHA256, tmp_path_factory.mktemp("model-cache"))


def _texts() -> list[str]:
    """Seed paragraphs of every length, a question, and one past what the model reads."""
    paragraphs = [p for p in SEED_FILE.read_text().split("\n") if p.strip()]
    return ["What is OSA?", *paragraphs[:12], " ".join(paragraphs)]


def _copy_of(good: Path):
    return lambda folder, destination: shutil.copyfile(good, destination)


def test_the_export_gives_torchs_vectors_in_the_callers_order(exported: Path) -> None:
    texts = _texts()
    # torch at float32: the precision the export runs at (auto is bfloat16 on some CPUs).
    torch = NewsEmbeddings(precision="float32", runtime="torch")
    torch_vectors = np.array(torch.embed_documents(texts))
    ours = OnnxEncoder(exported, model_path()).encode(texts, batch_size=4)
    assert ours.shape == (len(texts), 384)
    assert (torch_vectors * ours).sum(axis=1).min() > 0.9999
    # Batched with others (padded) or alone, a text gets the same vector.
    alone = OnnxEncoder(exported, model_path()).encode([texts[5]], batch_size=1)[0]
    assert float(alone @ ours[5]) > 0.99999
    assert float(ours[5] @ ours[6]) < 0.99


def test_the_export_runs_onnxruntimes_fused_bert_operators(exported: Path) -> None:
    import onnx

    ops = {node.op_type for node in onnx.load(str(exported)).graph.node}
    assert {"Attention", "SkipLayerNormalization", "BiasGelu"} <= ops
    assert not list(exported.parent.glob("plain-*"))  # the unfused draft is not left behind


def test_where_the_fused_export_fails_the_plain_graph_is_kept(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture
) -> None:
    import onnx

    def fail(folder: Path, destination: Path) -> None:
        raise RuntimeError("TorchScript exporter removed")

    monkeypatch.setattr(onnx_model, "_fused_export", fail)
    with caplog.at_level(logging.WARNING):
        path = exported_model(model_path(), MODEL_SHA256, tmp_path / "cache")
    assert "Fused ONNX export failed (TorchScript exporter removed)" in caplog.text
    assert "Attention" not in {node.op_type for node in onnx.load(str(path)).graph.node}
    texts = _texts()
    torch = np.array(NewsEmbeddings(precision="float32", runtime="torch").embed_documents(texts))
    ours = OnnxEncoder(path, model_path()).encode(texts, batch_size=4)
    assert (torch * ours).sum(axis=1).min() > 0.9999


def test_a_kept_export_is_reused_and_an_altered_one_is_made_again(
    exported: Path,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    caplog: pytest.LogCaptureFixture,
) -> None:
    cache = tmp_path / "cache"
    cache.mkdir()
    shutil.copyfile(exported, cache / exported.name)
    shutil.copyfile(exported.with_suffix(".json"), cache / exported.with_suffix(".json").name)
    made: list[Path] = []

    def export(folder: Path, destination: Path) -> None:
        made.append(destination)
        shutil.copyfile(exported, destination)

    monkeypatch.setattr(onnx_model, "_export", export)
    assert exported_model(model_path(), MODEL_SHA256, cache) == cache / exported.name
    assert made == []

    with (cache / exported.name).open("r+b") as handle:  # a copy cut short
        handle.truncate(1000)
    with caplog.at_level(logging.WARNING):
        path = exported_model(model_path(), MODEL_SHA256, cache)
    assert len(made) == 1 and "altered or incomplete" in caplog.text
    assert path.read_bytes() == exported.read_bytes()
    assert sorted(p.name for p in cache.iterdir()) == sorted([path.name, f"{path.stem}.json"])


def test_an_export_that_disagrees_with_torch_is_not_kept(
    exported: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(onnx_model, "_export", _copy_of(exported))
    monkeypatch.setattr(onnx_model, "_agreement", lambda folder, path: 0.93)
    with pytest.raises(ModelError, match="disagrees with torch .*0.930000"):
        exported_model(model_path(), MODEL_SHA256, tmp_path / "cache")
    assert list((tmp_path / "cache").iterdir()) == []


def test_without_an_export_auto_embeds_with_torch_and_onnx_says_why(
    exported: Path, monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture
) -> None:
    def fail(*args: object) -> Path:
        raise ModelError("Could not export the embedding model to ONNX: no space left.")

    monkeypatch.setattr("vectorstore.embeddings.exported_model", fail)
    auto = NewsEmbeddings(runtime="auto", precision="float32")
    with caplog.at_level(logging.WARNING):
        vector = auto.embed_query("What is OSA?")
    assert auto.runtime == "torch" and "Embedding with torch instead" in caplog.text
    onnx_vector = OnnxEncoder(exported, model_path()).encode(["What is OSA?"], 1)[0]
    assert float(np.dot(vector, onnx_vector)) > 0.9999
    with pytest.raises(ModelError, match="no space left"):
        NewsEmbeddings(runtime="onnx").embed_query("What is OSA?")
