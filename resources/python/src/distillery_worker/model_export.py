"""``python -m distillery_worker model-export --source DIR --format merged|gguf|onnx --out DIR [--quant ...]``.

``--source`` is a run's output folder (a LoRA adapter or a full model, as ``train`` leaves it) or any model folder.

- merged: a self-contained transformers folder (a LoRA adapter merged into its base), see :mod:`export`.
- gguf: llama.cpp's own converter (``convert_hf_to_gguf.py``, set up by ``node scripts/llama-converter.mjs``) on the
  merged weights, writing ``<name>-<quant>.gguf`` and an Ollama ``Modelfile``. f16 and q8_0 come from the converter;
  q4_k_m needs llama.cpp's ``llama-quantize`` binary (on PATH or ``$LLAMA_QUANTIZE``) and is refused without it.
  The GGUF is checked by reading it back with transformers (what ``gguf-import`` does): its logits on a fixed
  prompt must stay within a tolerance of the source model's.
- onnx: the merged folder plus onnx/model.onnx for the in-app engine (:mod:`onnx_export`, checked against torch).

The output folder is written beside its final name and renamed last; an existing non-empty folder is refused.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

from distillery_worker.errors import WorkerError
from distillery_worker.events import Emitter

FORMATS = ("merged", "gguf", "onnx")
QUANTS = ("q8_0", "f16", "q4_k_m")
LLAMA_CPP_PYTHON = "0.3.36"  # keep equal to scripts/llama-converter.mjs
# Largest logit difference allowed between the GGUF (read back) and the source, as a fraction of the logit scale.
# Measured: f16 3e-4 of 1.3, q8_0 8.6e-3 of 1.3 on the tiny test model; q4_k_m is lossy by design (reported only).
TOLERANCE = {"f16": 0.01, "q8_0": 0.05}


def converter_dir() -> Path:
    env = os.environ.get("DISTILLERY_LLAMA_CONVERTER")
    if env:
        return Path(env).expanduser().resolve()
    cache = Path(os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache")
    return cache / "distillery" / "llama-converter" / LLAMA_CPP_PYTHON


def _converter() -> Path:
    d = converter_dir()
    if not (d / "convert_hf_to_gguf.py").is_file():
        raise WorkerError(
            "missing_dependency",
            f"llama.cpp's GGUF converter is not set up in {d}; run `node scripts/llama-converter.mjs` once "
            f"(it fetches llama-cpp-python=={LLAMA_CPP_PYTHON}'s source from PyPI; offline: add --sdist FILE).",
        )
    return d


def _llama_quantize() -> str | None:
    return os.environ.get("LLAMA_QUANTIZE") or shutil.which("llama-quantize")


def is_lora(source: Path) -> bool:
    return (source / "adapter_config.json").is_file()


def _new_out(out: Path) -> Path:
    if out.exists() and (not out.is_dir() or any(out.iterdir())):
        raise WorkerError("invalid_config", f"The output folder {out} already exists and is not empty; choose a new folder (nothing is overwritten).")
    out.parent.mkdir(parents=True, exist_ok=True)
    tmp = Path(tempfile.mkdtemp(prefix=f".{out.name}.", dir=out.parent))
    umask = os.umask(0)
    os.umask(umask)
    os.chmod(tmp, 0o777 & ~umask)
    return tmp


def _finish(tmp: Path, out: Path) -> None:
    if out.exists():
        out.rmdir()
    os.replace(tmp, out)


def _merged_folder(source: Path, dest: Path, emit: Emitter | None, onnx: bool = False) -> Path:
    from distillery_worker.export import export_run

    return export_run(source, dest, merge_lora=is_lora(source), emit=emit, onnx=onnx)


def run_converter(model_dir: Path, gguf_file: Path, outtype: str) -> None:
    conv = _converter()
    env = dict(os.environ)
    env["PYTHONPATH"] = os.pathsep.join([str(conv / "site"), env.get("PYTHONPATH", "")]).rstrip(os.pathsep)
    env.pop("NO_LOCAL_GGUF", None)  # the converter must use its own vendored gguf-py
    cmd = [sys.executable, str(conv / "convert_hf_to_gguf.py"), str(model_dir), "--outfile", str(gguf_file), "--outtype", outtype]
    r = subprocess.run(cmd, env=env, check=False, capture_output=True, text=True)
    sys.stderr.write(r.stderr[-20000:])
    if r.returncode != 0:
        lines = [ln for ln in r.stderr.strip().splitlines() if ln.strip()]
        last = lines[-1] if lines else f"exit code {r.returncode}"
        if "pre-tokenizer was not recognized" in r.stderr:
            raise WorkerError("invalid_model_folder", f"llama.cpp's converter does not know the tokenizer of {model_dir} (its pre-tokenizer hash is not in convert_hf_to_gguf.py); export ONNX or merged instead, or use a newer converter (DISTILLERY_LLAMA_CONVERTER).")
        if "not supported" in last or "NotImplementedError" in last:
            raise WorkerError("invalid_model_folder", f"llama.cpp's converter cannot convert {model_dir}: {last[:300]}")
        raise WorkerError("internal", f"llama.cpp's converter failed on {model_dir}: {last[:300]}")


def _quantize(f16_file: Path, out_file: Path, quant: str) -> None:
    exe = _llama_quantize()
    assert exe
    r = subprocess.run([exe, str(f16_file), str(out_file), quant.upper()], check=False, capture_output=True, text=True)
    sys.stderr.write(r.stderr[-20000:])
    if r.returncode != 0:
        raise WorkerError("internal", f"{exe} failed to quantise {f16_file.name} to {quant}: {(r.stderr.strip().splitlines() or ['?'])[-1][:300]}")


# ---------- Ollama Modelfile ----------

CHATML_TEMPLATE = """{{- if .System }}<|im_start|>system
{{ .System }}<|im_end|>
{{ end }}{{- range .Messages }}<|im_start|>{{ .Role }}
{{ .Content }}<|im_end|>
{{ end }}<|im_start|>assistant
"""


def _stop_tokens(model_dir: Path) -> list[str]:
    from transformers import AutoTokenizer

    tok = AutoTokenizer.from_pretrained(str(model_dir))
    ids: list[int] = []
    gen = model_dir / "generation_config.json"
    if gen.is_file():
        e = json.loads(gen.read_text(encoding="utf-8")).get("eos_token_id")
        ids += e if isinstance(e, list) else [e] if isinstance(e, int) else []
    if tok.eos_token_id is not None:
        ids.append(tok.eos_token_id)
    stops = [tok.convert_ids_to_tokens(i) for i in dict.fromkeys(ids)]
    return [s for s in stops if s]


def modelfile(gguf_name: str, model_dir: Path) -> str:
    """An Ollama Modelfile: ChatML templates are translated to Ollama's TEMPLATE, others keep the GGUF's own."""
    tpl_file = model_dir / "chat_template.jinja"
    template = tpl_file.read_text(encoding="utf-8") if tpl_file.is_file() else ""
    stops = _stop_tokens(model_dir)
    lines = ["# Ollama Modelfile written by Distillery: `ollama create NAME -f Modelfile` in this folder.", f"FROM ./{gguf_name}", ""]
    if "<|im_start|>" in template and "<|im_end|>" in template:
        if "<|im_end|>" not in stops:
            stops.append("<|im_end|>")
        lines += [
            "# The chat template (chat_template.jinja) is ChatML; this is its Ollama form. A default system prompt",
            "# the Jinja template adds when none is given, and tool calls, are not translated: set SYSTEM if you need it.",
            f'TEMPLATE """{CHATML_TEMPLATE}"""',
            "",
        ]
    else:
        lines += [
            "# The chat template is not ChatML and cannot be translated exactly to Ollama's Go template; Ollama",
            "# reads the Jinja template stored in the GGUF (tokenizer.chat_template) and picks its own TEMPLATE.",
            "# Only the stop tokens below are set from the model.",
            "",
        ]
    lines += [f'PARAMETER stop "{s}"' for s in stops]
    return "\n".join(lines) + "\n"


# ---------- check ----------

def check_gguf(source_model_dir: Path, gguf_file: Path, quant: str) -> dict[str, Any]:
    """Reads the GGUF back with transformers (as gguf-import does) and compares logits with the source folder."""
    import torch
    from transformers import AutoModelForCausalLM, AutoTokenizer

    from distillery_worker.gguf_import import compare_logits, load_gguf, prompt_ids

    src = AutoModelForCausalLM.from_pretrained(str(source_model_dir), dtype=torch.float32).eval()
    ids = prompt_ids(AutoTokenizer.from_pretrained(str(source_model_dir)))
    cmp = compare_logits(src, load_gguf(gguf_file, "fp32"), ids)
    frac = TOLERANCE.get(quant)
    cmp["tolerance"] = None if frac is None else frac * cmp["scale"] + 1e-3
    if frac is not None and not cmp["max_abs_diff"] <= cmp["tolerance"]:
        raise WorkerError(
            "internal",
            f"The {quant} GGUF does not reproduce the model's logits (largest difference {cmp['max_abs_diff']:.3g}, "
            f"allowed {cmp['tolerance']:.3g}), so it was not kept; try --quant f16 and report the model's config.json.",
        )
    return cmp


# ---------- export ----------

def export_model(source_dir: str | Path, out_dir: str | Path, fmt: str, quant: str = "q8_0",
                 emit: Emitter | None = None, verify: bool = True) -> dict[str, Any]:
    """Writes ``out_dir`` in ``fmt``; returns {out, format, quant, files, seconds, check}."""
    t0 = time.perf_counter()
    source = Path(source_dir).expanduser().resolve()
    out = Path(out_dir).expanduser().resolve()
    if fmt not in FORMATS:
        raise WorkerError("invalid_config", f"--format {fmt!r} is not one of {', '.join(FORMATS)}.")
    if fmt == "gguf" and quant not in QUANTS:
        raise WorkerError("invalid_config", f"--quant {quant!r} is not one of {', '.join(QUANTS)}.")
    if not source.is_dir() or not (is_lora(source) or (source / "config.json").is_file()):
        raise WorkerError("invalid_model_folder", f"{source} holds neither a model (config.json) nor a LoRA adapter (adapter_config.json); pass a finished run's output folder or a model folder.")
    if fmt == "gguf":
        _converter()  # refuse before any work
        if quant == "q4_k_m" and not _llama_quantize():
            raise WorkerError("missing_dependency", "q4_k_m needs llama.cpp's llama-quantize binary, which is not on PATH; install llama.cpp (e.g. `brew install llama.cpp` or a release from github.com/ggml-org/llama.cpp) or set LLAMA_QUANTIZE, or export with --quant q8_0.")
    tmp = _new_out(out)
    check: dict[str, Any] | None = None
    try:
        if fmt in ("merged", "onnx"):
            _merged_folder(source, tmp, emit, onnx=fmt == "onnx")
        else:
            work = Path(tempfile.mkdtemp(prefix=".merged.", dir=tmp.parent))
            try:
                hf_dir = source
                if is_lora(source) or not any(source.glob("*.safetensors")):
                    hf_dir = _merged_folder(source, work / "merged", emit)
                name = (source.parent.name if source.name == "output" else source.name) or "model"
                gguf_file = tmp / f"{name}-{quant}.gguf"
                if emit:
                    emit({"event": "gguf_convert_started", "source": str(hf_dir), "quant": quant})
                if quant == "q4_k_m":
                    f16 = work / "f16.gguf"
                    run_converter(hf_dir, f16, "f16")
                    _quantize(f16, gguf_file, quant)
                else:
                    run_converter(hf_dir, gguf_file, quant)
                if verify:
                    check = check_gguf(hf_dir, gguf_file, quant)
                (tmp / "Modelfile").write_text(modelfile(gguf_file.name, hf_dir), encoding="utf-8")
                for f in ("chat_template.jinja",):
                    if (hf_dir / f).is_file():
                        shutil.copy2(hf_dir / f, tmp / f)
            finally:
                shutil.rmtree(work, ignore_errors=True)
        _finish(tmp, out)
    except BaseException:
        shutil.rmtree(tmp, ignore_errors=True)
        raise
    result = {"out": str(out), "format": fmt, "quant": quant if fmt == "gguf" else None, "lora": is_lora(source),
              "files": sorted(str(p.relative_to(out)) for p in out.rglob("*") if p.is_file()),
              "seconds": round(time.perf_counter() - t0, 2), "check": check}
    if emit:
        emit({"event": "model_exported", **result})
    return result


def cmd_model_export(args) -> int:
    from distillery_worker.events import run_command

    return run_command("The model export", lambda emit: export_model(args.source, args.out, args.format, quant=args.quant,
                                                                     emit=emit, verify=not args.no_verify))


def add_subcommand(sub) -> None:
    """Registers ``model-export`` (no heavy import here)."""
    p = sub.add_parser("model-export", help="export a run or model folder as merged safetensors, GGUF (+ Ollama Modelfile) or ONNX")
    p.add_argument("--source", required=True, help="a run's output folder (LoRA adapter or full model) or a model folder")
    p.add_argument("--format", required=True, choices=FORMATS)
    p.add_argument("--out", required=True, help="new folder to write (must not exist or be empty)")
    p.add_argument("--quant", default="q8_0", choices=QUANTS, help="GGUF type (default q8_0; q4_k_m needs llama-quantize)")
    p.add_argument("--no-verify", action="store_true", help="skip the logits check of the written model")
    p.set_defaults(func=cmd_model_export)
