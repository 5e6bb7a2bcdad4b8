#!/usr/bin/env bash
# GPU against CPU training throughput of the seq encoder (the make bench-seq batch) and the official probe (the
# make bench-probe network), both through `--device`; run it on a machine with an NVIDIA GPU. Results (steps/s on
# each device and the GPU/CPU ratio) are printed and written to $WORK/bench/gpu/results.md.
# Needs: `make build`; a CUDA 12.8 build of PyTorch 2.7.1 (pip install torch==2.7.1 --index-url
# https://download.pytorch.org/whl/cu128), found through PYTORCH_LIBRARY_PATH or else in $PYTHON (default python3);
# a data dir (made with `make synth split` when missing). See docs/gpu.md.
# Usage: bench/gpu/check.sh [WORK [DATA]]   (env: SEQ_STEPS, default 60; PROBE_STEPS, default 20)
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
cd "$here"
work="${1:-work}"; data="${2:-$work/data}"
seq_steps="${SEQ_STEPS:-60}"; probe_steps="${PROBE_STEPS:-20}"
if [[ -z "${PYTORCH_LIBRARY_PATH:-}" ]]; then
  py="${PYTHON:-python3}"
  PYTORCH_LIBRARY_PATH="$("$py" -c 'import os, torch; print(os.path.join(os.path.dirname(torch.__file__), "lib"))')" || {
    echo "[ERROR] no PyTorch in $py: install a CUDA build or set PYTORCH_LIBRARY_PATH (docs/gpu.md)" >&2; exit 2; }
fi
export PYTORCH_LIBRARY_PATH PYTORCH_VERSION="${PYTORCH_VERSION:-2.7.1}" PYTORCH_FLAVOR="${PYTORCH_FLAVOR:-cu128}"
export OPT_OUT_TRACKING=true DJL_OFFLINE=true OMP_WAIT_POLICY=PASSIVE
echo "== libtorch: $PYTORCH_LIBRARY_PATH ($PYTORCH_VERSION, $PYTORCH_FLAVOR)"
command -v nvidia-smi >/dev/null && nvidia-smi --query-gpu=name,driver_version,memory.total --format=csv,noheader || true
[[ -f cli/target/classpath.txt ]] || make build
[[ -f "$data/input/relevant_clients.npy" ]] || make synth split DATA="$data"
out="$work/bench/gpu"; mkdir -p "$out"
cp="$(cat cli/target/classpath.txt)"
mods=""; for m in core data nn features encoders gnn probes submission cli; do mods="$mods:$here/$m/target/classes"; done
for dev in cpu gpu; do
  echo "== seq training step on $dev ($seq_steps steps)"
  bin/ubm encode seq --data-dir "$data" --embeddings-dir "$out/seq-$dev" --bench-dir "$out/seq-$dev" \
    --bench-steps "$seq_steps" --seed 42 --quiet --device "$dev"
  echo "== official probe training step on $dev ($probe_steps steps)"
  java -Xmx8g -Dai.djl.offline=true -Dubm.device="$dev" -Dorg.slf4j.simpleLogger.defaultLogLevel=error \
    -cp "${mods#:}:$cp" dev.ubm.probes.mlp.ProbeBench --dim 320 --out 100 --steps "$probe_steps" --warmup 3 \
    | tee "$out/probe-$dev.json"
done
python3 - "$out" <<'PY'
import json, os, sys
out = sys.argv[1]
def seq(dev):
    j = json.load(open(os.path.join(out, f"seq-{dev}", "java.json")))
    return j["engine"], 1000.0 / j["ms_per_step"], 1000.0 / j["best_round_ms_per_step"]
def probe(dev):
    j = json.loads(open(os.path.join(out, f"probe-{dev}.json")).read())
    return j["device"], j["steps_per_s"]
sc, sg = seq("cpu"), seq("gpu")
pc, pg = probe("cpu"), probe("gpu")
lines = ["# bench/gpu/check.sh", "", "| training step | CPU steps/s | GPU steps/s | GPU / CPU |", "|---|---:|---:|---:|",
         f"| seq encoder, mean ({sc[0]} / {sg[0]}) | {sc[1]:.2f} | {sg[1]:.2f} | {sg[1] / sc[1]:.1f}x |",
         f"| seq encoder, best round of 10 | {sc[2]:.2f} | {sg[2]:.2f} | {sg[2] / sc[2]:.1f}x |",
         f"| official probe, 51.2M parameters ({pc[0]} / {pg[0]}) | {pc[1]:.3f} | {pg[1]:.3f} | {pg[1] / pc[1]:.1f}x |"]
open(os.path.join(out, "results.md"), "w").write("\n".join(lines) + "\n")
print("\n".join(lines))
PY
