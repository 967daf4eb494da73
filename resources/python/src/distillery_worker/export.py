"""``python -m distillery_worker export --run DIR --out DIR [--merge-lora] [--onnx]``.

Writes a self-contained model folder: safetensors weights, tokenizer and chat template. A LoRA
run is merged into its base with ``--merge-lora``; without it the adapter is exported as is
(adapter_model.safetensors + adapter_config.json + tokenizer), to be loaded on top of the base.
``--onnx`` adds onnx/model.onnx for the in-app engine (see :mod:`distillery_worker.onnx_export`).
"""

from __future__ import annotations

import json
import shutil
from pathlib import Path
from typing import Any

from distillery_worker.errors import WorkerError
from distillery_worker.events import Emitter


def _run_info(run: Path) -> dict[str, Any]:
    for p in (run / "distillery_run.json", run.parent / "distillery_run.json"):
        if p.is_file():
            return json.loads(p.read_text(encoding="utf-8"))
    return {}


def export_run(run_dir: str | Path, out_dir: str | Path, merge_lora: bool = False, dtype: str = "auto",
               emit: Emitter | None = None, onnx: bool = False) -> Path:
    import torch
    from transformers import AutoModelForCausalLM, AutoTokenizer

    run = Path(run_dir).expanduser().resolve()
    out = Path(out_dir).expanduser().resolve()
    if not run.is_dir():
        raise WorkerError("invalid_model_folder", f"The run folder {run} does not exist; pass the run's output folder.")
    info = _run_info(run)
    is_lora = (run / "adapter_config.json").is_file()
    if not is_lora and not (run / "config.json").is_file():
        raise WorkerError("invalid_model_folder", f"{run} holds neither a model (config.json) nor a LoRA adapter (adapter_config.json); pass a finished run or one of its checkpoints.")
    if onnx and is_lora and not merge_lora:
        raise WorkerError("invalid_config", f"{run} is a LoRA run: the ONNX export needs merged weights, so add --merge-lora to export it with --onnx.")
    torch_dtype = {"bf16": torch.bfloat16, "fp16": torch.float16, "fp32": torch.float32}.get(dtype, "auto")
    out.mkdir(parents=True, exist_ok=True)

    base_dir: Path | None = None
    if is_lora:
        base = info.get("base_model") or json.loads((run / "adapter_config.json").read_text()).get("base_model_name_or_path")
        if not base or not Path(base).is_dir():
            raise WorkerError("invalid_model_folder", f"The LoRA run's base model folder ({base}) is missing; restore it or edit base_model in distillery_run.json.")
        base_dir = Path(base)

    if is_lora and merge_lora:
        from peft import PeftModel

        model = AutoModelForCausalLM.from_pretrained(str(base_dir), dtype=torch_dtype)
        model = PeftModel.from_pretrained(model, str(run)).merge_and_unload()
        model.save_pretrained(str(out), safe_serialization=True)
    elif is_lora:
        for f in ("adapter_config.json", "adapter_model.safetensors"):
            if (run / f).is_file():
                shutil.copy2(run / f, out / f)
    else:
        model = AutoModelForCausalLM.from_pretrained(str(run), dtype=torch_dtype)
        model.save_pretrained(str(out), safe_serialization=True)

    tok_src = run if (run / "tokenizer_config.json").is_file() else (base_dir or run)
    tokenizer = AutoTokenizer.from_pretrained(str(tok_src))
    tokenizer.save_pretrained(str(out))
    if not (out / "chat_template.jinja").is_file():
        for src in (tok_src / "chat_template.jinja", (base_dir or tok_src) / "chat_template.jinja"):
            if src.is_file():
                shutil.copy2(src, out / "chat_template.jinja")
                break
        else:
            if tokenizer.chat_template:
                (out / "chat_template.jinja").write_text(tokenizer.chat_template, encoding="utf-8")
    onnx_file = None
    if onnx:
        from distillery_worker.onnx_export import export_onnx

        export_onnx(out, out, emit=emit)
        onnx_file = str(out / "onnx" / "model.onnx")
    if emit:
        emit({"event": "exported", "path": str(out), "merged": bool(is_lora and merge_lora), "lora": is_lora, "onnx": onnx_file})
    return out


def cmd_export(args) -> int:
    from distillery_worker.events import run_command

    return run_command("The export", lambda emit: export_run(args.run, args.out, merge_lora=args.merge_lora, dtype=args.dtype,
                                                             emit=emit, onnx=bool(getattr(args, "onnx", False))))
