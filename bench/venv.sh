#!/usr/bin/env bash
# Prints the path of a Python with torch + numpy for the side-by-side benchmarks (bench/ only; ubm never needs
# Python). Creates the venv DIR (default work/bench/venv) on first use; pip resolves the CPU wheels from the local
# wheel folders that `pip config list` names, with no retries when no index answers.
# Usage: python="$(bench/venv.sh [DIR])"
set -euo pipefail
venv="${1:-work/bench/venv}"
if [[ ! -x "$venv/bin/python" ]] || ! "$venv/bin/python" -c "import torch, numpy" 2>/dev/null; then
  python3 -m venv "$venv" >&2
  "$venv/bin/pip" install -q --retries 0 --timeout 5 torch numpy >&2 || {
    echo "[ERROR] cannot install torch + numpy into $venv (see 'pip config list' for the wheel folders)" >&2; exit 2; }
fi
echo "$venv/bin/python"
