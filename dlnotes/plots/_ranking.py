"""Pictures of threshold-free evaluation (chapter 3c): the ROC curve, the precision-recall curve and
the reliability diagram, each drawn from the dict its metric in :mod:`dlnotes.metrics` returns."""

from __future__ import annotations

from typing import Any

import numpy as np

from .. import _checks as checks
from .._checks import Check, checked
from .._labels import tr
from .._plot import AXES, TEXT, new_axes
from .._validation import check_array, check_mapping

__all__ = ["plot_roc_curve", "plot_precision_recall_curve", "plot_reliability_diagram"]


def check_result_curve(curve: Any, name: str, keys: tuple[str, ...], made_by: str) -> dict[str, np.ndarray]:
    """The arrays ``keys`` of a metric's result dict: 1-D, the same length, values in [0, 1] or NaN."""
    check_mapping(curve, name, f"arrays, as {made_by} returns")
    missing = [key for key in keys if key not in curve]
    if missing:
        raise ValueError(
            f"{name} must be what {made_by} returns, with the keys {list(keys)}; it lacks {missing}"
        )
    arrays = {key: check_array(curve[key], f"{name}[{key!r}]", ndim=1, finite=False) for key in keys}
    lengths = {len(a) for a in arrays.values()}
    if len(lengths) > 1:
        raise ValueError(f"{name}'s arrays {list(keys)} must have one length, got {sorted(lengths)}")
    for key, array in arrays.items():
        if np.any(np.isinf(array)) or np.any((array < 0) | (array > 1)):
            raise ValueError(
                f"{name}[{key!r}] must hold values in [0, 1], got {array.min():g} to {array.max():g}"
            )
    return arrays


def check_reliability(curve: Any, name: str = "curve") -> dict[str, np.ndarray]:
    """What :func:`dlnotes.metrics.reliability_curve` returns: the bins' points and their whole counts."""
    arrays = check_result_curve(
        curve, name, ("mean_prob", "fraction_positive"), "dlnotes.metrics.reliability_curve"
    )
    if "count" not in curve:
        raise ValueError(f"{name} must be what dlnotes.metrics.reliability_curve returns; it lacks ['count']")
    count = check_array(curve["count"], f"{name}['count']", ndim=1)
    if len(count) != len(arrays["mean_prob"]) or np.any(count < 0) or np.any(count != np.round(count)):
        raise ValueError(f"{name}['count'] must hold one whole count >= 0 per bin, got {count.tolist()}")
    return {**arrays, "count": count}


def _result_curve(keys: tuple[str, ...], made_by: str) -> Check:
    """The result dict of the metric ``made_by``, with the arrays ``keys``."""
    bad: list[tuple[Any, type[Exception]]] = [(None, TypeError), ([0.1, 0.2], TypeError), ({}, ValueError)]
    bad += [({"x": [0.5]}, ValueError), ({keys[0]: [0, 2], keys[1]: [0, 1]}, ValueError)]
    bad += [({keys[0]: [0, 1], keys[1]: [0]}, ValueError)]
    return Check(lambda value, name: check_result_curve(value, name, keys, made_by), tuple(bad))


ROC = _result_curve(("fpr", "tpr"), "dlnotes.metrics.roc_curve")
PRECISION_RECALL = _result_curve(("recall", "precision"), "dlnotes.metrics.precision_recall_curve")
RELIABILITY = Check(
    check_reliability,
    (
        ("curve", TypeError),
        ({"fpr": [0.5]}, ValueError),
        ({"mean_prob": [0.1], "fraction_positive": [0.0]}, ValueError),
        ({"mean_prob": [0.1], "fraction_positive": [0.0], "count": [-1]}, ValueError),
    ),
)
#: The legend entry.
LABEL = checks.optional(checks.text("a string (the legend entry) or None", empty=True))


def _finish(ax: Any, title: Any, xlabel: str, ylabel: str) -> Any:
    ax.set_xlim(-0.02, 1.02)
    ax.set_ylim(-0.02, 1.03)
    ax.set_xlabel(tr(xlabel))
    ax.set_ylabel(tr(ylabel))
    ax.set_title(tr(str(title)))
    ax.legend(loc="lower right", fontsize="small")
    ax.grid(alpha=0.3)
    return ax


@checked(curve=ROC, label=LABEL, title=TEXT, ax=AXES)
def plot_roc_curve(curve: Any, *, label: str | None = None, title: str = "ROC curve", ax: Any = None) -> Any:
    """Draw a ROC curve (recall against the false-positive rate) and the diagonal of a random ranking.

    Parameters
    ----------
    curve : dict
        What :func:`dlnotes.metrics.roc_curve` returns (``fpr`` and ``tpr`` are used).
    label : str, optional
        The legend entry, e.g. the model's name and its AUC; call again with the same ``ax`` to
        overlay another model.
    title : str
    ax : matplotlib Axes, optional

    Returns
    -------
    matplotlib.axes.Axes

    Examples
    --------
    >>> from dlnotes.metrics import roc_curve
    >>> ax = plot_roc_curve(roc_curve([0, 0, 1, 1], [0.1, 0.4, 0.4, 0.8]), label="model")
    >>> [line.get_label() for line in ax.get_lines()]
    ['random ranking', 'model']
    """
    arrays = curve
    ax = new_axes(ax, figsize=(4.2, 3.8))
    if not any(line.get_label() == tr("random ranking") for line in ax.get_lines()):
        ax.plot([0, 1], [0, 1], color="0.6", linestyle=":", label=tr("random ranking"))
    ax.plot(arrays["fpr"], arrays["tpr"], marker=".", markersize=4, label=label or "ROC")
    return _finish(ax, title, "false-positive rate (false alarms / negatives)", "true-positive rate (recall)")


@checked(curve=PRECISION_RECALL, label=LABEL, title=TEXT, ax=AXES)
def plot_precision_recall_curve(
    curve: Any, *, label: str | None = None, title: str = "Precision-recall curve", ax: Any = None
) -> Any:
    """Draw a precision-recall curve as the steps average precision sums, and the level of flagging everyone.

    Precision at the last point, where every sample is flagged, is the share of positives: the
    dotted line, what a model that ranks at random gets on average.

    Parameters
    ----------
    curve : dict
        What :func:`dlnotes.metrics.precision_recall_curve` returns (``recall`` and ``precision``).
    label : str, optional
        The legend entry; call again with the same ``ax`` to overlay another model.
    title : str
    ax : matplotlib Axes, optional

    Returns
    -------
    matplotlib.axes.Axes

    Examples
    --------
    >>> from dlnotes.metrics import precision_recall_curve
    >>> curve = precision_recall_curve([0, 0, 1, 1], [0.1, 0.4, 0.4, 0.8])
    >>> ax = plot_precision_recall_curve(curve)
    >>> [line.get_label() for line in ax.get_lines()]
    ['share of positives (flag everyone)', 'precision-recall']
    """
    arrays = curve
    ax = new_axes(ax, figsize=(4.2, 3.8))
    base = tr("share of positives (flag everyone)")
    if not any(line.get_label() == base for line in ax.get_lines()):
        ax.axhline(arrays["precision"][-1], color="0.6", linestyle=":", label=base)
    ax.plot(
        arrays["recall"], arrays["precision"], drawstyle="steps-pre", label=label or tr("precision-recall")
    )
    return _finish(ax, title, "recall", "precision")


@checked(curve=RELIABILITY, title=TEXT, ax=AXES)
def plot_reliability_diagram(curve: Any, *, title: str = "Reliability diagram", ax: Any = None) -> Any:
    """Draw each bin's share of positives against its mean probability, with its count, and the diagonal.

    Points on the diagonal are calibrated; below it the model is over-confident about class 1, above
    it under-confident. Empty bins are left out; each point is labelled with its number of samples,
    because a share of a handful of samples is mostly noise.

    Parameters
    ----------
    curve : dict
        What :func:`dlnotes.metrics.reliability_curve` returns (``mean_prob``, ``fraction_positive``
        and ``count``).
    title : str
    ax : matplotlib Axes, optional

    Returns
    -------
    matplotlib.axes.Axes

    Examples
    --------
    >>> from dlnotes.metrics import reliability_curve
    >>> curve = reliability_curve([0, 0, 1, 1, 1], [0.1, 0.3, 0.7, 0.9, 0.9], n_bins=2)
    >>> ax = plot_reliability_diagram(curve)
    >>> [text.get_text() for text in ax.texts]
    ['n=2', 'n=3']
    """
    arrays = curve
    count = arrays["count"]
    full = count > 0
    x, y = arrays["mean_prob"][full], arrays["fraction_positive"][full]
    ax = new_axes(ax, figsize=(4.2, 3.8))
    ax.plot([0, 1], [0, 1], color="0.6", linestyle=":", label=tr("calibrated"))
    ax.plot(x, y, marker="o", label=tr("model"))
    for xi, yi, n in zip(x, y, count[full]):  # the count beside its point, kept inside the axes
        right = xi > 0.75
        ax.annotate(
            f"n={int(n)}",
            (xi, yi),
            xytext=(-7 if right else 7, -4 if yi > 0.5 else 4),
            textcoords="offset points",
            ha="right" if right else "left",
            va="top" if yi > 0.5 else "bottom",
            fontsize=8,
        )
    return _finish(ax, title, "mean predicted probability in the bin", "share of positives in the bin")
