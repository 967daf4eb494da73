"""KD from precomputed top-k teacher logits: the `teacher-logits` command (a real child process), its shards,
resume, the loss against on-the-fly KD (K = vocabulary) and against a hand computation (small K)."""

from __future__ import annotations

import json
import math
import os
import subprocess
import sys

import pytest

from train_helpers import base_config, perturbed_teacher, write_dataset


@pytest.fixture(scope="module")
def teacher_dir(tiny_model_dir, tmp_path_factory):
    """Same tokenizer as the tiny student, perturbed weights."""
    return perturbed_teacher(tiny_model_dir, tmp_path_factory.mktemp("teacher"), seed=11)


@pytest.fixture(scope="module")
def dataset(tmp_path_factory):
    return write_dataset(tmp_path_factory.mktemp("topkds"), n=5, seed=4)


def run_cli(*args: str) -> list[dict]:
    env = {**os.environ, "OMP_NUM_THREADS": "1"}
    r = subprocess.run([sys.executable, "-m", "distillery_worker", "teacher-logits", *args], capture_output=True, text=True,
                       timeout=600, env=env, check=False)
    events = [json.loads(line) for line in r.stdout.splitlines() if line.strip()]  # stdout is JSON lines only
    assert r.returncode == (1 if events and events[-1]["event"] == "error" else 0), r.stderr[-2000:]
    return events


@pytest.fixture(scope="module")
def full_logits(teacher_dir, dataset, tmp_path_factory):
    """K = vocabulary size, float32: the whole teacher distribution on disk."""
    out = tmp_path_factory.mktemp("full")
    events = run_cli("--teacher", str(teacher_dir), "--dataset", str(dataset), "--top-k", "100000", "--out", str(out),
                     "--max-length", "96", "--shard-size", "2", "--dtype", "float32")
    assert events[-1]["event"] == "done", events
    return out


def in_process(teacher_dir, dataset, out, k: int, **kw) -> list[dict]:
    from distillery_worker.errors import WorkerError
    from distillery_worker.events import ListEmitter
    from distillery_worker.teacher_logits import compute_teacher_logits

    emit = ListEmitter()
    try:
        compute_teacher_logits(teacher_dir, dataset, out, k, kw.pop("max_length", 96), emit, **kw)
    except WorkerError as e:
        emit({"event": "error", "cause": e.cause, "message": e.message})
    return emit.events


@pytest.fixture(scope="module")
def fly(tiny_model_dir, dataset, tmp_path_factory, teacher_dir):
    """A trained-for-one-step KD trainer (on-the-fly teacher), one collated batch and the student logits."""
    import torch

    from distillery_worker.events import ListEmitter
    from distillery_worker.train import run_training

    tmp_path = tmp_path_factory.mktemp("fly")
    cfg = base_config(tiny_model_dir, dataset, tmp_path / "fly", method="kd", max_steps=1, micro_batch_size=5,
                      kd={"teacher_model": str(teacher_dir), "alpha": 0.4})
    trainer = run_training(cfg, ListEmitter())["trainer"]
    trainer.model.eval()
    batch = next(iter(trainer.get_train_dataloader()))
    with torch.no_grad():
        s = trainer.model(input_ids=batch["input_ids"], attention_mask=batch["attention_mask"]).logits
        t = trainer.teacher_model(input_ids=batch["input_ids"], attention_mask=batch["attention_mask"]).logits
    return trainer, batch, s, t


def test_shards_index_and_resume(full_logits, teacher_dir, dataset, tmp_path):
    from safetensors.torch import load_file
    from transformers import AutoTokenizer

    from distillery_worker.data import build_dataset, find_dataset_files, read_messages
    from distillery_worker.teacher_logits import TopKTeacherLogits, example_key, trained_positions

    vocab = json.loads((teacher_dir / "config.json").read_text())["vocab_size"]
    index = json.loads((full_logits / "index.json").read_text())
    assert index["complete"] and index["top_k"] == vocab and index["examples"] == 5 and len(index["shards"]) == 3
    tok = AutoTokenizer.from_pretrained(str(teacher_dir))
    ds = build_dataset(tok, read_messages(find_dataset_files(dataset)[0]), 96)
    store = TopKTeacherLogits(full_logits, tok, 96)
    assert len(store) == 5
    for row in ds:
        pos, ids, lp = store.lookup(row["input_ids"])
        assert pos.tolist() == trained_positions(row["labels"])
        assert ids.shape == (len(pos), vocab) and lp.shape == (len(pos), vocab)
        # a whole distribution per position, sorted by probability
        assert lp.exp().sum(-1).sub(1).abs().max() < 1e-4
        assert (lp[:, :-1] >= lp[:, 1:]).all()
    assert example_key(ds[0]["input_ids"]) in store.where

    # resume: a run that lost its last shard redoes only that one
    small = tmp_path / "small"
    first = in_process(teacher_dir, dataset, small, 4, shard_size=2)
    assert first[-1]["shards_written"] == 3
    before = {n: (small / n).stat().st_mtime_ns for n in ("shard-00000.safetensors", "shard-00001.safetensors")}
    kept = load_file(str(small / "shard-00000.safetensors"))
    (small / "shard-00002.safetensors").unlink()
    again = in_process(teacher_dir, dataset, small, 4, shard_size=2)
    assert again[-1]["event"] == "done" and again[-1]["shards_written"] == 1 and again[-1]["shards_skipped"] == 2
    assert {n: (small / n).stat().st_mtime_ns for n in before} == before
    assert (load_file(str(small / "shard-00000.safetensors"))["ids"] == kept["ids"]).all()
    assert kept["logprobs"].dtype.itemsize == 2  # float16 by default
    # other settings into the same folder are refused with a sentence
    bad = in_process(teacher_dir, dataset, small, 4, shard_size=2, max_length=64)
    assert bad[-1]["event"] == "error" and "other settings" in bad[-1]["message"]


def test_topk_with_k_equal_vocab_matches_on_the_fly_kd(full_logits, fly):
    from distillery_worker.kd import gather_teacher, kd_loss, kd_loss_topk
    from distillery_worker.teacher_logits import TopKTeacherLogits

    trainer, batch, s, t = fly
    store = TopKTeacherLogits(full_logits, trainer.processing_class, 96)
    rows, ids, lp = gather_teacher(store, batch)
    labels = batch["labels"]
    assert rows.size(0) == int((labels[:, 1:] != -100).sum())
    for temp in (1.0, 2.5):
        fly = kd_loss(s, t, labels, 0.4, temp)
        pre = kd_loss_topk(s, labels, rows, ids, lp, 0.4, temp)
        for a, b in zip(fly, pre):
            assert b.item() == pytest.approx(a.item(), rel=1e-4, abs=1e-6)
        assert pre[2].item() > 0


def test_topk_small_k_matches_a_hand_computation(fly, teacher_dir, dataset, tmp_path):
    import torch

    from distillery_worker.kd import gather_teacher, kd_loss_topk
    from distillery_worker.teacher_logits import TopKTeacherLogits

    out = tmp_path / "k3"
    assert in_process(teacher_dir, dataset, out, 3, dtype="float32")[-1]["event"] == "done"
    trainer, batch, s, t = fly
    store = TopKTeacherLogits(out, trainer.processing_class, 96)
    rows, ids, lp = gather_teacher(store, batch)
    alpha, temp = 0.4, 2.0
    loss, ce, kl = kd_loss_topk(s, batch["labels"], rows, ids, lp, alpha, temp)

    # by hand, token by token, from the teacher's own logits (not from the stored file)
    labels = batch["labels"].tolist()
    ce_sum = kl_sum = 0.0
    n = 0
    for b in range(len(labels)):
        for p in range(len(labels[b]) - 1):
            y = labels[b][p + 1]
            if y == -100:
                continue
            n += 1
            srow = s[b, p].double().tolist()
            trow = t[b, p].double()
            z = math.log(sum(math.exp(v) for v in srow))
            ce_sum += z - srow[y]
            t_lp = torch.log_softmax(trow, -1)
            top = sorted(range(len(srow)), key=lambda i: -float(t_lp[i]))[:3]
            w = [math.exp(float(t_lp[i]) / temp) for i in top]
            q = [x / sum(w) for x in w]
            zt = math.log(sum(math.exp(v / temp) for v in srow))
            kl_sum += sum(qi * (math.log(qi) - (srow[i] / temp - zt)) for qi, i in zip(q, top))
    want_ce, want_kl = ce_sum / n, kl_sum / n
    assert ce.item() == pytest.approx(want_ce, rel=1e-5)
    assert kl.item() == pytest.approx(want_kl, rel=1e-4)
    assert loss.item() == pytest.approx(alpha * want_ce + (1 - alpha) * temp**2 * want_kl, rel=1e-4)


def test_kd_run_from_precomputed_logits(full_logits, tiny_model_dir, dataset, tmp_path):
    from distillery_worker.errors import WorkerError
    from distillery_worker.events import ListEmitter
    from distillery_worker.train import run_training

    emit = ListEmitter()
    cfg = base_config(tiny_model_dir, dataset, tmp_path / "pre", method="kd", max_steps=2,
                      kd={"teacher_logits": str(full_logits), "alpha": 0.5, "temperature_start": 2.0, "temperature_end": 1.0})
    res = run_training(cfg, emit)
    assert res["status"] == "done"
    steps = emit.of("step")
    assert [e["step"] for e in steps] == [1, 2] and all(e["kd_kl"] > 0 for e in steps)
    assert steps[0]["kd_temperature"] == 2.0 and steps[1]["tokens_per_sec"] > 0
    assert res["trainer"].teacher_model is None  # no teacher in memory
    with pytest.raises(WorkerError) as ei:
        run_training({**cfg, "max_length": 64, "output_dir": str(tmp_path / "x")}, ListEmitter())
    assert ei.value.cause == "invalid_config" and "--max-length 64" in ei.value.message
