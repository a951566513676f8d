"""Threshold-free evaluation of a binary classifier (chapter 3c): ROC and precision-recall curves,
the areas under them, and calibration (the reliability curve and the Brier score).

The curves sweep the threshold over every distinct probability, from the strictest to the most
lenient, as scikit-learn does: a point of either curve at threshold ``t`` flags every sample whose
probability is **at least** ``t``, so tied probabilities enter together, as one point. Each curve
starts at the point where nothing is flagged (threshold ``inf``).
"""

from __future__ import annotations

from typing import Any

import numpy as np

from .. import _checks as checks
from .._checks import checked
from .._validation import check_same_length

__all__ = [
    "roc_curve",
    "precision_recall_curve",
    "roc_auc",
    "average_precision",
    "reliability_curve",
    "brier_score",
]


#: Labels and probabilities; the curves and their areas need both classes, calibration does not.
BOTH_CLASSES = {"y_true": checks.binary_labels(both_classes=True), "y_prob": checks.probabilities}
ANY_CLASSES = {"y_true": checks.binary_labels(), "y_prob": checks.probabilities}


def _sweep(y_true: np.ndarray, y_prob: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """True and false positives flagged at each distinct probability, from the largest down.

    Sorting by decreasing probability, the samples flagged at threshold ``t`` are a prefix; a run of
    tied probabilities is flagged together, so only the last index of each run is a point.
    """
    order = np.argsort(-y_prob, kind="stable")
    prob, labels = y_prob[order], y_true[order]
    ends = np.r_[np.flatnonzero(np.diff(prob)), len(prob) - 1]
    tp = np.cumsum(labels)[ends]
    fp = ends + 1 - tp
    return tp.astype(np.int64), fp.astype(np.int64), prob[ends]


@checked(**BOTH_CLASSES)
def roc_curve(y_true: Any, y_prob: Any) -> dict[str, np.ndarray]:
    """The ROC curve: the true-positive rate (recall) against the false-positive rate, at every threshold.

    Parameters
    ----------
    y_true : array of shape (n,) or (n, 1)
        Labels 0 and 1; both must be present.
    y_prob : array of shape (n,) or (n, 1)
        Probabilities of class 1 in [0, 1], e.g. ``model.predict(X, verbose=0)``.

    Returns
    -------
    dict of str -> ndarray
        ``fpr`` (false alarms / negatives), ``tpr`` (true positives / positives) and ``threshold``
        (flag where ``y_prob >= threshold``), one entry per distinct probability plus the first point
        (0, 0) at threshold ``inf``; equal to ``sklearn.metrics.roc_curve(..., drop_intermediate=False)``.

    Examples
    --------
    >>> curve = roc_curve([0, 0, 1, 1], [0.1, 0.4, 0.4, 0.8])
    >>> curve["fpr"].tolist(), curve["tpr"].tolist()
    ([0.0, 0.0, 0.5, 1.0], [0.0, 0.5, 1.0, 1.0])
    >>> curve["threshold"].tolist()
    [inf, 0.8, 0.4, 0.1]
    """
    check_same_length(y_true, "y_true", y_prob, "y_prob")
    tp, fp, thresholds = _sweep(y_true, y_prob)
    return {
        "fpr": np.r_[0, fp] / fp[-1],
        "tpr": np.r_[0, tp] / tp[-1],
        "threshold": np.r_[np.inf, thresholds],
    }


@checked(**BOTH_CLASSES)
def precision_recall_curve(y_true: Any, y_prob: Any) -> dict[str, np.ndarray]:
    """The precision-recall curve: precision against recall, at every threshold.

    Parameters
    ----------
    y_true, y_prob : array of shape (n,) or (n, 1)
        As in :func:`roc_curve`; both classes must be present.

    Returns
    -------
    dict of str -> ndarray
        ``recall``, ``precision`` and ``threshold`` (flag where ``y_prob >= threshold``), from the first
        point (recall 0, precision 1, threshold ``inf``) to the last, where every sample is flagged and
        precision is the share of positives. The points of ``sklearn.metrics.precision_recall_curve``,
        in the opposite order.

    Examples
    --------
    >>> curve = precision_recall_curve([0, 0, 1, 1], [0.1, 0.4, 0.4, 0.8])
    >>> curve["recall"].tolist(), curve["precision"].round(4).tolist()
    ([0.0, 0.5, 1.0, 1.0], [1.0, 1.0, 0.6667, 0.5])
    """
    check_same_length(y_true, "y_true", y_prob, "y_prob")
    tp, fp, thresholds = _sweep(y_true, y_prob)
    return {
        "recall": np.r_[0, tp] / tp[-1],
        "precision": np.r_[1.0, tp / (tp + fp)],  # tp + fp >= 1: every point flags a sample
        "threshold": np.r_[np.inf, thresholds],
    }


@checked(**BOTH_CLASSES)
def roc_auc(y_true: Any, y_prob: Any) -> float:
    """The area under the ROC curve, by the trapezoid rule (``sklearn.metrics.roc_auc_score``).

    It is the chance that a random positive gets a higher probability than a random negative (a tie
    counts one half): 1 for a perfect ranking, 0.5 for a random one.

    Parameters
    ----------
    y_true, y_prob : array of shape (n,) or (n, 1)
        As in :func:`roc_curve`.

    Returns
    -------
    float

    Examples
    --------
    >>> roc_auc([0, 0, 1, 1], [0.1, 0.4, 0.4, 0.8])
    0.875
    """
    curve = roc_curve(y_true, y_prob)
    fpr, tpr = curve["fpr"], curve["tpr"]
    return float(np.sum(np.diff(fpr) * (tpr[1:] + tpr[:-1]) / 2))  # trapezoids between the points


@checked(**BOTH_CLASSES)
def average_precision(y_true: Any, y_prob: Any) -> float:
    """Average precision: the precision at each point, weighted by the recall it adds.

    ``sum((recall[k] - recall[k-1]) * precision[k])`` over the points of
    :func:`precision_recall_curve`, a step function with no interpolation, as
    ``sklearn.metrics.average_precision_score`` defines it.

    Parameters
    ----------
    y_true, y_prob : array of shape (n,) or (n, 1)
        As in :func:`roc_curve`.

    Returns
    -------
    float

    Examples
    --------
    >>> round(average_precision([0, 0, 1, 1], [0.1, 0.4, 0.4, 0.8]), 4)
    0.8333
    """
    curve = precision_recall_curve(y_true, y_prob)
    return float(np.sum(np.diff(curve["recall"]) * curve["precision"][1:]))


@checked(**ANY_CLASSES, n_bins=checks.positive_int)
def reliability_curve(y_true: Any, y_prob: Any, *, n_bins: int = 5) -> dict[str, np.ndarray]:
    """Calibration in bins: the mean probability and the share of positives in each bin of probabilities.

    A calibrated model's samples given about 0.8 are positive about 80 % of the time, so its points
    lie on the diagonal. The bins split [0, 1] into ``n_bins`` equal widths, each holding
    ``lower < p <= upper`` (the first also 0), as ``sklearn.calibration.calibration_curve`` does.

    Parameters
    ----------
    y_true, y_prob : array of shape (n,) or (n, 1)
        Labels 0 and 1 and probabilities of class 1 in [0, 1]; one class alone is allowed.
    n_bins : int
        At least 1. With a hundred samples, keep it small: each bin's share is a count of few samples.

    Returns
    -------
    dict of str -> ndarray
        ``edges`` (``n_bins + 1``), and per bin ``count``, ``mean_prob`` and ``fraction_positive`` (NaN
        for an empty bin). The non-empty bins equal ``calibration_curve(..., n_bins=n_bins)``.

    Examples
    --------
    >>> curve = reliability_curve([0, 0, 1, 1, 1], [0.1, 0.3, 0.7, 0.9, 0.9], n_bins=2)
    >>> curve["count"].tolist(), curve["mean_prob"].tolist()
    ([2, 3], [0.2, 0.8333333333333334])
    >>> curve["fraction_positive"].tolist()
    [0.0, 1.0]
    """
    check_same_length(y_true, "y_true", y_prob, "y_prob")
    edges = np.linspace(0.0, 1.0, n_bins + 1)
    bins = np.searchsorted(edges[1:-1], y_prob, side="left")
    count = np.bincount(bins, minlength=n_bins)
    with np.errstate(invalid="ignore", divide="ignore"):
        mean_prob = np.bincount(bins, weights=y_prob, minlength=n_bins) / count
        fraction = np.bincount(bins, weights=y_true, minlength=n_bins) / count
    return {
        "edges": edges,
        "count": count.astype(np.int64),
        "mean_prob": mean_prob,
        "fraction_positive": fraction,
    }


@checked(**ANY_CLASSES)
def brier_score(y_true: Any, y_prob: Any) -> float:
    """The Brier score: the mean squared difference between probability and label (lower is better).

    0 for certain and right, 0.25 for always saying 0.5; it rewards probabilities that are both
    calibrated and sharp (``sklearn.metrics.brier_score_loss``).

    Parameters
    ----------
    y_true, y_prob : array of shape (n,) or (n, 1)
        As in :func:`reliability_curve`.

    Returns
    -------
    float

    Examples
    --------
    >>> brier_score([0, 1, 1], [0.0, 0.5, 1.0])
    0.08333333333333333
    """
    check_same_length(y_true, "y_true", y_prob, "y_prob")
    return float(np.mean((y_prob - y_true) ** 2))
