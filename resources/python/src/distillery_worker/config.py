"""Run-config resolution for ``train``: presets, defaults, validation, model-folder and dtype checks.

The run config is JSON written by the TypeScript engine; the presets live in presets.json, which both sides read.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from distillery_worker.errors import WorkerError

# Presets: hyperparameters a recipe starts from; keys in the run config override them. Defined once in presets.json,
# which the engine (electron/core/train/recipes.ts) imports too; tests on both sides check they read the same values.
PRESETS_FILE = Path(__file__).with_name("presets.json")


def load_presets(path: Path = PRESETS_FILE) -> dict[str, dict[str, Any]]:
    """Each preset of presets.json is its ``base`` with the preset's own keys on top."""
    data = json.loads(path.read_text(encoding="utf-8"))
    return {name: {**data["base"], **own} for name, own in data["presets"].items()}


PRESETS: dict[str, dict[str, Any]] = load_presets()
S1 = PRESETS["s1"]
LORA_DEFAULTS: dict[str, Any] = PRESETS["lora"]["lora"]
KD_DEFAULTS: dict[str, Any] = PRESETS["kd"]["kd"]

DEFAULTS: dict[str, Any] = {
    "method": "full",
    "learning_rate": 1e-5,
    "num_train_epochs": 1,
    "max_steps": -1,
    "batch_size": None,
    "micro_batch_size": 1,
    "gradient_accumulation_steps": None,
    "weight_decay": 0.0,
    "warmup_ratio": 0.0,
    "adam_beta1": 0.9,
    "adam_beta2": 0.999,
    "lr_scheduler_type": "cosine",
    "max_length": 4096,
    "gradient_checkpointing": False,
    "dtype": "auto",
    "seed": 42,
    "logging_steps": 1,
    "save_steps": 500,
    "save_total_limit": 2,
    "eval_steps": None,
    "eval_ratio": 0.0,
    "resume": False,
    "fsdp": False,
    "distributed": None,  # "fsdp" | "deepspeed" (ZeRO-3) for several GPUs; the engine writes the accelerate config
    "deepspeed_config": None,  # the DeepSpeed JSON the engine wrote next to the run config
    "attn_implementation": "auto",  # auto: FlashAttention 3/2 when installed on a CUDA GPU, else sdpa
    "packing": False,  # TRL best-fit-decreasing packing (needs flash attention; else off with a note)
    "padding_free": False,  # flatten each micro-batch into one row (needs flash attention; else off with a note)
    "lora": None,
    "kd": None,
    "max_grad_norm": 1.0,
}

METHODS = ("full", "lora", "qlora", "kd")

# Dense bf16 peak FLOP/s per GPU (no sparsity), by substring of the device name.
PEAK_FLOPS = [
    ("H200", 989e12), ("H100", 989e12), ("H800", 989e12), ("GH200", 989e12), ("B200", 2250e12),
    ("A100", 312e12), ("A800", 312e12), ("L40S", 362e12), ("L40", 181e12), ("A6000", 155e12),
    ("A10G", 70e12), ("A10", 125e12), ("L4", 121e12), ("4090", 165e12), ("3090", 71e12),
    ("V100", 125e12), ("T4", 65e12),
]


def resolve_config(raw: dict[str, Any]) -> dict[str, Any]:
    """Defaults <- preset <- run config. Validates the fields the worker relies on."""
    preset_name = raw.get("preset")
    if preset_name is not None and preset_name not in PRESETS:
        raise WorkerError("invalid_config", f'Unknown preset "{preset_name}"; use one of {", ".join(PRESETS)}.')
    cfg: dict[str, Any] = {**DEFAULTS, **(PRESETS.get(preset_name, {}) if preset_name else {})}
    for k, v in raw.items():
        if isinstance(v, dict) and isinstance(cfg.get(k), dict):
            cfg[k] = {**cfg[k], **v}
        else:
            cfg[k] = v
    for key in ("base_model", "dataset", "output_dir"):
        if not cfg.get(key):
            raise WorkerError("invalid_config", f'The run config has no "{key}"; the engine must write it.')
    if cfg["method"] not in METHODS:
        raise WorkerError("invalid_config", f'Unknown method "{cfg["method"]}"; use one of {", ".join(METHODS)}.')
    if cfg["method"] in ("lora", "qlora"):
        cfg["lora"] = {**LORA_DEFAULTS, **(cfg.get("lora") or {})}
    if cfg["method"] == "kd":
        cfg["kd"] = {**KD_DEFAULTS, **(cfg.get("kd") or {})}
        if not cfg["kd"].get("teacher_model") and not cfg["kd"].get("teacher_logits"):
            raise WorkerError("invalid_config", 'Knowledge distillation needs "kd.teacher_model" (a local teacher model folder) '
                                                'or "kd.teacher_logits" (a folder from `python -m distillery_worker teacher-logits`).')
    if cfg.get("fsdp") and not cfg.get("distributed"):
        cfg["distributed"] = "fsdp"
    if cfg.get("distributed") not in (None, "fsdp", "deepspeed"):
        raise WorkerError("invalid_config", f'Unknown "distributed": "{cfg["distributed"]}"; use "fsdp" or "deepspeed".')
    if cfg.get("distributed") == "deepspeed" and not cfg.get("deepspeed_config"):
        raise WorkerError("invalid_config", 'DeepSpeed needs "deepspeed_config": the ZeRO-3 JSON the engine writes next to the run config.')
    return cfg


def check_model_folder(path: str | Path, role: str = "base model") -> Path:
    p = Path(path).expanduser()
    if not p.is_dir():
        raise WorkerError("invalid_model_folder", f"The {role} folder {p} does not exist; choose a folder with config.json, the tokenizer and safetensors weights.")
    missing = []
    if not (p / "config.json").is_file():
        missing.append("config.json")
    if not ((p / "tokenizer.json").is_file() or (p / "tokenizer.model").is_file() or (p / "vocab.json").is_file()):
        missing.append("tokenizer files (tokenizer.json)")
    has_weights = any(p.glob("*.safetensors")) or any(p.glob("*.bin")) or (p / "model.safetensors.index.json").is_file()
    if not has_weights:
        missing.append("weights (*.safetensors)")
    if missing:
        raise WorkerError("invalid_model_folder", f"The {role} folder {p} has no {', '.join(missing)}; choose a complete Hugging Face model folder.")
    return p


def pick_dtype(requested: str, cuda: bool, bf16_ok: bool) -> str:
    """bf16 where the GPU supports it, else fp16 on GPU, fp32 on CPU."""
    if requested in ("bf16", "fp16", "fp32"):
        if requested != "fp32" and not cuda:
            return "fp32"
        if requested == "bf16" and not bf16_ok:
            return "fp16"
        return requested
    if not cuda:
        return "fp32"
    return "bf16" if bf16_ok else "fp16"


def peak_flops(device_name: str | None) -> float | None:
    if not device_name:
        return None
    for key, flops in PEAK_FLOPS:
        if key in device_name:
            return flops
    return None
