"""ONNX export of a decoder-only causal LM for the in-app engine (transformers.js over onnxruntime-node).

``python -m distillery_worker export-onnx --model DIR --out DIR`` (or ``export --run R --out O --onnx``)
writes a folder transformers.js loads from a local path::

    config.json               (+ "transformers.js_config": dtype fp32, external data when > 2 GB)
    generation_config.json
    tokenizer.json, tokenizer_config.json, chat_template.jinja
    onnx/model.onnx           (+ onnx/model.onnx_data for big models)

The graph has the layout transformers.js expects for a decoder with a KV cache:

    inputs   input_ids [batch_size, sequence_length] int64
             attention_mask [batch_size, total_sequence_length] int64
             position_ids [batch_size, sequence_length] int64
             num_logits_to_keep [] int64          (0: logits of every position; k: of the last k)
             past_key_values.N.key / .value [batch_size, kv_heads, past_sequence_length, head_dim] float32
    outputs  logits [batch_size, num_logits, vocab]
             present.N.key / .value [batch_size, kv_heads, total_sequence_length, head_dim]

transformers.js decides that a model uses a cache from these input names (configs.js getCacheNames) and
sets ``num_logits_to_keep`` when the graph declares it. The export is checked before it is kept: the logits
of onnxruntime must equal torch's on a prompt, with an empty cache and for a cached next step.
"""

from __future__ import annotations

import json
import shutil
import time
import warnings
from pathlib import Path
from typing import Any

from distillery_worker.errors import WorkerError, classify_error
from distillery_worker.events import Emitter

# Families whose ONNX export has been checked here (the same DynamicCache-based attention as Qwen2).
SUPPORTED_MODEL_TYPES = ("qwen2", "qwen3", "llama", "mistral")
OPSET = 18
EXTERNAL_DATA_BYTES = 1_800_000_000  # protobuf files stop at 2 GB: bigger weights go to model.onnx_data
ATOL = 1e-3
RTOL = 1e-3
TEMPLATE_FILES = ("chat_template.jinja", "chat_template.json")
TOKENIZER_FILES = ("tokenizer.json", "tokenizer_config.json", "special_tokens_map.json", "added_tokens.json",
                   "vocab.json", "merges.txt")


def _check_model_dir(model: Path) -> dict[str, Any]:
    if not model.is_dir():
        raise WorkerError("invalid_model_folder", f"The model folder {model} does not exist; pass the folder that holds config.json and the weights.")
    cfg_file = model / "config.json"
    if not cfg_file.is_file():
        raise WorkerError("invalid_model_folder", f"{model} has no config.json; pass a model folder saved by transformers (an exported run, not a LoRA adapter).")
    cfg = json.loads(cfg_file.read_text(encoding="utf-8"))
    mt = cfg.get("model_type")
    if mt not in SUPPORTED_MODEL_TYPES:
        from distillery_worker.st_convert import SUPPORTED as ENCODERS

        if mt in ENCODERS:  # an encoder is an embedding model, not something to generate text with
            raise WorkerError(
                "invalid_model_folder",
                f"{cfg_file} says model_type {mt!r}, an encoder (sentence-embedding) model, which export-onnx (for text generation) does not take; "
                f"convert it for the in-app embedder with `python -m distillery_worker embed-convert {model} --out DIR` (or `distillery embed PROJECT --model {model}`).",
            )
        raise WorkerError(
            "invalid_model_folder",
            f"{cfg_file} says model_type {mt!r}; the ONNX export for the in-app engine supports {', '.join(SUPPORTED_MODEL_TYPES)}. "
            "Serve this model with `transformers serve` or vLLM instead.",
        )
    if cfg.get("use_sliding_window"):
        raise WorkerError("invalid_config", f"{cfg_file} turns on use_sliding_window, which the ONNX export does not support; set it to false or serve the model instead.")
    if not any(model.glob("*.safetensors")) and not any(model.glob("*.bin")):
        raise WorkerError("invalid_model_folder", f"{model} holds no weights (*.safetensors); export the run first (`export --run ... --merge-lora`).")
    return cfg


class _FlatCacheLM:
    """Builds the torch module with flat past/present tensors that torch.onnx exports."""

    @staticmethod
    def make(model):
        import torch
        from transformers import DynamicCache

        n_layers = model.config.num_hidden_layers

        class Wrapper(torch.nn.Module):
            def __init__(self, lm):
                super().__init__()
                self.lm = lm

            def forward(self, input_ids, attention_mask, position_ids, num_logits_to_keep, past):
                cache = DynamicCache(ddp_cache_data=[(past[2 * i], past[2 * i + 1]) for i in range(n_layers)], config=self.lm.config)
                out = self.lm.model(input_ids=input_ids, attention_mask=attention_mask, position_ids=position_ids,
                                    cache=cache, use_cache=True)
                hidden = out.last_hidden_state
                s = hidden.shape[1]
                # 0 keeps every position (transformers' logits_to_keep semantics); k keeps the last k.
                n = torch.where(num_logits_to_keep > 0, num_logits_to_keep, s).item()
                torch._check(n >= 1)
                torch._check(n <= s)
                logits = self.lm.lm_head(hidden.narrow(1, s - n, n))
                present = getattr(out, "cache", None) or out.past_key_values
                flat = []
                for layer in present.layers:
                    flat += [layer.keys, layer.values]
                return (logits, *flat)

        return Wrapper(model).eval()


def _io_names(n_layers: int) -> tuple[list[str], list[str]]:
    past = [f"past_key_values.{i}.{kv}" for i in range(n_layers) for kv in ("key", "value")]
    present = [f"present.{i}.{kv}" for i in range(n_layers) for kv in ("key", "value")]
    return ["input_ids", "attention_mask", "position_ids", "num_logits_to_keep", *past], ["logits", *present]


def _kv_shape(config) -> tuple[int, int]:
    heads = config.num_attention_heads
    kv_heads = getattr(config, "num_key_value_heads", None) or heads
    head_dim = getattr(config, "head_dim", None) or config.hidden_size // heads
    return kv_heads, head_dim


def _export_graph(model, onnx_file: Path) -> bool:
    """Exports with torch.onnx (dynamo); returns whether the weights went to external data."""
    import onnx_ir as ir
    import torch
    from torch.export import Dim

    cfg = model.config
    n_layers = cfg.num_hidden_layers
    kv_heads, head_dim = _kv_shape(cfg)
    wrapper = _FlatCacheLM.make(model)
    b, s, p = 2, 5, 3  # not 0/1: torch.export would specialise those sizes
    ids = torch.randint(0, min(cfg.vocab_size, 100), (b, s))
    mask = torch.ones(b, p + s, dtype=torch.long)
    pos = torch.arange(p, p + s).unsqueeze(0).repeat(b, 1)
    past = tuple(torch.zeros(b, kv_heads, p, head_dim) for _ in range(2 * n_layers))
    keep = torch.tensor(1, dtype=torch.long)
    names_in, names_out = _io_names(n_layers)
    batch, seq, past_len, total = Dim("batch_size"), Dim("sequence_length"), Dim("past_sequence_length"), Dim("total_sequence_length")
    shapes = ({0: batch, 1: seq}, {0: batch, 1: total}, {0: batch, 1: seq}, None, tuple({0: batch, 2: past_len} for _ in past))
    with torch.no_grad(), warnings.catch_warnings():
        warnings.filterwarnings("ignore", message=".*shares the same shape constraints.*")
        program = torch.onnx.export(wrapper, (ids, mask, pos, keep, past), dynamo=True, input_names=names_in,
                                    output_names=names_out, dynamic_shapes=shapes, opset_version=OPSET,
                                    optimize=True, verbose=False)
    graph = program.model.graph
    # Name the output dimensions the way transformers.js and optimum exports do.
    for v in graph.outputs:
        dims = list(v.shape)
        if v.name == "logits":
            dims[1] = ir.SymbolicDim("num_logits")
        else:
            dims[2] = ir.SymbolicDim("total_sequence_length")
        dims[0] = ir.SymbolicDim("batch_size")
        v.shape = ir.Shape(dims)
    weight_bytes = sum(t.numel() * t.element_size() for t in model.parameters())
    external = weight_bytes > EXTERNAL_DATA_BYTES
    onnx_file.parent.mkdir(parents=True, exist_ok=True)
    for stale in (onnx_file, onnx_file.with_name(onnx_file.name + "_data")):
        stale.unlink(missing_ok=True)
    if external:
        ir.save(program.model, onnx_file, external_data=onnx_file.name + "_data")
    else:
        ir.save(program.model, onnx_file)
    return external


def _prompt_ids(tokenizer) -> list[int]:
    messages = [{"role": "user", "content": "Compute 12 + 30. Think step by step."}]
    try:
        text = tokenizer.apply_chat_template(messages, tokenize=False, add_generation_prompt=True)
    except Exception:  # noqa: BLE001 - no template: plain text is as good a probe
        text = "Compute 12 + 30. Think step by step."
    ids = tokenizer(text, add_special_tokens=False)["input_ids"]
    return ids[:64] or [0]


def ort_session(onnx_file: str | Path, threads: int | None = None):
    """An onnxruntime CPU session with the options the in-app engine uses."""
    import onnxruntime as ort

    so = ort.SessionOptions()
    so.graph_optimization_level = ort.GraphOptimizationLevel.ORT_ENABLE_ALL
    so.execution_mode = ort.ExecutionMode.ORT_SEQUENTIAL
    so.inter_op_num_threads = 1
    if threads:
        so.intra_op_num_threads = threads
    so.log_severity_level = 3
    return ort.InferenceSession(str(onnx_file), sess_options=so, providers=["CPUExecutionProvider"])


def ort_feed(session, ids, past=None, past_len: int = 0, keep: int = 0) -> dict[str, Any]:
    """Inputs of one step: `ids` (1 x n) after `past_len` cached positions (`past`: present tensors or None)."""
    import numpy as np

    ids = np.asarray(ids, dtype=np.int64).reshape(1, -1)
    n = ids.shape[1]
    feed: dict[str, Any] = {
        "input_ids": ids,
        "attention_mask": np.ones((1, past_len + n), dtype=np.int64),
        "position_ids": np.arange(past_len, past_len + n, dtype=np.int64).reshape(1, -1),
    }
    names = [i.name for i in session.get_inputs()]
    if "num_logits_to_keep" in names:
        feed["num_logits_to_keep"] = np.array(keep, dtype=np.int64)
    k = 0
    for i in session.get_inputs():
        if i.name.startswith("past_key_values."):
            if past is None:
                feed[i.name] = np.zeros((1, i.shape[1], 0, i.shape[3]), dtype=np.float32)
            else:
                feed[i.name] = past[k]
            k += 1
    return feed


def verify_onnx(model, tokenizer, onnx_file: Path) -> dict[str, float]:
    """onnxruntime against torch: all prompt logits with an empty cache, then one cached step."""
    import numpy as np
    import torch

    ids = _prompt_ids(tokenizer)
    sess = ort_session(onnx_file)
    outs = sess.run(None, ort_feed(sess, ids))
    with torch.no_grad():
        want = model(torch.tensor([ids])).logits.float().numpy()
    got = outs[0]
    nxt = int(want[0, -1].argmax())
    step = sess.run(None, ort_feed(sess, [nxt], past=outs[1:], past_len=len(ids), keep=1))[0]
    with torch.no_grad():
        want_step = model(torch.tensor([[*ids, nxt]])).logits[:, -1:].float().numpy()
    diff = float(np.abs(got - want).max()) if got.shape == want.shape else float("inf")
    diff_step = float(np.abs(step - want_step).max()) if step.shape == want_step.shape else float("inf")
    scale = float(np.abs(want).max())
    tol = ATOL + RTOL * scale
    if not (diff <= tol and diff_step <= tol):
        raise WorkerError(
            "internal",
            f"The ONNX export of this model does not reproduce its logits (largest difference {max(diff, diff_step):.3g}, "
            f"allowed {tol:.3g}); the in-app engine would give wrong answers, so {onnx_file} was removed. "
            "Serve the model with `transformers serve` instead and report the model's config.json.",
        )
    return {"max_abs_diff": diff, "cached_max_abs_diff": diff_step, "tolerance": tol, "tokens": len(ids)}


def _write_side_files(src: Path, out: Path, tokenizer, model, external: bool) -> None:
    cfg = json.loads((src / "config.json").read_text(encoding="utf-8"))
    tjs = dict(cfg.get("transformers.js_config") or {})
    tjs["dtype"] = "fp32"
    if external:
        tjs["use_external_data_format"] = {"model.onnx": 1}
    else:
        tjs.pop("use_external_data_format", None)
    cfg["transformers.js_config"] = tjs
    (out / "config.json").write_text(json.dumps(cfg, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
    if src == out:
        return
    if (src / "generation_config.json").is_file():
        shutil.copy2(src / "generation_config.json", out / "generation_config.json")
    elif model.generation_config is not None:
        model.generation_config.save_pretrained(str(out))
    if (src / "tokenizer.json").is_file():
        # As they are: the app counts tokens with this very tokenizer.json.
        for name in TOKENIZER_FILES:
            if (src / name).is_file():
                shutil.copy2(src / name, out / name)
    else:
        tokenizer.save_pretrained(str(out))
    for name in TEMPLATE_FILES:
        if (src / name).is_file() and not (out / name).is_file():
            shutil.copy2(src / name, out / name)
    if not (out / "tokenizer.json").is_file():
        raise WorkerError("invalid_model_folder", f"{src} has no fast tokenizer (tokenizer.json), which the in-app engine needs; save the model's tokenizer with transformers ≥ 4.40 first.")


def export_onnx(model_dir: str | Path, out_dir: str | Path | None = None, verify: bool = True,
                emit: Emitter | None = None) -> Path:
    """Writes ``out_dir`` (default: ``model_dir``) as a transformers.js folder with onnx/model.onnx; returns it."""
    src = Path(model_dir).expanduser().resolve()
    out = Path(out_dir).expanduser().resolve() if out_dir else src
    _check_model_dir(src)  # before torch and transformers are imported: a wrong folder is said at once
    import torch
    from transformers import AutoModelForCausalLM, AutoTokenizer

    t0 = time.perf_counter()
    if emit:
        emit({"event": "onnx_export_started", "model": str(src), "out": str(out)})
    model = AutoModelForCausalLM.from_pretrained(str(src), dtype=torch.float32).eval()
    tokenizer = AutoTokenizer.from_pretrained(str(src))
    out.mkdir(parents=True, exist_ok=True)
    onnx_file = out / "onnx" / "model.onnx"
    try:
        external = _export_graph(model, onnx_file)
    except WorkerError:
        raise
    except Exception as e:
        if classify_error(e).cause != "internal":
            raise
        first = (str(e).strip().splitlines() or [type(e).__name__])[0][:300]
        raise WorkerError("internal", f"torch.onnx could not export {src.name} ({first}); serve this model with `transformers serve` instead.") from e
    checks: dict[str, float] = {}
    if verify:
        try:
            checks = verify_onnx(model, tokenizer, onnx_file)
        except WorkerError:
            onnx_file.unlink(missing_ok=True)
            onnx_file.with_name(onnx_file.name + "_data").unlink(missing_ok=True)
            raise
    _write_side_files(src, out, tokenizer, model, external)
    size = sum(f.stat().st_size for f in onnx_file.parent.glob("model.onnx*"))
    if emit:
        emit({"event": "onnx_exported", "path": str(out), "onnx": str(onnx_file), "bytes": size,
              "external_data": external, "seconds": round(time.perf_counter() - t0, 2), **checks})
    return out


def cmd_export_onnx(args) -> int:
    from distillery_worker.events import run_command

    return run_command("The ONNX export", lambda emit: export_onnx(args.model, args.out, verify=not args.no_verify, emit=emit))


def add_subcommand(sub) -> None:
    """Registers ``export-onnx`` on the worker's sub-parsers (no heavy import here)."""
    p = sub.add_parser("export-onnx", help="export a causal LM folder to ONNX for the in-app engine (transformers.js)")
    p.add_argument("--model", required=True, help="model folder (config.json, safetensors, tokenizer)")
    p.add_argument("--out", default=None, help="folder to write (default: the model folder; onnx/ is added)")
    p.add_argument("--no-verify", action="store_true", help="skip the onnxruntime-vs-torch logits check")
    p.set_defaults(func=cmd_export_onnx)
