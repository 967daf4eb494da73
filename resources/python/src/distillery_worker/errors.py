"""Training errors with a cause the UI understands and a sentence that says what to change."""

from __future__ import annotations

import errno
from typing import Any

CAUSES = (
    "out_of_memory",
    "no_cuda",
    "invalid_model_folder",
    "invalid_dataset",
    "invalid_config",
    "tokenizer_mismatch",
    "disk_full",
    "missing_dependency",
    "internal",
)


class WorkerError(Exception):
    """An error we expect and can explain: ``cause`` is one of :data:`CAUSES`."""

    def __init__(self, cause: str, message: str):
        super().__init__(message)
        self.cause = cause
        self.message = message


def _is_oom(exc: BaseException) -> bool:
    try:
        import torch

        oom_types: tuple[type, ...] = (torch.OutOfMemoryError,)
        if hasattr(torch.cuda, "OutOfMemoryError"):
            oom_types += (torch.cuda.OutOfMemoryError,)
        if isinstance(exc, oom_types):
            return True
    except Exception:  # noqa: BLE001, S110 - torch missing or without these types: not a torch OOM
        pass
    if isinstance(exc, MemoryError):
        return True
    text = str(exc).lower()
    return "out of memory" in text and isinstance(exc, RuntimeError)


def classify_error(exc: BaseException, context: dict[str, Any] | None = None, what: str = "Training") -> WorkerError:
    """Map any exception raised while training to a :class:`WorkerError` with an actionable message.

    ``what`` names the work in the fallback sentence, so that an export's error does not read "Training failed".
    """
    ctx = context or {}
    seen: set[int] = set()
    cur: BaseException | None = exc
    while cur is not None and id(cur) not in seen:  # look through chained exceptions too
        seen.add(id(cur))
        if isinstance(cur, WorkerError):
            return cur
        if _is_oom(cur):
            hints = []
            if not ctx.get("gradient_checkpointing"):
                hints.append("turn on gradient checkpointing")
            mb = ctx.get("micro_batch_size")
            if mb and mb > 1:
                hints.append(f"lower the micro-batch from {mb} to {max(1, mb // 2)}")
            ml = ctx.get("max_length")
            if ml:
                hints.append(f"lower the max length (now {ml})")
            if ctx.get("method") == "full":
                hints.append("use LoRA or QLoRA")
            hints.append("or use more GPUs with FSDP")
            return WorkerError(
                "out_of_memory",
                "The GPU ran out of memory during training; "
                + ", ".join(hints)
                + " (the planner in `distillery train --dry-run` shows what fits).",
            )
        if isinstance(cur, OSError) and cur.errno == errno.ENOSPC:
            return WorkerError(
                "disk_full",
                "The disk is full while writing checkpoints; free space in the output folder's disk, "
                "lower save_total_limit, or save less often.",
            )
        cur = cur.__cause__ or cur.__context__
    return WorkerError("internal", f"{what} failed: {type(exc).__name__}: {exc}")
