"""Metrics (chapter 3): the confusion matrix and every metric made from it. This module never draws
(the pictures are :func:`dlnotes.plots.plot_confusion_matrix` and :func:`dlnotes.plots.plot_threshold_curve`).

A binary classifier with one sigmoid output gives a probability per sample. A *threshold* turns it
into a class: 1 where the probability is **greater than** the threshold, 0 elsewhere (the rule Keras
uses in ``BinaryAccuracy``, ``Precision``, ``Recall`` and ``F1Score``). Counting the four outcomes
gives the confusion matrix ``[[tn, fp], [fn, tp]]`` (true label by row, prediction by column), and
every metric here is a ratio of those counts:

- accuracy ``(tp + tn) / n``;
- precision ``tp / (tp + fp)``, of the predicted positives, how many are positive;
- recall ``tp / (tp + fn)``, of the positives, how many were found;
- F1 ``2 tp / (2 tp + fp + fn)``, the harmonic mean of precision and recall.

A ratio whose denominator is 0 is reported as 0.0, as scikit-learn does with ``zero_division=0``.

Which way a metric is better is known here too, in one table: :func:`metric_direction` says whether
lower (``"min"``) or higher (``"max"``) is better for every metric and loss name Keras writes into
``history.history``, and :func:`best_first` ranks scores that way. Every function of dlnotes that
picks a best epoch or ranks runs goes through them.
"""

from __future__ import annotations

import re
from typing import Any

import numpy as np

from ._validation import (
    check_binary_labels,
    check_choice,
    check_curve,
    check_float,
    check_probabilities,
    check_same_length,
    describe,
)

__all__ = [
    "apply_threshold",
    "confusion_matrix",
    "binary_report",
    "threshold_curve",
    "metric_direction",
    "best_first",
]

#: Metric and loss names for which lower is better, one metric per string with its aliases: every
#: loss Keras 3 has (as ``compile`` and ``keras.losses.get`` accept it, and as its loss object names
#: itself), Keras's error and cross-entropy metrics, and the false-positive and false-negative counts.
LOWER_IS_BETTER = (
    "loss",
    "binary_crossentropy bce BCE BinaryCrossentropy",
    "categorical_crossentropy CategoricalCrossentropy",
    "sparse_categorical_crossentropy SparseCategoricalCrossentropy",
    "binary_focal_crossentropy BinaryFocalCrossentropy",
    "categorical_focal_crossentropy CategoricalFocalCrossentropy",
    "ctc CTC",
    "mean_absolute_error mae MAE MeanAbsoluteError",
    "mean_squared_error mse MSE MeanSquaredError",
    "root_mean_squared_error rmse RootMeanSquaredError",
    "mean_absolute_percentage_error mape MAPE MeanAbsolutePercentageError",
    "mean_squared_logarithmic_error msle MSLE MeanSquaredLogarithmicError",
    "hinge Hinge",
    "squared_hinge SquaredHinge",
    "categorical_hinge CategoricalHinge",
    "kl_divergence kld KLD KLDivergence kullback_leibler_divergence",
    "poisson Poisson",
    "log_cosh logcosh log_cosh_error LogCosh LogCoshError",
    "huber huber_loss Huber",
    "dice Dice",
    "tversky Tversky",
    "circle Circle",
    "false_positives FalsePositives",
    "false_negatives FalseNegatives",
)
#: Metric names for which higher is better, one metric per string with its aliases. Cosine similarity
#: is the metric here; Keras's cosine-similarity *loss* is its negative.
HIGHER_IS_BETTER = (
    "accuracy acc Accuracy",
    "binary_accuracy BinaryAccuracy",
    "categorical_accuracy CategoricalAccuracy",
    "sparse_categorical_accuracy SparseCategoricalAccuracy",
    "top_k_categorical_accuracy TopKCategoricalAccuracy",
    "sparse_top_k_categorical_accuracy SparseTopKCategoricalAccuracy",
    "auc AUC",
    "precision Precision",
    "recall Recall",
    "f1_score F1Score",
    "fbeta_score f_beta_score FBetaScore",
    "precision_at_recall PrecisionAtRecall",
    "recall_at_precision RecallAtPrecision",
    "sensitivity_at_specificity SensitivityAtSpecificity",
    "specificity_at_sensitivity SpecificityAtSensitivity",
    "true_positives TruePositives",
    "true_negatives TrueNegatives",
    "io_u IoU",
    "binary_io_u BinaryIoU",
    "mean_io_u MeanIoU",
    "one_hot_io_u OneHotIoU",
    "one_hot_mean_io_u OneHotMeanIoU",
    "cosine_similarity CosineSimilarity",
    "r2_score R2Score",
    "pearson_correlation PearsonCorrelation",
    "concordance_correlation ConcordanceCorrelation",
)
_DIRECTIONS = {
    name: direction
    for groups, direction in ((LOWER_IS_BETTER, "min"), (HIGHER_IS_BETTER, "max"))
    for group in groups
    for name in group.split()
}
MODES = ("auto", "min", "max")


def _ratio(numerator: np.ndarray | int, denominator: np.ndarray | int) -> np.ndarray:
    """``numerator / denominator`` with 0.0 where the denominator is 0 (scikit-learn's zero_division=0)."""
    numerator = np.asarray(numerator, dtype=np.float64)
    denominator = np.asarray(denominator, dtype=np.float64)
    safe = np.where(denominator > 0, denominator, 1.0)
    return np.where(denominator > 0, numerator / safe, 0.0)


def _labels_and_probabilities(y_true: Any, y_prob: Any) -> tuple[np.ndarray, np.ndarray]:
    y_true = check_binary_labels(y_true, "y_true")
    y_prob = check_probabilities(y_prob, "y_prob")
    check_same_length(y_true, "y_true", y_prob, "y_prob")
    return y_true, y_prob


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
    y_prob = check_probabilities(y_prob, "y_prob")
    threshold = check_float(threshold, "threshold", low=0.0, high=1.0)
    return (y_prob > threshold).astype(np.int64)


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
    y_true = check_binary_labels(y_true, "y_true")
    y_pred = check_binary_labels(y_pred, "y_pred")
    check_same_length(y_true, "y_true", y_pred, "y_pred")
    return np.bincount(2 * y_true + y_pred, minlength=4).reshape(2, 2).astype(np.int64)


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
    y_true, y_prob = _labels_and_probabilities(y_true, y_prob)
    threshold = check_float(threshold, "threshold", low=0.0, high=1.0)
    confusion = confusion_matrix(y_true, (y_prob > threshold).astype(np.int64))
    (tn, fp), (fn, tp) = confusion
    return {
        "accuracy": float((tp + tn) / len(y_true)),
        "precision": float(_ratio(tp, tp + fp)),
        "recall": float(_ratio(tp, tp + fn)),
        "f1": float(_ratio(2 * tp, 2 * tp + fp + fn)),
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


def _thresholds(thresholds: Any) -> np.ndarray:
    if thresholds is None:
        return np.linspace(0.0, 1.0, 101)
    return check_probabilities(thresholds, "thresholds")


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
    y_true, y_prob = _labels_and_probabilities(y_true, y_prob)
    thresholds = _thresholds(thresholds)
    tn, fp, fn, tp = _counts(y_true, y_prob, thresholds)
    return {
        "threshold": thresholds.copy(),
        "accuracy": (tp + tn) / len(y_true),
        "precision": _ratio(tp, tp + fp),
        "recall": _ratio(tp, tp + fn),
        "f1": _ratio(2 * tp, 2 * tp + fp + fn),
        "predicted_positive": (tp + fp).astype(np.int64),
    }


def metric_direction(metric: str, mode: str = "auto") -> str:
    """Which way ``metric`` is better: ``"min"`` (lower is better) or ``"max"`` (higher is better).

    The vocabulary of ``keras.callbacks.EarlyStopping`` and ``ModelCheckpoint``: with ``mode="min"``
    or ``"max"`` the caller decides; with ``"auto"`` the name decides, after removing a ``val_``
    prefix. The names known are those Keras writes into ``history.history``: every string
    ``compile(metrics=...)`` accepts (``"accuracy"`` and ``"acc"`` in any case, ``"mae"``, ``"AUC"``,
    ``"MeanSquaredError"``, ...), the names Keras's metric and loss objects give themselves
    (``"mean_absolute_error"``, ``"huber_loss"``), also with the ``_1``, ``_2`` Keras adds to a
    repeated name (``"auc_1"``), and the columns dlnotes writes (``loss``, ``accuracy``,
    ``val_loss``, ``val_accuracy``). Losses and errors are better low; accuracy, AUC, precision,
    recall, F-scores, IoU, R² and cosine similarity high. Any other name is refused, never guessed.

    One name means two things in Keras: ``"cosine_similarity"`` is the metric (higher is better),
    but the *loss* ``keras.losses.cosine_similarity`` passed as a metric logs its negative under the
    same name: pass ``mode="min"`` for that one.

    Parameters
    ----------
    metric : str
        A name from ``history.history`` or a column of a search table, e.g. ``"val_mae"``.
    mode : {"auto", "min", "max"}

    Returns
    -------
    str
        ``"min"`` or ``"max"``.

    Raises
    ------
    ValueError
        With ``mode="auto"``, for a name whose direction is not known (a custom metric): pass
        ``mode="min"`` or ``mode="max"``.

    Examples
    --------
    >>> metric_direction("val_mae"), metric_direction("val_accuracy"), metric_direction("auc_1")
    ('min', 'max', 'max')
    >>> metric_direction("my_score", mode="max")
    'max'
    """
    if not isinstance(metric, str):
        raise TypeError(f"metric must be a metric name such as 'val_loss', got {describe(metric)}")
    mode = check_choice(mode, "mode", MODES)
    if mode != "auto":
        return mode
    name = metric.removeprefix("val_")
    repeated = re.fullmatch(r"(.+)_[0-9]+", name)  # Keras's second AUC() is named auc_1
    for candidate in (name, repeated.group(1) if repeated else name):
        if candidate.lower() in ("accuracy", "acc"):  # compile accepts these in any case
            return "max"
        if candidate in _DIRECTIONS:
            return _DIRECTIONS[candidate]
    raise ValueError(
        f"metric {metric!r}: dlnotes cannot tell whether it is better low or high (it is not a Keras "
        "metric or loss, nor a column dlnotes writes); pass mode='min' if lower is better (a loss, an "
        "error) or mode='max' if higher is better (an accuracy, a score)"
    )


def best_first(scores: Any, mode: str = "min") -> np.ndarray:
    """The indices of ``scores``, best first: lowest first for ``mode="min"``, highest for ``"max"``.

    NaN and infinite scores (runs that diverged) come last whatever the mode, and equal scores keep
    their order (the earlier epoch, the earlier configuration wins a tie). Every ranking in dlnotes
    is this one: the best epoch of :func:`dlnotes.plots.plot_histories`, the rows of
    :class:`dlnotes.search.SearchResult`, the best learning rate of a sweep.

    Parameters
    ----------
    scores : 1-D array-like of float
        One score per epoch or per run; NaN and infinity allowed.
    mode : {"min", "max"}
        Which way is better, e.g. ``metric_direction("val_accuracy")``.

    Returns
    -------
    ndarray of shape (n,), int64

    Examples
    --------
    >>> best_first([0.3, float("nan"), 0.1, 0.3]).tolist()
    [2, 0, 3, 1]
    >>> best_first([0.8, float("inf"), 0.9, 0.8], mode="max").tolist()
    [2, 0, 3, 1]
    """
    values = check_curve(scores, "scores")
    mode = check_choice(mode, "mode", ("min", "max"))
    finite = np.isfinite(values)
    key = np.where(finite, values if mode == "min" else -values, 0.0)
    return np.lexsort((np.arange(len(values)), key, ~finite)).astype(np.int64)
