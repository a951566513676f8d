"""Training: seeded build-compile-fit runs of a binary classifier, and comparisons of runs.

- :func:`train_mlp` builds, compiles and trains a binary classifier in one seeded call;
- :func:`compare_optimizers` trains one network from the same initial weights with several
  optimizers (chapter 1), :func:`learning_rate_sweep` at several learning rates (chapter 4,
  :class:`LearningRateSweep`).

All models here are binary classifiers: a sigmoid output unit trained with binary cross-entropy.
Keras is imported inside the functions that need it, so ``import dlnotes`` stays light; the
pictures of these results are in :mod:`dlnotes.plots`.
"""

from __future__ import annotations

import contextlib
import math
from collections.abc import Callable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np

from . import _keras
from ._keras import dataset, make_optimizer, probability_cross_entropy, shuffles
from ._validation import (
    check_activation,
    check_array,
    check_binary_labels,
    check_callbacks,
    check_choice,
    check_curve,
    check_float,
    check_float32_range,
    check_int,
    check_learning_rate,
    check_metrics,
    check_same_length,
    check_seed,
    check_sizes,
    check_X_y,
    describe,
)
from .metrics import best_first, metric_direction
from .models import build_mlp

__all__ = ["train_mlp", "compare_optimizers", "LearningRateSweep", "learning_rate_sweep"]

OPTIMIZERS = tuple(_keras.OPTIMIZERS)  # "sgd", "momentum", "adam", "rmsprop": one table, in dlnotes._keras


def _check_validation_data(
    validation_data: Any,
    n_features: int,
    *,
    x_name: str = "X_val",
    y_name: str = "y_val",
    train_name: str = "X_train",
) -> tuple[np.ndarray, np.ndarray] | None:
    """``validation_data`` as checked arrays, or None; the names say which argument a message is about."""
    if validation_data is None:
        return None
    if not isinstance(validation_data, (tuple, list)) or len(validation_data) != 2:
        raise TypeError(
            f"validation_data must be a pair (X_val, y_val) or None, got {describe(validation_data)}"
        )
    X_val, y_val = check_X_y(validation_data[0], validation_data[1], x_name, y_name, float32=True)
    if X_val.shape[1] != n_features:
        raise ValueError(
            f"{x_name} has {X_val.shape[1]} features but {train_name} has {n_features}; they must match"
        )
    return X_val, y_val


def train_mlp(
    X_train: Any,
    y_train: Any,
    *,
    validation_data: tuple[Any, Any] | None = None,
    hidden: Sequence[int] = (32,),
    activation: str = "relu",
    dropout: float = 0.0,
    optimizer: str = "adam",
    learning_rate: float = 1e-3,
    epochs: int = 30,
    batch_size: int | None = 32,
    callbacks: Sequence[Any] = (),
    metrics: Sequence[Any] = ("accuracy",),
    seed: int = 0,
    strategy: Any = None,
) -> Any:
    """Build, compile and train a binary classifier in one seeded call; return its ``History``.

    The network is :func:`dlnotes.models.build_mlp` (``hidden`` layers, one sigmoid output unit),
    compiled with binary cross-entropy and accuracy, and trained with ``model.fit`` on
    :func:`dlnotes.data.to_dataset` batches reshuffled every epoch (a single full batch keeps its order). The same
    ``seed`` gives the same initial weights, the same batch order and the same dropout masks, so two
    calls with equal arguments print the same numbers.

    Parameters
    ----------
    X_train : array of shape (n_samples, n_features)
    y_train : array of shape (n_samples,) with labels 0 and 1
    validation_data : pair (X_val, y_val), optional
        Evaluated after every epoch, as one batch; gives the ``val_`` entries of the history.
    hidden : sequence of int
        Units of each hidden layer.
    activation : str
        Activation of the hidden layers.
    dropout : float
        Dropout rate after each hidden layer, in [0, 1).
    optimizer : {"sgd", "adam", "rmsprop"}
    learning_rate : float
        Positive step size of the optimizer.
    epochs : int
    batch_size : int or None
        Samples per step; ``None`` for the whole training set (full-batch gradient descent).
    callbacks : sequence of keras.callbacks.Callback
        Passed on to ``model.fit``, e.g. ``[keras.callbacks.EarlyStopping(...)]``.
    metrics : sequence of str or keras.metrics.Metric
        Metrics to compile besides the loss (names checked before training); ``()`` for none,
        which makes the first epoch (when TensorFlow traces the training step) about twice as fast.
    seed : int
    strategy : tf.distribute.Strategy, optional
        Build and compile the model inside ``strategy.scope()`` (e.g. a ``MirroredStrategy`` over
        several devices, chapter 7), and feed ``fit`` one repeated dataset with
        ``steps_per_epoch``, so that the strategy builds its distributed iterator once, not at
        every epoch (which costs seconds per epoch). Full batches match one device up to rounding;
        mini-batches keep their order (chapter 7), but a last batch the replicas cannot split evenly
        is averaged per replica, so the numbers drift apart. ``None``: the default device.
        A strategy of several replicas needs Keras 3.8 or newer, and older Keras is refused: before
        3.8, ``model.fit`` on several replicas does not train what one device trains (3.3 and 3.4
        never sum the replicas' gradients, so their copies drift apart; 3.5 to 3.7 apply the sum
        of the replicas' mean gradients, as many times the batch's gradient as there are replicas).

    Raises
    ------
    RuntimeError
        If ``strategy`` has several replicas and the installed Keras is older than 3.8.

    Returns
    -------
    keras.callbacks.History
        ``history.history`` holds ``loss`` and each metric per epoch (and ``val_loss``,
        ``val_accuracy``, ... with ``validation_data``); ``history.model`` is the trained model.

    Examples
    --------
    >>> from dlnotes.data import make_pattern_data
    >>> X, y = make_pattern_data(40, 3, seed=0)
    >>> history = train_mlp(X, y, validation_data=(X, y), hidden=(4,), epochs=2, seed=0)
    >>> sorted(history.history), len(history.history["loss"])
    (['accuracy', 'loss', 'val_accuracy', 'val_loss'], 2)
    """
    X_train, y_train = check_X_y(X_train, y_train, "X_train", "y_train", float32=True)
    validation = _check_validation_data(validation_data, X_train.shape[1])
    hidden = check_sizes(hidden, "hidden", min_len=0, example="(32,)")
    activation = check_activation(activation, "activation")
    dropout = check_float(dropout, "dropout", low=0.0, high=1.0, high_inclusive=False)
    optimizer = check_choice(optimizer, "optimizer", OPTIMIZERS)
    learning_rate = check_learning_rate(learning_rate)
    epochs = check_int(epochs, "epochs", minimum=1)
    if batch_size is not None:
        batch_size = check_int(batch_size, "batch_size", minimum=1)
    callbacks = check_callbacks(callbacks)
    metrics = check_metrics(metrics)
    seed = check_seed(seed)

    from ._backend import import_keras, import_tensorflow

    keras = import_keras()
    if strategy is not None and not isinstance(strategy, import_tensorflow().distribute.Strategy):
        raise TypeError(
            "strategy must be a tf.distribute.Strategy such as tf.distribute.MirroredStrategy(), "
            f"or None, got {describe(strategy)}"
        )
    if strategy is not None:
        _keras.check_replicas(
            strategy.num_replicas_in_sync, _keras.KERAS_FOR_REPLICATED_FIT, "train_mlp (model.fit)"
        )
    keras.utils.set_random_seed(seed)
    with strategy.scope() if strategy is not None else contextlib.nullcontext():
        model = build_mlp(X_train.shape[1], hidden, activation=activation, dropout=dropout)
        model.compile(
            optimizer=_keras.make_optimizer(optimizer, learning_rate),
            loss="binary_crossentropy",
            metrics=metrics or None,
        )
        # Creating the optimizer's variables now, outside the traced training step, halves the time
        # of the first epoch (the numbers are the same: they start at zero either way).
        model.optimizer.build(model.trainable_variables)
    train = _keras.dataset(
        X_train, y_train, batch_size, shuffle=_keras.shuffles(batch_size, len(X_train)), seed=seed
    )
    val = None if validation is None else _keras.dataset(*validation, None, shuffle=False, seed=0)
    steps = None
    if strategy is not None:  # one distributed iterator for all epochs (chapter 7)
        train, steps = train.repeat(), math.ceil(len(X_train) / (batch_size or len(X_train)))
    stop = _stop_when_not_finite(keras)
    history = model.fit(
        train,
        steps_per_epoch=steps,
        validation_data=val,
        epochs=epochs,
        callbacks=[*callbacks, stop],
        verbose=0,
        shuffle=False,
    )
    history.diverged = stop.diverged
    return history


def _stop_when_not_finite(keras: Any) -> Any:
    """A callback that stops training at the end of an epoch whose loss is NaN or infinite.

    Like ``keras.callbacks.TerminateOnNaN`` without its printed message; ``.diverged`` tells
    afterwards whether it stopped a run.
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
    hidden = check_sizes(hidden, "hidden", min_len=0, example="(128, 64)")
    epochs = check_int(epochs, "epochs", minimum=1)
    batch_size = check_int(batch_size, "batch_size", minimum=1)
    seed = check_seed(seed)
    makers = _optimizer_makers(optimizers)

    from ._backend import import_keras

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


def _per_rate(value: Any, name: str, what: str) -> Any:
    """``value`` if it is a sequence (a list, tuple or 1-D array); a generator, None or a scalar is refused."""
    if (
        isinstance(value, (str, bytes, Mapping))
        or not isinstance(value, (Sequence, np.ndarray))
        or (isinstance(value, np.ndarray) and value.ndim == 0)
    ):
        hint = (
            "; a generator or iterator can be read only once: pass list(...) of it"
            if isinstance(value, Iterator)
            else ""
        )
        raise TypeError(f"{name} must be a sequence, {what}, got {describe(value)}{hint}")
    return value


def _sweep_curves(value: Any, name: str, n_rates: int, optional: str) -> tuple[tuple[float, ...], ...]:
    """One curve (a value per epoch, NaN allowed) per learning rate, all of the same length."""
    value = _per_rate(value, name, f"{optional}one curve per learning rate")
    if len(value) != n_rates:
        raise ValueError(
            f"{name} must {'be () or ' if optional else ''}hold one curve per learning rate: {n_rates} learning "
            f"rates but {len(value)} curves"
        )
    curves = tuple(tuple(float(v) for v in check_curve(c, f"{name}[{i}]")) for i, c in enumerate(value))
    lengths = sorted({len(c) for c in curves})
    if len(lengths) != 1:
        raise ValueError(f"{name} must all have the same number of epochs, got lengths {lengths}")
    return curves


@dataclass(frozen=True)
class LearningRateSweep:
    """Training- (and validation-) loss curves of one network trained at several learning rates.

    Made by :func:`learning_rate_sweep`. ``losses[i][e]`` is the training loss of epoch ``e + 1`` at
    ``learning_rates[i]``; NaN once a run has diverged to an infinite or undefined loss.
    ``val_losses`` holds the validation loss of the same epochs, or is empty for a sweep run
    without validation data.

    Attributes
    ----------
    learning_rates : tuple of float
    losses : tuple of tuple of float
        One curve per learning rate, all of the same length (the number of epochs).
    optimizer : str
        The optimizer used, for titles.
    val_losses : tuple of tuple of float
        ``()``, or one validation curve per learning rate, of the same length as ``losses``.

    Examples
    --------
    >>> sweep = LearningRateSweep((0.01, 1.0, 100.0), ((0.7, 0.6), (0.7, 0.2), (0.7, float("nan"))))
    >>> sweep.final_losses, sweep.diverged, sweep.best_learning_rate, sweep.chosen_by
    ((0.6, 0.2, nan), (False, False, True), 1.0, 'training loss')
    >>> checked = LearningRateSweep((0.01, 1.0), ((0.7, 0.6), (0.7, 0.2)), val_losses=((0.7, 0.5), (0.7, 0.9)))
    >>> checked.final_val_losses, checked.best_learning_rate, checked.chosen_by
    ((0.5, 0.9), 0.01, 'validation loss')
    """

    learning_rates: tuple[float, ...]
    losses: tuple[tuple[float, ...], ...]
    optimizer: str = "sgd"
    val_losses: tuple[tuple[float, ...], ...] = ()

    def __post_init__(self) -> None:
        rates = tuple(
            check_learning_rate(lr, f"learning_rates[{i}]")
            for i, lr in enumerate(
                _per_rate(self.learning_rates, "learning_rates", "one entry per learning rate")
            )
        )
        if not rates:
            raise ValueError("learning_rates is empty; a sweep needs at least one learning rate")
        if isinstance(self.optimizer, str) and not self.optimizer:
            raise ValueError("optimizer is empty; give the name of the optimizer used, such as 'sgd'")
        if not isinstance(self.optimizer, str):
            raise TypeError(
                f"optimizer must be the name of the optimizer used, such as 'sgd' (shown in the titles of "
                f"plot_learning_rate_sweep), got {describe(self.optimizer)}"
            )
        curves = _sweep_curves(self.losses, "losses", len(rates), "")
        val_curves: tuple[tuple[float, ...], ...] = ()
        if isinstance(self.val_losses, (str, bytes)) or self.val_losses is None:
            raise TypeError(
                f"val_losses must be () or one curve per learning rate, got {describe(self.val_losses)}; "
                "for a sweep without validation data pass val_losses=() (or leave it out)"
            )
        if len(_per_rate(self.val_losses, "val_losses", "() or one curve per learning rate")):
            val_curves = _sweep_curves(self.val_losses, "val_losses", len(rates), "() or ")
            if {len(c) for c in val_curves} != {len(curves[0])}:
                raise ValueError(
                    f"val_losses must have as many epochs as losses ({len(curves[0])}), got lengths "
                    f"{sorted({len(c) for c in val_curves})}"
                )
        object.__setattr__(self, "learning_rates", rates)
        object.__setattr__(self, "losses", curves)
        object.__setattr__(self, "val_losses", val_curves)

    @property
    def final_losses(self) -> tuple[float, ...]:
        """The last epoch's loss of each run (NaN for a run that diverged to NaN or infinity)."""
        return tuple(c[-1] if np.isfinite(c[-1]) else math.nan for c in self.losses)

    @property
    def diverged(self) -> tuple[bool, ...]:
        """True for a run whose loss became NaN or infinite, or ended above where it started."""
        return tuple(not np.isfinite(c[-1]) or c[-1] > c[0] for c in self.losses)

    @property
    def final_val_losses(self) -> tuple[float, ...]:
        """The last epoch's validation loss of each run (NaN if it diverged); ``()`` without validation data."""
        return tuple(c[-1] if np.isfinite(c[-1]) else math.nan for c in self.val_losses)

    @property
    def chosen_by(self) -> str:
        """What :attr:`best_learning_rate` compares: ``"validation loss"`` if the sweep has it, else
        ``"training loss"``."""
        return "validation loss" if self.val_losses else "training loss"

    @property
    def best_learning_rate(self) -> float:
        """The learning rate with the lowest final loss among the runs that did not diverge.

        The final *validation* loss when the sweep has validation curves (the learning rate is a
        hyperparameter, chosen like any other on data the training did not see), else the final
        training loss; :attr:`chosen_by` says which. Of equal losses, the one listed first.
        """
        finals = self.final_val_losses if self.val_losses else self.final_losses
        scores = [math.nan if bad else loss for loss, bad in zip(finals, self.diverged)]
        best = int(best_first(scores, metric_direction("val_loss" if self.val_losses else "loss"))[0])
        return self.learning_rates[best] if np.isfinite(scores[best]) else math.nan


def learning_rate_sweep(
    X: Any,
    y: Any,
    learning_rates: Sequence[float],
    *,
    hidden: Sequence[int] = (32,),
    activation: str = "relu",
    optimizer: str = "sgd",
    epochs: int = 30,
    batch_size: int | None = None,
    validation_data: tuple[Any, Any] | None = None,
    seed: int = 0,
) -> LearningRateSweep:
    """Train one network from the same initial weights at each learning rate; record the loss curves.

    A network ``build_mlp(n_features, hidden)`` is built and compiled once with ``seed``. For each
    learning rate its initial weights are put back, the optimizer's state (step count, moments) is
    zeroed and its learning rate set, and it is trained for ``epochs`` on the same batches in the
    same order. The learning rate is the only difference between the runs, and reusing one
    compiled model avoids tracing a new training graph per rate. A run whose loss becomes NaN or
    infinite is stopped at the end of that epoch; its remaining epochs are recorded as NaN.

    Parameters
    ----------
    X : array of shape (n_samples, n_features)
    y : array of shape (n_samples,) with labels 0 and 1
    learning_rates : sequence of float
        Positive learning rates, typically spaced by a factor of 10.
    hidden : sequence of int
    activation : str
    optimizer : {"sgd", "adam", "rmsprop"}
        Plain SGD (the default) shows the learning rate's effect most directly.
    epochs : int
    batch_size : int or None
        ``None`` (the default) for full-batch gradient descent.
    validation_data : pair (X_val, y_val), optional
        Evaluated after every epoch; the sweep's ``val_losses``, by which ``best_learning_rate``
        is then chosen.
    seed : int

    Returns
    -------
    LearningRateSweep

    Examples
    --------
    >>> from dlnotes.data import make_pattern_data
    >>> X, y = make_pattern_data(40, 3, seed=0)
    >>> sweep = learning_rate_sweep(X, y, [0.01, 1.0], hidden=(4,), epochs=3, seed=0)
    >>> len(sweep.losses), len(sweep.losses[0])
    (2, 3)
    >>> sweep.losses[0][0] == sweep.losses[1][0]  # same start: the first epoch's loss is at the initial weights
    True
    """
    X, y = check_X_y(X, y, "X", "y", float32=True)
    validation = _check_validation_data(
        validation_data, X.shape[1], x_name="validation_data[0]", y_name="validation_data[1]", train_name="X"
    )
    if (
        isinstance(learning_rates, (str, bytes))
        or not isinstance(learning_rates, (Sequence, np.ndarray))
        or (isinstance(learning_rates, np.ndarray) and learning_rates.ndim != 1)
    ):
        raise TypeError(
            f"learning_rates must be a list of positive numbers such as [0.001, 0.01, 0.1], got "
            f"{describe(learning_rates)}"
        )
    rates = [check_learning_rate(lr, f"learning_rates[{i}]") for i, lr in enumerate(learning_rates)]
    if not rates:
        raise ValueError("learning_rates is empty; give at least one, e.g. [0.001, 0.01, 0.1]")
    hidden = check_sizes(hidden, "hidden", min_len=0, example="(32,)")
    activation = check_activation(activation, "activation")
    optimizer = check_choice(optimizer, "optimizer", OPTIMIZERS)
    epochs = check_int(epochs, "epochs", minimum=1)
    if batch_size is not None:
        batch_size = check_int(batch_size, "batch_size", minimum=1)
    seed = check_seed(seed)

    from ._backend import import_keras

    keras = import_keras()
    keras.utils.set_random_seed(seed)
    model = build_mlp(X.shape[1], hidden, activation=activation)
    model.compile(optimizer=_keras.make_optimizer(optimizer, rates[0]), loss="binary_crossentropy")
    model.optimizer.build(model.trainable_variables)
    initial = model.get_weights()
    val = None if validation is None else _keras.dataset(*validation, None, shuffle=False, seed=0)
    curves: list[tuple[float, ...]] = []
    val_curves: list[tuple[float, ...]] = []
    for lr in rates:
        model.set_weights(initial)
        for variable in model.optimizer.variables:
            variable.assign(np.zeros(variable.shape, dtype=variable.dtype))
        model.optimizer.learning_rate = lr
        data = _keras.dataset(X, y, batch_size, shuffle=_keras.shuffles(batch_size, len(X)), seed=seed)
        history = model.fit(
            data,
            validation_data=val,
            epochs=epochs,
            verbose=0,
            shuffle=False,
            callbacks=[_stop_when_not_finite(keras)],
        )
        for key, out in (("loss", curves), ("val_loss", val_curves)):
            if key in history.history:
                losses = [float(v) if np.isfinite(v) else math.nan for v in history.history[key]]
                out.append(tuple(losses + [math.nan] * (epochs - len(losses))))
    return LearningRateSweep(tuple(rates), tuple(curves), optimizer, tuple(val_curves))
