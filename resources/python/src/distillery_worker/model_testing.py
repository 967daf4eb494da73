"""Test helpers for model import/export: the real SmolLM2 GGUF, its converted folder (cached), llama.cpp's converter,
a tiny random Llama that carries SmolLM2's real tokenizer (llama.cpp's converter only accepts tokenizers it knows, and
the on-the-fly test tokenizer is not one of them) and a tiny LoRA adapter.

The converted SmolLM2 folder is cached next to the GGUF (``scripts/real-models.mjs`` modelCacheDir), so repeated
runs and CI convert it once.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
from pathlib import Path

REPO = Path(__file__).resolve().parents[4]
SMOL_GGUF = "SmolLM2-135M-Instruct.Q4_1.gguf"


def model_cache_dir() -> Path:
    """Same rule as scripts/real-models.mjs modelCacheDir()."""
    env = os.environ.get("DISTILLERY_MODEL_CACHE")
    if env:
        return Path(env).resolve()
    return Path(os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache") / "distillery" / "real-models"


def _node_json(script: str) -> dict | None:
    node = shutil.which("node")
    if not node:
        return None
    r = subprocess.run([node, str(REPO / "scripts" / script)], check=False, capture_output=True, text=True)
    return json.loads(r.stdout) if r.returncode == 0 and r.stdout.strip() else None


def required_in_ci(what: str) -> None:
    """With CI=true the real models are required (.ci/run fetches them): raise, so the test fails instead of skipping."""
    if os.environ.get("CI") == "true":
        raise RuntimeError(f"CI=true and {what} is unavailable (run node scripts/real-models.mjs --convert and node scripts/llama-converter.mjs)")


def real_gguf() -> Path | None:
    """The real SmolLM2-135M-Instruct GGUF, fetched by scripts/real-models.mjs on first use; None when it cannot be."""
    p = model_cache_dir() / SMOL_GGUF
    if p.is_file():
        return p
    got = _node_json("real-models.mjs")
    if not got:
        required_in_ci("the real SmolLM2 GGUF")
    return Path(got["gguf"]) if got else None


def converted_smollm() -> Path | None:
    """SmolLM2 converted by gguf-import (fp16), cached beside the GGUF; None without the GGUF."""
    from distillery_worker.gguf_import import import_gguf

    gguf = real_gguf()
    if gguf is None:
        return None
    out = gguf.parent / "SmolLM2-135M-Instruct-hf-fp16"
    if not (out / "model.safetensors").is_file():
        shutil.rmtree(out, ignore_errors=True)
        import_gguf(gguf, out, dtype="fp16")  # renamed into place last: never half-written
    return out


def llama_converter() -> Path | None:
    """llama.cpp's converter folder, set up by scripts/llama-converter.mjs on first use; None when it cannot be."""
    from distillery_worker.model_export import converter_dir

    if (converter_dir() / "convert_hf_to_gguf.py").is_file():
        return converter_dir()
    got = _node_json("llama-converter.mjs")
    if not got:
        required_in_ci("llama.cpp's converter")
    return Path(got["converter"]) if got else None


def tiny_llama_with_tokenizer(tokenizer_dir: Path, out: Path, seed: int = 0) -> Path:
    """A 2-layer random Llama (hidden 64) with the tokenizer and chat template of ``tokenizer_dir``."""
    import torch
    from transformers import (
        AutoTokenizer,
        GenerationConfig,
        LlamaConfig,
        LlamaForCausalLM,
    )

    tok = AutoTokenizer.from_pretrained(str(tokenizer_dir))
    cfg = LlamaConfig(vocab_size=len(tok), hidden_size=64, intermediate_size=128, num_hidden_layers=2, num_attention_heads=4,
                      num_key_value_heads=2, max_position_embeddings=2048, tie_word_embeddings=True,
                      bos_token_id=tok.bos_token_id, eos_token_id=tok.eos_token_id, pad_token_id=tok.pad_token_id)
    torch.manual_seed(seed)
    model = LlamaForCausalLM(cfg).eval()
    # Scale the weights up so that logits spread over several units: a check on near-zero logits proves little.
    with torch.no_grad():
        for p in model.parameters():
            if p.dim() == 2:
                p.mul_(4.0)
    model.generation_config = GenerationConfig(bos_token_id=tok.bos_token_id, eos_token_id=tok.eos_token_id, pad_token_id=tok.pad_token_id)
    model.save_pretrained(str(out))
    tok.save_pretrained(str(out))
    return out


def tiny_lora_run(base_dir: Path, out: Path, seed: int = 0) -> Path:
    """A LoRA adapter on ``base_dir`` with non-zero weights (as training leaves one), saved like a run's output."""
    import torch
    from peft import LoraConfig, get_peft_model
    from transformers import AutoModelForCausalLM, AutoTokenizer

    model = AutoModelForCausalLM.from_pretrained(str(base_dir), dtype=torch.float32)
    peft_model = get_peft_model(model, LoraConfig(r=4, lora_alpha=8, target_modules=["q_proj", "v_proj"], task_type="CAUSAL_LM"))
    torch.manual_seed(seed)
    with torch.no_grad():
        for n, p in peft_model.named_parameters():
            if "lora_B" in n:
                p.normal_(0, 0.5)  # peft starts B at zero: a merge of that would equal the base
    peft_model.save_pretrained(str(out))
    AutoTokenizer.from_pretrained(str(base_dir)).save_pretrained(str(out))
    (out / "distillery_run.json").write_text(json.dumps({"base_model": str(base_dir), "method": "lora"}) + "\n")
    return out
