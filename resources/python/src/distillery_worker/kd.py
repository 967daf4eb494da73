"""Knowledge distillation on TRL's SFTTrainer.

loss = α·CE(hard labels) + (1 − α)·T²·KL(teacher_T ‖ student_T), both averaged over the
assistant tokens only (labels != -100), with the temperature T annealed from T_start to T_end
over the run (linear or cosine). Teacher logits are computed on the fly by a frozen local
teacher that must share the student's tokenizer. (Top-k teacher logits precomputed to disk are
not implemented yet.)
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
        def __init__(self, *args, teacher_model, kd_alpha: float = 0.5, temperature_start: float = 4.0,
                     temperature_end: float = 1.0, temperature_schedule: str = "linear", **kwargs):
            super().__init__(*args, **kwargs)
            self.kd_alpha = kd_alpha
            self.temperature_start = temperature_start
            self.temperature_end = temperature_end
            self.temperature_schedule = temperature_schedule
            self.teacher_model = teacher_model.to(self.args.device)
            self.teacher_model.eval()

        def temperature_at(self, step: int | None = None) -> float:
            if step is None:
                step = self.state.global_step
            return temperature_at(step, self.state.max_steps, self.temperature_start, self.temperature_end,
                                  self.temperature_schedule)

        def compute_loss(self, model, inputs, return_outputs=False, num_items_in_batch=None):
            mode = "train" if self.model.training else "eval"
            labels = inputs["labels"]
            model_inputs = {k: v for k, v in inputs.items() if k in ("input_ids", "attention_mask", "position_ids")}
            outputs = model(**model_inputs, use_cache=False)
            with torch.no_grad():
                teacher_logits = self.teacher_model(**model_inputs, use_cache=False).logits
            temp = self.temperature_at()
            loss, ce, kl = kd_loss(outputs.logits, teacher_logits, labels, self.kd_alpha, temp,
                                   num_items_in_batch if mode == "train" else None)
            if self.args.average_tokens_across_devices and num_items_in_batch is not None and mode == "train":
                loss = loss * self.accelerator.num_processes
            m = self._metrics[mode]
            m["kd_temperature"].append(temp)
            m["kd_ce"].append(float(ce.detach()))
            m["kd_kl"].append(float(kl.detach()))
            if mode == "train" and "attention_mask" in inputs:
                self._total_train_tokens += self.accelerator.gather_for_metrics(inputs["attention_mask"].sum()).sum().item()
            m["num_tokens"] = [self._total_train_tokens]
            return (loss, outputs) if return_outputs else loss

    return KDTrainer


def __getattr__(name: str):  # lazy: keep `import distillery_worker.kd` free of torch
    if name == "KDTrainer":
        cls = _make_kd_trainer()
        globals()["KDTrainer"] = cls
        return cls
    raise AttributeError(name)
