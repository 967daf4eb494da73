"""Converts a sentence-transformers folder into the folder the in-app embedder runs (transformers.js).

``python -m distillery_worker embed-convert SRC --out DIR [--json]`` reads SRC's ``modules.json`` (a
Transformer, then a Pooling, then optionally a Normalize module), ``1_Pooling/config.json`` (the pooling
mode) and ``sentence_bert_config.json`` (``max_seq_length``, ``do_lower_case``), and writes::

    DIR/config.json, tokenizer.json, tokenizer_config.json, ...   (copied from the Transformer module)
    DIR/onnx/model.onnx            fp32, inputs as the encoder takes them, output last_hidden_state
    DIR/onnx/model_quantized.onnx  int8 dynamic quantisation, weights per channel (MatMul; FFN down-projections stay fp32)
    DIR/distillery_embedding.json  pooling, normalize, max_seq_length, lowercase: what the Node embedder applies

Before DIR is kept, the vectors are checked: our ONNX graphs plus the pooling written to the JSON must give the
vectors ``SentenceTransformer(SRC).encode`` gives on :data:`CHECK_SENTENCES` (English and Chinese, short and
over ``max_seq_length``); fp32 below :data:`MIN_FP32_COSINE` is refused and nothing is written.
"""

from __future__ import annotations

import json
import os
import shutil
import sys
import warnings
from pathlib import Path
from typing import Any

from distillery_worker.errors import WorkerError

# Encoders whose export is checked here (absolute or relative position embeddings, no decoder cache).
SUPPORTED = {"bert": True, "roberta": True, "xlm-roberta": True, "camembert": True, "mpnet": False, "distilbert": False}
"""model_type -> whether the graph takes token_type_ids."""
SUPPORTED_TEXT = "BERT, RoBERTa, XLM-RoBERTa, CamemBERT, MPNet and DistilBERT encoders (e.g. all-MiniLM-L6-v2, bge-small, multilingual-e5-small, all-mpnet-base-v2)"
POOLING = ("mean", "cls", "max", "mean_sqrt_len_tokens")
MIN_FP32_COSINE = 0.999
SPEC_FILE = "distillery_embedding.json"
TOKENIZER_FILES = ("tokenizer.json", "tokenizer_config.json", "special_tokens_map.json", "vocab.txt",
                   "sentencepiece.bpe.model", "spiece.model", "vocab.json", "merges.txt", "added_tokens.json")
_LONG_EN = ("Let $ABC$ be a triangle with circumcircle $\\omega$ and incenter $I$; the line through $I$ "
            "perpendicular to $AI$ meets $BC$ at $D$ and $\\omega$ again at $E$. ") * 14
_LONG_ZH = "设三角形ABC的外接圆为ω，内心为I，过I且垂直于AI的直线与BC交于D，与ω再交于E。求证DE平分角BDC。" * 12

CHECK_SENTENCES: list[str] = [
    "Find the remainder when $2^{100}$ is divided by 7.",
    "How many positive integers less than 1000 are divisible by 3 but not by 5?",
    "What is $\\frac{3}{4}$ of 12?",
    "Prove that there are infinitely many primes.",
    "Compute $\\int_0^1 x^2 \\, dx$.",
    "A fair die is rolled twice. What is the probability that the sum is 7?",
    "Let $f(x) = x^3 - 3x + 1$. How many real roots does $f$ have?",
    "Determine all functions $f:\\mathbb{R}\\to\\mathbb{R}$ such that $f(x+y) = f(x) + f(y)$ for all real $x, y$.",
    "The quick brown fox jumps over the lazy dog.",
    "Hi",
    "求 $2^{100}$ 除以 7 的余数。",
    "小于 1000 的正整数中，有多少个能被 3 整除但不能被 5 整除？",
    "证明存在无穷多个素数。",
    "一枚均匀的骰子掷两次，点数之和为 7 的概率是多少？",
    "已知函数 f(x) = x^3 - 3x + 1，求它的实根个数。",
    "三角形的三边长分别为 13、14、15，求它的面积。",
    _LONG_EN,
    _LONG_ZH,
    _LONG_EN + " Find the ratio $BD/DC$.",
    "Short question, then a long context: " + _LONG_EN[:900],
]


def _read_json(file: Path) -> dict[str, Any]:
    try:
        return json.loads(file.read_text(encoding="utf-8"))
    except (OSError, ValueError) as e:
        raise WorkerError("invalid_model_folder", f"{file} could not be read as JSON ({e}); restore the file from the model's original download.") from e


def inspect_folder(src: Path) -> dict[str, Any]:
    """Reads the folder's sentence-transformers files into a plan; a sentence when the folder cannot be converted."""
    if not src.is_dir():
        raise WorkerError("invalid_model_folder", f"The folder {src} does not exist; pass a sentence-transformers model folder (it holds modules.json and config.json).")
    modules = _read_json(src / "modules.json") if (src / "modules.json").is_file() else None
    kinds = [str(m.get("type", "")).rsplit(".", 1)[-1] for m in modules] if isinstance(modules, list) else ["Transformer", "Pooling"]
    paths = [str(m.get("path", "")) for m in modules] if isinstance(modules, list) else ["", ""]
    tdir = src / paths[0] if kinds and kinds[0] == "Transformer" else src
    cfg_file = tdir / "config.json"
    if not cfg_file.is_file():
        raise WorkerError("invalid_model_folder", f"{src} has no config.json; pass a sentence-transformers folder that supports {SUPPORTED_TEXT}.")
    model_type = _read_json(cfg_file).get("model_type")
    if model_type not in SUPPORTED:
        raise WorkerError("invalid_model_folder", f"{cfg_file} says model_type {model_type!r}, which is not a sentence-embedding encoder the conversion supports; it supports {SUPPORTED_TEXT}.")
    extra = [k for k in kinds if k not in ("Transformer", "Pooling", "Normalize")]
    if kinds[:2] != ["Transformer", "Pooling"] or extra or kinds.count("Normalize") > 1:
        raise WorkerError("invalid_model_folder", f"{src / 'modules.json'} lists the modules {', '.join(kinds)}; the conversion supports Transformer, Pooling and an optional Normalize only ({', '.join(extra) or 'this order'} cannot run in the app).")
    if not any(tdir.glob("*.safetensors")) and not any(tdir.glob("*.bin")):
        raise WorkerError("invalid_model_folder", f"{tdir} holds no weights (model.safetensors); pass the complete sentence-transformers folder.")
    pool_file = src / paths[1] / "config.json" if modules else None
    pooling = "mean"
    if pool_file is not None and pool_file.is_file():
        pc = _read_json(pool_file)
        modes = pc.get("pooling_mode")
        if modes is None:  # the legacy boolean keys (sentence-transformers < 5 wrote these)
            modes = [m for m, k in (("cls", "cls_token"), ("max", "max_tokens"), ("mean", "mean_tokens"), ("mean_sqrt_len_tokens", "mean_sqrt_len_tokens"),
                                    ("weightedmean", "weightedmean_tokens"), ("lasttoken", "lasttoken")) if pc.get(f"pooling_mode_{k}")]
        modes = [modes] if isinstance(modes, str) else list(modes)
        if len(modes) != 1 or modes[0] not in POOLING:
            raise WorkerError("invalid_config", f"{pool_file} asks for pooling {' + '.join(map(str, modes)) or 'none'}; the app pools with exactly one of {', '.join(POOLING)}.")
        pooling = modes[0]
    sb = _read_json(tdir / "sentence_bert_config.json") if (tdir / "sentence_bert_config.json").is_file() else {}
    if not sb and (src / "sentence_bert_config.json").is_file():
        sb = _read_json(src / "sentence_bert_config.json")
    return {"src": src, "transformer_dir": tdir, "model_type": model_type, "token_type_ids": SUPPORTED[model_type], "pooling": pooling,
            "normalize": "Normalize" in kinds, "max_seq_length": sb.get("max_seq_length"), "lowercase": bool(sb.get("do_lower_case", False))}


def _load_st(src: Path):
    from sentence_transformers import SentenceTransformer

    return SentenceTransformer(str(src), device="cpu", local_files_only=True)


def _encoder_wrapper(model, with_types: bool):
    import torch

    class LastHidden(torch.nn.Module):
        def __init__(self, inner) -> None:
            super().__init__()
            self.inner = inner

        def forward(self, input_ids, attention_mask, token_type_ids=None):
            kw = {"token_type_ids": token_type_ids} if with_types else {}
            return self.inner(input_ids=input_ids, attention_mask=attention_mask, **kw).last_hidden_state

    return LastHidden(model).eval()


def export_encoder(hf_model, onnx_file: Path, with_types: bool) -> list[str]:
    """TorchScript export (ORT's transformer optimizer recognises its attention pattern); returns the input names."""
    import torch

    names = ["input_ids", "attention_mask", *(["token_type_ids"] if with_types else [])]
    ids = torch.randint(5, min(1000, hf_model.config.vocab_size), (2, 16), dtype=torch.long)
    args = (ids, torch.ones_like(ids), *([torch.zeros_like(ids)] if with_types else []))
    axes = {0: "batch", 1: "sequence"}
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        torch.onnx.export(_encoder_wrapper(hf_model, with_types), args, str(onnx_file), input_names=names, output_names=["last_hidden_state"],
                          dynamic_axes={**dict.fromkeys(names, axes), "last_hidden_state": axes}, opset_version=17, do_constant_folding=True, dynamo=False)
    return names


def optimize(onnx_file: Path, out_file: Path, config) -> bool:
    """Fuses attention, layer norm and GELU (onnxruntime.transformers); False when the optimizer is missing or fails."""
    try:
        from onnxruntime.transformers.optimizer import optimize_model

        opt = optimize_model(str(onnx_file), model_type="bert", num_heads=config.num_attention_heads, hidden_size=config.hidden_size, opt_level=1)
        opt.save_model_to_file(str(out_file))
        return True
    except Exception:  # noqa: BLE001 - an unfused graph is slower but right
        return False


def quantize(src_file: Path, dst_file: Path) -> dict[str, Any]:
    """int8 dynamic quantisation with one scale per output channel; returns what was quantised.

    Per-tensor scales (the default) gave cosine 0.83-0.94 to fp32 on all-MiniLM-L6-v2, per-channel 0.978-0.999.
    The feed-forward down-projections (weights taller than wide: their input is the GELU output, whose range the
    per-tensor dynamic activation scale fits worst) stay fp32: lowest cosine 0.988, mean 0.996, for about a third
    more time than quantising them too (still about 3x faster than fp32 on CPU). Embedding tables (Gather) stay
    fp32: they cost no compute.
    Weights use 7 of the 8 bits (``reduce_range``): on x86 CPUs without VNNI (AVX2 only, e.g. many EPYC/Xeon
    servers) onnxruntime's u8s8 kernel sums pairs of products in int16 and saturates with full-range weights. The
    same graph quantised with all 8 bits gave lowest cosine 0.980 on such a CPU (0.988 on a VNNI one); with
    reduce_range 0.988 (mean 0.996) on the AVX2-only CPU.
    """
    import onnx
    from onnxruntime.quantization import QuantType, quantize_dynamic

    graph = onnx.load(str(src_file), load_external_data=False).graph
    shapes = {t.name: list(t.dims) for t in graph.initializer}
    keep = [n.name for n in graph.node if n.op_type == "MatMul" and len(shapes.get(n.input[1], [])) == 2 and shapes[n.input[1]][0] > shapes[n.input[1]][1]]
    quantize_dynamic(str(src_file), str(dst_file), weight_type=QuantType.QInt8, per_channel=True, reduce_range=True,
                     op_types_to_quantize=["MatMul", "Gemm"], nodes_to_exclude=keep)
    counts: dict[str, int] = {}
    for node in onnx.load(str(dst_file), load_external_data=False).graph.node:
        counts[node.op_type] = counts.get(node.op_type, 0) + 1
    return {"ops": {k: v for k, v in sorted(counts.items()) if "Integer" in k or "Quantize" in k}, "kept_fp32": len(keep)}


def pool(hidden, mask, mode: str, normalize: bool):
    """The pooling the Node embedder applies (numpy), so the check covers the spec written to the JSON."""
    import numpy as np

    m = mask[..., None].astype(np.float32)
    if mode == "cls":
        v = hidden[:, 0]
    elif mode == "max":
        v = np.where(m > 0, hidden, -1e9).max(axis=1)
    else:
        s = (hidden * m).sum(axis=1)
        n = np.maximum(m.sum(axis=1), 1e-9)
        v = s / (np.sqrt(n) if mode == "mean_sqrt_len_tokens" else n)
    if normalize:
        v = v / np.maximum(np.linalg.norm(v, axis=1, keepdims=True), 1e-12)
    return v


def onnx_vectors(onnx_file: Path, tokenizer, spec: dict[str, Any], texts: list[str], threads: int | None = None):
    import numpy as np
    import onnxruntime as ort

    so = ort.SessionOptions()
    if threads:
        so.intra_op_num_threads = threads
    sess = ort.InferenceSession(str(onnx_file), so, providers=["CPUExecutionProvider"])
    names = [i.name for i in sess.get_inputs()]
    out = []
    for i in range(0, len(texts), 8):
        batch = [t.lower() for t in texts[i:i + 8]] if spec["lowercase"] else texts[i:i + 8]
        enc = tokenizer(batch, padding=True, truncation=True, max_length=spec["max_seq_length"], return_tensors="np")
        feeds = {n: (enc[n] if n in enc else np.zeros_like(enc["input_ids"])).astype(np.int64) for n in names}
        hidden = sess.run(None, feeds)[0]
        out.append(pool(hidden, enc["attention_mask"], spec["pooling"], spec["normalize"]))
    return np.concatenate(out)


def cosines(a, b) -> list[float]:
    import numpy as np

    a = a / np.maximum(np.linalg.norm(a, axis=1, keepdims=True), 1e-12)
    b = b / np.maximum(np.linalg.norm(b, axis=1, keepdims=True), 1e-12)
    return [float(x) for x in (a * b).sum(axis=1)]


def reference_vectors(src: str | Path, texts: list[str]) -> list[list[float]]:
    """sentence-transformers' own vectors (the reference the app's vectors are checked against)."""
    st = _load_st(Path(src))
    return st.encode(texts, batch_size=8, convert_to_numpy=True).tolist()


def convert(src_in: str | Path, out_in: str | Path, check: bool = True) -> dict[str, Any]:
    """Writes the converted folder (atomically: a temporary folder renamed into place) and returns the report."""
    import torch

    src = Path(src_in).expanduser().resolve()
    out = Path(out_in).expanduser().resolve()
    plan = inspect_folder(src)
    if out == src:
        raise WorkerError("invalid_config", f"The output folder {out} is the model folder itself; pass another --out so the original stays as it is.")
    if out.exists() and any(out.iterdir()) and not (out / SPEC_FILE).is_file():
        raise WorkerError("invalid_config", f"The output folder {out} already holds files that are not a converted embedding model; choose an empty or new folder so nothing there is overwritten.")
    st = _load_st(src)
    transformer, pooling_module = st[0], st[1]
    hf_model = transformer.auto_model.float().eval()
    hf_model.config._attn_implementation = "eager"
    max_len = int(st.max_seq_length or plan["max_seq_length"] or 512)
    spec = {"format": 1, "source": str(src), "model_type": plan["model_type"], "pooling": str(pooling_module.pooling_mode),
            "normalize": plan["normalize"], "max_seq_length": max_len, "lowercase": bool(getattr(transformer, "do_lower_case", plan["lowercase"])),
            "dims": int(hf_model.config.hidden_size)}
    if spec["pooling"] != plan["pooling"]:  # the files and the library disagree: trust neither silently
        raise WorkerError("invalid_config", f"{src} pools with {spec['pooling']} in sentence-transformers but its files say {plan['pooling']}; re-save the model with sentence-transformers and convert again.")
    tmp = out.with_name(f"{out.name}.tmp-{os.getpid()}")
    shutil.rmtree(tmp, ignore_errors=True)
    (tmp / "onnx").mkdir(parents=True)
    try:
        tdir = plan["transformer_dir"]
        shutil.copy2(tdir / "config.json", tmp / "config.json")
        copied = [f for f in TOKENIZER_FILES if (tdir / f).is_file()]
        for f in copied:
            shutil.copy2(tdir / f, tmp / f)
        if "tokenizer.json" not in copied:
            transformer.tokenizer.save_pretrained(str(tmp))  # a fast tokenizer writes tokenizer.json, which transformers.js needs
        with torch.no_grad():
            plain = tmp / "onnx" / "plain.onnx"
            inputs = export_encoder(hf_model, plain, plan["token_type_ids"])
        fused = optimize(plain, tmp / "onnx" / "model.onnx", hf_model.config)
        if not fused:
            shutil.copy2(plain, tmp / "onnx" / "model.onnx")
        # The quantiser works from the plain graph: its shape inference does not know the fused operators.
        quant = quantize(plain, tmp / "onnx" / "model_quantized.onnx")
        plain.unlink()
        report: dict[str, Any] = {"path": str(out), "source": str(src), "model_type": spec["model_type"], "pooling": spec["pooling"], "normalize": spec["normalize"],
                                  "max_seq_length": max_len, "dims": spec["dims"], "inputs": inputs, "fused": fused,
                                  "quantized_ops": quant["ops"], "matmuls_kept_fp32": quant["kept_fp32"],
                                  "files": ["config.json", *sorted(set(copied) | {"tokenizer.json"}), "onnx/model.onnx", "onnx/model_quantized.onnx", SPEC_FILE]}
        if check:
            report["check"] = check_vectors(st, tmp, spec)
            if report["check"]["fp32_min_cosine"] < MIN_FP32_COSINE:
                raise WorkerError("internal", f"The converted model's fp32 vectors differ from sentence-transformers' own (lowest cosine {report['check']['fp32_min_cosine']:.4f}, below {MIN_FP32_COSINE}); nothing was written to {out}; report the model's config.json.")
            spec["check"] = report["check"]
        (tmp / SPEC_FILE).write_text(json.dumps(spec, indent=2, ensure_ascii=False), encoding="utf-8")
        if out.exists():
            shutil.rmtree(out)  # only ever a previous conversion (checked above)
        os.replace(tmp, out)
        return report
    finally:
        shutil.rmtree(tmp, ignore_errors=True)


def check_vectors(st, folder: Path, spec: dict[str, Any], texts: list[str] | None = None) -> dict[str, Any]:
    """Cosine of our ONNX vectors (fp32, int8) to ``st.encode`` on the fixed sentences, and int8 to fp32."""
    texts = texts or CHECK_SENTENCES
    want = st.encode(texts, batch_size=8, convert_to_numpy=True)
    tok = st[0].tokenizer
    fp32 = onnx_vectors(folder / "onnx" / "model.onnx", tok, spec, texts)
    q8 = onnx_vectors(folder / "onnx" / "model_quantized.onnx", tok, spec, texts)
    over = sum(1 for t in texts if len(tok(t)["input_ids"]) > spec["max_seq_length"])
    c32, c8, c88 = cosines(fp32, want), cosines(q8, want), cosines(q8, fp32)
    return {"sentences": len(texts), "over_max_length": over, "fp32_min_cosine": min(c32), "fp32_mean_cosine": sum(c32) / len(c32),
            "int8_min_cosine": min(c8), "int8_mean_cosine": sum(c8) / len(c8), "int8_vs_fp32_min_cosine": min(c88)}


def cmd_embed_convert(args) -> int:
    os.environ.setdefault("HF_HUB_OFFLINE", "1")
    os.environ.setdefault("TRANSFORMERS_OFFLINE", "1")
    from transformers.utils import logging as hf_logging

    hf_logging.disable_progress_bar()
    try:
        report = convert(args.src, args.out, check=not args.no_check)
    except WorkerError as e:
        sys.stdout.write((json.dumps({"error": e.message, "cause": e.cause}) if args.json else e.message) + "\n")
        return 2
    if args.json:
        sys.stdout.write(json.dumps(report) + "\n")
    else:
        c = report.get("check")
        tail = f"; cosine to sentence-transformers: fp32 {c['fp32_min_cosine']:.5f}, int8 {c['int8_min_cosine']:.4f} (lowest of {c['sentences']})" if c else ""
        sys.stdout.write(f"{report['model_type']} embedding model ({report['pooling']} pooling{', normalised' if report['normalize'] else ''}, {report['max_seq_length']} tokens) written to {report['path']}{tail}\n")
    return 0


def add_subcommand(sub) -> None:
    """Registers ``embed-convert`` (no heavy import here)."""
    p = sub.add_parser("embed-convert", help="convert a sentence-transformers folder to ONNX (fp32 + int8) for the in-app embedder, checked against sentence-transformers")
    p.add_argument("src", help="the sentence-transformers folder (modules.json, config.json, model.safetensors, tokenizer)")
    p.add_argument("--out", required=True, help="folder to write (new, empty, or a previous conversion)")
    p.add_argument("--no-check", action="store_true", help="skip the comparison with sentence-transformers")
    p.add_argument("--json", action="store_true", help="print one JSON object (the files written and the check)")
    p.set_defaults(func=cmd_embed_convert)
