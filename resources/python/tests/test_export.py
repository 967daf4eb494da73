"""Export: merge LoRA into the base, save safetensors + tokenizer + chat template, reload, same logits."""

from __future__ import annotations

from train_helpers import base_config, write_dataset


def test_export_merged_lora_gives_the_same_logits(tiny_model_dir, tmp_path):
    import torch
    from peft import PeftModel
    from transformers import AutoModelForCausalLM, AutoTokenizer

    from distillery_worker.events import ListEmitter
    from distillery_worker.export import export_run
    from distillery_worker.train import run_training

    ds = write_dataset(tmp_path / "ds", n=4)
    run = tmp_path / "run"
    run_training(base_config(tiny_model_dir, ds, run, method="lora", max_steps=3, learning_rate=5e-2,
                             lora={"dropout": 0.0}), ListEmitter())
    out = tmp_path / "exported"
    emit = ListEmitter()
    export_run(run, out, merge_lora=True, emit=emit)
    assert emit.events[-1]["event"] == "exported" and emit.events[-1]["merged"] is True
    for f in ("model.safetensors", "config.json", "tokenizer.json", "chat_template.jinja"):
        assert (out / f).is_file(), f
    assert not (out / "adapter_config.json").exists()

    tok = AutoTokenizer.from_pretrained(str(out))
    ids = tok.apply_chat_template([{"role": "user", "content": "Compute 2 + 3."}], add_generation_prompt=True,
                                  return_tensors="pt", return_dict=True)["input_ids"]
    merged = AutoModelForCausalLM.from_pretrained(str(out)).eval()
    base = AutoModelForCausalLM.from_pretrained(str(tiny_model_dir)).eval()
    with torch.no_grad():
        want_base = base(ids).logits
        adapted = PeftModel.from_pretrained(base, str(run)).eval()
        want = adapted(ids).logits
        got = merged(ids).logits
    assert torch.allclose(got, want, atol=1e-4, rtol=1e-4)
    assert not torch.allclose(got, want_base, atol=1e-3)  # LoRA actually changed the model

