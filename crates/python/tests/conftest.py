"""Shared fixtures: the built-in scenario, and the CLI binary that the
package's results are compared with."""

import os
import shutil
from pathlib import Path

import pytest

import patronfall as pf

ROOT = Path(__file__).resolve().parents[3]


@pytest.fixture(scope="session")
def scenario():
    return pf.Scenario.load("iraq-after-tehran")


@pytest.fixture(scope="session")
def cli():
    """The `patronfall` binary: $PATRONFALL, else the workspace's debug or
    release build, else one on the PATH. `.ci/run` builds it first."""
    candidates = [os.environ.get("PATRONFALL")]
    candidates += [str(ROOT / "target" / p / "patronfall") for p in ("debug", "release")]
    candidates.append(shutil.which("patronfall"))
    for c in candidates:
        if c and os.access(c, os.X_OK):
            return c
    pytest.fail("no patronfall binary: build it with `cargo build -p patronfall` or set PATRONFALL")
