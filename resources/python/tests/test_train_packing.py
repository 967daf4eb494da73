"""Packing / padding-free: the decision (flash attention only), the note on CPU, and the assistant-only mask
carried through TRL's packer and padding-free collator, token by token."""

from __future__ import annotations

import pytest

from train_helpers import base_config, conversation, write_dataset


def test_packing_needs_a_varlen_kernel():
    from distillery_worker.errors import WorkerError
    from distillery_worker.packing import Kernels, plan_packing

    cpu = Kernels()
    p = plan_packing({"packing": True, "padding_free": True}, cpu)
    assert (p.attn_implementation, p.packing, p.padding_free) == ("sdpa", False, False)
    assert len(p.notes) == 1 and "no CUDA GPU" in p.notes[0] and p.notes[0].startswith("Packing and padding-free batches need flash attention")
    assert plan_packing({}, cpu).notes == []

    h100_plain = Kernels(cuda=True, capability=(9, 0))
    p = plan_packing({"padding_free": True}, h100_plain)
    assert not p.padding_free and "flash-attn is not installed" in p.notes[0]

    fa2 = Kernels(cuda=True, capability=(8, 0), flash_attn=True)
    p = plan_packing({"packing": True}, fa2)
    assert (p.attn_implementation, p.packing, p.padding_free, p.notes) == ("flash_attention_2", True, True, [])
    assert p.sft_kwargs(4096) == {"packing": True, "padding_free": True, "max_length": 4096, "packing_strategy": "bfd"}
    p = plan_packing({"padding_free": True}, fa2)
    assert (p.packing, p.padding_free) == (False, True) and p.sft_kwargs(4096)["max_length"] is None
    fa3 = Kernels(cuda=True, capability=(9, 0), flash_attn=True, flash_attn_3=True)
    assert plan_packing({"packing": True}, fa3).attn_implementation == "flash_attention_3"
    assert plan_packing({"packing": True, "attn_implementation": "flex_attention"}, h100_plain).packing is True

    p = plan_packing({"attn_implementation": "flash_attention_2", "packing": True}, cpu)
    assert p.attn_implementation == "sdpa" and not p.packing and len(p.notes) == 2
    with pytest.raises(WorkerError) as ei:
        plan_packing({"attn_implementation": "magic"}, cpu)
    assert ei.value.cause == "invalid_config"


def test_packing_on_cpu_is_switched_off_with_a_note(tiny_model_dir, tmp_path):
    from distillery_worker.events import ListEmitter
    from distillery_worker.train import run_training

    ds = write_dataset(tmp_path / "ds", n=4)
    emit = ListEmitter()
    res = run_training(base_config(tiny_model_dir, ds, tmp_path / "run", max_steps=1, packing=True, padding_free=True), emit)
    assert res["status"] == "done"
    notes = emit.of("note")
    assert len(notes) == 1 and "off for this run" in notes[0]["message"]
    start = emit.of("start")[0]
    assert (start["packing"], start["padding_free"], start["attn_implementation"]) == (False, False, "sdpa")
    assert res["trainer"].args.packing is False and res["trainer"].args.padding_free is False


def test_packed_batches_keep_the_assistant_mask_and_the_per_example_loss(tiny_model_dir, tmp_path):
    """TRL's bfd packer + padding-free collator over our tokenised rows (sdpa reads the example boundaries from
    position_ids here, exactly, with a block mask): every packed example keeps its labels, and the packed
    forward gives each trained token the same log-probability as the example alone."""
    import torch
    from transformers import AutoModelForCausalLM, AutoTokenizer
    from trl import SFTConfig, SFTTrainer

    from distillery_worker.data import build_dataset, tokenize_conversation

    tok = AutoTokenizer.from_pretrained(str(tiny_model_dir))
    convs = [conversation(a, b) for a, b in ((3, 4), (12, 30), (7, 8), (51, 9), (2, 2), (40, 41))]
    rows = [tokenize_conversation(tok, c) for c in convs]
    by_ids = {tuple(r["input_ids"]): r["labels"] for r in rows}
    model = AutoModelForCausalLM.from_pretrained(str(tiny_model_dir), attn_implementation="sdpa")
    args = SFTConfig(output_dir=str(tmp_path / "o"), use_cpu=True, bf16=False, report_to="none", per_device_train_batch_size=2,
                     packing=True, packing_strategy="bfd", max_length=3 * max(len(r["input_ids"]) for r in rows) // 2,
                     padding_free=True, dataloader_num_workers=0)
    trainer = SFTTrainer(model=model, args=args, train_dataset=build_dataset(tok, convs), processing_class=tok)
    seen = 0
    model.eval()
    for batch in trainer.get_train_dataloader():
        assert batch["input_ids"].size(0) == 1 and "attention_mask" not in batch  # flattened: padding-free
        ids, labels, pos = batch["input_ids"][0], batch["labels"][0], batch["position_ids"][0]
        starts = (pos == 0).nonzero().flatten().tolist() + [ids.numel()]
        with torch.no_grad():
            packed = torch.log_softmax(model(input_ids=batch["input_ids"], position_ids=batch["position_ids"]).logits[0], -1)
        for a, z in zip(starts, starts[1:]):
            seg = tuple(ids[a:z].tolist())
            want = by_ids[seg]  # each packed segment is one whole example
            got = labels[a:z].tolist()
            assert got[0] == -100 and got[1:] == want[1:], "assistant-only labels changed by packing"
            with torch.no_grad():
                alone = torch.log_softmax(model(input_ids=torch.tensor([seg])).logits[0], -1)
            for p in range(len(seg) - 1):
                if want[p + 1] != -100:
                    y = want[p + 1]
                    assert packed[a + p, y].item() == pytest.approx(alone[p, y].item(), abs=1e-4)
            seen += 1
    assert seen == len(rows)
