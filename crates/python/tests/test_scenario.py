"""Scenario.load, its uncertainties, courses of action and futures,
with_values, and ScenarioError."""

import pytest

import patronfall as pf
from conftest import ROOT


def test_builtin_scenario_lists_its_figures_coas_and_futures(scenario):
    assert scenario.id == "iraq-after-tehran"
    assert "iraq-after-tehran" in pf.Scenario.builtins()
    assert len(scenario.uncertainties) > 10
    u = scenario.uncertainties[0]
    assert u.min <= u.nominal <= u.max
    assert u.distribution in {"uniform", "triangular", "normal", "beta", "discrete"}
    assert u.parameters
    ids = [c.id for c in scenario.coas]
    assert scenario.default_coa in ids
    assert len(ids) == len(set(ids)) >= 2
    assert all(f.name for f in scenario.futures)


def test_with_values_fixes_figures_by_path(scenario):
    u = next(u for u in scenario.uncertainties if u.max > u.min)
    fixed = scenario.with_values({u.path: u.max})
    assert fixed.fixed == {u.path: u.max}
    assert u.path not in [v.path for v in fixed.uncertainties]
    assert len(fixed.uncertainties) == len(scenario.uncertainties) - 1
    # The original is unchanged.
    assert u.path in [v.path for v in scenario.uncertainties]
    with pytest.raises(ValueError, match="already fixed"):
        fixed.with_values({u.path: u.min})


def test_with_values_changes_what_a_run_computes(scenario):
    base = pf.run(scenario, seed=3, days=90)
    changed = None
    for u in scenario.uncertainties:
        if u.max == u.min:
            continue
        for v in (u.min, u.max):
            r = pf.run(scenario.with_values({u.path: v}), seed=3, days=90)
            if r.outcomes != base.outcomes:
                changed = u.path
                break
        if changed:
            break
    assert changed is not None, "no uncertain figure moved any outcome"


def test_with_values_refuses_unknown_paths_and_values_out_of_range(scenario):
    with pytest.raises(ValueError, match="not an uncertain figure"):
        scenario.with_values({"armed_group.nobody.fighters": 1.0})
    u = scenario.uncertainties[0]
    with pytest.raises(ValueError, match="outside its valid range"):
        scenario.with_values({u.path: u.max + abs(u.max) + 1.0})


def test_a_broken_scenario_raises_scenario_error_with_its_place(tmp_path):
    template = (ROOT / "crates" / "scenario" / "scenarios" / "template.toml").read_text()
    assert "fighters = 60000" in template
    broken = tmp_path / "broken.toml"
    broken.write_text(template.replace("fighters = 60000", "fighters = -5", 1))
    line = template[: template.index("fighters = 60000")].count("\n") + 1
    with pytest.raises(pf.ScenarioError) as info:
        pf.Scenario.load(broken)
    e = info.value
    assert isinstance(e, pf.PatronfallError)
    assert e.file.endswith("broken.toml")
    assert e.line == line
    assert e.column == 12
    assert e.field.endswith("fighters")
    assert e.message
    assert e.problems[0]["field"] == e.field
    assert f"broken.toml:{line}:12" in str(e)


def test_a_missing_file_is_a_scenario_error(tmp_path):
    with pytest.raises(pf.ScenarioError) as info:
        pf.Scenario.load(tmp_path / "absent.toml")
    assert "absent.toml" in str(info.value)
