"""Shards over a dask LocalCluster, merged byte-identical to a one-machine run."""

import pytest

distributed = pytest.importorskip("dask.distributed")

import patronfall as pf  # noqa: E402
from patronfall.cluster import ShardsFailed, run_sharded, shard_dir  # noqa: E402

OPTIONS = dict(runs=8, days=60, seed=5, threads=1)
FILES = ("runs.csv", "runs.parquet", "indicators.csv", "timeseries.parquet")


@pytest.fixture(scope="module")
def client():
    cluster = distributed.LocalCluster(n_workers=2, threads_per_worker=1, processes=True,
                                       dashboard_address=None)
    c = distributed.Client(cluster)
    yield c
    c.close()
    cluster.close()


def test_sharded_over_dask_equals_one_machine(client, scenario, tmp_path):
    one = tmp_path / "one"
    pf.ensemble(scenario, out=one, **OPTIONS)
    merged = tmp_path / "merged"
    assert run_sharded(client, "iraq-after-tehran", 3, merged, **OPTIONS) == str(merged)
    for name in FILES:
        assert (merged / name).read_bytes() == (one / name).read_bytes(), name
    for k in (1, 2, 3):
        assert (shard_dir(merged, k) / "manifest.json").exists()
    # The merged directory reads and analyses like any other.
    assert pf.read_results(merged).manifest["merged"]["shards"] == 3
    assert pf.futures(merged).futures.equals(pf.futures(one).futures)


def test_a_failed_shard_is_named_and_runs_again_alone(client, scenario, tmp_path):
    merged = tmp_path / "merged"
    with pytest.raises(ShardsFailed) as info:
        run_sharded(client, "iraq-after-tehran", 2, merged, coa="nope", **OPTIONS)
    assert set(info.value.failed) == {1, 2}
    assert "only=[1, 2]" in str(info.value)
    run_sharded(client, "iraq-after-tehran", 2, merged, **OPTIONS)
    again = tmp_path / "again"
    with pytest.raises(pf.ResultsError):
        # Shard 2 is missing: the merge refuses and names it.
        run_sharded(client, "iraq-after-tehran", 2, again, only=[1], **OPTIONS)
    run_sharded(client, "iraq-after-tehran", 2, again, only=[2], **OPTIONS)
    assert (again / "runs.csv").read_bytes() == (merged / "runs.csv").read_bytes()
