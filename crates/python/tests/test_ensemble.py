"""patronfall.ensemble against the CLI, read_results and the analyses."""

import subprocess

import pytest

import patronfall as pf

OPTIONS = dict(runs=6, days=60, seed=3)


def cli_ensemble(cli, out, *extra):
    args = [cli, "ensemble", "--runs", "6", "--days", "60", "--seed", "3", "--threads", "2",
            "--no-report", "--out", str(out), *extra]
    subprocess.run(args, check=True, capture_output=True)


def test_the_package_writes_the_clis_runs_table(scenario, cli, tmp_path):
    e = pf.ensemble(scenario, out=tmp_path / "py", threads=2, **OPTIONS)
    cli_ensemble(cli, tmp_path / "cli")
    assert e.complete and e.done == e.total == 6 * len(scenario.coas)
    for name in ("runs.csv", "indicators.csv"):
        assert (tmp_path / "py" / name).read_bytes() == (tmp_path / "cli" / name).read_bytes()
    assert e.out == str(tmp_path / "py")
    assert e.runs.height == e.total
    assert e.runs["coa"].unique(maintain_order=True).to_list() == [c.id for c in scenario.coas]


def test_the_runs_table_does_not_depend_on_threads(scenario):
    one = pf.ensemble(scenario, threads=1, **OPTIONS)
    two = pf.ensemble(scenario, threads=2, **OPTIONS)
    assert one.out is None
    assert one.runs.equals(two.runs)
    assert one.futures.equals(two.futures)


def test_the_futures_table(scenario):
    e = pf.ensemble(scenario, coa=[scenario.coas[0].id, scenario.coas[1].id], **OPTIONS)
    f = e.futures
    assert f.columns == ["coa", "runs", "future", "runs_reached", "share", "low", "high"]
    assert set(f["coa"].to_list()) == {scenario.coas[0].id, scenario.coas[1].id}
    for coa in set(f["coa"].to_list()):
        rows = f.filter(f["coa"] == coa)
        assert rows["runs_reached"].sum() == rows["runs"][0] == 6
        assert rows["share"].sum() == pytest.approx(1.0)
        assert (rows["low"] <= rows["share"]).all() and (rows["share"] <= rows["high"]).all()
    # The same counts as the runs table's futures column.
    runs = e.runs
    for row in f.iter_rows(named=True):
        if row["future"] in [x.id for x in scenario.futures]:
            n = runs.filter((runs["coa"] == row["coa"]) & (runs["future"] == row["future"])).height
            assert n == row["runs_reached"]


def test_read_results_and_the_analyses(scenario, tmp_path):
    out = tmp_path / "r"
    e = pf.ensemble(scenario, out=out, **OPTIONS)
    r = pf.read_results(out)
    assert r.manifest["complete"] is True
    assert r.runs.equals(e.runs)
    assert pf.read_results(out, frame="pandas").runs.shape == (e.runs.height, e.runs.width)
    a = pf.futures(out, outcomes=["casualties"])
    assert a.baseline == scenario.coas[0].id
    assert a.futures.equals(e.futures)
    assert a.future_differences.height == (len(scenario.coas) - 1) * len(e.futures["future"].unique())
    assert a.outcome_differences["of"].unique().to_list() == ["casualties"]
    d = pf.discover(out, e.futures["future"][0], resamples=5, mass_min=0.1)
    assert d.runs == e.total
    assert d.cases_of_interest == e.futures.filter(e.futures["future"] == d.future)["runs_reached"].sum()
    assert d.boxes["box"].to_list() == [1]
    assert d.trajectories["step"][0] == 0
    assert set(d.limits["box"].to_list()) <= {1}
    rob = pf.robustness(out, "casualties", "minimize")
    assert rob["coa"].to_list() == [c.id for c in scenario.coas]
    assert (rob["max_regret"] >= 0).all()


def test_results_problems_are_results_errors(scenario, tmp_path):
    with pytest.raises(pf.ResultsError) as info:
        pf.read_results(tmp_path / "absent")
    assert "absent" in str(info.value)
    out = tmp_path / "r"
    pf.ensemble(scenario, out=out, **OPTIONS)
    with pytest.raises(pf.ResultsError, match="not empty"):
        pf.ensemble(scenario, out=out, **OPTIONS)
    pf.ensemble(scenario, out=out, force=True, **OPTIONS)
    with pytest.raises(pf.ResultsError, match="baseline"):
        pf.futures(out, baseline="nope")


def test_bad_options_name_themselves(scenario):
    with pytest.raises(ValueError, match="sampler"):
        pf.ensemble(scenario, sampler="random", **OPTIONS)
    with pytest.raises(ValueError, match="coa"):
        pf.ensemble(scenario, coa="nope", **OPTIONS)
    with pytest.raises(ValueError, match="shard"):
        pf.ensemble(scenario, shard="4/3", **OPTIONS)
    with pytest.raises(ValueError, match="with_values"):
        u = scenario.uncertainties[0]
        pf.ensemble(scenario.with_values({u.path: u.nominal}), **OPTIONS)
    with pytest.raises(ValueError, match="runs_format"):
        pf.ensemble(scenario, runs_format="csv", **OPTIONS)


def test_runs_format_chooses_the_files_of_the_runs_table(scenario, cli, tmp_path):
    # A small plan: both files by the size rule, as the CLI writes them.
    pf.ensemble(scenario, out=tmp_path / "default", threads=2, **OPTIONS)
    assert (tmp_path / "default" / "runs.csv").exists()
    assert (tmp_path / "default" / "runs.parquet").exists()
    e = pf.ensemble(scenario, out=tmp_path / "parquet", runs_format="parquet", **OPTIONS)
    assert not (tmp_path / "parquet" / "runs.csv").exists()
    assert e.runs.height == e.total
    cli_ensemble(cli, tmp_path / "cli", "--runs-format", "parquet")
    assert (tmp_path / "parquet" / "runs.parquet").read_bytes() == (
        tmp_path / "cli" / "runs.parquet"
    ).read_bytes()


def test_ctrl_c_stops_between_chunks_and_keeps_what_finished(scenario, tmp_path):
    import _thread
    import signal
    import threading
    import time

    out = tmp_path / "stopped"
    runs = 4000
    partial = out / ".runs.csv.partial"
    stop = threading.Event()

    def interrupt_once_rows_are_written():
        # Press Ctrl-C once the first chunk is on disk: far from the end of
        # the ensemble whatever the machine's speed.
        while not stop.is_set():
            if partial.exists() and partial.read_text().count("\n") > 256:
                _thread.interrupt_main()
                return
            time.sleep(0.02)

    # Python's own Ctrl-C handler, as in an interactive session: a process
    # started in the background (as CI may start the tests) inherits SIGINT
    # ignored, and then `interrupt_main` does nothing.
    previous = signal.signal(signal.SIGINT, signal.default_int_handler)
    watcher = threading.Thread(target=interrupt_once_rows_are_written, daemon=True)
    watcher.start()
    try:
        with pytest.raises(KeyboardInterrupt):
            pf.ensemble(scenario, runs=runs, days=120, threads=1, out=out)
    finally:
        stop.set()
        watcher.join()
        signal.signal(signal.SIGINT, previous)
    r = pf.read_results(out)
    assert r.manifest["complete"] is False
    done = r.manifest["experiments_done"]
    assert 0 < done < runs * len(scenario.coas) and done % 256 == 0
    assert r.runs.height == done
