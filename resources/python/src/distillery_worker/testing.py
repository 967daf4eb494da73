"""Test fixtures: a tiny, randomly initialised Qwen2 causal LM with a tokenizer trained on the fly.

Nothing here downloads from the Hugging Face Hub. The model is a real Qwen2 architecture
(2 layers, hidden 64, 4 attention heads, 2 KV heads, intermediate 128) so that training,
LoRA, export and ``transformers serve`` code paths behave as with a real checkpoint, just fast.

    from distillery_worker.testing import build_tiny_model
    path = build_tiny_model(tmp_path / "tiny")      # -> Path with config.json, model.safetensors,
                                                    #    tokenizer.json, chat_template.jinja, ...

CLI: ``python -m distillery_worker tiny-model --out DIR``.
"""

from __future__ import annotations

import random
from pathlib import Path

ENDOFTEXT = "<|endoftext|>"
IM_START = "<|im_start|>"
IM_END = "<|im_end|>"
THINK_OPEN = "<think>"
THINK_CLOSE = "</think>"
SPECIAL_TOKENS = [ENDOFTEXT, IM_START, IM_END]
# Like Qwen3, the think tags are added tokens but not "special": they survive
# decode(skip_special_tokens=True), so reasoning traces keep their markers.
THINK_TOKENS = [THINK_OPEN, THINK_CLOSE]

TINY_VOCAB_SIZE = 500

QWEN2_SPLIT = (
    r"(?i:'s|'t|'re|'ve|'m|'ll|'d)|[^\r\n\p{L}\p{N}]?\p{L}+|\p{N}| ?[^\s\p{L}\p{N}]+[\r\n]*|\s*[\r\n]+|\s+(?!\S)|\s+"
)

# Qwen-style ChatML template (system / user / assistant). The generation prompt opens an
# assistant turn; the caller decides whether to prefill "<think>\n".
CHAT_TEMPLATE = (
    "{%- for message in messages -%}"
    "{%- if message['role'] not in ['system', 'user', 'assistant'] -%}"
    "{{- raise_exception('Unsupported role: ' + message['role']) -}}"
    "{%- endif -%}"
    "{%- if message['role'] == 'system' and not loop.first -%}"
    "{{- raise_exception('The system message must come first') -}}"
    "{%- endif -%}"
    "{{- '<|im_start|>' + message['role'] + '\\n' + message['content'] + '<|im_end|>\\n' -}}"
    "{%- endfor -%}"
    "{%- if add_generation_prompt -%}"
    "{{- '<|im_start|>assistant\\n' -}}"
    "{%- endif -%}"
)


def math_corpus(n_lines: int = 400, seed: int = 0) -> list[str]:
    """A few hundred lines of deterministic math-like text in ChatML with think blocks."""
    rng = random.Random(seed)
    words = ["Let", "Then", "So", "Therefore", "Compute", "Solve", "Find", "the", "answer", "is",
             "value", "of", "sum", "product", "equation", "We", "have", "check", "Wait",
             "integer", "number", "total", "each", "remainder", "divided", "by"]
    lines: list[str] = []
    for i in range(n_lines):
        a, b = rng.randint(0, 999), rng.randint(1, 99)
        op = rng.choice(["+", "-", "*", "/", "^"])
        kind = i % 5
        if kind == 0:
            lines.append(f"{IM_START}user\nCompute {a} {op} {b}.{IM_END}")
        elif kind == 1:
            lines.append(
                f"{IM_START}assistant\n{THINK_OPEN}\nWe have {a} {op} {b}. "
                f"Let x = {a}. Then x {op} {b} = {a + b}. Wait, check again.\n{THINK_CLOSE}\n"
                f"The answer is $\\boxed{{{a + b}}}$.{IM_END}"
            )
        elif kind == 2:
            lines.append(f"Solve for x: {a}x + {b} = {a * 2 + b}, so x = 2. \\frac{{{a}}}{{{b}}} \\sqrt{{{b}}}")
        elif kind == 3:
            lines.append(f"{IM_START}system\nYou are a helpful assistant. Reason step by step.{IM_END}")
        else:
            lines.append(" ".join(rng.choice(words) for _ in range(12)) + f" {a}{op}{b}={rng.randint(0, 9999)}. {ENDOFTEXT}")
    return lines


def build_tiny_tokenizer(vocab_size: int = TINY_VOCAB_SIZE, seed: int = 0):
    """Train a byte-level BPE tokenizer on :func:`math_corpus` and wrap it for transformers."""
    from tokenizers import AddedToken, Regex, Tokenizer, decoders, models, pre_tokenizers, processors, trainers
    from transformers import PreTrainedTokenizerFast

    tok = Tokenizer(models.BPE(unk_token=None))
    # Qwen2's own pre-tokenizer (digits one by one, then byte-level without its regex): transformers loads a
    # qwen2 model's tokenizer with this split whatever tokenizer.json says, so the file must say the same for
    # other readers (the app's tokenizer, transformers.js) to count the tokens the model sees.
    tok.pre_tokenizer = pre_tokenizers.Sequence(
        [
            pre_tokenizers.Split(
                Regex(QWEN2_SPLIT),
                behavior="isolated",
                invert=False,
            ),
            pre_tokenizers.ByteLevel(add_prefix_space=False, use_regex=False),
        ]
    )
    tok.decoder = decoders.ByteLevel()
    tok.post_processor = processors.ByteLevel(trim_offsets=False)
    trainer = trainers.BpeTrainer(
        vocab_size=vocab_size,
        min_frequency=2,
        special_tokens=SPECIAL_TOKENS,
        initial_alphabet=pre_tokenizers.ByteLevel.alphabet(),
        show_progress=False,
    )
    tok.train_from_iterator(math_corpus(seed=seed), trainer=trainer)
    tok.add_tokens([AddedToken(t, special=False, normalized=False) for t in THINK_TOKENS])

    hf_tok = PreTrainedTokenizerFast(
        tokenizer_object=tok,
        eos_token=IM_END,
        pad_token=ENDOFTEXT,
        bos_token=None,
        unk_token=None,
        model_max_length=2048,
        padding_side="right",
        clean_up_tokenization_spaces=False,
    )
    hf_tok.chat_template = CHAT_TEMPLATE
    return hf_tok


# Shapes by size: "tiny" for tests; "small" (~30M parameters, Qwen2 head_dim 64 and GQA) for benchmarks.
SIZES = {
    "tiny": {"hidden_size": 64, "intermediate_size": 128, "num_hidden_layers": 2, "num_attention_heads": 4, "num_key_value_heads": 2},
    "small": {"hidden_size": 512, "intermediate_size": 2048, "num_hidden_layers": 8, "num_attention_heads": 8, "num_key_value_heads": 2},
}


def build_tiny_model(out_dir: str | Path, seed: int = 0, size: str = "tiny") -> Path:
    """Build and ``save_pretrained`` a tiny random Qwen2 causal LM + tokenizer into ``out_dir``."""
    import torch
    from transformers import GenerationConfig, Qwen2Config, Qwen2ForCausalLM

    out = Path(out_dir).expanduser().resolve()
    out.mkdir(parents=True, exist_ok=True)

    tokenizer = build_tiny_tokenizer(seed=seed)
    eos_id = tokenizer.convert_tokens_to_ids(IM_END)
    pad_id = tokenizer.convert_tokens_to_ids(ENDOFTEXT)

    if size not in SIZES:
        raise ValueError(f"size must be one of {', '.join(SIZES)}, not {size!r}")
    config = Qwen2Config(
        vocab_size=len(tokenizer),
        **SIZES[size],
        max_position_embeddings=2048,
        rope_theta=10000.0,
        tie_word_embeddings=True,
        bos_token_id=pad_id,
        eos_token_id=eos_id,
        pad_token_id=pad_id,
    )
    torch.manual_seed(seed)
    model = Qwen2ForCausalLM(config).to(torch.float32).eval()
    model.generation_config = GenerationConfig(
        bos_token_id=pad_id,
        eos_token_id=[eos_id, pad_id],
        pad_token_id=pad_id,
        do_sample=False,
        max_new_tokens=32,
    )
    model.save_pretrained(out)
    tokenizer.save_pretrained(out)
    return out
