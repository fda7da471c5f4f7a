#!/usr/bin/env bash
# One shard of a patronfall ensemble per task of a Slurm job array
# (docs/cluster.md). Submit the array and the merge that waits for it:
#
#   N=8
#   job=$(sbatch --parsable --array=1-$N scripts/slurm-shard.sh shards $N --runs 10000 --seed 1)
#   sbatch --dependency=afterok:$job --wrap "patronfall results merge shards/shard-* --out results/big"
#
# Arguments: the directory the shards go under, N, then the options of
# `patronfall ensemble` (the same for every shard). Task K writes
# DIR/shard-K with --force, so running a task again (`sbatch --array=K
# ...`) replaces what an interrupted run of it left. $PATRONFALL names the
# binary (default: patronfall on the PATH).
#SBATCH --job-name=patronfall-shard
#SBATCH --cpus-per-task=4
#SBATCH --output=patronfall-shard-%a.log
set -euo pipefail

if [ $# -lt 2 ]; then
  echo "usage: sbatch --array=1-N $0 DIR N [ensemble options...]" >&2
  exit 2
fi
dir=$1
shards=$2
shift 2
k=${SLURM_ARRAY_TASK_ID:?"not a task of a job array: submit with sbatch --array=1-$shards"}
mkdir -p "$dir"
exec "${PATRONFALL:-patronfall}" ensemble "$@" \
  --threads "${SLURM_CPUS_PER_TASK:-1}" \
  --shard "$k/$shards" \
  --out "$dir/shard-$k" --force
