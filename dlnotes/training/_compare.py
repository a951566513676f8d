"""One network from the same initial weights, trained with each of several optimizers (chapter 1)."""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from typing import Any

import numpy as np

from .. import _checks as checks
from .._checks import checked
from .._keras import dataset, make_optimizer, probability_cross_entropy, shuffles
from .._validation import (
    check_array,
    check_binary_labels,
    check_choice,
    check_float32_range,
    check_same_length,
    describe,
)
from ..models import build_mlp
from ._fit import OPTIMIZERS

__all__ = ["compare_optimizers"]


@checked(
    hidden=checks.sizes(min_len=0, example="(128, 64)"),
    epochs=checks.positive_int,
    batch_size=checks.positive_int,
    seed=checks.seed,
)
def compare_optimizers(
    X: Any,
    y: Any,
    optimizers: Sequence[str] | Mapping[str, Callable[[], Any]] = ("sgd", "momentum", "adam"),
    *,
    hidden: Sequence[int] = (128, 64),
    epochs: int = 30,
    batch_size: int = 32,
    seed: int = 0,
) -> dict[str, list[float]]:
    """Train the same binary classifier from the same initial weights with each optimizer.

    One network ``build_mlp(n_features, hidden)`` is built with ``seed``; every optimizer then
    trains a copy of it with those exact initial weights, the same batches in the same order
    (the seed is reset before each ``fit``) and binary cross-entropy, so the optimizer is the only
    difference. After every epoch the loss on the whole of ``(X, y)`` is computed with the weights
    at that moment (not Keras's running average over the epoch's batches).

    Parameters
    ----------
    X : array of shape (n_samples, n_features)
    y : array of shape (n_samples,) with labels 0 and 1
    optimizers : sequence of str, or mapping of label -> callable
        Names among ``"sgd"`` (SGD, learning rate 0.01), ``"momentum"`` (SGD, 0.01, momentum 0.9),
        ``"adam"`` (Adam, 0.001) and ``"rmsprop"`` (RMSprop, 0.001), the Keras defaults; or a dict
        mapping a label to a function that returns a new Keras optimizer, e.g.
        ``{"SGD lr 0.1": lambda: keras.optimizers.SGD(0.1)}``.
    hidden : sequence of int
        Hidden layer sizes of the network.
    epochs, batch_size : int
        Training length and batch size (use ``len(X)`` for full-batch gradient descent).
    seed : int
        Seed for the initial weights and the shuffling.

    Returns
    -------
    dict of str -> list of float
        For each optimizer (keyed by its name or label), ``epochs + 1`` losses: element 0 is the
        loss of the initial weights (the same for every optimizer), element ``i`` the loss after
        epoch ``i``.

    Examples
    --------
    >>> from dlnotes.data import make_pattern_data
    >>> X, y = make_pattern_data(64, 3, seed=0)
    >>> curves = compare_optimizers(X, y, ["sgd", "adam"], hidden=(4,), epochs=2, seed=0)
    >>> {name: len(losses) for name, losses in curves.items()}
    {'sgd': 3, 'adam': 3}
    >>> curves["sgd"][0] == curves["adam"][0]  # same initial weights
    True
    """
    X = check_float32_range(check_array(X, "X", ndim=2), "X")
    y = check_binary_labels(y, "y")
    check_same_length(X, "X", y, "y")
    makers = _optimizer_makers(optimizers)

    from .._backend import import_keras

    keras = import_keras()
    made = {label: make() for label, make in makers.items()}  # checked before any model is built
    for label, optimizer in made.items():
        if not isinstance(optimizer, keras.optimizers.Optimizer):
            raise TypeError(
                f"optimizers[{label!r}] must return a Keras optimizer such as keras.optimizers.SGD(0.01), "
                f"got {describe(optimizer)}"
            )
    keras.utils.set_random_seed(seed)
    initial = build_mlp(X.shape[1], hidden).get_weights()
    curves: dict[str, list[float]] = {}
    for label, optimizer in made.items():
        model = build_mlp(X.shape[1], hidden)
        model.set_weights(initial)
        model.compile(optimizer=optimizer, loss="binary_crossentropy")
        tracker = _full_data_loss(keras, X, y)
        # A fresh, seeded pipeline per optimizer, so each one sees the same batches in the same order.
        # (A tf.data pipeline made once is also about twice as fast as fit's per-epoch handling of arrays.)
        keras.utils.set_random_seed(seed)
        batches = dataset(X, y, batch_size, shuffle=shuffles(batch_size, len(X)), seed=seed)
        model.fit(batches, epochs=epochs, shuffle=False, verbose=0, callbacks=[tracker])
        curves[label] = tracker.losses
    return curves


def _optimizer_makers(optimizers: Any) -> dict[str, Callable[[], Any]]:
    """label -> a function making a fresh optimizer, from a list of names or a dict of label -> function."""
    if isinstance(optimizers, Mapping):
        for label, make in optimizers.items():
            if not isinstance(label, str) or not callable(make):
                raise TypeError(
                    "optimizers, when a dict, must map a label (str) to a function returning a new Keras "
                    f"optimizer, got {label!r}: {describe(make)}"
                )
        makers = dict(optimizers)
    elif isinstance(optimizers, (str, bytes)) or not isinstance(optimizers, Sequence):
        raise TypeError(
            f"optimizers must be a list of names from {list(OPTIMIZERS)} or a dict of label -> "
            f"function, got {describe(optimizers)}"
        )
    else:
        names = [check_choice(name, f"optimizers[{i}]", OPTIMIZERS) for i, name in enumerate(optimizers)]
        makers = {name: (lambda name=name: make_optimizer(name)) for name in names}
    if not makers:
        raise ValueError("optimizers is empty; give at least one optimizer to compare")
    if len(makers) != len(optimizers):
        raise ValueError(f"optimizers has repeated names: {list(optimizers)}")
    return makers


def _full_data_loss(keras: Any, X: np.ndarray, y: np.ndarray) -> Any:
    """A callback recording the loss on all of ``(X, y)`` before training and after every epoch.

    Keras's own ``loss`` is a running average over the epoch's batches, taken while the weights
    move; this is the loss of the weights at that moment, as :func:`compare_optimizers` promises.
    """
    X32 = X.astype(np.float32)

    class FullDataLoss(keras.callbacks.Callback):
        def __init__(self) -> None:
            super().__init__()
            self.losses: list[float] = []

        def _record(self) -> None:
            self.losses.append(probability_cross_entropy(y, np.asarray(self.model(X32, training=False))))

        def on_train_begin(self, logs: Any = None) -> None:
            self._record()

        def on_epoch_end(self, epoch: int, logs: Any = None) -> None:
            self._record()

    return FullDataLoss()
