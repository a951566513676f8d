"""Search: try combinations of hyperparameters and rank them on validation data (chapter 6).

:func:`expand_grid` lists every combination of a grid, :func:`grid_search` trains each (or a seeded
random subset) with the same seed and returns a :class:`SearchResult`; :func:`format_table` prints
rows of runs as an aligned text table. The picture is :func:`dlnotes.plots.plot_search_results`.
One run is one draw: :func:`repeat_runs` (per seed) and :func:`cross_validate` (per fold) give :class:`Runs`.
"""

from __future__ import annotations

import itertools
import math
import numbers
import warnings
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

import numpy as np

from . import _checks as checks
from . import _keras
from ._checks import Check, checked
from ._repeats import Runs, cross_validate, repeat_runs
from ._tables import format_table
from ._validation import check_same_length, describe, did_you_mean
from .metrics import best_first, metric_direction
from .training import train_mlp
from .training._fit import OPTION_CHECKS, check_validation_data

__all__ = ["expand_grid", "SearchResult", "grid_search", "format_table", "repeat_runs", "cross_validate"]
__all__ += ["Runs"]

#: What :func:`grid_search` can vary (or hold fixed): two shorthands for the hidden layers, then the
#: keywords of :func:`dlnotes.training.train_mlp` that define a run; each value is checked by the
#: declaration of that keyword (``dlnotes.training``'s ``OPTION_CHECKS``).
SHORTHANDS = ("layers", "units")
GRID_KEYS = (
    *SHORTHANDS,
    "hidden",
    "activation",
    "dropout",
    "optimizer",
    "learning_rate",
    "epochs",
    "batch_size",
)
#: The check of each: the shorthands' here, the others' beside train_mlp (``OPTION_CHECKS``).
GRID_CHECKS = {"layers": checks.integer(minimum=0), "units": checks.positive_int, **OPTION_CHECKS}
#: train_mlp's keywords that a search cannot take, and why.
NOT_SEARCHED = {
    "seed": "the seed is grid_search's own (every run uses it)",
    "metrics": "the runs are scored by grid_search itself (val_loss, val_accuracy)",
    "validation_data": "grid_search takes it itself, to score every run",
    "callbacks": "a callback object keeps state from run to run; train with train_mlp to use one",
}


def _check_grid(grid: Any, name: str) -> Mapping[str, Sequence[Any]]:
    """A non-empty dict of hyperparameter name -> non-empty list of values (which names: in the body)."""
    if not isinstance(grid, Mapping):
        raise TypeError(
            f"{name} must be a dict of name -> list of values such as {{'units': [16, 64]}}, got "
            f"{describe(grid)}"
        )
    if not grid:
        raise ValueError(
            f"{name} is empty; give at least one hyperparameter with its values, e.g. {{'units': [16, 64]}}"
        )
    for key, values in grid.items():
        if not isinstance(key, str):
            raise TypeError(f"{name} keys must be hyperparameter names (str), got {describe(key)}")
        if isinstance(values, (str, bytes)) or not isinstance(values, (Sequence, np.ndarray)):
            raise TypeError(
                f"{name}[{key!r}] must be a list of values, got {describe(values)}; write [{values!r}] "
                "for a single value"
            )
        if len(values) == 0:
            raise ValueError(f"{name}[{key!r}] is empty; give at least one value to try")
    return grid


GRID = Check(
    _check_grid,
    (
        ([("units", [8])], TypeError),
        ({}, ValueError),
        ({1: [8]}, TypeError),
        ({"units": 8}, TypeError),
        ({"units": "8"}, TypeError),
        ({"units": []}, ValueError),
    ),
)
#: The training data, each on its own (that they fit together, and the validation data: in the body).
DATA = {"X": checks.array(ndim=2, float32=True), "y": checks.binary_labels()}


@checked(grid=GRID)
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
    names = list(grid)
    return [dict(zip(names, combo)) for combo in itertools.product(*(list(grid[n]) for n in names))]


@dataclass(frozen=True)
class SearchResult:
    """The table of a hyperparameter search: one row per configuration, best first.

    Made by :func:`grid_search`. Each row is a dict with ``rank``, the hyperparameters tried, the
    model's number of parameters and its validation scores. Made from any rows, it ranks them by ``metric``.

    Attributes
    ----------
    rows : tuple of dict
        Sorted by ``metric``, best first (:func:`dlnotes.metrics.best_first`): NaN and infinite
        scores (diverged runs) last, ties in the given order; ``rank`` is rewritten to match.
    hyperparameters : tuple of str
        The names varied in the search (columns of ``rows`` that are settings, not scores).
    metric : str
        The column rows are ranked by.
    best_model : keras.Model or None
        The trained model of the best row, ready to be evaluated once on the test set.
    mode : {"auto", "min", "max"}
        As in Keras's ``EarlyStopping``: ``"auto"`` asks :func:`dlnotes.metrics.metric_direction`
        which way ``metric`` is better, ``"min"`` or ``"max"`` says it for a column it cannot know.

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
    >>> rows = ({"units": 8, "val_accuracy": 0.9}, {"units": 64, "val_accuracy": 0.95})
    >>> SearchResult(rows, ("units",), "val_accuracy").best_params  # the highest accuracy
    {'units': 64}
    """

    rows: tuple[dict[str, Any], ...]
    hyperparameters: tuple[str, ...]
    metric: str = "val_loss"
    best_model: Any = field(default=None, repr=False, compare=False)
    mode: str = "auto"

    def __post_init__(self) -> None:
        if isinstance(self.rows, (str, bytes, Mapping)) or not isinstance(self.rows, Sequence):
            raise TypeError(f"rows must be a sequence of dicts, got {describe(self.rows)}")
        if not self.rows:
            raise ValueError("rows is empty; a search result needs at least one configuration")
        if (
            isinstance(self.hyperparameters, (str, bytes, Mapping))
            or not isinstance(self.hyperparameters, Sequence)
            or not all(isinstance(name, str) for name in self.hyperparameters)
        ):
            raise TypeError(
                f"hyperparameters must be a sequence of column names such as ('units',), got "
                f"{describe(self.hyperparameters)}"
            )
        if not isinstance(self.metric, str):
            raise TypeError(f"metric must be a column name such as 'val_loss', got {describe(self.metric)}")
        direction = metric_direction(self.metric, self.mode)
        scores = []
        for i, row in enumerate(self.rows):
            if not isinstance(row, Mapping):
                raise TypeError(f"rows[{i}] must be a dict, got {describe(row)}")
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
                raise TypeError(f"rows[{i}][{self.metric!r}] must be a number, got {describe(score)}")
            try:
                scores.append(float(score))
            except OverflowError:
                raise ValueError(f"rows[{i}][{self.metric!r}] is an integer too large for a float") from None
        rows = tuple(
            {"rank": r + 1, **{k: v for k, v in self.rows[i].items() if k != "rank"}}
            for r, i in enumerate(best_first(scores, direction))
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

    @checked(decimals=checks.integer(minimum=0, maximum=12))
    def table(self, decimals: int = 4) -> str:
        """The rows as an aligned text table, floats rounded to ``decimals`` (see :func:`format_table`)."""
        return format_table(self.rows, decimals=decimals)


@checked(**DATA, grid=GRID, n_iter=checks.optional(checks.positive_int), seed=checks.seed)
def grid_search(
    X: Any,
    y: Any,
    grid: Mapping[str, Sequence[Any]],
    *,
    validation_data: tuple[Any, Any],
    n_iter: int | None = None,
    seed: int = 0,
    **fixed: Any,
) -> SearchResult:
    """Train one binary classifier per combination in ``grid`` and rank them by validation loss.

    Every configuration is trained by :func:`dlnotes.training.train_mlp` with the same ``seed``, so
    the runs differ only in their hyperparameters, then scored once on ``validation_data``: the
    binary cross-entropy and accuracy of its predictions there, the numbers ``model.evaluate``
    gives (computed directly, which spares tracing an evaluation graph per model). The test set
    plays no part: check the winner on it once, afterwards.

    Parameters
    ----------
    X, y : arrays
        Training data; labels 0 and 1.
    grid : mapping of str -> sequence
        Values to try for any keyword of :func:`dlnotes.training.train_mlp` that defines a run
        (``"hidden"``, ``"activation"``, ``"dropout"``, ``"optimizer"``, ``"learning_rate"``,
        ``"epochs"``, ``"batch_size"``), or for two shorthands of ``hidden``: ``"layers"`` (the
        number of hidden layers, 0 or more; 1 if not given) and ``"units"`` (units per hidden
        layer; 32 if not given).
    validation_data : pair (X_val, y_val)
        The validation data every configuration is scored on; labels 0 and 1 (keyword only, as in
        :func:`dlnotes.training.train_mlp`).
    n_iter : int, optional
        If given, a random search: try only ``n_iter`` combinations drawn from the grid (without
        repeats, chosen by ``seed``) instead of all of them.
    seed : int
        The seed of every run, and of the draw of a random search.
    **fixed
        The same keywords (or shorthands), held fixed for every run, e.g. ``learning_rate=0.003,
        epochs=10``; the others keep ``train_mlp``'s defaults.

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
    >>> result = grid_search(X[:40], y[:40], {"units": [2, 4]}, validation_data=(X[40:], y[40:]),
    ...                      epochs=2, seed=0)
    >>> [row["val_loss"] for row in result.rows] == sorted(row["val_loss"] for row in result.rows)
    True
    >>> list(result.rows[0])
    ['rank', 'units', 'params', 'val_loss', 'val_accuracy']
    """
    check_same_length(X, "X", y, "y")
    X_val, y_val = check_validation_data(validation_data, X.shape[1], required=True)  # type: ignore[misc]
    configs = _choose_configs(grid, n_iter, seed)
    fixed = _check_fixed(fixed, grid)
    rows: list[dict[str, Any]] = []
    best_model, best_loss = None, math.nan
    with _keras.quiet_retracing():
        for config in configs:
            history = train_mlp(X, y, **_train_options({**fixed, **config}), metrics=(), seed=seed)
            model = history.model
            val_loss, val_accuracy = validation_scores(history, X_val, y_val)
            scores = {"params": int(model.count_params()), "val_loss": val_loss, "val_accuracy": val_accuracy}
            rows.append({**config, **scores})
            if best_first([best_loss, val_loss], metric_direction("val_loss"))[0] == 1:
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


def _train_options(settings: dict[str, Any]) -> dict[str, Any]:
    """``train_mlp``'s keywords from checked settings: the shorthands ``layers`` and ``units`` become ``hidden``."""
    options = {k: v for k, v in settings.items() if k not in SHORTHANDS}
    if "hidden" not in options:
        options["hidden"] = (settings.get("units", 32),) * settings.get("layers", 1)
    return options


def _check_fixed(fixed: dict[str, Any], grid: Mapping[str, Any]) -> dict[str, Any]:
    """The keywords held fixed: each one ``grid_search`` can take, checked, and not also in ``grid``."""
    for name in fixed:
        if name not in GRID_KEYS:
            reason = NOT_SEARCHED.get(
                name, f"it is not a keyword of train_mlp{did_you_mean(name, GRID_KEYS)}"
            )
            raise TypeError(
                f"grid_search got an unexpected keyword argument {name!r}: {reason}; besides n_iter and "
                f"seed it takes these keywords to hold fixed: {list(GRID_KEYS)}"
            )
    both = sorted(set(fixed) & set(grid))
    if both:
        raise ValueError(f"{both} are both varied by grid and held fixed; give each in one place only")
    _check_hidden_once(fixed, grid)
    return {name: _check_value(name, value, "") for name, value in fixed.items()}


def _check_hidden_once(*places: Mapping[str, Any]) -> None:
    """The hidden layers are given as ``hidden`` or by the shorthands ``layers``/``units``, not both."""
    names = {name for place in places for name in place}
    if "hidden" in names and names & set(SHORTHANDS):
        raise ValueError(
            f"grid and the fixed keywords give the hidden layers twice, as hidden and as "
            f"{sorted(names & set(SHORTHANDS))}: give either hidden (the size of each layer) or layers and units"
        )


def _check_value(name: str, value: Any, where: str) -> Any:
    """One value of a grid or of a fixed keyword, checked by its declaration (``GRID_CHECKS``)."""
    return GRID_CHECKS[name](value, f"{name}{where}")


def _choose_configs(grid: Any, n_iter: Any, seed: int) -> list[dict[str, Any]]:
    """Every checked combination of ``grid``, or ``n_iter`` of them drawn without repeats by ``seed``."""
    configs = expand_grid(grid)
    unknown = [k for k in grid if k not in GRID_KEYS]
    if unknown:
        hint = "".join(did_you_mean(k, GRID_KEYS) for k in unknown)
        raise ValueError(
            f"grid has unknown hyperparameter(s) {unknown}{hint}; grid_search can vary {list(GRID_KEYS)}"
        )
    _check_hidden_once(grid)
    for config in configs:
        where = f" in grid value {{{', '.join(f'{k!r}: {v!r}' for k, v in config.items())}}}"
        for name, value in config.items():
            _check_value(name, value, where)
    if n_iter is None:
        return configs
    if n_iter > len(configs):
        raise ValueError(
            f"n_iter is {n_iter} but the grid has only {len(configs)} combinations; "
            "use n_iter=None to try them all"
        )
    rng = np.random.default_rng(seed)
    chosen = np.sort(rng.choice(len(configs), size=n_iter, replace=False))
    return [configs[int(i)] for i in chosen]


def validation_scores(history: Any, X_val: np.ndarray, y_val: np.ndarray) -> tuple[float, float]:
    """Binary cross-entropy and accuracy of ``history.model`` (a run of ``train_mlp``) on the validation
    set; NaN for both if the run diverged (``train_mlp`` stops a run at its first loss that is not finite).

    How :func:`grid_search` scores each run, and chapter 7's distributed KerasTuner search each trial
    (:mod:`dlnotes._workers`), so that the two rank the same runs alike. Keras's own loss of the
    probabilities, so the numbers are those ``model.evaluate`` gives (computed directly, which spares
    tracing an evaluation graph per model).
    """
    from ._backend import import_keras

    keras = import_keras()
    diverged = not np.isfinite(history.history["loss"][-1])
    probabilities = history.model(X_val.astype(np.float32), training=False)
    y_val32 = y_val.astype(np.float32).reshape(-1, 1)
    val_loss = float(keras.ops.mean(keras.losses.binary_crossentropy(y_val32, probabilities)))
    if diverged or not np.isfinite(val_loss) or not np.all(np.isfinite(np.asarray(probabilities))):
        return math.nan, math.nan
    return val_loss, float(np.mean((np.asarray(probabilities)[:, 0] > 0.5) == y_val))
