"""Several GPUs: the run config's launcher choice, and DeepSpeed refused with a sentence where it is not installed."""

from __future__ import annotations

import importlib.util

import pytest

from train_helpers import base_config, write_dataset


def test_distributed_field_is_validated():
    from distillery_worker.errors import WorkerError
    from distillery_worker.train import resolve_config

    base = {"base_model": "b", "dataset": "d", "output_dir": "o"}
    assert resolve_config({**base, "fsdp": True})["distributed"] == "fsdp"  # the older flag still works
    assert resolve_config({**base, "distributed": "deepspeed", "deepspeed_config": "/x/deepspeed.json"})["distributed"] == "deepspeed"
    with pytest.raises(WorkerError) as ei:
        resolve_config({**base, "distributed": "zero2"})
    assert ei.value.cause == "invalid_config" and '"fsdp" or "deepspeed"' in ei.value.message
    with pytest.raises(WorkerError) as ei:
        resolve_config({**base, "distributed": "deepspeed"})
    assert "deepspeed_config" in ei.value.message


@pytest.mark.skipif(importlib.util.find_spec("deepspeed") is not None, reason="deepspeed is installed here")
def test_deepspeed_missing_is_a_sentence(tiny_model_dir, tmp_path, monkeypatch):
    from distillery_worker.errors import WorkerError
    from distillery_worker.events import ListEmitter
    from distillery_worker.train import run_training

    ds = write_dataset(tmp_path / "ds", n=2)
    (tmp_path / "deepspeed.json").write_text("{}")
    monkeypatch.setenv("WORLD_SIZE", "2")  # as under `accelerate launch` on two GPUs
    with pytest.raises(WorkerError) as ei:
        run_training(base_config(tiny_model_dir, ds, tmp_path / "o", distributed="deepspeed",
                                 deepspeed_config=str(tmp_path / "deepspeed.json")), ListEmitter())
    assert ei.value.cause == "missing_dependency"
    assert ei.value.message.startswith("DeepSpeed ZeRO-3 needs the deepspeed package") and "FSDP" in ei.value.message
