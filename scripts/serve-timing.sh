#!/usr/bin/env bash
# Times a what-if through `patronfall serve` over HTTP: twice the Border
# Forces on the built-in scenario, paired with the baseline, from the POST
# that asks for it to the job's status `ready` (its paired futures shown).
# The baseline runs first and is not timed; each repetition waits for the
# previous job's reports before it starts.
# Usage: scripts/serve-timing.sh [PATRONFALL_BINARY] [WORK_DIR]
# Env: RUNS (samples, default 1000), REPS (default 5), THREADS (default 2),
#      COAS (JSON list, default all five courses of action),
#      DRIVERS (default 0): then times that many drivers jobs of the last
#      what-if (Morris, figures grouped by kind, TRAJECTORIES trajectories,
#      default 20), one course of action each, from the POST to `ready`.
set -euo pipefail
bin="${1:-target/release/patronfall}"
work="${2:-$(mktemp -d)}"
runs="${RUNS:-1000}"
reps="${REPS:-5}"
threads="${THREADS:-2}"
coas="${COAS:-[\"passive\",\"border_first\",\"negotiate\",\"decisive\",\"decisive_with_partners\"]}"
echo "binary: $bin ($("$bin" --version)); cpus: $(nproc); runs $runs, threads $threads, coas $coas"
"$bin" serve --port 0 --workspace "$work/ws" --runs "$runs" --threads "$threads" \
  >"$work/url" 2>"$work/serve.log" &
pid=$!
trap 'kill "$pid" 2>/dev/null || true' EXIT
until [ -s "$work/url" ]; do sleep 0.1; done
url=$(head -1 "$work/url")
base="${url%/\?token=*}"
token="${url#*token=}"
status() { curl -s -H "x-patronfall-token: $token" "$base/api/jobs/$1"; }
wait_for() { # job, pattern
  until status "$1" | grep -q "$2"; do sleep 0.05; done
}
wait_for 1 '"report":"built"'
body="{\"coas\":$coas,\"shock\":\"abrupt_collapse\",\"edits\":[{\"path\":\"armed_group.border_forces.fighters\",\"value\":\"[40000, 80000]\"}],\"note\":\"twice the border forces\"}"
times=()
for i in $(seq 1 "$reps"); do
  start=$(date +%s.%N)
  id=$(curl -s -X POST -H "x-patronfall-token: $token" -H "Origin: $base" \
    -H "Content-Type: application/json" -d "$body" "$base/api/what-ifs" |
    sed -E 's/.*"id":([0-9]+).*/\1/')
  wait_for "$id" '"status":"ready"'
  end=$(date +%s.%N)
  t=$(echo "$end - $start" | bc)
  times+=("$t")
  echo "what-if $i (job $id): ${t} s"
  wait_for "$id" '"report":"built"'
done
printf '%s\n' "${times[@]}" | sort -n | awk '{a[NR]=$1} END {m=(NR%2)?a[(NR+1)/2]:(a[NR/2]+a[NR/2+1])/2; print "median: " m " s over " NR}'
drivers="${DRIVERS:-0}"
trajectories="${TRAJECTORIES:-20}"
if [ "$drivers" -gt 0 ]; then
  times=()
  for coa in $(echo "$coas" | tr -d '[]"' | tr ',' ' ' | cut -d' ' -f1-"$drivers"); do
    start=$(date +%s.%N)
    did=$(curl -s -X POST -H "x-patronfall-token: $token" -H "Origin: $base" \
      -H "Content-Type: application/json" \
      -d "{\"coa\":\"$coa\",\"grouping\":\"kind\",\"trajectories\":$trajectories}" \
      "$base/api/jobs/$id/drivers" | sed -E 's/.*"id":([0-9]+).*/\1/')
    wait_for "$did" '"status":"ready"'
    end=$(date +%s.%N)
    t=$(echo "$end - $start" | bc)
    times+=("$t")
    echo "drivers of $coa (job $did, $trajectories trajectories by kind): ${t} s"
  done
  printf '%s\n' "${times[@]}" | sort -n | awk '{a[NR]=$1} END {m=(NR%2)?a[(NR+1)/2]:(a[NR/2]+a[NR/2+1])/2; print "drivers median: " m " s over " NR}'
fi
