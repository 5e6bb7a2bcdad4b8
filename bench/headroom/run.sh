#!/usr/bin/env bash
# Headroom on a structured-profile world: would a task move if a vector knew what the generator planted?
# Usage: bench/headroom/run.sh WORK [SUBMISSION]
#   WORK        a `make demo PROFILE=structured WORK=...` dir (its data/ is read; outputs go to WORK/headroom/)
#   SUBMISSION  the submission whose blocks are recombined with each experiment block (default WORK/submission)
# Prints the new-sku label counts (Headroom newsku), probes the one-column activity block alone on new sku, then builds two blocks (Headroom circles, transitions; see
# Headroom.java), combines each with the submission's blocks at the submission's weights (the new block standard
# scaled at weight 0.1) and probes: the submission, each combination and each block alone, fast probe, probe seeds
# 42-46 (REPEATS), pairing each combination with the submission by seed (bench/ablation/paired.py).
# Env: TASKS (ubm ablate --tasks, default all six), REPEATS (default 5), UBM_JAVA_OPTS.
set -euo pipefail
cd "$(dirname "$0")/../.."
work=${1:?usage: bench/headroom/run.sh WORK [SUBMISSION]}
sub=${2:-$work/submission}
data=$work/data
out=$work/headroom
repeats=${REPEATS:-5}
tasks=()
[[ -n ${TASKS:-} ]] && tasks=(--tasks $TASKS)
[[ -f cli/target/classpath.txt ]] || make build
cp="core/target/classes:data/target/classes:$(cat cli/target/classpath.txt)"
mkdir -p "$out/classes" "$out/scores"
javac -d "$out/classes" -cp "$cp" bench/headroom/Headroom.java
run() { java ${UBM_JAVA_OPTS:--Xmx4g} -cp "$out/classes:$cp" dev.ubm.data.synth.Headroom "$@"; }

run newsku "$data"
probe() { # NAME DIR
  [[ -f $out/scores/$1/ablation.csv ]] && return
  bin/ubm ablate --data-dir "$data" --blocks "$1=$2" --score-dir "$out/scores/$1" --seed 42 --repeats "$repeats" --quiet \
    ${tasks[@]+"${tasks[@]}"}
}
# the one column newsku ranks buyers by, alone under the fast and the linear probe (new sku only)
[[ -f $out/activity/block.json ]] || run activity "$data" "$out/activity"
for p in fast linear; do
  [[ -f $out/scores/activity-$p/ablation.csv ]] || bin/ubm ablate --data-dir "$data" --blocks "activity=$out/activity" \
    --score-dir "$out/scores/activity-$p" --seed 42 --repeats "$([[ $p == fast ]] && echo "$repeats" || echo 1)" --probe $p \
    --quiet --tasks propensity_new_sku
  echo "== activity alone, $p probe"; sed -n '/^| all/{p;q}' "$out/scores/activity-$p/ablation.md" || true
done
probe submission "$sub"
for x in circles transitions; do
  [[ -f $out/$x/block.json ]] || run "$x" "$data" "$out/$x"
  # the submission's own blocks, scalings and weights, then the experiment block
  mapfile -t args < <(python3 - "$sub/block.json" "$x" "$out/$x" <<'PY'
import json, sys
blocks = json.load(open(sys.argv[1]))["config"]["blocks"]
name, d = sys.argv[2], sys.argv[3]
for b in blocks:
    print(f"--blocks={b['name']}={b['dir']}"); print(f"--weights={b['name']}={b['weight']}"); print(f"--scaling={b['name']}={b['scaling']}")
print(f"--blocks={name}={d}"); print(f"--weights={name}=0.1"); print(f"--scaling={name}=standard")
PY
)
  [[ -f $out/sub-$x/block.json ]] || bin/ubm combine --quiet --data-dir "$data" --embeddings-dir "$out/sub-$x" "${args[@]}"
  probe "sub-$x" "$out/sub-$x"
  probe "$x" "$out/$x"
  echo "== submission + $x - submission"
  python3 bench/ablation/paired.py "$out/scores/sub-$x/ablation.csv" all "$out/scores/submission/ablation.csv" all
  echo "== $x alone"
  sed -n '/^| all/{p;q}' "$out/scores/$x/ablation.md" || true
done
