"""The MiniLM-class embedding model: folder layout, tokenizer, and ONNX output equal to torch's."""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pytest

from distillery_worker.embed_model import HEADS, HIDDEN, INTERMEDIATE, LAYERS, build_bert, build_embed_model

SENTENCES = [
    "Find the remainder when $2^{100}$ is divided by 7.",
    "How many positive integers less than 1000 are divisible by 3 but not by 5?",
    "Let $\\triangle ABC$ have sides 13, 14 and 15. Compute its area.",
    "What is $\\frac{3}{4}$ of 12?",
]


@pytest.fixture(scope="module")
def model_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return build_embed_model(tmp_path_factory.mktemp("embed") / "minilm", seed=3, quantized=True)


def test_folder_layout_and_config(model_dir: Path) -> None:
    for name in ["config.json", "tokenizer.json", "tokenizer_config.json", "onnx/model.onnx", "onnx/model_quantized.onnx"]:
        assert (model_dir / name).is_file(), name
    cfg = json.loads((model_dir / "config.json").read_text())
    assert cfg["model_type"] == "bert"
    assert (cfg["num_hidden_layers"], cfg["hidden_size"], cfg["num_attention_heads"], cfg["intermediate_size"]) == (LAYERS, HIDDEN, HEADS, INTERMEDIATE)
    tok = json.loads((model_dir / "tokenizer.json").read_text())
    assert tok["model"]["type"] == "WordPiece"
    assert tok["model"]["vocab"]["[CLS]"] == 2 and tok["model"]["vocab"]["[PAD]"] == 0
    assert json.loads((model_dir / "tokenizer_config.json").read_text())["tokenizer_class"] == "BertTokenizer"


def test_onnx_io_names(model_dir: Path) -> None:
    import onnxruntime as ort

    s = ort.InferenceSession(str(model_dir / "onnx" / "model.onnx"), providers=["CPUExecutionProvider"])
    assert [i.name for i in s.get_inputs()] == ["input_ids", "attention_mask", "token_type_ids"]
    assert [o.name for o in s.get_outputs()] == ["last_hidden_state"]


def _batch(model_dir: Path):
    from transformers import AutoTokenizer

    tok = AutoTokenizer.from_pretrained(str(model_dir))
    enc = tok(SENTENCES, padding=True, truncation=True, max_length=128, return_tensors="np")
    assert enc["input_ids"][0][0] == tok.cls_token_id
    assert (enc["attention_mask"].sum(axis=1) < enc["input_ids"].shape[1]).any(), "the batch must contain padding"
    return {k: enc[k].astype(np.int64) for k in ["input_ids", "attention_mask", "token_type_ids"]}


def test_onnx_equals_torch_on_a_padded_batch(model_dir: Path) -> None:
    import onnxruntime as ort
    import torch

    feeds = _batch(model_dir)
    cfg = json.loads((model_dir / "config.json").read_text())
    model = build_bert(cfg["vocab_size"], seed=3)
    with torch.no_grad():
        ref = model(**{k: torch.from_numpy(v) for k, v in feeds.items()}).last_hidden_state.numpy()
    s = ort.InferenceSession(str(model_dir / "onnx" / "model.onnx"), providers=["CPUExecutionProvider"])
    (out,) = s.run(["last_hidden_state"], feeds)
    assert out.shape == ref.shape == (len(SENTENCES), feeds["input_ids"].shape[1], HIDDEN)
    mask = feeds["attention_mask"].astype(bool)
    np.testing.assert_allclose(out[mask], ref[mask], rtol=1e-3, atol=1e-4)
    # Different sentences give different vectors (the random model is not degenerate).
    pooled = (out * mask[..., None]).sum(1) / mask.sum(1, keepdims=True)
    assert np.abs(pooled[0] - pooled[1]).max() > 1e-3

    q = ort.InferenceSession(str(model_dir / "onnx" / "model_quantized.onnx"), providers=["CPUExecutionProvider"])
    (qout,) = q.run(["last_hidden_state"], feeds)
    qpooled = (qout * mask[..., None]).sum(1) / mask.sum(1, keepdims=True)
    cos = (qpooled * pooled).sum(1) / np.linalg.norm(qpooled, axis=1) / np.linalg.norm(pooled, axis=1)
    assert (cos > 0.98).all(), cos


def test_cli_writes_the_folder(tmp_path: Path) -> None:
    import subprocess
    import sys

    out = tmp_path / "cli"
    r = subprocess.run([sys.executable, "-m", "distillery_worker", "embed-model", "--out", str(out), "--json", "--no-optimize"], capture_output=True, text=True, timeout=900, check=False)
    assert r.returncode == 0, r.stderr[-2000:]
    assert json.loads(r.stdout.strip().splitlines()[-1]) == {"path": str(out.resolve())}
    assert (out / "onnx" / "model.onnx").stat().st_size > 30_000_000
