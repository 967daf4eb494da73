"""``python -m distillery_worker train --config RUN.json``: SFT / LoRA / QLoRA / KD on TRL's SFTTrainer.

The run config is JSON written by the TypeScript engine (see README.md, "Run config"). Progress is
reported as JSON lines on stdout (:mod:`distillery_worker.events`); everything else goes to stderr.
"""

from __future__ import annotations

import json
import os
import signal
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

from distillery_worker import train_steps as steps
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
    except BaseException as e:
        if isinstance(e, (KeyboardInterrupt, SystemExit)):
            raise
        raise classify_error(e, ctx) from e


def _run(cfg: dict[str, Any], emit: Emitter, stop: StopFlag, extra_callbacks: list[Any], model_hook) -> dict[str, Any]:
    """One run, step by step (train_steps.py), in the order of TRL's sft.py."""
    from transformers.trainer_utils import get_last_checkpoint

    base = check_model_folder(cfg["base_model"])
    out = Path(cfg["output_dir"]).expanduser().resolve()
    out.mkdir(parents=True, exist_ok=True)

    rt = steps.check_runtime(cfg, emit)
    tokenizer = steps.load_tokenizer(base)
    data = steps.build_data(cfg, tokenizer)
    micro, accum = steps.batch_sizes(cfg, rt.world_size)
    model = steps.load_model(cfg, base, rt, model_hook)
    sft_args = steps.training_args(cfg, out, rt, data, micro, accum)

    params = sum(p.numel() for p in model.parameters())
    info = {"params": params, "peak_flops": peak_flops(rt.device_name), "world_size": rt.world_size}
    callbacks = [make_event_callback(emit, stop, info), *extra_callbacks]
    trainer = steps.build_trainer(cfg, model, sft_args, data, tokenizer, rt, callbacks, emit)

    resume_from = get_last_checkpoint(str(out)) if cfg.get("resume") else None
    trainable = sum(p.numel() for p in trainer.model.parameters() if p.requires_grad)
    emit({
        "event": "start", "method": cfg["method"], "base_model": str(base), "output_dir": str(out), "dtype": rt.dtype,
        "device": rt.device_name or "cpu", "world_size": rt.world_size, "params": params, "trainable_params": trainable,
        "train_examples": len(data.train_ds), "eval_examples": len(data.eval_ds) if data.eval_ds is not None else 0,
        "micro_batch_size": micro, "gradient_accumulation_steps": accum, "max_length": data.max_length,
        "resume_from": resume_from, "attn_implementation": rt.packing.attn_implementation, "packing": rt.packing.packing,
        "padding_free": rt.packing.padding_free, "distributed": rt.distributed,
    })
    steps.write_run_record(out, cfg, rt.dtype)
    return steps.train_and_save(trainer, tokenizer, out, resume_from, stop, emit)


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
