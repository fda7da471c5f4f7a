"""Run the shards of a patronfall ensemble in parallel on this machine and
merge them (docs/cluster.md).

    python3 scripts/shards.py --shards 8 --out results/big -- --runs 10000 --seed 1

Each shard is one `patronfall ensemble --shard K/N` process, run with the
standard library's thread pool; the script needs only the binary. For a
`dask.distributed` cluster use the Python package instead:
`patronfall.cluster.run_sharded(client, ...)` maps the same shards over
the cluster's workers and merges them (docs/cluster.md, docs/python.md).
A shard that fails is named; run the script again with `--only K` to run
it alone, then the merge runs.
"""

import argparse
import subprocess
import sys
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path


def run_shard(patronfall, ensemble_args, k, n, out, threads):
    """Runs shard k of n into out/shard-k; returns its directory."""
    shard_dir = Path(out) / f"shard-{k}"
    command = [patronfall, "ensemble", *ensemble_args,
               "--threads", str(threads), "--shard", f"{k}/{n}",
               "--out", str(shard_dir), "--force"]
    done = subprocess.run(command, capture_output=True, text=True)
    if done.returncode != 0:
        raise RuntimeError(f"shard {k}/{n} failed (exit {done.returncode}):\n{done.stderr}")
    return str(shard_dir)


def main():
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--shards", type=int, required=True, help="N, the number of shards")
    p.add_argument("--out", required=True, help="the merged results directory")
    p.add_argument("--workers", type=int, default=2, help="shards at a time")
    p.add_argument("--threads", type=int, default=1, help="threads of each shard")
    p.add_argument("--only", type=int, nargs="+", help="run only these shards (from 1)")
    p.add_argument("--patronfall", default="patronfall", help="the binary")
    p.add_argument("ensemble_args", nargs="*", help="after --: the ensemble's options")
    a = p.parse_args()
    n = a.shards
    parts = Path(str(a.out) + ".shards")
    todo = a.only or list(range(1, n + 1))
    job = (a.patronfall, a.ensemble_args)
    failed = []
    with ThreadPoolExecutor(a.workers) as pool:
        futures = {k: pool.submit(run_shard, *job, k, n, parts, a.threads) for k in todo}
        for k, f in futures.items():
            try:
                f.result()
            except Exception as e:  # a shard's failure, reported by number
                failed.append((k, e))
    for k, e in failed:
        print(e, file=sys.stderr)
    if failed:
        only = " ".join(str(k) for k, _ in failed)
        print(f"run the failed shards again with --only {only}", file=sys.stderr)
        return 1
    dirs = [str(parts / f"shard-{k}") for k in range(1, n + 1)]
    merged = subprocess.run([a.patronfall, "results", "merge", *dirs, "--out", a.out])
    return merged.returncode


if __name__ == "__main__":
    sys.exit(main())
