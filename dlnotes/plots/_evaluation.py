"""Pictures of a classifier's evaluation: the confusion matrix (2 or more classes) and metrics against the threshold."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any, cast

import numpy as np

from .. import _checks as checks
from .._checks import Check, checked
from .._labels import tr
from .._plot import AXES, TEXT, new_axes
from .._validation import check_array, check_float, describe
from ..metrics._multiclass import confusion_counts

__all__ = ["plot_confusion_matrix", "plot_threshold_curve"]


def check_class_names(class_names: Any, k: int) -> tuple[str, ...]:
    """``k`` names, one per class (labels 0 … k-1); None gives ``"0"``, ``"1"``, …"""
    if class_names is None:
        return tuple(str(i) for i in range(k))
    what = "two names (for labels 0 and 1)" if k == 2 else f"{k} names (for labels 0 to {k - 1})"
    if isinstance(class_names, str) or not isinstance(class_names, Sequence):
        raise TypeError(f"class_names must be a sequence of {what}, got {describe(class_names)}")
    if len(class_names) != k:
        raise ValueError(f"class_names must be a sequence of {what}, got {len(class_names)}: {class_names!r}")
    return tuple(str(name) for name in class_names)


def check_marks(mark: Any, name: str = "mark") -> list[float]:
    """Thresholds to mark: one number in [0, 1], a sequence of them, or None for none; as a list."""
    if mark is None:
        return []
    if isinstance(mark, (str, bytes)) or np.ndim(mark) == 0:
        return [check_float(mark, name, low=0.0, high=1.0)]
    return [
        check_float(m, f"{name}[{i}]", low=0.0, high=1.0) for i, m in enumerate(cast("Sequence[float]", mark))
    ]


MARKS = Check(check_marks, ((1.5, ValueError), ([0.3, -1.0], ValueError), ("0.5", TypeError)))


@checked(confusion=confusion_counts, title=TEXT, colorbar=checks.boolean, ax=AXES)
def plot_confusion_matrix(
    confusion: Any,
    *,
    class_names: Sequence[str] | None = None,
    title: str = "Confusion matrix",
    colorbar: bool = True,
    ax: Any = None,
) -> Any:
    """Draw a k × k confusion matrix, each cell coloured by its share of the row (the true class).

    The share of a row is the fraction of that true class predicted as each column, so the diagonal
    shows each class's recall (for two classes: the specificity, then the recall). A 2 × 2 matrix
    writes the count and the share in brackets in each cell; a larger one writes the counts only
    and leaves the empty cells blank, so the mistakes stand out.

    Parameters
    ----------
    confusion : array of shape (k, k)
        Non-negative counts, true class by row: ``[[tn, fp], [fn, tp]]`` for two classes
        (``binary_report(...)["confusion"]``), or ``classification_report(...)["confusion"]``.
    class_names : sequence of k str, optional
        Names of labels 0 … k-1 for the tick labels; by default the labels themselves.
    title : str
    colorbar : bool
        Draw a colour bar for the shares (leave it out when several matrices sit side by side).
    ax : matplotlib Axes, optional
        Where to draw; a new figure is made if omitted.

    Returns
    -------
    matplotlib.axes.Axes

    Examples
    --------
    >>> ax = plot_confusion_matrix([[50, 3], [2, 45]], class_names=("benign", "malignant"))
    >>> [t.get_text() for t in ax.texts]
    ['50\\n(94.3%)', '3\\n(5.7%)', '2\\n(4.3%)', '45\\n(95.7%)']
    >>> ax = plot_confusion_matrix([[5, 0, 1], [0, 6, 0], [2, 0, 4]])
    >>> [t.get_text() for t in ax.texts]
    ['5', '1', '6', '2', '4']
    """
    counts = confusion
    k = len(counts)
    names = check_class_names(class_names, k)
    shares = counts / np.maximum(counts.sum(axis=1, keepdims=True), 1)  # an empty row: 0

    ax = new_axes(ax, figsize=(4.2, 3.6) if k == 2 else (0.45 * k + 2.4, 0.45 * k + 1.4))
    image = ax.imshow(shares, cmap="Blues", vmin=0.0, vmax=1.0)
    for row in range(k):
        for col in range(k):
            if k == 2:
                text = f"{counts[row, col]}\n({100 * shares[row, col]:.1f}%)"
            elif counts[row, col]:
                text = f"{counts[row, col]}"
            else:
                continue
            color = "white" if shares[row, col] > 0.5 else "black"
            ax.text(col, row, text, ha="center", va="center", color=color, fontsize=11 if k == 2 else 9)
    labels = [f"{name} ({i})" for i, name in enumerate(names)] if k == 2 else list(names)
    ax.set_xticks(range(k), labels=labels)
    ax.set_yticks(range(k), labels=labels, rotation=90 if k == 2 else 0, va="center")
    ax.set_xlabel(tr("predicted label"))
    ax.set_ylabel(tr("true label"))
    ax.set_title(tr(title))
    if colorbar:
        ax.figure.colorbar(image, ax=ax, label=tr("share of the true class"), shrink=0.85)
    return ax


#: The columns of :func:`dlnotes.metrics.threshold_curve`'s result, each one value per threshold.
CURVE_KEYS = ("threshold", "accuracy", "precision", "recall", "f1", "predicted_positive")


def check_threshold_curve(curve: Any, name: str = "curve") -> dict[str, np.ndarray]:
    """A result of :func:`dlnotes.metrics.threshold_curve`: its six columns, 1-D, of one length."""
    hint = "; compute it with dlnotes.metrics.threshold_curve(y_true, y_prob)"
    if not isinstance(curve, Mapping):
        raise TypeError(f"{name} must be the dict threshold_curve returns, got {describe(curve)}{hint}")
    missing = [key for key in CURVE_KEYS if key not in curve]
    if missing:
        raise ValueError(f"{name} has no {missing}: it must hold {list(CURVE_KEYS)}{hint}")
    columns = {key: check_array(curve[key], f"{name}[{key!r}]", ndim=1) for key in CURVE_KEYS}
    lengths = {len(column) for column in columns.values()}
    if len(lengths) > 1:
        raise ValueError(
            f"{name}'s columns must have one value per threshold each, got lengths {sorted(lengths)}"
        )
    return columns


THRESHOLD_CURVE = Check(
    check_threshold_curve,
    (
        ([0.5, 0.6], TypeError),
        ({"threshold": [0.5]}, ValueError),
        ({key: [0.5, 0.6] for key in CURVE_KEYS} | {"f1": [0.5]}, ValueError),
    ),
)


@checked(curve=THRESHOLD_CURVE, mark=MARKS, title=TEXT, ax=AXES)
def plot_threshold_curve(
    curve: Any,
    *,
    mark: float | Sequence[float] | None = 0.5,
    title: str = "Precision, recall and F1 against the threshold",
    ax: Any = None,
) -> Any:
    """Plot precision, recall and F1 (and accuracy, dotted) against the threshold.

    Raising the threshold predicts 1 less often: recall can only fall, precision usually rises.
    Where nothing is predicted 1, precision is undefined and left out of the plot (it is 0.0 in
    :func:`dlnotes.metrics.threshold_curve`).

    Parameters
    ----------
    curve : dict of str -> array
        The result of :func:`dlnotes.metrics.threshold_curve`: compute, inspect, then draw.
    mark : float or sequence of float, optional
        Thresholds to mark with a vertical dashed line (0.5 by default; None for none).
    title : str
    ax : matplotlib Axes, optional

    Returns
    -------
    matplotlib.axes.Axes

    Examples
    --------
    >>> from dlnotes.metrics import threshold_curve
    >>> curve = threshold_curve([0, 0, 1, 1], [0.1, 0.6, 0.8, 0.4])
    >>> ax = plot_threshold_curve(curve, mark=[0.3, 0.5])
    >>> [line.get_label() for line in ax.get_lines()][:4]
    ['precision', 'recall', 'F1', 'accuracy']
    """
    marks = cast("list[float]", mark)  # checked: a list

    order = np.argsort(curve["threshold"], kind="stable")
    t = curve["threshold"][order]
    precision = np.where(curve["predicted_positive"] > 0, curve["precision"], np.nan)[order]
    ax = new_axes(ax, figsize=(6.0, 3.6))
    ax.plot(t, precision, color="C0", label=tr("precision"))
    ax.plot(t, curve["recall"][order], color="C1", label=tr("recall"))
    ax.plot(t, curve["f1"][order], color="C2", label="F1")
    ax.plot(t, curve["accuracy"][order], color="0.4", linestyle=":", label=tr("accuracy"))
    for m in marks:
        ax.axvline(m, color="0.3", linestyle="--", linewidth=1)
        ax.annotate(f"{m:g}", (m, 0.02), xytext=(3, 0), textcoords="offset points", fontsize=9, color="0.3")
    ax.set_xlim(0.0, 1.0)
    ax.set_ylim(0.0, 1.03)
    ax.set_xlabel(tr("threshold (predict 1 where probability > threshold)"))
    ax.set_ylabel(tr("metric value"))
    ax.set_title(tr(title))
    ax.legend(loc="lower left")
    ax.grid(alpha=0.3)
    return ax
