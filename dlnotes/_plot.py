"""The one plotting path every chapter's plotters share: axes, histories, curves, divergence marks.

Matplotlib is imported inside the functions, so ``import dlnotes`` stays light. Every public plotter
of dlnotes gets its axes from :func:`new_axes`, which refuses anything but one Matplotlib ``Axes``.

The kinds of argument only the plotters take are declared here (see :mod:`dlnotes._checks`): the axes,
titles and axis labels, a training history, curves by label, and a result object of a given type.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import numpy as np

from . import _checks as checks
from ._checks import Check
from ._labels import tr
from ._validation import check_axes, check_curve, check_mapping, describe


def new_axes(ax: Any, figsize: tuple[float, float] = (6.0, 3.6)) -> Any:
    """``ax`` itself if it is an Axes, a new constrained-layout figure's axes if it is None; else TypeError."""
    check_axes(ax)
    if ax is not None:
        return ax
    import matplotlib.pyplot as plt

    _, ax = plt.subplots(figsize=figsize, layout="constrained")
    return ax


def history_dict(history: Any, name: str = "history") -> dict[str, np.ndarray]:
    """A Keras ``History`` (anything with a ``.history`` dict) or a dict of lists, as metric -> 1-D array.

    Values may be NaN or infinite (a run that diverged); anything that is not a list of numbers is refused.
    """
    data = getattr(history, "history", history)
    if not isinstance(data, Mapping):
        why = ": None is not drawable, there is no training history (did a function return nothing?)"
        raise TypeError(
            f"{name} must be a Keras History (from model.fit) or a dict of metric name -> list of "
            f"values, got {type(history).__name__}{why if data is None else ''}"
        )
    if not data:
        raise ValueError(f"{name} is empty: it has no metrics to plot (was model.fit run with epochs >= 1?)")
    curves = {str(k): check_curve(v, f"{name}[{k!r}]") for k, v in data.items()}
    lengths = {k: len(v) for k, v in curves.items()}
    if len(set(lengths.values())) > 1:
        raise ValueError(
            f"{name} is not drawable: a history holds one value per epoch of every metric, but its metrics "
            f"have different lengths {lengths}; were curves of different runs mixed?"
        )
    return curves


def integer_epochs(ax: Any) -> None:
    """Epochs and steps are whole numbers: no ticks at 2.5."""
    from matplotlib.ticker import MaxNLocator

    ax.xaxis.set_major_locator(MaxNLocator(integer=True))


def mark_divergence(ax: Any, x: np.ndarray, values: np.ndarray, color: Any) -> bool:
    """If ``values`` turn NaN or infinite, put a cross on the last finite point; return whether they did.

    Matplotlib already leaves non-finite points out of a line; the cross says the run stopped there
    because it diverged, not because it ended.
    """
    bad = ~np.isfinite(values)
    if not bad.any():
        return False
    first = int(np.argmax(bad))
    if first > 0:
        ax.plot(x[first - 1], values[first - 1], marker="x", color=color, markersize=9, linestyle="")
        ax.annotate(tr(" diverged"), (x[first - 1], values[first - 1]), color=color, fontsize="small")
    return True


def draw_curves(ax: Any, curves: Mapping[str, np.ndarray], *, first_x: int, **line: Any) -> None:
    """One line per curve against ``first_x, first_x + 1, ...``; diverged curves marked with a cross."""
    for label, values in curves.items():
        x = np.arange(first_x, first_x + len(values))
        (drawn,) = ax.plot(x, values, label=str(label), **line)
        mark_divergence(ax, x, values, drawn.get_color())


def check_curves(curves: Any, name: str = "curves") -> dict[str, np.ndarray]:
    """label -> 1-D array of values per step (NaN and inf allowed: a run may diverge)."""
    check_mapping(curves, name, "label -> sequence of values")
    return {str(label): check_curve(values, f"{name}[{label!r}]") for label, values in curves.items()}


def _axes(value: Any, name: str) -> Any:
    check_axes(value)  # Matplotlib is imported only when there is an ``ax`` to check
    return value


#: One Matplotlib ``Axes``, or None for a new figure.
AXES = Check(_axes, (("left", TypeError), (0, TypeError), ([None, None], TypeError)))
#: A title, an axis label: any string, ``""`` too (None: the plotter's own, where it has one).
TEXT = checks.text("a string", empty=True)
TITLE = checks.optional(TEXT)
#: A Keras ``History`` or a dict of metric name -> values per epoch, as metric -> 1-D array.
HISTORY = Check(
    history_dict,
    (
        (None, TypeError),
        ([0.5, 0.4], TypeError),
        ({}, ValueError),
        ({"loss": [0.7, 0.6], "val_loss": [0.7]}, ValueError),
        ({"loss": [[0.7, 0.6]]}, ValueError),
    ),
)
#: label -> values per step, as label -> 1-D array (NaN and inf allowed).
CURVES = Check(
    check_curves,
    (({}, ValueError), ([0.5], TypeError), ({"a": 0.5}, TypeError), ({"a": [[1.0, 2.0]]}, ValueError)),
)


def result_of(kind: type, what: str) -> Check:
    """An object of type ``kind``, described by ``what`` (``"a SearchResult from grid_search()"``)."""

    def check(value: Any, name: str) -> Any:
        if not isinstance(value, kind):
            raise TypeError(f"{name} must be {what}, got {describe(value)}")
        return value

    return Check(check, ((None, TypeError), ({"loss": [0.5]}, TypeError), ("result", TypeError)))
