"""A MiniLM-class sentence-embedding model with random weights, exported to ONNX for transformers.js.

Nothing is downloaded. The architecture is that of all-MiniLM-L6-v2 (BERT, 6 layers, hidden 384,
12 heads, intermediate 1536); the WordPiece tokenizer is trained here on a generated corpus of
math-competition-style questions. The folder has the layout transformers.js's feature-extraction
pipeline loads from a local path::

    DIR/config.json, tokenizer.json, tokenizer_config.json, special_tokens_map.json
    DIR/onnx/model.onnx            inputs input_ids, attention_mask, token_type_ids (int64 [batch, seq])
                                   output last_hidden_state (float32 [batch, seq, 384])
    DIR/onnx/model_quantized.onnx  the same graph with int8 dynamic quantization (``--quantized``)

The weights are random, so the vectors carry no meaning learned from language; the model exists so
that the app's embedding path (tokenizer, ONNX session, pooling, storage, clustering) runs on a real
model of real size. CLI: ``python -m distillery_worker embed-model --out DIR``.
"""

from __future__ import annotations

import json
import random
from pathlib import Path

HIDDEN = 384
LAYERS = 6
HEADS = 12
INTERMEDIATE = 1536
MAX_POSITIONS = 512
VOCAB_SIZE = 8192
SPECIALS = ["[PAD]", "[UNK]", "[CLS]", "[SEP]", "[MASK]"]
INPUTS = ["input_ids", "attention_mask", "token_type_ids"]

_SUBJECTS = ["triangle", "circle", "polynomial", "sequence", "integer", "prime", "matrix", "probability",
             "function", "graph", "square", "cube", "remainder", "divisor", "angle", "area", "perimeter",
             "sum", "product", "digit", "fraction", "logarithm", "root", "vector", "set", "coin", "die"]
_VERBS = ["Find", "Compute", "Determine", "Prove that", "Show that", "Evaluate", "How many", "What is"]
_LATEX = [r"$x^2 + {a}x + {b} = 0$", r"$\frac{{{a}}}{{{b}}}$", r"$\sqrt{{{a}}}$", r"$\sum_{{k=1}}^{{{a}}} k^2$",
          r"$\triangle ABC$", r"$\angle ABC = {a}^\circ$", r"$\log_{{{b}}} {a}$", r"${a} \pmod{{{b}}}$",
          r"$f(x) = {a}x^3 - {b}$", r"$\binom{{{a}}}{{{b}}}$", r"$|z| = {b}$", r"$\overline{{AB}}$"]
_FILLER = ["Let", "such that", "where", "positive", "real", "numbers", "the", "of", "and", "is", "are",
           "all", "each", "if", "then", "given", "point", "line", "on", "in", "with", "exactly", "least",
           "greatest", "smallest", "value", "number", "ways", "distinct", "consecutive", "odd", "even"]


def question_corpus(n: int = 4000, seed: int = 0) -> list[str]:
    """Deterministic math-competition-style questions (English words, numbers and LaTeX)."""
    rng = random.Random(seed)
    out: list[str] = []
    for _ in range(n):
        a, b = rng.randint(1, 999), rng.randint(2, 99)
        parts = [rng.choice(_VERBS), "the", rng.choice(_SUBJECTS)]
        for _ in range(rng.randint(4, 24)):
            r = rng.random()
            if r < 0.2:
                parts.append(rng.choice(_LATEX).format(a=rng.randint(1, 99), b=rng.randint(2, 20)))
            elif r < 0.35:
                parts.append(rng.choice(_SUBJECTS))
            elif r < 0.45:
                parts.append(str(rng.randint(0, 10_000)))
            else:
                parts.append(rng.choice(_FILLER))
        out.append(" ".join(parts) + f" modulo {b}? The answer is {a}.")
    return out


def build_wordpiece_tokenizer(vocab_size: int = VOCAB_SIZE, seed: int = 0):
    """A BERT-style (uncased) WordPiece tokenizer trained on :func:`question_corpus`."""
    from tokenizers import Tokenizer, decoders, models, normalizers, pre_tokenizers, processors, trainers
    from transformers import PreTrainedTokenizerFast

    tok = Tokenizer(models.WordPiece(unk_token="[UNK]", max_input_chars_per_word=100))
    tok.normalizer = normalizers.BertNormalizer(clean_text=True, handle_chinese_chars=True, strip_accents=None, lowercase=True)
    tok.pre_tokenizer = pre_tokenizers.BertPreTokenizer()
    tok.decoder = decoders.WordPiece(prefix="##")
    trainer = trainers.WordPieceTrainer(vocab_size=vocab_size, min_frequency=1, special_tokens=SPECIALS, show_progress=False)
    tok.train_from_iterator(question_corpus(seed=seed), trainer=trainer)
    cls, sep = tok.token_to_id("[CLS]"), tok.token_to_id("[SEP]")
    tok.post_processor = processors.TemplateProcessing(
        single="[CLS] $A [SEP]", pair="[CLS] $A [SEP] $B:1 [SEP]:1", special_tokens=[("[CLS]", cls), ("[SEP]", sep)]
    )
    return PreTrainedTokenizerFast(
        tokenizer_object=tok,
        unk_token="[UNK]",
        sep_token="[SEP]",
        pad_token="[PAD]",
        cls_token="[CLS]",
        mask_token="[MASK]",
        model_max_length=MAX_POSITIONS,
        do_lower_case=True,
        clean_up_tokenization_spaces=False,
    )


def build_bert(vocab_size: int, seed: int = 0):
    import torch
    from transformers import BertConfig, BertModel

    config = BertConfig(
        vocab_size=vocab_size,
        hidden_size=HIDDEN,
        num_hidden_layers=LAYERS,
        num_attention_heads=HEADS,
        intermediate_size=INTERMEDIATE,
        max_position_embeddings=MAX_POSITIONS,
        type_vocab_size=2,
        hidden_act="gelu",
        pad_token_id=0,
    )
    torch.manual_seed(seed)
    model = BertModel(config, add_pooling_layer=False).to(torch.float32).eval()
    model.config._attn_implementation = "eager"
    return model


def _last_hidden(model):
    """Wraps the model so the exported graph has exactly one output, last_hidden_state."""
    import torch

    class LastHidden(torch.nn.Module):
        def __init__(self, inner) -> None:
            super().__init__()
            self.inner = inner

        def forward(self, input_ids, attention_mask, token_type_ids):
            return self.inner(input_ids=input_ids, attention_mask=attention_mask, token_type_ids=token_type_ids).last_hidden_state

    return LastHidden(model).eval()


def export_onnx(model, path: Path) -> None:
    """Exports with the TorchScript exporter (ORT's CPU fusions recognise BERT's graph from it)."""
    import warnings

    import torch

    ids = torch.randint(5, model.config.vocab_size, (2, 16), dtype=torch.long)
    mask = torch.ones_like(ids)
    types = torch.zeros_like(ids)
    axes = {0: "batch", 1: "sequence"}
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        torch.onnx.export(
            _last_hidden(model),
            (ids, mask, types),
            str(path),
            input_names=INPUTS,
            output_names=["last_hidden_state"],
            dynamic_axes={**dict.fromkeys(INPUTS, axes), "last_hidden_state": axes},
            opset_version=17,
            do_constant_folding=True,
            dynamo=False,
        )


def optimize_onnx(path: Path) -> bool:
    """Fuses attention, layer norms and GELU with onnxruntime's transformer optimizer (same outputs, faster on CPU)."""
    try:
        from onnxruntime.transformers.optimizer import optimize_model
    except Exception:  # noqa: BLE001  # pragma: no cover - optimizer missing or broken: keep the plain graph
        return False
    opt = optimize_model(str(path), model_type="bert", num_heads=HEADS, hidden_size=HIDDEN, opt_level=1)
    opt.save_model_to_file(str(path))
    return True


def quantize_onnx(src: Path, dst: Path) -> None:
    """int8 dynamic quantization of the weights (transformers.js loads it with dtype 'q8')."""
    from onnxruntime.quantization import QuantType, quantize_dynamic

    quantize_dynamic(str(src), str(dst), weight_type=QuantType.QInt8)


def build_embed_model(out_dir: str | Path, seed: int = 0, quantized: bool = False, optimize: bool = True) -> Path:
    """Writes the tokenizer, config and ONNX graph(s) of a random MiniLM-class model into ``out_dir``."""
    out = Path(out_dir).expanduser().resolve()
    (out / "onnx").mkdir(parents=True, exist_ok=True)
    tokenizer = build_wordpiece_tokenizer(seed=seed)
    model = build_bert(len(tokenizer), seed=seed)
    model.config.save_pretrained(out)
    tokenizer.save_pretrained(out)
    cfg_path = out / "tokenizer_config.json"
    cfg = json.loads(cfg_path.read_text())
    cfg["tokenizer_class"] = "BertTokenizer"
    cfg["do_lower_case"] = True
    cfg_path.write_text(json.dumps(cfg, indent=2))
    onnx_path = out / "onnx" / "model.onnx"
    export_onnx(model, onnx_path)
    if quantized:  # from the plain graph: the quantizer's shape inference does not know the fused operators
        quantize_onnx(onnx_path, out / "onnx" / "model_quantized.onnx")
    if optimize:
        optimize_onnx(onnx_path)
    (out / "distillery_embed_model.json").write_text(
        json.dumps({"kind": "random MiniLM-class sentence embedding model (testing/benchmark)", "seed": seed, "layers": LAYERS, "hidden": HIDDEN, "heads": HEADS, "intermediate": INTERMEDIATE, "vocab": len(tokenizer)}, indent=2)
    )
    return out


def cmd_embed_model(args) -> int:
    import sys

    out = build_embed_model(args.out, seed=args.seed, quantized=args.quantized, optimize=not args.no_optimize)
    if args.json:
        sys.stdout.write(json.dumps({"path": str(out)}) + "\n")
    else:
        sys.stdout.write(f"MiniLM-class embedding model (random weights) written to {out}\n")
    return 0
