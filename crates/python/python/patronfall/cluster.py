"""An ensemble in shards over a `dask.distributed` cluster, merged into
the directory one machine would have written (docs/cluster.md).

    from dask.distributed import Client
    from patronfall.cluster import run_sharded

    client = Client("tcp://head:8786")        # or Client(LocalCluster())
    run_sharded(client, "iraq-after-tehran", shards=64, out="results/big",
                runs=100_000, seed=1)

Each shard is `patronfall.ensemble(..., shard="K/N", out=OUT.shards/shard-K)`
run in a worker process; once every shard has finished, `patronfall.merge`
joins them into `out`, whose `runs.csv` is byte-identical to a one-machine
run's. The workers need the package installed and must see the same file
system as the caller (the shards' directories and, for a scenario file,
its path).
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any, Dict, List, Optional, Sequence, Union

from . import Scenario, ensemble, merge

__all__ = ["ShardsFailed", "run_shard", "run_sharded", "shard_dir"]

PathLike = Union[str, "os.PathLike[str]"]


class ShardsFailed(RuntimeError):
    """Some shards failed: `failed` maps each shard's number to its error.
    Run them again with `run_sharded(..., only=[K, ...])`, then the merge runs."""

    def __init__(self, failed: Dict[int, BaseException], count: int):
        self.failed = failed
        lines = [f"shard {k}/{count} failed: {e}" for k, e in sorted(failed.items())]
        only = ", ".join(str(k) for k in sorted(failed))
        lines.append(f"run them again with run_sharded(..., only=[{only}])")
        super().__init__("\n".join(lines))


def shard_dir(out: PathLike, k: int) -> Path:
    """Where shard `k` of the ensemble merged into `out` is written:
    `OUT.shards/shard-K`."""
    return Path(str(os.fspath(out)) + ".shards") / f"shard-{k}"


def run_shard(
    scenario: str,
    k: int,
    count: int,
    out: str,
    vary_parameters: bool,
    options: Dict[str, Any],
) -> str:
    """Runs shard `k` of `count` of the ensemble (in a worker) into
    `shard_dir(out, k)`, replacing what an earlier attempt left; returns
    the directory."""
    s = Scenario.load(scenario, vary_parameters=vary_parameters)
    target = shard_dir(out, k)
    ensemble(s, shard=f"{k}/{count}", out=target, force=True, frame="arrow", **options)
    return str(target)


def run_sharded(
    client: Any,
    scenario: PathLike,
    shards: int,
    out: PathLike,
    *,
    only: Optional[Sequence[int]] = None,
    vary_parameters: bool = False,
    **options: Any,
) -> str:
    """Runs an ensemble as `shards` shards mapped over the dask `client`,
    then merges them into `out` (new or empty). `scenario` is a built-in
    scenario's name or a scenario file's path (each worker loads it);
    `options` are `patronfall.ensemble`'s (runs, seed, coa, sampler,
    threads, days, ...: every shard gets the same). `only` runs just these
    shards (numbers from 1), for a second attempt after some failed; the
    others must be in place from the first. Raises `ShardsFailed` naming
    the failed shards, and `ResultsError` if the merge refuses. Returns
    `out`."""
    if shards < 1:
        raise ValueError("shards: must be at least 1")
    for banned in ("shard", "out", "force", "frame"):
        if banned in options:
            raise ValueError(f"{banned}: run_sharded sets it for each shard")
    todo: List[int] = list(only) if only is not None else list(range(1, shards + 1))
    for k in todo:
        if not 1 <= k <= shards:
            raise ValueError(f"only: shard {k} is not between 1 and {shards}")
    source = os.fspath(scenario)
    out_text = os.fspath(out)
    futures = [
        client.submit(run_shard, source, k, shards, out_text, vary_parameters, options, pure=False)
        for k in todo
    ]
    failed: Dict[int, BaseException] = {}
    for k, f in zip(todo, futures):
        try:
            f.result()
        except Exception as e:  # a shard's failure, reported by number
            failed[k] = e
    if failed:
        raise ShardsFailed(failed, shards)
    merge([shard_dir(out_text, k) for k in range(1, shards + 1)], out_text)
    return out_text
