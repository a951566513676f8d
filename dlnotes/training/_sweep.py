"""One network from the same initial weights, trained at each of several learning rates (chapter 4)."""

from __future__ import annotations

import math
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np

from .. import _keras
from .._checks import checked
from .._validation import (
    check_curve,
    check_learning_rate,
    check_X_y,
    describe,
)
from ..metrics import best_first, metric_direction
from ..models import build_mlp
from ._fit import OPTION_CHECKS, check_validation_data, stop_when_not_finite

__all__ = ["LearningRateSweep", "learning_rate_sweep"]


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


def _check_rates(learning_rates: Any) -> list[float]:
    """``learning_rates`` as a non-empty list of positive floats."""
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
    return rates


def _padded(losses: Sequence[float], epochs: int) -> tuple[float, ...]:
    """One loss per epoch: NaN for an infinite loss and for the epochs after a run was stopped."""
    finite = [float(v) if np.isfinite(v) else math.nan for v in losses]
    return tuple(finite + [math.nan] * (epochs - len(finite)))


@checked(
    hidden=OPTION_CHECKS["hidden"],
    activation=OPTION_CHECKS["activation"],
    optimizer=OPTION_CHECKS["optimizer"],
    epochs=OPTION_CHECKS["epochs"],
    batch_size=OPTION_CHECKS["batch_size"],
    seed=OPTION_CHECKS["seed"],
)
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
    validation = check_validation_data(
        validation_data, X.shape[1], x_name="validation_data[0]", y_name="validation_data[1]", train_name="X"
    )
    rates = _check_rates(learning_rates)

    from .._backend import import_keras

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
        callbacks = [stop_when_not_finite(keras)]
        history = model.fit(
            data, validation_data=val, epochs=epochs, verbose=0, shuffle=False, callbacks=callbacks
        )
        for key, out in (("loss", curves), ("val_loss", val_curves)):
            if key in history.history:
                out.append(_padded(history.history[key], epochs))
    return LearningRateSweep(tuple(rates), tuple(curves), optimizer, tuple(val_curves))
