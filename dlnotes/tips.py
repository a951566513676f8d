"""Chapters 4 to 6 — training tips as experiments: learning-rate sweeps, grid search, and their plots.

Each tip of the chapter (normalise the inputs, choose the learning rate, fight overfitting, tune the
hyperparameters) is shown by a small, seeded experiment. This module holds the pieces those
experiments share:

- :func:`to_dataset` feeds arrays to ``model.fit`` as a lean ``tf.data.Dataset``, which makes tiny
  models train several times faster than from NumPy arrays;
- :func:`train_mlp` builds, compiles and trains a binary classifier in one seeded call;
- :func:`learning_rate_sweep` trains one network from the same initial weights at several learning
  rates (:class:`LearningRateSweep`, :func:`plot_learning_rate_sweep`);
- :func:`expand_grid` and :func:`grid_search` try every combination of layers, units, activation,
  dropout and learning rate and rank them on validation data (:class:`SearchResult`,
  :func:`format_table`, :func:`plot_search_results`);
- :func:`plot_histories` draws several training runs side by side, marking each run's best epoch.

All models here are binary classifiers: a sigmoid output unit trained with binary cross-entropy.
Keras and Matplotlib are imported inside the functions that need them, so ``import dlnotes`` stays light.
"""

from __future__ import annotations

import contextlib
import itertools
import math
import numbers
import warnings
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

import numpy as np

from . import _keras
from ._plot import history_dict, integer_epochs, mark_divergence, new_axes
from ._validation import (
    FLOAT32_MAX,
    _describe,
    check_activation,
    check_array,
    check_bool,
    check_choice,
    check_float,
    check_float32_range,
    check_int,
    check_learning_rate,
    check_mapping,
    check_same_length,
    check_seed,
    check_sizes,
    check_X_y,
)
from .design import build_mlp

__all__ = [
    "to_dataset",
    "train_mlp",
    "LearningRateSweep",
    "learning_rate_sweep",
    "plot_learning_rate_sweep",
    "expand_grid",
    "SearchResult",
    "grid_search",
    "format_table",
    "plot_search_results",
    "plot_histories",
]

OPTIMIZERS = tuple(_keras.OPTIMIZERS)  # "sgd", "momentum", "adam", "rmsprop": one table, in dlnotes._keras
#: Hyperparameters :func:`grid_search` can vary, and the check each value must pass.
GRID_KEYS = ("layers", "units", "activation", "dropout", "learning_rate")


# ----------------------------------------------------------------------------------------------------
# Validation helpers specific to this module
# ----------------------------------------------------------------------------------------------------


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
            f"validation_data must be a pair (X_val, y_val) or None, got {_describe(validation_data)}"
        )
    X_val, y_val = check_X_y(validation_data[0], validation_data[1], x_name, y_name, float32=True)
    if X_val.shape[1] != n_features:
        raise ValueError(
            f"{x_name} has {X_val.shape[1]} features but {train_name} has {n_features}; they must match"
        )
    return X_val, y_val


# ----------------------------------------------------------------------------------------------------
# Feeding data and training
# ----------------------------------------------------------------------------------------------------


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
    X = check_float32_range(check_array(X, "X", ndim=2), "X")
    y = check_float32_range(check_array(y, "y", ndim=(1, 2)), "y")
    check_same_length(X, "X", y, "y")
    batch_size = None if batch_size is None else check_int(batch_size, "batch_size", minimum=1)
    shuffle = check_bool(shuffle, "shuffle")
    seed = check_seed(seed)
    return _keras.dataset(X, y, batch_size, shuffle=shuffle, seed=seed)


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
    metrics: Sequence[str] = ("accuracy",),
    seed: int = 0,
    strategy: Any = None,
) -> Any:
    """Build, compile and train a binary classifier in one seeded call; return its ``History``.

    The network is :func:`dlnotes.design.build_mlp` (``hidden`` layers, one sigmoid output unit),
    compiled with binary cross-entropy and accuracy, and trained with ``model.fit`` on
    :func:`to_dataset` batches reshuffled every epoch (a single full batch keeps its order). The same
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
    metrics : sequence of str
        Metrics to compile besides the loss; ``()`` for none, which makes the first epoch (when
        TensorFlow traces the training step) about twice as fast.
    seed : int
    strategy : tf.distribute.Strategy, optional
        Build and compile the model inside ``strategy.scope()`` (e.g. a ``MirroredStrategy`` over
        several devices, chapter 7), and feed ``fit`` one repeated dataset with
        ``steps_per_epoch``, so that the strategy builds its distributed iterator once, not at
        every epoch (which costs seconds per epoch). With full batches the numbers match the
        single-device run up to rounding; shuffled mini-batches come in another order under a
        strategy (the distributed dataset reshuffles differently). ``None``: the default device.
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
    callbacks = _check_callbacks(callbacks)
    metrics = _check_metrics(metrics)
    seed = check_seed(seed)

    from ._backend import import_keras, import_tensorflow

    keras = import_keras()
    if strategy is not None and not isinstance(strategy, import_tensorflow().distribute.Strategy):
        raise TypeError(
            "strategy must be a tf.distribute.Strategy such as tf.distribute.MirroredStrategy(), "
            f"or None, got {_describe(strategy)}"
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


def _check_callbacks(callbacks: Any) -> list[Any]:
    """A list of Keras callbacks (Keras is imported only when there is one to check)."""
    if isinstance(callbacks, (str, bytes)) or not isinstance(callbacks, Sequence):
        raise TypeError(f"callbacks must be a list of Keras callbacks, got {_describe(callbacks)}")
    if callbacks:
        from ._backend import import_keras

        keras = import_keras()
        for i, callback in enumerate(callbacks):
            if not isinstance(callback, keras.callbacks.Callback):
                raise TypeError(f"callbacks[{i}] must be a Keras callback, got {_describe(callback)}")
    return list(callbacks)


def _check_metrics(metrics: Any) -> list[str]:
    """A list of metric names such as ``["accuracy"]``; may be empty."""
    if isinstance(metrics, (str, bytes)) or not isinstance(metrics, Sequence):
        raise TypeError(
            f"metrics must be a list of metric names such as ['accuracy'], got {_describe(metrics)}"
        )
    for i, metric in enumerate(metrics):
        if not isinstance(metric, str):
            raise TypeError(f"metrics[{i}] must be a metric name such as 'accuracy', got {_describe(metric)}")
    return list(metrics)


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


# ----------------------------------------------------------------------------------------------------
# Learning-rate sweep
# ----------------------------------------------------------------------------------------------------


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
        for name in ("learning_rates", "losses"):
            value = getattr(self, name)
            if (
                isinstance(value, (str, bytes, Mapping))
                or not isinstance(value, (Sequence, np.ndarray))
                or (isinstance(value, np.ndarray) and value.ndim == 0)
            ):
                raise TypeError(
                    f"{name} must be a sequence, one entry per learning rate, got {_describe(value)}"
                )
        rates = tuple(
            check_learning_rate(lr, f"learning_rates[{i}]") for i, lr in enumerate(self.learning_rates)
        )
        if not rates:
            raise ValueError("learning_rates is empty; a sweep needs at least one learning rate")
        if len(self.losses) != len(rates):
            raise ValueError(
                f"losses must hold one curve per learning rate: {len(rates)} learning rates but "
                f"{len(self.losses)} curves"
            )
        curves = tuple(
            tuple(float(v) for v in check_array(c, f"losses[{i}]", ndim=1, finite=False))
            for i, c in enumerate(self.losses)
        )
        lengths = {len(c) for c in curves}
        if len(lengths) != 1:
            raise ValueError(f"losses must all have the same number of epochs, got lengths {sorted(lengths)}")
        val_curves: tuple[tuple[float, ...], ...] = ()
        if isinstance(self.val_losses, (str, bytes)):
            raise TypeError(
                f"val_losses must be () or one curve per learning rate, got {_describe(self.val_losses)}"
            )
        if len(self.val_losses):
            if len(self.val_losses) != len(rates):
                raise ValueError(
                    f"val_losses must be () or hold one curve per learning rate: {len(rates)} learning rates "
                    f"but {len(self.val_losses)} validation curves"
                )
            val_curves = tuple(
                tuple(float(v) for v in check_array(c, f"val_losses[{i}]", ndim=1, finite=False))
                for i, c in enumerate(self.val_losses)
            )
            if {len(c) for c in val_curves} != lengths:
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
        training loss; :attr:`chosen_by` says which.
        """
        finals = self.final_val_losses if self.val_losses else self.final_losses
        candidates = [
            (loss, lr)
            for lr, loss, bad in zip(self.learning_rates, finals, self.diverged)
            if not bad and np.isfinite(loss)
        ]
        if not candidates:
            return math.nan
        return min(candidates)[1]


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
            f"{_describe(learning_rates)}"
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


def plot_learning_rate_sweep(sweep: LearningRateSweep, *, cap: float | None = None) -> Any:
    """Two panels: final loss against learning rate (log axis), and every training-loss curve.

    The left panel shows the final validation loss too when the sweep has it, and marks
    ``best_learning_rate`` with what chose it.

    Diverged runs are drawn as a red ``x`` at the top of the left panel. Losses above ``cap`` (and
    NaN) are cut at ``cap`` so that one exploding run does not flatten all the others.

    Parameters
    ----------
    sweep : LearningRateSweep
    cap : float, optional
        Highest loss drawn; by default 1.5 times the largest first-epoch loss.

    Returns
    -------
    matplotlib.figure.Figure

    Examples
    --------
    >>> sweep = LearningRateSweep((0.01, 1.0, 100.0), ((0.7, 0.6), (0.7, 0.2), (0.7, float("nan"))))
    >>> fig = plot_learning_rate_sweep(sweep)
    >>> [ax.get_xscale() for ax in fig.axes]
    ['log', 'linear']
    """
    if not isinstance(sweep, LearningRateSweep):
        raise TypeError(
            f"sweep must be a LearningRateSweep from learning_rate_sweep(), got {_describe(sweep)}"
        )
    starts = [c[0] for c in sweep.losses if np.isfinite(c[0])]
    if cap is None:
        cap = 1.5 * max(starts) if starts else 1.0
    else:
        cap = check_float(cap, "cap", low=0.0, low_inclusive=False)
    import matplotlib.pyplot as plt

    fig, (left, right) = plt.subplots(1, 2, figsize=(9.0, 3.6), layout="constrained")
    rates = np.array(sweep.learning_rates)
    finals = np.array(sweep.final_losses)
    bad = np.array(sweep.diverged)
    shown = np.where(np.isfinite(finals), np.minimum(finals, cap), cap)
    left.plot(rates, shown, color="0.6", zorder=1)
    left.scatter(rates[~bad], shown[~bad], color="C0", zorder=2, label="training loss")
    if sweep.val_losses:
        val_finals = np.array(sweep.final_val_losses)
        val_shown = np.where(np.isfinite(val_finals), np.minimum(val_finals, cap), cap)
        left.plot(
            rates[~bad],
            val_shown[~bad],
            color="C1",
            linestyle="--",
            marker="s",
            zorder=2,
            label="validation loss",
        )
    if bad.any():
        left.scatter(rates[bad], shown[bad], color="C3", marker="x", s=60, zorder=2, label="diverged")
    best = sweep.best_learning_rate
    if np.isfinite(best):
        left.axvline(best, color="C2", linestyle=":", label=f"best by {sweep.chosen_by}: {best:g}")
    left.set_xscale("log")
    left.set_ylim(0, cap * 1.05)
    left.set_xlabel("learning rate (log scale)")
    left.set_ylabel("loss after the last epoch")
    known = _keras.OPTIMIZERS.get(sweep.optimizer)
    left.set_title(f"Final loss vs learning rate ({known.title if known else sweep.optimizer})")
    left.legend()
    left.grid(alpha=0.3)

    epochs = np.arange(1, len(sweep.losses[0]) + 1)
    for i, (lr, curve) in enumerate(zip(sweep.learning_rates, sweep.losses)):
        values = np.array(curve)
        inside = np.isfinite(values) & (values <= cap)
        if not inside.all():  # draw up to the first epoch off the plot, marked by a cross at the top
            first_out = int(np.argmin(inside))
            inside[first_out:] = False
            right.plot(epochs[first_out], cap, marker="x", color=f"C{i % 10}", markersize=9)
            if first_out > 0:
                right.plot(
                    epochs[first_out - 1 : first_out + 1],
                    [values[first_out - 1], cap],
                    color=f"C{i % 10}",
                    linestyle=":",
                )
        right.plot(epochs[inside], values[inside], color=f"C{i % 10}", label=f"{lr:g}")
    right.set_ylim(0, cap * 1.05)
    right.set_xlabel("epoch")
    right.set_ylabel("training loss")
    right.set_title("Training loss per epoch (x: off the scale)")
    right.legend(fontsize="small", ncol=2, title="learning rate", title_fontsize="small")
    right.grid(alpha=0.3)
    return fig


# ----------------------------------------------------------------------------------------------------
# Hyperparameter search
# ----------------------------------------------------------------------------------------------------


def expand_grid(grid: Mapping[str, Sequence[Any]]) -> list[dict[str, Any]]:
    """Every combination of the values in ``grid``, as a list of dicts (the last key varies fastest).

    Parameters
    ----------
    grid : mapping of str -> sequence
        Hyperparameter name -> the values to try; at least one name, each with at least one value.

    Returns
    -------
    list of dict

    Examples
    --------
    >>> for config in expand_grid({"layers": [1, 2], "activation": ["relu", "tanh"]}):
    ...     print(config)
    {'layers': 1, 'activation': 'relu'}
    {'layers': 1, 'activation': 'tanh'}
    {'layers': 2, 'activation': 'relu'}
    {'layers': 2, 'activation': 'tanh'}
    """
    if not isinstance(grid, Mapping):
        raise TypeError(
            f"grid must be a dict of name -> list of values such as {{'units': [16, 64]}}, got "
            f"{_describe(grid)}"
        )
    if not grid:
        raise ValueError(
            "grid is empty; give at least one hyperparameter with its values, e.g. {'units': [16, 64]}"
        )
    for name, values in grid.items():
        if not isinstance(name, str):
            raise TypeError(f"grid keys must be hyperparameter names (str), got {_describe(name)}")
        if isinstance(values, (str, bytes)) or not isinstance(values, (Sequence, np.ndarray)):
            raise TypeError(
                f"grid[{name!r}] must be a list of values, got {_describe(values)}; write [{values!r}] "
                "for a single value"
            )
        if len(values) == 0:
            raise ValueError(f"grid[{name!r}] is empty; give at least one value to try")
    names = list(grid)
    return [dict(zip(names, combo)) for combo in itertools.product(*(list(grid[n]) for n in names))]


def _check_config(config: dict[str, Any]) -> None:
    where = f"grid value {{{', '.join(f'{k!r}: {v!r}' for k, v in config.items())}}}"
    for key, value in config.items():
        if key == "layers":
            check_int(value, f"layers in {where}", minimum=0)
        elif key == "units":
            check_int(value, f"units in {where}", minimum=1)
        elif key == "activation":
            check_activation(value, f"activation in {where}")
        elif key == "dropout":
            check_float(value, f"dropout in {where}", low=0.0, high=1.0, high_inclusive=False)
        else:
            check_learning_rate(value, f"learning_rate in {where}")


@dataclass(frozen=True)
class SearchResult:
    """The table of a hyperparameter search: one row per configuration, best first.

    Made by :func:`grid_search`. Each row is a dict with ``rank``, the hyperparameters tried, the
    model's number of parameters and its validation scores.

    Attributes
    ----------
    rows : tuple of dict
        Sorted by ``metric``, lowest first (ties keep the grid's order).
    hyperparameters : tuple of str
        The names varied in the search (columns of ``rows`` that are settings, not scores).
    metric : str
        The column rows are ranked by.
    best_model : keras.Model or None
        The trained model of the best row, ready to be evaluated once on the test set.

    Examples
    --------
    >>> result = SearchResult(({"units": 8, "val_loss": 0.31}, {"units": 64, "val_loss": 0.25}), ("units",))
    >>> result.best_params
    {'units': 64}
    >>> print(result.table())
    rank  units  val_loss
    ----  -----  --------
       1     64    0.2500
       2      8    0.3100
    """

    rows: tuple[dict[str, Any], ...]
    hyperparameters: tuple[str, ...]
    metric: str = "val_loss"
    best_model: Any = field(default=None, repr=False, compare=False)

    def __post_init__(self) -> None:
        if isinstance(self.rows, (str, bytes, Mapping)) or not isinstance(self.rows, Sequence):
            raise TypeError(f"rows must be a sequence of dicts, got {_describe(self.rows)}")
        if not self.rows:
            raise ValueError("rows is empty; a search result needs at least one configuration")
        if (
            isinstance(self.hyperparameters, (str, bytes, Mapping))
            or not isinstance(self.hyperparameters, Sequence)
            or not all(isinstance(name, str) for name in self.hyperparameters)
        ):
            raise TypeError(
                f"hyperparameters must be a sequence of column names such as ('units',), got "
                f"{_describe(self.hyperparameters)}"
            )
        if not isinstance(self.metric, str):
            raise TypeError(f"metric must be a column name such as 'val_loss', got {_describe(self.metric)}")
        scores = []
        for i, row in enumerate(self.rows):
            if not isinstance(row, Mapping):
                raise TypeError(f"rows[{i}] must be a dict, got {_describe(row)}")
            missing = [k for k in (*self.hyperparameters, self.metric) if k not in row]
            if missing:
                raise ValueError(f"rows[{i}] lacks the column(s) {missing}; it has {sorted(row)}")
            if {k for k in row if k != "rank"} != {k for k in self.rows[0] if k != "rank"}:
                raise ValueError(
                    f"rows[{i}] has the columns {sorted(row)} but rows[0] has {sorted(self.rows[0])}; "
                    "every row of the table needs the same columns"
                )
            score = row[self.metric]
            if isinstance(score, (bool, np.bool_)) or not isinstance(score, numbers.Real):
                raise TypeError(f"rows[{i}][{self.metric!r}] must be a number, got {_describe(score)}")
            try:
                scores.append(float(score))
            except OverflowError:
                raise ValueError(f"rows[{i}][{self.metric!r}] is an integer too large for a float") from None
        order = sorted(range(len(self.rows)), key=lambda i: (not np.isfinite(scores[i]), scores[i], i))
        rows = tuple(
            {"rank": r + 1, **{k: v for k, v in self.rows[i].items() if k != "rank"}}
            for r, i in enumerate(order)
        )
        object.__setattr__(self, "rows", rows)
        object.__setattr__(self, "hyperparameters", tuple(self.hyperparameters))

    @property
    def best_params(self) -> dict[str, Any]:
        """The hyperparameters of the best row."""
        return {k: self.rows[0][k] for k in self.hyperparameters}

    @property
    def diverged(self) -> tuple[dict[str, Any], ...]:
        """The hyperparameters of every row whose score is NaN or infinite (the run diverged), last ranks."""
        return tuple(
            {k: row[k] for k in self.hyperparameters}
            for row in self.rows
            if not np.isfinite(float(row[self.metric]))
        )

    def table(self, decimals: int = 4) -> str:
        """The rows as an aligned text table, floats rounded to ``decimals`` (see :func:`format_table`)."""
        return format_table(self.rows, decimals=decimals)


def grid_search(
    X_train: Any,
    y_train: Any,
    X_val: Any,
    y_val: Any,
    grid: Mapping[str, Sequence[Any]],
    *,
    n_iter: int | None = None,
    units: int = 32,
    activation: str = "relu",
    dropout: float = 0.0,
    learning_rate: float = 1e-3,
    epochs: int = 30,
    batch_size: int | None = 32,
    seed: int = 0,
) -> SearchResult:
    """Train one binary classifier per combination in ``grid`` and rank them by validation loss.

    Every configuration is trained by :func:`train_mlp` (Adam, ``epochs``, ``batch_size``) with
    the same ``seed``, so the runs differ only in their hyperparameters, then scored once on
    ``(X_val, y_val)``: the binary cross-entropy and accuracy of its predictions there, the
    numbers ``model.evaluate`` gives (computed directly, which spares tracing an evaluation graph
    per model). The test set plays no part: check the winner on it once, afterwards.

    Parameters
    ----------
    X_train, y_train, X_val, y_val : arrays
        Training and validation data; labels 0 and 1.
    grid : mapping of str -> sequence
        Values to try for any of ``"layers"`` (number of hidden layers, 0 or more), ``"units"``
        (units per hidden layer), ``"activation"``, ``"dropout"`` and ``"learning_rate"``.
    n_iter : int, optional
        If given, a random search: try only ``n_iter`` combinations drawn from the grid (without
        repeats, chosen by ``seed``) instead of all of them.
    units, activation, dropout, learning_rate : defaults
        Values used for a hyperparameter that ``grid`` does not vary; the network has one hidden
        layer unless ``"layers"`` is in the grid.
    epochs, batch_size : int
    seed : int

    Returns
    -------
    SearchResult
        Rows with ``rank``, the grid's hyperparameters, ``params`` (number of weights),
        ``val_loss`` and ``val_accuracy``, lowest validation loss first; ``best_model`` is the
        trained model of the first row, compiled with binary cross-entropy and accuracy, so that
        ``best_model.evaluate(...)`` returns ``[loss, accuracy]``.

    Examples
    --------
    >>> from dlnotes.data import make_pattern_data
    >>> X, y = make_pattern_data(60, 3, seed=0)
    >>> result = grid_search(X[:40], y[:40], X[40:], y[40:], {"units": [2, 4]}, epochs=2, seed=0)
    >>> [row["units"] for row in result.rows] == sorted([2, 4], key=lambda u: [r["val_loss"] for r in result.rows
    ...                                                  if r["units"] == u][0])
    True
    >>> list(result.rows[0])
    ['rank', 'units', 'params', 'val_loss', 'val_accuracy']
    """
    X_train, y_train = check_X_y(X_train, y_train, "X_train", "y_train", float32=True)
    X_val, y_val = check_X_y(X_val, y_val, "X_val", "y_val", float32=True)
    if X_val.shape[1] != X_train.shape[1]:
        raise ValueError(
            f"X_val has {X_val.shape[1]} features but X_train has {X_train.shape[1]}; they must match"
        )
    seed = check_seed(seed)
    configs = _choose_configs(grid, n_iter, seed)
    defaults = {
        "layers": 1,
        "units": check_int(units, "units", minimum=1),
        "activation": check_activation(activation, "activation"),
        "dropout": check_float(dropout, "dropout", low=0.0, high=1.0, high_inclusive=False),
        "learning_rate": check_learning_rate(learning_rate),
    }
    epochs = check_int(epochs, "epochs", minimum=1)
    if batch_size is not None:
        batch_size = check_int(batch_size, "batch_size", minimum=1)

    rows: list[dict[str, Any]] = []
    best_model, best_loss = None, math.inf
    with _keras.quiet_retracing():
        for config in configs:
            settings = {**defaults, **config}
            history = train_mlp(
                X_train,
                y_train,
                hidden=(settings["units"],) * settings["layers"],
                activation=settings["activation"],
                dropout=settings["dropout"],
                learning_rate=settings["learning_rate"],
                epochs=epochs,
                batch_size=batch_size,
                metrics=(),
                seed=seed,
            )
            model = history.model
            val_loss, val_accuracy = _validation_scores(model, X_val, y_val, diverged=history.diverged)
            rows.append(
                {
                    **config,
                    "params": int(model.count_params()),
                    "val_loss": val_loss,
                    "val_accuracy": val_accuracy,
                }
            )
            if val_loss < best_loss:
                best_model, best_loss = model, val_loss
    result = SearchResult(tuple(rows), tuple(grid), "val_loss", best_model)
    if best_model is None:
        warnings.warn(
            f"grid_search: all {len(rows)} configurations diverged (their loss became NaN or infinite), so there "
            "is no best model; try smaller learning rates or standardised inputs",
            RuntimeWarning,
            stacklevel=2,
        )
        return result
    # The winner gets its accuracy metric back (same optimizer object, so its state is kept), so that
    # best_model.evaluate(...) returns [loss, accuracy] like every other model of the book.
    best_model.compile(optimizer=best_model.optimizer, loss="binary_crossentropy", metrics=["accuracy"])
    return result


def _choose_configs(grid: Any, n_iter: Any, seed: int) -> list[dict[str, Any]]:
    """Every checked combination of ``grid``, or ``n_iter`` of them drawn without repeats by ``seed``."""
    configs = expand_grid(grid)
    unknown = [k for k in grid if k not in GRID_KEYS]
    if unknown:
        raise ValueError(
            f"grid has unknown hyperparameter(s) {unknown}; grid_search can vary {list(GRID_KEYS)}"
        )
    for config in configs:
        _check_config(config)
    if n_iter is None:
        return configs
    n_iter = check_int(n_iter, "n_iter", minimum=1)
    if n_iter > len(configs):
        raise ValueError(
            f"n_iter is {n_iter} but the grid has only {len(configs)} combinations; "
            "use n_iter=None to try them all"
        )
    rng = np.random.default_rng(seed)
    chosen = np.sort(rng.choice(len(configs), size=n_iter, replace=False))
    return [configs[int(i)] for i in chosen]


def _validation_scores(
    model: Any, X_val: np.ndarray, y_val: np.ndarray, *, diverged: bool
) -> tuple[float, float]:
    """Binary cross-entropy and accuracy on the validation set; NaN for both if the run diverged.

    Keras's own loss of the probabilities, so the numbers are those ``model.evaluate`` gives (computed
    directly, which spares tracing an evaluation graph per model).
    """
    from ._backend import import_keras

    keras = import_keras()
    probabilities = model(X_val.astype(np.float32), training=False)
    y_val32 = y_val.astype(np.float32).reshape(-1, 1)
    val_loss = float(keras.ops.mean(keras.losses.binary_crossentropy(y_val32, probabilities)))
    if diverged or not np.isfinite(val_loss) or not np.all(np.isfinite(np.asarray(probabilities))):
        return math.nan, math.nan
    return val_loss, float(np.mean((np.asarray(probabilities)[:, 0] > 0.5) == y_val))


def _cell(value: Any, decimals: int) -> str:
    if isinstance(value, (bool, np.bool_)):
        return str(bool(value))
    if isinstance(value, numbers.Integral):
        return str(int(value))
    if isinstance(value, numbers.Real):
        value = float(value)
        return f"{value:.{decimals}f}" if np.isfinite(value) else str(value)
    return str(value)


def format_table(
    rows: Sequence[Mapping[str, Any]], *, columns: Sequence[str] | None = None, decimals: int = 4
) -> str:
    """Format a list of dicts as an aligned text table: numbers right-aligned, floats rounded.

    Parameters
    ----------
    rows : sequence of dict
        One dict per row; the first row's keys give the columns unless ``columns`` is given.
    columns : sequence of str, optional
        Which columns to show, in order.
    decimals : int
        Digits after the decimal point for floats (integers are shown as they are).

    Returns
    -------
    str

    Examples
    --------
    >>> print(format_table([{"act": "relu", "loss": 0.123456}, {"act": "tanh", "loss": 1.5}], decimals=3))
    act    loss
    ----  -----
    relu  0.123
    tanh  1.500
    """
    if isinstance(rows, (str, bytes, Mapping)) or not isinstance(rows, Sequence):
        raise TypeError(f"rows must be a list of dicts, got {_describe(rows)}")
    if not rows:
        raise ValueError("rows is empty; there is nothing to format")
    for i, row in enumerate(rows):
        if not isinstance(row, Mapping):
            raise TypeError(f"rows[{i}] must be a dict, got {_describe(row)}")
    decimals = check_int(decimals, "decimals", minimum=0, maximum=12)
    if columns is None:
        columns = list(rows[0])
        if not columns:
            raise ValueError("rows[0] is an empty dict; the first row's keys name the columns")
    elif isinstance(columns, (str, bytes)) or not isinstance(columns, Sequence) or not columns:
        raise TypeError(f"columns must be a non-empty list of column names, got {_describe(columns)}")
    for i, row in enumerate(rows):
        missing = [c for c in columns if c not in row]
        if missing:
            raise ValueError(f"rows[{i}] has no column(s) {missing}; it has {list(row)}")
    cells = [[_cell(row[c], decimals) for c in columns] for row in rows]
    numeric = [all(isinstance(row[c], numbers.Number) for row in rows) for c in columns]
    widths = [max(len(str(c)), *(len(r[j]) for r in cells)) for j, c in enumerate(columns)]

    def line(values: Sequence[str]) -> str:
        parts = [v.rjust(w) if num else v.ljust(w) for v, w, num in zip(values, widths, numeric)]
        return "  ".join(parts).rstrip()

    header = line([str(c) for c in columns])
    rule = "  ".join("-" * w for w in widths)
    return "\n".join([header, rule, *(line(r) for r in cells)])


def _config_label(row: Mapping[str, Any], names: Sequence[str]) -> str:
    """``"layers=2, units=64, learning_rate=0.003"``: floats in their shortest form."""
    return ", ".join(f"{n}={row[n]:g}" if isinstance(row[n], float) else f"{n}={row[n]}" for n in names)


def plot_search_results(result: SearchResult, *, ax: Any = None) -> Any:
    """Horizontal bars of each configuration's validation score, best at the top and highlighted.

    Parameters
    ----------
    result : SearchResult
    ax : matplotlib Axes, optional

    Returns
    -------
    matplotlib.axes.Axes

    Examples
    --------
    >>> result = SearchResult(({"units": 8, "val_loss": 0.31}, {"units": 64, "val_loss": 0.25}), ("units",))
    >>> ax = plot_search_results(result)
    >>> [t.get_text() for t in ax.get_yticklabels()]
    ['units=64', 'units=8']
    """
    if not isinstance(result, SearchResult):
        raise TypeError(f"result must be a SearchResult from grid_search(), got {_describe(result)}")
    ax = new_axes(ax, (7.0, 0.45 * len(result.rows) + 1.4))
    scores = np.array([float(row[result.metric]) for row in result.rows])
    labels = [_config_label(row, result.hyperparameters) for row in result.rows]
    positions = np.arange(len(scores))[::-1]  # best at the top
    colors = ["C2"] + ["C0"] * (len(scores) - 1)
    # A diverged run gets no bar; a bar stops at float32's range (Keras's losses never go beyond it, and
    # Matplotlib overflows laying out wider spans); the label next to it gives the score itself.
    shown = np.clip(np.where(np.isfinite(scores), scores, 0.0), -FLOAT32_MAX, FLOAT32_MAX)
    ax.barh(positions, shown, color=colors)
    ax.set_yticks(positions, labels)
    for pos, score, end in zip(positions, scores, shown):
        text = (
            " diverged"
            if not np.isfinite(score)
            else f" {score:.4f}"
            if abs(score) < 1e6
            else f" {score:.4g}"
        )
        ax.annotate(text, (end, pos), va="center", fontsize="small")
    ax.set_xlim(*_score_limits(shown))
    ax.set_xlabel(result.metric.replace("_", " ").replace("val ", "validation "))
    ax.set_ylabel("configuration")
    ax.set_title(f"Search results: {len(scores)} configurations, best in green")
    ax.grid(axis="x", alpha=0.3)
    return ax


def _score_limits(shown: np.ndarray) -> tuple[float, float]:
    """x limits holding 0 and every bar with a 20 % margin (1 when every bar is 0)."""
    low, high = min(0.0, float(shown.min())), max(0.0, float(shown.max()))
    if high == low:
        high = 1.0
    pad = 0.2 * (high - low)
    return (low - pad if low < 0 else 0.0), high + pad


# ----------------------------------------------------------------------------------------------------
# Several runs side by side
# ----------------------------------------------------------------------------------------------------


def plot_histories(
    histories: Mapping[str, Any],
    *,
    metric: str = "loss",
    logy: bool = False,
    title: str | None = None,
) -> Any:
    """One panel per training run, with a shared y axis: training solid, validation dashed.

    Where a run has validation data, its best epoch (lowest ``val_<metric>`` for a loss, highest
    otherwise) is marked with a dot and a dotted vertical line, the epoch early stopping would
    keep, and named in the panel's title. One legend, in the first panel, serves all panels.

    Parameters
    ----------
    histories : mapping of str -> keras.callbacks.History or dict
        Panel title -> what ``model.fit`` returned (or its ``.history`` dict).
    metric : str
        The metric to draw, e.g. ``"loss"`` or ``"accuracy"``.
    logy : bool
        Logarithmic y axis, for losses that span orders of magnitude.
    title : str, optional
        Title over all panels; by default ``"<metric> per epoch"``.

    Returns
    -------
    matplotlib.figure.Figure

    Examples
    --------
    >>> fig = plot_histories({"small": {"loss": [0.7, 0.5], "val_loss": [0.7, 0.6]},
    ...                       "big": {"loss": [0.7, 0.2], "val_loss": [0.6, 0.8]}})
    >>> [ax.get_title() for ax in fig.axes]
    ['small (best epoch 2)', 'big (best epoch 1)']
    """
    check_mapping(histories, "histories", "panel title -> History (or dict of lists)")
    if not isinstance(metric, str):
        raise TypeError(f"metric must be a metric name such as 'loss', got {_describe(metric)}")
    logy = check_bool(logy, "logy")
    runs: dict[str, dict[str, np.ndarray]] = {}
    for name, history in histories.items():
        data = history_dict(history, f"histories[{name!r}]")
        if metric not in data:
            raise ValueError(f"histories[{name!r}] has no {metric!r}; it has {sorted(data)}")
        runs[str(name)] = data
    import matplotlib.pyplot as plt
    from matplotlib.lines import Line2D

    fig, axes = plt.subplots(
        1, len(runs), figsize=(2.8 * len(runs) + 1.0, 3.3), sharey=True, layout="constrained", squeeze=False
    )
    lower_is_better = "loss" in metric or "error" in metric
    any_val = any_diverged = False
    for ax, (name, data) in zip(axes[0], runs.items()):
        val = data.get(f"val_{metric}")
        any_val |= val is not None
        any_diverged |= _draw_run(ax, name, data[metric], val, lower_is_better=lower_is_better)
        if logy:
            ax.set_yscale("log")
        ax.set_xlabel("epoch")
        integer_epochs(ax)
        ax.grid(alpha=0.3)
    handles = [Line2D([], [], color="C0", label=f"training {metric}")]
    if any_val:
        handles += [
            Line2D([], [], color="C1", linestyle="--", label=f"validation {metric}"),
            Line2D([], [], color="C1", marker="o", linestyle="", label="best validation epoch"),
        ]
    if any_diverged:
        handles.append(
            Line2D([], [], color="0.3", marker="x", linestyle="", label="diverged (NaN or inf after)")
        )
    axes[0][0].legend(handles=handles, fontsize="small")
    axes[0][0].set_ylabel(metric + (" (log scale)" if logy else ""))
    fig.suptitle(title if title is not None else f"{metric} per epoch")
    return fig


def _draw_run(
    ax: Any, name: str, train: np.ndarray, val: np.ndarray | None, *, lower_is_better: bool
) -> bool:
    """One panel of :func:`plot_histories`: the finite part of each curve and the best finite validation epoch.

    Returns whether a curve diverged (became NaN or infinite); the panel's title then says so.
    """
    epochs = np.arange(1, len(train) + 1)
    ax.plot(epochs, train, color="C0")
    diverged = mark_divergence(ax, epochs, train, "C0")
    title = name
    if val is not None:
        val_epochs = np.arange(1, len(val) + 1)
        ax.plot(val_epochs, val, color="C1", linestyle="--")
        diverged |= mark_divergence(ax, val_epochs, val, "C1")
        finite = np.where(np.isfinite(val), val, np.inf if lower_is_better else -np.inf)
        if np.isfinite(val).any():
            best = int(np.argmin(finite) if lower_is_better else np.argmax(finite))
            ax.axvline(best + 1, color="0.5", linestyle=":")
            ax.plot(best + 1, val[best], "o", color="C1", label=f"best epoch: {best + 1}")
            title = f"{name} (best epoch {best + 1})"
    if diverged:
        title += ", diverged"
    ax.set_title(title, fontsize="medium")
    return diverged
