from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from distillery_worker.testing import IM_END, IM_START, THINK_CLOSE, THINK_OPEN, TINY_VOCAB_SIZE

MESSAGES = [
    {"role": "system", "content": "You are a helpful assistant."},
    {"role": "user", "content": "Compute 2 + 3."},
    {"role": "assistant", "content": "<think>\n2 + 3 = 5\n</think>\nThe answer is $\\boxed{5}$."},
]


def test_folder_has_hf_files(tiny_model_dir: Path) -> None:
    names = {p.name for p in tiny_model_dir.iterdir()}
    assert {"config.json", "tokenizer.json", "tokenizer_config.json", "generation_config.json"} <= names
    assert any(n.endswith(".safetensors") for n in names)
    config = json.loads((tiny_model_dir / "config.json").read_text())
    assert config["model_type"] == "qwen2"
    assert config["num_hidden_layers"] == 2
    assert config["hidden_size"] == 64
    assert config["num_attention_heads"] == 4
    assert config["num_key_value_heads"] == 2
    assert config["intermediate_size"] == 128


def test_tokenizer_loads_and_roundtrips(tiny_model_dir: Path) -> None:
    from transformers import AutoTokenizer

    tok = AutoTokenizer.from_pretrained(tiny_model_dir)
    # Digits are split one by one (Qwen2's pre-tokenizer), so the small corpus yields fewer merges than the cap.
    assert 400 <= len(tok) <= TINY_VOCAB_SIZE + 10
    assert json.loads((tiny_model_dir / "config.json").read_text())["vocab_size"] >= len(tok)
    for special in (IM_START, IM_END, THINK_OPEN, THINK_CLOSE, "<|endoftext|>"):
        ids = tok.encode(special, add_special_tokens=False)
        assert len(ids) == 1, (special, ids)
    assert tok.eos_token == IM_END
    assert tok.pad_token == "<|endoftext|>"
    text = "Let x = 12. Then 3x + 4 = 40, so \\boxed{40}."
    assert tok.decode(tok.encode(text, add_special_tokens=False)) == text
    # think tags are not "special": they survive skip_special_tokens
    ids = tok.encode(f"{THINK_OPEN}ok{THINK_CLOSE}{IM_END}", add_special_tokens=False)
    assert tok.decode(ids, skip_special_tokens=True) == f"{THINK_OPEN}ok{THINK_CLOSE}"


def test_chat_template(tiny_model_dir: Path) -> None:
    from transformers import AutoTokenizer

    tok = AutoTokenizer.from_pretrained(tiny_model_dir)
    text = tok.apply_chat_template(MESSAGES, tokenize=False)
    assert text == (
        "<|im_start|>system\nYou are a helpful assistant.<|im_end|>\n"
        "<|im_start|>user\nCompute 2 + 3.<|im_end|>\n"
        "<|im_start|>assistant\n<think>\n2 + 3 = 5\n</think>\nThe answer is $\\boxed{5}$.<|im_end|>\n"
    )
    prompt = tok.apply_chat_template(MESSAGES[:2], tokenize=False, add_generation_prompt=True)
    assert prompt.endswith("<|im_start|>user\nCompute 2 + 3.<|im_end|>\n<|im_start|>assistant\n")
    ids = tok.apply_chat_template(MESSAGES[1:2], tokenize=True, add_generation_prompt=True)
    if not isinstance(ids, list):  # BatchEncoding in newer transformers
        ids = ids["input_ids"]
    assert tok.decode(ids) == "<|im_start|>user\nCompute 2 + 3.<|im_end|>\n<|im_start|>assistant\n"
    with pytest.raises(Exception):  # noqa: B017 - the template raises jinja's own error, whose class varies by version
        tok.apply_chat_template([{"role": "tool", "content": "x"}], tokenize=False)


def test_model_loads_and_generates(tiny_model_dir: Path) -> None:
    import torch
    from transformers import AutoModelForCausalLM, AutoTokenizer

    tok = AutoTokenizer.from_pretrained(tiny_model_dir)
    model = AutoModelForCausalLM.from_pretrained(tiny_model_dir)
    assert model.config.model_type == "qwen2"
    assert sum(p.numel() for p in model.parameters()) < 200_000
    prompt = tok.apply_chat_template(MESSAGES[1:2], tokenize=False, add_generation_prompt=True)
    inputs = tok(prompt, return_tensors="pt")
    with torch.no_grad():
        out = model.generate(**inputs, max_new_tokens=5, min_new_tokens=5, do_sample=False)
    assert out.shape[1] == inputs["input_ids"].shape[1] + 5
    assert isinstance(tok.decode(out[0, inputs["input_ids"].shape[1]:]), str)
    # a forward pass with labels gives a finite loss (training will work)
    loss = model(**inputs, labels=inputs["input_ids"]).loss
    assert torch.isfinite(loss)


def test_build_is_deterministic(tmp_path: Path) -> None:
    import torch
    from safetensors.torch import load_file

    from distillery_worker.testing import build_tiny_model

    a = build_tiny_model(tmp_path / "a", seed=3)
    b = build_tiny_model(tmp_path / "b", seed=3)
    assert (a / "tokenizer.json").read_text() == (b / "tokenizer.json").read_text()
    wa, wb = load_file(a / "model.safetensors"), load_file(b / "model.safetensors")
    assert wa.keys() == wb.keys()
    assert all(torch.equal(wa[k], wb[k]) for k in wa)


def test_tiny_model_cli(tmp_path: Path) -> None:
    out = tmp_path / "cli-model"
    proc = subprocess.run(
        [sys.executable, "-m", "distillery_worker", "tiny-model", "--out", str(out), "--json"],
        capture_output=True,
        text=True,
        timeout=300,
        env={**os.environ, "HF_HUB_OFFLINE": "1"},
        check=False,
    )
    assert proc.returncode == 0, proc.stderr
    assert json.loads(proc.stdout.strip())["path"] == str(out.resolve())
    assert (out / "config.json").is_file() and (out / "tokenizer.json").is_file()
