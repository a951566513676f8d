"""The prose cannot quote a result by hand: results in markdown cells are glued from the cell that computes them.

A *hand-typed result* is a number written in a markdown cell that also appears in an output of the same
notebook and in none of its code. Settings the author chose (``epochs=10``, a learning rate of 0.001)
appear in the code and are allowed; a result (an accuracy, a loss, a count, an epoch found by early
stopping) must be written with myst-nb's ``{glue:text}`` role, so that words and outputs cannot disagree.
"""

import json
import re
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
NOTEBOOKS = sorted((ROOT / "book").glob("*.ipynb"))

# 0.9649, 341, 4.4e-10, 9,729 (thousands separators are folded first); not part of a word or a longer number
_NUMBER = re.compile(r"(?<![\w.])\d+(?:\.\d+)?(?:[eE][-+]?\d+)?(?![\w])")
_THOUSANDS = re.compile(r"(?<=\d),(?=\d{3}(?!\d))")
# what a markdown cell may contain without typing a result: glue roles, headings' section numbers, link targets
_GLUE_ROLE = re.compile(r"\{glue(?::\w+)?\}`[^`]*`")
_HEADING = re.compile(r"^#+ .*$", re.M)
_LINK_TARGET = re.compile(r"\]\([^)]*\)")
_CELL_ATTRIBUTES = re.compile(r"^:\w+:.*$", re.M)  # directive options such as :name: fig-1
# references to the book's own parts: "chapter 5", "Chapters 1 to 6", "section 5.2", "exercise 1"
_REFERENCE = re.compile(
    r"\b(?:chapters?|sections?|exercises?|tips?|figures?|fig\.)\s+\d+(?:\.\d+)?(?:\s*(?:to|and|[-–])\s*\d+(?:\.\d+)?)?",
    re.I,
)


def _numbers(text: str) -> set[float]:
    return {float(token) for token in _NUMBER.findall(_THOUSANDS.sub("", text))}


def _source(cell: dict) -> str:
    return "".join(cell.get("source", ""))


def _output_text(cell: dict) -> str:
    parts = []
    for output in cell.get("outputs", []):
        if output.get("output_type") == "stream":
            parts.append("".join(output.get("text", "")))
        else:
            parts.append("".join(output.get("data", {}).get("text/plain", "")))
    return "\n".join(parts)


def _prose(markdown: str) -> str:
    for pattern in (_GLUE_ROLE, _HEADING, _LINK_TARGET, _CELL_ATTRIBUTES, _REFERENCE):
        markdown = pattern.sub(" ", markdown)
    return markdown


def hand_typed_results(notebook: dict) -> list[tuple[int, str]]:
    """(cell index, number) for every number in a markdown cell that is a result of the notebook's code."""
    cells = notebook["cells"]
    code = "\n".join(_source(c) for c in cells if c["cell_type"] == "code")
    outputs = "\n".join(_output_text(c) for c in cells if c["cell_type"] == "code")
    results = _numbers(outputs) - _numbers(code)
    found = []
    for index, cell in enumerate(cells):
        if cell["cell_type"] != "markdown":
            continue
        for token in _NUMBER.findall(_THOUSANDS.sub("", _prose(_source(cell)))):
            if float(token) in results:
                found.append((index, token))
    return found


def _fake_notebook(markdown: str, code: str, output: str) -> dict:
    return {
        "cells": [
            {
                "cell_type": "code",
                "source": code,
                "outputs": [{"output_type": "stream", "name": "stdout", "text": output}],
            },
            {"cell_type": "markdown", "source": markdown},
        ]
    }


def test_a_typed_result_is_found():
    notebook = _fake_notebook("Accuracy reaches 0.9649 on 1,140 samples.", "print(acc, n)", "0.9649 1140\n")
    assert hand_typed_results(notebook) == [(1, "0.9649"), (1, "1140")]


def test_glued_results_settings_and_section_numbers_are_allowed():
    notebook = _fake_notebook(
        "## 3.2 Accuracy\nWith 10 epochs, accuracy is {glue:text}`acc:.4f` ([see](#3.2)), as in chapter 5, "
        "section 3.2 and chapters 1 to 6.",
        "fit(epochs=10)\nglue('acc', acc)",
        "0.9649 3.2 5 1 6\n",
    )
    assert hand_typed_results(notebook) == []


@pytest.mark.parametrize("path", NOTEBOOKS, ids=[p.name for p in NOTEBOOKS])
def test_no_result_is_typed_by_hand(path):
    found = hand_typed_results(json.loads(path.read_text(encoding="utf-8")))
    assert not found, (
        f"{path.name}: results typed into markdown cells (cell index, number); glue them from the cell "
        f"that computes them with myst_nb.glue and {{glue:text}}: {found}"
    )
