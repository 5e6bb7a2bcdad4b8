#!/usr/bin/env bash
# make bench-probe: (1) official probe training throughput on CPU, DJL (ProbeBench) vs Python PyTorch
# (probe_torch.py), same network, batch and optimiser, run alternately; (2) the fast probe on the default world,
# all six tasks, wall time. Results: $WORK/bench/probe/results.md (+ raw JSON lines in results.jsonl).
# Usage: bench/probe/bench.sh WORK DATA   (env: BENCH_STEPS, BENCH_DIM, BENCH_ROUNDS, BENCH_FAST=0 skips part 2)
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
work="${1:-work}"; data="${2:-$work/data}"
out="$work/bench/probe"; mkdir -p "$out"
steps="${BENCH_STEPS:-10}"; dim="${BENCH_DIM:-320}"; rounds="${BENCH_ROUNDS:-2}"
python="$("$here/bench/venv.sh" "$work/bench/venv")"
venv="$(dirname "$(dirname "$python")")"
cp="$(cat "$here/cli/target/classpath.txt")"
mods=""; for m in core data nn features encoders gnn probes submission cli; do mods="$mods:$here/$m/target/classes"; done
export OPT_OUT_TRACKING=true DJL_OFFLINE=true OMP_WAIT_POLICY=PASSIVE
jsonl="$out/results.jsonl"; : > "$jsonl"
echo "== official probe throughput, D=$dim, out=100, batch 128, $steps steps x $rounds rounds (nproc $(nproc), load $(cut -d' ' -f1-3 /proc/loadavg))"
for r in $(seq "$rounds"); do
  java -Xmx8g -Dai.djl.offline=true -Dorg.slf4j.simpleLogger.defaultLogLevel=error -cp "${mods#:}:$cp" \
    dev.ubm.probes.mlp.ProbeBench --dim "$dim" --out 100 --steps "$steps" --warmup 2 | tee -a "$jsonl"
  "$venv/bin/python" "$here/bench/probe/probe_torch.py" --dim "$dim" --out 100 --steps "$steps" --warmup 2 | tee -a "$jsonl"
done
if [[ "${BENCH_FAST:-1}" == "1" ]]; then
echo "== fast probe, all six tasks, on $data"
emb="$out/emb-random"
"$venv/bin/python" - "$data" "$emb" <<'PY'
import os, sys
import numpy as np
data, emb = sys.argv[1], sys.argv[2]
ids = np.load(os.path.join(data, "input", "relevant_clients.npy"))
rng = np.random.default_rng(0)
rng.shuffle(ids)
os.makedirs(emb, exist_ok=True)
np.save(os.path.join(emb, "client_ids.npy"), ids.astype(np.int64))
np.save(os.path.join(emb, "embeddings.npy"), rng.standard_normal((len(ids), 320)).astype(np.float16))
PY
t0=$(date +%s.%N)
"$here/bin/ubm" probe --data-dir "$data" --embeddings-dir "$emb" --score-dir "$out/scores-fast" --probe fast \
  --no-baseline --quiet
t1=$(date +%s.%N)
fast=$(python3 -c "print(round($t1 - $t0, 1))")
clients=$("$venv/bin/python" -c "import numpy as np; print(len(np.load('$emb/client_ids.npy')))")
echo "{\"impl\": \"fast-probe\", \"tasks\": 6, \"clients\": $clients, \"seconds\": $fast}" | tee -a "$jsonl"
fi
"$venv/bin/python" - "$jsonl" "$out/results.md" <<'PY'
import json, statistics, sys
rows = [json.loads(l) for l in open(sys.argv[1]) if l.strip()]
djl = [r["steps_per_s"] for r in rows if r["impl"] == "djl"]
pt = [r["steps_per_s"] for r in rows if r["impl"] == "pytorch"]
djl_cpu = [r["cpu_s_per_step"] for r in rows if r["impl"] == "djl"]
pt_cpu = [r["cpu_s_per_step"] for r in rows if r["impl"] == "pytorch"]
fast = [r for r in rows if r["impl"] == "fast-probe"]
with open(sys.argv[2], "w") as f:
    f.write("# bench-probe\n\n| measure | value |\n|---|---|\n")
    f.write(f"| official probe, DJL steps/s (runs) | {', '.join(map(str, djl))} |\n")
    f.write(f"| official probe, PyTorch steps/s (runs) | {', '.join(map(str, pt))} |\n")
    f.write(f"| official probe, DJL CPU s/step (runs) | {', '.join(map(str, djl_cpu))} |\n")
    f.write(f"| official probe, PyTorch CPU s/step (runs) | {', '.join(map(str, pt_cpu))} |\n")
    if djl and pt:
        f.write(f"| DJL / PyTorch wall time per step (median) | {statistics.median(pt) / statistics.median(djl):.2f}x (target <= 1.3x) |\n")
        f.write(f"| DJL / PyTorch CPU time per step (median) | {statistics.median(djl_cpu) / statistics.median(pt_cpu):.2f}x |\n")
    for r in fast:
        f.write(f"| fast probe, {r['tasks']} tasks, {r['clients']} clients | {r['seconds']} s (target < 180 s) |\n")
print(open(sys.argv[2]).read())
PY
