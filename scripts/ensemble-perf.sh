#!/usr/bin/env bash
# Times `patronfall ensemble` on the built-in scenario (every course of action)
# at several sizes and thread counts, with peak memory from GNU time.
# Usage: scripts/ensemble-perf.sh [PATRONFALL_BINARY] [WORK_DIR]
# Results (wall seconds, CPU seconds, peak RSS) are printed one line per case.
set -euo pipefail
bin="${1:-target/release/patronfall}"
work="${2:-$(mktemp -d)}"
cases="${CASES:-2000:2 10000:2 10000:1}"
echo "binary: $bin ($("$bin" --version))"
echo "cpus: $(nproc); $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | sed 's/^ //')"
for c in $cases; do
  runs="${c%%:*}"
  threads="${c##*:}"
  out="$work/ens-$runs-$threads"
  log="$work/time-$runs-$threads.txt"
  /usr/bin/time -v "$bin" ensemble --runs "$runs" --coa all --threads "$threads" \
    --out "$out" --force >/dev/null 2>"$log" || true
  wall=$(grep 'Elapsed (wall clock)' "$log" | awk '{print $NF}')
  user=$(grep 'User time' "$log" | awk '{print $NF}')
  sys=$(grep 'System time' "$log" | awk '{print $NF}')
  rss=$(grep 'Maximum resident' "$log" | awk '{print $NF}')
  rows=$(($(wc -l <"$out/runs.csv") - 1))
  echo "runs=$runs threads=$threads experiments=$rows wall=$wall user_s=$user sys_s=$sys max_rss_kib=$rss"
done
