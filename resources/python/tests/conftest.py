"""Shared pytest fixtures. No test may reach the Hugging Face Hub."""

from __future__ import annotations

import os

# Set before transformers/huggingface_hub are imported by any test module.
os.environ["HF_HUB_OFFLINE"] = "1"
os.environ["TRANSFORMERS_OFFLINE"] = "1"
os.environ.setdefault("HF_DATASETS_OFFLINE", "1")
os.environ.setdefault("TOKENIZERS_PARALLELISM", "false")

from pathlib import Path

import pytest


@pytest.fixture(scope="session")
def tiny_model_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A folder holding a tiny random Qwen2 model + trained tokenizer (built once per session)."""
    from distillery_worker.testing import build_tiny_model

    return build_tiny_model(tmp_path_factory.mktemp("tiny-qwen2"))
