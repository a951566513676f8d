"""Batches: an epoch cut into mini-batches, as index lists (:func:`batch_indices`, for the NumPy
network of chapter 2) and as a lean ``tf.data`` pipeline (:func:`to_dataset`, for ``model.fit``).
Both are public in :mod:`dlnotes.data`."""

from __future__ import annotations

from typing import Any

import numpy as np

from . import _checks as checks
from . import _keras
from ._checks import checked
from ._validation import check_same_length

__all__ = ["to_dataset", "batch_indices"]


@checked(
    X=checks.array(ndim=2, float32=True),
    y=checks.array(ndim=(1, 2), float32=True),
    batch_size=checks.optional(checks.positive_int),
    shuffle=checks.boolean,
    seed=checks.seed,
)
def to_dataset(X: Any, y: Any, *, batch_size: int | None = None, shuffle: bool = False, seed: int = 0) -> Any:
    """Turn arrays into a small, fast ``tf.data.Dataset`` of ``(features, labels)`` batches.

    ``model.fit(X, y)`` with NumPy arrays builds a parallel input pipeline (threads, prefetching,
    autotuning) and starts it again at every epoch. For data that fit in memory and a model that
    takes a millisecond per step, that set-up costs more than the training itself. This dataset
    holds the arrays as ``float32`` tensors and runs on a single private thread without autotuning,
    so an epoch of a tiny model is several times faster. Pass it to ``model.fit(dataset, ...,
    shuffle=False)``: the dataset shuffles itself, and ``shuffle=False`` tells Keras not to warn
    that it cannot.

    Parameters
    ----------
    X : array of shape (n_samples, n_features)
    y : array of shape (n_samples,) or (n_samples, k)
    batch_size : int, optional
        Samples per batch; by default all of them (one batch per epoch: full-batch gradient descent).
    shuffle : bool
        Shuffle the samples again at every epoch (every new iterator), in an order fixed by ``seed``.
    seed : int
        Seed of the shuffle; the same seed gives the same sequence of epoch orders.

    Returns
    -------
    tf.data.Dataset
        Batches of ``(float32 features, float32 labels)``.

    Examples
    --------
    >>> ds = to_dataset([[0.0, 1.0], [2.0, 3.0], [4.0, 5.0]], [0, 1, 1], batch_size=2)
    >>> [tuple(x.shape) for x, y in ds]
    [(2, 2), (1, 2)]
    """
    check_same_length(X, "X", y, "y")
    return _keras.dataset(X, y, batch_size, shuffle=shuffle, seed=seed)


@checked(
    n_samples=checks.integer(minimum=1, maximum=10**9),  # beyond: 8 GB of indices
    batch_size=checks.positive_int,
    seed=checks.random_state,
)
def batch_indices(
    n_samples: int, batch_size: int, *, seed: int | np.random.Generator | None = None
) -> list[np.ndarray]:
    """Split the sample indices ``0 .. n_samples - 1`` into mini-batches, as one epoch of ``fit`` does.

    There are ``ceil(n_samples / batch_size)`` batches (the *steps* of an epoch); all hold
    ``batch_size`` samples except the last, which holds what is left over.

    Parameters
    ----------
    n_samples : int
        Number of training samples, at least 1.
    batch_size : int
        Samples per batch, at least 1. A batch size above ``n_samples`` gives one batch.
    seed : int, numpy.random.Generator or None
        ``None`` keeps the samples in order; an integer shuffles them first with
        ``np.random.default_rng(seed)``; a ``Generator`` shuffles them with its next permutation (so one
        generator gives every epoch of :meth:`dlnotes.scratch.NumpyMLP.fit` a new order).

    Returns
    -------
    list of ndarray of int
        One array of sample indices per batch.

    Examples
    --------
    The source's example: 100 samples in batches of 16 make 7 steps, the last one of 4 samples.

    >>> [len(batch) for batch in batch_indices(100, 16)]
    [16, 16, 16, 16, 16, 16, 4]
    >>> [batch.tolist() for batch in batch_indices(5, 2, seed=0)]
    [[2, 4], [3, 0], [1]]
    """
    if seed is None:
        order = np.arange(n_samples)
    elif isinstance(seed, np.random.Generator):
        order = seed.permutation(n_samples)
    else:
        order = np.random.default_rng(seed).permutation(n_samples)
    return [order[start : start + batch_size] for start in range(0, n_samples, batch_size)]
