# %% [markdown]
# # patronfall from a notebook
#
# Load the built-in scenario, run it once, run an ensemble of every course
# of action, and read the futures table as a DataFrame (docs/python.md).
# Each `# %%` is a cell; `python examples/notebook.py` runs them all.

# %%
import sys
import tempfile
from pathlib import Path

import polars as pl

import patronfall as pf

scenario = pf.Scenario.load("iraq-after-tehran")
print(scenario)
print([c.id for c in scenario.coas])

# %% One run, with its daily series.
run = pf.run(scenario, coa=scenario.default_coa, seed=7, days=120, series=True)
print("future reached:", run.future)
print(run.series.select(["day", "crossers_total", "casualties"]).tail(3))

# %% An ensemble: every course of action on the same samples and seeds.
out = Path(sys.argv[1]) if len(sys.argv) > 1 else Path(tempfile.mkdtemp()) / "iraq"
ensemble = pf.ensemble(scenario, runs=20, days=120, seed=1, out=out)
print(f"{ensemble.done} of {ensemble.total} experiments, results in {ensemble.out}")

# %% The futures table: each future's share per course of action, 95% Wilson interval.
futures = ensemble.futures
print(futures)

# %% The same table as pandas, wide: one row per course of action, one column per future.
wide = pf.futures(out, frame="pandas").futures.pivot(index="coa", columns="future", values="share")
print(wide.round(2))

# %% The runs table: one row per experiment, the sampled figures and the outcomes.
runs = pf.read_results(out).runs
print(runs.group_by("coa", maintain_order=True).agg(pl.col("casualties").mean().alias("mean casualties")))
