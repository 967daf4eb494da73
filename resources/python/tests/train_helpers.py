"""Helpers shared by the training tests: tiny datasets and run configs."""

from __future__ import annotations

import json
import random
from pathlib import Path


def conversation(a: int, b: int) -> list[dict[str, str]]:
    return [
        {"role": "system", "content": "You are a helpful assistant."},
        {"role": "user", "content": f"Compute {a} + {b}."},
        {"role": "assistant", "content": f"<think>\nWe have {a} + {b} = {a + b}.\n</think>\n\nThe answer is $\\boxed{{{a + b}}}$."},
    ]


def write_dataset(folder: Path, n: int = 8, seed: int = 0) -> Path:
    rng = random.Random(seed)
    folder.mkdir(parents=True, exist_ok=True)
    with open(folder / "train.jsonl", "w", encoding="utf-8") as f:
        for _ in range(n):
            f.write(json.dumps({"messages": conversation(rng.randint(1, 99), rng.randint(1, 99))}) + "\n")
    return folder


def perturbed_teacher(student: Path, out: Path, seed: int) -> Path:
    """A KD teacher: the student's tokenizer and weights plus seeded noise (std 0.05), saved in ``out``."""
    import torch
    from transformers import AutoModelForCausalLM, AutoTokenizer

    model = AutoModelForCausalLM.from_pretrained(str(student))
    g = torch.Generator().manual_seed(seed)
    with torch.no_grad():
        for p in model.parameters():
            p.add_(torch.randn(p.shape, generator=g) * 0.05)
    model.save_pretrained(out)
    AutoTokenizer.from_pretrained(str(student)).save_pretrained(out)
    return out


def base_config(model: Path, dataset: Path, out: Path, **over) -> dict:
    cfg = {
        "base_model": str(model),
        "dataset": str(dataset),
        "output_dir": str(out),
        "method": "full",
        "learning_rate": 1e-3,
        "max_steps": 3,
        "micro_batch_size": 4,
        "gradient_accumulation_steps": 1,
        "max_length": 96,
        "save_steps": 1000,
        "seed": 0,
    }
    cfg.update(over)
    return cfg
