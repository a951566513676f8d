"""The confusion matrix of a classifier with several classes and the metrics made from it (chapter 3b).

A softmax output gives one probability per class; ``argmax`` turns them into one predicted class
per sample. The binary helpers of :mod:`dlnotes.metrics` refuse such labels at the door (their 2 × 2
matrix ``[[tn, fp], [fn, tp]]`` means something only for labels 0 and 1): these take labels
0 … k-1. Every metric is a ratio of the k × k counts, computed here in NumPy, and a ratio whose
denominator is 0 is 0.0, as scikit-learn does with ``zero_division=0``.
"""

from __future__ import annotations

from typing import Any

import numpy as np

from .. import _checks as checks
from .._checks import Check, checked
from .._validation import check_array, check_int, check_same_length
from ._binary import safe_ratio

__all__ = ["multiclass_confusion_matrix", "classification_report", "top_k_accuracy", "most_confused"]


#: The most classes the multi-class helpers take: their k × k matrix of int64 counts is then at most 128 MB.
MAX_CLASSES = 4096


def check_class_labels(y: Any, name: str = "y") -> np.ndarray:
    """Labels 0, 1, 2, ... (fewer than :data:`MAX_CLASSES`) as a 1-D int64 array; accept shape (n,) or (n, 1)."""
    array = check_array(y, name, ndim=(1, 2))
    if array.ndim == 2:
        if array.shape[1] != 1:
            raise ValueError(
                f"{name} must have shape (n,) or (n, 1), one class label per sample, got {array.shape}: "
                f"for one-hot labels or probabilities pass {name}.argmax(axis=1)"
            )
        array = array[:, 0]
    if np.any(array < 0) or np.any(array != np.round(array)):
        bad = array[(array < 0) | (array != np.round(array))][0]
        raise ValueError(
            f"{name} must hold class labels 0, 1, 2, ... (whole numbers >= 0), got {bad:g}: recode the "
            "classes as 0 ... k-1, e.g. with np.unique(y, return_inverse=True)[1]"
        )
    if array.max() >= MAX_CLASSES:
        raise ValueError(
            f"{name} holds the label {array.max():g}, but the multi-class helpers take at most {MAX_CLASSES} "
            "classes, labelled 0 ... k-1: recode the classes, e.g. with np.unique(y, return_inverse=True)[1]"
        )
    return array.astype(np.int64)


def check_confusion(confusion: Any, name: str = "confusion") -> np.ndarray:
    """A square matrix of non-negative whole counts (at least 2 × 2), returned as int64."""
    if isinstance(confusion, dict):
        raise TypeError(
            f"{name} must be a square array of counts, got a dict with keys {sorted(confusion)[:4]}: pass "
            "report['confusion']"
        )
    matrix = check_array(confusion, name, ndim=2)
    if matrix.shape[0] != matrix.shape[1] or matrix.shape[0] < 2:
        raise ValueError(
            f"{name} must be a square matrix of at least 2 × 2 (true class by row, predicted by column), "
            f"got shape {matrix.shape}"
        )
    if np.any(matrix < 0) or np.any(matrix != np.round(matrix)):
        raise ValueError(f"{name} must hold non-negative whole counts, got values such as {matrix.min():g}")
    return matrix.astype(np.int64)


#: Class labels 0, 1, 2, ... one per sample, and a confusion matrix: the declarations, with values each
#: must refuse.
class_labels = Check(
    check_class_labels,
    (
        ("012", TypeError),
        (None, TypeError),
        ([], ValueError),
        ([0, -1], ValueError),
        ([0, 1.5], ValueError),
        ([0, 1e308], ValueError),
        ([[0.2, 0.8]], ValueError),
    ),
)
confusion_counts = Check(
    check_confusion,
    (
        ({"confusion": [[1, 0], [0, 1]]}, TypeError),
        ("abc", TypeError),
        ([[1, 2, 3], [4, 5, 6]], ValueError),
        ([[3]], ValueError),
        ([[1, -1], [0, 2]], ValueError),
        ([[0.5, 0], [0, 1]], ValueError),
    ),
)
#: The declarations of the labels and of k, shared by the functions below.
CLASS_LABELS = {"y_true": class_labels, "y_pred": class_labels}
N_CLASSES = checks.optional(checks.integer(minimum=1, maximum=MAX_CLASSES))


def _n_classes(n_classes: int | None, *labels: np.ndarray) -> int:
    """k: ``n_classes`` (checked), or the largest label + 1; refused if a label is ``n_classes`` or more."""
    largest = max(int(y.max()) for y in labels)
    if n_classes is None:
        return largest + 1
    if largest >= n_classes:
        raise ValueError(
            f"n_classes is {n_classes}, so labels go from 0 to {n_classes - 1}, but the labels hold "
            f"{largest}: pass n_classes={largest + 1} or more, or leave it out"
        )
    return n_classes


@checked(**CLASS_LABELS, n_classes=N_CLASSES)
def multiclass_confusion_matrix(y_true: Any, y_pred: Any, *, n_classes: int | None = None) -> np.ndarray:
    """Count every (true class, predicted class) pair: a k × k matrix, true class by row.

    Entry ``[i, j]`` is the number of samples of class ``i`` predicted as ``j``; the diagonal holds the
    right answers. It is ``sklearn.metrics.confusion_matrix(y_true, y_pred, labels=range(k))``.

    Parameters
    ----------
    y_true, y_pred : array of shape (n,) or (n, 1)
        Class labels 0 … k-1; ``y_pred`` holds classes, e.g. ``probabilities.argmax(axis=1)``.
    n_classes : int, optional
        k, at most 4096; by default the largest label + 1. Pass it so a class missing from both arrays
        still gets its row and column.

    Returns
    -------
    ndarray of shape (k, k), int64

    Examples
    --------
    >>> multiclass_confusion_matrix([0, 1, 2, 2], [0, 2, 2, 1])
    array([[1, 0, 0],
           [0, 0, 1],
           [0, 1, 1]])
    >>> multiclass_confusion_matrix([0, 0], [0, 1], n_classes=3).shape
    (3, 3)
    """
    check_same_length(y_true, "y_true", y_pred, "y_pred")
    k = _n_classes(n_classes, y_true, y_pred)
    return np.bincount(k * y_true + y_pred, minlength=k * k).reshape(k, k).astype(np.int64)


def _averages(tp: np.ndarray, fp: np.ndarray, fn: np.ndarray, support: np.ndarray) -> dict[str, dict]:
    """Macro (mean over classes), weighted (by support) and micro (from the summed counts) averages."""
    per_class = {
        "precision": safe_ratio(tp, tp + fp),
        "recall": safe_ratio(tp, tp + fn),
        "f1": safe_ratio(2 * tp, 2 * tp + fp + fn),
    }
    weights = support / support.sum()
    TP, FP, FN = tp.sum(), fp.sum(), fn.sum()
    micro = {
        "precision": safe_ratio(TP, TP + FP),
        "recall": safe_ratio(TP, TP + FN),
        "f1": safe_ratio(2 * TP, 2 * TP + FP + FN),
    }
    return {
        "macro": {key: float(values.mean()) for key, values in per_class.items()},
        "weighted": {key: float(values @ weights) for key, values in per_class.items()},
        "micro": {key: float(value) for key, value in micro.items()},
        "per_class": per_class,
    }


@checked(**CLASS_LABELS, n_classes=N_CLASSES)
def classification_report(y_true: Any, y_pred: Any, *, n_classes: int | None = None) -> dict[str, Any]:
    """Precision, recall and F1 of every class, their three averages, accuracy and the confusion matrix.

    Class ``i`` is taken as the positive class in turn: ``tp`` is the diagonal entry, ``fp`` the rest
    of its column (other classes predicted as ``i``), ``fn`` the rest of its row. Then

    - **macro** averages the k per-class values, every class counting the same;
    - **weighted** averages them weighted by each class's *support* (its number of true samples);
    - **micro** sums tp, fp and fn over the classes first; with one label per sample every mistake
      is one fp and one fn, so micro precision = micro recall = micro F1 = accuracy.

    Parameters
    ----------
    y_true, y_pred : array of shape (n,) or (n, 1)
        Class labels 0 … k-1 (as in :func:`multiclass_confusion_matrix`).
    n_classes : int, optional
        k; by default the largest label + 1. A class with no true and no predicted sample gets 0 for
        precision, recall and F1, and counts in the macro average (scikit-learn with ``labels=range(k)``).

    Returns
    -------
    dict
        ``precision``, ``recall``, ``f1`` (arrays of shape (k,)), ``support`` (int array of shape (k,)),
        ``macro``, ``weighted`` and ``micro`` (dicts of ``precision``, ``recall``, ``f1`` floats),
        ``accuracy`` (float) and ``confusion`` (the k × k int array).

    Examples
    --------
    >>> report = classification_report([0, 0, 0, 0, 1, 2], [0, 0, 0, 0, 2, 2])
    >>> report["f1"].round(3).tolist(), report["support"].tolist()
    ([1.0, 0.0, 0.667], [4, 1, 1])
    >>> {key: round(report[key]["f1"], 3) for key in ("macro", "weighted", "micro")}
    {'macro': 0.556, 'weighted': 0.778, 'micro': 0.833}
    >>> round(report["accuracy"], 3)
    0.833
    """
    confusion = multiclass_confusion_matrix(y_true, y_pred, n_classes=n_classes)
    tp = np.diag(confusion)
    support = confusion.sum(axis=1)
    averages = _averages(tp, confusion.sum(axis=0) - tp, support - tp, support)
    return {
        **averages.pop("per_class"),
        "support": support,
        **averages,
        "accuracy": float(tp.sum() / confusion.sum()),
        "confusion": confusion,
    }


@checked(y_true=class_labels, y_score=checks.array(ndim=2), k=checks.positive_int)
def top_k_accuracy(y_true: Any, y_score: Any, *, k: int = 5) -> float:
    """The share of samples whose true class is among the ``k`` classes with the highest scores.

    ``k=1`` is the plain accuracy of ``y_score.argmax(axis=1)``. Tied scores are ranked as
    ``sklearn.metrics.top_k_accuracy_score`` ranks them: the larger class index first. (Keras's
    ``TopKCategoricalAccuracy`` counts every class tied at the k-th place as in the top k, so on
    tied scores it can be higher; softmax outputs are rarely tied.)

    Parameters
    ----------
    y_true : array of shape (n,) or (n, 1)
        Class labels 0 … c-1.
    y_score : array of shape (n, c)
        One score per class, e.g. softmax probabilities or logits; ``c >= 2``.
    k : int
        How many of the best-scored classes count as a hit; at least 1, at most c.

    Returns
    -------
    float

    Examples
    --------
    >>> scores = [[0.5, 0.3, 0.2], [0.1, 0.3, 0.6], [0.2, 0.7, 0.1]]
    >>> top_k_accuracy([1, 1, 1], scores, k=1), top_k_accuracy([1, 1, 1], scores, k=2)
    (0.3333333333333333, 1.0)
    """
    check_same_length(y_true, "y_true", y_score, "y_score")
    n_scores = y_score.shape[1]
    if n_scores < 2:
        raise ValueError(
            f"y_score must have one column per class, at least 2, got shape {y_score.shape}: for one "
            "sigmoid output use dlnotes.metrics.binary_report"
        )
    k = check_int(k, "k", minimum=1, maximum=n_scores)
    if y_true.max() >= n_scores:
        raise ValueError(
            f"y_true holds the class {int(y_true.max())} but y_score has only {n_scores} columns "
            f"(classes 0 to {n_scores - 1}); they must match"
        )
    true_score = y_score[np.arange(len(y_true)), y_true][:, None]
    later = np.arange(n_scores)[None, :] > y_true[:, None]
    ahead = (y_score > true_score) | ((y_score == true_score) & later)
    return float(np.mean(ahead.sum(axis=1) < k))


@checked(confusion=confusion_counts, n=checks.positive_int)
def most_confused(confusion: Any, *, n: int = 5) -> list[tuple[int, int, int]]:
    """The ``n`` most frequent mistakes of a confusion matrix, as ``(true, predicted, count)``.

    Off-diagonal cells with a count above 0, largest first; equal counts in row-major order
    (by true class, then predicted class).

    Parameters
    ----------
    confusion : array of shape (k, k)
        Non-negative whole counts, true class by row, e.g. ``classification_report(...)["confusion"]``.
    n : int
        At most this many pairs, at least 1; fewer if there are fewer mistakes.

    Returns
    -------
    list of tuple (int, int, int)

    Examples
    --------
    >>> most_confused([[5, 2, 0], [0, 6, 3], [2, 0, 4]], n=2)
    [(1, 2, 3), (0, 1, 2)]
    """
    counts = confusion.copy()
    np.fill_diagonal(counts, 0)
    order = np.argsort(-counts, axis=None, kind="stable")[:n]
    rows, cols = np.unravel_index(order, counts.shape)
    return [(int(i), int(j), int(counts[i, j])) for i, j in zip(rows, cols) if counts[i, j] > 0]
