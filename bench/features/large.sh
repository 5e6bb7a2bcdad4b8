#!/usr/bin/env bash
# The features -> combine -> validate chain on a large world, with time and peak memory of each step.
# Usage: bench/features/large.sh [WORLD_DIR] (default work/bench-large). Generates the world first when missing:
# 1.5M clients, 1M relevant, 150 days, ~100M events (no signal; realistic volumes), with the test-scope generator.
# DuckDB is capped at 10 GB; change UBM_JAVA_OPTS to try other limits.
set -euo pipefail
cd "$(dirname "$0")/../.."
world=${1:-work/bench-large}
out=${world}-out
export UBM_JAVA_OPTS=${UBM_JAVA_OPTS:-"-Xmx3g -Dubm.duckdb.memory=10GB"}
stats='^features|^combined|^OK|Elapsed|Maximum resident|User time|System time|ERROR'
if [[ ! -f $world/input/relevant_clients.npy ]]; then
  mvn -B -o -q -pl cli -am package -DskipTests
  mvn -B -o -q -pl features -am test-compile
  echo "== generating $world"
  /usr/bin/time -v java -Xmx2g -cp "features/target/test-classes:features/target/classes:data/target/classes:core/target/classes:$(cat cli/target/classpath.txt)" \
    dev.ubm.features.BenchWorld "$world" 1500000 1000000 150 67 7 2>&1 | grep -E "bench world|$stats"
fi
for set in full baseline; do
  echo "== features $set $(date +%T) load $(cut -d' ' -f1-3 /proc/loadavg)"
  /usr/bin/time -v bin/ubm features --data-dir "$world" --embeddings-dir "$out/$set" --set "$set" --quiet 2>&1 | grep -E "$stats"
done
echo "== combine $(date +%T) load $(cut -d' ' -f1-3 /proc/loadavg)"
/usr/bin/time -v bin/ubm combine --blocks "$out/full" "$out/baseline" --embeddings-dir "$out/submission" --data-dir "$world" --quiet 2>&1 \
  | grep -E "$stats|^  "
echo "== validate $(date +%T) load $(cut -d' ' -f1-3 /proc/loadavg)"
/usr/bin/time -v bin/ubm validate --data-dir "$world" --embeddings-dir "$out/submission" 2>&1 | grep -E "$stats"
