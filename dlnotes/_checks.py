"""Declarative checks: what each argument must be, declared next to the signature.

In the spirit of scikit-learn's ``validate_params``, small. A :class:`Check` is a function
``check(value, name)`` that returns the value (converted: ``np.int64(3)`` becomes ``3``) or raises
``TypeError`` for a wrong type and ``ValueError`` for a wrong value, with a message that names the
argument, says what was expected and what was received; beside it, values it must refuse, from which
the tests generate the bad-input cases (``tests/test_api.py``). :func:`checked` applies the checks
before the function runs::

    @checked(epochs=positive_int, batch_size=optional(positive_int))
    def train(X, y, *, epochs=30, batch_size=32): ...

Every declared argument is checked, a default too (so the body always receives the checked,
converted values: a list where the default is a tuple), in the order of the signature. The messages
are those of :mod:`dlnotes._validation`, which does the work.

An array is declared by what it must be on its own (:func:`array`, :data:`labels`,
:func:`binary_labels`, :data:`probabilities`, :data:`curve`); what depends on another argument (the
same number of samples, as many features as the network expects) stays in the function's body. A
kind used by one module only is declared there (the class labels and confusion matrices of
``metrics/_multiclass.py``).
"""

from __future__ import annotations

import functools
import inspect
import math
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any, TypeVar

import numpy as np

from ._validation import (
    check_activation,
    check_array,
    check_binary_labels,
    check_bool,
    check_callbacks,
    check_choice,
    check_curve,
    check_float,
    check_float32_range,
    check_int,
    check_labels,
    check_learning_rate,
    check_metrics,
    check_probabilities,
    check_seed,
    check_sizes,
    describe,
)

__all__ = ["Check", "checked", "integer", "positive_int", "seed", "boolean", "number", "choice", "optional"]
__all__ += ["learning_rate", "sizes", "activation", "callbacks", "metrics"]
__all__ += ["text", "function", "random_state", "seeds", "activation_or_callable", "array", "labels"]
__all__ += ["binary_labels", "probabilities", "curve", "timeout"]

F = TypeVar("F", bound=Callable[..., Any])


@dataclass(frozen=True)
class Check:
    """``check(value, name)`` returns the checked value or raises; ``bad`` holds ``(value, error)``
    pairs the check must refuse, for the generated tests."""

    check: Callable[[Any, str], Any]
    bad: tuple[tuple[Any, type[Exception]], ...]

    def __call__(self, value: Any, name: str) -> Any:
        return self.check(value, name)


def integer(minimum: int | None = None, maximum: int | None = None) -> Check:
    bad: list[tuple[Any, type[Exception]]] = [(1.5, TypeError), ("3", TypeError), (True, TypeError)]
    bad += [(minimum - 1, ValueError)] if minimum is not None else []
    bad += [(maximum + 1, ValueError)] if maximum is not None else []
    return Check(lambda value, name: check_int(value, name, minimum=minimum, maximum=maximum), tuple(bad))


def number(
    low: float | None = None,
    high: float | None = None,
    *,
    high_inclusive: bool = True,
    low_inclusive: bool = True,
) -> Check:
    bad: list[tuple[Any, type[Exception]]] = [("0.5", TypeError), (None, TypeError), (math.nan, ValueError)]
    bad += [(low - 1, ValueError)] if low is not None else []
    bad += [(low, ValueError)] if low is not None and not low_inclusive else []
    bad += [(high + (0 if not high_inclusive else 1), ValueError)] if high is not None else []

    def check(value: Any, name: str) -> float:
        return check_float(
            value, name, low=low, high=high, low_inclusive=low_inclusive, high_inclusive=high_inclusive
        )

    return Check(check, tuple(bad))


def choice(options: Iterable[str]) -> Check:
    options = tuple(options)
    return Check(
        lambda value, name: check_choice(value, name, options),
        (("no such option", ValueError), (3, TypeError)),
    )


def optional(inner: Check) -> Check:
    """``None`` or what ``inner`` accepts."""
    bad = tuple((value, error) for value, error in inner.bad if value is not None)  # None is good here
    return Check(lambda value, name: None if value is None else inner(value, name), bad)


positive_int = integer(minimum=1)
#: Seconds after which something is stopped: a finite number above 0.
timeout = number(0.0, low_inclusive=False)
seed = Check(check_seed, ((-1, ValueError), (2**32, ValueError), (0.5, TypeError), ("0", TypeError)))
boolean = Check(check_bool, (("yes", TypeError), (1, TypeError), (None, TypeError)))
learning_rate = Check(
    check_learning_rate, ((0, ValueError), (-0.1, ValueError), (math.inf, ValueError), ("0.1", TypeError))
)
activation = Check(check_activation, (("wiggle", ValueError), (3, TypeError)))
callbacks = Check(check_callbacks, (("EarlyStopping", TypeError), ([1], TypeError)))
metrics = Check(check_metrics, (("accuracy", TypeError), (["accuracyy"], ValueError)))


def sizes(*, min_len: int, example: str) -> Check:
    pad = [1] * max(min_len - 1, 0)  # enough good sizes before the bad one that the length is right
    bad: list[tuple[Any, type[Exception]]] = [
        (32, TypeError),
        ("32", TypeError),
        ([*pad, 0], ValueError),
        ([*pad, 2.5], TypeError),
    ]
    bad += [([], ValueError)] if min_len > 0 else []
    bad += [(pad, ValueError)] if min_len > 1 else []
    return Check(lambda value, name: check_sizes(value, name, min_len=min_len, example=example), tuple(bad))


def text(what: str, *, empty: bool = False) -> Check:
    """A string, described by ``what`` in the message (``"a metric name such as 'val_loss'"``); not ``""``
    unless ``empty``."""

    def check(value: Any, name: str) -> str:
        if not isinstance(value, str):
            raise TypeError(f"{name} must be {what}, got {describe(value)}")
        if not value and not empty:
            raise ValueError(f"{name} must be {what}, got an empty string")
        return value

    bad: list[tuple[Any, type[Exception]]] = [(3, TypeError), (None, TypeError)]
    return Check(check, tuple(bad + ([] if empty else [("", ValueError)])))


def function(what: str) -> Check:
    """A callable, described by ``what`` (``"a function of a seed, run(seed) -> score(s)"``)."""

    def check(value: Any, name: str) -> Any:
        if not callable(value):
            raise TypeError(f"{name} must be {what}, got {describe(value)}")
        return value

    return Check(check, (("run", TypeError), (None, TypeError), (3, TypeError)))


def _random_state(value: Any, name: str) -> Any:
    if value is None or isinstance(value, np.random.Generator):
        return value
    return check_seed(value, name)


#: ``None`` (no shuffling), a NumPy ``Generator`` (its next draws) or a seed.
random_state = Check(_random_state, ((-1, ValueError), (0.5, TypeError), ("0", TypeError)))


def seeds(*, min_len: int = 2) -> Check:
    """A list of at least ``min_len`` distinct seeds, e.g. ``[0, 1, 2]``."""

    def check(value: Any, name: str) -> list[int]:
        if isinstance(value, (str, bytes, Mapping)) or not isinstance(value, Sequence):
            raise TypeError(f"{name} must be a list of integers such as [0, 1, 2], got {describe(value)}")
        found = [check_seed(item, f"{name}[{i}]") for i, item in enumerate(value)]
        if len(found) < min_len:
            raise ValueError(
                f"{name} must hold at least {min_len} seeds (one run has no spread), got {found}"
            )
        if len(set(found)) != len(found):
            raise ValueError(f"{name} must be distinct (a repeated seed repeats a run exactly), got {found}")
        return found

    bad = (
        (0, TypeError),
        ("012", TypeError),
        ([0, 1.5], TypeError),
        ([0, -1], ValueError),
        ([0, 0], ValueError),
    )
    return Check(check, bad + (([0], ValueError),) if min_len > 1 else bad)


#: A Keras activation name or a callable; ``None`` means linear.
activation_or_callable = Check(
    lambda value, name: check_activation(value, name, allow_callable=True),
    (("wiggle", ValueError), (3, TypeError)),
)

# Arrays. Their bad values are what any one array can get wrong on its own: the type, the number of
# dimensions, emptiness, NaN or infinity. What depends on another argument (the same number of samples,
# the features a network expects) stays in the function.


def array(*, ndim: int | tuple[int, ...], float32: bool = False) -> Check:
    """A finite, non-empty array of numbers with ``ndim`` dimensions (one of them), as float64; within
    float32's range if ``float32`` (for Keras)."""
    dims = (ndim,) if isinstance(ndim, int) else ndim

    def check(value: Any, name: str) -> np.ndarray:
        checked = check_array(value, name, ndim=ndim)
        return check_float32_range(checked, name) if float32 else checked

    bad: list[tuple[Any, type[Exception]]] = [("abc", TypeError), (None, TypeError)]
    bad += [(np.zeros((2, 2, 2)), ValueError)] if 3 not in dims else []
    bad += [(np.zeros((0, 2)), ValueError)] if 2 in dims else [(np.zeros(0), ValueError)]
    bad += [([[0.0, math.nan]] if 2 in dims else [0.0, math.nan], ValueError)]
    bad += [([[1e39]] if 2 in dims else [1e39], ValueError)] if float32 else []
    return Check(check, tuple(bad))


#: One label or target per sample, 1-D; an integer or boolean dtype is kept, anything else is float64.
labels = Check(
    check_labels,
    (
        ("abc", TypeError),
        (None, TypeError),
        (np.zeros(0), ValueError),
        ([[0, 1]], ValueError),
        ([0, math.nan], ValueError),
    ),
)


def binary_labels(*, both_classes: bool = False) -> Check:
    """Labels 0 and 1, one per sample (shape (n,) or (n, 1)), as int64; both of them if ``both_classes``."""
    bad: list[tuple[Any, type[Exception]]] = [
        ("01", TypeError),
        (None, TypeError),
        ([], ValueError),
        ([0, 1, 2], ValueError),
        ([1, 2, 1], ValueError),
        ([0.0, 0.5], ValueError),
        ([0, math.nan], ValueError),
        ([[0, 1], [1, 0]], ValueError),
    ]
    bad += [([0, 0], ValueError), ([1, 1], ValueError)] if both_classes else []
    return Check(lambda value, name: check_binary_labels(value, name, both_classes=both_classes), tuple(bad))


#: Probabilities of class 1 in [0, 1], one per sample (shape (n,) or (n, 1)), as float64.
probabilities = Check(
    check_probabilities,
    (
        ("0.5", TypeError),
        (None, TypeError),
        ([], ValueError),
        ([0.2, 1.5], ValueError),
        ([-0.1, 0.5], ValueError),
        ([0.5, math.nan], ValueError),
        (np.full((2, 2), 0.5), ValueError),
    ),
)

#: One value per epoch or per run, 1-D; NaN and infinity allowed (a diverged run).
curve = Check(
    check_curve, ((0.5, TypeError), ("0.5", TypeError), ([], ValueError), ([[0.5, 0.4]], ValueError))
)


def _untyped(signature: inspect.Signature) -> inspect.Signature:
    """``signature`` as a caller writes it, without the types (for a message, so built only then)."""
    empty = inspect.Parameter.empty
    parameters = [p.replace(annotation=empty) for p in signature.parameters.values()]
    return signature.replace(parameters=parameters, return_annotation=empty)


def checked(**declared: Check) -> Callable[[F], F]:
    """Check the arguments named in ``declared`` before the function runs (see the module docstring).

    A function with ``**keywords`` may also declare keywords it receives there (``train_mlp``'s
    ``metrics``): each is checked when given; which keywords it accepts stays the body's business.
    """

    def decorate(func: F) -> F:
        signature = inspect.signature(func)
        keywords = [p.name for p in signature.parameters.values() if p.kind is p.VAR_KEYWORD]
        unknown = sorted(set(declared) - set(signature.parameters))
        if unknown and not keywords:  # a typo in a declaration is the package's bug: fail at import
            raise TypeError(f"checked({unknown}) names no parameter of {func.__qualname__}")

        @functools.wraps(func)
        def wrapper(*args: Any, **kwargs: Any) -> Any:
            try:
                bound = signature.bind_partial(*args, **kwargs)
            except TypeError as error:  # say how to call it, in the caller's terms
                name = func.__name__
                raise TypeError(f"{name}(): {error}; call it as {name}{_untyped(signature)}") from None
            bound.apply_defaults()
            for name, value in bound.arguments.items():
                if name in declared:
                    bound.arguments[name] = declared[name](value, name)
            given = bound.arguments[keywords[0]] if keywords else {}  # what came through **keywords
            for name in [name for name in given if name in unknown]:  # declared there, in call order
                given[name] = declared[name](given[name], name)
            return func(*bound.args, **bound.kwargs)

        wrapper.__checks__ = dict(declared)  # type: ignore[attr-defined]
        return wrapper  # type: ignore[return-value]

    return decorate
