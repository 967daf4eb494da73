"""Dataset loading and assistant-only tokenisation.

The dataset is JSONL of ``{"messages": [{"role", "content"}, ...]}`` (TRL / OpenAI messages),
as written by Distillery's export. Loss is on assistant turns only (thinking and answer, plus
the end-of-turn token). Chat templates rarely carry ``{% generation %}`` markers, so we find the
assistant spans ourselves: the template is rendered for each prefix of the conversation, which
must be a textual prefix of the whole rendering; the characters of each assistant turn are then
mapped to tokens with the fast tokenizer's offsets.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from distillery_worker.errors import WorkerError

TRAIN_NAMES = ("train.jsonl", "dataset.jsonl", "data.jsonl")
EVAL_NAMES = ("eval.jsonl", "validation.jsonl", "val.jsonl", "test.jsonl", "dev.jsonl")


def find_dataset_files(path: str | Path) -> tuple[list[Path], list[Path]]:
    """(train files, eval files) for a dataset folder or a single JSONL file."""
    p = Path(path).expanduser()
    if p.is_file():
        return [p], []
    if not p.is_dir():
        raise WorkerError("invalid_dataset", f"The dataset {p} does not exist; pass an export folder or a .jsonl file.")
    evals = [p / n for n in EVAL_NAMES if (p / n).is_file()]
    trains = [p / n for n in TRAIN_NAMES if (p / n).is_file()]
    if not trains:
        trains = sorted(f for f in p.glob("*.jsonl") if f not in evals)
    if not trains:
        raise WorkerError(
            "invalid_dataset",
            f"No .jsonl file in {p}; export the dataset from the Review view (JSONL of messages) or pass the file.",
        )
    return trains, evals


def read_messages(files: list[Path]) -> list[list[dict[str, str]]]:
    rows: list[list[dict[str, str]]] = []
    for f in files:
        with open(f, encoding="utf-8") as fh:
            for n, line in enumerate(fh, 1):
                line = line.strip()
                if not line:
                    continue
                try:
                    obj = json.loads(line)
                except json.JSONDecodeError as e:
                    raise WorkerError("invalid_dataset", f"{f}:{n} is not JSON ({e.msg}); fix or remove that line.") from e
                msgs = obj.get("messages") if isinstance(obj, dict) else None
                if not isinstance(msgs, list) or not msgs or not all(
                    isinstance(m, dict) and isinstance(m.get("role"), str) and isinstance(m.get("content"), str)
                    for m in msgs
                ):
                    raise WorkerError(
                        "invalid_dataset",
                        f'{f}:{n} has no "messages" list of {{"role","content"}} objects; re-export the dataset as messages.',
                    )
                if not any(m["role"] == "assistant" for m in msgs):
                    continue
                rows.append([{"role": m["role"], "content": m["content"]} for m in msgs])
    if not rows:
        raise WorkerError("invalid_dataset", "The dataset has no conversation with an assistant turn; nothing to train on.")
    return rows


def _render(tokenizer: Any, messages: list[dict[str, str]], add_generation_prompt: bool) -> str:
    return tokenizer.apply_chat_template(messages, tokenize=False, add_generation_prompt=add_generation_prompt)


def assistant_char_spans(tokenizer: Any, messages: list[dict[str, str]]) -> tuple[str, list[tuple[int, int]]]:
    """The rendered conversation and the [start, end) character spans of each assistant turn.

    A span starts after the template's generation prompt and ends after the turn's closing
    marker (e.g. ``<|im_end|>``), trailing whitespace excluded.
    """
    full = _render(tokenizer, messages, False)
    spans: list[tuple[int, int]] = []
    for i, m in enumerate(messages):
        if m["role"] != "assistant":
            continue
        before = _render(tokenizer, messages[:i], True) if i > 0 else None
        through = _render(tokenizer, messages[: i + 1], False)
        if before is None:
            # an assistant turn first: the generation prompt of an empty conversation
            before = _render(tokenizer, [], True) if tokenizer.chat_template else ""
        if not full.startswith(through) or not through.startswith(before):
            raise WorkerError(
                "invalid_config",
                "The chat template does not render conversations prefix by prefix, so the assistant turns cannot be "
                "located for assistant-only loss; use a base model whose template renders turns in order "
                "(e.g. ChatML) or add {% generation %} markers.",
            )
        end = len(through.rstrip())
        if end > len(before):
            spans.append((len(before), end))
    return full, spans


def tokenize_conversation(tokenizer: Any, messages: list[dict[str, str]]) -> dict[str, list[int]]:
    """``input_ids`` and ``labels`` (prompt tokens -100) for one conversation, untruncated."""
    text, spans = assistant_char_spans(tokenizer, messages)
    enc = tokenizer(text, add_special_tokens=False, return_offsets_mapping=True)
    ids: list[int] = list(enc["input_ids"])
    offsets = enc["offset_mapping"]
    labels = [-100] * len(ids)
    for k, (s, e) in enumerate(offsets):
        if e <= s:
            continue
        if any(a <= s < b for a, b in spans):
            labels[k] = ids[k]
    return {"input_ids": ids, "labels": labels}


def build_dataset(tokenizer: Any, conversations: list[list[dict[str, str]]], max_length: int | None = None):
    """A ``datasets.Dataset`` with ``input_ids`` and ``labels`` (truncated to ``max_length``).

    Rows left without any trained token by truncation are dropped.
    """
    from datasets import Dataset

    if not getattr(tokenizer, "is_fast", False):
        raise WorkerError("invalid_model_folder", "The tokenizer is not a fast tokenizer (no tokenizer.json); use a model folder with tokenizer.json.")
    if not tokenizer.chat_template:
        raise WorkerError("invalid_model_folder", "The base model has no chat template; use an instruct model folder with chat_template.jinja or a template in tokenizer_config.json.")
    rows = {"input_ids": [], "labels": []}
    for msgs in conversations:
        r = tokenize_conversation(tokenizer, msgs)
        if max_length:
            r = {k: v[:max_length] for k, v in r.items()}
        if all(x == -100 for x in r["labels"]):
            continue
        rows["input_ids"].append(r["input_ids"])
        rows["labels"].append(r["labels"])
    if not rows["input_ids"]:
        raise WorkerError("invalid_dataset", f"Every example lost its assistant turn to truncation at max length {max_length}; raise the max length.")
    return Dataset.from_dict(rows)
