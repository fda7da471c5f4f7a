"""The EMA Workbench adapter: a small perform_experiments and PRIM on it."""

import numpy as np
import pytest

ema = pytest.importorskip("ema_workbench", minversion="3", reason="ema_workbench 3.x needs Python 3.12 or later")

import patronfall as pf  # noqa: E402
from patronfall.ema import Model, identifier  # noqa: E402


def test_the_model_takes_its_parameters_from_the_scenario(scenario):
    model = Model("iraq", "iraq-after-tehran", days=60)
    names = [u.name for u in model.uncertainties]
    assert all(n.isidentifier() for n in names)
    assert [model.paths[n] for n in names] == [u.path for u in scenario.uncertainties]
    assert identifier("tie.iran->kh.funds.weight") == "tie_iran__kh_funds_weight"
    assert [c.name for c in model.levers["coa"].categories] == [c.id for c in scenario.coas]
    outcomes = [o.name for o in model.outcomes]
    for n in pf._native.outcome_names():
        assert n in outcomes and f"max_{n}" in outcomes
    assert all(o.isidentifier() for o in outcomes)
    assert [o for o in outcomes if o.startswith("future_")] == [f"future_{f.id}" for f in scenario.futures]
    assert [p.name for p in model.policies()] == [c.id for c in scenario.coas]


def test_perform_experiments_and_prim(scenario):
    model = Model("iraq", "iraq-after-tehran", days=60, vary=["armed_group.*"])
    policies = model.policies()[:2]
    experiments, outcomes = ema.perform_experiments(model, scenarios=20, policies=policies)
    assert len(experiments) == 40
    assert set(experiments["coa"]) == {p.name for p in policies}
    # Each experiment is the patronfall run of its sampled figures.
    row = experiments.iloc[0]
    figures = {model.paths[u.name]: row[u.name] for u in model.uncertainties}
    values = {u.path: min(max(float(figures[u.path]), u.min), u.max)
              for u in scenario.uncertainties if u.path in figures}
    r = pf.run(scenario.with_values(values), coa=row["coa"], seed=1, days=60)
    name = pf._native.outcome_names()[0]
    assert outcomes[name][0] == pytest.approx(r.outcomes[name]["end"], nan_ok=True)
    reached = sum(outcomes[f"future_{f.id}"] for f in scenario.futures)
    assert set(np.unique(reached)) <= {0.0, 1.0}

    # PRIM on the runs whose casualties are in the top quarter.
    from ema_workbench.analysis import prim

    y = outcomes["casualties"] >= np.quantile(outcomes["casualties"], 0.75)
    x = experiments[[u.name for u in model.uncertainties]]
    p = prim.Prim(x, y)
    box = p.find_box()
    assert box.peeling_trajectory.shape[0] >= 1
    assert 0.0 < box.peeling_trajectory["coverage"].iloc[0] <= 1.0
