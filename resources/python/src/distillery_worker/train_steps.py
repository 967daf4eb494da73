"""The steps of one training run, in the order :func:`distillery_worker.train._run` calls them (as TRL's
``trl/scripts/sft.py`` does): check the runtime, load the tokenizer, build the datasets, load the model, build
the training arguments, build the trainer, then train with events and save.
"""

from __future__ import annotations

import json
import math
import os
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from distillery_worker.config import pick_dtype
from distillery_worker.errors import WorkerError
from distillery_worker.events import Emitter
from distillery_worker.packing import Kernels, PackingPlan, plan_packing


@dataclass
class Runtime:
    """Where the run trains: device, processes, precision and attention kernel."""

    cuda: bool
    world_size: int
    distributed: str | None
    dtype: str
    torch_dtype: Any
    packing: PackingPlan
    device_name: str | None


@dataclass
class Data:
    """The conversations read from the dataset folder and their tokenised datasets."""

    convs: list[Any]
    eval_convs: list[Any]
    train_ds: Any
    eval_ds: Any
    max_length: int | None


def check_runtime(cfg: dict[str, Any], emit: Emitter) -> Runtime:
    """Refuses what this machine cannot run (QLoRA without CUDA or bitsandbytes, DeepSpeed without its package or
    JSON); notes the attention/packing decision; picks the precision."""
    import torch

    method = cfg["method"]
    cuda = torch.cuda.is_available()
    if method == "qlora":
        if not cuda:
            raise WorkerError("no_cuda", "QLoRA needs an NVIDIA GPU with CUDA (4-bit bitsandbytes); use the LoRA recipe on this machine, or run QLoRA on a CUDA machine.")
        try:
            import bitsandbytes  # noqa: F401
        except Exception as e:
            raise WorkerError("missing_dependency", "QLoRA needs bitsandbytes, which is not installed; install it into .venv or use the LoRA recipe.") from e
    world_size = int(os.environ.get("WORLD_SIZE", "1"))
    distributed = cfg.get("distributed") if world_size > 1 else None
    if distributed == "deepspeed":
        try:
            import deepspeed  # noqa: F401
        except Exception as e:
            raise WorkerError("missing_dependency", "DeepSpeed ZeRO-3 needs the deepspeed package, which is not installed in this Python "
                                                    "environment; install it, or use FSDP (\"distributed\": \"fsdp\").") from e
        if not Path(str(cfg["deepspeed_config"])).is_file():
            raise WorkerError("invalid_config", f"The DeepSpeed config {cfg['deepspeed_config']} does not exist; start the run again from Distillery.")
    packing = plan_packing(cfg, Kernels.detect())
    for note in packing.notes:
        emit({"event": "note", "message": note})
    bf16_ok = bool(cuda and torch.cuda.is_bf16_supported())
    dtype = pick_dtype(cfg.get("dtype") or "auto", cuda, bf16_ok)
    torch_dtype = {"bf16": torch.bfloat16, "fp16": torch.float16, "fp32": torch.float32}[dtype]
    device_name = torch.cuda.get_device_name(0) if cuda else None
    return Runtime(cuda, world_size, distributed, dtype, torch_dtype, packing, device_name)


def load_tokenizer(path: Path):
    from transformers import AutoTokenizer

    tokenizer = AutoTokenizer.from_pretrained(str(path))
    if tokenizer.pad_token is None:
        tokenizer.pad_token = tokenizer.eos_token
    return tokenizer


def build_data(cfg: dict[str, Any], tokenizer) -> Data:
    """Train and eval conversations (eval: the dataset's own split, else the last ``eval_ratio`` of train), tokenised
    with the assistant mask and truncated to ``max_length``."""
    from distillery_worker.data import build_dataset, find_dataset_files, read_messages

    train_files, eval_files = find_dataset_files(cfg["dataset"])
    convs = read_messages(train_files)
    eval_convs = read_messages(eval_files) if eval_files else []
    if not eval_convs and cfg.get("eval_ratio"):
        n_eval = max(1, int(len(convs) * float(cfg["eval_ratio"])))
        if n_eval < len(convs):
            eval_convs, convs = convs[-n_eval:], convs[:-n_eval]
    max_length = cfg.get("max_length")
    train_ds = build_dataset(tokenizer, convs, max_length)
    eval_ds = build_dataset(tokenizer, eval_convs, max_length) if eval_convs else None
    return Data(convs, eval_convs, train_ds, eval_ds, max_length)


def batch_sizes(cfg: dict[str, Any], world_size: int) -> tuple[int, int]:
    """(micro-batch, gradient accumulation): accumulation is ceil(batch / (micro x GPUs)) unless the config sets it."""
    micro = int(cfg.get("micro_batch_size") or 1)
    accum = cfg.get("gradient_accumulation_steps")
    if not accum:
        batch = cfg.get("batch_size")
        accum = max(1, math.ceil(int(batch) / (micro * world_size))) if batch else 1
    return micro, int(accum)


def load_model(cfg: dict[str, Any], base: Path, rt: Runtime, model_hook: Callable[[Any], None] | None):
    """The base model (4-bit and prepared for k-bit training for QLoRA); ``model_hook`` sees it before the trainer."""
    import torch
    from transformers import AutoModelForCausalLM

    method = cfg["method"]
    # Full fine-tuning keeps fp32 master weights (bf16/fp16 autocast does the compute): pure-bf16 weights would
    # round away updates as small as s1's lr 1e-5. LoRA/QLoRA freeze the base, so it is loaded in the compute dtype.
    model_kwargs: dict[str, Any] = {"dtype": torch.float32 if method in ("full", "kd") else rt.torch_dtype,
                                    "attn_implementation": rt.packing.attn_implementation}
    if method == "qlora":
        from transformers import BitsAndBytesConfig

        model_kwargs["quantization_config"] = BitsAndBytesConfig(
            load_in_4bit=True, bnb_4bit_quant_type="nf4", bnb_4bit_use_double_quant=True, bnb_4bit_compute_dtype=rt.torch_dtype
        )
    torch.manual_seed(int(cfg["seed"]))
    model = AutoModelForCausalLM.from_pretrained(str(base), **model_kwargs)
    if method == "qlora":
        from peft import prepare_model_for_kbit_training

        model = prepare_model_for_kbit_training(model, use_gradient_checkpointing=bool(cfg["gradient_checkpointing"]))
    if model_hook is not None:
        model_hook(model)
    return model


def lora_config(cfg: dict[str, Any]):
    """peft's LoraConfig for LoRA/QLoRA; None for full fine-tuning and KD."""
    if cfg["method"] not in ("lora", "qlora"):
        return None
    from peft import LoraConfig

    lc = cfg["lora"]
    return LoraConfig(
        r=int(lc["r"]), lora_alpha=int(lc["alpha"]), lora_dropout=float(lc.get("dropout", 0.0)),
        target_modules=lc.get("target_modules", "all-linear"), task_type="CAUSAL_LM",
    )


def training_args(cfg: dict[str, Any], out: Path, rt: Runtime, data: Data, micro: int, accum: int):
    """TRL's SFTConfig from the run config: schedule, precision, checkpoints, evaluation, FSDP or DeepSpeed."""
    from trl import SFTConfig

    eval_steps = cfg.get("eval_steps")
    has_eval = data.eval_ds is not None
    args_kwargs: dict[str, Any] = dict(
        output_dir=str(out),
        learning_rate=float(cfg["learning_rate"]),
        num_train_epochs=float(cfg["num_train_epochs"]),
        max_steps=int(cfg.get("max_steps") or -1),
        per_device_train_batch_size=micro,
        per_device_eval_batch_size=micro,
        gradient_accumulation_steps=accum,
        weight_decay=float(cfg["weight_decay"]),
        warmup_steps=float(cfg["warmup_ratio"]),
        adam_beta1=float(cfg["adam_beta1"]),
        adam_beta2=float(cfg["adam_beta2"]),
        max_grad_norm=float(cfg["max_grad_norm"]),
        lr_scheduler_type=cfg["lr_scheduler_type"],
        logging_steps=int(cfg["logging_steps"]),
        save_strategy="steps",
        save_steps=int(cfg["save_steps"]),
        save_total_limit=cfg.get("save_total_limit"),
        eval_strategy="steps" if (has_eval and eval_steps) else ("epoch" if has_eval else "no"),
        eval_steps=int(eval_steps) if eval_steps else None,
        bf16=rt.dtype == "bf16",
        fp16=rt.dtype == "fp16",
        use_cpu=not rt.cuda,
        seed=int(cfg["seed"]),
        data_seed=int(cfg["seed"]),
        report_to="none",
        disable_tqdm=True,
        dataloader_num_workers=0,
        activation_checkpointing=bool(cfg["gradient_checkpointing"]),
        activation_checkpointing_kwargs={"use_reentrant": False} if cfg["gradient_checkpointing"] else None,
        # rows are truncated in build_dataset, with the assistant mask; packing needs max_length as the bin size
        **rt.packing.sft_kwargs(data.max_length),
    )
    if rt.distributed == "deepspeed":
        args_kwargs["deepspeed"] = str(cfg["deepspeed_config"])
    elif rt.distributed == "fsdp":
        args_kwargs["fsdp"] = "full_shard auto_wrap"
        args_kwargs["fsdp_config"] = {"activation_checkpointing": bool(cfg["gradient_checkpointing"])}
        args_kwargs["activation_checkpointing"] = False  # FSDP checkpoints activations itself
    return SFTConfig(**args_kwargs)


def build_trainer(cfg: dict[str, Any], model, sft_args, data: Data, tokenizer, rt: Runtime, callbacks: list[Any], emit: Emitter):
    """SFTTrainer, or for KD the KDTrainer with its teacher: a model folder, top-k logits on disk, or logprobs
    captured while generating (their mapping stats go into ``cfg["kd_captured"]``)."""
    from trl import SFTTrainer

    trainer_kwargs: dict[str, Any] = {
        "model": model, "args": sft_args, "train_dataset": data.train_ds, "eval_dataset": data.eval_ds,
        "processing_class": tokenizer, "peft_config": lora_config(cfg), "callbacks": callbacks,
    }
    if cfg["method"] != "kd":
        return SFTTrainer(**trainer_kwargs)
    from distillery_worker.captured_logprobs import CapturedTeacherLogits, is_captured
    from distillery_worker.kd import KDTrainer, load_teacher

    kd = cfg["kd"]
    if kd.get("teacher_logits") and is_captured(kd["teacher_logits"]):
        # logprobs captured while generating (generate --logprobs K), mapped onto the student's tokens
        captured = CapturedTeacherLogits(kd["teacher_logits"], tokenizer, data.convs + data.eval_convs, data.max_length)
        cfg["kd_captured"] = captured.stats
        emit({"event": "note", "message": captured.sentence()})
        emit({"event": "kd_captured", **captured.stats})
        source = {"teacher_logits": captured}
    elif kd.get("teacher_logits"):
        from distillery_worker.teacher_logits import TopKTeacherLogits

        source = {"teacher_logits": TopKTeacherLogits(kd["teacher_logits"], tokenizer, data.max_length)}
    else:
        source = {"teacher_model": load_teacher(kd["teacher_model"], tokenizer, rt.torch_dtype)}
    return KDTrainer(**source, kd_alpha=float(kd["alpha"]), temperature_start=float(kd["temperature_start"]),
                     temperature_end=float(kd["temperature_end"]), temperature_schedule=kd.get("schedule", "linear"),
                     **trainer_kwargs)


def train_and_save(trainer, tokenizer, out: Path, resume_from: str | None, stop, emit: Emitter) -> dict[str, Any]:
    """Trains (the event callback reports steps, evals and checkpoints); a stop request ends with a checkpoint and
    ``stopped``, else the model and tokenizer are saved to the output folder and ``done`` is emitted."""
    if stop.requested:
        emit({"event": "stopped", "output_dir": str(out), "step": 0})
        return {"status": "stopped", "output_dir": str(out), "global_step": 0}
    trainer.train(resume_from_checkpoint=resume_from)
    step = trainer.state.global_step
    if stop.requested:
        emit({"event": "stopped", "output_dir": str(out), "step": step})
        return {"status": "stopped", "output_dir": str(out), "global_step": step, "trainer": trainer}
    trainer.save_model(str(out))
    if trainer.is_world_process_zero():
        tokenizer.save_pretrained(str(out))
    emit({"event": "done", "output_dir": str(out), "step": step})
    return {"status": "done", "output_dir": str(out), "global_step": step, "trainer": trainer}


def write_run_record(out: Path, cfg: dict[str, Any], dtype: str) -> None:
    """``distillery_run.json`` in the output folder: the resolved config and the precision used."""
    (out / "distillery_run.json").write_text(json.dumps({**cfg, "dtype_used": dtype}, indent=2, default=str))
