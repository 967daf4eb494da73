#!/usr/bin/env python3
"""GPU check for training (issue 8): our worker against plain TRL defaults, and the planner against the measured peak.

Builds a Qwen2.5-0.5B-shaped Qwen2 model with random weights (nothing downloaded; the tokenizer is the tests'
tiny BPE tokenizer, token ids fit the 151,936 vocabulary), writes synthetic conversations whose assistant turn is
longer than the sequence length, and for each length (4,096 and 16,384 tokens) trains a few steps twice, each in its
own process so peak memory is clean:

- ``distillery``: ``distillery_worker.train.run_training`` with the s1 settings that matter for speed and memory
  (full fine-tuning, fp32 master weights with bf16 autocast, gradient checkpointing, micro-batch 1, assistant-only loss);
- ``trl-defaults``: TRL's ``SFTTrainer`` on the same conversations with ``SFTConfig`` defaults, except
  ``max_length`` = the length and ``per_device_train_batch_size`` = 1 (the same tokens per step).

Prints tokens/s (steps after the warm-up), peak memory (allocated and reserved), MFU (6·N FLOPs per token, and with
causal attention's 6·layers·seq·d FLOPs) against the GPU's dense bf16 peak, and the planner's per-GPU estimate
(electron/core/train/planner.ts, via tsx where node is present, else bench/gpu-train-plan.json written here with
``--write-plan``) against the measured peak (reserved + 0.5 GiB CUDA context), with the ±25% verdict.

    scripts/gpu-check.sh                      # on the GPU machine (under 8 minutes on one H100)
    python bench/gpu-train.py --smoke         # seconds, on CPU: a tiny shape through the same code
    python bench/gpu-train.py --write-plan    # refresh bench/gpu-train-plan.json (needs node + tsx)
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO / "resources" / "python" / "src"))
PLAN_FILE = REPO / "bench" / "gpu-train-plan.json"

QWEN25_05B = dict(hidden_size=896, intermediate_size=4864, num_hidden_layers=24, num_attention_heads=14, num_key_value_heads=2,
                  vocab_size=151936, tie_word_embeddings=True)
SMOKE = dict(hidden_size=64, intermediate_size=128, num_hidden_layers=2, num_attention_heads=4, num_key_value_heads=2,
             vocab_size=512, tie_word_embeddings=True)
GIB = 1024**3
CONTEXT_GIB = 0.5  # CUDA context + cuBLAS workspaces: outside the caching allocator's counters


def shape_name(shape: dict) -> str:
    return "qwen2.5-0.5b" if shape == QWEN25_05B else "smoke"


def build_model(folder: Path, shape: dict) -> None:
    import torch
    from transformers import Qwen2Config, Qwen2ForCausalLM

    from distillery_worker.testing import ENDOFTEXT, IM_END, build_tiny_tokenizer

    if (folder / "config.json").is_file():
        return
    tok = build_tiny_tokenizer()
    tok.save_pretrained(folder)
    torch.manual_seed(0)
    cfg = Qwen2Config(**shape, max_position_embeddings=32768, eos_token_id=tok.convert_tokens_to_ids(IM_END),
                      pad_token_id=tok.convert_tokens_to_ids(ENDOFTEXT), bos_token_id=None)
    Qwen2ForCausalLM(cfg).to(torch.bfloat16).save_pretrained(folder)


def write_data(folder: Path, seq: int, n: int) -> Path:
    """n conversations, each longer than seq tokens (so every step trains on exactly seq tokens)."""
    import random

    folder.mkdir(parents=True, exist_ok=True)
    rng = random.Random(seq)
    with open(folder / "train.jsonl", "w", encoding="utf-8") as f:
        for i in range(n):
            # the tiny tokenizer splits digits one by one: "123 " is about 4 tokens
            body = " ".join(str(rng.randint(100, 999)) for _ in range(seq // 3 + 64))
            msgs = [{"role": "user", "content": f"Problem {i}: add these numbers."},
                    {"role": "assistant", "content": f"<think>\n{body}\n</think>\n\nThe answer is {i}."}]
            f.write(json.dumps({"messages": msgs}) + "\n")
    return folder


def plan_with_tsx(shape: dict, seq: int) -> dict | None:
    tsx = REPO / "node_modules" / ".bin" / "tsx"
    if not tsx.exists():
        return None
    script = ("import { plan } from './electron/core/train/planner';"
              f"console.log(JSON.stringify(plan({{config: {json.dumps(shape)}, method: 'full', seqLength: {seq}, microBatch: 1,"
              " gpus: 1, gpuMemoryGib: 1000, gradientCheckpointing: true, sharding: 'none'})));")
    try:
        r = subprocess.run([str(tsx), "-e", script], cwd=REPO, capture_output=True, text=True, timeout=180)
        return json.loads(r.stdout.strip().splitlines()[-1])
    except Exception:  # noqa: BLE001 - fall back to the file
        return None


def planner_estimate(shape: dict, seq: int) -> tuple[dict | None, str]:
    p = plan_with_tsx(shape, seq)
    if p is not None:
        return p, "tsx"
    if PLAN_FILE.is_file():
        saved = json.loads(PLAN_FILE.read_text()).get(f"{shape_name(shape)}/{seq}")
        if saved:
            return saved, PLAN_FILE.name
    return None, "none"


class Timer:
    """Trainer callback: wall time of each optimiser step, the GPU synchronised at both ends."""

    def __new__(cls):
        import torch
        from transformers import TrainerCallback

        class _T(TrainerCallback):
            def __init__(self):
                self.times: list[float] = []
                self.t0 = 0.0

            def _sync(self):
                if torch.cuda.is_available():
                    torch.cuda.synchronize()

            def on_step_begin(self, args, state, control, **kw):  # noqa: ARG002
                self._sync()
                self.t0 = time.perf_counter()

            def on_step_end(self, args, state, control, **kw):  # noqa: ARG002
                self._sync()
                self.times.append(time.perf_counter() - self.t0)

        return _T()


def child(mode: str, model: Path, data: Path, seq: int, steps: int, out: Path) -> dict:
    import torch

    from distillery_worker.config import peak_flops

    cuda = torch.cuda.is_available()
    if cuda:
        torch.cuda.reset_peak_memory_stats()
    timer = Timer()
    result: dict = {"mode": mode, "seq": seq, "steps": steps}
    try:
        if mode == "distillery":
            from distillery_worker.events import ListEmitter
            from distillery_worker.train import run_training

            emit = ListEmitter()
            run_training({"preset": "s1", "base_model": str(model), "dataset": str(data), "output_dir": str(out), "max_steps": steps,
                          "max_length": seq, "micro_batch_size": 1, "gradient_accumulation_steps": 1, "batch_size": None,
                          "save_steps": 10**9, "num_train_epochs": 1}, emit, extra_callbacks=[timer])
            start = emit.of("start")[0]
            result.update(dtype=start["dtype"], params=start["params"], attn=start.get("attn_implementation"))
        else:
            from datasets import load_dataset
            from trl import SFTConfig, SFTTrainer

            ds = load_dataset("json", data_files=str(data / "train.jsonl"), split="train")
            args = SFTConfig(output_dir=str(out), max_length=seq, per_device_train_batch_size=1, max_steps=steps, logging_steps=1,
                             save_strategy="no", report_to="none", disable_tqdm=True, use_cpu=not cuda)
            trainer = SFTTrainer(model=str(model), args=args, train_dataset=ds, callbacks=[timer])
            trainer.train()
            result.update(dtype="bf16-autocast" if args.bf16 else "fp32", params=sum(p.numel() for p in trainer.model.parameters()),
                          attn=trainer.model.config._attn_implementation)
    except Exception as e:  # noqa: BLE001 - an OOM is a result too
        result["error"] = f"{type(e).__name__}: {str(e).splitlines()[0][:300]}"
        return result
    warm = timer.times[1:] if len(timer.times) > 1 else timer.times
    tps = seq * len(warm) / sum(warm)
    result["step_seconds"] = [round(t, 4) for t in timer.times]
    result["tokens_per_sec"] = round(tps, 1)
    if cuda:
        result["device"] = torch.cuda.get_device_name(0)
        result["peak_allocated_gib"] = round(torch.cuda.max_memory_allocated() / GIB, 3)
        result["peak_reserved_gib"] = round(torch.cuda.max_memory_reserved() / GIB, 3)
        flops = peak_flops(result["device"])
        if flops:
            cfg = json.loads((model / "config.json").read_text())
            attn = 6 * cfg["num_hidden_layers"] * seq * cfg["num_attention_heads"] * (cfg["hidden_size"] // cfg["num_attention_heads"])
            result["mfu_6n"] = round(6 * result["params"] * tps / flops, 4)
            result["mfu_with_attention"] = round((6 * result["params"] + attn) * tps / flops, 4)
    return result


def run_child(mode: str, model: Path, data: Path, seq: int, steps: int, work: Path, timeout: int) -> dict:
    cmd = [sys.executable, __file__, "--child", mode, "--model", str(model), "--data", str(data), "--seq", str(seq),
           "--steps", str(steps), "--work", str(work / f"{mode}-{seq}")]
    env = {**os.environ, "HF_HUB_OFFLINE": "1", "TRANSFORMERS_OFFLINE": "1", "HF_DATASETS_OFFLINE": "1", "TOKENIZERS_PARALLELISM": "false",
           "PYTHONPATH": os.pathsep.join([str(REPO / "resources" / "python" / "src"), os.environ.get("PYTHONPATH", "")])}
    t0 = time.perf_counter()
    try:
        r = subprocess.run(cmd, capture_output=True, text=True, timeout=timeout, env=env)
    except subprocess.TimeoutExpired:
        return {"mode": mode, "seq": seq, "error": f"timed out after {timeout} s"}
    lines = [line for line in r.stdout.splitlines() if line.startswith("RESULT ")]
    if not lines:
        return {"mode": mode, "seq": seq, "error": f"exit {r.returncode}: {r.stderr.strip().splitlines()[-1:] or ''}"}
    res = json.loads(lines[-1][len("RESULT "):])
    res["wall_seconds"] = round(time.perf_counter() - t0, 1)
    return res


def fmt(v, unit="") -> str:
    return "-" if v is None else f"{v}{unit}"


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--smoke", action="store_true", help="tiny shape, short sequences, CPU is fine (seconds)")
    ap.add_argument("--seqs", default=None, help="comma-separated sequence lengths (default 4096,16384; smoke 64,128)")
    ap.add_argument("--steps", type=int, default=None, help="optimiser steps per run, the first is warm-up (default 6; smoke 2)")
    ap.add_argument("--modes", default="distillery,trl-defaults")
    ap.add_argument("--work", default=None, help="scratch folder (default: a temp folder)")
    ap.add_argument("--out", default=os.environ.get("OUT"), help="folder for gpu-train.json (default $OUT)")
    ap.add_argument("--child", default=None, help=argparse.SUPPRESS)
    ap.add_argument("--model", default=None, help=argparse.SUPPRESS)
    ap.add_argument("--data", default=None, help=argparse.SUPPRESS)
    ap.add_argument("--seq", type=int, default=None, help=argparse.SUPPRESS)
    ap.add_argument("--write-plan", action="store_true", help="write bench/gpu-train-plan.json with the planner (node + tsx)")
    a = ap.parse_args()
    shape = SMOKE if a.smoke else QWEN25_05B
    seqs = [int(s) for s in (a.seqs or ("64,128" if a.smoke else "4096,16384")).split(",")]
    steps = a.steps or (2 if a.smoke else 6)

    if a.child:
        res = child(a.child, Path(a.model), Path(a.data), a.seq, a.steps, Path(a.work))
        sys.stdout.write("RESULT " + json.dumps(res) + "\n")
        return 0
    if a.write_plan:
        plans = {}
        for sh in (QWEN25_05B, SMOKE):
            for s in (4096, 16384, 64, 128):
                p = plan_with_tsx(sh, s)
                if p is None:
                    print("tsx is not available: run npm ci first", file=sys.stderr)
                    return 1
                plans[f"{shape_name(sh)}/{s}"] = {k: p[k] for k in ("per_gpu_gib", "breakdown", "params")}
        PLAN_FILE.write_text(json.dumps(plans, indent=2) + "\n")
        print(f"wrote {PLAN_FILE}")
        return 0

    import tempfile

    work = Path(a.work or tempfile.mkdtemp(prefix="gpu-train-")).resolve()
    t0 = time.perf_counter()
    model = work / f"model-{shape_name(shape)}"
    build_model(model, shape)
    print(f"model {shape_name(shape)} built in {time.perf_counter() - t0:.1f} s at {model}", flush=True)
    results = []
    for seq in seqs:
        data = write_data(work / f"data-{seq}", seq, steps + 2)
        plan, source = planner_estimate(shape, seq)
        for mode in a.modes.split(","):
            res = run_child(mode, model, data, seq, steps, work, timeout=240 if not a.smoke else 300)
            if mode == "distillery" and plan is not None:
                res["planner_gib"] = plan["per_gpu_gib"]
                res["planner_source"] = source
                if res.get("peak_reserved_gib") is not None:
                    measured = res["peak_reserved_gib"] + CONTEXT_GIB
                    res["planner_error"] = round((plan["per_gpu_gib"] - measured) / measured, 3)
                    res["planner_within_25pct"] = abs(res["planner_error"]) <= 0.25
            results.append(res)
            print(json.dumps(res), flush=True)

    print(f"\n{'mode':<14}{'seq':>7}{'tok/s':>11}{'peak alloc':>12}{'peak resv':>11}{'MFU 6N':>9}{'MFU+attn':>10}{'planner':>9}{'err':>8}")
    for r in results:
        if "error" in r:
            print(f"{r['mode']:<14}{r['seq']:>7}  failed: {r['error']}")
            continue
        print(f"{r['mode']:<14}{r['seq']:>7}{fmt(r.get('tokens_per_sec')):>11}{fmt(r.get('peak_allocated_gib'), ' G'):>12}"
              f"{fmt(r.get('peak_reserved_gib'), ' G'):>11}{fmt(r.get('mfu_6n')):>9}{fmt(r.get('mfu_with_attention')):>10}"
              f"{fmt(r.get('planner_gib'), ' G'):>9}{fmt(r.get('planner_error')):>8}")
    print(f"\ntotal {time.perf_counter() - t0:.1f} s; planner error = (planner - (peak reserved + {CONTEXT_GIB} GiB)) / measured")
    if a.out:
        Path(a.out).mkdir(parents=True, exist_ok=True)
        (Path(a.out) / "gpu-train.json").write_text(json.dumps({"shape": shape_name(shape), "results": results}, indent=2))
    return 0 if all("error" not in r for r in results) else 1


if __name__ == "__main__":
    raise SystemExit(main())
