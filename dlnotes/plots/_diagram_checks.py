"""The kinds of argument only chapter 1's diagrams take (dlnotes/plots/_diagrams.py), declared with
:func:`dlnotes._checks.checked`: activation names, a range of z, logits, the points of a plane."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import numpy as np

from .. import _checks as checks
from .._checks import Check
from .._validation import check_choice, check_float, describe

#: The activations :func:`dlnotes.plots.plot_activations` can draw (element-wise ones).
PLOTTABLE_ACTIVATIONS = ("linear", "relu", "sigmoid", "tanh")


def check_plottable(names: Any, name: str = "names") -> list[str]:
    """One name or a non-empty list of names of :data:`PLOTTABLE_ACTIVATIONS`, as a list."""
    if isinstance(names, str):
        names = [names]
    if not isinstance(names, Sequence):
        raise TypeError(f"{name} must be a non-empty list of activation names, got {describe(names)}")
    if len(names) == 0:
        raise ValueError(f"{name} must be a non-empty list of activation names, got an empty one")
    for i, each in enumerate(names):
        if each == "softmax":
            raise ValueError(
                f"{name}: softmax acts on a vector of logits, not on one number; use plot_softmax"
            )
        check_choice(each, f"{name}[{i}]", PLOTTABLE_ACTIVATIONS)
    return list(names)


def check_captions(activations: Any, name: str = "activations") -> Sequence[str]:
    """A sequence of names to write under the layers (any spelling: they are captions)."""
    if isinstance(activations, str) or not isinstance(activations, Sequence):
        raise TypeError(f"{name} must be a sequence of names, got {describe(activations)}")
    return activations


def check_range(value: Any, name: str) -> tuple[float, float]:
    """A pair of finite numbers ``(low, high)`` with ``low < high``."""
    if not isinstance(value, (Sequence, np.ndarray)) or isinstance(value, str) or len(value) != 2:
        raise TypeError(f"{name} must be a pair (low, high), got {describe(value)}")
    low = check_float(value[0], f"{name}[0]")
    high = check_float(value[1], f"{name}[1]")
    if not low < high:
        raise ValueError(f"{name} must have low < high, got ({low:g}, {high:g})")
    return low, high


def check_logits(logits: Any, name: str = "logits") -> np.ndarray:
    """A finite 1-D array of at least 2 values, one per class."""
    z = checks.array(ndim=1)(logits, name)
    if len(z) < 2:
        raise ValueError(f"{name} must hold at least 2 values (one per class), got {len(z)}")
    return z


def check_plane(X: Any, name: str = "X") -> np.ndarray:
    """A finite 2-D array of exactly 2 features: points of a plane."""
    X = checks.array(ndim=2)(X, name)
    if X.shape[1] != 2:
        raise ValueError(f"{name} must have exactly 2 features to draw on a plane, got {X.shape[1]}")
    return X


PLOTTABLE = Check(
    check_plottable,
    (
        (3, TypeError),
        ([], ValueError),
        (["softmax"], ValueError),
        (["relu", "elu"], ValueError),
        ([1], TypeError),
    ),
)
ACTIVATION_NAMES = Check(check_captions, (("relu", TypeError), (3, TypeError)))
X_RANGE = Check(
    check_range, ((5, TypeError), ((5, -5), ValueError), (("a", 1), TypeError), ((0, np.inf), ValueError))
)
LOGITS = Check(check_logits, checks.array(ndim=1).bad + (([1.0], ValueError),))
PLANE = Check(check_plane, checks.array(ndim=2).bad + ((np.zeros((3, 3)), ValueError),))
