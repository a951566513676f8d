"""The printed-number recorder (scripts/printed_numbers.py): margins, the cell rewrite, the nbval check.

Every notebook kernel that pytest starts looks at each printed number unrounded; these tests show that
it returns exactly what the cell would have got, that it measures the distance from a rounding
boundary correctly, and that a number too close to one fails the book's strict nbval run.
"""

from __future__ import annotations

import ast
import json
import subprocess
import sys

import numpy as np
import pytest
from test_harness import ROOT, _notebook, _project_addopts

sys.path.insert(0, str(ROOT / "scripts"))
import printed_numbers  # noqa: E402

sys.path.remove(str(ROOT / "scripts"))


@pytest.mark.parametrize(
    ("value", "decimals", "distance"),
    [
        (6.66735, 4, 0.0),
        (6.6673, 4, 0.5),
        (0.123, 2, 0.2),
        (0.1251, 2, 0.01),
        (253493.77, -3, 0.00623),
        (-0.0245486, 4, 0.014),
        (0.0, 4, 0.5),
        (0.125, 2, 0.0),
    ],
)
def test_boundary_distance(value, decimals, distance):
    assert printed_numbers.boundary_distance(value, decimals) == pytest.approx(distance, abs=1e-9)


@pytest.mark.parametrize(
    ("spec", "value", "decimals"),
    [
        (".4f", 1.0, 4),
        ("9.4f", 1.0, 4),
        ("+.2f", 1.0, 2),
        (".0%", 0.37, 2),
        (".1%", 0.37, 3),
        (",.0f", 1e5, 0),
        (".1e", 0.00123, 4),
        (".3g", 123.4, 0),
        ("d", 3, None),
        (">24", 1.0, None),
        ("", 1.0, None),
    ],
)
def test_spec_decimals(spec, value, decimals):
    assert printed_numbers.spec_decimals(spec, value) == decimals


def _run(source: str, check: bool = False) -> tuple[dict, list]:
    """Run ``source`` rewritten as a notebook cell is, with a recorder; return its namespace and records."""
    recorder = printed_numbers.Recorder(check=check)
    seen = []
    recorder.record = lambda value, decimals, how, line, kind: seen.append((how, kind, decimals))  # type: ignore[method-assign]
    tree = ast.fix_missing_locations(printed_numbers._Rewrite().visit(ast.parse(source)))
    namespace = {"np": np, "glue": lambda name, value, display=False: None, printed_numbers.NAME: recorder}
    exec(compile(tree, "<cell>", "exec"), namespace)
    return namespace, seen


def test_the_rewrite_changes_no_value():
    source = (
        "x = 2 / 3\n"
        "a = round(x, 3); b = round(x); c = np.round(np.array([x, 1 / 7]), 2); d = np.float32(x).round(1)\n"
        "e = f'{x:.4f} {x:>8.2%} {7:d} {x!r} {\"s\":>3}'\n"
        "f = '{:6.2f} {} {k:.1e}'.format(x, 5, k=x)\n"
        "glue('g', round(x, 2))\n"
    )
    namespace, seen = _run(source)
    x = 2 / 3
    assert namespace["a"] == round(x, 3) and namespace["b"] == 1 and isinstance(namespace["b"], int)
    np.testing.assert_array_equal(namespace["c"], np.round(np.array([x, 1 / 7]), 2))
    assert namespace["d"] == np.float32(x).round(1) and namespace["d"].dtype == np.float32
    assert namespace["e"] == f"{x:.4f} {x:>8.2%} {7:d} {x!r} {'s':>3}"
    assert namespace["f"] == f"{x:6.2f} {5} {x:.1e}"
    assert seen == [
        ("round(3)", "print", 3),
        ("round(None)", "print", 0),
        ("round(2)", "print", 2),
        ("round(1)", "print", 1),
        (":.4f", "print", 4),
        (":>8.2%", "print", 4),
        (":6.2f", "print", 2),
        (":.1e", "print", 2),
        ("round(2)", "glue", 2),
    ]


def test_a_number_on_a_rounding_boundary_fails_its_cell_and_a_safe_one_passes():
    with pytest.raises(printed_numbers.FragileNumber, match=r"0\.12500 unrounded: 0\.000 of one unit"):
        printed_numbers.Recorder(check=True).record(0.125, 2, "round(2)", 1, "print")
    printed_numbers.Recorder(check=True).record(0.1234, 2, "round(2)", 1, "print")  # 0.34 of a unit away


def test_format_table_cells_are_recorded():
    from dlnotes import _tables, search

    seen = []
    recorder = printed_numbers.Recorder()
    recorder.record = lambda value, decimals, how, line, kind: seen.append((value, decimals))  # type: ignore[method-assign]
    original = _tables._cell
    try:
        printed_numbers._wrap_format_table(recorder)
        text = search.format_table([{"a": 0.5, "b": 3, "c": 1.25}], decimals={"c": 1})
    finally:
        _tables._cell = original
    assert text.splitlines()[-1] == "0.5000  3  1.2"
    assert seen == [(0.5, 4), (1.25, 1)]


def test_the_report_measures_spread_and_margin(tmp_path):
    for variant, value in (("a", 0.12341), ("b", 0.12349)):
        folder = tmp_path / variant
        folder.mkdir()
        lines = [
            {
                "cell": 1,
                "number": 1,
                "line": 1,
                "how": "round(4)",
                "kind": "print",
                "element": 0,
                "value": value,
                "decimals": 4,
                "distance": printed_numbers.boundary_distance(value, 4),
            },
            {
                "cell": 1,
                "number": 2,
                "line": 2,
                "how": ":.2f",
                "kind": "print",
                "element": 0,
                "value": 0.5,
                "decimals": 2,
                "distance": 0.5,
            },
        ]
        (folder / "nb.jsonl").write_text("".join(json.dumps(line) + "\n" for line in lines))
    fragile = printed_numbers.report([tmp_path / "a", tmp_path / "b"], tmp_path / "margins")
    rows = (tmp_path / "margins.csv").read_text().splitlines()
    assert fragile == 1 and len(rows) == 3  # 0.12341 vs 0.12349: 0.8 of a unit apart, and 0.01 from 0.12345
    assert "fragile: 1" in (tmp_path / "margins.md").read_text()


def test_the_book_nbval_run_fails_a_cell_that_prints_a_number_on_a_rounding_boundary(tmp_path):
    """End to end, as `make test` runs a notebook: the project's conftest starts kernels with the recorder."""
    fragile, safe = tmp_path / "fragile.ipynb", tmp_path / "safe.ipynb"
    fragile.write_text(json.dumps(_notebook("print(round(0.125, 2))", "0.12\n")))
    safe.write_text(json.dumps(_notebook("print(round(0.1234, 2))", "0.12\n")))
    # a glued value is judged at the precision the text shows it with: 2.5004 is safe as 2.5004, not as "3"
    prose = _notebook("from myst_nb import glue\nglue('ratio', round(2.50043, 4), display=False)", "")
    prose["cells"][0]["outputs"] = []
    prose["cells"].append(
        {"cell_type": "markdown", "id": "m1", "metadata": {}, "source": "about {glue:text}`ratio:.0f` times"}
    )
    (tmp_path / "prose.ipynb").write_text(json.dumps(prose))
    (tmp_path / "pytest.ini").write_text("[pytest]\n")
    result = subprocess.run(
        [
            sys.executable,
            "-m",
            "pytest",
            "-q",
            "-p",
            "no:xdist",
            "-p",
            "conftest",
            "-c",
            str(tmp_path / "pytest.ini"),
            *_project_addopts(),
            str(fragile),
            str(safe),
            str(tmp_path / "prose.ipynb"),
        ],
        capture_output=True,
        text=True,
        cwd=tmp_path,
        env={**__import__("os").environ, "PYTHONPATH": str(ROOT)},
    )
    output = result.stdout + result.stderr
    assert "2 failed, 1 passed" in output, output
    assert "FragileNumber" in output and "fragile.ipynb::Cell 0" in output, output
    assert "prose.ipynb::Cell 0" in output and "prose ratio:.0f" in output, output


def test_a_documented_number_passes_the_check_and_the_same_number_moved_does_not(tmp_path):
    entries = [{"notebook": "06_tuning", "value": 0.1251, "decimals": 2, "reason": "why it stays"}]
    recorder = printed_numbers.Recorder(check=True, notebook="book/06_tuning.ipynb")
    recorder.documented = entries
    recorder.record(0.1251, 2, "round(2)", 1, "print")  # 0.01 of a unit from 0.125, documented
    with pytest.raises(printed_numbers.FragileNumber, match="documented_numbers.csv"):
        recorder.record(0.12509, 2, "round(2)", 1, "print")  # another number: the reason does not apply
    other = printed_numbers.Recorder(check=True, notebook="book/05_overfitting.ipynb")
    other.documented = entries
    with pytest.raises(printed_numbers.FragileNumber):
        other.record(0.1251, 2, "round(2)", 1, "print")  # another notebook


def test_an_entry_without_a_reason_is_refused(tmp_path):
    path = tmp_path / "documented.csv"
    path.write_text("notebook,value,decimals,reason\n06_tuning,0.1251,2, \n")
    with pytest.raises(ValueError, match="gives no reason"):
        printed_numbers.load_documented(path)


def test_every_documented_number_has_a_reason_and_a_notebook():
    notebooks = {p.stem for p in (ROOT / "book").glob("*.ipynb")}
    for entry in printed_numbers.load_documented():
        assert entry["notebook"] in notebooks, entry
        assert len(entry["reason"]) > 40, entry  # a reason, not a word
        assert printed_numbers.boundary_distance(entry["value"], entry["decimals"]) < printed_numbers.FRAGILE


def test_the_report_lists_documented_numbers_apart_and_never_excuses_one_that_moves(tmp_path, monkeypatch):
    entries = [{"notebook": "nb", "value": 0.1251, "decimals": 2, "reason": "a reason given here"}]
    monkeypatch.setattr(printed_numbers, "load_documented", lambda: entries)
    for variant, value in (("a", 0.1251), ("b", 0.12510000001)):
        folder = tmp_path / variant
        folder.mkdir()
        line = {"cell": 1, "number": 1, "line": 1, "how": "round(2)", "kind": "print", "element": 0}
        (folder / "nb.jsonl").write_text(
            json.dumps({**line, "value": value, "decimals": 2, "distance": 0.01}) + "\n"
        )
    assert printed_numbers.report([tmp_path / "a", tmp_path / "b"], tmp_path / "margins") == 0
    text = (tmp_path / "margins.md").read_text()
    assert "fragile: 0; documented: 1" in text and "a reason given here" in text
    entries[0]["value"] = 0.1251
    (tmp_path / "b" / "nb.jsonl").write_text(
        json.dumps(
            {
                "cell": 1,
                "number": 1,
                "line": 1,
                "how": "round(2)",
                "kind": "print",
                "element": 0,
                "value": 0.1249,
                "decimals": 2,
                "distance": 0.01,
            }
        )
        + "\n"
    )
    assert printed_numbers.report([tmp_path / "a", tmp_path / "b"], tmp_path / "margins") == 1  # it moved
