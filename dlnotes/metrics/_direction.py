"""Which way each metric is better: the one table (:func:`metric_direction`) and the one ranking
(:func:`best_first`) behind every best epoch and every ranking of runs in dlnotes."""

from __future__ import annotations

import re
from typing import Any

import numpy as np

from .. import _checks as checks
from .._checks import checked

__all__ = ["metric_direction", "best_first", "MODES"]

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


@checked(metric=checks.text("a metric name such as 'val_loss'", empty=True), mode=checks.choice(MODES))
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


@checked(scores=checks.curve, mode=checks.choice(("min", "max")))
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
    finite = np.isfinite(scores)
    key = np.where(finite, scores if mode == "min" else -scores, 0.0)
    return np.lexsort((np.arange(len(scores)), key, ~finite)).astype(np.int64)
