"""``python -m distillery_worker gguf-import --gguf FILE.gguf --out DIR``: a GGUF file as a normal model folder.

The folder holds config.json, model.safetensors, tokenizer.json + tokenizer_config.json, chat_template.jinja
(from the GGUF metadata ``tokenizer.chat_template``) and generation_config.json, so that it serves as a local
teacher (``transformers serve``), a base model for training and a chat-template folder.

transformers reads GGUF (``from_pretrained(dir, gguf_file=...)``, dequantising every tensor) but refuses to
``save_pretrained`` what it read ("quantized with gguf and is not serializable"): we take the dequantised state
dict, rebuild the model from its config without ``quantization_config`` and save that.

dtype ("auto", the default): the widest float type the file's weight matrices are stored in. A quantised or F16
file becomes fp16: its values are fp16 scales times small integers, so fp16 keeps them to 2^-11 relative, far
below the quantisation error itself, at half fp32's size; a BF16 file stays bf16 (fp16 could overflow its
range); an F32 file stays fp32. ``--dtype fp16|bf16|fp32`` overrides it.
"""

from __future__ import annotations

import json
import os
import shutil
import tempfile
import time
from pathlib import Path
from typing import Any

from distillery_worker.errors import WorkerError
from distillery_worker.events import Emitter

DTYPES = ("auto", "fp16", "bf16", "fp32")
# GGUF architecture names transformers spells differently (modeling_gguf_pytorch_utils.load_gguf_checkpoint).
_ARCH_ALIASES = {"qwen2moe": "qwen2_moe", "qwen3moe": "qwen3_moe", "gpt-oss": "gpt_oss", "minimax-m2": "minimax_m2"}
# Not causal LMs: transformers reads them from GGUF, but they are no teacher or student here.
_NOT_CAUSAL = ("t5", "umt5", "t5encoder", "general", "tokenizer")  # the last two are metadata sections, not models
PROMPT = [{"role": "user", "content": "What is 12 + 30? Answer briefly."}]


def supported_architectures() -> list[str]:
    """The GGUF architectures transformers converts, as transformers itself lists them."""
    from transformers.modeling_gguf_pytorch_utils import GGUF_SUPPORTED_ARCHITECTURES

    archs = set(GGUF_SUPPORTED_ARCHITECTURES)
    try:  # transformers' newer GGUF loader (5.x) lists its own architectures too
        from transformers.integrations.gguf.utils import GGUF_ARCHS

        archs |= {_ARCH_ALIASES.get(a, a) for a in GGUF_ARCHS}
    except ImportError:
        pass
    return sorted(a for a in archs if a not in _NOT_CAUSAL)


def _field(reader, key: str) -> Any:
    f = reader.fields.get(key)
    if f is None:
        return None
    try:
        return f.contents()
    except Exception:  # noqa: BLE001 - an unreadable optional field is as good as a missing one
        return None


def read_metadata(gguf_file: str | Path) -> dict[str, Any]:
    """Architecture, name, chat template and the float types of the weight matrices (no tensor is read)."""
    from gguf import GGMLQuantizationType, GGUFReader

    path = Path(gguf_file).expanduser().resolve()
    if not path.is_file():
        raise WorkerError("invalid_model_folder", f"The GGUF file {path} does not exist; pass the path of a .gguf file.")
    try:
        reader = GGUFReader(str(path))
    except Exception as e:
        raise WorkerError("invalid_model_folder", f"{path} is not a readable GGUF file ({type(e).__name__}: {str(e)[:200]}); download it again.") from e
    matrix_types = {GGMLQuantizationType(t.tensor_type).name for t in reader.tensors if len(t.shape) >= 2}
    return {
        "path": str(path),
        "architecture": _field(reader, "general.architecture"),
        "name": _field(reader, "general.name"),
        "chat_template": _field(reader, "tokenizer.chat_template"),
        "bos_token_id": _field(reader, "tokenizer.ggml.bos_token_id"),
        "eos_token_id": _field(reader, "tokenizer.ggml.eos_token_id"),
        "matrix_types": sorted(matrix_types),
        "tensors": len(reader.tensors),
    }


def auto_dtype(matrix_types: list[str]) -> str:
    """See the module docstring: the widest float type among the weight matrices."""
    if "F32" in matrix_types:
        return "fp32"
    if "BF16" in matrix_types:
        return "bf16"
    return "fp16"


def check_architecture(meta: dict[str, Any]) -> str:
    arch = str(meta.get("architecture") or "")
    name = str(meta.get("name") or "").lower()
    hf_arch = "mistral" if arch == "llama" and "mistral" in name else _ARCH_ALIASES.get(arch, arch)
    supported = supported_architectures()
    if hf_arch not in supported:
        raise WorkerError(
            "invalid_model_folder",
            f"{meta['path']} holds a {arch or 'unnamed'!s} model, which transformers cannot convert from GGUF; "
            f"the architectures it can convert are {', '.join(supported)}.",
        )
    return hf_arch


def _torch_dtype(dtype: str):
    import torch

    return {"fp16": torch.float16, "bf16": torch.bfloat16, "fp32": torch.float32}[dtype]


def load_gguf(gguf_file: str | Path, dtype: str = "fp32"):
    """transformers' own reading of the GGUF (the reference the converted folder is checked against)."""
    from transformers import AutoModelForCausalLM, GgufConfig

    path = Path(gguf_file).expanduser().resolve()
    # dequantize=True: with the `kernels` package installed transformers would keep the blocks packed, and
    # neither a state dict of packed blocks nor their custom matmuls are what we convert or compare against.
    return AutoModelForCausalLM.from_pretrained(str(path.parent), gguf_file=path.name, dtype=_torch_dtype(dtype),
                                                quantization_config=GgufConfig(gguf_file=str(path), dequantize=True)).eval()


def _check_out(out: Path) -> None:
    if out.exists() and (not out.is_dir() or any(out.iterdir())):
        raise WorkerError("invalid_config", f"The output folder {out} already exists and is not empty; choose a new folder (nothing is overwritten).")


def import_gguf(gguf_file: str | Path, out_dir: str | Path, dtype: str = "auto", emit: Emitter | None = None) -> dict[str, Any]:
    """Converts ``gguf_file`` into the model folder ``out_dir``; returns {out, architecture, parameters, dtype, files, seconds}."""
    from transformers import AutoModelForCausalLM, AutoTokenizer
    from transformers.utils import logging as hf_logging

    t0 = time.perf_counter()
    if dtype not in DTYPES:
        raise WorkerError("invalid_config", f"--dtype {dtype!r} is not one of {', '.join(DTYPES)}.")
    out = Path(out_dir).expanduser().resolve()
    _check_out(out)  # before the metadata: reading a big GGUF's vocabulary takes seconds
    meta = read_metadata(gguf_file)
    arch = check_architecture(meta)
    chosen = auto_dtype(meta["matrix_types"]) if dtype == "auto" else dtype
    if emit:
        emit({"event": "gguf_import_started", "gguf": meta["path"], "architecture": arch, "dtype": chosen})
    hf_logging.disable_progress_bar()
    src = Path(meta["path"])
    loaded = load_gguf(src, chosen)
    config = loaded.config
    if hasattr(config, "quantization_config"):
        del config.quantization_config  # what makes save_pretrained refuse; the weights are plain tensors now
    # Rebuild from config + state dict: a fresh model has no gguf quantizer attached.
    model = AutoModelForCausalLM.from_config(config, dtype=_torch_dtype(chosen))
    missing, unexpected = model.load_state_dict(loaded.state_dict(), strict=False)
    missing = [k for k in missing if not (config.tie_word_embeddings and k == "lm_head.weight")]
    if missing or unexpected:
        raise WorkerError("internal", f"Converting {src.name} left weights unmatched (missing {missing[:3]}, unexpected {unexpected[:3]}); report the GGUF's architecture ({arch}).")
    model.tie_weights()
    model.generation_config = loaded.generation_config
    del loaded
    tokenizer = AutoTokenizer.from_pretrained(str(src.parent), gguf_file=src.name)
    if meta["chat_template"] and not tokenizer.chat_template:
        tokenizer.chat_template = meta["chat_template"]
    # Write beside the target and rename last: an interrupted import never leaves a half folder under its name.
    out.parent.mkdir(parents=True, exist_ok=True)
    tmp = Path(tempfile.mkdtemp(prefix=f".{out.name}.", dir=out.parent))
    umask = os.umask(0)
    os.umask(umask)
    os.chmod(tmp, 0o777 & ~umask)  # mkdtemp makes it private; the model folder is an ordinary folder
    try:
        model.save_pretrained(str(tmp), safe_serialization=True)
        tokenizer.save_pretrained(str(tmp))
        if tokenizer.chat_template and not (tmp / "chat_template.jinja").is_file():
            (tmp / "chat_template.jinja").write_text(tokenizer.chat_template, encoding="utf-8")
        if not (tmp / "generation_config.json").is_file():
            model.generation_config.save_pretrained(str(tmp))
        (tmp / "distillery_import.json").write_text(json.dumps({"source": str(src), "gguf_architecture": meta["architecture"],
                                                               "matrix_types": meta["matrix_types"], "dtype": chosen}, indent=2) + "\n")
        for f in tmp.iterdir():  # transformers writes the weights 0600; the folder is meant to be shared like any other
            os.chmod(f, 0o666 & ~umask)
        if out.exists():
            out.rmdir()  # empty (checked above)
        os.replace(tmp, out)
    except BaseException:
        shutil.rmtree(tmp, ignore_errors=True)
        raise
    result = {
        "out": str(out),
        "architecture": config.model_type,
        "parameters": sum(p.numel() for p in model.parameters()),
        "dtype": chosen,
        "files": sorted(p.name for p in out.iterdir()),
        "seconds": round(time.perf_counter() - t0, 2),
    }
    if emit:
        emit({"event": "gguf_imported", **result})
    return result


def prompt_ids(tokenizer) -> list[int]:
    """A fixed chat prompt (plain text when the tokenizer has no template) for logits checks."""
    try:
        text = tokenizer.apply_chat_template(PROMPT, tokenize=False, add_generation_prompt=True)
    except Exception:  # noqa: BLE001
        text = PROMPT[0]["content"]
    return tokenizer(text, add_special_tokens=False)["input_ids"][:64] or [0]


def logits_of(model, ids: list[int]):
    import torch

    with torch.no_grad():
        return model(torch.tensor([ids])).logits[0].float()


def compare_logits(a, b, ids: list[int]) -> dict[str, float]:
    """Largest absolute logit difference, the logit scale, and whether the greedy next tokens agree everywhere."""
    la, lb = logits_of(a, ids), logits_of(b, ids)
    return {
        "max_abs_diff": float((la - lb).abs().max()),
        "scale": float(la.abs().max()),
        "argmax_agreement": float((la.argmax(-1) == lb.argmax(-1)).float().mean()),
        "tokens": len(ids),
    }


def cmd_gguf_import(args) -> int:
    from distillery_worker.events import run_command

    return run_command("The GGUF import", lambda emit: import_gguf(args.gguf, args.out, dtype=args.dtype, emit=emit))


def add_subcommand(sub) -> None:
    """Registers ``gguf-import`` (no heavy import here)."""
    p = sub.add_parser("gguf-import", help="convert a GGUF file into a model folder (safetensors, tokenizer, chat template)")
    p.add_argument("--gguf", required=True, help="the .gguf file")
    p.add_argument("--out", required=True, help="new model folder to write (must not exist or be empty)")
    p.add_argument("--dtype", default="auto", choices=DTYPES, help="weights dtype (auto: fp16 for quantised/F16 files, bf16 for BF16, fp32 for F32)")
    p.set_defaults(func=cmd_gguf_import)
