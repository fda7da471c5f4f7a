"""patronfall.run: the outcome record and the daily series."""

import pytest

import patronfall as pf


def test_a_run_returns_the_outcome_record(scenario):
    r = pf.run(scenario, coa=scenario.coas[1].id, seed=7, days=60)
    rec = r.record
    assert rec["coa"] == scenario.coas[1].id
    assert rec["seed"] == 7 and rec["days"] == 60
    assert rec["scenario"]["id"] == scenario.id
    assert r.future is None or r.future in [f.id for f in scenario.futures]
    assert set(r.outcomes) == set(pf._native.outcome_names())
    for stats in r.outcomes.values():
        assert set(stats) == {"start", "end", "max", "min", "mean"}
    assert "series" not in rec and r.series is None
    assert [w["future"] for w in rec["why"]] == [f.id for f in scenario.futures]


def test_the_same_seed_gives_the_same_record_and_another_seed_another(scenario):
    a = pf.run(scenario, seed=11, days=60).record
    b = pf.run(scenario, seed=11, days=60).record
    c = pf.run(scenario, seed=12, days=60).record
    assert a == b
    assert a["outcomes"] != c["outcomes"]


def test_the_daily_series_as_polars_and_pandas(scenario):
    r = pf.run(scenario, seed=2, days=30, series=True)
    df = r.series
    assert df.height == 31
    assert df.columns[0] == "day" and df["day"].to_list() == list(range(31))
    names = pf._native.outcome_names()
    assert df.columns[1:] == names
    # The last day's value is the record's end value.
    name = names[0]
    assert df[name][-1] == pytest.approx(r.outcomes[name]["end"], nan_ok=True)
    p = pf.run(scenario, seed=2, days=30, series=True, frame="pandas").series
    assert list(p.columns) == df.columns
    assert p[name].tolist() == df[name].to_list()
    t = pf.run(scenario, seed=2, days=30, series=True, frame="arrow").series
    assert t.num_rows == 31


def test_bad_arguments_name_themselves(scenario):
    with pytest.raises(ValueError, match="coa: `nope` is not a course of action"):
        pf.run(scenario, coa="nope")
    with pytest.raises(ValueError, match="shock: `nope`"):
        pf.run(scenario, shock="nope")
    with pytest.raises(ValueError, match="days"):
        pf.run(scenario, days=0)
    with pytest.raises(ValueError, match="frame"):
        pf.run(scenario, frame="excel")


def test_the_record_is_the_clis_run_json(scenario, cli):
    import json
    import subprocess

    coa = scenario.coas[2].id
    done = subprocess.run([cli, "run", "--json", "--coa", coa, "--seed", "5", "--days", "45"],
                          check=True, capture_output=True, text=True)
    expected = json.loads(done.stdout)
    expected.pop("series")
    assert pf.run(scenario, coa=coa, seed=5, days=45).record == expected
