#!/usr/bin/env bash
# Compares two patronfall binaries on the same ensemble, alternating them so
# that both meet the same drift of a shared machine, and prints the medians
# and the median of the paired ratios (B over A) of wall and user time.
# Usage: scripts/compare-builds.sh PAIRS RUNS BINARY_A BINARY_B
# Each run is `ensemble --runs RUNS --threads 2 --no-report` (5 × RUNS
# experiments); odd pairs run A first, even pairs B first.
set -euo pipefail
pairs="$1"
runs="$2"
a="$3"
b="$4"
work="$(mktemp -d)"
log="$work/times"
for i in $(seq "$pairs"); do
  if [ $((i % 2)) -eq 1 ]; then order=("$a" "$b"); else order=("$b" "$a"); fi
  for bin in "${order[@]}"; do
    /usr/bin/time -f "$bin %e %U" "$bin" ensemble --runs "$runs" --threads 2 \
      --no-report --out "$work/out" --force >/dev/null 2>>"$log"
  done
done
python3 - "$log" "$a" "$b" <<'PY'
import statistics, sys
log, a, b = sys.argv[1:]
rows = [line.split() for line in open(log) if line.strip()]
def times(binary, column):
    return [float(r[column]) for r in rows if r[0] == binary]
for name, binary in (("A", a), ("B", b)):
    print(f"{name} {binary}: wall median {statistics.median(times(binary, 1)):.2f} s, "
          f"user median {statistics.median(times(binary, 2)):.2f} s")
for column, what in ((1, "wall"), (2, "user")):
    ratios = [y / x for x, y in zip(times(a, column), times(b, column))]
    print(f"B/A {what}: median {statistics.median(ratios):.3f} "
          f"(range {min(ratios):.3f}-{max(ratios):.3f}, {len(ratios)} pairs)")
PY
rm -rf "$work"
