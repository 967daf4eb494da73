"""KD from teacher logprobs captured while generating: the record format, the mapping of teacher token strings to the
student's vocabulary (exact, first sub-token, dropped), the alignment, and a 2-step KD run reading them.

The folders here are written by a small encoder of the record layout; the end-to-end test with the real writer (a
scripted server → `generate --logprobs` → the worker) is electron/core/train/kd-captured.test.ts."""

from __future__ import annotations

import hashlib
import json
import math
import re
import struct
import zlib
from pathlib import Path

import pytest

from train_helpers import base_config, conversation


def encode(tokens: list[tuple[bytes, float, list[tuple[bytes, float]]]], k: int) -> bytes:
    """The record layout of electron/core/teacher/logprobs.ts (u16 indexes, f16 logprobs)."""
    import numpy as np

    strings: list[bytes] = []
    idx: dict[bytes, int] = {}

    def sid(b: bytes) -> int:
        if b not in idx:
            idx[b] = len(strings)
            strings.append(b)
        return idx[b]

    rows = []
    for tok, lp, top in tokens:
        alt = [sid(b) for b, _ in top[:k]] + [0xFFFF] * (k - len(top[:k]))
        alp = [v for _, v in top[:k]] + [-math.inf] * (k - len(top[:k]))
        rows.append((sid(tok), lp, alt, alp))
    out = b"DLP1" + struct.pack("<IBBI", len(tokens), k, 2, len(strings))
    out += b"".join(struct.pack("<H", len(s)) + s for s in strings)
    for t, lp, alt, alp in rows:
        out += struct.pack("<H", t) + np.float16(lp).tobytes() + struct.pack(f"<{k}H", *alt) + np.array(alp, dtype="<f2").tobytes()
    return out


def write_captured(folder: Path, traces: list[tuple[str, str, list]], k: int, job: int = 1) -> Path:
    """A job folder: meta.json, one shard, index.jsonl (tkey = SHA-1 of thinking NUL answer)."""
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "meta.json").write_text(json.dumps({"format": "distillery-captured-logprobs-1", "job": job, "teacher": "t",
                                                  "model": "m", "top_k": k, "note": None}))
    off = 0
    lines = []
    with open(folder / "shard-00000.bin", "wb") as f:
        for i, (thinking, answer, toks) in enumerate(traces):
            rec = encode(toks, k)
            f.write(rec)
            tkey = hashlib.sha1(f"{thinking}\0{answer}".encode()).hexdigest()
            lines.append(json.dumps({"trace": i + 1, "q": i + 1, "s": 0, "shard": "shard-00000.bin", "off": off, "len": len(rec),
                                     "n": len(toks), "crc": zlib.crc32(rec), "tkey": tkey}))
            off += len(rec)
    (folder / "index.jsonl").write_text("\n".join(lines) + "\n" + '{"trace": 99, "torn')  # a torn last line is skipped
    return folder


def parts(conv) -> tuple[str, str]:
    m = re.match(r"^<think>\n(.*)\n</think>\n\n(.*)$", conv[-1]["content"], re.DOTALL)
    return m.group(1), m.group(2)


def student_tokens(tok, text: str) -> list[bytes]:
    """The student's own tokens of ``text`` as byte strings (the 'same vocabulary' case)."""
    enc = tok(text, add_special_tokens=False, return_offsets_mapping=True)
    return [text[s:e].encode() for s, e in enc["offset_mapping"]]


def words(_tok, text: str) -> list[bytes]:
    """A foreign tokenizer: whole words with their leading space (the tiny student splits numbers into digits)."""
    return [w.encode() for w in re.findall(r"\s?\S+|\s+", text)]


CONVS = [conversation(12, 30), conversation(7, 5), conversation(41, 58)]


@pytest.fixture(scope="module")
def tok(tiny_model_dir):
    from transformers import AutoTokenizer

    return AutoTokenizer.from_pretrained(str(tiny_model_dir))


def traces_with(tok, pieces) -> list[tuple[str, str, list]]:
    out = []
    for c in CONVS:
        thinking, answer = parts(c)
        toks = [(t, -0.25, [(t, -0.25), (b" the", -2.0), (b" therefore", -2.5), (b"\xff", -3.0)]) for t in pieces(tok, thinking + answer)]
        out.append((thinking, answer, toks))
    return out


def test_same_vocabulary_maps_exactly_and_aligns_every_teacher_token(tok, tmp_path):
    from distillery_worker.captured_logprobs import (
        CapturedTeacherLogits,
        decode_record,
        is_captured,
    )
    from distillery_worker.data import tokenize_conversation

    folder = write_captured(tmp_path / "cap" / "1", traces_with(tok, student_tokens), k=3)
    assert is_captured(tmp_path / "cap") and is_captured(folder) and not is_captured(tmp_path)
    _toks, lps, tops = decode_record((folder / "shard-00000.bin").read_bytes()[: json.loads((folder / "index.jsonl").read_text().split("\n")[0])["len"]])
    assert lps[0] == -0.25 and tops[0][1] == (b" the", -2.0)
    store = CapturedTeacherLogits(tmp_path / "cap", tok, CONVS, None)
    s = store.stats
    assert s["examples"] == 3 and s["examples_matched"] == 3 and s["captured_traces"] == 3
    assert s["alternatives_exact"] > 0 and s["alternatives_dropped"] == 0  # a byte-level student has every byte
    ex = tokenize_conversation(tok, CONVS[0])
    pos, ids, lp = store.lookup(ex["input_ids"])
    want = [p for p in range(len(ex["labels"]) - 1) if ex["labels"][p + 1] != -100]
    assert pos.tolist() == want and ids.shape == (len(want), 3)
    # where the teacher's distribution is used, its most likely id is the trained next token, at −0.25
    aligned = [i for i in range(len(want)) if lp[i, 0].item() != 0.0]
    assert len(aligned) >= len(student_tokens(tok, "".join(parts(CONVS[0])))) - 4  # the pieces' last tokens merge with the tags
    for i in aligned:
        assert ids[i, 0].item() == ex["labels"][want[i] + 1] and lp[i, 0].item() == pytest.approx(-0.25, abs=1e-3)
    # the template's own tokens (<think> tags, end of turn) get the one-hot target: the trace's own token at 0
    others = [i for i in range(len(want)) if i not in aligned]
    assert others and all(lp[i, 0].item() == 0.0 and lp[i, 1].item() < -1e3 for i in others)


def test_foreign_vocabulary_uses_the_first_sub_token_and_merges_duplicates(tok, tmp_path):
    from distillery_worker.captured_logprobs import CapturedTeacherLogits

    store = CapturedTeacherLogits(write_captured(tmp_path / "c", traces_with(tok, words), k=4), tok, CONVS, None)
    s = store.stats
    assert s["alternatives_approx"] > 0 and s["positions_aligned"] > 0
    assert s["positions_aligned"] < s["positions"]  # boundaries that differ train on their own token
    assert "first sub-token" in store.sentence()
    # " therefore" is no student token: its mass joins its first sub-token's, so no id appears twice in a row
    for _pos, ids, lp in store.where.values():
        for row, lps in zip(ids.tolist(), lp.tolist()):
            real = [i for i, v in zip(row, lps) if v > -1e3]
            assert len(real) == len(set(real))


def test_an_edited_example_matches_no_trace(tok, tmp_path):
    from distillery_worker.captured_logprobs import CapturedTeacherLogits

    edited = [dict(m) for m in CONVS[0]]
    edited[-1]["content"] = edited[-1]["content"].replace("The answer", "So the answer")
    store = CapturedTeacherLogits(write_captured(tmp_path / "c", traces_with(tok, student_tokens), k=2), tok, [edited], None)
    assert store.stats["examples_matched"] == 0 and store.stats["positions_aligned"] == 0


def test_kd_run_reads_captured_logprobs(tok, tiny_model_dir, tmp_path):
    from distillery_worker.events import ListEmitter
    from distillery_worker.train import run_training

    ds = tmp_path / "ds"
    ds.mkdir()
    (ds / "train.jsonl").write_text("".join(json.dumps({"messages": c}) + "\n" for c in CONVS))
    cap = write_captured(tmp_path / "logprobs" / "3", traces_with(tok, student_tokens), k=4, job=3)
    emit = ListEmitter()
    cfg = base_config(tiny_model_dir, ds, tmp_path / "run", method="kd", max_steps=2, micro_batch_size=3,
                      kd={"teacher_logits": str(cap.parent), "alpha": 0.5})
    res = run_training(cfg, emit)
    assert res["status"] == "done"
    steps = emit.of("step")
    assert [e["step"] for e in steps] == [1, 2]
    assert all(math.isfinite(e["loss"]) and math.isfinite(e["kd_kl"]) and e["kd_kl"] > 0 for e in steps)
    (info,) = emit.of("kd_captured")
    assert info["source"] == "captured" and info["examples_matched"] == 3
    run = json.loads((tmp_path / "run" / "distillery_run.json").read_text())
    assert run["kd_captured"]["positions_aligned"] == info["positions_aligned"] > 0
