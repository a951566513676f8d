"""Input checks shared by every public function of dlnotes, and the one error contract they keep.

Each check either returns the value in a clean form (an ``int``, a ``float``, a NumPy array) or raises.

The error contract of every public function and method:

- a value of the wrong **type** (a string where a number goes, a dict where a list goes, ``ax="left"``,
  ``logy="no"``, ``stratify=0``) raises ``TypeError``;
- a value of the right type but a wrong **value** (a negative size, a 1-D array where a 2-D one goes,
  NaN or infinity, a number beyond float32 for an array handed to Keras, a label 2) raises ``ValueError``;
- the message starts with, or contains, the name of the parameter at fault (``X``, ``y_prob``,
  ``histories['run']``, ``layer_sizes[1]``), says what was expected, what was received and, where it
  helps, how to fix it. Tests match these messages with ``pytest.raises(match=...)``.
- Boolean flags accept only ``True`` and ``False`` (NumPy's too), never 0/1 or strings.
- A training run whose loss becomes NaN or infinite is not an error: it is reported as diverged.
"""

from __future__ import annotations

import contextlib
import difflib
import math
import numbers
from collections.abc import Iterable, Mapping, Sequence
from typing import Any

import numpy as np

from ._keras import activation_keeps_shape, keras_knows, keras_names


def describe(value: Any) -> str:
    """A short description of a received value for error messages."""
    if isinstance(value, np.ndarray):
        return f"an array of shape {value.shape} and dtype {value.dtype}"
    text = repr(value)
    if len(text) > 60:
        text = text[:57] + "..."
    return f"{text} ({type(value).__name__})"


def _to_float(value: numbers.Real, name: str) -> float:
    """``float(value)``; an integer too large for a float (10**400) is a wrong value, not an OverflowError."""
    try:
        return float(value)
    except OverflowError:
        raise ValueError(
            f"{name} must be a finite number, got an integer of {len(str(abs(math.trunc(value))))} digits"
        ) from None


def check_int(value: Any, name: str, *, minimum: int | None = None, maximum: int | None = None) -> int:
    """Return ``value`` as an ``int``; reject bools, floats and values outside [minimum, maximum]."""
    if isinstance(value, (bool, np.bool_)) or not isinstance(value, numbers.Integral):
        raise TypeError(f"{name} must be an integer, got {describe(value)}")
    value = int(value)
    if minimum is not None and value < minimum:
        raise ValueError(f"{name} must be >= {minimum}, got {value}")
    if maximum is not None and value > maximum:
        raise ValueError(f"{name} must be <= {maximum}, got {value}")
    return value


def check_seed(seed: Any, name: str = "seed") -> int:
    """Return ``seed`` as a non-negative ``int`` below 2**32 (what NumPy and Keras accept)."""
    return check_int(seed, name, minimum=0, maximum=2**32 - 1)


def check_float(
    value: Any,
    name: str,
    *,
    low: float | None = None,
    high: float | None = None,
    low_inclusive: bool = True,
    high_inclusive: bool = True,
) -> float:
    """Return ``value`` as a finite ``float`` inside the given interval."""
    if isinstance(value, (bool, np.bool_)) or not isinstance(value, numbers.Real):
        raise TypeError(f"{name} must be a real number, got {describe(value)}")
    value = _to_float(value, name)
    if not np.isfinite(value):
        raise ValueError(f"{name} must be a finite number, got {value}")
    too_low = low is not None and (value < low if low_inclusive else value <= low)
    too_high = high is not None and (value > high if high_inclusive else value >= high)
    if too_low or too_high:
        left = "[" if low_inclusive else "("
        right = "]" if high_inclusive else ")"
        lo = "-inf" if low is None else f"{low:g}"
        hi = "inf" if high is None else f"{high:g}"
        raise ValueError(f"{name} must be in {left}{lo}, {hi}{right}, got {value:g}")
    return value


def check_choice(value: Any, name: str, choices: Iterable[str]) -> str:
    """Return ``value`` if it is one of ``choices``, else raise naming the allowed values."""
    choices = list(choices)
    if not isinstance(value, str):
        raise TypeError(f"{name} must be a string, one of {choices}, got {describe(value)}")
    if value not in choices:
        raise ValueError(f"{name} must be one of {choices}, got {value!r}{did_you_mean(value, choices)}")
    return value


def did_you_mean(value: str, valid: Iterable[str]) -> str:
    """``" (did you mean 'adam'?)"`` for a misspelt name close to valid ones, else ``""``."""
    valid = list(valid)
    lowered = {v.lower(): v for v in valid}
    close = difflib.get_close_matches(value.lower(), list(lowered), n=2, cutoff=0.6)
    return f" (did you mean {' or '.join(repr(lowered[c]) for c in close)}?)" if close else ""


def check_array(
    X: Any,
    name: str,
    *,
    ndim: int | Sequence[int] | None = None,
    allow_empty: bool = False,
    finite: bool = True,
    dtype: Any = np.float64,
) -> np.ndarray:
    """Return ``X`` as a NumPy array of ``dtype``, checking dimensions, emptiness and finiteness."""
    if isinstance(X, (str, bytes)) or X is None:
        raise TypeError(f"{name} must be array-like (a NumPy array or nested lists), got {describe(X)}")
    if np.iscomplexobj(X) or (
        isinstance(X, np.ndarray) and X.dtype == object and any(isinstance(v, complex) for v in X.flat)
    ):
        raise TypeError(f"{name} must hold real numbers, got complex values in {describe(X)}")
    try:
        array = np.asarray(X, dtype=dtype)
    except OverflowError:
        raise ValueError(f"{name} holds integers too large for a float64 (beyond about 1.8e308)") from None
    except (TypeError, ValueError) as error:
        raise TypeError(
            f"{name} must be array-like of numbers, got {describe(X)} which NumPy cannot convert ({error})"
        ) from None
    if ndim is not None:
        allowed = (ndim,) if isinstance(ndim, int) else tuple(ndim)
        if array.ndim not in allowed:
            wanted = " or ".join(f"{d}-D" for d in allowed)
            hint = ""
            if 2 in allowed and array.ndim == 1:
                hint = "; for a single sample use X.reshape(1, -1), for a single feature X.reshape(-1, 1)"
            elif allowed == (1,) and array.ndim == 2 and array.shape[1] == 1:
                hint = f"; for one column use {name}.ravel()"
            raise ValueError(f"{name} must be {wanted}, got an array of shape {array.shape}{hint}")
    if not allow_empty and array.size == 0:
        if array.ndim >= 2 and array.shape[0] > 0:
            raise ValueError(
                f"{name} has {array.shape[0]} samples but no features (shape {array.shape}); it needs at "
                "least one feature (column) per sample"
            )
        raise ValueError(f"{name} is empty (shape {array.shape}); it needs at least one sample")
    if finite and np.issubdtype(array.dtype, np.floating) and not np.all(np.isfinite(array)):
        bad = int(np.size(array) - np.count_nonzero(np.isfinite(array)))
        raise ValueError(f"{name} contains {bad} NaN or infinite value(s); remove or impute them first")
    return array


#: The largest finite float32: Keras computes in float32, so a larger feature value becomes inf there.
FLOAT32_MAX = float(np.finfo(np.float32).max)


def check_labels(y: Any, name: str = "y") -> np.ndarray:
    """A 1-D array of labels (or a target) that keeps an integer or boolean dtype; anything else as float64."""
    kept = y if isinstance(y, np.ndarray) else None
    if kept is None and not isinstance(y, (str, bytes)) and y is not None:
        with contextlib.suppress(TypeError, ValueError):  # e.g. ragged lists: check_array says so below
            kept = np.asarray(y)
    if kept is not None and kept.dtype.kind in "biu":
        return check_array(kept, name, ndim=1, dtype=None)
    return check_array(y, name, ndim=1)


def check_float32_range(array: np.ndarray, name: str) -> np.ndarray:
    """Refuse values that are finite in float64 but would become inf once cast to float32 for Keras."""
    if array.size and np.issubdtype(array.dtype, np.number) and np.max(np.abs(array)) > FLOAT32_MAX:
        raise ValueError(
            f"{name} holds values beyond float32's range (|x| > {FLOAT32_MAX:.4g}); Keras computes in float32, "
            "where they would become inf: rescale them first (e.g. with dlnotes.data.standardize)"
        )
    return array


def check_same_length(a: np.ndarray, a_name: str, b: np.ndarray, b_name: str) -> None:
    """Raise if two arrays do not have the same number of samples (first dimension)."""
    if len(a) != len(b):
        raise ValueError(f"{a_name} has {len(a)} samples but {b_name} has {len(b)}; they must match")


def _check_column(values: Any, name: str, hint: str = "") -> np.ndarray:
    """One value per sample: a finite 1-D array, or a 2-D one with a single column, returned 1-D."""
    array = check_array(values, name, ndim=(1, 2))
    if array.ndim == 2:
        if array.shape[1] != 1:
            raise ValueError(f"{name} must have shape (n,) or (n, 1), got {array.shape}{hint}")
        array = array[:, 0]
    return array


#: What to use instead of a binary-only helper, for labels of several classes.
BINARY_ONLY = (
    "dlnotes's classifiers and metrics are binary by design (one sigmoid output, labels 0 and 1): for one "
    "class k against the rest pass (y == k).astype(int); for several classes build a softmax model "
    "(dlnotes.models.head_for('multiclass', n_classes)) and score it with dlnotes.metrics.classification_report "
    "and multiclass_confusion_matrix (chapter 3b)"
)


def _why_not_binary(values: np.ndarray) -> str:
    """Why labels with these distinct ``values`` are not 0/1 labels, and what to do instead."""
    if not np.all(values == np.round(values)):
        return (
            "values that are not class labels (a regression target, or probabilities?); this helper takes "
            "binary labels 0 and 1 (threshold probabilities with dlnotes.metrics.apply_threshold; a "
            "regression target needs a regression model and metrics, e.g. head_for('regression'))"
        )
    if len(values) <= 2:
        coded = " and ".join(f"{v:g}" for v in values)
        return f"labels coded as {coded}: recode them as 0 and 1, e.g. (y == {values[-1]:g}).astype(int)"
    if len(values) > 10:
        return (
            f"{len(values)} distinct values, a regression or count target rather than class labels: dlnotes's "
            "classifiers and metrics are binary by design (labels 0 and 1); a regression target needs a "
            "linear output (dlnotes.models.head_for('regression')) and metrics such as 'mae'"
        )
    return f"{len(values)} classes; " + BINARY_ONLY


def check_binary_labels(y: Any, name: str = "y", *, both_classes: bool = False) -> np.ndarray:
    """Return labels as a 1-D ``int`` array of 0s and 1s; accept shape (n,) or (n, 1).

    Anything else is refused with the reason (several classes, other codes, a continuous target)
    and what to use instead. With ``both_classes``, labels of one class only are refused too (the ROC
    and precision-recall curves divide by the number of each).
    """
    array = _check_column(
        y, name, "; labels are one 0 or 1 per sample (for one-hot labels: y.argmax(axis=1))"
    )
    values = np.unique(array)
    if not np.all(np.isin(values, (0.0, 1.0))):
        shown = ", ".join(f"{v:g}" for v in values[:5]) + (", ..." if len(values) > 5 else "")
        raise ValueError(
            f"{name} must contain only the labels 0 and 1, got values {shown}: {_why_not_binary(values)}"
        )
    if both_classes and len(values) < 2:
        only = "1 (positive)" if values[0] == 1 else "0 (negative)"
        raise ValueError(
            f"{name} must contain both classes 0 and 1, got only label {only} in {len(array)} samples: "
            "with one class the true-positive or false-positive rate divides by zero and the curve and its "
            "area are undefined (scikit-learn warns and returns NaN); evaluate on a set with both classes"
        )
    return array.astype(np.int64)


def check_probabilities(p: Any, name: str = "y_prob") -> np.ndarray:
    """Return probabilities as a 1-D ``float`` array in [0, 1]; accept shape (n,) or (n, 1)."""
    array = _check_column(
        p,
        name,
        "; it takes one probability of class 1 per sample (a sigmoid output): this helper is binary by "
        "design; for a softmax over classes pass one class's column, e.g. probabilities[:, 1]",
    )
    if array.min() < 0.0 or array.max() > 1.0:
        raise ValueError(
            f"{name} must hold probabilities in [0, 1], got values from {array.min():g} to {array.max():g}"
        )
    return array


def check_bool(value: Any, name: str) -> bool:
    """Return ``value`` as a ``bool``; reject 0/1, strings and anything else that is not True or False."""
    if not isinstance(value, (bool, np.bool_)):
        raise TypeError(f"{name} must be True or False, got {describe(value)}")
    return bool(value)


def check_learning_rate(value: Any, name: str = "learning_rate") -> float:
    """A learning rate is a finite number above 0: 0 would not train, a negative one climbs the loss."""
    if isinstance(value, (bool, np.bool_)) or not isinstance(value, numbers.Real):
        raise TypeError(f"{name} must be a positive number such as 0.001, got {describe(value)}")
    value = _to_float(value, name)
    if not np.isfinite(value) or value <= 0:
        raise ValueError(f"{name} must be a positive, finite number such as 0.001, got {float(value):g}")
    return float(value)


def check_sizes(sizes: Any, name: str, *, min_len: int, example: str) -> list[int]:
    """Return layer sizes as a list of ints >= 1 with at least ``min_len`` entries, e.g. ``(128, 64)``."""
    if (
        isinstance(sizes, (str, bytes, Mapping))
        or not isinstance(sizes, (Sequence, np.ndarray))
        or (isinstance(sizes, np.ndarray) and sizes.ndim != 1)
    ):
        hint = ""
        if isinstance(sizes, numbers.Integral) and not isinstance(sizes, bool):
            hint = f"; for a single size write ({sizes},)"
        raise TypeError(
            f"{name} must be a sequence of integers such as {example}, got {describe(sizes)}{hint}"
        )
    sizes = list(sizes)
    if len(sizes) < min_len:
        raise ValueError(
            f"{name} must have at least {min_len} sizes (e.g. {example}), got {len(sizes)}: {sizes}"
        )
    return [check_int(size, f"{name}[{i}]", minimum=1) for i, size in enumerate(sizes)]


def check_keras_name(value: Any, name: str, kind: str, *, example: str) -> str:
    """Return ``value`` if Keras knows it as one of its ``kind`` (``"metrics"``, ``"losses"``, ``"activations"``,
    ``"optimizers"``): a wrong type is a TypeError, an unknown name a ValueError listing the names Keras knows.
    Checked before any model is built, so a typo fails at once, not inside ``model.fit``."""
    what = kind.rstrip("s").replace("activation", "activation function")
    if not isinstance(value, str):
        raise TypeError(
            f"{name} must be the name of a Keras {what} such as {example!r}, got {describe(value)}"
        )
    if keras_knows(kind, value):
        return value
    valid = keras_names(kind)
    raise ValueError(
        f"{name} must be the name of a Keras {what} such as {example!r}, got {value!r}"
        f"{did_you_mean(value, valid)}; Keras knows {', '.join(valid)}"
    )


def check_activation(value: Any, name: str, *, allow_callable: bool = False) -> Any:
    """Return a Keras activation: a name Keras knows, or (if allowed) a callable; ``None`` means linear."""
    if allow_callable and value is None:
        return "linear"
    if allow_callable and callable(value):
        return value
    if not isinstance(value, str):
        also = ", or a callable" if allow_callable else ""
        raise TypeError(f"{name} must be an activation name such as 'relu'{also}, got {describe(value)}")
    value = check_keras_name(value, name, "activations", example="relu")
    if not activation_keeps_shape(value):
        raise ValueError(
            f"{name}={value!r} cannot be a Dense layer's activation on its own (it changes the number of "
            "units or needs more arguments); use e.g. 'relu', 'tanh' or 'sigmoid'"
        )
    return value


#: The most weights a network built here may have (4 GB of float32, 8 GB of float64): beyond, it fails
#: deep inside NumPy or TensorFlow (out of memory).
MAX_PARAMS = 10**9


def check_network_size(sizes: Sequence[int], names: str) -> None:
    """Refuse a fully connected network of more than :data:`MAX_PARAMS` weights; ``names`` says which arguments
    gave the sizes (input, hidden..., output)."""
    n_params = sum(a * b + b for a, b in zip(sizes[:-1], sizes[1:]))
    if n_params > MAX_PARAMS:
        shown = (
            f"{n_params:.3g}" if n_params < 10**300 else f"about 1e{len(str(n_params)) - 1}"
        )  # no float overflow
        raise ValueError(
            f"{names} give a network of {shown} weights, more than fit in memory here ({MAX_PARAMS:.0e}, "
            "4 GB of float32): use fewer or smaller layers"
        )


def check_metrics(metrics: Any, name: str = "metrics") -> list[Any]:
    """A list of metric names Keras knows (``["accuracy"]``) or Keras metrics; may be empty."""
    if isinstance(metrics, (str, bytes)) or not isinstance(metrics, (Sequence, np.ndarray)):
        hint = f"; for a single metric write [{metrics!r}]" if isinstance(metrics, str) else ""
        raise TypeError(
            f"{name} must be a list of metric names such as ['accuracy'], got {describe(metrics)}{hint}"
        )
    checked = []
    for i, metric in enumerate(metrics):
        if isinstance(metric, str):
            metric = check_keras_name(metric, f"{name}[{i}]", "metrics", example="accuracy")
        else:
            from ._backend import import_keras

            if not isinstance(metric, import_keras().metrics.Metric):
                raise TypeError(
                    f"{name}[{i}] must be a metric name such as 'accuracy' or a Keras metric such as "
                    f"keras.metrics.AUC(), got {describe(metric)}"
                )
        checked.append(metric)
    return checked


def check_callbacks(callbacks: Any, name: str = "callbacks") -> list[Any]:
    """A list of Keras callbacks (Keras is imported only when there is one to check)."""
    if isinstance(callbacks, (str, bytes)) or not isinstance(callbacks, Sequence):
        raise TypeError(f"{name} must be a list of Keras callbacks, got {describe(callbacks)}")
    if callbacks:
        from ._backend import import_keras

        keras = import_keras()
        for i, callback in enumerate(callbacks):
            if not isinstance(callback, keras.callbacks.Callback):
                raise TypeError(f"{name}[{i}] must be a Keras callback, got {describe(callback)}")
    return list(callbacks)


def check_X_y(
    X: Any, y: Any, X_name: str = "X", y_name: str = "y", *, float32: bool = False
) -> tuple[np.ndarray, np.ndarray]:
    """Return 2-D features and 0/1 labels with the same number of samples (features within float32 if asked)."""
    X = check_array(X, X_name, ndim=2)
    if float32:
        check_float32_range(X, X_name)
    y = check_binary_labels(y, y_name)
    check_same_length(X, X_name, y, y_name)
    return X, y


def check_axes(ax: Any) -> None:
    """``ax`` is one Matplotlib ``Axes`` or None (not a Figure, a string or an array of axes)."""
    if ax is None:
        return
    from matplotlib.axes import Axes

    if not isinstance(ax, Axes):
        hint = "; pick one of them, e.g. axes[0]" if isinstance(ax, (np.ndarray, list, tuple)) else ""
        raise TypeError(f"ax must be a matplotlib Axes or None, got {describe(ax)}{hint}")


def check_mapping(value: Any, name: str, what: str) -> Mapping:
    """Return ``value`` if it is a non-empty mapping: a wrong type is a TypeError, an empty one a ValueError."""
    if not isinstance(value, Mapping):
        raise TypeError(f"{name} must be a non-empty dict of {what}, got {describe(value)}")
    if not value:
        raise ValueError(f"{name} must be a non-empty dict of {what}, got an empty one")
    return value


def check_curve(values: Any, name: str) -> np.ndarray:
    """One value per epoch: a 1-D array of real numbers; NaN and inf allowed (a diverged run)."""
    if isinstance(values, (numbers.Number, np.generic)):
        raise TypeError(
            f"{name} must be a list of values, one per epoch, got the single value {describe(values)}"
        )
    array = check_array(values, name, ndim=1, finite=False, allow_empty=True)
    if array.size == 0:
        raise ValueError(f"{name} is empty; it needs at least one value (one per epoch)")
    return array
