"""The training presets are defined once, in presets.json: config.py resolves them from it, and the engine's
electron/core/train/recipes.ts imports the same file (electron/core/train/presets.test.ts checks that side)."""

from __future__ import annotations

import json

from distillery_worker.config import PRESETS, PRESETS_FILE, resolve_config

REQUIRED = {"base_model": "b", "dataset": "d", "output_dir": "o"}


def test_presets_are_the_json_file() -> None:
    data = json.loads(PRESETS_FILE.read_text(encoding="utf-8"))
    assert PRESETS == {name: {**data["base"], **own} for name, own in data["presets"].items()}
    assert set(PRESETS) >= {"s1", "lora", "qlora", "kd", "fsdp"}


def test_resolved_run_config_takes_the_file_values() -> None:
    data = json.loads(PRESETS_FILE.read_text(encoding="utf-8"))
    for name, own in data["presets"].items():
        teacher = {"kd": {"teacher_model": "t"}} if own.get("method") == "kd" else {}
        cfg = resolve_config({"preset": name, **REQUIRED, **teacher})
        for key, value in {**data["base"], **own}.items():
            got = {k: cfg[key][k] for k in value} if isinstance(value, dict) else cfg[key]
            assert got == value, (name, key)


def test_kd_max_length_is_the_one_the_engine_plans() -> None:
    # the engine's Train form and `distillery train --preset kd` plan and write 8192; the worker's own preset agrees
    assert resolve_config({"preset": "kd", **REQUIRED, "kd": {"teacher_model": "t"}})["max_length"] == 8192
    assert resolve_config({"preset": "s1", **REQUIRED})["max_length"] == 32768
