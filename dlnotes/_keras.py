"""The Keras plumbing several chapters share: the optimizer table, the tf.data pipeline, the batching rule.

Chapter 1 (:func:`dlnotes.design.compare_optimizers`) and chapters 4 to 6 (:mod:`dlnotes.tips`) train
Keras models the same way, so the pieces live here once:

- :data:`OPTIMIZERS` and :func:`make_optimizer`: the optimizer names the book uses, with Keras's own
  default learning rates;
- :func:`shuffles`: the batching rule (reshuffle every epoch only when an epoch has several batches);
- :func:`dataset`: arrays to a lean ``tf.data.Dataset`` (the public, checked entry point is
  :func:`dlnotes.tips.to_dataset`);
- :func:`probability_cross_entropy`: binary cross-entropy of *probabilities*, as Keras computes it.

Inputs are assumed checked by the public caller. Keras is imported inside the functions.
"""

from __future__ import annotations

import logging
from contextlib import contextmanager
from typing import Any, Iterator, NamedTuple

import numpy as np


class OptimizerSpec(NamedTuple):
    """How to make one of the book's optimizers: Keras class name, default learning rate, extra arguments."""

    keras_class: str
    learning_rate: float
    options: dict[str, float]
    title: str


#: The optimizers the book compares; the learning rates are Keras's defaults (momentum is SGD with 0.9).
OPTIMIZERS: dict[str, OptimizerSpec] = {
    "sgd": OptimizerSpec("SGD", 0.01, {}, "SGD"),
    "momentum": OptimizerSpec("SGD", 0.01, {"momentum": 0.9}, "SGD with momentum"),
    "adam": OptimizerSpec("Adam", 0.001, {}, "Adam"),
    "rmsprop": OptimizerSpec("RMSprop", 0.001, {}, "RMSprop"),
}

#: Keras clips probabilities to [eps, 1 - eps] inside its cross-entropy losses.
EPSILON = 1e-7


def make_optimizer(name: str, learning_rate: float | None = None) -> Any:
    """A fresh Keras optimizer for a name of :data:`OPTIMIZERS`; ``None`` uses its default learning rate."""
    from ._backend import import_keras

    spec = OPTIMIZERS[name]
    rate = spec.learning_rate if learning_rate is None else learning_rate
    return getattr(import_keras().optimizers, spec.keras_class)(learning_rate=rate, **spec.options)


def shuffles(batch_size: int | None, n_samples: int) -> bool:
    """The batching rule: reshuffle every epoch only when an epoch has several batches.

    One full batch (``batch_size`` None or at least ``n_samples``) gives the same gradient in any
    order, so it keeps a fixed order and its sums repeat to the last bit.
    """
    return batch_size is not None and batch_size < n_samples


def dataset(X: np.ndarray, y: np.ndarray, batch_size: int | None, *, shuffle: bool, seed: int) -> Any:
    """Checked arrays as a ``tf.data.Dataset`` of float32 batches on one private thread, without autotuning."""
    from ._backend import import_tensorflow

    tf = import_tensorflow()
    data = tf.data.Dataset.from_tensor_slices((X.astype(np.float32), y.astype(np.float32)))
    if shuffle:
        data = data.shuffle(len(X), seed=seed, reshuffle_each_iteration=True)
    data = data.batch(len(X) if batch_size is None else batch_size)
    options = tf.data.Options()
    options.autotune.enabled = False
    options.threading.private_threadpool_size = 1
    options.experimental_optimization.apply_default_optimizations = False
    return data.with_options(options)


def probability_cross_entropy(y: np.ndarray, p: np.ndarray) -> float:
    """Mean binary cross-entropy of probabilities ``p`` (clipped to [eps, 1 - eps]) against 0/1 labels ``y``.

    The lesson's form is the one from logits, ``log(1 + exp(z)) - y z`` (see :mod:`dlnotes.scratch`),
    which never takes ``log(0)``. A Keras model with a sigmoid output hands back probabilities, not
    logits, so to give the number ``model.evaluate`` gives, this clips them as Keras does.
    """
    p = np.clip(np.asarray(p, dtype=np.float64).reshape(-1), EPSILON, 1.0 - EPSILON)
    return float(-np.mean(y * np.log(p) + (1 - y) * np.log(1.0 - p)))


@contextmanager
def quiet_retracing() -> Iterator[None]:
    """Silence TensorFlow's "triggered tf.function retracing" warning inside the block.

    Training one new model per configuration traces new functions by design (:func:`dlnotes.tips.grid_search`);
    TensorFlow then warns about retracing on its Python logger, which would only alarm a reader.
    Errors are still shown.
    """
    logger = logging.getLogger("tensorflow")
    level = logger.level
    logger.setLevel(logging.ERROR)
    try:
        yield
    finally:
        logger.setLevel(level)
