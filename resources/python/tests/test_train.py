"""Training worker: assistant-only mask, SFT, LoRA, resume, OOM classification, error causes."""

from __future__ import annotations

import pytest

from train_helpers import base_config, conversation, write_dataset


@pytest.fixture(scope="module")
def dataset(tmp_path_factory):
    return write_dataset(tmp_path_factory.mktemp("ds"), n=4)


def test_assistant_mask_token_by_token(tiny_model_dir):
    from transformers import AutoTokenizer

    from distillery_worker.data import tokenize_conversation

    tok = AutoTokenizer.from_pretrained(str(tiny_model_dir))
    msgs = conversation(12, 34) + [
        {"role": "user", "content": "And 1 + 1?"},
        {"role": "assistant", "content": "<think>\n1 + 1 = 2.\n</think>\n\n2"},
    ]
    r = tokenize_conversation(tok, msgs)
    ids, labels = r["input_ids"], r["labels"]
    assert len(ids) == len(labels)
    # Reference: mask by rendering prefixes and tokenising them (ChatML; special tokens split cleanly).
    trained = [i for i, lab in enumerate(labels) if lab != -100]
    for i in trained:
        assert labels[i] == ids[i]
    im_start, im_end = tok.convert_tokens_to_ids("<|im_start|>"), tok.convert_tokens_to_ids("<|im_end|>")
    n_assistant = sum(1 for m in msgs if m["role"] == "assistant")
    got = [lab != -100 for lab in labels]
    text_trained = tok.decode([ids[i] for i in trained])
    assert n_assistant == 2
    assert text_trained == (
        msgs[2]["content"] + "<|im_end|>" + msgs[4]["content"] + "<|im_end|>"
    )
    # Token by token: every token is trained iff it lies in an assistant turn's content or closes it.
    rendered_prompt_tokens = [tok.decode([ids[i]]) for i in range(len(ids)) if not got[i]]
    assert "<|im_start|>" in rendered_prompt_tokens and "user" in "".join(rendered_prompt_tokens)
    for i in range(len(ids)):
        if got[i]:
            # the token belongs to an assistant turn: the last <|im_start|> before it opens "assistant"
            last = max(j for j in range(i) if ids[j] == im_start)
            header = tok.decode(ids[last + 1 : last + 3])
            assert header.startswith("assistant"), (i, header)
            assert im_end not in ids[last + 1 : i]  # and the turn is not closed yet
        else:
            if ids[i] == im_end:
                last = max(j for j in range(i) if ids[j] == im_start)
                assert not tok.decode(ids[last + 1 : last + 3]).startswith("assistant")
    # first trained token is the first token of the assistant content, right after "assistant\n"
    first = trained[0]
    assert tok.decode(ids[first - 2 : first]).endswith("assistant\n")
    assert tok.decode(ids[: first]).endswith("<|im_start|>assistant\n")


def test_truncation_keeps_mask_aligned(tiny_model_dir):
    from transformers import AutoTokenizer

    from distillery_worker.data import build_dataset, tokenize_conversation

    tok = AutoTokenizer.from_pretrained(str(tiny_model_dir))
    full = tokenize_conversation(tok, conversation(5, 6))
    n_prompt = full["labels"].index(next(x for x in full["labels"] if x != -100))
    ds = build_dataset(tok, [conversation(5, 6)], max_length=n_prompt + 3)
    assert len(ds[0]["input_ids"]) == n_prompt + 3
    assert ds[0]["labels"] == full["labels"][: n_prompt + 3]


def test_sft_steps_lower_the_loss_on_a_fixed_batch(tiny_model_dir, dataset, tmp_path):
    from distillery_worker.events import ListEmitter
    from distillery_worker.train import run_training

    emit = ListEmitter()
    # 4 examples, micro-batch 4: every step sees the same batch
    res = run_training(base_config(tiny_model_dir, dataset, tmp_path / "run", max_steps=6, warmup_ratio=0.0), emit)
    assert res["status"] == "done"
    steps = emit.of("step")
    assert [e["step"] for e in steps] == list(range(1, 7))
    assert steps[-1]["loss"] < steps[0]["loss"] - 0.05
    start = emit.of("start")[0]
    assert start["dtype"] == "fp32" and start["device"] == "cpu"
    for e in steps:
        assert e["learning_rate"] is not None and e["grad_norm"] is not None
        assert e["tokens_per_sec"] and e["tokens_per_sec"] > 0
        assert e["mfu"] is None and e["gpu_memory_gib"] is None  # CPU
    assert emit.of("done")[0]["output_dir"] == str((tmp_path / "run").resolve())
    assert (tmp_path / "run" / "model.safetensors").is_file()


def test_presets_and_schedule(tiny_model_dir, dataset, tmp_path):
    from distillery_worker.train import PRESETS, resolve_config

    s1 = resolve_config({"preset": "s1", "base_model": "b", "dataset": "d", "output_dir": "o"})
    assert (s1["learning_rate"], s1["num_train_epochs"], s1["batch_size"], s1["weight_decay"], s1["warmup_ratio"]) == (1e-5, 5, 16, 1e-4, 0.05)
    assert (s1["adam_beta1"], s1["adam_beta2"], s1["lr_scheduler_type"]) == (0.9, 0.95, "cosine")
    lora = resolve_config({"preset": "lora", "base_model": "b", "dataset": "d", "output_dir": "o"})
    assert lora["lora"]["r"] == 16 and lora["lora"]["alpha"] == 32 and lora["lora"]["target_modules"] == "all-linear"
    assert PRESETS["fsdp"]["fsdp"] is True


def test_lora_run_completes(tiny_model_dir, dataset, tmp_path):
    from distillery_worker.events import ListEmitter
    from distillery_worker.train import run_training

    emit = ListEmitter()
    res = run_training(base_config(tiny_model_dir, dataset, tmp_path / "lora", method="lora", max_steps=2,
                                   gradient_checkpointing=True), emit)
    assert res["status"] == "done"
    start = emit.of("start")[0]
    assert 0 < start["trainable_params"] < start["params"]
    assert (tmp_path / "lora" / "adapter_config.json").is_file()
    assert (tmp_path / "lora" / "adapter_model.safetensors").is_file()


def test_checkpoint_then_resume_gives_the_same_next_step_loss(tiny_model_dir, tmp_path):
    from transformers import TrainerCallback

    from distillery_worker.events import ListEmitter
    from distillery_worker.train import StopFlag, run_training

    ds = write_dataset(tmp_path / "ds", n=8, seed=3)
    cfg = dict(max_steps=4, micro_batch_size=2, warmup_ratio=0.25)
    unbroken = ListEmitter()
    run_training(base_config(tiny_model_dir, ds, tmp_path / "a", **cfg), unbroken)

    stop = StopFlag()

    class StopAtTwo(TrainerCallback):
        def on_step_begin(self, args, state, control, **kwargs):
            if state.global_step == 1:
                stop.requested = True

    first = ListEmitter()
    res = run_training(base_config(tiny_model_dir, ds, tmp_path / "b", **cfg), first, stop=stop, extra_callbacks=[StopAtTwo()])
    assert res["status"] == "stopped" and res["global_step"] == 2
    assert first.of("checkpoint")[-1]["path"].endswith("checkpoint-2")
    assert first.of("stopped")

    second = ListEmitter()
    run_training(base_config(tiny_model_dir, ds, tmp_path / "b", resume=True, **cfg), second)
    assert second.of("start")[0]["resume_from"].endswith("checkpoint-2")
    a = {e["step"]: e["loss"] for e in unbroken.of("step")}
    b = {e["step"]: e["loss"] for e in second.of("step")}
    assert sorted(b) == [3, 4]
    assert b[3] == pytest.approx(a[3], rel=1e-5, abs=1e-6)
    assert b[4] == pytest.approx(a[4], rel=1e-5, abs=1e-6)


def test_out_of_memory_is_classified(tiny_model_dir, dataset, tmp_path):
    import torch

    from distillery_worker.errors import WorkerError
    from distillery_worker.events import ListEmitter
    from distillery_worker.train import run_training

    def hook(model):
        def raise_oom(module, inputs, output):
            raise torch.OutOfMemoryError("CUDA out of memory. Tried to allocate 20.00 GiB (GPU 0; 79.11 GiB total capacity)")

        model.model.layers[0].register_forward_hook(raise_oom)

    with pytest.raises(WorkerError) as ei:
        run_training(base_config(tiny_model_dir, dataset, tmp_path / "oom", max_steps=1), ListEmitter(), model_hook=hook)
    assert ei.value.cause == "out_of_memory"
    msg = ei.value.message
    assert "gradient checkpointing" in msg and "micro-batch from 4 to 2" in msg and "LoRA" in msg


def test_error_causes(tiny_model_dir, dataset, tmp_path):
    import torch

    from distillery_worker.errors import WorkerError
    from distillery_worker.events import ListEmitter
    from distillery_worker.train import run_training

    with pytest.raises(WorkerError) as ei:
        run_training(base_config(tmp_path / "nope", dataset, tmp_path / "x"), ListEmitter())
    assert ei.value.cause == "invalid_model_folder"
    (tmp_path / "empty").mkdir()
    with pytest.raises(WorkerError) as ei:
        run_training(base_config(tmp_path / "empty", dataset, tmp_path / "x"), ListEmitter())
    assert ei.value.cause == "invalid_model_folder" and "config.json" in ei.value.message
    if not torch.cuda.is_available():
        with pytest.raises(WorkerError) as ei:
            run_training(base_config(tiny_model_dir, dataset, tmp_path / "q", method="qlora"), ListEmitter())
        assert ei.value.cause == "no_cuda" and "LoRA" in ei.value.message
    bad = tmp_path / "bad"
    bad.mkdir()
    (bad / "train.jsonl").write_text('{"text": "no messages"}\n')
    with pytest.raises(WorkerError) as ei:
        run_training(base_config(tiny_model_dir, bad, tmp_path / "y"), ListEmitter())
    assert ei.value.cause == "invalid_dataset"


def test_disk_full_is_classified():
    import errno

    from distillery_worker.errors import classify_error

    err = classify_error(RuntimeError("save failed").with_traceback(None).__class__("x"))
    assert err.cause == "internal"
    try:
        try:
            raise OSError(errno.ENOSPC, "No space left on device")
        except OSError as inner:
            raise RuntimeError("could not save checkpoint") from inner
    except RuntimeError as e:
        assert classify_error(e).cause == "disk_full"
