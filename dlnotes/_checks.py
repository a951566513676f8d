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
"""

from __future__ import annotations

import functools
import inspect
import math
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import Any, TypeVar

from ._validation import (
    check_activation,
    check_bool,
    check_callbacks,
    check_choice,
    check_float,
    check_int,
    check_learning_rate,
    check_metrics,
    check_seed,
    check_sizes,
)

__all__ = ["Check", "checked", "integer", "positive_int", "seed", "boolean", "number", "choice", "optional"]
__all__ += ["learning_rate", "sizes", "activation", "callbacks", "metrics"]

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


def number(low: float | None = None, high: float | None = None, *, high_inclusive: bool = True) -> Check:
    bad: list[tuple[Any, type[Exception]]] = [("0.5", TypeError), (None, TypeError), (math.nan, ValueError)]
    bad += [(low - 1, ValueError)] if low is not None else []
    bad += [(high + (0 if not high_inclusive else 1), ValueError)] if high is not None else []

    def check(value: Any, name: str) -> float:
        return check_float(value, name, low=low, high=high, high_inclusive=high_inclusive)

    return Check(check, tuple(bad))


def choice(options: Iterable[str]) -> Check:
    options = tuple(options)
    return Check(
        lambda value, name: check_choice(value, name, options),
        (("no such option", ValueError), (3, TypeError)),
    )


def optional(inner: Check) -> Check:
    """``None`` or what ``inner`` accepts."""
    return Check(lambda value, name: None if value is None else inner(value, name), inner.bad)


positive_int = integer(minimum=1)
seed = Check(check_seed, ((-1, ValueError), (2**32, ValueError), (0.5, TypeError), ("0", TypeError)))
boolean = Check(check_bool, (("yes", TypeError), (1, TypeError), (None, TypeError)))
learning_rate = Check(
    check_learning_rate, ((0, ValueError), (-0.1, ValueError), (math.inf, ValueError), ("0.1", TypeError))
)
activation = Check(check_activation, (("wiggle", ValueError), (3, TypeError)))
callbacks = Check(check_callbacks, (("EarlyStopping", TypeError), ([1], TypeError)))
metrics = Check(check_metrics, (("accuracy", TypeError), (["accuracyy"], ValueError)))


def sizes(*, min_len: int, example: str) -> Check:
    bad: list[tuple[Any, type[Exception]]] = [
        (32, TypeError),
        ("32", TypeError),
        ([0], ValueError),
        ([2.5], TypeError),
    ]
    bad += [([], ValueError)] if min_len > 0 else []
    return Check(lambda value, name: check_sizes(value, name, min_len=min_len, example=example), tuple(bad))


def checked(**declared: Check) -> Callable[[F], F]:
    """Check the arguments named in ``declared`` before the function runs (see the module docstring)."""

    def decorate(func: F) -> F:
        signature = inspect.signature(func)
        unknown = sorted(set(declared) - set(signature.parameters))
        if unknown:  # a typo in a declaration is the package's bug: fail at import, not at a call
            raise TypeError(f"checked({unknown}) names no parameter of {func.__qualname__}")

        @functools.wraps(func)
        def wrapper(*args: Any, **kwargs: Any) -> Any:
            bound = signature.bind_partial(*args, **kwargs)
            bound.apply_defaults()
            for name, value in bound.arguments.items():
                if name in declared:
                    bound.arguments[name] = declared[name](value, name)
            return func(*bound.args, **bound.kwargs)

        wrapper.__checks__ = dict(declared)  # type: ignore[attr-defined]
        return wrapper  # type: ignore[return-value]

    return decorate
