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

Several classes (chapter 3b): a softmax output's ``argmax`` gives labels 0 … k-1, and the binary
helpers above refuse them. :func:`multiclass_confusion_matrix` counts them in a k × k matrix,
:func:`classification_report` gives each class's precision, recall and F1 (class i against the rest)
with their macro, weighted and micro averages, :func:`top_k_accuracy` scores the k best-ranked
classes, and :func:`most_confused` lists the most frequent mistakes.

Beyond one threshold (chapter 3c): :func:`roc_curve` and :func:`precision_recall_curve` sweep
every threshold at once, :func:`roc_auc` and :func:`average_precision` sum each curve up in one
number, and :func:`reliability_curve` and :func:`brier_score` ask whether the probabilities mean
what they say (calibration). Their pictures are :func:`dlnotes.plots.plot_roc_curve`,
:func:`dlnotes.plots.plot_precision_recall_curve` and :func:`dlnotes.plots.plot_reliability_diagram`.

Which way a metric is better is known here too, in one table: :func:`metric_direction` says whether
lower (``"min"``) or higher (``"max"``) is better for every metric and loss name Keras writes into
``history.history``, and :func:`best_first` ranks scores that way. Every function of dlnotes that
picks a best epoch or ranks runs goes through them.
"""

from __future__ import annotations

from ._binary import apply_threshold, binary_report, confusion_matrix, threshold_curve
from ._direction import HIGHER_IS_BETTER as HIGHER_IS_BETTER  # the tables: data, kept out of __all__
from ._direction import LOWER_IS_BETTER as LOWER_IS_BETTER
from ._direction import MODES as MODES
from ._direction import best_first, metric_direction
from ._multiclass import classification_report, most_confused, multiclass_confusion_matrix, top_k_accuracy
from ._ranking import (
    average_precision,
    brier_score,
    precision_recall_curve,
    reliability_curve,
    roc_auc,
    roc_curve,
)

__all__ = [
    "apply_threshold",
    "confusion_matrix",
    "binary_report",
    "threshold_curve",
    "multiclass_confusion_matrix",
    "classification_report",
    "top_k_accuracy",
    "most_confused",
    "roc_curve",
    "precision_recall_curve",
    "roc_auc",
    "average_precision",
    "reliability_curve",
    "brier_score",
    "metric_direction",
    "best_first",
]
