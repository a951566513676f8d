"""pytest set-up for the notebooks: their kernels start with the printed-number recorder.

Every number a notebook prints or glues is looked at unrounded (scripts/printed_numbers.py): a cell
fails when one sits within a tenth of a unit of its last printed digit from a rounding boundary
(``DLNOTES_PRINTED_CHECK=0`` turns that off), and with ``DLNOTES_PRINTED_LOG=DIR`` each is written
there for the margin report of ``make test-numerics``. The unit tests' set-up is tests/conftest.py.
"""

from __future__ import annotations

import importlib.util
import os
import re
import subprocess
import sys
import time
from pathlib import Path
from types import ModuleType
from typing import Any

import pytest

ROOT = Path(__file__).resolve().parent


def _load_script(name: str) -> ModuleType:
    """A module of scripts/ loaded from its file, without putting scripts/ on sys.path."""
    spec = importlib.util.spec_from_file_location(name, ROOT / "scripts" / f"{name}.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


one_core = _load_script("one_core")


def pytest_configure(config: pytest.Config) -> None:
    if os.environ.get("DLNOTES_INSTALLED_WHEEL") == "1":
        return  # the wheel's run has no notebooks
    printed_numbers = _load_script("printed_numbers")
    # the kernels nbval starts read their start-up files from here
    os.environ["IPYTHONDIR"] = str(printed_numbers.write_profile(ROOT / "_build" / "ipython"))


@pytest.hookimpl(tryfirst=True)
def pytest_runtest_setup(item: pytest.Item) -> None:
    """Name the notebook for the kernel nbval is about to start (its numbers' log file)."""
    if item.path.suffix == ".ipynb":
        os.environ["DLNOTES_PRINTED_NOTEBOOK"] = item.path.name
        # `scripts/one_core.py --each-worker`: this worker, and the kernel nbval starts next, on one core
        one_core.pin_this_worker()


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    """Mark every notebook's cells `book` and with its chapter, from its name (03b_multiclass.ipynb is
    chapter 3): `pytest -m ch3 book` runs chapter 3's notebooks (tests/conftest.py marks the test modules)."""
    for item in items:
        chapter = re.match(r"0*(\d+)", item.path.name) if item.path.suffix == ".ipynb" else None
        if chapter:
            item.add_marker(pytest.mark.book)
            item.add_marker(getattr(pytest.mark, f"ch{int(chapter.group(1))}"))
    _longest_first(items)


# The files that take longest, longest first (issue 30's CI time): pytest-xdist's --dist loadfile
# hands each worker a whole file at a time, by default the files with the most tests first, which
# left chapter 7 (21 cells, the longest notebook) and test_pdf.py (11 tests, ~100 s) near the end,
# one worker busy while the other idled. Measured 2026-12-03 (README, How fast); a stale order only
# costs time. `make test` passes --no-loadscope-reorder so that xdist keeps this order.
LONGEST_FIRST = (
    "test_browser.py",
    "07_distributed.ipynb",
    "02_training.ipynb",
    "06_tuning.ipynb",
    "06b_saving.ipynb",
    "03_evaluation.ipynb",
    "01_design.ipynb",
    "test_bilingual.py",
    "test_pdf.py",
    "test_browser_ko.py",
    "05c_optimizer.ipynb",
    "04_tips.ipynb",
    "05b_trainable.ipynb",
    "test_distributed.py",
    "05_overfitting.ipynb",
    "03c_curves.ipynb",
    "03b_multiclass.ipynb",
    "test_scripts.py",
    "test_reach.py",
    "test_package.py",
    "test_summary.py",
    "test_harness.py",
    "test_search.py",
)


def _longest_first(items: list[pytest.Item]) -> None:
    """Order the files longest first (LONGEST_FIRST), then the rest by their number of tests, as xdist
    would; each file's own tests keep their order."""
    count: dict[Path, int] = {}
    first: dict[Path, int] = {}
    for index, item in enumerate(items):
        count[item.path] = count.get(item.path, 0) + 1
        first.setdefault(item.path, index)

    def key(index_item: tuple[int, pytest.Item]) -> tuple[int, int, int, int]:
        index, item = index_item
        name = item.path.name
        rank = LONGEST_FIRST.index(name) if name in LONGEST_FIRST else len(LONGEST_FIRST)
        return rank, -count[item.path], first[item.path], index

    items[:] = [item for _, item in sorted(enumerate(items), key=key)]


# Each notebook's time against its budget, reported at the end of every run that executed notebooks
# (issue 30): the sum of its cells' call times, what `pytest -p no:xdist book/<notebook>` reports
# for it alone. A report, not a test: a loaded machine is slower, and a timing test would be flaky.
BUDGET_SECONDS = {"07_distributed.ipynb": 45.0}  # worker processes each import TensorFlow
DEFAULT_BUDGET_SECONDS = 30.0
_notebook_seconds: dict[str, float] = {}
# All of them together against 5 x (number of notebooks x TensorFlow's start-up): the wall time of a
# fresh `python -c "import tensorflow"`, timed once in the same run, after the notebooks (as
# benchmarks/bench.py times it). Not the notebooks' first cells: those import TensorFlow through
# dlnotes.seed_everything, our own code, so a faster import there would tighten the budget.
TOGETHER_BUDGET = 5  # x (the notebooks' TensorFlow start-ups), issue 30


def tensorflow_start_up_seconds() -> float:
    """Seconds a fresh interpreter takes to run ``import tensorflow`` and exit, wall clock."""
    start = time.perf_counter()
    subprocess.run([sys.executable, "-c", "import tensorflow"], capture_output=True, check=True)
    return time.perf_counter() - start


def pytest_runtest_logreport(report: pytest.TestReport) -> None:
    path = report.location[0] if report.location else ""
    if path.endswith(".ipynb") and report.when == "call":
        name = os.path.basename(path)
        _notebook_seconds[name] = _notebook_seconds.get(name, 0.0) + report.duration


def pytest_terminal_summary(terminalreporter: Any) -> None:
    if not _notebook_seconds:
        return
    terminalreporter.section("each notebook's time against its budget (the sum of its cells' run times)")
    for name, seconds in sorted(_notebook_seconds.items()):
        budget = BUDGET_SECONDS.get(name, DEFAULT_BUDGET_SECONDS)
        flag = "  OVER BUDGET" if seconds > budget else ""
        terminalreporter.write_line(f"{name:<28} {seconds:6.1f} s   budget {budget:4.0f} s{flag}")
    if len(_notebook_seconds) > 1:
        together, count = sum(_notebook_seconds.values()), len(_notebook_seconds)
        start = tensorflow_start_up_seconds()
        flag = "  OVER BUDGET" if together > TOGETHER_BUDGET * count * start else ""
        terminalreporter.write_line(
            f"{'all ' + str(count) + ' notebooks':<28} {together:6.1f} s = {together / start:.1f} x "
            f'python -c "import tensorflow" ({start:.2f} s, this run); budget {TOGETHER_BUDGET * count} x '
            f"({TOGETHER_BUDGET} x {count} notebooks){flag}"
        )
