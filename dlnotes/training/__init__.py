"""Training: seeded build-compile-fit runs of a binary classifier, and comparisons of runs.

- :func:`train_mlp` builds, compiles and trains a binary classifier in one seeded call;
- :func:`compare_optimizers` trains one network from the same initial weights with several
  optimizers (chapter 1), :func:`learning_rate_sweep` at several learning rates (chapter 4,
  :class:`LearningRateSweep`);
- :class:`LearningRateRangeTest` (a callback) and :func:`lr_range_test` raise the learning rate
  batch by batch in one short run and record the loss (chapter 5b, :class:`RangeTestResult`).

All models here are binary classifiers: a sigmoid output unit trained with binary cross-entropy.
Keras is imported inside the functions that need it, so ``import dlnotes`` stays light; the
pictures of these results are in :mod:`dlnotes.plots`.
"""

from __future__ import annotations

from ._compare import compare_optimizers
from ._fit import OPTIMIZERS as OPTIMIZERS
from ._fit import train_mlp
from ._range_test import LearningRateRangeTest, RangeTestResult, lr_range_test
from ._sweep import LearningRateSweep, learning_rate_sweep

__all__ = [
    "train_mlp",
    "compare_optimizers",
    "LearningRateSweep",
    "learning_rate_sweep",
    "LearningRateRangeTest",
    "RangeTestResult",
    "lr_range_test",
]
