"""The Keras plumbing several chapters share: the optimizer table, the tf.data pipeline, the batching rule.

Chapters 1 and 4 (:func:`dlnotes.training.compare`) and chapters 4 to 6 (:mod:`dlnotes.training`,
:mod:`dlnotes.search`) train Keras models the same way, so the pieces live here once:

- :data:`OPTIMIZERS` and :func:`make_optimizer`: the optimizer names the book uses, with Keras's own
  default learning rates;
- :func:`shuffles`: the batching rule (reshuffle every epoch only when an epoch has several batches);
- :func:`dataset`: arrays to a lean ``tf.data.Dataset`` (the public, checked entry point is
  :func:`dlnotes.data.to_dataset`);
- :func:`check_replicas`: refuse to train on several replicas with a Keras that trains them wrongly;
- :func:`numpy_mlp_layers`: the Dense layers of a Keras model that ``NumpyMLP.from_keras`` can copy exactly.

Inputs are assumed checked by the public caller. Keras is imported inside the functions.
"""

from __future__ import annotations

import functools
import logging
import re
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any, NamedTuple

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

#: The first Keras whose ``model.fit`` trains a model replicated on several devices as one device
#: would (measured with TensorFlow 2.16.2, issue 16). Before it, under ``MirroredStrategy`` with two
#: replicas: Keras 3.3 and 3.4 never sum the replicas' gradients (``optimizer.apply_gradients`` asks
#: for the all-reduce inside ``merge_call``, where there is no replica context, so it is skipped):
#: each replica applies its own gradient and the "mirrored" copies drift apart; Keras 3.5 to 3.7 sum
#: them but do not divide each replica's mean loss by the number of replicas, so the gradient applied
#: is that many times the whole batch's (with SGD, a learning rate that many times larger); and
#: before 3.7 the loss ``fit`` reports is the first replica's only (its variables had no aggregation).
KERAS_FOR_REPLICATED_FIT = (3, 8)
#: The first Keras whose ``optimizer.apply_gradients`` sums the replicas' gradients (the all-reduce a
#: hand-written step with ``strategy.run`` relies on, :func:`dlnotes.distributed.train_custom`).
KERAS_FOR_REPLICATED_STEP = (3, 5)

#: Keras clips probabilities to [eps, 1 - eps] inside its cross-entropy losses.
EPSILON = 1e-7


#: Metric names ``model.compile`` accepts besides those ``keras.metrics.get`` knows (it picks the
#: accuracy or cross-entropy that suits the loss).
COMPILE_METRIC_ALIASES = ("accuracy", "acc", "crossentropy", "ce")


def keras_knows(kind: str, name: str) -> bool:
    """Whether Keras's own ``keras.<kind>.get(name)`` (``kind``: ``"metrics"``, ``"losses"``, ``"activations"``,
    ``"optimizers"``) accepts ``name`` as something usable (not an abstract base such as ``Metric``)."""
    from ._backend import import_keras

    if kind == "metrics" and name in COMPILE_METRIC_ALIASES:
        return True
    try:
        found = getattr(import_keras(), kind).get(name)
    except Exception:  # Keras raises ValueError for an unknown name, others for odd ones
        return False
    return type(found).__name__ not in ("Metric", "Loss", "Optimizer")


@functools.cache
def keras_names(kind: str) -> tuple[str, ...]:
    """The lower-case names :func:`keras_knows`, sorted: asked of the installed Keras, so never out of date."""
    from ._backend import import_keras

    names = set(COMPILE_METRIC_ALIASES) if kind == "metrics" else set()
    for attr in dir(getattr(import_keras(), kind)):
        if attr.startswith("_") or attr in ("get", "serialize", "deserialize"):
            continue
        for candidate in {attr.lower(), re.sub(r"(?<=[a-z0-9])(?=[A-Z])", "_", attr).lower()}:
            if candidate not in names and keras_knows(kind, candidate):
                names.add(candidate)
    return tuple(sorted(names))  # cached: the installed Keras does not change while Python runs


def activation_keeps_shape(name: str) -> bool:
    """Whether the Keras activation ``name`` works on its own and keeps the number of units ('glu' halves them)."""
    from ._backend import import_keras

    keras = import_keras()
    try:
        return tuple(keras.activations.get(name)(keras.ops.zeros((1, 4))).shape) == (1, 4)
    except Exception:  # e.g. 'threshold', which needs more arguments
        return False


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
    data = data.batch(len(X) if batch_size is None else min(batch_size, len(X)))  # 2**70 is one batch too
    options = tf.data.Options()
    options.autotune.enabled = False
    options.threading.private_threadpool_size = 1
    options.experimental_optimization.apply_default_optimizations = False
    return data.with_options(options)


def version_tuple(version: str) -> tuple[int, int]:
    """``(major, minor)`` of a version string such as ``"3.15.1"`` or ``"3.8.0.dev2025"``, to compare as numbers.

    >>> version_tuple("3.15.1") > version_tuple("3.8.0")
    True
    """
    found = re.match(r"(\d+)\.(\d+)", version)
    if found is None:
        raise ValueError(f"cannot read a version number from {version!r}; expected e.g. '3.8.0'")
    return int(found.group(1)), int(found.group(2))


def installed_keras_version() -> str:
    """The installed Keras's version, without importing Keras (and TensorFlow) when it is not loaded yet."""
    import sys

    if "keras" in sys.modules:
        return sys.modules["keras"].__version__
    from importlib.metadata import PackageNotFoundError, version

    try:
        return version("keras")
    except PackageNotFoundError:  # e.g. a keras-nightly build: ask the module itself
        from ._backend import import_keras

        return import_keras().__version__


def check_replicas(
    replicas: int,
    needed: tuple[int, int],
    what: str,
    *,
    subject: str | None = None,
    keras_version: str | None = None,
) -> None:
    """Refuse to train on several replicas when the installed Keras trains them wrongly.

    ``replicas`` is ``strategy.num_replicas_in_sync``; ``needed`` is :data:`KERAS_FOR_REPLICATED_FIT`
    or :data:`KERAS_FOR_REPLICATED_STEP`; ``what`` names the caller's way of training and
    ``subject`` the argument that asked for the replicas, for the message. One replica is always
    accepted: the bugs are in how replicas are combined. ``keras_version`` defaults to the installed one.

    >>> check_replicas(2, KERAS_FOR_REPLICATED_FIT, "model.fit", keras_version="3.10.0")  # 3.10 > 3.8: fine
    >>> check_replicas(1, KERAS_FOR_REPLICATED_FIT, "model.fit", keras_version="3.3.3")  # one replica: fine
    """
    if replicas == 1:
        return
    keras_version = installed_keras_version() if keras_version is None else keras_version
    if version_tuple(keras_version) >= needed:
        return
    want = ".".join(map(str, needed))
    if needed == KERAS_FOR_REPLICATED_FIT:
        why = (
            "before 3.8, fit on several replicas does not train what one device trains (Keras 3.3 and 3.4 "
            "never sum the replicas' gradients, so their copies of the model drift apart; 3.5 to 3.7 apply "
            "as many times the batch's gradient as there are replicas; before 3.7 the loss reported is the "
            "first replica's only)"
        )
    else:
        why = (
            f"before {want}, optimizer.apply_gradients does not sum the replicas' gradients: each replica "
            "applies its own and their copies of the model drift apart"
        )
    subject = subject or f"strategy has {replicas} replicas in sync"
    raise RuntimeError(
        f"{subject}, and {what} needs Keras >= {want} for more than one replica; found Keras {keras_version}: "
        f"{why}. Fix: pip install 'keras>={want}', or train on one replica (outside any strategy's scope, "
        "or with a strategy of one device)"
    )


@contextmanager
def quiet_retracing() -> Iterator[None]:
    """Silence TensorFlow's "triggered tf.function retracing" warning inside the block.

    Training one new model per configuration traces new functions by design (:func:`dlnotes.search.grid_search`);
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


def numpy_mlp_layers(keras: Any, model: Any) -> list[Any]:
    """The layers of ``model`` if :class:`dlnotes.scratch.NumpyMLP` computes exactly what it computes; else an
    error naming the layer (for ``NumpyMLP.from_keras``)."""
    if not isinstance(model, keras.Sequential):
        raise TypeError(f"model must be a keras.Sequential of Dense layers, got {type(model).__name__}")
    layers = list(model.layers)
    if not layers:
        raise ValueError("model has no layers; NumpyMLP needs at least one Dense layer")
    for i, layer in enumerate(layers):
        if not isinstance(layer, keras.layers.Dense):
            raise ValueError(
                f"model layer {i} ({layer.name!r}) is of type {type(layer).__name__}; NumpyMLP copies "
                "only Dense layers (no Dropout, normalisation or separate Activation layers)"
            )
    for i, layer in enumerate(layers):
        _check_dense_layer(keras, i, layer, last=i == len(layers) - 1)
    if layers[-1].units != 1:
        raise ValueError(
            f"model's output layer has {layers[-1].units} units; NumpyMLP needs exactly 1 sigmoid unit"
        )
    input_shape = tuple(model.inputs[0].shape) if getattr(model, "inputs", None) else None
    if input_shape is not None and len(input_shape) != 2:
        raise ValueError(
            f"model takes inputs of shape {input_shape[1:]} per sample; NumpyMLP needs a flat vector of "
            "features, keras.Input(shape=(n_features,))"
        )
    return layers


def check_numpy_mlp_model(model: Any, name: str = "model") -> Any:
    """``model`` if :func:`numpy_mlp_layers` accepts it (a check of ``dlnotes._checks``; Keras imported here)."""
    from ._backend import import_keras

    numpy_mlp_layers(import_keras(), model)
    return model


def _check_dense_layer(keras: Any, i: int, layer: Any, *, last: bool) -> None:
    """One Dense layer: built, trainable, with biases, no regulariser, ReLU (hidden) or sigmoid (output)."""
    if not layer.built:
        raise ValueError(
            "model is not built, so its weights do not exist yet; start it with "
            "keras.Input(shape=(n_features,)) or call it on data once"
        )
    wanted = keras.activations.sigmoid if last else keras.activations.relu
    if layer.activation is not wanted:
        got = getattr(layer.activation, "__name__", type(layer.activation).__name__)
        where = "the output layer" if last else "every hidden layer"
        raise ValueError(
            f"model layer {i} ({layer.name!r}) has activation {got!r}; NumpyMLP needs {wanted.__name__!r} in {where}"
        )
    if not layer.use_bias:
        raise ValueError(f"model layer {i} ({layer.name!r}) has use_bias=False; NumpyMLP needs biases")
    if any(
        r is not None for r in (layer.kernel_regularizer, layer.bias_regularizer, layer.activity_regularizer)
    ):
        raise ValueError(
            f"model layer {i} ({layer.name!r}) has a regulariser; NumpyMLP computes the plain cross-entropy only"
        )
    if not layer.trainable:
        raise ValueError(
            f"model layer {i} ({layer.name!r}) is frozen (trainable=False); NumpyMLP trains every layer"
        )
