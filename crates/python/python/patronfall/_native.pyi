"""Types of the native module `patronfall._native` (built from
crates/python/src by maturin). Use the package `patronfall`, which wraps it."""

from typing import Dict, List, Optional, Sequence, Tuple, Union
import os

import pyarrow

__version__: str

class PatronfallError(Exception):
    """A failure of patronfall: the base class of its exceptions."""

class ScenarioError(PatronfallError):
    """A scenario that cannot be used; the attributes describe its first problem."""

    file: str
    line: Optional[int]
    column: Optional[int]
    field: Optional[str]
    message: Optional[str]
    help: Optional[str]
    problems: List[Dict[str, object]]

class ResultsError(PatronfallError):
    """A results directory that cannot be written, read or analysed."""

    file: Optional[str]
    bad_input: bool

class Uncertainty:
    """An uncertain figure of a scenario."""

    @property
    def path(self) -> str: ...
    @property
    def distribution(self) -> str: ...
    @property
    def parameters(self) -> Dict[str, Union[float, List[float]]]: ...
    @property
    def nominal(self) -> float: ...
    @property
    def min(self) -> float: ...
    @property
    def max(self) -> float: ...
    @property
    def sources(self) -> List[str]: ...

class Entry:
    """A course of action or a future: id, display name and meaning."""

    @property
    def id(self) -> str: ...
    @property
    def name(self) -> str: ...
    @property
    def description(self) -> str: ...

class Scenario:
    """A validated scenario."""

    @staticmethod
    def load(name_or_path: Union[str, os.PathLike[str]], *, vary_parameters: bool = False) -> Scenario:
        """Opens a built-in scenario by name or a scenario file by path; raises ScenarioError."""
    @staticmethod
    def builtins() -> List[str]:
        """The names of the built-in scenarios."""
    @property
    def id(self) -> str: ...
    @property
    def title(self) -> str: ...
    @property
    def file(self) -> str: ...
    @property
    def sha256(self) -> str: ...
    @property
    def horizon_days(self) -> int: ...
    @property
    def uncertainties(self) -> List[Uncertainty]: ...
    @property
    def coas(self) -> List[Entry]: ...
    @property
    def futures(self) -> List[Entry]: ...
    @property
    def shocks(self) -> List[str]: ...
    @property
    def default_coa(self) -> str: ...
    @property
    def default_shock(self) -> Optional[str]: ...
    @property
    def fixed(self) -> Dict[str, float]: ...
    def with_values(self, values: Dict[str, float]) -> Scenario:
        """A copy with these uncertain figures (by path) fixed; raises ValueError."""

def run(
    scenario: Scenario,
    coa: Optional[str] = None,
    seed: int = 1,
    days: Optional[int] = None,
    shock: Optional[str] = None,
    series: bool = False,
) -> Tuple[str, Optional[pyarrow.Table]]: ...
def outcome_names() -> List[str]:
    """The outcome catalogue's names, in catalogue order."""
def ensemble(
    scenario: Scenario,
    *,
    runs: int = 200,
    replications: int = 1,
    coa: Optional[Sequence[str]] = None,
    shock: Optional[str] = None,
    sampler: str = "lhs",
    vary: Sequence[str] = ...,
    groups: Optional[str] = None,
    seed: int = 1,
    threads: Optional[int] = None,
    days: Optional[int] = None,
    out: Optional[str] = None,
    force: bool = False,
    figure_columns: str = "all",
    keep_series: bool = False,
    series_sample: int = 500,
    shard: Optional[str] = None,
    runs_format: Optional[str] = None,
) -> Tuple[Optional[str], int, int, pyarrow.Table, str]: ...
def merge(dirs: Sequence[str], out: str) -> int: ...
def read_results(dir: str) -> Tuple[str, pyarrow.Table]: ...
def futures(dir: str, baseline: Optional[str] = None, outcomes: Sequence[str] = ...) -> str: ...
def robustness(dir: str, outcome: str, direction: str, threshold: Optional[float] = None) -> str: ...
def discover(
    dir: str,
    future: str,
    coa: Optional[str] = None,
    density: Optional[float] = None,
    coverage: Optional[float] = None,
    point: Optional[int] = None,
    mass_min: float = 0.05,
    significance: float = 0.05,
    boxes: int = 1,
    resamples: int = 20,
    seed: int = 1,
) -> str: ...
