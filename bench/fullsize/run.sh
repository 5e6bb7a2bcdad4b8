#!/usr/bin/env bash
# Every stage of ubm, as a competitor runs them, on a benchmark world of the challenge's shape, each under
# /usr/bin/time -v. Usage: bench/fullsize/run.sh [WORLD_DIR] [SCALE]
#   WORLD_DIR  default work/fullsize-<SCALE>; outputs go to WORLD_DIR-out (blocks, submission, scores, logs/)
#   SCALE      default 1 = the real size (18.7M clients, 1M relevant, ~172M events); 0.01 = a 1/100 world of the
#              same shape (see dev.ubm.features.BenchWorld, test scope)
# The world is generated when WORLD_DIR/world.json is missing. Resumable: a stage whose output is complete (its
# block.json, run.json or asof.json, or for split / validate-data / validate the marker WORLD_DIR-out/done/<stage>)
# is skipped, so the run can span several sessions; seq and gnn also resume inside a stage from their per-epoch
# checkpoints. After each stage a row goes to WORLD_DIR-out/stages.tsv; the table is printed at the end
# (bench/fullsize/table.sh). Extra flags per stage: SEQ_ARGS, GNN_ARGS, WALKS_ARGS, DCN_ARGS, PROBE_ARGS (e.g.
# SEQ_ARGS="--train-on relevant"). UNTIL=<stage> stops the chain after that stage (e.g. UNTIL=features-baseline), so
# the run can go stage by stage and pick up newer code between stages. The data dir is split first, so the blocks embed input/ (local evaluation, what the
# probe scores); a final submission adds --all-events to features, seq, gnn, gnn-walks and dcn (the same work on ~28
# more days).
set -euo pipefail
cd "$(dirname "$0")/../.."
scale=${2:-1}
world=${1:-work/fullsize-$scale}
out=${world}-out
seed=${SEED:-42}
mkdir -p "$out/logs" "$out/done"
tsv=$out/stages.tsv
[[ -f $tsv ]] || printf 'stage\twall_s\tuser_s\tsys_s\tpeak_rss_mb\texit\tstart\tcommit\n' > "$tsv"
commit=$(git rev-parse --short HEAD)$(git diff --quiet HEAD -- . 2>/dev/null || echo -dirty)
export OPT_OUT_TRACKING=true DJL_OFFLINE=true OMP_WAIT_POLICY=PASSIVE

# Memory: the box has 2 cores and 24 GiB and no swap. Without flags bin/ubm gives the JVM -Xmx8g and DuckDB takes
# 60% of RAM (14.4 GB) off the heap; the two together, plus libtorch's native memory and the page cache that
# memory-mapped blocks and parquet reads live in, would leave nothing to spare. So every stage gets a heap sized to
# what it keeps on the heap and a DuckDB cap (-Dubm.duckdb.memory; DuckDB spills to disk above it) so that heap +
# DuckDB stay <= 16 GB, as bench/features/large.sh does for features (3g + 10 GB measured 6.6 GB peak RSS at 1M
# relevant clients, docs/features.md).
java_opts() {
  case $1 in
    # streaming SQL over all events: little heap, most memory to DuckDB (joins, windows, sorts spill beyond it)
    world|split|validate-data|validate) echo "-Xmx2g -Dubm.duckdb.memory=12GB" ;;
    # the as-of copy is streaming SQL; its labels are dense float matrices on the heap, one per list task (at full
    # size 1.02M clients x 100 labels x 4 B = 408 MB each, 1.6 GB for the four lists): -Xmx2g runs out of heap
    asof-*) echo "-Xmx6g -Dubm.duckdb.memory=8GB" ;;
    # per-client feature rows are assembled on the heap one chunk of clients at a time
    features-*) echo "-Xmx4g -Dubm.duckdb.memory=12GB" ;;
    # DuckDB builds the memory-mapped corpus; libtorch (training) allocates natively, outside both limits
    seq|seq-asof-*) echo "-Xmx4g -Dubm.duckdb.memory=6GB" ;;
    # the graph (edge arrays, 28 B per edge) and the TwHIN table (nodes x 64 x 4 B) live on the heap. At full size the
    # table is 6.2 GB and the edges 3.9 GB: -Xmx15g keeps the table under --storage auto's 40% so it stays on the heap
    # (a memory-mapped table is IO-bound at this size: the random row updates keep the kernel writing dirty pages
    # back, docs/scale.md); DuckDB only builds the graph
    # the walks (gnn-walks) build the same graph, then per target a sparse product over the clients' edges
    gnn|gnn-asof-*|gnn-walks|gnn-walks-asof-*) echo "-Xmx15g -Dubm.duckdb.memory=3GB" ;;
    # on the heap: the training and inference rows, scaled where they lie (at full size 1.02M + 1M rows x 553
    # features x 4 B = 2.2 GB each), the side blocks and the labels (1.6 GB); DuckDB computes the labels; libtorch
    # trains natively
    dcn) echo "-Xmx12g -Dubm.duckdb.memory=3GB" ;;
    # blocks are memory-mapped (page cache); scalers and PCA fit on a 100k-row sample
    combine) echo "-Xmx6g -Dubm.duckdb.memory=4GB" ;;
    # the probe reads the submission memory-mapped, a batch at a time; the heap holds the label sets of every
    # client and task (DuckDB computes them); libtorch trains natively
    probe) echo "-Xmx6g -Dubm.duckdb.memory=4GB" ;;
  esac
}

# record NAME START EXIT TIME_FILE [COMMIT] [LOG]: appends the stage's row (from /usr/bin/time -v's output) to
# stages.tsv; an empty START is LOG's last write minus the wall time.
record() {
  local wall user sys rss start=$2
  wall=$(awk -F': ' '/Elapsed \(wall clock\)/ {n = split($2, p, ":"); s = 0; for (i = 1; i <= n; i++) s = s * 60 + p[i]; printf "%.1f", s}' "$4")
  [[ -n $start ]] || start=$(date -u -d "@$(($(stat -c %Y "$6") - ${wall%.*}))" +%Y-%m-%dT%H:%M:%SZ)
  user=$(awk -F': ' '/User time/ {print $2}' "$4")
  sys=$(awk -F': ' '/System time/ {print $2}' "$4")
  rss=$(awk -F': ' '/Maximum resident/ {printf "%.0f", $2 / 1024}' "$4")
  printf '%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\n' "$1" "$wall" "$user" "$sys" "$rss" "$3" "$start" "${5:-$commit}" >> "$tsv"
}

# stage NAME DONE_FILE COMMAND...: skip when DONE_FILE exists, else run COMMAND under /usr/bin/time -v with the
# stage's memory limits, log to logs/NAME.log, append a row to stages.tsv, stop the chain on failure.
stage() {
  local name=$1 done_file=$2
  shift 2
  local log=$out/logs/$name.log timef=$out/logs/$name.time start rc=0
  if [[ -f $done_file ]]; then
    echo "== $name: skipped ($done_file exists)"
    # a stage that finished while the chain was stopped: its row comes from its time file
    # (started at the log's last write minus its wall time, with the commit noted in logs/NAME.commit)
    if ! grep -q "^$name"$'\t' "$tsv" && [[ -f $timef ]]; then
      record "$name" "" 0 "$timef" "$(cat "$out/logs/$name.commit" 2>/dev/null || echo unknown)" "$log"
    fi
    [[ ${UNTIL:-} != "$name" ]] || exit 0
    return 0
  fi
  start=$(date -u +%Y-%m-%dT%H:%M:%SZ)
  echo "== $name $start load $(cut -d' ' -f1-3 /proc/loadavg)"
  echo "$*" > "$log"
  echo "$commit" > "$out/logs/$name.commit"
  UBM_JAVA_OPTS="$(java_opts "$name")" /usr/bin/time -v -o "$timef" "$@" >> "$log" 2>&1 || rc=$?
  record "$name" "$start" "$rc" "$timef"
  echo "   $name: exit $rc, $(tail -n 1 "$tsv" | cut -f2-5 | awk -F'\t' '{print $1 "s wall, " $2 "s user, " $3 "s sys, " $4 " MB peak RSS"}') (log: $log)"
  if [[ $rc -ne 0 ]]; then
    tail -n 20 "$log"
    bench/fullsize/table.sh "$out"
    exit "$rc"
  fi
  case $done_file in
    "$out"/done/*) touch "$done_file" ;;
  esac
  if [[ ${UNTIL:-} == "$name" ]]; then
    echo "== stopping after $name (UNTIL=$UNTIL)"
    bench/fullsize/table.sh "$out"
    exit 0
  fi
}

make -s build
if [[ -f $world/world.json ]]; then
  echo "== world: skipped ($world/world.json exists; delete $out to rerun every stage on a new world)"
else
  mvn -B -o -q -pl features -am test-compile
  cp="features/target/test-classes:features/target/classes:data/target/classes:core/target/classes:$(cat cli/target/classpath.txt)"
  # shellcheck disable=SC2046
  stage world "$world/world.json" java $(java_opts world) -cp "$cp" dev.ubm.features.BenchWorld "$world" --scale "$scale" --seed 1
fi
ubm=bin/ubm
stage split "$out/done/split" $ubm split --data-dir "$world" --seed "$seed" --quiet
stage validate-data "$out/done/validate-data" $ubm validate-data --data-dir "$world" --quiet
stage features-full "$out/features/block.json" \
  $ubm features --data-dir "$world" --embeddings-dir "$out/features" --set full --seed "$seed" --quiet
stage features-baseline "$out/baseline/block.json" \
  $ubm features --data-dir "$world" --embeddings-dir "$out/baseline" --set baseline --seed "$seed" --quiet
# seq trains on its default set (--train-on all: every client with input events, each history cut to --history-len)
# and encodes every relevant client.
# shellcheck disable=SC2086
stage seq "$out/seq/block.json" \
  $ubm encode seq --data-dir "$world" --embeddings-dir "$out/seq" --seed "$seed" --quiet ${SEQ_ARGS:-}
# shellcheck disable=SC2086
stage gnn "$out/gnn/block.json" \
  $ubm gnn --data-dir "$world" --embeddings-dir "$out/gnn" --seed "$seed" --quiet ${GNN_ARGS:-}
# shellcheck disable=SC2086
stage gnn-walks "$out/gnn-walks/block.json" \
  $ubm gnn --method walks --data-dir "$world" --embeddings-dir "$out/gnn-walks" --seed "$seed" --quiet ${WALKS_ARGS:-}
# The DCN chain of the Makefile's dcn target, each inner step a stage of its own so it is measured and resumable: for
# each window k (0 = the most recent) the as-of dir O/dcn-asof/k/data (`ubm asof --end-offset-days 14k`, listing the
# relevant clients plus DCN_TRAIN_CLIENTS in all), its feature block and the twin of each side block in DCN_SIDES made
# on that dir (seq: the trained model encodes it; gnn: a graph of its events; gnn-walks: walks over that graph to its
# target lists), so the DCN never trains on vectors that saw its labels; then encode dcn over all of them.
# DCN_WINDOWS, DCN_SIDES and DCN_TRAIN_CLIENTS default to the Makefile's values (one place for them).
mk_default() { sed -nE "s/^$1 \?= *(.*[^ ]) *$/\1/p" Makefile; }
dcn_windows=${DCN_WINDOWS:-$(mk_default DCN_WINDOWS)}
dcn_sides=${DCN_SIDES-$(mk_default DCN_SIDES)}
dcn_train_clients=${DCN_TRAIN_CLIENTS:-$(mk_default DCN_TRAIN_CLIENTS)}
echo "== dcn chain: DCN_WINDOWS=$dcn_windows DCN_SIDES='$dcn_sides' DCN_TRAIN_CLIENTS=$dcn_train_clients"
train_features=() side_args=()
for ((k = 0; k < dcn_windows; k++)); do
  a=$out/dcn-asof/$k
  stage "asof-$k" "$a/data/asof.json" $ubm asof --data-dir "$world" --out-dir "$a/data" --end-offset-days $((14 * k)) \
    --train-clients "$dcn_train_clients" --seed "$seed" --quiet
  stage "features-asof-$k" "$a/features/block.json" \
    $ubm features --data-dir "$a/data" --embeddings-dir "$a/features" --set full --seed "$seed" --quiet
  train_features+=("$a/features")
  for s in $dcn_sides; do
    case $s in
      seq) stage "seq-asof-$k" "$a/seq/block.json" $ubm encode seq --data-dir "$a/data" --model-from "$out/seq" \
             --embeddings-dir "$a/seq" --seed "$seed" --quiet ;;
      # shellcheck disable=SC2086
      gnn) stage "gnn-asof-$k" "$a/gnn/block.json" $ubm gnn --data-dir "$a/data" --embeddings-dir "$a/gnn" \
             --seed "$seed" --quiet ${GNN_ARGS:-} ;;
      # shellcheck disable=SC2086
      gnn-walks) stage "gnn-walks-asof-$k" "$a/gnn-walks/block.json" $ubm gnn --method walks --data-dir "$a/data" \
             --embeddings-dir "$a/gnn-walks" --seed "$seed" --quiet ${WALKS_ARGS:-} ;;
      *) echo "DCN_SIDES: unknown side block '$s' (seq, gnn, gnn-walks)" >&2; exit 2 ;;
    esac
  done
done
for s in $dcn_sides; do
  side_args+=(--side "$out/$s" --side-train)
  for ((k = 0; k < dcn_windows; k++)); do side_args+=("$out/dcn-asof/$k/$s"); done
done
# shellcheck disable=SC2086
stage dcn "$out/dcn/block.json" \
  $ubm encode dcn --data-dir "$world" --features "$out/features" --windows "$dcn_windows" \
  --train-clients "$dcn_train_clients" --train-features "${train_features[@]}" "${side_args[@]}" \
  --embeddings-dir "$out/dcn" --seed "$seed" --quiet ${DCN_ARGS:-}
# The submission weights are the Makefile's WEIGHT_<block> defaults (one place for them).
weights=$(sed -nE 's/^WEIGHT_([a-z-]+) \?= *([0-9.]+) *$/\1=\2/p' Makefile | tr '\n' ' ')
# shellcheck disable=SC2086
stage combine "$out/submission/block.json" \
  $ubm combine --blocks "$out/features" "$out/seq" "$out/gnn" "$out/gnn-walks" "$out/dcn" --weights $weights \
  --embeddings-dir "$out/submission" --data-dir "$world" --seed "$seed" --quiet
stage validate "$out/done/validate" $ubm validate --data-dir "$world" --embeddings-dir "$out/submission"
# shellcheck disable=SC2086
stage probe "$out/scores/run.json" \
  $ubm probe --data-dir "$world" --embeddings-dir "$out/submission" --score-dir "$out/scores" --probe fast \
  --seed "$seed" --quiet ${PROBE_ARGS:-}
bench/fullsize/table.sh "$out"
