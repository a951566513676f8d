"""Text tables of runs: one row per run, numbers right-aligned, floats rounded.

Public as ``dlnotes.search.format_table``.
``_cell`` is the one place a table rounds a number (scripts/printed_numbers.py records each cell there).
"""

from __future__ import annotations

import numbers
from collections.abc import Mapping, Sequence
from typing import Any

import numpy as np

from ._validation import check_int, describe


def _cell(value: Any, decimals: int) -> str:
    if isinstance(value, (bool, np.bool_)):
        return str(bool(value))
    if isinstance(value, numbers.Integral):
        return str(int(value))
    if isinstance(value, numbers.Real):
        value = float(value)
        return f"{value:.{decimals}f}" if np.isfinite(value) else str(value)
    return str(value)


def format_table(
    rows: Sequence[Mapping[str, Any]],
    *,
    columns: Sequence[str] | None = None,
    decimals: int | Mapping[str, int] = 4,
) -> str:
    """Format a list of dicts as an aligned text table: numbers right-aligned, floats rounded.

    Parameters
    ----------
    rows : sequence of dict
        One dict per row; the first row's keys give the columns unless ``columns`` is given.
    columns : sequence of str, optional
        Which columns to show, in order.
    decimals : int or dict
        Digits after the decimal point for floats (integers are shown as they are). A dict gives
        the named columns their own number of digits; the other columns get 4.

    Returns
    -------
    str

    Examples
    --------
    >>> print(format_table([{"act": "relu", "loss": 0.123456}, {"act": "tanh", "loss": 1.5}], decimals=3))
    act    loss
    ----  -----
    relu  0.123
    tanh  1.500
    >>> print(format_table([{"loss": 0.123456, "ratio": 6.6673}], decimals={"ratio": 2}))
      loss  ratio
    ------  -----
    0.1235   6.67
    """
    if isinstance(rows, (str, bytes, Mapping)) or not isinstance(rows, Sequence):
        raise TypeError(f"rows must be a list of dicts, got {describe(rows)}")
    if not rows:
        raise ValueError("rows is empty; there is nothing to format")
    for i, row in enumerate(rows):
        if not isinstance(row, Mapping):
            raise TypeError(f"rows[{i}] must be a dict, got {describe(row)}")
    if isinstance(decimals, Mapping):
        per_column = {
            name: check_int(d, f"decimals[{name!r}]", minimum=0, maximum=12) for name, d in decimals.items()
        }
        decimals = 4
    else:
        per_column, decimals = {}, check_int(decimals, "decimals", minimum=0, maximum=12)
    if columns is None:
        columns = list(rows[0])
        if not columns:
            raise ValueError("rows[0] is an empty dict; the first row's keys name the columns")
    elif isinstance(columns, (str, bytes)) or not isinstance(columns, Sequence) or not columns:
        raise TypeError(f"columns must be a non-empty list of column names, got {describe(columns)}")
    for i, row in enumerate(rows):
        missing = [c for c in columns if c not in row]
        if missing:
            raise ValueError(f"rows[{i}] has no column(s) {missing}; it has {list(row)}")
    unknown = [name for name in per_column if name not in columns]
    if unknown:
        raise ValueError(
            f"decimals names column(s) {unknown} that the table does not show; its columns are {list(columns)}"
        )
    cells = [[_cell(row[c], per_column.get(c, decimals)) for c in columns] for row in rows]
    numeric = [all(isinstance(row[c], numbers.Number) for row in rows) for c in columns]
    widths = [max(len(str(c)), *(len(r[j]) for r in cells)) for j, c in enumerate(columns)]

    def line(values: Sequence[str]) -> str:
        parts = [v.rjust(w) if num else v.ljust(w) for v, w, num in zip(values, widths, numeric)]
        return "  ".join(parts).rstrip()

    header = line([str(c) for c in columns])
    rule = "  ".join("-" * w for w in widths)
    return "\n".join([header, rule, *(line(r) for r in cells)])
