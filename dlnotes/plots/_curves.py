"""Pictures of training runs: curves per epoch, several runs side by side, searches."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any, cast

import numpy as np

from .. import _checks as checks
from .._checks import Check, checked
from .._labels import language, metric_label, tr
from .._plot import (
    AXES,
    CURVES,
    HISTORY,
    TEXT,
    TITLE,
    draw_curves,
    history_dict,
    integer_epochs,
    mark_divergence,
    new_axes,
    result_of,
)
from .._validation import FLOAT32_MAX, check_mapping
from ..metrics import MODES, best_first, metric_direction
from ..search import SearchResult

__all__ = [
    "plot_history",
    "plot_curves",
    "plot_histories",
    "plot_search_results",
]


def check_metric_names(metrics: Any, name: str = "metrics") -> list[str]:
    """A metric name or a non-empty list of them, as a list."""
    if isinstance(metrics, str):
        return [metrics]
    if not isinstance(metrics, Sequence) or not all(isinstance(m, str) for m in metrics):
        raise TypeError(f"{name} must be a metric name or a list of names such as ['loss'], got {metrics!r}")
    if not metrics:
        raise ValueError(f"{name} is empty; name at least one metric to plot, e.g. ['loss']")
    return list(metrics)


def check_histories(histories: Any, name: str = "histories") -> dict[Any, dict[str, np.ndarray]]:
    """A non-empty mapping of panel title -> History (or dict of lists), as title -> metric -> 1-D array."""
    check_mapping(histories, name, "panel title -> History (or dict of lists)")
    return {key: history_dict(value, f"{name}[{key!r}]") for key, value in histories.items()}


METRIC_NAMES = Check(check_metric_names, ((3, TypeError), ([1], TypeError), ([], ValueError)))
HISTORIES = Check(check_histories, (({}, ValueError), ([1], TypeError), ({"run": [0.5, 0.4]}, TypeError)))


@checked(history=HISTORY, metrics=checks.optional(METRIC_NAMES), title=TITLE, ax=AXES)
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
    data: dict[str, np.ndarray] = history
    if metrics is None:
        metrics = [k for k in data if not k.startswith("val_")]
    missing = [m for m in metrics if m not in data]
    if missing:
        raise ValueError(f"metrics {missing} are not in history; it has {sorted(data)}")
    ax = new_axes(ax)
    for i, name in enumerate(metrics):
        twins = {name: data[name]}
        if f"val_{name}" in data:
            twins[f"val_{name}"] = data[f"val_{name}"]
        for (label, values), style in zip(twins.items(), ("-", "--")):
            draw_curves(ax, {metric_label(label): values}, first_x=1, color=f"C{i}", linestyle=style)
    integer_epochs(ax)
    ax.set_xlabel(tr("epoch"))
    ax.set_ylabel(" / ".join(metric_label(m) for m in metrics))
    names = ", ".join(metric_label(m) for m in metrics)
    ax.set_title(title if title is not None else tr("{metrics} per epoch", metrics=names))
    ax.legend()
    ax.grid(alpha=0.3)
    return ax


@checked(curves=CURVES, title=TEXT, xlabel=TEXT, ylabel=TEXT, logy=checks.boolean, ax=AXES)
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
    ax = new_axes(ax)
    draw_curves(ax, cast("dict[str, np.ndarray]", curves), first_x=1)  # checked: label -> 1-D array
    if logy:
        ax.set_yscale("log")
    integer_epochs(ax)
    ax.set_title(tr(title))
    ax.set_xlabel(tr(xlabel))
    ax.set_ylabel(tr(ylabel))
    ax.legend()
    ax.grid(alpha=0.3)
    return ax


@checked(
    histories=HISTORIES,
    metric=checks.text("a metric name such as 'loss'"),
    logy=checks.boolean,
    title=TITLE,
    mode=checks.choice(MODES),
)
def plot_histories(
    histories: Mapping[str, Any],
    *,
    metric: str = "loss",
    logy: bool = False,
    title: str | None = None,
    mode: str = "auto",
) -> Any:
    """One panel per training run, with a shared y axis: training solid, validation dashed.

    Where a run has validation data, its best epoch (the lowest ``val_<metric>`` for a loss or an
    error, the highest for an accuracy; the first one on a tie) is marked with a dot and a dotted
    vertical line, the epoch early stopping would keep, and named in the panel's title. One legend,
    in the first panel, serves all panels.

    Parameters
    ----------
    histories : mapping of str -> keras.callbacks.History or dict
        Panel title -> what ``model.fit`` returned (or its ``.history`` dict).
    metric : str
        The metric to draw, e.g. ``"loss"`` or ``"accuracy"``.
    logy : bool
        Logarithmic y axis, for losses that span orders of magnitude.
    title : str, optional
        Title over all panels; by default ``"<metric> per epoch"``.
    mode : {"auto", "min", "max"}
        Which way ``metric`` is better, as in ``keras.callbacks.EarlyStopping``: ``"auto"`` knows
        Keras's metrics and losses (:func:`dlnotes.metrics.metric_direction`); for a metric of your
        own, say ``"min"`` or ``"max"``.

    Returns
    -------
    matplotlib.figure.Figure

    Examples
    --------
    >>> fig = plot_histories({"small": {"loss": [0.7, 0.5], "val_loss": [0.7, 0.6]},
    ...                       "big": {"loss": [0.7, 0.2], "val_loss": [0.6, 0.8]}})
    >>> [ax.get_title() for ax in fig.axes]
    ['small (best epoch 2)', 'big (best epoch 1)']
    >>> fig = plot_histories({"run": {"mae": [60.0, 50.0, 45.0], "val_mae": [62.0, 55.0, 52.0]}}, metric="mae")
    >>> fig.axes[0].get_title()  # mean absolute error: lower is better
    'run (best epoch 3)'
    """
    for name, data in histories.items():  # checked: title -> metric -> 1-D array
        if metric not in data:
            raise ValueError(f"histories[{name!r}] has no {metric!r}; it has {sorted(data)}")
    runs: dict[str, dict[str, np.ndarray]] = {str(name): data for name, data in histories.items()}
    # Only a validation curve gets a best epoch: a metric logged without one needs no direction.
    direction = metric_direction(metric, mode) if any(f"val_{metric}" in d for d in runs.values()) else mode
    import matplotlib.pyplot as plt
    from matplotlib.lines import Line2D

    fig, axes = plt.subplots(
        1, len(runs), figsize=(2.8 * len(runs) + 1.0, 3.3), sharey=True, layout="constrained", squeeze=False
    )
    any_val = any_diverged = False
    for ax, (name, data) in zip(axes[0], runs.items()):
        val = data.get(f"val_{metric}")
        any_val |= val is not None
        any_diverged |= _draw_run(ax, name, data[metric], val, mode=direction)
        if logy:
            ax.set_yscale("log")
        ax.set_xlabel(tr("epoch"))
        integer_epochs(ax)
        ax.grid(alpha=0.3)
    shown = metric_label(metric)
    handles = [Line2D([], [], color="C0", label=tr("training {metric}", metric=shown))]
    if any_val:
        handles += [
            Line2D([], [], color="C1", linestyle="--", label=tr("validation {metric}", metric=shown)),
            Line2D([], [], color="C1", marker="o", linestyle="", label=tr("best validation epoch")),
        ]
    if any_diverged:
        handles.append(
            Line2D([], [], color="0.3", marker="x", linestyle="", label=tr("diverged (NaN or inf after)"))
        )
    axes[0][0].legend(handles=handles, fontsize="small")
    axes[0][0].set_ylabel(shown + (tr(" (log scale)") if logy else ""))
    fig.suptitle(title if title is not None else tr("{metrics} per epoch", metrics=shown))
    return fig


def _draw_run(ax: Any, name: str, train: np.ndarray, val: np.ndarray | None, *, mode: str) -> bool:
    """One panel of :func:`plot_histories`: the finite part of each curve and the best finite validation epoch
    (``mode``: ``"min"`` or ``"max"``).

    Returns whether a curve diverged (became NaN or infinite); the panel's title then says so.
    """
    epochs = np.arange(1, len(train) + 1)
    ax.plot(epochs, train, color="C0")
    diverged = mark_divergence(ax, epochs, train, "C0")
    title = name
    if val is not None:
        val_epochs = np.arange(1, len(val) + 1)
        ax.plot(val_epochs, val, color="C1", linestyle="--")
        diverged |= mark_divergence(ax, val_epochs, val, "C1")
        if np.isfinite(val).any():
            best = int(best_first(val, mode)[0])
            ax.axvline(best + 1, color="0.5", linestyle=":")
            ax.plot(best + 1, val[best], "o", color="C1", label=tr("best epoch: {epoch}", epoch=best + 1))
            title = tr("{name} (best epoch {epoch})", name=name, epoch=best + 1)
    if diverged:
        title += tr(", diverged")
    ax.set_title(title, fontsize="medium")
    return diverged


def _config_label(row: Mapping[str, Any], names: Sequence[str]) -> str:
    """``"layers=2, units=64, learning_rate=0.003"``: floats in their shortest form."""
    return ", ".join(f"{n}={row[n]:g}" if isinstance(row[n], float) else f"{n}={row[n]}" for n in names)


@checked(result=result_of(SearchResult, "a SearchResult from grid_search()"), ax=AXES)
def plot_search_results(result: SearchResult, *, ax: Any = None) -> Any:
    """Horizontal bars of each configuration's validation score, best at the top and highlighted.

    Parameters
    ----------
    result : SearchResult
    ax : matplotlib Axes, optional

    Returns
    -------
    matplotlib.axes.Axes

    Examples
    --------
    >>> result = SearchResult(({"units": 8, "val_loss": 0.31}, {"units": 64, "val_loss": 0.25}), ("units",))
    >>> ax = plot_search_results(result)
    >>> [t.get_text() for t in ax.get_yticklabels()]
    ['units=64', 'units=8']
    """
    ax = new_axes(ax, (7.0, 0.45 * len(result.rows) + 1.4))
    scores = np.array([float(row[result.metric]) for row in result.rows])
    labels = [_config_label(row, result.hyperparameters) for row in result.rows]
    positions = np.arange(len(scores))[::-1]  # best at the top
    colors = ["C2"] + ["C0"] * (len(scores) - 1)
    # A diverged run gets no bar; a bar stops at float32's range (Keras's losses never go beyond it, and
    # Matplotlib overflows laying out wider spans); the label next to it gives the score itself.
    shown = np.clip(np.where(np.isfinite(scores), scores, 0.0), -FLOAT32_MAX, FLOAT32_MAX)
    ax.barh(positions, shown, color=colors)
    ax.set_yticks(positions, labels)
    for pos, score, end in zip(positions, scores, shown):
        text = (
            tr(" diverged")
            if not np.isfinite(score)
            else f" {score:.4f}"
            if abs(score) < 1e6
            else f" {score:.4g}"
        )
        ax.annotate(text, (end, pos), va="center", fontsize="small")
    ax.set_xlim(*_score_limits(shown))
    english = result.metric.replace("_", " ").replace("val ", "validation ")
    ax.set_xlabel(metric_label(result.metric) if language() == "ko" else english)
    ax.set_ylabel(tr("configuration"))
    ax.set_title(tr("Search results: {n} configurations, best in green", n=len(scores)))
    ax.grid(axis="x", alpha=0.3)
    return ax


def _score_limits(shown: np.ndarray) -> tuple[float, float]:
    """x limits holding 0 and every bar with a 20 % margin (1 when every bar is 0)."""
    low, high = min(0.0, float(shown.min())), max(0.0, float(shown.max()))
    if high == low:
        high = 1.0
    pad = 0.2 * (high - low)
    return (low - pad if low < 0 else 0.0), high + pad
