"""A notebook stored with an error, or half-executed, must stop the book build loudly."""

import json
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "scripts"))

from book_checks import notebook_problems  # noqa: E402


def _cell(source, outputs=(), count=1, tags=()):
    return {
        "cell_type": "code",
        "execution_count": count,
        "metadata": {"tags": list(tags)},
        "source": source,
        "outputs": list(outputs),
        "id": f"c{abs(hash(source)) % 10**6}",
    }


ERROR = {"output_type": "error", "ename": "ZeroDivisionError", "evalue": "division by zero", "traceback": []}


def _nb(*cells):
    return {
        "cells": list(cells),
        "metadata": {"kernelspec": {"name": "python3", "display_name": "Python 3", "language": "python"}},
        "nbformat": 4,
        "nbformat_minor": 5,
    }


def test_clean_notebook_has_no_problems():
    assert (
        notebook_problems(_nb(_cell("x = 1"), {"cell_type": "markdown", "source": "hi", "metadata": {}}))
        == []
    )


def test_error_output_is_reported_with_cell_and_message():
    problems = notebook_problems(_nb(_cell("x = 1"), _cell("1 / 0", [ERROR])))
    assert problems == ["cell 2 ('1 / 0') stored an error: ZeroDivisionError: division by zero"]


def test_error_allowed_only_with_raises_exception_tag():
    assert notebook_problems(_nb(_cell("1 / 0", [ERROR], tags=["raises-exception"]))) == []


def test_unexecuted_code_cell_is_reported_but_empty_cells_are_not():
    problems = notebook_problems(_nb(_cell("x = 1", count=None), _cell("   ", count=None)))
    assert problems == ["cell 1 ('x = 1') was never executed"]


def test_every_book_notebook_is_stored_executed_and_clean():
    for path in sorted((ROOT / "book").glob("*.ipynb")):
        assert notebook_problems(json.loads(path.read_text())) == [], path.name


@pytest.mark.skipif(
    shutil.which("jupyter-book", path=str(Path(sys.executable).parent)) is None,
    reason="jupyter-book is not installed in this environment",
)
def test_book_build_stops_on_a_notebook_with_an_error(tmp_path):
    (tmp_path / "scripts").mkdir()
    shutil.copy(ROOT / "scripts" / "book_checks.py", tmp_path / "scripts")
    (tmp_path / "_config.yml").write_text(
        "title: t\nonly_build_toc_files: true\nexecute:\n  execute_notebooks: 'off'\n"
        "sphinx:\n  local_extensions:\n    book_checks: scripts\n"
    )
    (tmp_path / "_toc.yml").write_text("format: jb-book\nroot: intro\nchapters:\n  - file: broken\n")
    (tmp_path / "intro.md").write_text("# Intro\n")
    (tmp_path / "broken.ipynb").write_text(json.dumps(_nb(_cell("x = 1"), _cell("1 / 0", [ERROR]))))
    jb = Path(sys.executable).parent / "jupyter-book"
    result = subprocess.run(
        [str(jb), "build", str(tmp_path), "-W", "-n", "--keep-going"],
        capture_output=True,
        text=True,
        cwd=tmp_path,
    )
    output = result.stdout + result.stderr
    assert result.returncode != 0
    assert "broken.ipynb: cell 2 ('1 / 0') stored an error: ZeroDivisionError: division by zero" in output
    assert not (tmp_path / "_build" / "html" / "broken.html").exists()
