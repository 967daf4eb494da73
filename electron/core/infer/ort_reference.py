"""Greedy generation with Python onnxruntime on an exported ONNX folder: the in-app engine's reference.

Used by the engine's tests (greedy ids to compare) and by ``npm run bench:infer`` (tokens/s baseline).
Prints one JSON object: the fastest timed run's {"ids": [...], "text": str, "prompt_tokens": n, "first_ms": ms,
"total_ms": ms, "cpu_ms": ms, "decode_tokens_per_s": x, "tokens_per_s": x}, and "runs" (timings of every timed run;
with --repeat > 1 the first run only warms up).

    .venv/bin/python electron/core/infer/ort_reference.py --dir DIR --prompt TEXT --max-new-tokens N
        [--threads N] [--ignore-eos] [--repeat K]
"""

from __future__ import annotations

import argparse
import json
import sys
import time
from pathlib import Path


def greedy(sess, prompt_ids: list[int], max_new: int, eos: set[int]) -> tuple[list[int], float, float]:
    """Greedy decoding with the KV cache; returns (ids, ms to the first token, total ms)."""
    import numpy as np

    inputs = sess.get_inputs()
    past_names = [i.name for i in inputs if i.name.startswith("past_key_values.")]
    empty = [np.zeros((1, i.shape[1], 0, i.shape[3]), dtype=np.float32) for i in inputs if i.name in past_names]
    keep = np.array(1, dtype=np.int64) if any(i.name == "num_logits_to_keep" for i in inputs) else None
    t0 = time.perf_counter()
    first = None
    out: list[int] = []
    past = empty
    fed = 0
    feed_ids = prompt_ids
    for _ in range(max_new):
        total = fed + len(feed_ids)
        feed = {
            "input_ids": np.array([feed_ids], dtype=np.int64),
            "attention_mask": np.ones((1, total), dtype=np.int64),
            "position_ids": np.arange(fed, total, dtype=np.int64).reshape(1, -1),
        }
        if keep is not None:
            feed["num_logits_to_keep"] = keep
        feed.update(zip(past_names, past))
        res = sess.run(None, feed)
        fed = total
        past = res[1:]
        nxt = int(np.argmax(res[0][0, -1]))
        out.append(nxt)
        if first is None:
            first = time.perf_counter() - t0
        if nxt in eos:
            break
        feed_ids = [nxt]
    return out, (first or 0.0) * 1000, (time.perf_counter() - t0) * 1000


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser()
    ap.add_argument("--dir", required=True)
    ap.add_argument("--prompt", required=True)
    ap.add_argument("--max-new-tokens", type=int, required=True)
    ap.add_argument("--threads", type=int, default=0)
    ap.add_argument("--ignore-eos", action="store_true")
    ap.add_argument("--repeat", type=int, default=1, help="runs; the fastest is reported (with more than one, the first warms up)")
    args = ap.parse_args(argv)

    from tokenizers import Tokenizer

    from distillery_worker.onnx_export import ort_session

    d = Path(args.dir)
    tok = Tokenizer.from_file(str(d / "tokenizer.json"))
    ids = tok.encode(args.prompt, add_special_tokens=False).ids
    eos: set[int] = set()
    for f in ("generation_config.json", "config.json"):
        p = d / f
        if p.is_file():
            e = json.loads(p.read_text()).get("eos_token_id")
            eos |= set(e if isinstance(e, list) else [e] if isinstance(e, int) else [])
    if args.ignore_eos:
        eos = set()
    sess = ort_session(d / "onnx" / "model.onnx", threads=args.threads or None)
    runs = []
    for _ in range(max(1, args.repeat)):
        c0 = time.process_time()
        out, first_ms, total_ms = greedy(sess, ids, args.max_new_tokens, eos)
        runs.append((out, first_ms, total_ms, (time.process_time() - c0) * 1000))
    timed = runs[1:] if len(runs) > 1 else runs  # the first run warms the session up
    out, first_ms, total_ms, cpu_ms = min(timed, key=lambda r: r[2])
    n = len(out)
    decode_s = (total_ms - first_ms) / 1000
    json.dump({
        "runs": [{"first_ms": r[1], "total_ms": r[2], "cpu_ms": r[3], "tokens": len(r[0])} for r in timed],
        "cpu_ms": cpu_ms,
        "ids": out,
        "text": tok.decode(out, skip_special_tokens=True),
        "prompt_tokens": len(ids),
        "first_ms": first_ms,
        "total_ms": total_ms,
        "tokens_per_s": n / (total_ms / 1000) if total_ms > 0 else None,
        "decode_tokens_per_s": (n - 1) / decode_s if n > 1 and decode_s > 0 else None,
    }, sys.stdout)
    sys.stdout.write("\n")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
