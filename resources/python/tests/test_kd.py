"""Knowledge distillation: loss against a hand computation, temperature schedule, a full run."""

from __future__ import annotations

import math

import pytest

from train_helpers import base_config, perturbed_teacher, write_dataset


@pytest.fixture(scope="module")
def teacher_dir(tiny_model_dir, tmp_path_factory):
    """Same tokenizer as the tiny student, different (perturbed) weights."""
    return perturbed_teacher(tiny_model_dir, tmp_path_factory.mktemp("teacher"), seed=7)


@pytest.fixture(scope="module")
def dataset(tmp_path_factory):
    return write_dataset(tmp_path_factory.mktemp("kdds"), n=4)


def test_temperature_schedule():
    from distillery_worker.kd import temperature_at

    assert temperature_at(0, 10, 4.0, 1.0) == 4.0
    assert temperature_at(5, 10, 4.0, 1.0) == pytest.approx(2.5)
    assert temperature_at(10, 10, 4.0, 1.0) == 1.0
    assert temperature_at(20, 10, 4.0, 1.0) == 1.0
    assert temperature_at(0, 10, 4.0, 1.0, "cosine") == pytest.approx(4.0)
    assert temperature_at(5, 10, 4.0, 1.0, "cosine") == pytest.approx(2.5)
    assert temperature_at(2, 10, 4.0, 1.0, "cosine") == pytest.approx(1.0 + 3.0 * 0.5 * (1 + math.cos(math.pi * 0.2)))
    values = [temperature_at(s, 10, 4.0, 1.0) for s in range(11)]
    assert all(a > b for a, b in zip(values, values[1:]))


def _kd_config(tiny_model_dir, dataset, out, teacher, **over):
    return base_config(tiny_model_dir, dataset, out, method="kd",
                       kd={"teacher_model": str(teacher), "alpha": 0.3, "temperature_start": 3.0, "temperature_end": 1.0},
                       **over)


def test_kd_run_loss_and_temperature(tiny_model_dir, teacher_dir, dataset, tmp_path):
    import torch
    import torch.nn.functional as F

    from distillery_worker.events import ListEmitter
    from distillery_worker.kd import temperature_at
    from distillery_worker.train import run_training

    emit = ListEmitter()
    res = run_training(_kd_config(tiny_model_dir, dataset, tmp_path / "kd", teacher_dir, max_steps=3), emit)
    assert res["status"] == "done"
    steps = emit.of("step")
    assert [e["step"] for e in steps] == [1, 2, 3]
    # the temperature logged at step s was used for the update from s - 1 to s
    for e in steps:
        assert e["kd_temperature"] == pytest.approx(temperature_at(e["step"] - 1, 3, 3.0, 1.0))
    trainer = res["trainer"]
    assert trainer.temperature_at(0) == 3.0 and trainer.temperature_at(3) == 1.0

    # KD loss against a hand computation on one batch
    model = trainer.model
    model.eval()
    batch = next(iter(trainer.get_train_dataloader()))
    batch = {k: v.to(trainer.args.device) for k, v in batch.items()}
    with torch.no_grad():
        got = trainer.compute_loss(model, dict(batch)).item()
        s = model(input_ids=batch["input_ids"], attention_mask=batch["attention_mask"]).logits
        t = trainer.teacher_model(input_ids=batch["input_ids"], attention_mask=batch["attention_mask"]).logits
    T, alpha = trainer.temperature_at(), 0.3
    labels = batch["labels"][:, 1:]
    mask = labels != -100
    s2, t2 = s[:, :-1][mask], t[:, :-1][mask]
    ce = F.cross_entropy(s2, labels[mask])
    kl = F.kl_div(F.log_softmax(s2 / T, -1), F.log_softmax(t2 / T, -1), log_target=True, reduction="batchmean")
    want = alpha * ce + (1 - alpha) * T**2 * kl
    assert got == pytest.approx(want.item(), rel=1e-5)
    assert mask.sum() < mask.numel()  # prompt tokens were excluded


def test_teacher_with_another_tokenizer_is_refused(tiny_model_dir, dataset, tmp_path):
    from transformers import AutoTokenizer

    from distillery_worker.errors import WorkerError
    from distillery_worker.events import ListEmitter
    from distillery_worker.testing import build_tiny_model
    from distillery_worker.train import run_training

    other = build_tiny_model(tmp_path / "other", seed=5)
    if AutoTokenizer.from_pretrained(str(other)).get_vocab() == AutoTokenizer.from_pretrained(str(tiny_model_dir)).get_vocab():
        pytest.skip("seed 5 happened to train the same vocabulary")
    with pytest.raises(WorkerError) as ei:
        run_training(_kd_config(tiny_model_dir, dataset, tmp_path / "kd", other), ListEmitter())
    assert ei.value.cause == "tokenizer_mismatch"
