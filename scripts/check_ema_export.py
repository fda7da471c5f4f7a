"""Checks a `patronfall export ema` archive with the EMA Workbench itself.

Usage: python scripts/check_ema_export.py RESULTS_DIR ARCHIVE.tar.gz

Loads the archive with `ema_workbench.load_results` twice: as written (the
loader reads metadata.json) and with metadata.json removed (the loader falls
back to the legacy `experiments metadata.csv` / `outcomes metadata.csv`).
Both must agree with RESULTS_DIR/runs.csv row for row. Needs ema_workbench
and pandas (pip install ema_workbench).
"""

import io
import sys
import tarfile
import tempfile
import warnings

warnings.filterwarnings("ignore")

import numpy as np  # noqa: E402
import pandas as pd  # noqa: E402
from ema_workbench import load_results  # noqa: E402


def without_metadata_json(path):
    out = tempfile.NamedTemporaryFile(suffix=".tar.gz", delete=False).name
    with tarfile.open(path, "r:gz") as src, tarfile.open(out, "w:gz") as dst:
        for member in src.getmembers():
            if member.name != "metadata.json":
                dst.addfile(member, io.BytesIO(src.extractfile(member).read()))
    return out


def check(runs, experiments, outcomes, label):
    assert len(experiments) == len(runs), label
    assert list(experiments["policy"].astype(str)) == list(runs["coa"]), label
    assert list(experiments["scenario"]) == list(runs["sample"]), label
    for name in ["casualties", "legitimacy", "max_active_share"]:
        if name in runs:
            assert np.allclose(outcomes[name], runs[name], equal_nan=True), (label, name)
    futures = [k for k in outcomes if k.startswith("future_")]
    for f in futures:
        expected = (runs["future"] == f[len("future_"):]).astype(int)
        assert (outcomes[f] == expected).all(), (label, f)
    print(f"{label}: {len(experiments)} experiments, {len(outcomes)} outcomes, "
          f"{len(futures)} future indicators agree with runs.csv")


def main():
    results_dir, archive = sys.argv[1], sys.argv[2]
    runs = pd.read_csv(f"{results_dir}/runs.csv", keep_default_na=False,
                       na_values={c: [""] for c in ["casualties", "legitimacy", "max_active_share"]})
    check(runs, *load_results(archive), "metadata.json loader")
    check(runs, *load_results(without_metadata_json(archive)), "legacy metadata loader")


if __name__ == "__main__":
    main()
