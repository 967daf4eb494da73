"""The planner (electron/core/train/planner.ts) within ±25% of the measured peak GPU memory.

Only meaningful on CUDA: a CPU process's RSS is not comparable, so without CUDA the test is skipped.
"""

from __future__ import annotations

import json
import shutil
import subprocess
from pathlib import Path

import pytest

torch = pytest.importorskip("torch")

REPO = Path(__file__).resolve().parents[3]


@pytest.mark.skipif(not torch.cuda.is_available(), reason="no CUDA")
def test_planner_within_25_percent_of_measured_peak(tmp_path):
    from transformers import AutoTokenizer, Qwen2Config, Qwen2ForCausalLM

    from distillery_worker.events import ListEmitter
    from distillery_worker.testing import build_tiny_tokenizer
    from distillery_worker.train import run_training

    tsx = REPO / "node_modules" / ".bin" / "tsx"
    if not tsx.exists() or shutil.which("node") is None:
        pytest.skip("node/tsx not available to run the planner")
    seq = 4096
    # Qwen2.5-0.5B shape, random weights, nothing downloaded
    cfg = dict(hidden_size=896, intermediate_size=4864, num_hidden_layers=24, num_attention_heads=14,
               num_key_value_heads=2, vocab_size=151936, tie_word_embeddings=True)
    model_dir = tmp_path / "m"
    tok = build_tiny_tokenizer()
    tok.save_pretrained(model_dir)
    Qwen2ForCausalLM(Qwen2Config(**cfg, max_position_embeddings=32768)).to(torch.bfloat16).save_pretrained(model_dir)
    tok = AutoTokenizer.from_pretrained(str(model_dir))
    ds = tmp_path / "ds"
    ds.mkdir()
    long = " ".join(str(i) for i in range(seq))
    (ds / "train.jsonl").write_text(json.dumps({"messages": [{"role": "user", "content": "Count."}, {"role": "assistant", "content": long}]}) + "\n")
    emit = ListEmitter()
    run_training({"base_model": str(model_dir), "dataset": str(ds), "output_dir": str(tmp_path / "o"), "max_steps": 2,
                  "max_length": seq, "micro_batch_size": 1, "gradient_checkpointing": True, "save_steps": 1000}, emit)
    measured = max(e["gpu_memory_gib"] for e in emit.of("step")) + 0.5  # + CUDA context, not in max_memory_allocated
    script = (
        "import { plan } from './electron/core/train/planner';"
        f"console.log(JSON.stringify(plan({{config: {json.dumps(cfg)}, method: 'full', seqLength: {seq}, microBatch: 1,"
        " gpus: 1, gpuMemoryGib: 1000, gradientCheckpointing: true, sharding: 'none'})));"
    )
    r = subprocess.run([str(tsx), "-e", script], cwd=REPO, capture_output=True, text=True, timeout=120, check=False)
    planned = json.loads(r.stdout.strip().splitlines()[-1])["per_gpu_gib"]
    assert abs(planned - measured) / measured <= 0.25, (planned, measured)
