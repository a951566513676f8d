"""The learning-rate range test (chapter 5b): one short run whose learning rate grows step by step.

:class:`LearningRateRangeTest` is a Keras callback: before every batch it sets the optimizer's
learning rate to the next of a geometric series, after every batch it records the batch's loss, and
it stops the run once the loss has blown up. :func:`lr_range_test` runs it on a compiled model and
puts the model back as it was; :class:`RangeTestResult` holds the loss against the learning rate.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Any

import numpy as np

from .. import _checks as checks
from .._checks import Check, checked
from .._validation import check_array, check_float, describe

__all__ = ["RangeTestResult", "LearningRateRangeTest", "lr_range_test"]


@dataclass(frozen=True)
class RangeTestResult:
    """The loss of each batch of a range test against the learning rate that batch was trained at.

    Made by :func:`lr_range_test` (or from a :class:`LearningRateRangeTest`'s ``result``).

    Attributes
    ----------
    learning_rates : tuple of float
        Positive and increasing: one per recorded batch.
    losses : tuple of float
        The training loss of each of those batches (NaN or infinite once the run has blown up).
    smoothing : float
        In [0, 1): the weight of the past in the exponential moving average
        :attr:`smoothed_losses` (0 keeps the raw losses).

    Examples
    --------
    >>> result = RangeTestResult((0.001, 0.01, 0.1, 1.0), (0.7, 0.5, 0.2, 3.0), smoothing=0.0)
    >>> result.min_loss_rate, result.suggestion
    (0.1, 0.01)
    """

    learning_rates: tuple[float, ...]
    losses: tuple[float, ...]
    smoothing: float = 0.9

    def __post_init__(self) -> None:
        rates = check_array(self.learning_rates, "learning_rates", ndim=1)
        if np.any(rates <= 0) or np.any(np.diff(rates) <= 0):
            raise ValueError(
                "learning_rates must be positive and increasing, one per batch of the range test, got "
                f"{np.round(rates[:6], 8).tolist()}{' ...' if len(rates) > 6 else ''}"
            )
        losses = check_array(self.losses, "losses", ndim=1, finite=False)
        if len(losses) != len(rates):
            raise ValueError(
                f"losses must hold one loss per learning rate: {len(rates)} learning rates but "
                f"{len(losses)} losses"
            )
        if not np.isfinite(losses[0]):
            raise ValueError(f"losses[0] must be finite (the loss at the smallest rate), got {losses[0]}")
        smoothing = check_float(self.smoothing, "smoothing", low=0.0, high=1.0, high_inclusive=False)
        object.__setattr__(self, "learning_rates", tuple(float(v) for v in rates))
        object.__setattr__(self, "losses", tuple(float(v) for v in losses))
        object.__setattr__(self, "smoothing", smoothing)

    @property
    def smoothed_losses(self) -> tuple[float, ...]:
        """The exponential moving average of the losses, corrected for its start at 0 (as Adam's).

        NaN from the first loss that is not finite on: the run has blown up there.
        """
        beta, average = self.smoothing, 0.0
        out: list[float] = []
        for i, loss in enumerate(self.losses):
            if not np.isfinite(loss) or (out and not np.isfinite(out[-1])):
                out.append(math.nan)
                continue
            average = beta * average + (1 - beta) * loss
            out.append(average / (1 - beta ** (i + 1)))
        return tuple(out)

    @property
    def min_loss_rate(self) -> float:
        """The learning rate at which the smoothed loss is lowest (the first of equal ones)."""
        smoothed = np.array(self.smoothed_losses)
        return self.learning_rates[int(np.nanargmin(smoothed))]

    @property
    def suggestion(self) -> float:
        """A first learning rate to try: :attr:`min_loss_rate` divided by 10.

        A rule of thumb, not a measurement: at the lowest point of the curve the rate is already near
        where training breaks down (the loss is lowest there after steps taken at *smaller* rates),
        so a tenth of it is a rate that still makes fast progress with room to spare. It is a
        starting point for a short sweep judged on the validation loss (chapter 4), not its result.
        """
        return self.min_loss_rate / 10


#: The options of a range test, each on its own (that ``stop`` is above ``start`` is checked in the body).
RANGE = {
    "start": checks.learning_rate,
    "stop": checks.learning_rate,
    "steps": checks.integer(minimum=2),
    "stop_factor": checks.number(1.0, low_inclusive=False),
    "smoothing": checks.number(0.0, 1.0, high_inclusive=False),
}


def _check_model(model: Any, name: str) -> Any:
    from .._backend import import_keras  # at the call, not at import

    if not isinstance(model, import_keras().Model):
        raise TypeError(f"{name} must be a compiled keras.Model, got {describe(model)}")
    if getattr(model, "optimizer", None) is None:
        raise ValueError(f"{name} must be compiled first: call model.compile(optimizer=..., loss=...)")
    # a number gives the optimizer a variable to assign; a schedule, a tensor computed at each step
    # (Keras 3.3's variables are not keras.Variable instances, so test for assign, not the class)
    if not hasattr(model.optimizer.learning_rate, "assign"):
        raise ValueError(f"{name}'s optimizer must have a number as learning rate, not a schedule")
    return model


def _check_batches(data: Any, name: str) -> Any:
    n_batches = int(data.cardinality()) if hasattr(data, "cardinality") else -1
    if n_batches < 1:
        raise TypeError(
            f"{name} must be a finite, non-empty tf.data.Dataset of batches, such as to_dataset(X, y) "
            f"returns, got {describe(data)}"
        )
    return data


MODEL = Check(_check_model, ((None, TypeError), ("model", TypeError)))
BATCHES = Check(_check_batches, ((None, TypeError), ([[0.0, 1.0]], TypeError)))


_KERAS_CLASS: dict[int, type] = {}


class LearningRateRangeTest:
    """A Keras callback that raises the learning rate geometrically, batch by batch, and records the loss.

    Before batch ``k`` (counted over the whole run) it sets the optimizer's learning rate to
    ``start * (stop / start) ** (k / (steps - 1))``; after it, it records that batch's loss. Keras's
    ``logs["loss"]`` is the running mean since the start of the epoch, so the callback resets the
    model's metrics before every batch to get the loss of that batch alone. It stops training after
    ``steps`` batches, or as soon as the loss is not finite or its moving average (``smoothing``, as
    in :attr:`RangeTestResult.smoothed_losses`) exceeds ``stop_factor`` times its lowest value.
    Pass it to ``model.fit`` with enough epochs to hold ``steps`` batches; the weights end up trained
    at too large a rate, so keep a copy (:func:`lr_range_test` does).

    Parameters
    ----------
    start, stop : float
        The first and last learning rate, ``0 < start < stop``.
    steps : int
        The number of batches from ``start`` to ``stop`` (at least 2).
    stop_factor : float
        Above 1: stop once the smoothed loss exceeds this many times its lowest value so far.
    smoothing : float
        In [0, 1): the weight of the past in the moving average of the losses.

    Examples
    --------
    >>> callback = LearningRateRangeTest(start=1e-4, stop=1.0, steps=5)
    >>> [round(callback.rate(k), 6) for k in range(5)]
    [0.0001, 0.001, 0.01, 0.1, 1.0]
    """

    model: Any  # set by Keras (keras.callbacks.Callback.set_model) when fit starts

    def __new__(cls, *args: Any, **kwargs: Any) -> Any:
        if cls is LearningRateRangeTest:  # the class with keras.callbacks.Callback as a base, made once
            from .._backend import import_keras

            base = import_keras().callbacks.Callback
            if id(base) not in _KERAS_CLASS:
                _KERAS_CLASS[id(base)] = type("LearningRateRangeTest", (cls, base), {"__doc__": cls.__doc__})
            cls = _KERAS_CLASS[id(base)]
        return super().__new__(cls)

    @checked(**RANGE)
    def __init__(
        self,
        start: float = 1e-5,
        stop: float = 10.0,
        steps: int = 100,
        stop_factor: float = 4.0,
        smoothing: float = 0.9,
    ):
        super().__init__()
        if stop <= start:
            raise ValueError(f"stop must be larger than start, got start={start:g} and stop={stop:g}")
        self.start, self.stop, self.steps, self.stop_factor, self.smoothing = (
            start,
            stop,
            steps,
            stop_factor,
            smoothing,
        )
        self._rates: list[float] = []
        self._losses: list[float] = []

    @checked(k=checks.integer(minimum=0))
    def rate(self, k: int) -> float:
        """The learning rate of batch ``k`` (0 for the first), on the geometric series."""
        return self._rate(k)

    def _rate(self, k: int) -> float:
        """:meth:`rate` without its check, for the hooks Keras calls on every batch (``k`` is theirs)."""
        return float(self.start * (self.stop / self.start) ** (k / (self.steps - 1)))

    @property
    def result(self) -> RangeTestResult:
        """What was recorded so far, as a :class:`RangeTestResult`."""
        if not self._rates:
            raise ValueError(
                "the range test has recorded no batch yet; pass it to model.fit(callbacks=[...])"
            )
        return RangeTestResult(tuple(self._rates), tuple(self._losses), self.smoothing)

    def on_train_begin(self, logs: Any = None) -> None:
        self._rates, self._losses = [], []

    def on_train_batch_begin(self, batch: int, logs: Any = None) -> None:
        for metric in self.model.metrics:  # logs["loss"] is then this batch's loss, not the epoch's mean
            metric.reset_state()
        self.model.optimizer.learning_rate = self._rate(len(self._rates))

    def on_train_batch_end(self, batch: int, logs: Any = None) -> None:
        loss = float((logs or {})["loss"])
        self._rates.append(self._rate(len(self._rates)))
        self._losses.append(loss)
        smoothed = self.result.smoothed_losses
        blown_up = not np.isfinite(smoothed[-1]) or smoothed[-1] > self.stop_factor * np.nanmin(smoothed)
        if blown_up or len(self._rates) >= self.steps:
            self.model.stop_training = True


@checked(model=MODEL, data=BATCHES, **RANGE)
def lr_range_test(
    model: Any,
    data: Any,
    *,
    start: float = 1e-5,
    stop: float = 10.0,
    steps: int = 100,
    stop_factor: float = 4.0,
    smoothing: float = 0.9,
) -> RangeTestResult:
    """Run a :class:`LearningRateRangeTest` on a compiled model, then put the model back as it was.

    The weights, the optimizer's state and its learning rate are restored afterwards, so the model
    can then be trained from where it was at the rate the test suggests.

    Parameters
    ----------
    model : keras.Model
        Compiled, with an optimizer whose learning rate is a number (not a schedule).
    data : tf.data.Dataset
        Batches of (features, labels), such as :func:`dlnotes.data.to_dataset` makes; it is
        repeated for as many epochs as ``steps`` batches need.
    start, stop, steps, stop_factor, smoothing
        As for :class:`LearningRateRangeTest`.

    Returns
    -------
    RangeTestResult

    Examples
    --------
    >>> import keras
    >>> from dlnotes.data import make_pattern_data, to_dataset
    >>> from dlnotes.models import build_mlp
    >>> X, y = make_pattern_data(64, 3, seed=0)
    >>> model = build_mlp(3, (8,))
    >>> model.compile(optimizer=keras.optimizers.SGD(0.01), loss="binary_crossentropy")
    >>> result = lr_range_test(model, to_dataset(X, y, batch_size=16), start=1e-3, stop=1.0, steps=8)
    >>> len(result.losses) <= 8, round(float(np.asarray(model.optimizer.learning_rate)), 6)  # rate put back
    (True, 0.01)
    """
    n_batches = int(data.cardinality())
    callback = LearningRateRangeTest(start, stop, steps, stop_factor, smoothing)
    optimizer = model.optimizer
    optimizer.build(model.trainable_variables)
    weights, state = model.get_weights(), [v.numpy() for v in optimizer.variables]
    lr = float(np.asarray(optimizer.learning_rate))  # Keras 3.3's variables have no __float__
    try:
        model.fit(
            data, epochs=math.ceil(callback.steps / n_batches), verbose=0, shuffle=False, callbacks=[callback]
        )
    finally:
        model.set_weights(weights)
        for variable, value in zip(optimizer.variables, state):
            variable.assign(value)
        optimizer.learning_rate = lr
    return callback.result
