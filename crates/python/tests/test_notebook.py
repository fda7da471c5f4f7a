"""The notebook-style example runs end to end."""

import runpy
import sys
from pathlib import Path

import polars as pl

EXAMPLE = Path(__file__).resolve().parents[1] / "examples" / "notebook.py"


def test_the_notebook_example_runs(tmp_path, monkeypatch, capsys):
    out = tmp_path / "iraq"
    monkeypatch.setattr(sys, "argv", [str(EXAMPLE), str(out)])
    names = runpy.run_path(str(EXAMPLE), run_name="__main__")
    futures = names["futures"]
    assert isinstance(futures, pl.DataFrame)
    assert set(futures["coa"].to_list()) == {c.id for c in names["scenario"].coas}
    assert (out / "runs.csv").exists() and (out / "manifest.json").exists()
    assert names["wide"].shape[0] == len(names["scenario"].coas)
    assert "experiments, results in" in capsys.readouterr().out
