#!/usr/bin/env bash
# Kill-and-rerun fault test for the five stages that write a block dir: features, encode seq, gnn, encode dcn,
# combine. On a tiny synthetic world, for each stage:
#   1. a reference run, uninterrupted;
#   2. for each kill point (1 s, 3 s, and a delay drawn with a fixed seed in 10..90% of the reference wall time),
#      the same command into a fresh dir, `kill -9` of the JVM at that point (bin/ubm execs java, so its pid is the
#      JVM's; for seq, gnn and dcn also "c": 0.3 s after their first epoch checkpoint appears, so the rerun resumes), with the dir sampled every 0.2 s: a block.json whose client_ids.npy / embeddings.npy differ from the
#      reference while the stage is still running counts as "partial accepted" (another stage would take it as
#      finished). After the kill, a dir without block.json must be refused by `combine` and `probe` with exit 3;
#   3. a rerun into the same dir to completion (seq, gnn and dcn resume from their checkpoints, the others restart),
#      whose client_ids.npy and embeddings.npy must match the reference byte for byte (sha256).
# Prints one table row per kill and exits 1 on any failure.
# Usage: bench/fault/kill.sh [WORK_DIR] (default work/fault; the world is made there when missing).
# Env: FAULT_STAGES (default "features seq gnn dcn combine"), FAULT_KILLS (default "1 3 r c"; c only for seq, gnn
# and dcn), FAULT_SEED (default 1).
set -uo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/../.."
W=${1:-work/fault}
D=$W/data
STAGES=${FAULT_STAGES:-features seq gnn dcn combine}
KILLS=${FAULT_KILLS:-1 3 r c}
SEED=${FAULT_SEED:-1}
UBM=bin/ubm
mkdir -p "$W/ref" "$W/runs" "$W/logs"

if [[ ! -f $D/input/relevant_clients.npy ]]; then
  echo "fault: making the tiny world in $D"
  $UBM synth --clients 2000 --relevant-clients 400 --days 60 --seed 1 --out-dir "$D" --quiet >"$W/logs/synth.log" 2>&1 \
    && $UBM split --data-dir "$D" >"$W/logs/split.log" 2>&1 || { echo "fault: synth/split failed (see $W/logs)" >&2; exit 4; }
fi

# The command of a stage writing into $2, deterministic flags only: one TwHIN thread (Hogwild with two is not
# bit-reproducible), CPU for the DJL trainers, few epochs so runs are short. dcn reads the reference feature block,
# combine the four reference blocks.
stage_cmd() {
  local out=$2
  case $1 in
    features) echo "$UBM features --data-dir $D --embeddings-dir $out --set full --seed $SEED --quiet" ;;
    seq) echo "$UBM encode seq --data-dir $D --embeddings-dir $out --epochs 3 --device cpu --seed $SEED --quiet" ;;
    gnn) echo "$UBM gnn --data-dir $D --embeddings-dir $out --method twhin --threads 1 --epochs 4 --seed $SEED --quiet" ;;
    dcn) echo "$UBM encode dcn --data-dir $D --features $W/ref/features --embeddings-dir $out --epochs 3 --device cpu --seed $SEED --quiet" ;;
    combine) echo "$UBM combine --blocks $W/ref/features $W/ref/seq $W/ref/gnn $W/ref/dcn --data-dir $D --embeddings-dir $out --seed $SEED --quiet" ;;
  esac
}

# The epoch checkpoint a stage resumes from (none for the stages that restart).
checkpoint() {
  case $1 in
    seq) echo "$2/.seq-work/model.ckpt" ;;
    gnn) echo "$2/.gnn-checkpoint" ;;
    dcn) echo "$2/.dcn-work/dcn.ckpt" ;;
  esac
}
has_checkpoint() { local c; c=$(checkpoint "$1" "$2"); [[ -n $c && -e $c && ( -f $c || -n $(ls -A "$c" 2>/dev/null) ) ]]; }

hashes() { (cd "$1" 2>/dev/null && sha256sum client_ids.npy embeddings.npy 2>/dev/null | awk '{print $1}' | paste -sd' '); }

# Max abs difference of embeddings.npy (and whether client_ids.npy differs) between two block dirs.
diff_report() {
  python3 - "$1" "$2" <<'EOF' 2>&1
import sys, numpy as np
a, b = sys.argv[1], sys.argv[2]
ia, ib = np.load(a + "/client_ids.npy"), np.load(b + "/client_ids.npy")
ea, eb = np.load(a + "/embeddings.npy").astype(np.float64), np.load(b + "/embeddings.npy").astype(np.float64)
ids = "same" if ia.shape == ib.shape and (ia == ib).all() else "differ"
if ea.shape != eb.shape:
    print(f"client_ids {ids}; embeddings shape {ea.shape} vs {eb.shape}")
else:
    d = np.abs(ea - eb)
    print(f"client_ids {ids}; embeddings max abs diff {np.nanmax(d):.3g}, {int((d > 0).sum())} of {d.size} values differ")
EOF
}

fail=0
rows=()
row() { rows+=("$(printf '| %s | %s | %s | %s | %s | %s | %s |' "$@")"); printf 'fault: %s | %s | %s | %s | %s | %s | %s\n' "$@"; }

for st in $STAGES; do
  ref=$W/ref/$st
  rm -rf "$ref"
  t0=$(date +%s.%N)
  if ! $(stage_cmd "$st" "$ref") >"$W/logs/$st-ref.log" 2>&1; then
    echo "fault: reference run of $st failed (see $W/logs/$st-ref.log)" >&2; exit 4
  fi
  tref=$(echo "$(date +%s.%N) - $t0" | bc)
  refh=$(hashes "$ref")
  printf 'fault: %s reference: %.1f s\n' "$st" "$tref"
  i=0
  for k in $KILLS; do
    i=$((i + 1))
    ck=
    if [[ $k == c ]]; then
      [[ -n $(checkpoint "$st" x) ]] || continue
      ck=1 k=1000000
    fi
    if [[ $k == r ]]; then
      k=$(awk -v s="$SEED" -v n="$i" -v st="$st" -v t="$tref" \
        'BEGIN { h = 0; for (j = 1; j <= length(st); j++) h = h * 31 + index("abcdefghijklmnopqrstuvwxyz", substr(st, j, 1));
                 srand(s * 1000 + h % 1000 + n); printf "%.1f", t * (0.1 + 0.8 * rand()) }')
    fi
    out=$W/runs/$st-k$i
    rm -rf "$out"
    log=$W/logs/$st-k$i.log
    $(stage_cmd "$st" "$out") >"$log" 2>&1 &
    pid=$!
    start=$(date +%s.%N)
    partial=no killed=no
    while kill -0 "$pid" 2>/dev/null; do
      if [[ -f $out/block.json ]]; then
        h=$(hashes "$out")
        # still running (not done) and block.json beside arrays that are not the final ones
        if [[ $h != "$refh" ]] && kill -0 "$pid" 2>/dev/null && [[ ! -e /proc/$pid/status || $(awk '/^State/{print $2}' /proc/$pid/status) != Z ]]; then
          partial=yes; echo "fault: $st k=$k: block.json beside non-final arrays ($h)" >>"$log"
        fi
      fi
      if [[ -n $ck && $ck != armed ]] && has_checkpoint "$st" "$out"; then
        sleep 0.3; ck=armed; k=$(echo "$(date +%s.%N) - $start" | bc)
      fi
      if [[ $killed == no ]] && (( $(echo "$(date +%s.%N) - $start >= $k" | bc) )); then
        comm=$(cat /proc/$pid/comm 2>/dev/null || true)
        if [[ -n $comm ]]; then
          [[ $comm == java ]] || echo "fault: pid $pid is '$comm', not java" >&2
          kill -9 "$pid" 2>/dev/null && killed=yes
        fi
      fi
      sleep 0.2
    done
    wait "$pid" 2>/dev/null
    rc=$?
    [[ $killed == yes && $rc -ne 137 ]] && killed="yes (rc $rc)"
    [[ $killed == no ]] && killed="no (done, rc $rc)"
    # after the kill: a block.json must sit beside the final arrays
    if [[ -f $out/block.json && $(hashes "$out") != "$refh" ]]; then partial=yes; fi
    refused=n/a
    if [[ -d $out && ! -f $out/block.json ]]; then
      $UBM combine --blocks "$out" --data-dir "$D" --embeddings-dir "$W/runs/tmp-combine" --quiet >>"$log" 2>&1; c=$?
      $UBM probe --data-dir "$D" --embeddings-dir "$out" --score-dir "$W/runs/tmp-probe" --probe fast --quiet >>"$log" 2>&1; p=$?
      rm -rf "$W/runs/tmp-combine" "$W/runs/tmp-probe"
      refused="combine $c, probe $p"
      [[ $c == 3 && $p == 3 ]] || fail=1
    elif [[ ! -d $out ]]; then refused="n/a (no dir)"
    fi
    if has_checkpoint "$st" "$out"; then resume=yes; else resume=no; fi
    [[ $k == 1000000 ]] && k="checkpoint (none seen)"
    [[ $k =~ ^[0-9.]+$ ]] && k=$(printf '%.1f s' "$k")
    [[ -n $ck && $ck == armed ]] && k="$k (after checkpoint)"
    # rerun into the same dir
    if $(stage_cmd "$st" "$out") >>"$log" 2>&1; then
      if [[ $(hashes "$out") == "$refh" ]]; then same=yes; else same="no: $(diff_report "$ref" "$out")"; fail=1; fi
    else
      same="no: rerun failed (see $log)"; fail=1
    fi
    [[ $partial == yes ]] && fail=1
    label=$st; [[ $st == seq || $st == dcn ]] && label="encode $st"
    row "$label" "$k" "$killed" "$partial" "$refused" "$resume" "$same"
  done
done

echo
echo "| stage | kill at | killed | saw partial accepted | combine/probe on the killed dir (want 3) | checkpoint left for the rerun | rerun identical |"
echo "|---|---|---|---|---|---|---|"
printf '%s\n' "${rows[@]}"
if (( fail )); then echo "fault: FAILED" >&2; exit 1; fi
echo "fault: all stages passed"
