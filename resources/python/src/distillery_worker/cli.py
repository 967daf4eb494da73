"""Command line entry point: ``python -m distillery_worker <command>``.

Subcommands are registered in ``build_parser``; each one is a function that takes the parsed
arguments and returns an exit code. Heavy imports (torch, transformers) happen inside the
command functions so that ``--help`` and ``env`` stay fast and robust.
"""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Sequence


def _cmd_env(args: argparse.Namespace) -> int:
    from distillery_worker.env import collect_env, format_env

    info = collect_env()
    if args.json:
        sys.stdout.write(json.dumps(info) + "\n")
    else:
        sys.stdout.write(format_env(info))
    return 0


def _cmd_tiny_model(args: argparse.Namespace) -> int:
    from transformers.utils import logging as hf_logging

    from distillery_worker.testing import build_tiny_model

    hf_logging.disable_progress_bar()
    out = build_tiny_model(args.out, seed=args.seed, size=getattr(args, "size", "tiny"))
    if args.json:
        sys.stdout.write(json.dumps({"path": str(out)}) + "\n")
    else:
        sys.stdout.write(f"tiny Qwen2 model written to {out}\n")
    return 0


def _cmd_train(args: argparse.Namespace) -> int:
    from distillery_worker.train import cmd_train

    return cmd_train(args)


def _cmd_export(args: argparse.Namespace) -> int:
    from distillery_worker.export import cmd_export

    return cmd_export(args)


def _cmd_embed_model(args: argparse.Namespace) -> int:
    from distillery_worker.embed_model import cmd_embed_model

    return cmd_embed_model(args)


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="python -m distillery_worker",
        description="Distillery Python worker (training and model export).",
    )
    sub = parser.add_subparsers(dest="command", metavar="COMMAND")
    sub.required = True

    p_env = sub.add_parser("env", help="report Python, torch, CUDA, GPUs and library versions")
    p_env.add_argument("--json", action="store_true", help="print one JSON object")
    p_env.set_defaults(func=_cmd_env)

    p_tiny = sub.add_parser(
        "tiny-model",
        help="build a tiny random Qwen2 causal LM with a freshly trained tokenizer (for tests)",
    )
    p_tiny.add_argument("--out", required=True, help="output folder (created if missing)")
    p_tiny.add_argument("--seed", type=int, default=0, help="random seed (default 0)")
    p_tiny.add_argument("--size", default="tiny", choices=["tiny", "small"], help="tiny (default, ~0.1M params) or small (~30M, for benchmarks)")
    p_tiny.add_argument("--json", action="store_true", help='print {"path": ...} as JSON')
    p_tiny.set_defaults(func=_cmd_tiny_model)

    p_train = sub.add_parser("train", help="train (SFT, LoRA, QLoRA, KD) from a JSON run config; JSON-lines events on stdout")
    p_train.add_argument("--config", required=True, help="run config JSON written by the engine")
    p_train.add_argument("--resume", action="store_true", help="resume from the last checkpoint in output_dir")
    p_train.set_defaults(func=_cmd_train)

    p_export = sub.add_parser("export", help="export a trained run: merge LoRA, save safetensors + tokenizer + chat template")
    p_export.add_argument("--run", required=True, help="the run's output folder (holds distillery_run.json)")
    p_export.add_argument("--out", required=True, help="folder to write the exported model to")
    p_export.add_argument("--merge-lora", action="store_true", help="merge LoRA adapters into the base weights")
    p_export.add_argument("--dtype", default="auto", choices=["auto", "bf16", "fp16", "fp32"], help="weights dtype")
    p_export.add_argument("--onnx", action="store_true", help="also write onnx/model.onnx for the in-app engine (needs merged weights)")
    p_export.set_defaults(func=_cmd_export)

    from distillery_worker.onnx_export import add_subcommand as add_export_onnx  # light: no torch at import

    add_export_onnx(sub)

    from distillery_worker.teacher_logits import add_subcommand as add_teacher_logits  # light: no torch at import

    add_teacher_logits(sub)

    from distillery_worker.gguf_import import add_subcommand as add_gguf_import  # light: no torch at import
    from distillery_worker.model_export import add_subcommand as add_model_export

    add_gguf_import(sub)
    add_model_export(sub)

    p_embed = sub.add_parser(
        "embed-model",
        help="build a MiniLM-class sentence embedding model (random weights, local WordPiece tokenizer) as ONNX",
    )
    p_embed.add_argument("--out", required=True, help="output folder (created if missing)")
    p_embed.add_argument("--seed", type=int, default=0, help="random seed (default 0)")
    p_embed.add_argument("--quantized", action="store_true", help="also write onnx/model_quantized.onnx (int8)")
    p_embed.add_argument("--no-optimize", action="store_true", help="skip onnxruntime's transformer fusions")
    p_embed.add_argument("--json", action="store_true", help='print {"path": ...} as JSON')
    p_embed.set_defaults(func=_cmd_embed_model)

    from distillery_worker.st_convert import add_subcommand as add_embed_convert  # light: no torch at import

    add_embed_convert(sub)

    return parser


def main(argv: Sequence[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    return int(args.func(args) or 0)


if __name__ == "__main__":
    raise SystemExit(main())
