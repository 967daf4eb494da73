"""model-export: a LoRA run merged, a model to GGUF (f16, q8_0) with llama.cpp's own converter and read back by
gguf-import within tolerance, an Ollama Modelfile, ONNX from a LoRA run, and the refusals."""

from __future__ import annotations

import json

import pytest
import torch

from distillery_worker.errors import WorkerError
from distillery_worker.gguf_import import compare_logits, import_gguf, prompt_ids
from distillery_worker.model_export import export_model
from distillery_worker.model_testing import (
    converted_smollm,
    llama_converter,
    tiny_llama_with_tokenizer,
    tiny_lora_run,
)


def _load(d):
    from transformers import AutoModelForCausalLM

    return AutoModelForCausalLM.from_pretrained(str(d), dtype=torch.float32).eval()


@pytest.fixture(scope="module")
def converter():
    c = llama_converter()
    if c is None:
        pytest.skip("llama.cpp's converter could not be set up (scripts/llama-converter.mjs)")
    return c


@pytest.fixture(scope="module")
def tiny_llama(tmp_path_factory):
    smol = converted_smollm()
    if smol is None:
        pytest.skip("the real SmolLM2 GGUF could not be fetched (scripts/real-models.mjs)")
    return tiny_llama_with_tokenizer(smol, tmp_path_factory.mktemp("tiny-llama"))


@pytest.fixture(scope="module")
def lora_run(tiny_model_dir, tmp_path_factory):
    return tiny_lora_run(tiny_model_dir, tmp_path_factory.mktemp("run") / "output")


def test_merged_lora_equals_base_plus_adapter(lora_run, tiny_model_dir, tmp_path):
    from peft import PeftModel
    from transformers import AutoTokenizer

    r = export_model(lora_run, tmp_path / "merged", "merged")
    assert r["lora"] is True and "model.safetensors" in r["files"] and "chat_template.jinja" in r["files"]
    assert not (tmp_path / "merged" / "adapter_config.json").exists()
    ids = prompt_ids(AutoTokenizer.from_pretrained(str(tiny_model_dir)))
    with_adapter = PeftModel.from_pretrained(_load(tiny_model_dir), str(lora_run)).eval()
    merged = _load(tmp_path / "merged")
    cmp = compare_logits(with_adapter, merged, ids)
    assert cmp["max_abs_diff"] < 1e-4
    assert compare_logits(_load(tiny_model_dir), merged, ids)["max_abs_diff"] > 1e-3  # the adapter did change it


@pytest.mark.parametrize("quant", ["f16", "q8_0"])
def test_gguf_reimported_gives_the_source_logits(converter, tiny_llama, tmp_path, quant):
    from transformers import AutoTokenizer

    r = export_model(tiny_llama, tmp_path / "gguf", "gguf", quant=quant)
    gguf_file = tmp_path / "gguf" / f"{tiny_llama.name}-{quant}.gguf"
    assert gguf_file.is_file() and "Modelfile" in r["files"]
    assert r["check"]["max_abs_diff"] <= r["check"]["tolerance"]
    back = import_gguf(gguf_file, tmp_path / "back", dtype="fp32")
    ids = prompt_ids(AutoTokenizer.from_pretrained(str(tiny_llama)))
    cmp = compare_logits(_load(tiny_llama), _load(back["out"]), ids)
    print(quant, "export -> import:", cmp, "seconds", r["seconds"], back["seconds"])
    assert cmp["max_abs_diff"] <= {"f16": 0.01, "q8_0": 0.05}[quant] * cmp["scale"] + 1e-3
    if quant == "f16":  # q8_0 moves a random model's near-tied top logits (90% agreement measured): the bound above is the check
        assert cmp["argmax_agreement"] >= 0.95
    modelfile = (tmp_path / "gguf" / "Modelfile").read_text()
    assert f"FROM ./{gguf_file.name}" in modelfile
    assert 'PARAMETER stop "<|im_end|>"' in modelfile and "TEMPLATE" in modelfile and "{{ .Content }}" in modelfile


def test_onnx_from_a_lora_run(lora_run, tmp_path):
    r = export_model(lora_run, tmp_path / "onnx", "onnx")
    assert "onnx/model.onnx" in r["files"] and "model.safetensors" in r["files"]
    cfg = json.loads((tmp_path / "onnx" / "config.json").read_text())
    assert cfg["transformers.js_config"]["dtype"] == "fp32"


def test_unknown_tokenizer_is_one_sentence_and_leaves_nothing(converter, lora_run, tmp_path):
    # The on-the-fly test tokenizer is not one llama.cpp's converter knows.
    with pytest.raises(WorkerError, match="does not know the tokenizer"):
        export_model(lora_run, tmp_path / "g", "gguf", quant="f16", verify=False)
    assert not (tmp_path / "g").exists()
    assert [p.name for p in tmp_path.iterdir()] == []


def test_q4_k_m_without_llama_quantize_is_refused(converter, tiny_llama, tmp_path, monkeypatch):
    monkeypatch.setenv("PATH", "/nonexistent")
    monkeypatch.delenv("LLAMA_QUANTIZE", raising=False)
    with pytest.raises(WorkerError, match="llama-quantize"):
        export_model(tiny_llama, tmp_path / "q4", "gguf", quant="q4_k_m")
    assert not (tmp_path / "q4").exists()


def test_missing_converter_says_what_to_run(tiny_llama, tmp_path, monkeypatch):
    monkeypatch.setenv("DISTILLERY_LLAMA_CONVERTER", str(tmp_path / "none"))
    with pytest.raises(WorkerError, match=r"node scripts/llama-converter\.mjs"):
        export_model(tiny_llama, tmp_path / "x", "gguf")


def test_the_worker_cli_error_does_not_say_training(tmp_path):
    import subprocess
    import sys

    r = subprocess.run([sys.executable, "-m", "distillery_worker", "model-export", "--source", str(tmp_path),
                        "--format", "merged", "--out", str(tmp_path / "o")], check=False, capture_output=True, text=True)
    assert r.returncode == 1
    err = json.loads(r.stdout.strip().splitlines()[-1])
    assert err["event"] == "error" and "Training" not in err["message"] and str(tmp_path) in err["message"]
