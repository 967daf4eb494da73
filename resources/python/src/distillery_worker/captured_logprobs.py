"""KD from the teacher's top-k logprobs captured while generating (``distillery generate --logprobs K``).

A captured folder (``PROJECT/artifacts/logprobs/<job>``, or ``artifacts/logprobs`` holding several jobs) has
``meta.json`` (format ``distillery-captured-logprobs-1``), ``index.jsonl`` (one line per trace: shard, offset,
length, CRC, ``tkey`` = SHA-1 of thinking + NUL + answer) and ``shard-*.bin`` records (the layout is written
by ``electron/core/teacher/logprobs.ts``: token byte strings, then per generated token its index, f16
logprob, k alternative indexes and k f16 logprobs).

:class:`CapturedTeacherLogits` turns them into what the top-k KD loss reads (``lookup(ids)`` → positions,
student ids, logprobs, as :class:`~distillery_worker.teacher_logits.TopKTeacherLogits`):

1. **Which trace**: an example's assistant turn ``<think>\\nTHINKING\\n</think>\\n\\nANSWER`` (Distillery's
   export) gives the ``tkey``; an example whose text was edited after generation matches no trace.
2. **Which position**: the thinking and the answer are found in the teacher's text (its tokens' bytes
   joined); a student token that covers exactly the characters of one teacher token (same start, same end)
   gets that teacher token's top-k as its target distribution (the distribution is for the *next* token, so it goes on the
   student position before it).
3. **Which ids** (teacher token strings → student vocabulary): exact where the student has a token with the
   very same bytes; otherwise (documented approximation) the string is re-tokenised with the student's
   tokenizer and the mass goes to its first sub-token; an alternative with no student token (undecodable
   bytes) is dropped; alternatives landing on the same id are merged (log-sum-exp). The kept ones are
   renormalised by the loss (softmax over the support).
4. **Gaps**: a trained position with no aligned teacher token (boundaries that differ, an edited or
   unmatched example) gets a one-hot target on the trace's own next token, i.e. plain cross-entropy there.

``stats`` counts all of it; the trainer emits them and writes them into ``distillery_run.json``.
"""

from __future__ import annotations

import hashlib
import json
import math
import re
import struct
import zlib
from pathlib import Path
from typing import Any

from distillery_worker.errors import WorkerError

FORMAT = "distillery-captured-logprobs-1"
THINK = re.compile(r"^<think>\n(.*)\n</think>\n\n(.*)$", re.DOTALL)
PAD_LP = -1.0e4


def _meta(d: Path) -> dict[str, Any] | None:
    try:
        m = json.loads((d / "meta.json").read_text(encoding="utf-8"))
        return m if isinstance(m, dict) and m.get("format") == FORMAT else None
    except (OSError, ValueError):
        return None


def job_folders(folder: str | Path) -> list[Path]:
    """The job folders of a captured folder (itself, or its sub-folders), oldest job first."""
    p = Path(folder).expanduser().resolve()
    if _meta(p):
        return [p]
    if not p.is_dir():
        return []
    subs = [d for d in p.iterdir() if d.is_dir() and _meta(d)]
    return sorted(subs, key=lambda d: int(_meta(d).get("job", 0)))


def is_captured(folder: str | Path) -> bool:
    return bool(job_folders(folder))


def read_index(d: Path) -> list[dict[str, Any]]:
    """The last index line per trace whose bytes are whole (a torn last line is skipped)."""
    f = d / "index.jsonl"
    if not f.is_file():
        return []
    last: dict[int, dict[str, Any]] = {}
    sizes: dict[str, int] = {}
    for line in f.read_text(encoding="utf-8").split("\n"):
        if not line:
            continue
        try:
            e = json.loads(line)
        except ValueError:
            continue
        size = sizes.setdefault(e["shard"], (d / e["shard"]).stat().st_size if (d / e["shard"]).is_file() else 0)
        if e["off"] + e["len"] <= size:
            last.pop(e["trace"], None)
            last[e["trace"]] = e
    return list(last.values())


def decode_record(buf: bytes) -> tuple[list[bytes], list[float], list[list[tuple[bytes, float]]]]:
    """(token bytes, token logprobs, top alternatives per token) of one record."""
    import numpy as np

    if buf[:4] != b"DLP1":
        raise WorkerError("invalid_config", "A captured logprob record has a bad header; the shard is damaged: generate again with --logprobs.")
    n, k, w, ns = struct.unpack_from("<IBBI", buf, 4)
    o = 14
    strings: list[bytes] = []
    for _ in range(ns):
        (ln,) = struct.unpack_from("<H", buf, o)
        strings.append(bytes(buf[o + 2 : o + 2 + ln]))
        o += 2 + ln
    it = "<u2" if w == 2 else "<u4"
    dt = np.dtype([("tok", it), ("lp", "<f2"), ("alt", it, (k,)), ("alp", "<f2", (k,))])
    rows = np.frombuffer(buf, dtype=dt, count=n, offset=o)
    none = 0xFFFF if w == 2 else 0xFFFFFFFF
    toks = [strings[int(t)] for t in rows["tok"]]
    lps = rows["lp"].astype("float32").tolist()
    tops = [[(strings[int(a)], float(v)) for a, v in zip(alt, alp) if int(a) != none] for alt, alp in zip(rows["alt"], rows["alp"])]
    return toks, lps, tops


def _bytes_to_unicode() -> dict[int, str]:
    bs = list(range(ord("!"), ord("~") + 1)) + list(range(ord("¡"), ord("¬") + 1)) + list(range(ord("®"), ord("ÿ") + 1))
    cs = bs[:]
    n = 0
    for b in range(256):
        if b not in bs:
            bs.append(b)
            cs.append(256 + n)
            n += 1
    return dict(zip(bs, (chr(c) for c in cs)))


def student_byte_vocab(tokenizer: Any) -> dict[bytes, int]:
    """Each student token's exact bytes → its id (byte-level BPE, SentencePiece ▁ and <0xNN> tokens)."""
    dec = {c: b for b, c in _bytes_to_unicode().items()}
    special = set(getattr(tokenizer, "all_special_tokens", []) or [])
    out: dict[bytes, int] = {}
    for tok, i in tokenizer.get_vocab().items():
        if tok in special:
            continue
        m = re.fullmatch(r"<0x([0-9A-Fa-f]{2})>", tok)
        if m:
            b = bytes([int(m.group(1), 16)])
        elif all(c in dec for c in tok):
            b = bytes(dec[c] for c in tok)
        else:
            b = tok.replace("\u2581", " ").encode("utf-8")
        out.setdefault(b, i)
    return out


def _logsumexp(a: float, b: float) -> float:
    m = max(a, b)
    return m + math.log(math.exp(a - m) + math.exp(b - m))


class _Mapper:
    """Teacher token bytes → student id, exact or approximate (first sub-token), cached; counts both."""

    def __init__(self, tokenizer: Any):
        self.tok = tokenizer
        self.vocab = student_byte_vocab(tokenizer)
        self.cache: dict[bytes, tuple[int | None, str]] = {}

    def __call__(self, b: bytes) -> tuple[int | None, str]:
        hit = self.cache.get(b)
        if hit is None:
            if b in self.vocab:
                hit = (self.vocab[b], "exact")
            else:
                try:
                    ids = self.tok.encode(b.decode("utf-8"), add_special_tokens=False)
                    hit = (int(ids[0]), "approx") if ids else (None, "dropped")
                except UnicodeDecodeError:
                    hit = (None, "dropped")
            self.cache[b] = hit
        return hit


class CapturedTeacherLogits:
    """Captured logprobs aligned to the student's tokenisation of ``conversations`` (see the module doc)."""

    def __init__(self, folder: str | Path, tokenizer: Any, conversations: list[list[dict[str, str]]], max_length: int | None):
        from distillery_worker.data import assistant_char_spans
        from distillery_worker.teacher_logits import example_key

        self.folder = Path(folder).expanduser().resolve()
        jobs = job_folders(self.folder)
        if not jobs:
            raise WorkerError("invalid_config", f"{self.folder} holds no captured logprobs (no meta.json of format {FORMAT}); "
                                                "generate with --logprobs K first, or pass a folder from teacher-logits.")
        self.top_k = max(int(_meta(j)["top_k"]) for j in jobs)
        by_key: dict[str, tuple[Path, dict[str, Any]]] = {}
        for j in jobs:
            for e in read_index(j):
                by_key[e["tkey"]] = (j, e)
        self.mapper = _Mapper(tokenizer)
        self.stats = {"source": "captured", "folder": str(self.folder), "jobs": len(jobs), "captured_traces": len(by_key),
                      "top_k": self.top_k, "examples": 0, "examples_matched": 0, "positions": 0, "positions_aligned": 0,
                      "alternatives_exact": 0, "alternatives_approx": 0, "alternatives_dropped": 0}
        self.where: dict[str, tuple[Any, Any, Any]] = {}
        for msgs in conversations:
            text, spans = assistant_char_spans(tokenizer, msgs)
            enc = tokenizer(text, add_special_tokens=False, return_offsets_mapping=True)
            ids = list(enc["input_ids"])
            offsets = [tuple(o) for o in enc["offset_mapping"]]
            labels = [i if e > s and any(a <= s < z for a, z in spans) else -100 for i, (s, e) in zip(ids, offsets)]
            if max_length:
                ids, labels, offsets = ids[:max_length], labels[:max_length], offsets[:max_length]
            if all(x == -100 for x in labels):
                continue
            self.stats["examples"] += 1
            teacher = self._teacher_of(msgs, text, by_key)
            self.where[example_key(ids)] = self._targets(ids, labels, offsets, teacher)

    def _teacher_of(self, msgs, text: str, by_key) -> dict[str, Any] | None:
        """Char maps between this example's rendered text and its trace's captured tokens, or None."""
        content = next((m["content"] for m in reversed(msgs) if m["role"] == "assistant"), None)
        if content is None:
            return None
        m = THINK.match(content)
        thinking, answer = (m.group(1), m.group(2)) if m else ("", content)
        key = hashlib.sha1(f"{thinking}\0{answer}".encode()).hexdigest()
        hit = by_key.get(key)
        if hit is None:
            return None
        job, e = hit
        with open(job / e["shard"], "rb") as f:
            f.seek(e["off"])
            buf = f.read(e["len"])
        if zlib.crc32(buf) != e["crc"]:
            raise WorkerError("invalid_config", f"The captured logprobs of trace {e['trace']} in {job / e['shard']} are damaged (CRC mismatch); generate again with --logprobs.")
        toks, _, tops = decode_record(buf)
        # character start of every teacher token (tokens that start inside a UTF-8 character have none)
        starts: dict[int, int] = {}
        ends: dict[int, int | None] = {}
        joined = b"".join(toks)
        char_at = _char_index(joined)
        pos = 0
        for j, t in enumerate(toks):
            c = char_at.get(pos)
            if c is not None and t:
                starts.setdefault(c, j)
                ends[j] = char_at.get(pos + len(t))
            pos += len(t)
        tt = joined.decode("utf-8", errors="replace")
        a0 = text.rfind(content)
        parts = []  # (start in the rendered text, start in the teacher text, length)
        cursor = 0
        for piece, off in ((thinking, 8), (answer, (8 + len(thinking) + 11) if m else 0)):
            if not piece:
                continue
            at = tt.find(piece, cursor)
            if at >= 0 and a0 >= 0:
                parts.append((a0 + off, at, len(piece)))
                cursor = at + len(piece)
        self.stats["examples_matched"] += 1
        return {"starts": starts, "ends": ends, "tops": tops, "parts": parts}

    def _targets(self, ids, labels, offsets, teacher):
        import torch

        k = self.top_k
        positions, out_ids, out_lp = [], [], []
        for p in range(len(ids) - 1):
            y = labels[p + 1]
            if y == -100:
                continue
            self.stats["positions"] += 1
            dist = self._dist(offsets[p + 1], teacher) if teacher else None
            if not dist:
                dist = [(int(y), 0.0)]
            else:
                self.stats["positions_aligned"] += 1
            dist = dist[:k] + [(int(y), PAD_LP)] * (k - len(dist[:k]))
            positions.append(p)
            out_ids.append([i for i, _ in dist])
            out_lp.append([v for _, v in dist])
        return (torch.tensor(positions, dtype=torch.long), torch.tensor(out_ids, dtype=torch.long).reshape(-1, k),
                torch.tensor(out_lp, dtype=torch.float32).reshape(-1, k))

    def _dist(self, span: tuple[int, int], teacher) -> list[tuple[int, float]] | None:
        """The teacher's top-k in student ids for the student token at ``span``: only where a teacher token covers
        exactly the same characters (same start and end), so that its alternatives compete with this very token."""
        char, end = span
        for r0, t0, n in teacher["parts"]:
            if r0 <= char < r0 + n:
                j = teacher["starts"].get(t0 + char - r0)
                break
        else:
            return None
        if j is None or teacher["ends"].get(j) != t0 + end - r0:
            return None
        merged: dict[int, float] = {}
        for b, lp in teacher["tops"][j]:
            if not math.isfinite(lp):
                continue
            sid, how = self.mapper(b)
            self.stats[f"alternatives_{how}"] += 1
            if sid is not None:
                merged[sid] = _logsumexp(merged[sid], lp) if sid in merged else lp
        return sorted(merged.items(), key=lambda x: -x[1]) or None

    def __len__(self) -> int:
        return len(self.where)

    def lookup(self, ids: Any):
        from distillery_worker.teacher_logits import example_key

        hit = self.where.get(example_key(ids))
        if hit is None:
            raise WorkerError("invalid_config", f"A training example was not prepared from the captured logprobs in {self.folder}; "
                                                "the dataset changed after the run started: start the run again.")
        return hit

    def sentence(self) -> str:
        s = self.stats
        alts = s["alternatives_exact"] + s["alternatives_approx"] + s["alternatives_dropped"]
        return (f"KD from captured teacher logprobs ({s['folder']}, top-{s['top_k']}): {s['examples_matched']} of {s['examples']} examples "
                f"matched a captured trace; {s['positions_aligned']} of {s['positions']} trained tokens have the teacher's distribution "
                f"(the rest train on their own token); of {alts} alternatives {s['alternatives_exact']} map exactly to the student's "
                f"vocabulary, {s['alternatives_approx']} by their first sub-token, {s['alternatives_dropped']} were dropped.")


def _char_index(b: bytes) -> dict[int, int]:
    """Byte offset → character offset, at every character start of ``b`` (UTF-8; invalid bytes count one each)."""
    out: dict[int, int] = {}
    i = c = 0
    n = len(b)
    while i < n:
        out[i] = c
        x = b[i]
        ln = 1 if x < 0x80 else 2 if x >> 5 == 0b110 else 3 if x >> 4 == 0b1110 else 4 if x >> 3 == 0b11110 else 1
        try:
            b[i : i + ln].decode("utf-8")
        except UnicodeDecodeError:
            ln = 1
        i += ln
        c += 1
    out[n] = c
    return out
