"""Repeated runs: one training procedure run from several seeds or on several folds (chapter 6).

With a hundred or so validation samples, one run is one draw: another seed (other initial weights,
another batch order) or another split moves every score. :func:`repeat_runs` calls a training
function once per seed, :func:`cross_validate` once per fold of the data; both return :class:`Runs`,
whose :meth:`~Runs.mean` and :meth:`~Runs.standard_error` say how far apart two procedures must be
before a ranking means something. Public as ``dlnotes.search.repeat_runs`` and so on.
"""

from __future__ import annotations

import math
import numbers
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np

from . import _checks as checks
from ._checks import checked
from ._validation import check_array, check_int, check_same_length, describe
from .data import check_stratifiable

#: The name of one of the runs' scores (which names there are: in the method's body).
METRIC = checks.text("the name of a score such as 'val_loss' or 'score'")


@dataclass(frozen=True)
class Runs:
    """The scores of one training procedure, run several times.

    Made by :func:`repeat_runs` (one run per seed) or :func:`cross_validate` (one run per fold).

    Attributes
    ----------
    labels : tuple
        What each run was: its seed, or its fold (counted from 1).
    scores : tuple of dict
        Each run's scores, metric name -> number, in the order of ``labels``.

    Examples
    --------
    >>> runs = Runs(labels=(0, 1, 2), scores=({"val_loss": 0.3}, {"val_loss": 0.5}, {"val_loss": 0.4}))
    >>> runs.values("val_loss")
    array([0.3, 0.5, 0.4])
    >>> round(runs.mean("val_loss"), 4), round(runs.standard_error("val_loss"), 4)
    (0.4, 0.0577)
    """

    labels: tuple[Any, ...]
    scores: tuple[dict[str, float], ...]

    def __post_init__(self) -> None:
        for name in ("labels", "scores"):
            value = getattr(self, name)
            if isinstance(value, (str, bytes, Mapping)) or not isinstance(value, Sequence):
                raise TypeError(f"{name} must be a sequence (one entry per run), got {describe(value)}")
        if len(self.scores) < 2 or len(self.labels) != len(self.scores):
            raise ValueError(
                f"labels and scores must have one entry per run, at least 2 runs; got {len(self.labels)} "
                f"labels and {len(self.scores)} scores"
            )
        scores = tuple(
            _scores(run, label, f"scores[{i}] must be")
            for i, (label, run) in enumerate(zip(self.labels, self.scores))
        )
        for label, run in zip(self.labels, scores):
            if list(run) != list(scores[0]):
                raise ValueError(
                    f"scores of the run {label!r} are named {list(run)} but those of the run "
                    f"{self.labels[0]!r} {list(scores[0])}; every run must return the same names"
                )
        object.__setattr__(self, "labels", tuple(self.labels))
        object.__setattr__(self, "scores", scores)

    @property
    def metrics(self) -> tuple[str, ...]:
        """The names of the scores every run returned."""
        return tuple(self.scores[0])

    @checked(metric=METRIC)
    def values(self, metric: str = "score") -> np.ndarray:
        """One value of ``metric`` per run, in the order of ``labels``."""
        if metric not in self.scores[0]:
            raise ValueError(f"metric must be one of the runs' scores {list(self.metrics)}, got {metric!r}")
        return np.array([run[metric] for run in self.scores], dtype=float)

    def _finite(self, metric: str) -> np.ndarray:
        values = self.values(metric)
        bad = [label for label, v in zip(self.labels, values) if not np.isfinite(v)]
        if bad:
            raise ValueError(
                f"metric {metric!r} is NaN or infinite in the run(s) {bad} (a diverged run?); a mean "
                "would hide it: look at values() and fix or drop those runs"
            )
        return values

    @checked(metric=METRIC)
    def mean(self, metric: str = "score") -> float:
        """The mean of ``metric`` over the runs."""
        return float(self._finite(metric).mean())

    @checked(metric=METRIC)
    def standard_error(self, metric: str = "score") -> float:
        """The standard error of the mean: the runs' standard deviation (n - 1) divided by sqrt(n)."""
        values = self._finite(metric)
        return float(values.std(ddof=1) / math.sqrt(len(values)))


def _is_number(value: Any) -> bool:
    return isinstance(value, numbers.Real) and not isinstance(value, (bool, np.bool_))


def _float(value: Any, label: Any) -> float:
    try:
        return float(value)
    except OverflowError:
        raise ValueError(f"the run {label!r} returned an integer too large for a float") from None


def _scores(result: Any, label: Any, name: str = "run must return") -> dict[str, float]:
    """A run's return value as metric name -> float: a number is named ``"score"``."""
    if _is_number(result):
        return {"score": _float(result, label)}
    if (
        isinstance(result, Mapping)
        and result
        and all(isinstance(k, str) and _is_number(v) for k, v in result.items())
    ):
        return {k: _float(v, label) for k, v in result.items()}
    raise TypeError(
        f"{name} a number or a non-empty dict of name -> number (e.g. {{'val_loss': 0.31}}), "
        f"got {describe(result)} for the run {label!r}"
    )


def _collect(labels: list[Any], results: list[Any]) -> Runs:
    return Runs(
        labels=tuple(labels), scores=tuple(_scores(result, label) for label, result in zip(labels, results))
    )


@checked(run=checks.function("a function of a seed, run(seed) -> score(s)"), seeds=checks.seeds(min_len=2))
def repeat_runs(run: Callable[[int], Any], *, seeds: Sequence[int] = (0, 1, 2)) -> Runs:
    """Call ``run(seed)`` once per seed and collect the scores it returns.

    ``run`` trains and scores one model from the seed it is given (it should seed the initial
    weights and the batch order with it) and returns a number or a dict of numbers.

    Parameters
    ----------
    run : callable
        ``run(seed) -> float or dict of str -> float``.
    seeds : sequence of int
        At least two distinct seeds: one run is one draw, it has no spread.

    Returns
    -------
    Runs

    Examples
    --------
    >>> def run(seed):  # stands for: seed, build, compile, fit, evaluate
    ...     return {"val_loss": 0.3 + 0.1 * seed}
    >>> runs = repeat_runs(run, seeds=[0, 1, 2, 3])
    >>> runs.labels, round(runs.mean("val_loss"), 2), round(runs.standard_error("val_loss"), 4)
    ((0, 1, 2, 3), 0.45, 0.0645)
    """
    return _collect(list(seeds), [run(seed) for seed in seeds])


def _fold_indices(y: np.ndarray, n_folds: int, seed: int, stratify: bool) -> list[tuple[Any, Any]]:
    from sklearn.model_selection import KFold, StratifiedKFold

    if not stratify:
        return list(KFold(n_folds, shuffle=True, random_state=seed).split(y))
    check_stratifiable(
        y, min_per_class=n_folds, need=f"one in each of n_folds={n_folds} folds", fix="use fewer folds"
    )
    return list(StratifiedKFold(n_folds, shuffle=True, random_state=seed).split(np.zeros(len(y)), y))


@checked(
    run=checks.function("a function run(X_train, y_train, X_val, y_val) -> score(s)"),
    n_folds=checks.integer(minimum=2),
    seed=checks.seed,
    stratify=checks.boolean,
)
def cross_validate(
    run: Callable[..., Any], X: Any, y: Any, *, n_folds: int = 5, seed: int = 0, stratify: bool = True
) -> Runs:
    """Split ``X, y`` into ``n_folds`` folds; train on all but one and score on that one, for each fold.

    Every sample is a validation sample exactly once. With ``stratify=True`` (for class labels)
    each fold keeps the classes' proportions, as scikit-learn's ``StratifiedKFold``, which this uses.

    Parameters
    ----------
    run : callable
        ``run(X_train, y_train, X_val, y_val) -> float or dict of str -> float``.
    X : array-like of shape (n_samples, ...)
        The samples (training and validation data together; keep the test set out).
    y : array-like of shape (n_samples,)
        Their targets.
    n_folds : int
        Number of folds, at least 2.
    seed : int
        Seeds which samples go into which fold.
    stratify : bool
        Keep each class's share in every fold (needs class labels).

    Returns
    -------
    Runs
        One run per fold, labelled 1 to ``n_folds``.

    Examples
    --------
    >>> import numpy as np
    >>> X, y = np.arange(20.0).reshape(10, 2), np.array([0, 1] * 5)
    >>> runs = cross_validate(lambda X_tr, y_tr, X_val, y_val: float(y_val.mean()), X, y, n_folds=5)
    >>> runs.labels, runs.values().tolist()
    ((1, 2, 3, 4, 5), [0.5, 0.5, 0.5, 0.5, 0.5])
    """
    check_same_length(check_array(X, "X"), "X", labels := check_array(y, "y", ndim=1), "y")
    n_folds = check_int(n_folds, "n_folds", minimum=2, maximum=len(labels))
    folds = _fold_indices(labels, n_folds, seed, stratify)
    X, y = np.asarray(X), np.asarray(y)  # the caller's dtypes (integer labels stay integers)
    results = [run(X[train], y[train], X[val], y[val]) for train, val in folds]
    return _collect(list(range(1, n_folds + 1)), results)
