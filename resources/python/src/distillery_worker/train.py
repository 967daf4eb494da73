"""``python -m distillery_worker train --config RUN.json``: SFT / LoRA / QLoRA / KD on TRL's SFTTrainer.

The run config is JSON written by the TypeScript engine (see README.md, "Run config"). Progress is
reported as JSON lines on stdout (:mod:`distillery_worker.events`); everything else goes to stderr.
"""

from __future__ import annotations

import json
import math
import os
import signal
import time
from pathlib import Path
from typing import Any, Callable

from distillery_worker.config import (  # noqa: F401 - re-exported: tests and kd.py import them from here
    DEFAULTS,
    METHODS,
    PEAK_FLOPS,
    PRESETS,
    S1,
    check_model_folder,
    peak_flops,
    pick_dtype,
    resolve_config,
)
from distillery_worker.errors import WorkerError, classify_error
from distillery_worker.events import Emitter


class StopFlag:
    """Set by SIGTERM/SIGINT; the event callback turns it into save + stop at the next step end."""

    def __init__(self) -> None:
        self.requested = False

    def install(self) -> None:
        def handler(signum, frame):  # noqa: ARG001
            self.requested = True

        signal.signal(signal.SIGTERM, handler)
        signal.signal(signal.SIGINT, handler)


def make_event_callback(emit: Emitter, stop: StopFlag, info: dict[str, Any]):
    from transformers import TrainerCallback

    class EventCallback(TrainerCallback):
        def __init__(self) -> None:
            self.last_time: float | None = None
            self.last_tokens: float | None = None
            self.stopping = False

        def on_train_begin(self, args, state, control, **kwargs):  # noqa: ARG002
            self.last_time = time.perf_counter()
            self.last_tokens = 0.0
            emit({"event": "train_begin", "max_steps": state.max_steps, "num_train_epochs": args.num_train_epochs,
                  "global_step": state.global_step})

        def on_step_end(self, args, state, control, **kwargs):  # noqa: ARG002
            if stop.requested and not self.stopping:
                self.stopping = True
                control.should_save = True
                control.should_training_stop = True
            return control

        def on_log(self, args, state, control, logs=None, **kwargs):  # noqa: ARG002
            logs = logs or {}
            if not state.is_world_process_zero:
                return
            if "eval_loss" in logs:
                emit({"event": "eval", "step": state.global_step, "epoch": logs.get("epoch", state.epoch), "eval_loss": logs["eval_loss"]})
                return
            if "loss" not in logs:
                return
            import torch

            now = time.perf_counter()
            tokens = logs.get("num_tokens")
            tps = None
            if tokens is not None and self.last_time is not None and now > self.last_time:
                tps = (float(tokens) - (self.last_tokens or 0.0)) / (now - self.last_time)
                self.last_tokens = float(tokens)
            self.last_time = now
            mfu = None
            if tps is not None and info.get("peak_flops"):
                mfu = 6.0 * info["params"] * tps / (info["peak_flops"] * info["world_size"])
            gpu_mem = None
            if torch.cuda.is_available():
                gpu_mem = round(torch.cuda.max_memory_allocated() / 1024**3, 3)
            ev = {
                "event": "step",
                "step": state.global_step,
                "max_steps": state.max_steps,
                "epoch": logs.get("epoch", state.epoch),
                "loss": logs["loss"],
                "learning_rate": logs.get("learning_rate"),
                "grad_norm": logs.get("grad_norm"),
                "tokens_per_sec": round(tps, 2) if tps is not None else None,
                "mfu": round(mfu, 4) if mfu is not None else None,
                "gpu_memory_gib": gpu_mem,
            }
            for k in ("kd_temperature", "kd_ce", "kd_kl"):
                if k in logs:
                    ev[k] = logs[k]
            emit(ev)

        def on_save(self, args, state, control, **kwargs):  # noqa: ARG002
            if state.is_world_process_zero:
                path = Path(args.output_dir) / f"checkpoint-{state.global_step}"
                emit({"event": "checkpoint", "step": state.global_step, "path": str(path.resolve())})

    return EventCallback()


def _load_tokenizer(path: Path):
    from transformers import AutoTokenizer

    return AutoTokenizer.from_pretrained(str(path))


def run_training(raw_config: dict[str, Any], emit: Emitter, stop: StopFlag | None = None,
                 extra_callbacks: list[Any] | None = None, model_hook: Callable[[Any], None] | None = None) -> dict[str, Any]:
    """Run one training; emits events; raises :class:`WorkerError` (already classified) on failure.

    Returns ``{"status": "done"|"stopped", "output_dir", "global_step"}``.
    """
    cfg = resolve_config(raw_config)
    stop = stop or StopFlag()
    ctx = {k: cfg.get(k) for k in ("gradient_checkpointing", "micro_batch_size", "max_length", "method")}
    try:
        return _run(cfg, emit, stop, extra_callbacks or [], model_hook)
    except WorkerError:
        raise
    except BaseException as e:  # noqa: BLE001
        if isinstance(e, (KeyboardInterrupt, SystemExit)):
            raise
        raise classify_error(e, ctx) from e


def _run(cfg: dict[str, Any], emit: Emitter, stop: StopFlag, extra_callbacks: list[Any], model_hook) -> dict[str, Any]:
    import torch
    from transformers import AutoModelForCausalLM
    from transformers.trainer_utils import get_last_checkpoint
    from trl import SFTConfig, SFTTrainer

    from distillery_worker.data import build_dataset, find_dataset_files, read_messages
    from distillery_worker.packing import Kernels, plan_packing

    method = cfg["method"]
    base = check_model_folder(cfg["base_model"])
    out = Path(cfg["output_dir"]).expanduser().resolve()
    out.mkdir(parents=True, exist_ok=True)

    cuda = torch.cuda.is_available()
    if method == "qlora":
        if not cuda:
            raise WorkerError("no_cuda", "QLoRA needs an NVIDIA GPU with CUDA (4-bit bitsandbytes); use the LoRA recipe on this machine, or run QLoRA on a CUDA machine.")
        try:
            import bitsandbytes  # noqa: F401
        except Exception as e:  # noqa: BLE001
            raise WorkerError("missing_dependency", "QLoRA needs bitsandbytes, which is not installed; install it into .venv or use the LoRA recipe.") from e
    world_size = int(os.environ.get("WORLD_SIZE", "1"))
    distributed = cfg.get("distributed") if world_size > 1 else None
    if distributed == "deepspeed":
        try:
            import deepspeed  # noqa: F401
        except Exception as e:  # noqa: BLE001
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

    tokenizer = _load_tokenizer(base)
    if tokenizer.pad_token is None:
        tokenizer.pad_token = tokenizer.eos_token

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

    micro = int(cfg.get("micro_batch_size") or 1)
    accum = cfg.get("gradient_accumulation_steps")
    if not accum:
        batch = cfg.get("batch_size")
        accum = max(1, math.ceil(int(batch) / (micro * world_size))) if batch else 1
    accum = int(accum)

    # Full fine-tuning keeps fp32 master weights (bf16/fp16 autocast does the compute): pure-bf16 weights would
    # round away updates as small as s1's lr 1e-5. LoRA/QLoRA freeze the base, so it is loaded in the compute dtype.
    model_kwargs: dict[str, Any] = {"dtype": torch.float32 if method in ("full", "kd") else torch_dtype,
                                    "attn_implementation": packing.attn_implementation}
    if method == "qlora":
        from transformers import BitsAndBytesConfig

        model_kwargs["quantization_config"] = BitsAndBytesConfig(
            load_in_4bit=True, bnb_4bit_quant_type="nf4", bnb_4bit_use_double_quant=True, bnb_4bit_compute_dtype=torch_dtype
        )
    torch.manual_seed(int(cfg["seed"]))
    model = AutoModelForCausalLM.from_pretrained(str(base), **model_kwargs)
    if method == "qlora":
        from peft import prepare_model_for_kbit_training

        model = prepare_model_for_kbit_training(model, use_gradient_checkpointing=bool(cfg["gradient_checkpointing"]))
    if model_hook is not None:
        model_hook(model)

    peft_config = None
    if method in ("lora", "qlora"):
        from peft import LoraConfig

        lc = cfg["lora"]
        peft_config = LoraConfig(
            r=int(lc["r"]), lora_alpha=int(lc["alpha"]), lora_dropout=float(lc.get("dropout", 0.0)),
            target_modules=lc.get("target_modules", "all-linear"), task_type="CAUSAL_LM",
        )

    eval_steps = cfg.get("eval_steps")
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
        eval_strategy="steps" if (eval_ds is not None and eval_steps) else ("epoch" if eval_ds is not None else "no"),
        eval_steps=int(eval_steps) if eval_steps else None,
        bf16=dtype == "bf16",
        fp16=dtype == "fp16",
        use_cpu=not cuda,
        seed=int(cfg["seed"]),
        data_seed=int(cfg["seed"]),
        report_to="none",
        disable_tqdm=True,
        dataloader_num_workers=0,
        activation_checkpointing=bool(cfg["gradient_checkpointing"]),
        activation_checkpointing_kwargs={"use_reentrant": False} if cfg["gradient_checkpointing"] else None,
        # rows are truncated in build_dataset, with the assistant mask; packing needs max_length as the bin size
        **packing.sft_kwargs(max_length),
    )
    if distributed == "deepspeed":
        args_kwargs["deepspeed"] = str(cfg["deepspeed_config"])
    elif distributed == "fsdp":
        args_kwargs["fsdp"] = "full_shard auto_wrap"
        args_kwargs["fsdp_config"] = {"activation_checkpointing": bool(cfg["gradient_checkpointing"])}
        args_kwargs["activation_checkpointing"] = False  # FSDP checkpoints activations itself
    sft_args = SFTConfig(**args_kwargs)

    params = sum(p.numel() for p in model.parameters())
    device_name = torch.cuda.get_device_name(0) if cuda else None
    info = {"params": params, "peak_flops": peak_flops(device_name), "world_size": world_size}

    callbacks = [make_event_callback(emit, stop, info), *extra_callbacks]
    trainer_kwargs: dict[str, Any] = dict(
        model=model, args=sft_args, train_dataset=train_ds, eval_dataset=eval_ds,
        processing_class=tokenizer, peft_config=peft_config, callbacks=callbacks,
    )
    if method == "kd":
        from distillery_worker.kd import KDTrainer, load_teacher

        kd = cfg["kd"]
        from distillery_worker.captured_logprobs import CapturedTeacherLogits, is_captured

        if kd.get("teacher_logits") and is_captured(kd["teacher_logits"]):
            # logprobs captured while generating (generate --logprobs K), mapped onto the student's tokens
            captured = CapturedTeacherLogits(kd["teacher_logits"], tokenizer, convs + eval_convs, max_length)
            cfg["kd_captured"] = captured.stats
            emit({"event": "note", "message": captured.sentence()})
            emit({"event": "kd_captured", **captured.stats})
            source = {"teacher_logits": captured}
        elif kd.get("teacher_logits"):
            from distillery_worker.teacher_logits import TopKTeacherLogits

            source = {"teacher_logits": TopKTeacherLogits(kd["teacher_logits"], tokenizer, max_length)}
        else:
            source = {"teacher_model": load_teacher(kd["teacher_model"], tokenizer, torch_dtype)}
        trainer = KDTrainer(**source, kd_alpha=float(kd["alpha"]), temperature_start=float(kd["temperature_start"]),
                            temperature_end=float(kd["temperature_end"]), temperature_schedule=kd.get("schedule", "linear"),
                            **trainer_kwargs)
    else:
        trainer = SFTTrainer(**trainer_kwargs)

    resume_from = None
    if cfg.get("resume"):
        resume_from = get_last_checkpoint(str(out))
    trainable = sum(p.numel() for p in trainer.model.parameters() if p.requires_grad)
    emit({
        "event": "start", "method": method, "base_model": str(base), "output_dir": str(out), "dtype": dtype,
        "device": device_name or "cpu", "world_size": world_size, "params": params, "trainable_params": trainable,
        "train_examples": len(train_ds), "eval_examples": len(eval_ds) if eval_ds is not None else 0,
        "micro_batch_size": micro, "gradient_accumulation_steps": accum, "max_length": max_length,
        "resume_from": resume_from, "attn_implementation": packing.attn_implementation, "packing": packing.packing,
        "padding_free": packing.padding_free, "distributed": distributed,
    })
    (out / "distillery_run.json").write_text(json.dumps({**cfg, "dtype_used": dtype}, indent=2, default=str))

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


def cmd_train(args) -> int:
    from distillery_worker.events import capture_stdout

    # Models are local folders: never reach the Hub from a training run.
    os.environ.setdefault("HF_HUB_OFFLINE", "1")
    os.environ.setdefault("TRANSFORMERS_OFFLINE", "1")
    os.environ.setdefault("HF_DATASETS_OFFLINE", "1")
    os.environ.setdefault("TOKENIZERS_PARALLELISM", "false")
    emit = capture_stdout()
    stop = StopFlag()
    stop.install()
    try:
        from transformers.utils import logging as hf_logging

        hf_logging.disable_progress_bar()
        try:
            raw = json.loads(Path(args.config).read_text(encoding="utf-8"))
        except (OSError, json.JSONDecodeError) as e:
            raise WorkerError("invalid_config", f"Cannot read the run config {args.config} ({e}); the engine must write valid JSON.") from e
        if args.resume:
            raw["resume"] = True
        result = run_training(raw, emit, stop)
        return 0 if result["status"] in ("done", "stopped") else 1
    except WorkerError as e:
        import traceback

        traceback.print_exc()
        emit({"event": "error", "cause": e.cause, "message": e.message})
        return 1
