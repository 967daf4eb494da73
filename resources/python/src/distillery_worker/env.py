"""Environment report: Python, platform, torch/CUDA, GPUs and library versions.

Never raises because a library is missing or broken: missing libraries report ``None``.
"""

from __future__ import annotations

import platform
import sys
from importlib import metadata
from typing import Any

# key in the report -> distribution name on PyPI
LIBRARIES: dict[str, str] = {
    "transformers": "transformers",
    "trl": "trl",
    "peft": "peft",
    "accelerate": "accelerate",
    "datasets": "datasets",
    "bitsandbytes": "bitsandbytes",
    "flash_attn": "flash-attn",
    "vllm": "vllm",
}


def _dist_version(name: str) -> str | None:
    try:
        return metadata.version(name)
    except metadata.PackageNotFoundError:
        return None
    except Exception:  # noqa: BLE001 - a broken install must not crash the report
        return None


def _torch_info() -> dict[str, Any]:
    info: dict[str, Any] = {"torch": None, "cuda_available": False, "cuda_version": None, "gpus": []}
    try:
        import torch
    except Exception:  # noqa: BLE001
        return info
    info["torch"] = torch.__version__
    info["cuda_version"] = getattr(torch.version, "cuda", None)
    try:
        available = bool(torch.cuda.is_available())
    except Exception:  # noqa: BLE001
        available = False
    info["cuda_available"] = available
    if available:
        for i in range(torch.cuda.device_count()):
            try:
                props = torch.cuda.get_device_properties(i)
                info["gpus"].append(
                    {
                        "index": i,
                        "name": props.name,
                        "memory_gib": round(props.total_memory / 1024**3, 2),
                    }
                )
            except Exception:  # noqa: BLE001
                info["gpus"].append({"index": i, "name": "unknown", "memory_gib": 0.0})
    return info


def collect_env() -> dict[str, Any]:
    report: dict[str, Any] = {
        "python": platform.python_version(),
        "platform": platform.platform(),
    }
    report.update(_torch_info())
    report["libraries"] = {key: _dist_version(dist) for key, dist in LIBRARIES.items()}
    # DeepSpeed ZeRO-3 for several GPUs: the engine refuses that launcher when this is None
    report["deepspeed"] = _dist_version("deepspeed")
    report["executable"] = sys.executable
    return report


def format_env(info: dict[str, Any]) -> str:
    lines = [
        f"Python      {info['python']} ({info['executable']})",
        f"Platform    {info['platform']}",
        f"torch       {info['torch'] or 'not installed'}",
        f"CUDA        {'available' if info['cuda_available'] else 'not available'}"
        + (f" (built with CUDA {info['cuda_version']})" if info["cuda_version"] else ""),
    ]
    if info["gpus"]:
        for g in info["gpus"]:
            lines.append(f"GPU {g['index']}       {g['name']}, {g['memory_gib']:.1f} GiB")
    else:
        lines.append("GPUs        none")
    lines.append(f"DeepSpeed   {info.get('deepspeed') or 'not installed (FSDP only for several GPUs)'}")
    lines.append("Libraries")
    for key, version in info["libraries"].items():
        lines.append(f"  {key:<13} {version or '-'}")
    return "\n".join(lines) + "\n"
