#!/usr/bin/env bash
# GPU check for training (issue 8): bench/gpu-train.py on the GPU machine, under 8 minutes on one H100.
#
# The GPU machine's image has torch, transformers, accelerate, peft and safetensors but not trl or datasets.
# Bring them as wheels in .whl/ (ignored by git; see the device notes), prepared here with pip:
#   echo /.whl/ >> .git/info/exclude
#   python3 -m pip download --no-deps --only-binary=:all: --python-version 3.12 --implementation cp \
#     --platform manylinux_2_28_x86_64 --platform manylinux_2_17_x86_64 --platform manylinux2014_x86_64 \
#     -d .whl trl==1.16.0 datasets==5.2.0 dill==0.4.0 multiprocess==0.70.18 transformers==5.24.0
# and name .whl in the run's carry. Figures land in $OUT/gpu-train.json (and on stdout).
set -euo pipefail
cd "$(dirname "$0")/.."
PY="${PYTHON:-python3}"
if [ -x .venv/bin/python ] && [ -z "${PYTHON:-}" ] && ! command -v nvidia-smi >/dev/null 2>&1; then PY=.venv/bin/python; fi
if ! "$PY" -c 'import trl, datasets' 2>/dev/null; then
  if compgen -G '.whl/*.whl' >/dev/null; then
    "$PY" -m pip install -q --no-index --no-deps --no-compile --no-cache-dir --upgrade --target /tmp/site .whl/*.whl
    export PYTHONPATH="/tmp/site${PYTHONPATH:+:$PYTHONPATH}"
  else
    echo "gpu-check: trl and datasets are not importable by $PY and there is no .whl/ folder; see the top of $0." >&2
    exit 2
  fi
fi
export PYTHONPATH="$PWD/resources/python/src${PYTHONPATH:+:$PYTHONPATH}"
export PYTHONUNBUFFERED=1 HF_HUB_OFFLINE=1 TRANSFORMERS_OFFLINE=1 HF_DATASETS_OFFLINE=1 TOKENIZERS_PARALLELISM=false
command -v nvidia-smi >/dev/null 2>&1 && nvidia-smi --query-gpu=name,memory.total,driver_version --format=csv,noheader || true
"$PY" -c 'import torch, transformers, trl; print("torch", torch.__version__, "transformers", transformers.__version__, "trl", trl.__version__, "cuda", torch.cuda.is_available())'
exec timeout 470 "$PY" bench/gpu-train.py "$@"
