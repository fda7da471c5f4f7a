"""patronfall from Python: load a scenario, run it, run ensembles, read
results and their analyses as DataFrames (docs/python.md).

    import patronfall as pf
    s = pf.Scenario.load("iraq-after-tehran")
    e = pf.ensemble(s, runs=50, days=120, seed=1)
    e.futures          # the futures table, a DataFrame
    e.runs             # one row per experiment, as runs.csv

Tables come from the Rust libraries as Arrow tables (pyarrow) and are
turned into a polars DataFrame (`frame="polars"`, the default), a pandas
DataFrame (`frame="pandas"`) or left as a `pyarrow.Table`
(`frame="arrow"`). polars and pandas are optional: install the one you use.
"""

from __future__ import annotations

import json
import os
from dataclasses import dataclass
from typing import Any, Dict, List, Optional, Sequence, Union

import pyarrow as pa

from . import _native
from ._native import (
    Entry,
    PatronfallError,
    ResultsError,
    Scenario,
    ScenarioError,
    Uncertainty,
    __version__,
)

__all__ = [
    "Entry",
    "Ensemble",
    "PatronfallError",
    "Results",
    "ResultsError",
    "Run",
    "Scenario",
    "ScenarioError",
    "Uncertainty",
    "Discovery",
    "discover",
    "ensemble",
    "futures",
    "merge",
    "read_results",
    "robustness",
    "run",
    "__version__",
]

PathLike = Union[str, "os.PathLike[str]"]

#: The DataFrame kinds a table can be returned as.
FRAMES = ("polars", "pandas", "arrow")


def _frame(table: pa.Table, frame: str) -> Any:
    """A pyarrow table as the DataFrame kind asked for."""
    if frame == "polars":
        try:
            import polars as pl
        except ImportError as e:
            raise ImportError(
                "frame='polars' needs polars: pip install polars, or pass frame='pandas' or frame='arrow'"
            ) from e
        return pl.from_arrow(table)
    if frame == "pandas":
        try:
            import pandas  # noqa: F401
        except ImportError as e:
            raise ImportError(
                "frame='pandas' needs pandas: pip install pandas, or pass frame='polars' or frame='arrow'"
            ) from e
        return table.to_pandas()
    if frame == "arrow":
        return table
    raise ValueError(f"frame: `{frame}` is not one of {', '.join(FRAMES)}")


def _rows(rows: List[Dict[str, Any]], columns: Sequence[str], frame: str) -> Any:
    """Rows of dicts as a table with these columns, in this order."""
    table = pa.table({c: [r.get(c) for r in rows] for c in columns})
    return _frame(table, frame)


def _futures_rows(coas: List[Dict[str, Any]]) -> List[Dict[str, Any]]:
    """The futures table (per course of action, per future) as flat rows."""
    return [
        {
            "coa": c["coa"],
            "runs": c["runs"],
            "future": f["future"],
            "runs_reached": f["runs_reached"],
            "share": f["share"],
            "low": f["low"],
            "high": f["high"],
        }
        for c in coas
        for f in c["futures"]
    ]


FUTURES_COLUMNS = ("coa", "runs", "future", "runs_reached", "share", "low", "high")


@dataclass(frozen=True)
class Run:
    """One run: `record` is the outcome record of `patronfall run --json`
    (without its series); `series` the daily series of every outcome (day
    0 is the start), when asked for."""

    record: Dict[str, Any]
    series: Any = None

    @property
    def future(self) -> Optional[str]:
        """The future reached, or None if no future's rule held."""
        return self.record["future"]

    @property
    def outcomes(self) -> Dict[str, Dict[str, float]]:
        """Every outcome's start, end, max, min and mean, by its catalogue name."""
        return self.record["outcomes"]


def run(
    scenario: Scenario,
    coa: Optional[str] = None,
    seed: int = 1,
    days: Optional[int] = None,
    shock: Optional[str] = None,
    series: bool = False,
    frame: str = "polars",
) -> Run:
    """Runs `scenario` once (`patronfall run`): course of action `coa` (the
    scenario's default if None), `shock` (the default if None, "none" for
    none), `days` (the scenario's horizon if None). With `series=True` the
    daily series come back as a DataFrame of `frame`'s kind."""
    if frame not in FRAMES:
        raise ValueError(f"frame: `{frame}` is not one of {', '.join(FRAMES)}")
    record, table = _native.run(scenario, coa=coa, seed=seed, days=days, shock=shock, series=series)
    return Run(json.loads(record), _frame(table, frame) if table is not None else None)


@dataclass(frozen=True)
class Ensemble:
    """An ensemble's results: `runs` (one row per experiment, the columns of
    runs.csv), `futures` (each future's share per course of action with its
    95% Wilson interval), the results directory `out` (None when none was
    asked for), and how many experiments finished of those planned."""

    runs: Any
    futures: Any
    out: Optional[str]
    done: int
    total: int

    @property
    def complete(self) -> bool:
        """Whether every planned experiment finished."""
        return self.done == self.total


def ensemble(
    scenario: Scenario,
    *,
    runs: int = 200,
    replications: int = 1,
    coa: Optional[Union[str, Sequence[str]]] = None,
    shock: Optional[str] = None,
    sampler: str = "lhs",
    vary: Sequence[str] = (),
    groups: Optional[str] = None,
    seed: int = 1,
    threads: Optional[int] = None,
    days: Optional[int] = None,
    out: Optional[PathLike] = None,
    force: bool = False,
    figure_columns: str = "all",
    keep_series: bool = False,
    series_sample: int = 500,
    shard: Optional[str] = None,
    runs_format: Optional[str] = None,
    frame: str = "polars",
) -> Ensemble:
    """Runs an ensemble (`patronfall ensemble`, with its options by the same
    names) on the Rust thread pool, with the GIL released. With `out` it
    writes the results directory the CLI writes (without the report:
    `patronfall report DIR` builds it); without, it writes a temporary one
    and removes it once the runs table is read. `coa` is a course of action,
    a list of them or "all" (None: all). `shard="K/N"` runs shard K of N
    (docs/cluster.md). `runs_format` is "both" or "parquet"; None writes
    both unless runs.csv would exceed 1 GiB, then runs.parquet only (with a
    UserWarning), as the CLI does. Ctrl-C stops between chunks, keeps what
    finished in `out`, and raises KeyboardInterrupt. The same options give the same
    runs.csv as the CLI, on any number of threads."""
    if frame not in FRAMES:
        raise ValueError(f"frame: `{frame}` is not one of {', '.join(FRAMES)}")
    coas = [coa] if isinstance(coa, str) else (list(coa) if coa is not None else None)
    written, done, total, table, futures_json = _native.ensemble(
        scenario,
        runs=runs,
        replications=replications,
        coa=coas,
        shock=shock,
        sampler=sampler,
        vary=list(vary),
        groups=groups,
        seed=seed,
        threads=threads,
        days=days,
        out=os.fspath(out) if out is not None else None,
        force=force,
        figure_columns=figure_columns,
        keep_series=keep_series,
        series_sample=series_sample,
        shard=shard,
        runs_format=runs_format,
    )
    fut = _rows(_futures_rows(json.loads(futures_json)), FUTURES_COLUMNS, frame)
    return Ensemble(_frame(table, frame), fut, written, done, total)


def merge(dirs: Sequence[PathLike], out: PathLike) -> int:
    """Joins the shards of a plan into `out` (`patronfall results merge`):
    the directory one machine would have written. Raises ResultsError,
    naming missing, doubled or unfinished shards. Returns the shards
    joined."""
    return _native.merge([os.fspath(d) for d in dirs], os.fspath(out))


@dataclass(frozen=True)
class Results:
    """A results directory: its `manifest` (a dict, manifest.json) and its
    runs table `runs` (runs.parquet), as a DataFrame."""

    dir: str
    manifest: Dict[str, Any]
    runs: Any


def read_results(dir: PathLike, frame: str = "polars") -> Results:
    """Reads a results directory written by `ensemble`, the CLI or a merge."""
    manifest, table = _native.read_results(os.fspath(dir))
    return Results(os.fspath(dir), json.loads(manifest), _frame(table, frame))


@dataclass(frozen=True)
class FuturesAnalysis:
    """`patronfall analyze futures` as tables: `futures` (each future's share
    per course of action with its Wilson interval), `future_differences`
    and `outcome_differences` (paired differences against `baseline`), at
    the two-sided `confidence` level."""

    confidence: float
    baseline: str
    futures: Any
    future_differences: Any
    outcome_differences: Any


DIFFERENCE_COLUMNS = ("coa", "of", "difference", "low", "high", "pairs")


def futures(
    dir: PathLike,
    baseline: Optional[str] = None,
    outcomes: Sequence[str] = (),
    frame: str = "polars",
) -> FuturesAnalysis:
    """The futures analysis of a results directory (`patronfall analyze
    futures`): `baseline` is the course of action the others are compared
    with (the first if None); `outcomes` are numeric columns of the runs
    table whose paired mean differences are wanted."""
    a = json.loads(_native.futures(os.fspath(dir), baseline, list(outcomes)))
    return FuturesAnalysis(
        confidence=a["confidence"],
        baseline=a["baseline"],
        futures=_rows(_futures_rows(a["coas"]), FUTURES_COLUMNS, frame),
        future_differences=_rows(a["future_differences"], DIFFERENCE_COLUMNS, frame),
        outcome_differences=_rows(a["outcome_differences"], DIFFERENCE_COLUMNS, frame),
    )


def robustness(
    dir: PathLike,
    outcome: str,
    direction: str,
    threshold: Optional[float] = None,
    frame: str = "polars",
) -> Any:
    """The robustness analysis (`patronfall analyze robustness`): per course
    of action, the mean of `outcome` (a numeric column of the runs table)
    over the samples, its largest and 90th-percentile regret, and the share
    of samples meeting `threshold`. `direction`: "maximize" or "minimize"."""
    a = json.loads(_native.robustness(os.fspath(dir), outcome, direction, threshold))
    return _rows(a["coas"], ("coa", "mean", "max_regret", "p90_regret", "satisficing"), frame)


@dataclass(frozen=True)
class Discovery:
    """`patronfall analyze discover` as tables: the PRIM `boxes` found (one
    row each: the step chosen, its coverage, density and mass), their
    `limits` (per box and figure: low, high, categories, the sources the
    figure rests on and the basis of the limit), the peeling and pasting
    `trajectories`, and how often each figure was restricted in the first
    box over the bootstrap resamples (`resampled`, None without them); with
    the `runs` analysed and how many reached the future (`cases_of_interest`)."""

    future: str
    coa: Optional[str]
    runs: int
    cases_of_interest: int
    boxes: Any
    limits: Any
    trajectories: Any
    resampled: Any


def discover(
    dir: PathLike,
    future: str,
    coa: Optional[str] = None,
    *,
    density: Optional[float] = None,
    coverage: Optional[float] = None,
    point: Optional[int] = None,
    mass_min: float = 0.05,
    significance: float = 0.05,
    boxes: int = 1,
    resamples: int = 20,
    seed: int = 1,
    frame: str = "polars",
) -> Discovery:
    """PRIM boxes of the uncertain figures where the runs reach `future`
    (`patronfall analyze discover`, with its options by the same names):
    over the runs of `coa`, or of all courses of action if None. The step of
    each trajectory is the highest-coverage one with at least `density`
    (0.8 if neither `coverage` nor `point` is given), the densest with at
    least `coverage`, or step `point`."""
    a = json.loads(
        _native.discover(
            os.fspath(dir), future, coa, density, coverage, point, mass_min, significance,
            boxes, resamples, seed,
        )
    )
    found = [dict(b, box=i + 1) for i, b in enumerate(a["boxes"])]
    limits = [dict(lim, box=b["box"], categories=", ".join(lim.get("categories", [])),
                   sources=", ".join(lim["sources"])) for b in found for lim in b["limits"]]
    steps = [dict(st, box=b["box"]) for b in found for st in b["trajectory"]]
    resampling = a.get("resampling")
    return Discovery(
        future=a["future"],
        coa=a["coa"],
        runs=a["runs"],
        cases_of_interest=a["cases_of_interest"],
        boxes=_rows(found, ("box", "chosen_step", "coverage", "density", "mass"), frame),
        limits=_rows(limits, ("box", "path", "low", "high", "categories", "sources", "basis"), frame),
        trajectories=_rows(
            steps, ("box", "step", "phase", "coverage", "density", "mass", "restricted_dims"), frame
        ),
        resampled=_rows(resampling["restricted"], ("path", "share"), frame) if resampling else None,
    )
