"""gguf-import on the real SmolLM2-135M-Instruct GGUF: the converted folder reproduces transformers' own reading of
the GGUF, and carries tokenizer, chat template and generation config."""

from __future__ import annotations

import json

import pytest
import torch

from distillery_worker.errors import WorkerError, classify_error
from distillery_worker.gguf_import import (
    compare_logits,
    import_gguf,
    load_gguf,
    prompt_ids,
    read_metadata,
)
from distillery_worker.model_testing import converted_smollm, real_gguf


@pytest.fixture(scope="module")
def smol_gguf():
    p = real_gguf()
    if p is None:
        pytest.skip("the real SmolLM2 GGUF could not be fetched (scripts/real-models.mjs)")
    return p


@pytest.fixture(scope="module")
def smol_dir(smol_gguf):
    return converted_smollm()


def test_folder_has_every_file_and_the_gguf_chat_template(smol_gguf, smol_dir):
    from transformers import AutoTokenizer

    names = {p.name for p in smol_dir.iterdir()}
    assert {"config.json", "model.safetensors", "tokenizer.json", "tokenizer_config.json", "chat_template.jinja", "generation_config.json"} <= names
    meta = read_metadata(smol_gguf)
    assert (smol_dir / "chat_template.jinja").read_text(encoding="utf-8") == meta["chat_template"]
    cfg = json.loads((smol_dir / "config.json").read_text())
    assert cfg["model_type"] == "llama" and "quantization_config" not in cfg
    assert json.loads((smol_dir / "distillery_import.json").read_text())["dtype"] == "fp16"
    gen = json.loads((smol_dir / "generation_config.json").read_text())
    assert gen["eos_token_id"] == meta["eos_token_id"]
    tok = AutoTokenizer.from_pretrained(str(smol_dir))
    ref = AutoTokenizer.from_pretrained(str(smol_gguf.parent), gguf_file=smol_gguf.name)
    text = tok.apply_chat_template([{"role": "user", "content": "What is 12 + 30?"}], tokenize=False, add_generation_prompt=True)
    assert "<|im_start|>assistant" in text
    assert tok(text)["input_ids"] == ref(text)["input_ids"]


def test_logits_match_transformers_reading_the_gguf(smol_gguf, smol_dir):
    from transformers import AutoModelForCausalLM, AutoTokenizer

    folder = AutoModelForCausalLM.from_pretrained(str(smol_dir), dtype=torch.float32).eval()
    direct = load_gguf(smol_gguf, "fp32")
    ids = prompt_ids(AutoTokenizer.from_pretrained(str(smol_dir)))
    cmp = compare_logits(direct, folder, ids)
    print("SmolLM2 GGUF vs converted folder:", cmp)
    # fp16 storage of the dequantised Q4_1 weights: measured 0.041 on logits of scale 38.
    assert cmp["max_abs_diff"] <= 0.01 * cmp["scale"] + 1e-3
    assert cmp["argmax_agreement"] == 1.0


def test_unsupported_architecture_is_refused_with_the_supported_list(tmp_path):
    import gguf
    import numpy as np

    f = tmp_path / "bert.gguf"
    w = gguf.GGUFWriter(str(f), "bert")
    w.add_tensor("token_embd.weight", np.zeros((4, 4), dtype=np.float32))
    w.write_header_to_file()
    w.write_kv_data_to_file()
    w.write_tensors_to_file()
    w.close()
    with pytest.raises(WorkerError) as e:
        import_gguf(f, tmp_path / "out")
    msg = e.value.message
    assert "bert" in msg and "llama" in msg and "qwen2" in msg
    assert not (tmp_path / "out").exists()


def test_a_non_empty_output_folder_is_refused_and_kept(smol_gguf, tmp_path):
    out = tmp_path / "mine"
    out.mkdir()
    (out / "notes.txt").write_text("my work")
    with pytest.raises(WorkerError, match="not empty"):
        import_gguf(smol_gguf, out)
    assert (out / "notes.txt").read_text() == "my work"


def test_a_missing_file_is_one_sentence(tmp_path):
    with pytest.raises(WorkerError, match="does not exist"):
        import_gguf(tmp_path / "nope.gguf", tmp_path / "out")


def test_unexpected_errors_name_the_work_not_training():
    assert classify_error(ValueError("x"), what="The model export").message == "The model export failed: ValueError: x"
    assert classify_error(ValueError("x")).message.startswith("Training failed")
