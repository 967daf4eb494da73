"""The GPU check script (bench/gpu-train.py) runs end to end on CPU with --smoke: a tiny shape, both trainers."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

REPO = Path(__file__).resolve().parents[3]


def test_gpu_check_smoke(tmp_path):
    env = {**os.environ, "OMP_NUM_THREADS": "1", "OUT": ""}
    r = subprocess.run([sys.executable, str(REPO / "bench" / "gpu-train.py"), "--smoke", "--seqs", "64", "--work", str(tmp_path / "w"),
                        "--out", str(tmp_path / "out")], capture_output=True, text=True, timeout=900, env=env, check=False)
    assert r.returncode == 0, r.stdout[-3000:] + r.stderr[-3000:]
    report = json.loads((tmp_path / "out" / "gpu-train.json").read_text())
    assert report["shape"] == "smoke"
    by_mode = {x["mode"]: x for x in report["results"]}
    assert set(by_mode) == {"distillery", "trl-defaults"}
    for res in by_mode.values():
        assert "error" not in res, res
        assert res["seq"] == 64 and len(res["step_seconds"]) == 2 and res["tokens_per_sec"] > 0
    # the planner's estimate comes through (tsx, or the saved bench/gpu-train-plan.json)
    assert by_mode["distillery"]["planner_gib"] > 0 and by_mode["distillery"]["planner_source"] in ("tsx", "gpu-train-plan.json")
    assert "tok/s" in r.stdout and "planner" in r.stdout
