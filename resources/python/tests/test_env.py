from __future__ import annotations

import json
import os
import subprocess
import sys
from importlib import metadata

EXPECTED_LIBRARIES = {"transformers", "trl", "peft", "accelerate", "datasets", "bitsandbytes", "flash_attn", "vllm"}


def _run(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "distillery_worker", *args],
        capture_output=True,
        text=True,
        timeout=300,
        env={**os.environ, "HF_HUB_OFFLINE": "1"},
        check=False,
    )


def test_env_json_is_one_object_with_expected_keys() -> None:
    import torch

    proc = _run("env", "--json")
    assert proc.returncode == 0, proc.stderr
    lines = [ln for ln in proc.stdout.splitlines() if ln.strip()]
    assert len(lines) == 1, proc.stdout
    info = json.loads(lines[0])

    assert set(info) >= {"python", "platform", "torch", "cuda_available", "cuda_version", "gpus", "libraries", "executable"}
    assert info["python"] == ".".join(map(str, sys.version_info[:3]))
    assert info["torch"] == torch.__version__
    assert isinstance(info["cuda_available"], bool)
    assert info["cuda_available"] == torch.cuda.is_available()
    assert isinstance(info["gpus"], list)
    for gpu in info["gpus"]:
        assert set(gpu) == {"index", "name", "memory_gib"}
        assert isinstance(gpu["memory_gib"], float)
    assert set(info["libraries"]) == EXPECTED_LIBRARIES

    import transformers

    assert info["libraries"]["transformers"] == transformers.__version__
    for name in ("trl", "peft", "accelerate", "datasets"):  # importing these is slow; metadata suffices
        assert info["libraries"][name] == metadata.version(name)
    assert os.path.realpath(info["executable"]) == os.path.realpath(sys.executable)


def test_env_reports_missing_library_as_null(monkeypatch) -> None:
    from distillery_worker import env

    monkeypatch.setitem(env.LIBRARIES, "vllm", "definitely-not-installed-distillery-xyz")
    info = env.collect_env()
    assert info["libraries"]["vllm"] is None
    json.dumps(info)  # still serialisable


def test_env_human_summary() -> None:
    proc = _run("env")
    assert proc.returncode == 0, proc.stderr
    assert "torch" in proc.stdout and "Python" in proc.stdout


def test_unknown_command_fails() -> None:
    proc = _run("no-such-command")
    assert proc.returncode != 0
