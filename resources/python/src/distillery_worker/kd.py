"""Knowledge distillation on TRL's SFTTrainer.

loss = α·CE(hard labels) + (1 − α)·T²·KL(teacher_T ‖ student_T), both averaged over the
assistant tokens only (labels != -100), with the temperature T annealed from T_start to T_end
over the run (linear or cosine). Teacher logits come from a frozen local teacher that must share
the student's tokenizer, either computed on the fly or precomputed as top-k log-probabilities
(:mod:`distillery_worker.teacher_logits`). With top-k, the teacher distribution at temperature T is
the top-k renormalised, q_i = softmax(log p_i / T) over the k ids, and the KL term runs over that
support against the student's full-vocabulary log-softmax at T gathered at those ids; with
k = vocabulary size it is exactly the on-the-fly loss.
"""

from __future__ import annotations

import math
from pathlib import Path
from typing import Any

from distillery_worker.errors import WorkerError


def temperature_at(step: int, total_steps: int, t_start: float, t_end: float, schedule: str = "linear") -> float:
    """The KD temperature at optimiser step ``step`` of ``total_steps`` (T_start at 0, T_end at the end)."""
    if total_steps <= 0:
        return float(t_end)
    progress = min(max(step / total_steps, 0.0), 1.0)
    if schedule == "cosine":
        return float(t_end + (t_start - t_end) * 0.5 * (1.0 + math.cos(math.pi * progress)))
    if schedule == "constant":
        return float(t_start)
    return float(t_start + (t_end - t_start) * progress)


def kd_loss(student_logits, teacher_logits, labels, alpha: float, temperature: float, num_items: Any = None):
    """(loss, ce, kl) for causal-LM logits [B, L, V] and labels [B, L] (-100 = ignored).

    Logits at position i predict token i + 1 (the usual shift). CE and KL are summed over the
    trained tokens and divided by ``num_items`` (the trained tokens of the whole accumulated
    batch, as Trainer passes it) or by this batch's trained-token count.
    """
    import torch
    import torch.nn.functional as F

    vocab = min(student_logits.size(-1), teacher_logits.size(-1))
    s = student_logits[:, :-1, :vocab].float()
    t = teacher_logits[:, :-1, :vocab].float()
    y = labels[:, 1:]
    mask = y != -100
    s, t, y = s[mask], t[mask], y[mask]
    denom = torch.as_tensor(num_items if num_items is not None else mask.sum(), device=s.device, dtype=torch.float32).clamp(min=1)
    ce = F.cross_entropy(s, y, reduction="sum") / denom
    log_ps = F.log_softmax(s / temperature, dim=-1)
    log_pt = F.log_softmax(t / temperature, dim=-1)
    kl = (log_pt.exp() * (log_pt - log_ps)).sum() / denom
    loss = alpha * ce + (1.0 - alpha) * temperature**2 * kl
    return loss, ce, kl


def kd_loss_topk(student_logits, labels, rows, teacher_ids, teacher_logprobs, alpha: float, temperature: float,
                 num_items: Any = None):
    """(loss, ce, kl) with precomputed top-k teacher log-probabilities.

    ``rows`` [N, 2] holds (batch index, position) of the N distilled positions (the next token is
    trained); ``teacher_ids`` / ``teacher_logprobs`` [N, K] are the teacher's top-k ids and their
    full-vocabulary log-probabilities at T = 1 for those positions, in the same order.
    """
    import torch
    import torch.nn.functional as F

    b, p = rows[:, 0], rows[:, 1]
    s = student_logits[b, p].float()
    y = labels[b, p + 1]
    n = rows.size(0)
    denom = torch.as_tensor(num_items if num_items is not None else n, device=s.device, dtype=torch.float32).clamp(min=1)
    ce = F.cross_entropy(s, y, reduction="sum") / denom
    log_ps = F.log_softmax(s / temperature, dim=-1).gather(-1, teacher_ids.to(s.device))
    log_q = F.log_softmax(teacher_logprobs.to(s.device).float() / temperature, dim=-1)
    kl = (log_q.exp() * (log_q - log_ps)).sum() / denom
    loss = alpha * ce + (1.0 - alpha) * temperature**2 * kl
    return loss, ce, kl


def batch_segments(inputs) -> list[tuple[int, int, int]]:
    """(batch index, start, length) of every example in a collated batch: padded rows, or padding-free
    rows where ``position_ids`` restart at 0 for each example."""
    ids = inputs["input_ids"]
    out: list[tuple[int, int, int]] = []
    if "attention_mask" in inputs and inputs["attention_mask"] is not None:
        for b, n in enumerate(inputs["attention_mask"].sum(-1).tolist()):
            out.append((b, 0, int(n)))
        return out
    pos = inputs.get("position_ids")
    if pos is None:
        return [(b, 0, ids.size(1)) for b in range(ids.size(0))]
    for b in range(ids.size(0)):
        starts = (pos[b] == 0).nonzero().flatten().tolist() + [ids.size(1)]
        for a, z in zip(starts, starts[1:]):
            out.append((b, a, z - a))
    return out


def gather_teacher(store, inputs):
    """rows [N, 2], ids [N, K], logprobs [N, K] of the batch from a :class:`TopKTeacherLogits` store."""
    import torch

    labels = inputs["labels"]
    ids = inputs["input_ids"]
    rows, t_ids, t_lp = [], [], []
    for b, start, length in batch_segments(inputs):
        seg_ids = ids[b, start : start + length].tolist()
        pos, top_ids, top_lp = store.lookup(seg_ids)
        want = [p for p in range(length - 1) if int(labels[b, start + p + 1]) != -100]
        got = pos.tolist()
        if got != want:
            # padding-free batches drop each example's first label; nothing else may differ
            if not set(want) <= set(got):
                raise WorkerError("invalid_config", f"The precomputed teacher logits in {store.folder} do not cover the trained tokens of an "
                                                    "example (another chat template or mask?); rerun teacher-logits on this dataset.")
            keep = torch.tensor([i for i, p in enumerate(got) if p in set(want)], dtype=torch.long)
            pos, top_ids, top_lp = pos[keep], top_ids[keep], top_lp[keep]
        rows.append(torch.stack([torch.full_like(pos, b), pos + start], dim=1))
        t_ids.append(top_ids)
        t_lp.append(top_lp)
    dev = ids.device
    return torch.cat(rows).to(dev), torch.cat(t_ids).to(dev), torch.cat(t_lp).to(dev)


def load_teacher(path: str | Path, student_tokenizer: Any, dtype: Any):
    from transformers import AutoModelForCausalLM, AutoTokenizer

    from distillery_worker.train import check_model_folder

    folder = check_model_folder(path, role="teacher model")
    teacher_tok = AutoTokenizer.from_pretrained(str(folder))
    if teacher_tok.get_vocab() != student_tokenizer.get_vocab():
        raise WorkerError(
            "tokenizer_mismatch",
            f"The teacher at {folder} uses a different tokenizer from the base model ({len(teacher_tok)} vs "
            f"{len(student_tokenizer)} tokens); distil from a teacher of the same family (same tokenizer), or use SFT on its traces.",
        )
    teacher = AutoModelForCausalLM.from_pretrained(str(folder), dtype=dtype)
    teacher.eval()
    for p in teacher.parameters():
        p.requires_grad_(False)
    return teacher


def _make_kd_trainer():
    import torch
    from trl import SFTTrainer

    class KDTrainer(SFTTrainer):
        def __init__(self, *args, teacher_model=None, teacher_logits=None, kd_alpha: float = 0.5, temperature_start: float = 4.0,
                     temperature_end: float = 1.0, temperature_schedule: str = "linear", **kwargs):
            super().__init__(*args, **kwargs)
            if (teacher_model is None) == (teacher_logits is None):
                raise WorkerError("invalid_config", "Knowledge distillation needs either a teacher model or precomputed teacher logits (one of them).")
            self.teacher_logits = teacher_logits
            self.kd_alpha = kd_alpha
            self.temperature_start = temperature_start
            self.temperature_end = temperature_end
            self.temperature_schedule = temperature_schedule
            self.teacher_model = teacher_model.to(self.args.device) if teacher_model is not None else None
            if self.teacher_model is not None:
                self.teacher_model.eval()

        def temperature_at(self, step: int | None = None) -> float:
            if step is None:
                step = self.state.global_step
            return temperature_at(step, self.state.max_steps, self.temperature_start, self.temperature_end,
                                  self.temperature_schedule)

        def compute_loss(self, model, inputs, return_outputs=False, num_items_in_batch=None):
            mode = "train" if self.model.training else "eval"
            labels = inputs["labels"]
            # everything the collator made except the labels (padding-free adds position_ids and varlen boundaries)
            model_inputs = {k: v for k, v in inputs.items() if k != "labels"}
            outputs = model(**model_inputs, use_cache=False)
            temp = self.temperature_at()
            n_items = num_items_in_batch if mode == "train" else None
            if self.teacher_logits is not None:
                rows, t_ids, t_lp = gather_teacher(self.teacher_logits, inputs)
                loss, ce, kl = kd_loss_topk(outputs.logits, labels, rows, t_ids, t_lp, self.kd_alpha, temp, n_items)
            else:
                with torch.no_grad():
                    teacher_logits = self.teacher_model(**model_inputs, use_cache=False).logits
                loss, ce, kl = kd_loss(outputs.logits, teacher_logits, labels, self.kd_alpha, temp, n_items)
            if self.args.average_tokens_across_devices and num_items_in_batch is not None and mode == "train":
                loss = loss * self.accelerator.num_processes
            m = self._metrics[mode]
            m["kd_temperature"].append(temp)
            m["kd_ce"].append(float(ce.detach()))
            m["kd_kl"].append(float(kl.detach()))
            if mode == "train":
                seen = inputs["attention_mask"].sum() if "attention_mask" in inputs else torch.tensor(inputs["input_ids"].numel(), device=labels.device)
                self._total_train_tokens += self.accelerator.gather_for_metrics(seen).sum().item()
            m["num_tokens"] = [self._total_train_tokens]
            return (loss, outputs) if return_outputs else loss

    return KDTrainer


def __getattr__(name: str):  # lazy: keep `import distillery_worker.kd` free of torch
    if name == "KDTrainer":
        cls = _make_kd_trainer()
        globals()["KDTrainer"] = cls
        return cls
    raise AttributeError(name)
