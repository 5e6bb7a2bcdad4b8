#!/usr/bin/env bash
# The markdown table of OUT_DIR/stages.tsv (written by bench/fullsize/run.sh): the latest row of each stage, in the
# order the stages first ran, and a total (wall, CPU summed; the largest peak RSS).
# Usage: bench/fullsize/table.sh OUT_DIR
set -euo pipefail
tsv=${1:?usage: bench/fullsize/table.sh OUT_DIR}/stages.tsv
awk -F'\t' '
  NR == 1 { next }
  { if (!($1 in row)) order[++n] = $1; row[$1] = $0 }
  END {
    print "| stage | wall | user CPU s | sys CPU s | peak RSS MB | exit | start (UTC) | commit |"
    print "|---|---:|---:|---:|---:|---:|---|---|"
    for (i = 1; i <= n; i++) {
      split(row[order[i]], f, "\t")
      w = f[2]; wall += w; user += f[3]; sys += f[4]; if (f[5] > rss) rss = f[5]
      printf "| %s | %d:%02d | %.0f | %.0f | %s | %s | %s | %s |\n", f[1], int(w / 60), int(w % 60), f[3], f[4], f[5], f[6], f[7], f[8]
    }
    printf "| **total** | **%d:%02d:%02d** | %.0f | %.0f | %s (max) | | | |\n", int(wall / 3600), int(wall % 3600 / 60), int(wall % 60), user, sys, rss
  }' "$tsv"
