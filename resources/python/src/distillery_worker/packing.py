"""Attention kernel and packing / padding-free decisions for a run.

Packing (TRL's best-fit-decreasing bins of whole examples up to ``max_length``) and padding-free batches
(the micro-batch flattened into one row with ``position_ids`` restarting at each example) only pay off,
and only stay exact without an O(s²) mask, with a varlen attention kernel that reads the example
boundaries: FlashAttention 2/3 (``flash-attn``) or PyTorch's flex attention on CUDA. Anywhere else the
flags are switched off and the run says so with a ``note`` event. The labels are ours either way
(:mod:`distillery_worker.data` builds the assistant-only mask); TRL's packer carries ``labels`` through
and the padding-free collator masks each example's first token, so the mask survives packing.
"""

from __future__ import annotations

import importlib.util
from dataclasses import dataclass, field
from typing import Any

from distillery_worker.errors import WorkerError

ATTENTION = ("auto", "sdpa", "eager", "flash_attention_2", "flash_attention_3", "flex_attention")
VARLEN = ("flash_attention_2", "flash_attention_3", "flex_attention")


@dataclass
class Kernels:
    """What this process can run: CUDA, its compute capability, and the attention packages present."""

    cuda: bool = False
    capability: tuple[int, int] = (0, 0)
    flash_attn: bool = False  # flash-attn 2 (package flash_attn)
    flash_attn_3: bool = False  # FlashAttention 3 (package flash_attn_interface, Hopper)

    @staticmethod
    def detect() -> Kernels:
        import torch

        cuda = bool(torch.cuda.is_available())
        cap = tuple(torch.cuda.get_device_capability(0)) if cuda else (0, 0)
        return Kernels(
            cuda=cuda,
            capability=(int(cap[0]), int(cap[1])),
            flash_attn=importlib.util.find_spec("flash_attn") is not None,
            flash_attn_3=importlib.util.find_spec("flash_attn_interface") is not None,
        )


@dataclass
class PackingPlan:
    attn_implementation: str
    packing: bool
    padding_free: bool
    notes: list[str] = field(default_factory=list)

    def sft_kwargs(self, max_length: int | None) -> dict[str, Any]:
        """SFTConfig fields: TRL needs max_length when packing (our rows are already truncated to it)."""
        out: dict[str, Any] = {"packing": self.packing, "padding_free": self.padding_free, "max_length": None}
        if self.packing:
            out["packing_strategy"] = "bfd"
            out["max_length"] = int(max_length) if max_length else None
        return out


def choose_attention(requested: str, k: Kernels) -> tuple[str, list[str]]:
    """The attention implementation to load the model with, and notes when the request cannot be met."""
    if requested not in ATTENTION:
        raise WorkerError("invalid_config", f'Unknown attn_implementation "{requested}"; use one of {", ".join(ATTENTION)}.')
    notes: list[str] = []
    fa3 = k.cuda and k.flash_attn_3 and k.capability[0] == 9
    fa2 = k.cuda and k.flash_attn and k.capability[0] >= 8
    if requested == "auto":
        return ("flash_attention_3" if fa3 else "flash_attention_2" if fa2 else "sdpa"), notes
    ok = {"flash_attention_3": fa3, "flash_attention_2": fa2, "flex_attention": k.cuda}.get(requested, True)
    if not ok:
        notes.append(f'attn_implementation "{requested}" needs a CUDA GPU with its kernel installed '
                     f"({'flash-attn' if requested.startswith('flash') else 'PyTorch flex attention'}); using sdpa.")
        return "sdpa", notes
    return requested, notes


def plan_packing(cfg: dict[str, Any], k: Kernels) -> PackingPlan:
    """Honours ``packing`` / ``padding_free`` only with a varlen kernel; otherwise switches them off with a note."""
    attn, notes = choose_attention(str(cfg.get("attn_implementation") or "auto"), k)
    want_packing = bool(cfg.get("packing"))
    want_free = bool(cfg.get("padding_free"))
    if not (want_packing or want_free):
        return PackingPlan(attn, False, False, notes)
    asked = " and ".join(n for n, w in (("packing", want_packing), ("padding-free batches", want_free)) if w)
    if attn not in VARLEN:
        where = "this machine has no CUDA GPU" if not k.cuda else "flash-attn is not installed"
        notes.append(f"{asked[0].upper()}{asked[1:]} need flash attention on a CUDA GPU and {where}; "
                     "they are off for this run, so each micro-batch is padded to its longest example.")
        return PackingPlan(attn, False, False, notes)
    # TRL's best-fit-decreasing packing is always padding-free (position_ids carry the boundaries)
    return PackingPlan(attn, want_packing, want_free or want_packing, notes)
