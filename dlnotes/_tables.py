"""Text tables of runs: one row per run, numbers right-aligned, floats rounded.

Public as ``dlnotes.search.format_table``.
``_cell`` is the one place a table rounds a number (scripts/printed_numbers.py records each cell there).
"""

from __future__ import annotations

import numbers
import unicodedata
from collections.abc import Mapping, Sequence
from typing import Any

import numpy as np

from . import _checks as checks
from ._checks import Check, checked
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


def _width(text: str) -> int:
    """Columns ``text`` takes in a monospaced font: two for a wide character (Hangul, CJK), else one."""
    return sum(2 if unicodedata.east_asian_width(ch) in "WF" else 1 for ch in text)


def _pad(text: str, width: int, right: bool) -> str:
    fill = " " * (width - _width(text))
    return fill + text if right else text + fill


def _shown_headers(headers: Mapping[str, str] | None, columns: Sequence[str]) -> list[str]:
    """The text over each column: its name, or what ``headers`` (checked) shows instead."""
    headers = {} if headers is None else headers
    unknown = [name for name in headers if name not in columns]
    if unknown:
        raise ValueError(
            f"headers names column(s) {unknown} that the table does not show; its columns are {list(columns)}"
        )
    return [headers.get(c, str(c)) for c in columns]


def _check_rows(rows: Any, name: str) -> Sequence[Mapping[str, Any]]:
    if isinstance(rows, (str, bytes, Mapping)) or not isinstance(rows, Sequence):
        raise TypeError(f"{name} must be a list of dicts, got {describe(rows)}")
    if not rows:
        raise ValueError(f"{name} is empty; there is nothing to format")
    for i, row in enumerate(rows):
        if not isinstance(row, Mapping):
            raise TypeError(f"{name}[{i}] must be a dict, got {describe(row)}")
    return rows


def _check_columns(columns: Any, name: str) -> list[str]:
    if isinstance(columns, (str, bytes)) or not isinstance(columns, Sequence) or not columns:
        raise TypeError(f"{name} must be a non-empty list of column names, got {describe(columns)}")
    return list(columns)


def _check_decimals(decimals: Any, name: str) -> int | dict[Any, int]:
    """An int from 0 to 12, or a dict of column name -> such an int."""
    if isinstance(decimals, Mapping):
        return {
            column: check_int(d, f"{name}[{column!r}]", minimum=0, maximum=12)
            for column, d in decimals.items()
        }
    return check_int(decimals, name, minimum=0, maximum=12)


def _check_headers(headers: Any, name: str) -> Mapping[str, str]:
    if not isinstance(headers, Mapping) or not all(isinstance(v, str) for v in headers.values()):
        raise TypeError(f"{name} must be a dict of column name -> text to show, got {describe(headers)}")
    return headers


# The kinds of argument of a table (dlnotes/_checks.py); which columns they name is checked in the body.
ROWS = Check(
    _check_rows, (({"a": 1}, TypeError), ("rows", TypeError), ([], ValueError), ([{"a": 1}, 2], TypeError))
)
COLUMNS = checks.optional(Check(_check_columns, (("loss", TypeError), ([], TypeError), (3, TypeError))))
DECIMALS = Check(
    _check_decimals, ((-1, ValueError), (13, ValueError), (1.5, TypeError), ({"loss": "2"}, TypeError))
)
HEADERS = checks.optional(Check(_check_headers, (("loss", TypeError), ({"loss": 3}, TypeError))))


@checked(rows=ROWS, columns=COLUMNS, decimals=DECIMALS, headers=HEADERS)
def format_table(
    rows: Sequence[Mapping[str, Any]],
    *,
    columns: Sequence[str] | None = None,
    decimals: int | Mapping[str, int] = 4,
    headers: Mapping[str, str] | None = None,
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
    headers : dict of str -> str, optional
        Text shown over the named columns instead of their names (the Korean edition's headers:
        ``headers={"val loss": "검증 손실"}``); columns and ``decimals`` still use the names. Wide
        characters (Hangul) count as two columns, so the table stays aligned in a monospaced font.

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
    >>> print(format_table([{"act": "relu", "loss": 0.5}], headers={"act": "활성화", "loss": "손실"}))
    활성화    손실
    ------  ------
    relu    0.5000
    >>> print(format_table([{"loss": 0.123456, "ratio": 6.6673}], decimals={"ratio": 2}))
      loss  ratio
    ------  -----
    0.1235   6.67
    """
    per_column, decimals = (dict(decimals), 4) if isinstance(decimals, Mapping) else ({}, decimals)
    if columns is None:
        columns = list(rows[0])
        if not columns:
            raise ValueError("rows[0] is an empty dict; the first row's keys name the columns")
    for i, row in enumerate(rows):
        missing = [c for c in columns if c not in row]
        if missing:
            raise ValueError(f"rows[{i}] has no column(s) {missing}; it has {list(row)}")
    unknown = [name for name in per_column if name not in columns]
    if unknown:
        raise ValueError(
            f"decimals names column(s) {unknown} that the table does not show; its columns are {list(columns)}"
        )
    shown = _shown_headers(headers, columns)
    cells = [[_cell(row[c], per_column.get(c, decimals)) for c in columns] for row in rows]
    numeric = [all(isinstance(row[c], numbers.Number) for row in rows) for c in columns]
    widths = [max(_width(h), *(_width(r[j]) for r in cells)) for j, h in enumerate(shown)]

    def line(values: Sequence[str]) -> str:
        parts = [_pad(v, w, num) for v, w, num in zip(values, widths, numeric)]
        return "  ".join(parts).rstrip()

    header = line(shown)
    rule = "  ".join("-" * w for w in widths)
    return "\n".join([header, rule, *(line(r) for r in cells)])
