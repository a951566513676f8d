"""The verification harness itself: strict nbval must catch a changed number, the sanitiser must not hide one."""

import configparser
import json
import re
import subprocess
import sys
from pathlib import Path

import pytest
import tomllib

ROOT = Path(__file__).resolve().parent.parent
SANITIZE = ROOT / "tests" / "nbval_sanitize.cfg"


def _notebook(source: str, stored_output: str) -> dict:
    cell = {
        "cell_type": "code",
        "execution_count": 1,
        "id": "c1",
        "metadata": {},
        "source": source,
        "outputs": [{"name": "stdout", "output_type": "stream", "text": stored_output}],
    }
    return {
        "cells": [cell],
        "metadata": {"kernelspec": {"name": "python3", "display_name": "Python 3", "language": "python"}},
        "nbformat": 4,
        "nbformat_minor": 5,
    }


def _project_addopts() -> list[str]:
    """The project's own pytest options (strict nbval, sanitiser), with the sanitiser's path made absolute."""
    addopts = tomllib.loads((ROOT / "pyproject.toml").read_text())["tool"]["pytest"]["ini_options"]["addopts"]
    assert "--nbval" in addopts and "--nbval-lax" not in addopts
    return [opt.replace("tests/nbval_sanitize.cfg", str(SANITIZE)) for opt in addopts]


def _run_nbval(tmp_path: Path, stored_output: str) -> subprocess.CompletedProcess:
    path = tmp_path / "check.ipynb"
    path.write_text(json.dumps(_notebook("print(round(2 / 3, 4))", stored_output)))
    (tmp_path / "pytest.ini").write_text("[pytest]\n")
    return subprocess.run(
        [
            sys.executable,
            "-m",
            "pytest",
            "-q",
            "-c",
            str(tmp_path / "pytest.ini"),
            *_project_addopts(),
            str(path),
        ],
        capture_output=True,
        text=True,
        cwd=tmp_path,
    )


def test_nbval_passes_when_the_stored_output_is_current(tmp_path):
    result = _run_nbval(tmp_path, "0.6667\n")
    assert result.returncode == 0, result.stdout + result.stderr


def test_nbval_fails_when_a_printed_number_changes(tmp_path):
    result = _run_nbval(tmp_path, "0.6666\n")
    assert result.returncode == 1, result.stdout + result.stderr
    assert "0.6666" in result.stdout and "0.6667" in result.stdout


def _sanitize(text: str) -> str:
    parser = configparser.ConfigParser()
    parser.read(SANITIZE)
    for section in parser.sections():
        text = re.sub(parser[section]["regex"], parser[section]["replace"], text)
    return text


@pytest.mark.parametrize(
    "volatile, expected",
    [
        ("7/7 ━━━━━━━━━━━━━━━━━━━━ 0s 5ms/step", "7/7 ━━━━━━━━━━━━━━━━━━━━ Ts T/step"),
        ("7/7 ━━━━━━━━━━━━━━━━━━━━ 1s 12ms/step", "7/7 ━━━━━━━━━━━━━━━━━━━━ Ts T/step"),
        ("<Sequential object at 0x7f3a2c1d5e50>", "<Sequential object at 0xADDRESS>"),
        (
            "/home/me/.venv/lib/python3.11/site-packages/keras/src/layers/core/dense.py:93: UserWarning",
            "SITE-PACKAGES/keras/src/layers/core/dense.py:93: UserWarning",
        ),
    ],
)
def test_sanitiser_rewrites_volatile_text(volatile, expected):
    assert _sanitize(volatile) == expected


@pytest.mark.parametrize(
    "stable",
    [
        "loss: 0.6931 - accuracy: 0.5200",
        "Total params: 9,729 (38.00 KB)",
        "steps per epoch: 7, 0x10 is not an address",
        "learning rate 0.001 took 10 steps",
        "[[0.4573]\n [0.4318]]",
    ],
)
def test_sanitiser_leaves_numbers_alone(stable):
    assert _sanitize(stable) == stable
