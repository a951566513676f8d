"""Plots: every picture of the book, each drawn from a result or from the values it shows.

Matplotlib is imported inside the functions, so ``import dlnotes`` stays light. Every plotter gets
its axes from ``ax=`` (or a new figure), draws a diverged run (NaN) as a gap with a cross, and
returns the ``Axes`` (or the ``Figure`` for several panels). By kind:

- chapter 1's pictures of ideas: :func:`plot_network`, :func:`plot_activations`,
  :func:`plot_softmax`, :func:`plot_losses`, :func:`plot_decision_boundary`;
- training runs: :func:`plot_history` (one run), :func:`plot_curves` (curves by label),
  :func:`plot_histories` (runs side by side), :func:`plot_comparison` and, for learning rates,
  :func:`plot_learning_rate_sweep` (a :class:`dlnotes.training.Comparison`), :func:`plot_search_results` (a
  :class:`dlnotes.search.SearchResult`), :func:`plot_runs` (repeated runs, a
  :class:`dlnotes.search.Runs` per procedure), :func:`plot_range_test` (a
  :class:`dlnotes.training.RangeTestResult`);
- evaluation: :func:`plot_confusion_matrix` (2 or more classes), :func:`plot_threshold_curve`,
  :func:`plot_confused_pairs` (the samples behind a multi-class model's most frequent mistakes);
  beyond one threshold: :func:`plot_roc_curve`, :func:`plot_precision_recall_curve`,
  :func:`plot_reliability_diagram` (each from the dict its metric in :mod:`dlnotes.metrics` returns).

Language: the plotters write English; :func:`use_language` (``use_language("ko")``, or in a ``with``
block) makes them write the Korean edition's labels, with the glossary's terms.
"""

from __future__ import annotations

from .._labels import use_language
from ._classes import plot_confused_pairs
from ._comparison import plot_comparison, plot_learning_rate_sweep
from ._curves import plot_curves, plot_histories, plot_history, plot_search_results
from ._diagrams import plot_activations, plot_decision_boundary, plot_losses, plot_network, plot_softmax
from ._evaluation import plot_confusion_matrix, plot_threshold_curve
from ._range_test import plot_range_test
from ._ranking import plot_precision_recall_curve, plot_reliability_diagram, plot_roc_curve
from ._runs import plot_runs

__all__ = [
    "plot_network",
    "plot_activations",
    "plot_softmax",
    "plot_losses",
    "plot_decision_boundary",
    "plot_history",
    "plot_curves",
    "plot_comparison",
    "plot_histories",
    "plot_learning_rate_sweep",
    "plot_search_results",
    "plot_range_test",
    "plot_runs",
    "plot_confusion_matrix",
    "plot_threshold_curve",
    "plot_confused_pairs",
    "plot_roc_curve",
    "plot_precision_recall_curve",
    "plot_reliability_diagram",
    "use_language",
]
