"""ONNX export for the in-app engine: the transformers.js layout, and onnxruntime logits == torch logits."""

from __future__ import annotations

import json
import subprocess
import sys

import pytest


@pytest.fixture(scope="module")
def onnx_dir(tiny_model_dir, tmp_path_factory):
    """The tiny model exported with ``export --onnx`` (safetensors and ONNX in one folder)."""
    from distillery_worker.events import ListEmitter
    from distillery_worker.export import export_run

    out = tmp_path_factory.mktemp("onnx") / "exported"
    emit = ListEmitter()
    export_run(tiny_model_dir, out, emit=emit, onnx=True)
    return out, emit.events


def _torch_logits(model_dir, ids):
    import torch
    from transformers import AutoModelForCausalLM

    model = AutoModelForCausalLM.from_pretrained(str(model_dir), dtype=torch.float32).eval()
    with torch.no_grad():
        return model(torch.tensor([ids])).logits[0].numpy(), model


def _prompt_ids(model_dir):
    from transformers import AutoTokenizer

    tok = AutoTokenizer.from_pretrained(str(model_dir))
    text = tok.apply_chat_template([{"role": "user", "content": "Compute 17 * 3 and check it."}], tokenize=False,
                                   add_generation_prompt=True) + "<think>\n"
    return tok(text, add_special_tokens=False)["input_ids"]


def test_export_writes_a_transformers_js_folder(onnx_dir, tiny_model_dir):
    out, events = onnx_dir
    for f in ("config.json", "generation_config.json", "tokenizer.json", "tokenizer_config.json", "chat_template.jinja",
              "onnx/model.onnx", "model.safetensors"):
        assert (out / f).is_file(), f
    # The app counts tokens with tokenizer.json: it must tokenize as transformers does.
    from tokenizers import Tokenizer
    from transformers import AutoTokenizer

    text = "<|im_start|>user\nCompute 123 + 45.<|im_end|>\n<|im_start|>assistant\n<think>\nWe have 168.</think>"
    fast = Tokenizer.from_file(str(out / "tokenizer.json")).encode(text, add_special_tokens=False).ids
    assert fast == AutoTokenizer.from_pretrained(str(out))(text, add_special_tokens=False)["input_ids"]
    cfg = json.loads((out / "config.json").read_text())
    assert cfg["model_type"] == "qwen2" and cfg["transformers.js_config"]["dtype"] == "fp32"
    done = [e for e in events if e["event"] == "onnx_exported"]
    assert len(done) == 1 and done[0]["max_abs_diff"] < 1e-4 and done[0]["cached_max_abs_diff"] < 1e-4
    assert events[-1]["event"] == "exported" and events[-1]["onnx"] == str(out / "onnx" / "model.onnx")


def test_graph_has_the_kv_cache_layout_transformers_js_expects(onnx_dir):
    from distillery_worker.onnx_export import ort_session

    out, _ = onnx_dir
    cfg = json.loads((out / "config.json").read_text())
    n, kv, hd = cfg["num_hidden_layers"], cfg["num_key_value_heads"], cfg["hidden_size"] // cfg["num_attention_heads"]
    sess = ort_session(out / "onnx" / "model.onnx")
    inputs = {i.name: i for i in sess.get_inputs()}
    outputs = {o.name: o for o in sess.get_outputs()}
    past = [f"past_key_values.{i}.{k}" for i in range(n) for k in ("key", "value")]
    assert list(inputs) == ["input_ids", "attention_mask", "position_ids", "num_logits_to_keep", *past]
    assert list(outputs) == ["logits", *[p.replace("past_key_values", "present") for p in past]]
    assert inputs["input_ids"].shape == ["batch_size", "sequence_length"] and inputs["input_ids"].type == "tensor(int64)"
    assert inputs["attention_mask"].shape == ["batch_size", "total_sequence_length"]
    assert inputs["num_logits_to_keep"].shape == []
    for p in past:
        assert inputs[p].shape == ["batch_size", kv, "past_sequence_length", hd] and inputs[p].type == "tensor(float)"
    assert outputs["present.0.key"].shape == ["batch_size", kv, "total_sequence_length", hd]
    assert outputs["logits"].shape == ["batch_size", "num_logits", cfg["vocab_size"]]


def test_onnxruntime_logits_equal_torch_with_and_without_cache(onnx_dir, tiny_model_dir):
    import numpy as np

    from distillery_worker.onnx_export import ort_feed, ort_session

    out, _ = onnx_dir
    ids = _prompt_ids(tiny_model_dir)
    want, _ = _torch_logits(tiny_model_dir, ids)
    sess = ort_session(out / "onnx" / "model.onnx", threads=1)
    # No cache: every position at once (num_logits_to_keep = 0 keeps them all).
    full = sess.run(None, ort_feed(sess, ids, keep=0))
    assert full[0].shape == (1, len(ids), want.shape[-1])
    np.testing.assert_allclose(full[0][0], want, atol=1e-4, rtol=1e-4)
    # num_logits_to_keep = 1: the last position only.
    last = sess.run(None, ort_feed(sess, ids, keep=1))[0]
    assert last.shape == (1, 1, want.shape[-1])
    np.testing.assert_allclose(last[0, 0], want[-1], atol=1e-4, rtol=1e-4)
    # With the cache: a chunk, another chunk on top of it, then one token at a time.
    half = len(ids) // 2
    a = sess.run(None, ort_feed(sess, ids[:half], keep=0))
    np.testing.assert_allclose(a[0][0], want[:half], atol=1e-4, rtol=1e-4)
    b = sess.run(None, ort_feed(sess, ids[half:-3], past=a[1:], past_len=half, keep=0))
    np.testing.assert_allclose(b[0][0], want[half:-3], atol=1e-4, rtol=1e-4)
    past, fed = b[1:], len(ids) - 3
    for k in range(len(ids) - 3, len(ids)):
        step = sess.run(None, ort_feed(sess, [ids[k]], past=past, past_len=fed, keep=1))
        assert step[1].shape[2] == fed + 1  # present = past + the new position
        np.testing.assert_allclose(step[0][0, 0], want[k], atol=1e-4, rtol=1e-4)
        past, fed = step[1:], fed + 1


def test_onnxruntime_greedy_equals_transformers_generate(onnx_dir, tiny_model_dir):
    import importlib.util
    from pathlib import Path

    import torch

    from distillery_worker.onnx_export import ort_session

    ref_file = Path(__file__).resolve().parents[3] / "electron" / "core" / "infer" / "ort_reference.py"
    spec = importlib.util.spec_from_file_location("ort_reference", ref_file)
    ref = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(ref)
    out, _ = onnx_dir
    ids = _prompt_ids(tiny_model_dir)
    _, model = _torch_logits(tiny_model_dir, ids)
    with torch.no_grad():
        gen = model.generate(torch.tensor([ids]), max_new_tokens=16, do_sample=False, eos_token_id=None, pad_token_id=0)
    want = gen[0, len(ids):].tolist()
    got, first_ms, total_ms = ref.greedy(ort_session(out / "onnx" / "model.onnx", threads=1), ids, 16, set())
    assert got == want
    assert 0 < first_ms <= total_ms


def test_bad_inputs_are_refused_with_a_sentence(tmp_path, tiny_model_dir):
    from distillery_worker.errors import WorkerError
    from distillery_worker.export import export_run
    from distillery_worker.onnx_export import export_onnx

    gpt2 = tmp_path / "gpt2"
    gpt2.mkdir()
    (gpt2 / "config.json").write_text(json.dumps({"model_type": "gpt2"}))
    with pytest.raises(WorkerError, match=r"model_type 'gpt2'.*supports qwen2"):
        export_onnx(gpt2, tmp_path / "o")
    with pytest.raises(WorkerError, match=r"has no config\.json"):
        export_onnx(tmp_path, tmp_path / "o")
    lora = tmp_path / "lora"
    lora.mkdir()
    (lora / "adapter_config.json").write_text(json.dumps({"base_model_name_or_path": str(tiny_model_dir)}))
    with pytest.raises(WorkerError, match="add --merge-lora"):
        export_run(lora, tmp_path / "o2", onnx=True)


def test_cli_reports_an_error_event(tmp_path):
    r = subprocess.run([sys.executable, "-m", "distillery_worker", "export-onnx", "--model", str(tmp_path / "nope")],
                       capture_output=True, text=True, timeout=300, check=False)
    assert r.returncode == 1
    ev = json.loads(r.stdout.strip().splitlines()[-1])
    assert ev["event"] == "error" and ev["cause"] == "invalid_model_folder" and "does not exist" in ev["message"]
