"""Plots shared by several chapters: training curves.

Matplotlib is imported inside the functions, so ``import dlnotes`` stays fast. Every function draws
on an ``ax`` you pass, or on a new figure, and returns the ``Axes`` so you can adjust it. A run whose
values turn NaN or infinite (it diverged) is drawn as far as it is finite and marked with a cross.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from ._plot import check_curves, draw_curves, history_dict, integer_epochs, new_axes
from ._validation import check_bool

__all__ = ["plot_history", "plot_curves"]


def plot_history(
    history: Any, metrics: Sequence[str] | None = None, *, title: str | None = None, ax: Any = None
) -> Any:
    """Plot training curves from ``model.fit``: each metric solid, its ``val_`` twin dashed.

    Parameters
    ----------
    history : keras.callbacks.History or dict of str -> list of float
        What ``model.fit`` returns, or its ``.history`` dict.
    metrics : sequence of str, optional
        Metrics to draw, e.g. ``["loss"]``; by default every metric not starting with ``val_``.
    title : str, optional
        Axes title; defaults to the metric names.
    ax : matplotlib Axes, optional
        Where to draw; a new figure is made if omitted.

    Returns
    -------
    matplotlib.axes.Axes

    Examples
    --------
    >>> ax = plot_history({"loss": [0.7, 0.5, 0.4], "val_loss": [0.7, 0.6, 0.6]})
    >>> [line.get_label() for line in ax.get_lines()]
    ['loss', 'val_loss']
    """
    data = history_dict(history)
    if metrics is None:
        metrics = [k for k in data if not k.startswith("val_")]
    elif isinstance(metrics, str):
        metrics = [metrics]
    elif not isinstance(metrics, Sequence) or not all(isinstance(m, str) for m in metrics):
        raise TypeError(f"metrics must be a metric name or a list of names such as ['loss'], got {metrics!r}")
    if not metrics:
        raise ValueError("metrics is empty; name at least one metric to plot, e.g. ['loss']")
    missing = [m for m in metrics if m not in data]
    if missing:
        raise ValueError(f"metrics {missing} are not in history; it has {sorted(data)}")
    ax = new_axes(ax)
    for i, name in enumerate(metrics):
        twins = {name: data[name]}
        if f"val_{name}" in data:
            twins[f"val_{name}"] = data[f"val_{name}"]
        for (label, values), style in zip(twins.items(), ("-", "--")):
            draw_curves(ax, {label: values}, first_x=1, color=f"C{i}", linestyle=style)
    integer_epochs(ax)
    ax.set_xlabel("epoch")
    ax.set_ylabel(" / ".join(metrics))
    ax.set_title(title if title is not None else ", ".join(metrics) + " per epoch")
    ax.legend()
    ax.grid(alpha=0.3)
    return ax


def plot_curves(
    curves: Mapping[str, Sequence[float]],
    *,
    title: str,
    xlabel: str = "epoch",
    ylabel: str = "loss",
    logy: bool = False,
    ax: Any = None,
) -> Any:
    """Plot several named curves against their step number (1, 2, ...) in one axes.

    Parameters
    ----------
    curves : mapping of str -> sequence of float
        One line per entry, labelled with its key.
    title, xlabel, ylabel : str
        Text of the figure; a figure without a title or labelled axes is not allowed in the book.
    logy : bool
        Use a logarithmic y axis.
    ax : matplotlib Axes, optional

    Examples
    --------
    >>> ax = plot_curves({"numpy": [0.7, 0.6], "keras": [0.7, 0.5]}, title="loss")
    >>> len(ax.get_lines())
    2
    """
    values = check_curves(curves)
    logy = check_bool(logy, "logy")
    ax = new_axes(ax)
    draw_curves(ax, values, first_x=1)
    if logy:
        ax.set_yscale("log")
    integer_epochs(ax)
    ax.set_title(title)
    ax.set_xlabel(xlabel)
    ax.set_ylabel(ylabel)
    ax.legend()
    ax.grid(alpha=0.3)
    return ax
