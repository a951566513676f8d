"""pytest set-up for the notebooks: their kernels start with the printed-number recorder.

Every number a notebook prints or glues is looked at unrounded (scripts/printed_numbers.py): a cell
fails when one sits within a tenth of a unit of its last printed digit from a rounding boundary
(``DLNOTES_PRINTED_CHECK=0`` turns that off), and with ``DLNOTES_PRINTED_LOG=DIR`` each is written
there for the margin report of ``make test-numerics``. The unit tests' set-up is tests/conftest.py.
"""

from __future__ import annotations

import os
import re
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent


def pytest_configure(config: pytest.Config) -> None:
    if os.environ.get("DLNOTES_INSTALLED_WHEEL") == "1":
        return  # the wheel's run has no notebooks
    sys.path.insert(0, str(ROOT / "scripts"))
    try:
        import printed_numbers
    finally:
        sys.path.remove(str(ROOT / "scripts"))
    # the kernels nbval starts read their start-up files from here
    os.environ["IPYTHONDIR"] = str(printed_numbers.write_profile(ROOT / "_build" / "ipython"))


@pytest.hookimpl(tryfirst=True)
def pytest_runtest_setup(item: pytest.Item) -> None:
    """Name the notebook for the kernel nbval is about to start (its numbers' log file)."""
    if item.path.suffix == ".ipynb":
        os.environ["DLNOTES_PRINTED_NOTEBOOK"] = item.path.name


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    """Mark every notebook's cells `book` and with its chapter, from its name (03b_multiclass.ipynb is
    chapter 3): `pytest -m ch3 book` runs chapter 3's notebooks (tests/conftest.py marks the test modules)."""
    for item in items:
        chapter = re.match(r"0*(\d+)", item.path.name) if item.path.suffix == ".ipynb" else None
        if chapter:
            item.add_marker(pytest.mark.book)
            item.add_marker(getattr(pytest.mark, f"ch{int(chapter.group(1))}"))
