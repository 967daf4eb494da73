"""The run's steps (train_steps.py) one at a time, on this machine: the same decisions ``_run`` takes."""

from __future__ import annotations

import pytest

from distillery_worker import train_steps as steps
from distillery_worker.config import resolve_config
from distillery_worker.errors import WorkerError
from distillery_worker.events import ListEmitter

REQUIRED = {"base_model": "b", "dataset": "d", "output_dir": "o"}


def test_batch_sizes_split_the_global_batch() -> None:
    assert steps.batch_sizes({"micro_batch_size": 2, "batch_size": 16}, 1) == (2, 8)
    assert steps.batch_sizes({"micro_batch_size": 2, "batch_size": 16}, 3) == (2, 3)  # ceil(16 / 6)
    assert steps.batch_sizes({"micro_batch_size": 4, "batch_size": 2}, 1) == (4, 1)
    assert steps.batch_sizes({"micro_batch_size": 1, "batch_size": 16, "gradient_accumulation_steps": 5}, 2) == (1, 5)
    assert steps.batch_sizes({"micro_batch_size": None, "batch_size": None}, 1) == (1, 1)


def test_runtime_on_this_machine() -> None:
    import torch

    if torch.cuda.is_available():
        pytest.skip("checks the CPU decisions")
    emit = ListEmitter()
    rt = steps.check_runtime(resolve_config({"preset": "s1", **REQUIRED}), emit)
    assert (rt.cuda, rt.world_size, rt.distributed, rt.dtype, rt.device_name) == (False, 1, None, "fp32", None)
    assert rt.torch_dtype is torch.float32
    with pytest.raises(WorkerError) as e:
        steps.check_runtime(resolve_config({"preset": "qlora", **REQUIRED}), emit)
    assert e.value.cause == "no_cuda"


def test_lora_config_only_for_lora_methods() -> None:
    assert steps.lora_config(resolve_config({"preset": "s1", **REQUIRED})) is None
    lc = steps.lora_config(resolve_config({"preset": "lora", **REQUIRED, "lora": {"r": 8}}))
    assert (lc.r, lc.lora_alpha, lc.lora_dropout, lc.task_type) == (8, 32, 0.05, "CAUSAL_LM")
