#!/usr/bin/env bash
# End to end through a real Slurm (docs/cluster.md): installs Debian's
# slurm-wlm and munge if they are missing, starts a one-node cluster of its
# own (munged, slurmctld and slurmd on this machine, with their
# configuration, keys, state and logs in a temporary folder), submits a
# small sharded ensemble of the built-in scenario with
# `patronfall cluster slurm --submit`, waits for the merge job, and checks
# that the merged runs.csv and indicators.csv are byte-identical to the
# same ensemble run whole on this machine.
#
# Where Slurm cannot be installed or started (not root, no package
# registry, daemons that do not come up) it prints why and exits 0, unless
# PATRONFALL_SLURM_E2E=require, which makes that a failure;
# PATRONFALL_SLURM_E2E=skip skips it outright. Every daemon it started is
# stopped on exit, whatever happens. $PATRONFALL names the binary (default:
# target/debug/patronfall, built if missing).
set -euo pipefail
cd "$(dirname "$0")/.."

mode=${PATRONFALL_SLURM_E2E:-auto}
skip() {
  if [ "$mode" = require ]; then
    echo "slurm e2e: FAILED: $* (PATRONFALL_SLURM_E2E=require)" >&2
    exit 1
  fi
  echo "slurm e2e: skipped: $*"
  exit 0
}
fail() {
  echo "slurm e2e: FAILED: $*" >&2
  exit 1
}
[ "$mode" = skip ] && skip "PATRONFALL_SLURM_E2E=skip"

# The packages. Installing starts no system daemon: a policy-rc.d that
# denies every start is in place while apt runs, unless the machine has one.
# The daemons live in /usr/sbin.
export PATH=$PATH:/usr/sbin:/sbin
need=(sbatch scontrol scancel slurmctld slurmd munged mungekey)
missing() {
  for c in "${need[@]}"; do
    command -v "$c" >/dev/null 2>&1 || return 0
  done
  return 1
}
if [ "$(id -u)" != 0 ]; then
  skip "needs root, to install slurm-wlm and munge and to run slurmd, which starts jobs"
fi
if missing; then
  if ! command -v apt-get >/dev/null 2>&1; then
    skip "slurm-wlm and munge are missing and there is no apt-get to install them"
  fi
  echo "slurm e2e: installing slurm-wlm and munge (apt-get)"
  policy=/usr/sbin/policy-rc.d
  own_policy=
  if [ ! -e "$policy" ]; then
    printf '#!/bin/sh\nexit 101\n' >"$policy"
    chmod 755 "$policy"
    own_policy=1
  fi
  apt_log=$(mktemp)
  if ! { apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq \
    --no-install-recommends slurm-wlm munge; } >"$apt_log" 2>&1; then
    [ -n "$own_policy" ] && rm -f "$policy"
    tail -n 5 "$apt_log" >&2
    rm -f "$apt_log"
    skip "apt-get could not install slurm-wlm and munge (above)"
  fi
  [ -n "$own_policy" ] && rm -f "$policy"
  rm -f "$apt_log"
  missing && skip "slurm-wlm and munge installed, but ${need[*]} are not all on the PATH"
fi

# The binary under test, and the plan: 12 samples × 5 courses of action
# of 90 days, in 3 shards.
if [ -z "${PATRONFALL:-}" ]; then
  cargo build -q -p patronfall
  PATRONFALL=$PWD/target/debug/patronfall
fi
PLAN=(--scenario iraq-after-tehran --runs 12 --days 90 --seed 7 --series-sample 4)
SHARDS=3
start=$SECONDS

# The cluster's folder: configuration, munge key, state, spool and logs.
base=$(mktemp -d -t patronfall-slurm-e2e.XXXXXX)
pids=()
array_job=
merge_job=
# Processes of this cluster: those whose environment names its slurm.conf.
ours() {
  local e
  for e in /proc/[0-9]*/environ; do
    if grep -qzxF "SLURM_CONF=$base/slurm.conf" "$e" 2>/dev/null; then
      e=${e#/proc/}
      [ "${e%/environ}" != $$ ] && echo "${e%/environ}"
    fi
  done
}
cleanup() {
  local status=$?
  if [ -n "$array_job$merge_job" ]; then
    scancel $array_job $merge_job >/dev/null 2>&1 || true
  fi
  # Last started, first stopped: slurmd, slurmctld, then munged.
  for ((i = ${#pids[@]} - 1; i >= 0; i--)); do
    kill "${pids[i]}" 2>/dev/null || true
  done
  for p in "${pids[@]}"; do
    for _ in $(seq 50); do kill -0 "$p" 2>/dev/null || break; sleep 0.1; done
    kill -9 "$p" 2>/dev/null || true
    wait "$p" 2>/dev/null || true
  done
  # What slurmd started (slurmstepd, the jobs) outlives it for a moment;
  # these processes carry this cluster's SLURM_CONF, and no other does.
  for _ in $(seq 50); do
    [ -z "$(ours)" ] && break
    sleep 0.1
  done
  for p in $(ours); do kill -9 "$p" 2>/dev/null || true; done
  if [ "$status" != 0 ]; then
    for log in "$base"/*.log "$base"/shards/logs/*; do
      [ -f "$log" ] && { echo "--- $log (last lines)"; tail -n 15 "$log"; } >&2
    done
  fi
  rm -rf "$base"
  exit "$status"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

# Two free ports on the loopback address for slurmctld and slurmd.
free_port() {
  local p
  for _ in $(seq 100); do
    p=$((20000 + RANDOM % 20000))
    if ! (exec 3<>"/dev/tcp/127.0.0.1/$p") 2>/dev/null; then
      echo "$p"
      return
    fi
  done
  return 1
}
ctld_port=$(free_port) || skip "no free port on 127.0.0.1"
slurmd_port=$(free_port) || skip "no free port on 127.0.0.1"
[ "$ctld_port" = "$slurmd_port" ] && slurmd_port=$((ctld_port + 1))

host=$(hostname -s 2>/dev/null || cat /proc/sys/kernel/hostname)
mkdir -p "$base/munge" "$base/state" "$base/spool"
chmod 700 "$base/munge"
mungekey --create --keyfile="$base/munge/munge.key" >/dev/null 2>&1 ||
  skip "mungekey could not create a key"
chmod 600 "$base/munge/munge.key"
socket=$base/munge/munge.socket

cat >"$base/slurm.conf" <<EOF
# One node, this machine, with 2 CPUs; nothing shared with a system Slurm.
ClusterName=patronfall-e2e
SlurmctldHost=$host(127.0.0.1)
SlurmctldPort=$ctld_port
SlurmdPort=$slurmd_port
SlurmUser=root
SlurmdUser=root
AuthType=auth/munge
AuthInfo=socket=$socket
CredType=cred/munge
StateSaveLocation=$base/state
SlurmdSpoolDir=$base/spool
SlurmctldPidFile=$base/slurmctld.pid
SlurmdPidFile=$base/slurmd.pid
SlurmctldLogFile=$base/slurmctld.log
SlurmdLogFile=$base/slurmd.log
ProctrackType=proctrack/linuxproc
TaskPlugin=task/none
JobAcctGatherType=jobacct_gather/none
AccountingStorageType=accounting_storage/none
SchedulerType=sched/builtin
SelectType=select/cons_tres
SelectTypeParameters=CR_Core
SlurmdParameters=config_overrides
ReturnToService=2
MpiDefault=none
MailProg=/bin/true
NodeName=$host NodeAddr=127.0.0.1 CPUs=2 State=UNKNOWN
PartitionName=e2e Nodes=ALL Default=YES MaxTime=INFINITE State=UP
EOF
export SLURM_CONF=$base/slurm.conf

munged -F --force --key-file="$base/munge/munge.key" --socket="$socket" \
  --pid-file="$base/munge/munged.pid" --log-file="$base/munged.log" \
  --seed-file="$base/munge/munged.seed" >>"$base/munged.log" 2>&1 &
pids+=($!)
for _ in $(seq 50); do [ -S "$socket" ] && break; sleep 0.1; done
[ -S "$socket" ] || skip "munged did not start (its log is above)" </dev/null
slurmctld -D -f "$SLURM_CONF" >>"$base/slurmctld.log" 2>&1 &
pids+=($!)
slurmd -D -f "$SLURM_CONF" >>"$base/slurmd.log" 2>&1 &
pids+=($!)

# The node up and idle, within a minute.
ready=
for _ in $(seq 120); do
  if scontrol -o show node "$host" 2>/dev/null | grep -q 'State=IDLE'; then
    ready=1
    break
  fi
  for p in "${pids[@]}"; do
    kill -0 "$p" 2>/dev/null || { tail -n 15 "$base"/*.log >&2; skip "a Slurm daemon exited (logs above)"; }
  done
  sleep 0.5
done
if [ -z "$ready" ]; then
  tail -n 15 "$base"/*.log >&2
  skip "the node did not come up idle within a minute (logs above)"
fi
echo "slurm e2e: one-node Slurm up on $host in $((SECONDS - start)) s ($(sbatch --version))"
start=$SECONDS

# The plan whole, on this machine.
"$PATRONFALL" ensemble "${PLAN[@]}" --threads 2 --no-report --out "$base/whole" >/dev/null 2>&1 ||
  fail "the one-machine ensemble failed"

# The plan through Slurm.
submitted=$(cd "$base" && "$PATRONFALL" cluster slurm --shards "$SHARDS" --dir shards \
  --out merged --submit --time 10 -- "${PLAN[@]}") || fail "patronfall cluster slurm --submit failed"
echo "$submitted" | sed 's/^/  /'
array_job=$(echo "$submitted" | sed -n 's/^array job: \([0-9]*\)$/\1/p')
merge_job=$(echo "$submitted" | sed -n 's/^merge job: \([0-9]*\)$/\1/p')
[ -n "$array_job" ] && [ -n "$merge_job" ] || fail "no job ids in the output above"

# Wait for the merge job to end, at most five minutes (it takes seconds).
state=
for _ in $(seq 600); do
  state=$(scontrol -o show job "$merge_job" 2>/dev/null | sed -n 's/.*JobState=\([A-Z_]*\).*/\1/p')
  reason=$(scontrol -o show job "$merge_job" 2>/dev/null | sed -n 's/.*Reason=\([^ ]*\).*/\1/p')
  case "$state" in
    COMPLETED | FAILED | CANCELLED | TIMEOUT | NODE_FAIL | OUT_OF_MEMORY) break ;;
  esac
  [ "$reason" = DependencyNeverSatisfied ] && fail "a task of the array failed, so the merge never started"
  sleep 0.5
done
[ "$state" = COMPLETED ] || fail "the merge job $merge_job ended $state"
tasks=$(scontrol -o show job "$array_job" | sed -n 's/.*JobState=\([A-Z_]*\).*/\1/p' | sort | uniq -c | tr -s ' ')
echo "slurm e2e: array job $array_job tasks:$tasks; merge job $merge_job $state"

for f in runs.csv indicators.csv; do
  cmp "$base/whole/$f" "$base/merged/$f" || fail "the merged $f differs from the one-machine run's"
done
rows=$(($(wc -l <"$base/merged/runs.csv") - 1))
echo "slurm e2e: passed: $rows runs in $SHARDS shards through Slurm, merged runs.csv and indicators.csv byte-identical to one machine's (the ensembles and jobs took $((SECONDS - start)) s)"
