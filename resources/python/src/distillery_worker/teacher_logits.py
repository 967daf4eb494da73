"""Top-k teacher log-probabilities precomputed to disk, for knowledge distillation without the teacher in memory.

``python -m distillery_worker teacher-logits --teacher DIR --dataset DIR --top-k K --out DIR [--max-length N]``
tokenises the dataset exactly as training does (:func:`distillery_worker.data.build_dataset`: chat template,
assistant-only labels, truncation at ``max_length``), runs the teacher once, and writes, for every position
whose next token is trained (``labels[p + 1] != -100``), the teacher's K most likely next tokens and their
log-probabilities (full-vocabulary log-softmax at temperature 1).

Layout of OUT:

- ``shard-00000.safetensors`` … : tensors ``ids`` int32 [N, K], ``logprobs`` float16/float32 [N, K] and
  ``positions`` int32 [N]; metadata ``examples`` = JSON list of ``[key, offset, n]`` (``key`` = SHA-1 of the
  example's token ids, rows ``offset … offset + n`` of the tensors). Shard i holds examples i·S … (i+1)·S − 1.
- ``index.json``: teacher, tokenizer vocabulary digest, K, max length, dtype, shard names, ``complete``.

Resumable: a shard is written to a temporary name and renamed, so a shard file is always whole; a rerun with
the same arguments skips the shards already there. The trainer refuses an index that is not ``complete``.
"""

from __future__ import annotations

import hashlib
import json
import os
from pathlib import Path
from typing import Any

from distillery_worker.errors import WorkerError
from distillery_worker.events import Emitter

FORMAT = "distillery-topk-1"


def example_key(ids: Any) -> str:
    """SHA-1 of the token ids as little-endian int32 (the lookup key of one example)."""
    import numpy as np

    return hashlib.sha1(np.asarray(list(ids), dtype="<i4").tobytes()).hexdigest()


def vocab_digest(tokenizer: Any) -> str:
    items = sorted(tokenizer.get_vocab().items())
    return hashlib.sha1(json.dumps(items, ensure_ascii=False).encode("utf-8")).hexdigest()


def trained_positions(labels: list[int]) -> list[int]:
    """Positions p whose next token p + 1 is trained: where the logits are distilled."""
    return [p for p in range(len(labels) - 1) if labels[p + 1] != -100]


def _shard_name(i: int) -> str:
    return f"shard-{i:05d}.safetensors"


def _shard_complete(path: Path, keys: list[str]) -> bool:
    if not path.is_file():
        return False
    try:
        from safetensors import safe_open

        with safe_open(str(path), framework="pt") as f:
            meta = f.metadata() or {}
        return [e[0] for e in json.loads(meta.get("examples", "[]"))] == keys
    except Exception:  # noqa: BLE001 - a damaged shard is recomputed
        return False


def compute_teacher_logits(teacher: str | Path, dataset: str | Path, out: str | Path, top_k: int, max_length: int | None,
                           emit: Emitter, shard_size: int = 64, batch_size: int = 4, dtype: str = "float16") -> dict[str, Any]:
    import torch
    from safetensors.torch import save_file
    from transformers import AutoModelForCausalLM, AutoTokenizer

    from distillery_worker.data import build_dataset, find_dataset_files, read_messages
    from distillery_worker.train import check_model_folder

    if top_k < 1:
        raise WorkerError("invalid_config", f"--top-k must be at least 1, not {top_k}.")
    if dtype not in ("float16", "float32"):
        raise WorkerError("invalid_config", f'--dtype must be float16 or float32, not "{dtype}".')
    folder = check_model_folder(teacher, role="teacher model")
    tok = AutoTokenizer.from_pretrained(str(folder))
    if tok.pad_token is None:
        tok.pad_token = tok.eos_token
    train_files, eval_files = find_dataset_files(dataset)
    convs = read_messages(train_files) + (read_messages(eval_files) if eval_files else [])
    ds = build_dataset(tok, convs, max_length)
    out_dir = Path(out).expanduser().resolve()
    out_dir.mkdir(parents=True, exist_ok=True)

    cuda = torch.cuda.is_available()
    device = torch.device("cuda" if cuda else "cpu")
    model_dtype = torch.bfloat16 if cuda and torch.cuda.is_bf16_supported() else torch.float32
    model = AutoModelForCausalLM.from_pretrained(str(folder), dtype=model_dtype).to(device).eval()
    vocab = int(model.get_output_embeddings().weight.shape[0])
    k = min(int(top_k), vocab)
    store_dtype = torch.float16 if dtype == "float16" else torch.float32

    n = len(ds)
    n_shards = (n + shard_size - 1) // shard_size
    index = {
        "format": FORMAT, "teacher": str(folder), "tokenizer_vocab_sha1": vocab_digest(tok), "top_k": k,
        "max_length": max_length, "dtype": dtype, "examples": n, "shard_size": shard_size,
        "shards": [_shard_name(i) for i in range(n_shards)], "complete": False,
    }
    old = out_dir / "index.json"
    if old.is_file():
        prev = json.loads(old.read_text())
        same = {key: prev.get(key) for key in ("teacher", "tokenizer_vocab_sha1", "top_k", "max_length", "dtype", "shard_size")}
        if same != {key: index[key] for key in same}:
            raise WorkerError("invalid_config", f"{out_dir} holds teacher logits made with other settings ({json.dumps(same)}); choose an empty folder.")
    (out_dir / "index.json").write_text(json.dumps(index, indent=2))
    emit({"event": "start", "kind": "teacher_logits", "teacher": str(folder), "examples": n, "top_k": k,
          "shards": n_shards, "device": str(device), "output_dir": str(out_dir)})

    written = skipped = 0
    tokens = 0
    for s in range(n_shards):
        rows = [ds[i] for i in range(s * shard_size, min(n, (s + 1) * shard_size))]
        keys = [example_key(r["input_ids"]) for r in rows]
        path = out_dir / _shard_name(s)
        if _shard_complete(path, keys):
            skipped += 1
            continue
        ids_parts, lp_parts, pos_parts, meta, offset = [], [], [], [], 0
        for b in range(0, len(rows), batch_size):
            batch = rows[b : b + batch_size]
            width = max(len(r["input_ids"]) for r in batch)
            inp = torch.full((len(batch), width), int(tok.pad_token_id), dtype=torch.long)
            att = torch.zeros((len(batch), width), dtype=torch.long)
            for j, r in enumerate(batch):
                inp[j, : len(r["input_ids"])] = torch.tensor(r["input_ids"])
                att[j, : len(r["input_ids"])] = 1
            with torch.no_grad():
                logits = model(input_ids=inp.to(device), attention_mask=att.to(device), use_cache=False).logits
            for j, r in enumerate(batch):
                pos = trained_positions(r["labels"])
                lp = torch.log_softmax(logits[j, pos].float(), dim=-1)
                top = torch.topk(lp, k, dim=-1)
                ids_parts.append(top.indices.to(torch.int32).cpu())
                lp_parts.append(top.values.to(store_dtype).cpu())
                pos_parts.append(torch.tensor(pos, dtype=torch.int32))
                meta.append([keys[b + j], offset, len(pos)])
                offset += len(pos)
                tokens += len(pos)
        tensors = {"ids": torch.cat(ids_parts).contiguous(), "logprobs": torch.cat(lp_parts).contiguous(),
                   "positions": torch.cat(pos_parts).contiguous()}
        tmp = path.with_suffix(".tmp")
        save_file(tensors, str(tmp), metadata={"format": FORMAT, "examples": json.dumps(meta)})
        os.replace(tmp, path)
        written += 1
        emit({"event": "progress", "shard": s + 1, "shards": n_shards, "examples": min(n, (s + 1) * shard_size)})
    index["complete"] = True
    (out_dir / "index.json").write_text(json.dumps(index, indent=2))
    result = {"event": "done", "output_dir": str(out_dir), "examples": n, "shards_written": written,
              "shards_skipped": skipped, "tokens": tokens, "top_k": k}
    emit(result)
    return result


class TopKTeacherLogits:
    """Reads an OUT folder of :func:`compute_teacher_logits`; ``lookup(ids)`` → (positions, ids, logprobs)."""

    def __init__(self, folder: str | Path, tokenizer: Any = None, max_length: int | None = None, cache_shards: int = 8):
        self.folder = Path(folder).expanduser().resolve()
        index_file = self.folder / "index.json"
        if not index_file.is_file():
            raise WorkerError("invalid_config", f"{self.folder} has no index.json; compute the teacher logits first "
                                                "(python -m distillery_worker teacher-logits --teacher DIR --dataset DIR --top-k K --out DIR).")
        self.index = json.loads(index_file.read_text())
        if self.index.get("format") != FORMAT:
            raise WorkerError("invalid_config", f"{index_file} is not a Distillery teacher-logits index ({self.index.get('format')}).")
        if not self.index.get("complete"):
            raise WorkerError("invalid_config", f"The teacher logits in {self.folder} are incomplete; rerun the same teacher-logits command to finish them.")
        if tokenizer is not None and vocab_digest(tokenizer) != self.index.get("tokenizer_vocab_sha1"):
            raise WorkerError("tokenizer_mismatch", f"The teacher logits in {self.folder} were made with another tokenizer than the base model's; "
                                                    "distil from a teacher of the same family, or recompute them.")
        if max_length is not None and self.index.get("max_length") != max_length:
            raise WorkerError("invalid_config", f"The teacher logits in {self.folder} were computed at max length {self.index.get('max_length')} "
                                                f"but the run uses {max_length}; set the run's max length to {self.index.get('max_length')} "
                                                f"or rerun teacher-logits with --max-length {max_length}.")
        self.top_k = int(self.index["top_k"])
        self.where: dict[str, tuple[str, int, int]] = {}
        from safetensors import safe_open

        for name in self.index["shards"]:
            with safe_open(str(self.folder / name), framework="pt") as f:
                for key, offset, n in json.loads((f.metadata() or {})["examples"]):
                    self.where[key] = (name, int(offset), int(n))
        self._cache: dict[str, dict[str, Any]] = {}
        self._cache_shards = cache_shards

    def __len__(self) -> int:
        return len(self.where)

    def _shard(self, name: str) -> dict[str, Any]:
        if name not in self._cache:
            from safetensors.torch import load_file

            if len(self._cache) >= self._cache_shards:
                self._cache.pop(next(iter(self._cache)))
            self._cache[name] = load_file(str(self.folder / name))
        return self._cache[name]

    def lookup(self, ids: Any):
        key = example_key(ids)
        hit = self.where.get(key)
        if hit is None:
            raise WorkerError("invalid_config", f"No precomputed teacher logits for a training example in {self.folder}; "
                                                "they were computed for another dataset or tokenisation: rerun teacher-logits on this dataset.")
        name, offset, n = hit
        t = self._shard(name)
        sl = slice(offset, offset + n)
        return t["positions"][sl].long(), t["ids"][sl].long(), t["logprobs"][sl].float()


def cmd_teacher_logits(args) -> int:
    from distillery_worker.events import capture_stdout

    os.environ.setdefault("HF_HUB_OFFLINE", "1")
    os.environ.setdefault("TRANSFORMERS_OFFLINE", "1")
    os.environ.setdefault("TOKENIZERS_PARALLELISM", "false")
    emit = capture_stdout()
    try:
        from transformers.utils import logging as hf_logging

        hf_logging.disable_progress_bar()
        compute_teacher_logits(args.teacher, args.dataset, args.out, args.top_k, args.max_length, emit,
                               shard_size=args.shard_size, batch_size=args.batch_size, dtype=args.dtype)
        return 0
    except WorkerError as e:
        emit({"event": "error", "cause": e.cause, "message": e.message})
        return 1
    except Exception as e:  # noqa: BLE001
        from distillery_worker.errors import classify_error

        err = classify_error(e, {"gradient_checkpointing": True})
        emit({"event": "error", "cause": err.cause, "message": err.message})
        return 1


def add_subcommand(sub) -> None:
    """Registers ``teacher-logits`` on the worker's argparse subparsers (cli.py calls this)."""
    p = sub.add_parser("teacher-logits", help="precompute the teacher's top-k log-probabilities per trained token for KD; JSON-lines events")
    p.add_argument("--teacher", required=True, help="teacher model folder (same tokenizer as the student)")
    p.add_argument("--dataset", required=True, help="dataset folder or .jsonl of {\"messages\"} (as for train)")
    p.add_argument("--top-k", type=int, default=64, help="log-probabilities kept per token (default 64)")
    p.add_argument("--out", required=True, help="output folder (shards + index.json); rerun to resume")
    p.add_argument("--max-length", type=int, default=None, help="truncate like the run will (its max_length)")
    p.add_argument("--shard-size", type=int, default=64, help="examples per shard (default 64)")
    p.add_argument("--batch-size", type=int, default=4, help="examples per teacher forward pass (default 4)")
    p.add_argument("--dtype", default="float16", choices=["float16", "float32"], help="stored log-probability dtype")
    p.set_defaults(func=cmd_teacher_logits)
