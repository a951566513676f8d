"""Plots shared by several chapters: training curves.

Matplotlib is imported inside the functions, so ``import dlnotes`` stays fast. Every function draws
on an ``ax`` you pass, or on a new figure, and returns the ``Axes`` so you can adjust it.
"""

from __future__ import annotations

from typing import Any, Mapping, Sequence

import numpy as np

from ._validation import check_array

__all__ = ["plot_history", "plot_curves"]


def _history_dict(history: Any) -> dict[str, list[float]]:
    """Accept a Keras ``History`` (anything with a ``.history`` dict) or a plain dict of lists."""
    data = getattr(history, "history", history)
    if not isinstance(data, Mapping):
        raise TypeError(
            "history must be a Keras History (from model.fit) or a dict of metric name -> list of "
            f"values, got {type(history).__name__}"
        )
    if not data:
        raise ValueError("history is empty: it has no metrics to plot (was model.fit run with epochs >= 1?)")
    return {str(k): list(v) for k, v in data.items()}


def _new_axes(ax: Any, figsize: tuple[float, float] = (6.0, 3.6)) -> Any:
    if ax is not None:
        return ax
    import matplotlib.pyplot as plt

    _, ax = plt.subplots(figsize=figsize, layout="constrained")
    return ax


def _integer_x_ticks(ax: Any) -> None:
    """Epochs and steps are whole numbers: no ticks at 2.5."""
    from matplotlib.ticker import MaxNLocator

    ax.xaxis.set_major_locator(MaxNLocator(integer=True))


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
    data = _history_dict(history)
    if metrics is None:
        metrics = [k for k in data if not k.startswith("val_")]
    elif isinstance(metrics, str):
        metrics = [metrics]
    missing = [m for m in metrics if m not in data]
    if missing:
        raise ValueError(f"metrics {missing} are not in history; it has {sorted(data)}")
    ax = _new_axes(ax)
    for i, name in enumerate(metrics):
        epochs = np.arange(1, len(data[name]) + 1)
        color = f"C{i}"
        ax.plot(epochs, data[name], color=color, label=name)
        if f"val_{name}" in data:
            ax.plot(epochs, data[f"val_{name}"], color=color, linestyle="--", label=f"val_{name}")
    _integer_x_ticks(ax)
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
    if not isinstance(curves, Mapping) or not curves:
        raise ValueError("curves must be a non-empty dict of label -> sequence of values")
    ax = _new_axes(ax)
    for label, values in curves.items():
        values = check_array(values, f"curves[{label!r}]", ndim=1, finite=False)
        ax.plot(np.arange(1, len(values) + 1), values, label=str(label))
    if logy:
        ax.set_yscale("log")
    _integer_x_ticks(ax)
    ax.set_title(title)
    ax.set_xlabel(xlabel)
    ax.set_ylabel(ylabel)
    ax.legend()
    ax.grid(alpha=0.3)
    return ax
