"""Cancel: SIGTERM to a real `train` subprocess saves a checkpoint, reports it, and leaves no process."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time

from train_helpers import base_config, write_dataset


def test_sigterm_saves_a_checkpoint_and_leaves_no_process(tiny_model_dir, tmp_path):
    ds = write_dataset(tmp_path / "ds", n=8)
    cfg = base_config(tiny_model_dir, ds, tmp_path / "run", max_steps=100000, micro_batch_size=2, save_steps=100000)
    (tmp_path / "run.json").write_text(json.dumps(cfg))
    env = {**os.environ, "OMP_NUM_THREADS": "1"}
    proc = subprocess.Popen([sys.executable, "-m", "distillery_worker", "train", "--config", str(tmp_path / "run.json")],
                            stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True, start_new_session=True, env=env)
    pgid = os.getpgid(proc.pid)
    events = []
    try:
        deadline = time.time() + 240
        assert proc.stdout is not None
        for line in proc.stdout:
            events.append(json.loads(line))  # stdout is JSON lines only
            if events[-1]["event"] == "step":
                break
            assert time.time() < deadline, "no step event in time"
        os.killpg(pgid, signal.SIGTERM)
        rest, _ = proc.communicate(timeout=120)
        events += [json.loads(x) for x in rest.splitlines()]
    finally:
        if proc.poll() is None:
            os.killpg(pgid, signal.SIGKILL)
            proc.wait()
    assert proc.returncode == 0
    kinds = [e["event"] for e in events]
    assert kinds[0] == "start" and "checkpoint" in kinds and kinds[-1] == "stopped"
    ckpt = [e for e in events if e["event"] == "checkpoint"][-1]["path"]
    assert os.path.isfile(os.path.join(ckpt, "model.safetensors"))
    assert os.path.isfile(os.path.join(ckpt, "trainer_state.json"))
    time.sleep(0.5)
    try:
        os.killpg(pgid, 0)
        alive = True
    except ProcessLookupError:
        alive = False
    assert not alive, "processes of the training group are still running"
