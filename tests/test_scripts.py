"""The scripts under scripts/: their doctests run, and the nbval sanitiser works end to end."""

from __future__ import annotations

import doctest
import importlib.util
import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from test_harness import ROOT, _notebook, _project_addopts

SCRIPTS = sorted((ROOT / "scripts").glob("*.py"))


def _load(path: Path):
    spec = importlib.util.spec_from_file_location(f"scripts_{path.stem}", path)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


@pytest.mark.parametrize("path", SCRIPTS, ids=[p.name for p in SCRIPTS])
def test_script_doctests_pass(path):
    result = doctest.testmod(_load(path), optionflags=doctest.ELLIPSIS)
    assert result.failed == 0


def test_scripts_with_logic_have_doctests():
    tested = {p.name for p in SCRIPTS if doctest.testmod(_load(p)).attempted}
    assert {"offline_html.py", "one_core.py", "refresh_notebooks.py"} <= tested


def test_a_timing_only_difference_passes_strict_nbval_through_the_real_sanitiser(tmp_path):
    """A Keras progress line whose timings differ from the stored one must not fail the book's nbval run."""
    source = 'print("7/7 \\u2501\\u2501\\u2501\\u2501 1s 9ms/step")'
    path = tmp_path / "timing.ipynb"
    path.write_text(json.dumps(_notebook(source, "7/7 ━━━━ 0s 5ms/step\n")))
    (tmp_path / "pytest.ini").write_text("[pytest]\n")
    result = subprocess.run(
        [
            sys.executable,
            "-m",
            "pytest",
            "-q",
            "-p",
            "no:xdist",
            "-c",
            str(tmp_path / "pytest.ini"),
            *_project_addopts(),
            str(path),
        ],
        capture_output=True,
        text=True,
        cwd=tmp_path,
    )
    assert result.returncode == 0, result.stdout + result.stderr


@pytest.mark.skipif(not hasattr(os, "sched_setaffinity"), reason="pinning to a core is Linux-only")
def test_one_core_each_worker_gives_every_kernel_one_core_and_each_worker_its_own(tmp_path):
    """`make test`'s single-core run: two pytest workers, each kernel pinned to its worker's one core."""
    cores = sorted(os.sched_getaffinity(0))
    source = (
        "import os\ncores = sorted(os.sched_getaffinity(0))\n"
        f"open({str(tmp_path)!r} + '/' + os.environ['DLNOTES_PRINTED_NOTEBOOK'] + '.core', 'w').write(str(cores[0]))\n"
        "print(len(cores))"
    )
    for name in ("a.ipynb", "b.ipynb"):
        (tmp_path / name).write_text(json.dumps(_notebook(source, "1\n")))
    (tmp_path / "pytest.ini").write_text("[pytest]\n")
    result = subprocess.run(
        [
            sys.executable,
            str(ROOT / "scripts" / "one_core.py"),
            "--each-worker",
            sys.executable,
            "-m",
            "pytest",
            "-q",
            "-n",
            "2",
            "--dist",
            "loadfile",
            "-p",
            "conftest",
            "-c",
            str(tmp_path / "pytest.ini"),
            *_project_addopts(),
            str(tmp_path / "a.ipynb"),
            str(tmp_path / "b.ipynb"),
        ],
        capture_output=True,
        text=True,
        cwd=tmp_path,
        env={**os.environ, "PYTHONPATH": str(ROOT)},
    )
    output = result.stdout + result.stderr
    assert "2 passed" in output, output  # each kernel saw exactly one core (it printed 1)
    used = {int((tmp_path / f"{name}.core").read_text()) for name in ("a.ipynb", "b.ipynb")}
    assert used == set(cores[:2]), (used, cores)  # the two workers on two different cores


def test_the_longest_files_go_first_and_each_file_keeps_its_order():
    """conftest.py's LONGEST_FIRST (issue 30's CI time): the files it names lead, in its order, the
    others follow by their number of tests; every name in it is a file of the project."""
    conftest = _load(ROOT / "conftest.py")
    for name in conftest.LONGEST_FIRST:
        assert list(ROOT.glob(f"*/{name}")), f"LONGEST_FIRST names {name}, which is not in tests/ or book/"

    class Item:
        def __init__(self, path: str, n: int) -> None:
            self.path, self.n = Path(path), n

    items = [Item("tests/test_api.py", n) for n in range(3)] + [Item("tests/test_data.py", 0)]
    items += [Item("book/06_tuning.ipynb", n) for n in range(2)] + [Item("tests/test_browser.py", 0)]
    conftest._longest_first(items)
    assert [(item.path.name, item.n) for item in items] == [
        ("test_browser.py", 0),
        ("06_tuning.ipynb", 0),
        ("06_tuning.ipynb", 1),
        ("test_api.py", 0),
        ("test_api.py", 1),
        ("test_api.py", 2),
        ("test_data.py", 0),
    ]
