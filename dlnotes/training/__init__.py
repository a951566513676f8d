"""Training: one seeded build-compile-fit path for a binary classifier, and comparisons of its runs.

- :func:`train_mlp` builds, compiles and trains a binary classifier in one seeded call: the
  package's one build-compile-fit path, which the others call;
- :func:`compare` trains one network from the same start once per value of one option, such as the
  optimizer (chapter 1) or the learning rate (chapter 4), and returns a :class:`Comparison`;
- :class:`LearningRateRangeTest` (a callback) and :func:`lr_range_test` raise the learning rate
  batch by batch in one short run and record the loss (chapter 5b, :class:`RangeTestResult`).

All models here are binary classifiers: a sigmoid output unit trained with binary cross-entropy.
Keras is imported inside the functions that need it, so ``import dlnotes`` stays light; the
pictures of these results are in :mod:`dlnotes.plots`.
"""

from __future__ import annotations

from ._compare import COMPARED as COMPARED
from ._compare import VARIED as VARIED
from ._compare import Comparison, compare
from ._fit import OPTIMIZERS as OPTIMIZERS
from ._fit import train_mlp
from ._range_test import LearningRateRangeTest, RangeTestResult, lr_range_test

__all__ = [
    "train_mlp",
    "compare",
    "Comparison",
    "LearningRateRangeTest",
    "RangeTestResult",
    "lr_range_test",
]
