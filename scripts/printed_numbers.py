"""Every number the notebooks print or glue, kept unrounded, and its margin to a flipped digit.

A printed digit must not flip on another reader's CPU. A rounded number is safe when its unrounded
value sits well inside its rounding interval: ``6.66735`` printed with 4 decimals is a coin toss
(another instruction set moves it by 1e-5 and the book says ``6.6674`` instead of ``6.6673``). This
module measures that, without a line of the book's code cells changing:

- ``install(shell)`` runs in every notebook kernel that ``pytest --nbval`` starts (``tests/conftest.py``
  points ``IPYTHONDIR`` at a profile whose start-up file calls it). It adds an IPython AST transformer
  that routes each cell's ``round(x, n)``, ``np.round(x, n)``, ``x.round(n)``, every f-string field
  with a numeric format (``{x:.4f}``, ``{x:.0%}``, ``{x:,.0f}``, ``{x:.1e}``), ``"...".format(...)``
  and ``dlnotes.search.format_table``'s cells through :class:`Recorder`, which returns exactly what the
  original expression returns and looks at the unrounded value on the way.
- A number whose unrounded value lies within ``CHECK`` (half of ``FRAGILE``, a tenth) of one unit of
  its last printed digit from a rounding boundary fails its cell (``DLNOTES_PRINTED_CHECK=0`` turns
  that off), so the ordinary ``make test`` catches a number that another CPU may print differently
  before a reader's CPU finds it, unless ``DOCUMENTED`` (``scripts/documented_numbers.csv``) gives
  that very number a reason (see :func:`documented`). The report holds every number to ``FRAGILE``.
- With ``DLNOTES_PRINTED_LOG=DIR`` every number is also written to ``DIR/<notebook>.jsonl``.
  ``make test-numerics`` does that once per variant (instruction-set caps, the Eigen path, one and two
  threads) and then runs ``python scripts/printed_numbers.py report DIR...``: the spread of every
  number across the variants and its smallest distance from a rounding boundary, as a table in
  ``_build/numerics/margins.md`` (and ``.csv``) and a one-line summary.

Distances are in units of the last printed digit: 0.5 is the centre of the rounding interval (the
best case), 0 a rounding boundary.

>>> boundary_distance(0.125, 2)
0.0
>>> boundary_distance(6.6673, 4)
0.5
>>> boundary_distance(0.123, 2)
0.2
"""

from __future__ import annotations

import ast
import builtins
import csv
import json
import math
import os
import string
import sys
from decimal import Decimal
from pathlib import Path
from typing import Any

FRAGILE = 0.1  # units of the last printed digit: the margin report's (issue 22) line for "fragile"
# A cell fails in every nbval run (the ordinary `make test`) on a number closer than this to a rounding
# boundary, unless it is documented. Half the report's line, on purpose: a number the report cleared at
# 0.1 on the machine that stored it may sit a little closer on a reader's CPU (across the seven
# variants here numbers moved by up to 0.06 of a unit), and that alone must not fail the reader's run
# while the digit is still the same. The report (make test-numerics) holds every number to FRAGILE.
CHECK = FRAGILE / 2
# The few printed numbers that sit closer than FRAGILE to a rounding boundary and stay, each with the
# reason why no other way of printing it is better and the evidence that no CPU moves it across the
# boundary. A number matches its entry by notebook, printed decimals and unrounded value (within
# DOCUMENTED_TOLERANCE, relative): if a change moves the number, the entry no longer applies.
DOCUMENTED = Path(__file__).resolve().parent / "documented_numbers.csv"
DOCUMENTED_TOLERANCE = 1e-6
ENV_LOG = "DLNOTES_PRINTED_LOG"  # a folder: record every printed number there
ENV_CHECK = "DLNOTES_PRINTED_CHECK"  # "0": do not fail a cell on a fragile number
ENV_NOTEBOOK = "DLNOTES_PRINTED_NOTEBOOK"  # set by tests/conftest.py for the kernel it starts
NAME = "_dlnotes_printed_numbers_"  # the recorder's name in the kernel's namespace
MAX_ELEMENTS = 64  # of an array, only so many elements are printed in the book


def load_documented(path: Path = DOCUMENTED) -> list[dict[str, Any]]:
    """The documented numbers: notebook (stem), value, decimals and reason, one per row of the CSV."""
    if not path.exists():
        return []
    with path.open(newline="", encoding="utf-8") as stream:
        rows = list(csv.DictReader(stream))
    for row in rows:
        if not row.get("reason", "").strip():
            raise ValueError(
                f"{path}: the entry for {row.get('value')} in {row.get('notebook')} gives no reason"
            )
    return [{**row, "value": float(row["value"]), "decimals": int(row["decimals"])} for row in rows]


def documented(entries: list[dict[str, Any]], notebook: str, value: float, decimals: int) -> str:
    """The reason given for ``value`` printed with ``decimals`` in ``notebook``, or "" if there is none.

    >>> entries = [{"notebook": "06_tuning", "value": 0.0295820590, "decimals": 3, "reason": "r"}]
    >>> documented(entries, "06_tuning", 0.02958205901, 3), documented(entries, "06_tuning", 0.02959, 3)
    ('r', '')
    """
    for entry in entries:
        if (
            entry["notebook"] == Path(notebook).stem
            and entry["decimals"] == decimals
            and math.isclose(entry["value"], value, rel_tol=DOCUMENTED_TOLERANCE, abs_tol=0.0)
        ):
            return str(entry["reason"])
    return ""


class FragileNumber(AssertionError):
    """A printed number within FRAGILE units of its last digit from a rounding boundary."""


def boundary_distance(value: float, decimals: int) -> float:
    """Distance of ``value`` from the nearest rounding boundary at ``decimals``, in units of the last digit.

    ``decimals`` may be negative (``round(x, -3)``). Exact decimal arithmetic on the float's value.
    """
    scaled = abs(Decimal(float(value))) * Decimal(10) ** decimals
    fraction = scaled - int(scaled)
    return float(round(abs(fraction - Decimal("0.5")), 12))


def spec_decimals(spec: str, value: float) -> int | None:
    """Decimals after the point that a format spec rounds ``value`` to; None if it does not round.

    >>> spec_decimals(".4f", 1.0), spec_decimals("9.4f", 1.0), spec_decimals(".0%", 0.5), spec_decimals(",.0f", 1.0)
    (4, 4, 2, 0)
    >>> spec_decimals(".1e", 0.00123), spec_decimals(">24", 1.0), spec_decimals("d", 3)
    (4, None, None)
    """
    parsed = _SPEC.fullmatch(spec)
    if parsed is None or parsed["type"] in (None, "d", "n", "s", "c", "b", "o", "x", "X"):
        return None
    precision = 6 if parsed["precision"] is None else int(parsed["precision"])
    kind = parsed["type"].lower()
    if kind == "f":
        return precision
    if kind == "%":
        return precision + 2
    if value == 0 or not math.isfinite(value):
        return None
    exponent = math.floor(math.log10(abs(value)))
    if kind == "e":
        return precision - exponent
    return max(precision, 1) - 1 - exponent  # "g": significant digits


_SPEC = __import__("re").compile(
    r"(?:.?[<>=^])?[+\- ]?z?#?0?\d*[,_]?(?:\.(?P<precision>\d+))?(?P<type>[bcdeEfFgGnosxX%])?"
)


def _numbers(value: Any) -> list[float] | None:
    """The finite real numbers in ``value`` (a number or a NumPy array), or None if it holds none."""
    if isinstance(value, bool):
        return None
    if isinstance(value, (int, float)):
        return [float(value)]
    numpy = sys.modules.get("numpy")
    if numpy is None:
        return None
    if isinstance(value, (numpy.ndarray, numpy.generic)):
        array = numpy.asarray(value)
        if array.dtype.kind != "f":
            return None  # integers and booleans are printed exactly
        return [float(v) for v in array.ravel()[:MAX_ELEMENTS]]
    return None


class Recorder:
    """Looks at each number on its way to being rounded; returns exactly what the cell would get."""

    def __init__(
        self, shell: Any = None, *, log: Path | None = None, check: bool = True, notebook: str = ""
    ) -> None:
        self.shell, self.log, self.check, self.notebook = shell, log, check, notebook
        self.cell = self.number = 0  # the code cell being run (1 = the first), the number in it
        self.prose_specs: dict[str, str] = {}  # glued name -> the format the text shows it with
        self.documented = load_documented()

    def next_cell(self, *_: Any) -> None:
        """Called before each cell runs."""
        self.cell, self.number = self.cell + 1, 0

    # -- what the rewritten cells call --------------------------------------------------------------
    def rounding(
        self, function: Any, *args: Any, _pn_line: int = 0, _pn_kind: str = "print", **kwargs: Any
    ) -> Any:
        """``round``, ``np.round``/``np.around`` or an array's ``.round``, recorded, then called."""
        __tracebackhide__ = True
        result = function(*args, **kwargs)
        numpy = sys.modules.get("numpy")
        if function is builtins.round:
            value, decimals = args[0], (args[1] if len(args) > 1 else kwargs.get("ndigits"))
        elif numpy is not None and function in (numpy.round, getattr(numpy, "around", None)):
            value, decimals = args[0], (args[1] if len(args) > 1 else kwargs.get("decimals", 0))
        elif getattr(function, "__name__", "") == "round" and hasattr(function, "__self__"):
            value, decimals = function.__self__, (args[0] if args else kwargs.get("decimals", 0))
        else:
            return result
        self.record(value, 0 if decimals is None else int(decimals), f"round({decimals})", _pn_line, _pn_kind)
        return result

    def formatted(self, value: Any, spec: str, *, _pn_line: int = 0, _pn_kind: str = "print") -> Any:
        """An f-string field ``{value:spec}``: recorded, and ``value`` itself returned."""
        __tracebackhide__ = True
        numbers = _numbers(value)
        if numbers and len(numbers) == 1:
            decimals = spec_decimals(spec, numbers[0])
            if decimals is not None:
                self.record(value, decimals, f":{spec}", _pn_line, _pn_kind)
        return value

    def format(
        self, template: str, *args: Any, _pn_line: int = 0, _pn_kind: str = "print", **kwargs: Any
    ) -> str:
        """``template.format(*args, **kwargs)``, each field with a numeric spec recorded."""
        __tracebackhide__ = True
        automatic = 0
        for _, field, spec, _ in string.Formatter().parse(template):
            if field is None:
                continue
            if field == "":
                field, automatic = str(automatic), automatic + 1
            key = field.split(".")[0].split("[")[0]
            value = args[int(key)] if key.isdigit() and int(key) < len(args) else kwargs.get(key)
            if spec and "{" not in spec and field == key:
                self.formatted(value, spec, _pn_line=_pn_line, _pn_kind=_pn_kind)
        return template.format(*args, **kwargs)

    def glue(
        self,
        function: Any,
        name: Any,
        value: Any,
        *args: Any,
        _pn_line: int = 0,
        _pn_kind: str = "glue",
        **kwargs: Any,
    ) -> Any:
        """``glue(name, value, ...)``: the value recorded at the precision the prose shows it with."""
        __tracebackhide__ = True
        spec = self.prose_specs.get(name) if isinstance(name, str) else None
        numbers = _numbers(value)
        if spec and numbers and len(numbers) == 1:
            decimals = spec_decimals(spec, numbers[0])
            if decimals is not None:
                self.record(value, decimals, f"prose {name}:{spec}", _pn_line, "prose")
        return function(name, value, *args, **kwargs)

    def table_cell(self, cell: Any, value: Any, decimals: int) -> str:
        """``dlnotes.search._cell`` (every float of ``format_table``), recorded."""
        __tracebackhide__ = True
        text = cell(value, decimals)
        numbers = _numbers(value) if not isinstance(value, int) else None
        if numbers and len(numbers) == 1 and text not in ("nan", "inf", "-inf"):
            self.record(value, decimals, f"table .{decimals}f", 0, "table")
        return text

    # -- bookkeeping --------------------------------------------------------------------------------
    def record(self, value: Any, decimals: int, how: str, line: int, kind: str) -> None:
        __tracebackhide__ = True
        numbers = _numbers(value)
        if not numbers:
            return
        self.number += 1
        for element, number in enumerate(numbers):
            if not math.isfinite(number):
                continue
            distance = boundary_distance(number, decimals)
            if self.log is not None:
                with self.log.open("a", encoding="utf-8") as stream:
                    record = {
                        "cell": self.cell,
                        "number": self.number,
                        "line": line,
                        "how": how,
                        "kind": kind,
                        "element": element,
                        "value": number,
                        "decimals": decimals,
                        "distance": distance,
                    }
                    stream.write(json.dumps(record) + "\n")
            if (
                self.check
                and distance < CHECK
                and not documented(self.documented, self.notebook, number, decimals)
            ):
                shown = f"{number:.{max(decimals, 0) + 3}f}"
                raise FragileNumber(
                    f"the number printed on line {line} of this cell ({how}, {kind}) is {shown} unrounded: "
                    f"{distance:.3f} of one unit of its last printed digit from a rounding boundary, "
                    f"less than {CHECK}. Another CPU may print the neighbouring digit. Print fewer "
                    f"digits, print what is stable or compute it more stably; if none of these is better, "
                    f"give it a reason in {DOCUMENTED.name} (scripts/printed_numbers.py)."
                )


class _Rewrite(ast.NodeTransformer):
    """Route rounding and numeric formatting in a cell through the recorder (see the module docstring)."""

    def __init__(self) -> None:
        self.kind = ["print"]

    def _extra(self, node: ast.AST) -> list[ast.keyword]:
        return [
            ast.keyword("_pn_line", ast.Constant(getattr(node, "lineno", 0))),
            ast.keyword("_pn_kind", ast.Constant(self.kind[-1])),
        ]

    def _method(self, name: str) -> ast.Attribute:
        return ast.Attribute(ast.Name(NAME, ast.Load()), name, ast.Load())

    def visit_Call(self, node: ast.Call) -> ast.AST:
        func = node.func
        is_glue = isinstance(func, ast.Name) and func.id == "glue"
        if is_glue:
            self.kind.append("glue")
        self.generic_visit(node)
        if is_glue:
            self.kind.pop()
            if len(node.args) >= 2:
                return ast.copy_location(
                    ast.Call(self._method("glue"), [func, *node.args], [*node.keywords, *self._extra(node)]),
                    node,
                )
        if (isinstance(func, ast.Name) and func.id == "round") or (
            isinstance(func, ast.Attribute) and func.attr in ("round", "around")
        ):
            return ast.copy_location(
                ast.Call(self._method("rounding"), [func, *node.args], [*node.keywords, *self._extra(node)]),
                node,
            )
        if (
            isinstance(func, ast.Attribute)
            and func.attr == "format"
            and isinstance(func.value, ast.Constant)
            and isinstance(func.value.value, str)
        ):
            return ast.copy_location(
                ast.Call(
                    self._method("format"), [func.value, *node.args], [*node.keywords, *self._extra(node)]
                ),
                node,
            )
        return node

    def visit_FormattedValue(self, node: ast.FormattedValue) -> ast.AST:
        self.generic_visit(node)
        spec = node.format_spec
        if (
            node.conversion == -1
            and isinstance(spec, ast.JoinedStr)
            and all(isinstance(part, ast.Constant) for part in spec.values)
        ):
            text = "".join(part.value for part in spec.values)
            node.value = ast.copy_location(
                ast.Call(self._method("formatted"), [node.value, ast.Constant(text)], self._extra(node)),
                node.value,
            )
        return node


def install(shell: Any) -> Recorder:
    """Set up recording in an IPython kernel (called by the profile's start-up file)."""
    notebook = os.environ.get(ENV_NOTEBOOK, "")
    folder = os.environ.get(ENV_LOG)
    log = None
    if folder:
        log = Path(folder) / f"{Path(notebook).stem or 'kernel-' + str(os.getpid())}.jsonl"
        log.parent.mkdir(parents=True, exist_ok=True)
        log.unlink(missing_ok=True)
    recorder = Recorder(shell, log=log, check=os.environ.get(ENV_CHECK, "1") != "0", notebook=notebook)
    recorder.prose_specs = prose_specs(Path.cwd() / notebook) if notebook else {}
    shell.user_ns[NAME] = recorder
    shell.user_ns_hidden[NAME] = recorder  # not listed by %who
    shell.ast_transformers.append(_Rewrite())
    shell.events.register("pre_run_cell", recorder.next_cell)
    _wrap_format_table(recorder)
    return recorder


def prose_specs(path: Path) -> dict[str, str]:
    """Each glued name that the notebook's text shows with a format, ``{glue:text}`name:.4f```.

    >>> import tempfile
    >>> path = Path(tempfile.mkdtemp()) / "a.ipynb"
    >>> _ = path.write_text(json.dumps({"cells": [{"cell_type": "markdown", "source": "x {glue:text}`ratio:.1f` y"}]}))
    >>> prose_specs(path)
    {'ratio': '.1f'}
    """
    try:
        cells = json.loads(path.read_text(encoding="utf-8"))["cells"]
    except (OSError, ValueError, KeyError):
        return {}
    text = "\n".join(
        "".join(c["source"]) if isinstance(c["source"], list) else c["source"]
        for c in cells
        if c.get("cell_type") == "markdown"
    )
    return dict(__import__("re").findall(r"\{glue:text\}`([A-Za-z_][A-Za-z0-9_]*):([^`]+)`", text))


def _wrap_format_table(recorder: Recorder) -> None:
    """Record each float ``dlnotes.search.format_table`` prints (its one rounding place, ``_tables._cell``)."""
    from dlnotes import _tables

    cell = _tables._cell
    _tables._cell = lambda value, decimals: recorder.table_cell(cell, value, decimals)


STARTUP = """\
# Written by tests/conftest.py: record every printed number (scripts/printed_numbers.py).
import sys
sys.path.insert(0, {scripts!r})
import printed_numbers
sys.path.remove({scripts!r})
printed_numbers.install(get_ipython())
del sys.modules["printed_numbers"], printed_numbers, sys
"""


def write_profile(ipython_dir: Path) -> Path:
    """An IPython folder whose default profile installs the recorder at kernel start-up."""
    startup = ipython_dir / "profile_default" / "startup"
    startup.mkdir(parents=True, exist_ok=True)
    (startup / "00-printed-numbers.py").write_text(STARTUP.format(scripts=str(Path(__file__).parent)))
    return ipython_dir


# -- the report across variants ---------------------------------------------------------------------
def load(folder: Path) -> dict[tuple, dict]:
    """The records of one variant, keyed by (notebook, cell, the number's place in the cell)."""
    records: dict[tuple, dict] = {}
    for path in sorted(folder.glob("*.jsonl")):
        for line in path.read_text(encoding="utf-8").splitlines():
            entry = json.loads(line)
            key = (path.stem, entry["cell"], entry["number"], entry["element"])
            records[key] = entry
    return records


def source_line(
    notebook: str, cell: int, line: int, book: Path = Path(__file__).parent.parent / "book"
) -> str:
    """The code line a number was printed from (``cell``: 1 = the first code cell), or "" if unknown."""
    path = book / f"{notebook}.ipynb"
    try:
        cells = [c for c in json.loads(path.read_text(encoding="utf-8"))["cells"] if c["cell_type"] == "code"]
        source = cells[cell - 1]["source"]
        lines = ("".join(source) if isinstance(source, list) else source).splitlines()
        return lines[line - 1].strip() if line >= 1 else ""
    except (OSError, ValueError, IndexError, KeyError):
        return ""


def report(folders: list[Path], out: Path) -> int:
    """Write the margin table of the variants' records to ``out`` (.md and .csv); return the fragile count."""
    variants = {folder.name: load(folder) for folder in folders}
    entries = load_documented()
    keys = sorted(set().union(*variants.values()))
    rows = []
    for key in keys:
        seen = {name: records[key] for name, records in variants.items() if key in records}
        first = next(iter(seen.values()))
        values = [entry["value"] for entry in seen.values()]
        unit = 10.0 ** -first["decimals"]
        spread = (max(values) - min(values)) / unit
        distance = min(entry["distance"] for entry in seen.values())
        shown = {
            round(v, first["decimals"]) if first["decimals"] >= 0 else round(v, first["decimals"])
            for v in values
        }
        reason = documented(entries, key[0], first["value"], first["decimals"])
        moved = spread >= FRAGILE or len(shown) > 1  # a number that moves is never excused
        fragile = moved or (distance < FRAGILE and not reason)
        rows.append(
            {
                "notebook": key[0],
                "cell": key[1],
                "number": key[2],
                "element": key[3],
                "line": first["line"],
                "kind": first["kind"],
                "how": first["how"],
                "value": first["value"],
                "decimals": first["decimals"],
                "spread_units": spread,
                "distance_units": distance,
                "variants": len(seen),
                "missing": ",".join(sorted(set(variants) - set(seen))),
                "fragile": fragile,
                "documented": reason if distance < FRAGILE and not moved else "",
                "source": source_line(key[0], key[1], first["line"]),
            }
        )
    out.parent.mkdir(parents=True, exist_ok=True)
    with out.with_suffix(".csv").open("w", newline="", encoding="utf-8") as stream:
        writer = csv.DictWriter(stream, fieldnames=list(rows[0]) if rows else ["notebook"])
        writer.writeheader()
        writer.writerows(rows)
    fragile = [r for r in rows if r["fragile"]]
    excused = [r for r in rows if r["documented"]]
    checked = [r for r in rows if not r["documented"]]
    smallest = min(checked or rows, key=lambda r: r["distance_units"]) if rows else None
    summary = (
        (
            f"printed numbers: {len(rows)} checked in {len(variants)} variants "
            f"({', '.join(variants)}); fragile: {len(fragile)}; documented: {len(excused)} "
            f"({DOCUMENTED.name}); smallest distance of the others from a rounding "
            f"boundary: {smallest['distance_units']:.3f} of a unit of the last digit "
            f"({smallest['notebook']} cell {smallest['cell']}); largest spread: "
            f"{max(r['spread_units'] for r in rows):.4f} units"
        )
        if rows
        else "printed numbers: none recorded"
    )
    lines = [
        "# Printed numbers: margins across the variants",
        "",
        summary,
        "",
        "Distances and spreads in units of the last printed digit; fragile: distance < "
        f"{FRAGILE}, spread >= {FRAGILE} or the printed digits differ between variants. `cell` is the "
        "code cell (1 = the first code cell), `#` the number's place in it, `el.` an array's element.",
        f"A documented number is closer than {FRAGILE} to a boundary, does not move between the variants, "
        f"and has a reason in scripts/{DOCUMENTED.name} (below the table).",
        "",
        "| notebook | cell | # | el. | line | kind | how | value | distance | spread | variants | fragile "
        "| source |",
        "| --- | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- |",
    ]
    for r in sorted(rows, key=lambda r: (not r["fragile"], r["distance_units"])):
        lines.append(
            f"| {r['notebook']} | {r['cell']} | {r['number']} | {r['element']} | {r['line']} | "
            f"{r['kind']} | `{r['how']}` | {r['value']:.{max(r['decimals'], 0) + 4}f} | "
            f"{r['distance_units']:.4f} | {r['spread_units']:.4f} | {r['variants']} | "
            f"{'**fragile**' if r['fragile'] else ''} | `{r['source'][:90].replace('|', '/')}` |"
        )
    if excused:
        lines += ["", "## Documented numbers", ""]
        lines += [
            f"- {r['notebook']} cell {r['cell']}: {r['value']:.{max(r['decimals'], 0) + 4}f} printed with "
            f"{r['decimals']} decimals ({r['distance_units']:.3f} of a unit from a boundary): {r['documented']}"
            for r in excused
        ]
    out.with_suffix(".md").write_text("\n".join(lines) + "\n", encoding="utf-8")
    print(summary)
    print(f"table: {out.with_suffix('.md')} and {out.with_suffix('.csv')}")
    return len(fragile)


def main(argv: list[str]) -> int:
    if len(argv) < 2 or argv[0] != "report":
        print(
            "usage: python scripts/printed_numbers.py report VARIANT_DIR... [--out _build/numerics/margins]",
            file=sys.stderr,
        )
        return 2
    args, out = argv[1:], Path("_build/numerics/margins")
    if "--out" in args:
        index = args.index("--out")
        out, args = Path(args[index + 1]), args[:index] + args[index + 2 :]
    fragile = report([Path(a) for a in args], out)
    return 1 if fragile else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
