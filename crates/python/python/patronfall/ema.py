"""patronfall as an EMA Workbench model (ema_workbench 3.x).

    from ema_workbench import perform_experiments
    from patronfall.ema import Model

    model = Model("iraq", "iraq-after-tehran", days=120)
    experiments, outcomes = perform_experiments(model, scenarios=100, policies=model.policies())

What the workbench sees:

- **uncertainties**: every uncertain figure of the scenario, with the
  scenario's distribution. The workbench wants names that are Python
  identifiers, so a figure's name is its path with every other character
  made `_` (`tie.iran->kh.funds.weight` is `tie_iran__kh_funds_weight`);
  `model.paths` maps each name to its path. The distributions (uniform as a `RealParameter`
  over its range; triangular, normal and beta as scipy distributions
  through `RealParameter.from_dist`; discrete as a `CategoricalParameter`
  of its values when their weights are equal, else an `IntegerParameter`
  over the values' indices with the weights as its distribution).
  A value outside the figure's valid range (a normal's tail) is clamped to
  it, as patronfall's own samplers do. `vary` keeps only some (patterns as
  `ensemble(vary=...)`); the rest stay at their nominal values.
- **levers**: `coa`, the course of action (a `CategoricalParameter` of the
  scenario's courses of action). In patronfall a course of action sets the
  scenario's levers, when and how far; `policies()` gives one workbench
  `Sample` (a policy) per course of action.
- **outcomes**: every outcome of the catalogue, named as the runs table's
  columns: `NAME` is its value on the last day, `max_NAME` its maximum;
  and `future_ID`, 1.0 in a run that reached future ID and 0.0 otherwise.
- **constants**: `seed`, the run's seed (every experiment runs with the
  same seed unless a `ReplicatorModel`-style replication sets another).

Each experiment is one `patronfall.run` of the scenario with the sampled
figures fixed (`Scenario.with_values`). The model's function is picklable
(it holds the scenario's name or path and loads it once per process), so
the workbench's multiprocessing evaluator can run it.
"""

from __future__ import annotations

import os
import re
from typing import Any, Dict, List, Optional, Sequence, Union

import ema_workbench as ema
import scipy.stats

from . import Scenario, run as _run
from . import _native

__all__ = ["Model", "identifier", "parameter"]


def _matches(path: str, patterns: Sequence[str]) -> bool:
    """Whether a figure's path matches one of `vary`'s patterns (exact, or a
    prefix ending in `*`, as the CLI's `--vary`)."""
    for p in patterns:
        if p.endswith("*"):
            if path.startswith(p[:-1]):
                return True
        elif path == p:
            return True
    return False


def identifier(path: str) -> str:
    """A figure's or a future's workbench name: its path with every
    character that cannot be in a Python identifier made `_`."""
    name = re.sub(r"\W", "_", path)
    return f"_{name}" if name[:1].isdigit() else name


def parameter(u: Any) -> Any:
    """The workbench parameter of a patronfall `Uncertainty`, named by
    `identifier(u.path)`."""
    p = u.parameters
    d = u.distribution
    name = identifier(u.path)
    if d == "uniform":
        return ema.RealParameter(name, max(p["low"], u.min), min(p["high"], u.max))
    if d == "triangular":
        width = p["high"] - p["low"]
        dist = scipy.stats.triang((p["mode"] - p["low"]) / width, loc=p["low"], scale=width)
        return ema.RealParameter.from_dist(name, dist)
    if d == "normal":
        return ema.RealParameter.from_dist(name, scipy.stats.norm(p["mean"], p["sd"]))
    if d == "beta":
        dist = scipy.stats.beta(p["alpha"], p["beta"], loc=p["low"], scale=p["high"] - p["low"])
        return ema.RealParameter.from_dist(name, dist)
    if d == "discrete":
        values, weights = p["values"], p["weights"]
        if len(set(weights)) == 1:
            return ema.CategoricalParameter(name, values)
        total = sum(weights)
        indices = list(range(len(values)))
        dist = scipy.stats.rv_discrete(values=(indices, [w / total for w in weights]))()
        return ema.IntegerParameter.from_dist(name, dist)
    raise ValueError(f"{u.path}: distribution `{d}` has no workbench parameter")


class _Runner:
    """The model's function: one run per experiment. Picklable: it holds
    the scenario's name or path and loads it once per process."""

    def __init__(
        self,
        scenario: str,
        vary_parameters: bool,
        days: Optional[int],
        shock: Optional[str],
        paths: Dict[str, str],
        indexed: Dict[str, List[float]],
    ):
        self.scenario = scenario
        self.paths = paths
        self.vary_parameters = vary_parameters
        self.days = days
        self.shock = shock
        self.indexed = indexed
        self._loaded: Optional[Scenario] = None

    def __getstate__(self) -> Dict[str, Any]:
        state = dict(self.__dict__)
        state["_loaded"] = None
        return state

    def _load(self) -> Scenario:
        if self._loaded is None:
            self._loaded = Scenario.load(self.scenario, vary_parameters=self.vary_parameters)
        return self._loaded

    def __call__(self, coa: str, seed: int = 1, **figures: Any) -> Dict[str, float]:
        s = self._load()
        ranges = {u.path: (u.min, u.max) for u in s.uncertainties}
        values = {}
        for name, v in figures.items():
            path = self.paths[name]
            if path in self.indexed:
                v = self.indexed[path][int(v)]
            low, high = ranges[path]
            values[path] = min(max(float(v), low), high)
        r = _run(s.with_values(values), coa=coa, seed=int(seed), days=self.days, shock=self.shock)
        out: Dict[str, float] = {}
        for name, stats in r.outcomes.items():
            out[name] = _number(stats["end"])
            out[f"max_{name}"] = _number(stats["max"])
        for f in s.futures:
            out[f"future_{identifier(f.id)}"] = 1.0 if r.future == f.id else 0.0
        return out


def _number(v: Optional[float]) -> float:
    """A record's number; a value the run could not compute (null) is NaN."""
    return float("nan") if v is None else float(v)


class Model(ema.Model):
    """patronfall's scenario as a workbench `Model` (see the module's doc).

    `name` must be a Python identifier (the workbench's rule); `scenario`
    is a built-in scenario's name or a scenario file's path; `days` and
    `shock` are `patronfall.run`'s; `seed` is the constant `seed`; `vary`
    keeps only the uncertain figures matching these patterns."""

    def __init__(
        self,
        name: str,
        scenario: Union[str, "os.PathLike[str]"] = "iraq-after-tehran",
        *,
        days: Optional[int] = None,
        shock: Optional[str] = None,
        seed: int = 1,
        vary: Sequence[str] = (),
        vary_parameters: bool = False,
    ):
        source = os.fspath(scenario)
        s = Scenario.load(source, vary_parameters=vary_parameters)
        figures = [u for u in s.uncertainties if not vary or _matches(u.path, vary)]
        if vary and not figures:
            raise ValueError(f"vary: no uncertain figure of {s.id} matches {', '.join(vary)}")
        paths = {identifier(u.path): u.path for u in figures}
        if len(paths) != len(figures):
            raise ValueError(f"{s.id}: two figures' paths give the same workbench name")
        indexed = {
            u.path: list(u.parameters["values"])
            for u in figures
            if u.distribution == "discrete" and len(set(u.parameters["weights"])) > 1
        }
        super().__init__(name, function=_Runner(source, vary_parameters, days, shock, paths, indexed))
        self.scenario = s
        #: Each uncertainty's workbench name and the path of its figure.
        self.paths = paths
        self.uncertainties = [parameter(u) for u in figures]
        self.levers = [ema.CategoricalParameter("coa", [c.id for c in s.coas])]
        outcomes = []
        for n in _native.outcome_names():
            outcomes.append(ema.ScalarOutcome(n))
            outcomes.append(ema.ScalarOutcome(f"max_{n}"))
        outcomes.extend(ema.ScalarOutcome(f"future_{identifier(f.id)}") for f in s.futures)
        self.outcomes = outcomes
        self.constants = [ema.Constant("seed", seed)]

    def policies(self) -> List[Any]:
        """One workbench `Sample` (a policy) per course of action of the scenario."""
        return [ema.Sample(c.id, coa=c.id) for c in self.scenario.coas]
