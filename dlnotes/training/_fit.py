"""One seeded build-compile-fit run of a binary classifier: :func:`train_mlp`."""

from __future__ import annotations

import math
from collections.abc import Sequence
from typing import Any

import numpy as np

from .. import _checks as checks
from .. import _keras
from .._checks import Check, checked
from .._validation import check_X_y, describe, did_you_mean
from ..models import build_mlp

__all__ = ["train_mlp", "check_validation_data", "stop_when_not_finite", "OPTIMIZERS"]
__all__ += ["OPTION_CHECKS", "KERAS_OPTIONS"]

OPTIMIZERS = tuple(_keras.OPTIMIZERS)  # "sgd", "momentum", "adam", "rmsprop": one table, in dlnotes._keras


def check_validation_data(
    validation_data: Any,
    n_features: int,
    *,
    required: bool = False,
) -> tuple[np.ndarray, np.ndarray] | None:
    """``validation_data`` as checked arrays, or None (if not ``required``); ``n_features`` is the
    training data's (``X``)."""
    if validation_data is None and not required:
        return None
    if not isinstance(validation_data, (tuple, list)) or len(validation_data) != 2:
        raise TypeError(
            f"validation_data must be a pair (X_val, y_val){'' if required else ' or None'}, got "
            f"{describe(validation_data)}"
        )
    x_name, y_name = "validation_data[0]", "validation_data[1]"
    X_val, y_val = check_X_y(validation_data[0], validation_data[1], x_name, y_name, float32=True)
    if X_val.shape[1] != n_features:
        raise ValueError(f"{x_name} has {X_val.shape[1]} features but X has {n_features}; they must match")
    return X_val, y_val


#: The options of :func:`train_mlp` that define a run, and the check each value must pass: one
#: declaration that ``train_mlp``, :func:`dlnotes.training.compare` and
#: :func:`dlnotes.search.grid_search` (for the values they vary or hold fixed) all use, so a value is
#: refused with the same message wherever it is given.
OPTION_CHECKS: dict[str, Check] = {
    "hidden": checks.sizes(min_len=0, example="(32,)"),
    "activation": checks.activation,
    "dropout": checks.number(0.0, 1.0, high_inclusive=False),
    "optimizer": checks.choice(OPTIMIZERS),
    "learning_rate": checks.optional(checks.learning_rate),
    "epochs": checks.positive_int,
    "batch_size": checks.optional(checks.positive_int),
    "seed": checks.seed,
}
#: Keras's own keywords that :func:`train_mlp` passes on, each checked before training: ``metrics``
#: to ``model.compile``, ``callbacks`` to ``model.fit``. They do not define a run (a search or a
#: comparison cannot vary them), so they stay out of the signature, as ``**keras_options``.
KERAS_OPTIONS: dict[str, Check] = {"metrics": checks.metrics, "callbacks": checks.callbacks}


@checked(**OPTION_CHECKS, **KERAS_OPTIONS)
def train_mlp(
    X: Any,
    y: Any,
    *,
    validation_data: tuple[Any, Any] | None = None,
    hidden: Sequence[int] = (32,),
    activation: str = "relu",
    dropout: float = 0.0,
    optimizer: str = "adam",
    learning_rate: float | None = None,
    epochs: int = 30,
    batch_size: int | None = 32,
    seed: int = 0,
    **keras_options: Any,
) -> Any:
    """Build, compile and train a binary classifier in one seeded call; return its ``History``.

    The network is :func:`dlnotes.models.build_mlp` (``hidden`` layers, one sigmoid output unit),
    compiled with binary cross-entropy and accuracy, and trained with ``model.fit`` on
    :func:`dlnotes.data.to_dataset` batches reshuffled every epoch (a single full batch keeps its order). The same
    ``seed`` gives the same initial weights, the same batch order and the same dropout masks, so two
    calls with equal arguments print the same numbers.

    Parameters
    ----------
    X : array of shape (n_samples, n_features)
    y : array of shape (n_samples,) with labels 0 and 1
    validation_data : pair (X_val, y_val), optional
        Evaluated after every epoch, as one batch; gives the ``val_`` entries of the history.
    hidden : sequence of int
        Units of each hidden layer.
    activation : str
        Activation of the hidden layers.
    dropout : float
        Dropout rate after each hidden layer, in [0, 1).
    optimizer : {"sgd", "momentum", "adam", "rmsprop"}
        ``"momentum"`` is SGD with momentum 0.9.
    learning_rate : float, optional
        Positive step size of the optimizer; ``None`` for Keras's default of that optimizer (0.01 for
        ``"sgd"`` and ``"momentum"``, 0.001 for ``"adam"`` and ``"rmsprop"``).
    epochs : int
    batch_size : int or None
        Samples per step; ``None`` for the whole training set (full-batch gradient descent).
    seed : int
    **keras_options
        Keras's own keywords, passed on (each checked before training):

        - ``metrics`` (sequence of str or ``keras.metrics.Metric``, default ``("accuracy",)``):
          to ``model.compile``, besides the loss; ``()`` for none, which makes the first epoch
          (when TensorFlow traces the training step) about twice as fast.
        - ``callbacks`` (sequence of ``keras.callbacks.Callback``, default ``()``): to
          ``model.fit``, e.g. ``[keras.callbacks.EarlyStopping(...)]``.

    Distributed training is the Keras idiom: call ``train_mlp`` inside ``with strategy.scope():``
    (e.g. a ``tf.distribute.MirroredStrategy`` over several devices, chapter 7). The model is then
    built and compiled under that strategy, and ``fit`` is fed one repeated dataset with
    ``steps_per_epoch``, so that the strategy builds its distributed iterator once, not at every
    epoch (which costs seconds per epoch). Full batches match one device up to rounding;
    mini-batches keep their order (chapter 7), but a last batch the replicas cannot split evenly is
    averaged per replica, so the numbers drift apart. A strategy of several replicas needs a Keras
    whose ``model.fit`` trains the replicas as one device (3.8 or newer); an older one is refused
    with the reason (the README's "Several replicas need a newer Keras").

    Raises
    ------
    RuntimeError
        If called in the scope of a strategy of several replicas and the installed Keras is older
        than 3.8.

    Returns
    -------
    keras.callbacks.History
        ``history.history`` holds ``loss`` and each metric per epoch (and ``val_loss``,
        ``val_accuracy``, ... with ``validation_data``); ``history.model`` is the trained model.
        A run whose loss becomes NaN or infinite is stopped at the end of that epoch, so it diverged
        exactly when the last ``history.history["loss"]`` is not finite.

    Examples
    --------
    >>> from dlnotes.data import make_pattern_data
    >>> X, y = make_pattern_data(40, 3, seed=0)
    >>> history = train_mlp(X, y, validation_data=(X, y), hidden=(4,), epochs=2, seed=0)
    >>> sorted(history.history), len(history.history["loss"])
    (['accuracy', 'loss', 'val_accuracy', 'val_loss'], 2)
    """
    X, y = check_X_y(X, y, "X", "y", float32=True)
    validation = check_validation_data(validation_data, X.shape[1])
    _check_keras_options(keras_options)
    options: dict[str, Any] = dict(hidden=hidden, activation=activation, dropout=dropout, seed=seed)
    options.update(optimizer=optimizer, learning_rate=learning_rate)
    options["metrics"] = keras_options.get("metrics", ["accuracy"])

    from .._backend import import_keras, import_tensorflow

    keras, tf = import_keras(), import_tensorflow()
    strategy = tf.distribute.get_strategy() if tf.distribute.has_strategy() else None  # `with ....scope():`
    if strategy is not None:
        _keras.check_replicas(
            strategy.num_replicas_in_sync, _keras.KERAS_FOR_REPLICATED_FIT, "train_mlp (model.fit)"
        )
    model = _build(X.shape[1], options)
    train, val, steps = _datasets(X, y, validation, batch_size, seed, repeat=strategy is not None)
    stop = stop_when_not_finite(keras)
    history = model.fit(
        train,
        steps_per_epoch=steps,
        validation_data=val,
        epochs=epochs,
        callbacks=[*keras_options.get("callbacks", []), stop],
        verbose=0,
        shuffle=False,
    )
    return history


def _check_keras_options(keras_options: dict[str, Any]) -> None:
    """Only the keywords of :data:`KERAS_OPTIONS` (their values are checked by the declaration)."""
    for name in keras_options:
        if name not in KERAS_OPTIONS:
            known = [*OPTION_CHECKS, *KERAS_OPTIONS]
            raise TypeError(
                f"train_mlp got an unexpected keyword argument {name!r}{did_you_mean(name, known)}; "
                f"it takes validation_data and {known}"
            )


def _datasets(
    X: np.ndarray,
    y: np.ndarray,
    validation: tuple[np.ndarray, np.ndarray] | None,
    batch_size: int | None,
    seed: int,
    *,
    repeat: bool,
) -> tuple[Any, Any, int | None]:
    """The training batches (reshuffled per epoch), the validation data as one batch, and the steps
    per epoch: ``None``, or for a distributed run (``repeat``) one repeated dataset and its steps, so
    that the strategy builds its distributed iterator once for all epochs (chapter 7)."""
    train = _keras.dataset(X, y, batch_size, shuffle=_keras.shuffles(batch_size, len(X)), seed=seed)
    val = None if validation is None else _keras.dataset(*validation, None, shuffle=False, seed=0)
    if not repeat:
        return train, val, None
    return train.repeat(), val, math.ceil(len(X) / (batch_size or len(X)))


def _build(n_features: int, options: dict[str, Any]) -> Any:
    """The network of ``options``, built from ``options["seed"]`` and compiled for binary cross-entropy
    (under the surrounding strategy's scope, if any), with its optimizer's variables created."""
    from .._backend import import_keras

    import_keras().utils.set_random_seed(options["seed"])
    model = build_mlp(
        n_features, options["hidden"], activation=options["activation"], dropout=options["dropout"]
    )
    model.compile(
        optimizer=_keras.make_optimizer(options["optimizer"], options["learning_rate"]),
        loss="binary_crossentropy",
        metrics=options["metrics"] or None,
    )
    # Creating the optimizer's variables now, outside the traced training step, halves the time
    # of the first epoch (the numbers are the same: they start at zero either way).
    model.optimizer.build(model.trainable_variables)
    return model


def stop_when_not_finite(keras: Any) -> Any:
    """A callback that stops training at the end of an epoch whose loss is NaN or infinite.

    Like ``keras.callbacks.TerminateOnNaN`` without its printed message: the history's last loss is
    then the first one that is not finite. ``.diverged`` tells afterwards whether it stopped a run.
    """

    class StopWhenNotFinite(keras.callbacks.Callback):
        diverged = False

        def on_train_begin(self, logs: Any = None) -> None:
            self.diverged = False

        def on_epoch_end(self, epoch: int, logs: Any = None) -> None:
            if not np.isfinite((logs or {}).get("loss", 0.0)):
                self.diverged = True
                self.model.stop_training = True

    return StopWhenNotFinite()
