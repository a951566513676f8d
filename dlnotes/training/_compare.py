"""Runs that differ in one option and nothing else: :func:`compare` and its :class:`Comparison`.

Chapter 1 compares optimizers, chapter 4 learning rates; both ask the same question ("same network,
same start, same batches: what does this one option change?"), so one function answers both, and
it trains through :func:`train_mlp`, the package's one build-compile-fit path.
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np

from .. import _checks as checks
from .._checks import checked
from .._validation import check_choice, check_X_y, describe
from ..metrics import best_first
from ._fit import OPTION_CHECKS, check_validation_data, train_mlp

__all__ = ["Comparison", "compare", "COMPARED", "VARIED"]

#: The options of :func:`train_mlp` that :func:`compare` can vary or hold fixed. Not ``seed`` (every
#: run uses compare's own, which is what makes the start the same); nor Keras's own keywords
#: (``train_mlp``'s ``KERAS_OPTIONS``: a callback keeps state from run to run, and the runs are
#: compared by their loss, not by metrics).
COMPARED = tuple(name for name in OPTION_CHECKS if name != "seed")
#: The options it can vary: all of those but ``epochs`` (every curve has the same length).
VARIED = tuple(name for name in COMPARED if name != "epochs")


@dataclass(frozen=True)
class Comparison:
    """The loss curves of runs that differ only in one option; made by :func:`compare`.

    Attributes
    ----------
    option : str
        The option of :func:`train_mlp` that was varied, e.g. ``"optimizer"`` or ``"learning_rate"``.
    labels : tuple of str
        One label per run, for legends and tables.
    values : tuple
        The option's value in each run.
    losses : tuple of tuple of float
        Per run, ``epochs + 1`` losses on the training data: element 0 at the shared initial
        weights, element ``e`` after epoch ``e``; NaN once a run has diverged.
    val_losses : tuple of tuple of float
        The same on the validation data, or ``()`` without validation data.

    Examples
    --------
    >>> runs = Comparison("learning_rate", ("0.1", "1"), (0.1, 1.0), ((0.7, 0.5), (0.7, 0.9)))
    >>> runs.final_losses, runs.diverged, runs.best(), runs.chosen_by
    ((0.5, 0.9), (False, True), 0.1, 'training loss')
    """

    option: str
    labels: tuple[str, ...]
    values: tuple[Any, ...]
    losses: tuple[tuple[float, ...], ...]
    val_losses: tuple[tuple[float, ...], ...] = ()

    @property
    def final_losses(self) -> tuple[float, ...]:
        """Each run's training loss after the last epoch (NaN for a run that diverged to NaN or infinity)."""
        return tuple(curve[-1] for curve in self.losses)

    @property
    def final_val_losses(self) -> tuple[float, ...]:
        """Each run's validation loss after the last epoch; ``()`` without validation data."""
        return tuple(curve[-1] for curve in self.val_losses)

    @property
    def diverged(self) -> tuple[bool, ...]:
        """True for a run whose training loss became NaN or infinite, or ended above where it started."""
        return tuple(not np.isfinite(curve[-1]) or curve[-1] > curve[0] for curve in self.losses)

    @property
    def chosen_by(self) -> str:
        """What :meth:`best` compares by default: the validation loss if there is one, else the training loss."""
        return "validation loss" if self.val_losses else "training loss"

    def best(self, by: str | None = None) -> Any:
        """The value of the run with the lowest final loss among the runs that did not diverge.

        ``by``: ``"val_loss"`` or ``"loss"``; ``None`` takes the validation loss when the comparison
        has it (an option is a hyperparameter, chosen on data the training did not see), else the
        training loss (:attr:`chosen_by` says which). Of equal losses, the run listed first; NaN if
        every run diverged.
        """
        if by is None:
            by = "val_loss" if self.val_losses else "loss"
        by = check_choice(by, "by", ("val_loss", "loss") if self.val_losses else ("loss",))
        finals = self.final_val_losses if by == "val_loss" else self.final_losses
        scores = [math.nan if bad else loss for loss, bad in zip(finals, self.diverged)]
        first = int(best_first(scores, "min")[0])
        return self.values[first] if np.isfinite(scores[first]) else math.nan


def _label(value: Any) -> str:
    """A run's label from its value: ``0.001`` for a float, ``(32, 16)`` for a tuple, the name for a str."""
    if isinstance(value, float):  # short, but never the same label for two different values
        return f"{value:g}" if float(f"{value:g}") == value else repr(value)
    return str(tuple(value)) if isinstance(value, (list, tuple)) else str(value)


def _runs(option: str, values: Any) -> tuple[tuple[str, ...], tuple[Any, ...]]:
    """The labels and checked values of ``values``: a sequence, or a mapping of label -> value."""
    if isinstance(values, Mapping):
        for label in values:
            if not isinstance(label, str):
                raise TypeError(
                    f"values, when a dict, must map a label (str) to a value, got the key {label!r}"
                )
        labels, raw = tuple(values), tuple(values.values())
    elif (
        isinstance(values, (str, bytes))
        or not isinstance(values, (Sequence, np.ndarray))
        or (isinstance(values, np.ndarray) and values.ndim != 1)
    ):
        raise TypeError(
            f"values must be a list of the values of {option} to compare (or a dict of label -> value), "
            f"got {describe(values)}"
        )
    else:
        raw = tuple(values)
        labels = ()
    checked_values = tuple(OPTION_CHECKS[option](v, f"values[{i}]") for i, v in enumerate(raw))
    if not checked_values:
        raise ValueError(f"values is empty; give at least one value of {option} to compare")
    labels = labels or tuple(_label(v) for v in checked_values)
    if len(set(labels)) != len(labels):
        raise ValueError(f"values has repeated entries {list(labels)}; give each value once")
    return labels, checked_values


#: Why compare takes no such keyword.
NOT_COMPARED = {
    "seed": "compare's own seed starts every run, which is what makes the start the same",
    "callbacks": "a callback object keeps state from run to run; train with train_mlp to use one",
    "metrics": "the runs are compared by their loss",
    "validation_data": "give it to compare itself",
}


def _check_fixed(name: str) -> None:
    """A keyword that :func:`compare` holds fixed must be one of :data:`COMPARED`."""
    if name not in COMPARED:
        reason = NOT_COMPARED.get(name, "it is not a keyword of train_mlp")
        raise TypeError(
            f"compare got an unexpected keyword argument {name!r}: {reason}; it takes these keywords to "
            f"hold fixed: {list(COMPARED)}"
        )


@checked(option=checks.choice(VARIED), seed=checks.seed)
def compare(
    X: Any,
    y: Any,
    option: str,
    values: Sequence[Any] | Mapping[str, Any],
    *,
    validation_data: tuple[Any, Any] | None = None,
    seed: int = 0,
    **options: Any,
) -> Comparison:
    """Train one network once per value of ``option``, from the same start; record every loss curve.

    Each run is ``train_mlp(X, y, seed=seed, **{option: value}, **options)``. The same ``seed``
    gives every run the same initial weights (for the same layer sizes) and the same batches in the
    same order, so ``option`` is the only difference. After every epoch, and once before training,
    the loss on all of ``(X, y)`` (and on ``validation_data``) is computed with the weights of that
    moment, not Keras's running mean over the epoch's batches. A run whose loss becomes NaN or
    infinite is stopped; its remaining epochs are NaN.

    Parameters
    ----------
    X : array of shape (n_samples, n_features)
    y : array of shape (n_samples,) with labels 0 and 1
    option : str
        The keyword of :func:`train_mlp` to vary, one of ``dlnotes.training.VARIED``, e.g. ``"optimizer"``
        or ``"learning_rate"``.
    values : sequence, or mapping of label -> value
        The values of ``option``, one run each; with a dict, its keys label the runs.
    validation_data : pair (X_val, y_val), optional
        Also recorded per epoch; :meth:`Comparison.best` then chooses by it.
    seed : int
    **options
        The other keywords of :func:`train_mlp`, the same in every run (e.g. ``hidden=(32,)``,
        ``epochs=30``, ``batch_size=None`` for full-batch gradient descent).

    Returns
    -------
    Comparison

    Examples
    --------
    >>> from dlnotes.data import make_pattern_data
    >>> X, y = make_pattern_data(64, 3, seed=0)
    >>> runs = compare(X, y, "optimizer", ["sgd", "adam"], hidden=(4,), epochs=2, seed=0)
    >>> runs.labels, [len(curve) for curve in runs.losses]
    (('sgd', 'adam'), [3, 3])
    >>> runs.losses[0][0] == runs.losses[1][0]  # the same initial weights
    True
    """
    X, y = check_X_y(X, y, "X", "y", float32=True)
    validation = check_validation_data(validation_data, X.shape[1])
    for name in options:
        if name == option:
            raise TypeError(f"compare got {name!r} both as the option to vary and as a keyword to hold fixed")
        _check_fixed(name)
        options[name] = OPTION_CHECKS[name](options[name], name)
    labels, checked_values = _runs(option, values)
    epochs = options.get("epochs", 30)

    from .._backend import import_keras

    keras = import_keras()
    losses, val_losses = [], []
    for value in checked_values:
        tracker = _loss_tracker(keras, (X, y), validation)
        train_mlp(X, y, seed=seed, callbacks=[tracker], metrics=(), **{option: value}, **options)
        losses.append(_padded(tracker.losses, epochs))
        if validation is not None:
            val_losses.append(_padded(tracker.val_losses, epochs))
    return Comparison(option, labels, checked_values, tuple(losses), tuple(val_losses))


def _padded(losses: Sequence[float], epochs: int) -> tuple[float, ...]:
    """``epochs + 1`` losses: NaN for a loss that is not finite and for the epochs after a run stopped."""
    finite = [float(v) if np.isfinite(v) else math.nan for v in losses]
    return tuple(finite + [math.nan] * (epochs + 1 - len(finite)))


def _loss_tracker(keras: Any, data: tuple[np.ndarray, np.ndarray], validation: Any) -> Any:
    """A callback recording the loss on ``data`` (and ``validation``) before training and after every
    epoch, with the weights of that moment; it stops a run whose loss is no longer finite."""

    def as_float32(X: np.ndarray, y: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        return X.astype(np.float32), y.astype(np.float32)[:, None]

    data, validation = as_float32(*data), None if validation is None else as_float32(*validation)

    def loss(model: Any, X: np.ndarray, y: np.ndarray) -> float:
        # Keras's own loss, as fit and evaluate compute it: from the sigmoid's logits (which Keras
        # keeps with its output), so a saturated unit costs its full loss, not a clipped one.
        per_sample = keras.losses.binary_crossentropy(y, model(X, training=False))
        return float(np.mean(np.asarray(per_sample, dtype=np.float64)))

    class LossTracker(keras.callbacks.Callback):
        def __init__(self) -> None:
            super().__init__()
            self.losses: list[float] = []
            self.val_losses: list[float] = []

        def _record(self) -> None:
            self.losses.append(loss(self.model, *data))
            if validation is not None:
                self.val_losses.append(loss(self.model, *validation))
            if not np.isfinite(self.losses[-1]):
                self.model.stop_training = True

        def on_train_begin(self, logs: Any = None) -> None:
            self._record()

        def on_epoch_end(self, epoch: int, logs: Any = None) -> None:
            self._record()

    return LossTracker()
