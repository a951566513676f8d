"""The confusion matrix of a binary classifier and the metrics made from it (chapter 3)."""

from __future__ import annotations

from typing import Any

import numpy as np

from .. import _checks as checks
from .._checks import checked
from .._validation import check_same_length

__all__ = ["apply_threshold", "confusion_matrix", "binary_report", "threshold_curve"]


def safe_ratio(numerator: np.ndarray | int, denominator: np.ndarray | int) -> np.ndarray:
    """``numerator / denominator`` with 0.0 where the denominator is 0 (scikit-learn's zero_division=0)."""
    numerator = np.asarray(numerator, dtype=np.float64)
    denominator = np.asarray(denominator, dtype=np.float64)
    safe = np.where(denominator > 0, denominator, 1.0)
    return np.where(denominator > 0, numerator / safe, 0.0)


#: The declarations of a binary classifier's labels, probabilities and threshold.
LABELS_AND_PROBABILITIES = {"y_true": checks.binary_labels(), "y_prob": checks.probabilities}
THRESHOLD = checks.number(0.0, 1.0)


@checked(y_prob=checks.probabilities, threshold=THRESHOLD)
def apply_threshold(y_prob: Any, threshold: float = 0.5) -> np.ndarray:
    """Turn probabilities into classes: 1 where ``y_prob > threshold``, else 0.

    Parameters
    ----------
    y_prob : array of shape (n,) or (n, 1)
        Probabilities of class 1 in [0, 1], such as ``model.predict(X)`` of a sigmoid output.
    threshold : float
        In [0, 1]. A probability exactly equal to it gives 0, as in Keras.

    Returns
    -------
    ndarray of shape (n,), int64

    Examples
    --------
    >>> apply_threshold([[0.2], [0.5], [0.9]])
    array([0, 0, 1])
    >>> apply_threshold([0.2, 0.5, 0.9], threshold=0.1)
    array([1, 1, 1])
    """
    return (y_prob > threshold).astype(np.int64)


@checked(y_true=checks.binary_labels(), y_pred=checks.binary_labels())
def confusion_matrix(y_true: Any, y_pred: Any) -> np.ndarray:
    """Count the four outcomes of binary predictions: ``[[tn, fp], [fn, tp]]``.

    Rows are the true label (0, then 1), columns the predicted label, the layout of
    ``sklearn.metrics.confusion_matrix(y_true, y_pred, labels=[0, 1])``. It is always 2 × 2, even
    when a class is missing from both arrays.

    Parameters
    ----------
    y_true, y_pred : array of shape (n,) or (n, 1)
        Labels 0 and 1; ``y_pred`` holds classes, not probabilities (see :func:`apply_threshold`).

    Returns
    -------
    ndarray of shape (2, 2), int64

    Examples
    --------
    >>> confusion_matrix([0, 0, 1, 1, 1], [0, 1, 1, 1, 0])
    array([[1, 1],
           [1, 2]])
    """
    check_same_length(y_true, "y_true", y_pred, "y_pred")
    return np.bincount(2 * y_true + y_pred, minlength=4).reshape(2, 2).astype(np.int64)


@checked(**LABELS_AND_PROBABILITIES, threshold=THRESHOLD)
def binary_report(y_true: Any, y_prob: Any, threshold: float = 0.5) -> dict[str, Any]:
    """Accuracy, precision, recall, F1 and the confusion matrix of thresholded probabilities.

    Parameters
    ----------
    y_true : array of shape (n,) or (n, 1)
        True labels, 0 or 1; class 1 is the *positive* class the precision, recall and F1 are about.
    y_prob : array of shape (n,) or (n, 1)
        Probabilities of class 1 in [0, 1], e.g. ``model.predict(X, verbose=0)``. Hard 0/1
        predictions are valid probabilities too.
    threshold : float
        Predict 1 where ``y_prob > threshold``; in [0, 1].

    Returns
    -------
    dict
        ``accuracy``, ``precision``, ``recall`` and ``f1`` as floats (0.0 where a denominator is 0,
        like scikit-learn's ``zero_division=0``), and ``confusion``, the 2 × 2 int array
        ``[[tn, fp], [fn, tp]]``.

    Examples
    --------
    >>> report = binary_report([0, 0, 1, 1], [0.1, 0.6, 0.8, 0.4])
    >>> {k: round(v, 4) for k, v in report.items() if k != "confusion"}
    {'accuracy': 0.5, 'precision': 0.5, 'recall': 0.5, 'f1': 0.5}
    >>> report["confusion"].tolist()
    [[1, 1], [1, 1]]
    >>> binary_report([0, 1, 1], [0.0, 0.0, 0.0])["precision"]  # nothing predicted positive
    0.0
    """
    check_same_length(y_true, "y_true", y_prob, "y_prob")
    confusion = confusion_matrix(y_true, (y_prob > threshold).astype(np.int64))
    (tn, fp), (fn, tp) = confusion
    return {
        "accuracy": float((tp + tn) / len(y_true)),
        "precision": float(safe_ratio(tp, tp + fp)),
        "recall": float(safe_ratio(tp, tp + fn)),
        "f1": float(safe_ratio(2 * tp, 2 * tp + fp + fn)),
        "confusion": confusion,
    }


def _counts(y_true: np.ndarray, y_prob: np.ndarray, thresholds: np.ndarray) -> tuple[np.ndarray, ...]:
    """tn, fp, fn, tp for every threshold (arrays of len(thresholds)).

    Sorting each class's probabilities once makes this O((n + m) log n) for n samples and m
    thresholds: the number of probabilities ``> t`` is what lies right of ``searchsorted(t, "right")``.
    """
    positives = np.sort(y_prob[y_true == 1])
    negatives = np.sort(y_prob[y_true == 0])
    tp = len(positives) - np.searchsorted(positives, thresholds, side="right")
    fp = len(negatives) - np.searchsorted(negatives, thresholds, side="right")
    return len(negatives) - fp, fp, len(positives) - tp, tp


@checked(**LABELS_AND_PROBABILITIES, thresholds=checks.optional(checks.probabilities))
def threshold_curve(y_true: Any, y_prob: Any, thresholds: Any = None) -> dict[str, np.ndarray]:
    """Accuracy, precision, recall and F1 at many thresholds, as in :func:`binary_report`.

    Parameters
    ----------
    y_true, y_prob : array of shape (n,) or (n, 1)
        As in :func:`binary_report`.
    thresholds : array of shape (m,), optional
        Thresholds in [0, 1]; by default 0, 0.01, ..., 1 (101 values).

    Returns
    -------
    dict of str -> ndarray of shape (m,)
        ``threshold``, ``accuracy``, ``precision``, ``recall``, ``f1`` and ``predicted_positive``
        (how many samples are predicted 1). Precision is 0.0 where nothing is predicted 1.

    Examples
    --------
    >>> curve = threshold_curve([0, 0, 1, 1], [0.1, 0.6, 0.8, 0.4], thresholds=[0.0, 0.5, 0.9])
    >>> curve["recall"].tolist(), curve["precision"].tolist()
    ([1.0, 0.5, 0.0], [0.5, 0.5, 0.0])
    """
    check_same_length(y_true, "y_true", y_prob, "y_prob")
    thresholds = np.linspace(0.0, 1.0, 101) if thresholds is None else thresholds
    tn, fp, fn, tp = _counts(y_true, y_prob, thresholds)
    return {
        "threshold": thresholds.copy(),
        "accuracy": (tp + tn) / len(y_true),
        "precision": safe_ratio(tp, tp + fp),
        "recall": safe_ratio(tp, tp + fn),
        "f1": safe_ratio(2 * tp, 2 * tp + fp + fn),
        "predicted_positive": (tp + fp).astype(np.int64),
    }
