"""Data: small data sets made or shipped locally (nothing is downloaded), seeded splits, standardising,
and :func:`to_dataset`, the lean ``tf.data`` pipeline that feeds arrays to ``model.fit``.

Every function that draws random numbers takes a ``seed`` and starts with
``rng = np.random.default_rng(seed)``, so the same seed always gives the same arrays.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from . import _checks as checks
from ._batches import batch_indices, to_dataset
from ._checks import checked
from ._validation import check_array, check_same_length

__all__ = [
    "make_random_data",
    "make_pattern_data",
    "Split",
    "train_val_test_split",
    "load_breast_cancer",
    "load_digits",
    "standardize",
    "to_dataset",
    "batch_indices",
]


#: The size of a made-up data set, and the fractions of a split.
SHAPE = {"n_samples": checks.positive_int, "n_features": checks.positive_int}
SPLIT = {
    "val_size": checks.number(0.0, 1.0, low_inclusive=False, high_inclusive=False),
    "test_size": checks.number(0.0, 1.0, low_inclusive=False, high_inclusive=False),
}


@checked(**SHAPE, seed=checks.seed)
def make_random_data(
    n_samples: int = 100, n_features: int = 10, *, seed: int = 0
) -> tuple[np.ndarray, np.ndarray]:
    """The source's example data: uniform features in [0, 1) and coin-flip labels.

    The labels do not depend on the features, so there is nothing to learn: a model can only
    memorise them. The book uses this to show what training on noise looks like.

    Parameters
    ----------
    n_samples, n_features : int
        Shape of ``X``; both at least 1.
    seed : int
        Seed for NumPy's random generator.

    Returns
    -------
    X : ndarray of shape (n_samples, n_features), float64
    y : ndarray of shape (n_samples,), int64 with values 0 and 1

    Examples
    --------
    >>> X, y = make_random_data(100, 10, seed=0)
    >>> X.shape, y.shape
    ((100, 10), (100,))
    """
    _check_size(n_samples, n_features)
    rng = np.random.default_rng(seed)
    X = rng.random((n_samples, n_features))
    y = rng.integers(0, 2, size=n_samples)
    return X, y


@checked(**SHAPE, noise=checks.number(0.0, 0.5), seed=checks.seed)
def make_pattern_data(
    n_samples: int = 100, n_features: int = 10, *, noise: float = 0.0, seed: int = 0
) -> tuple[np.ndarray, np.ndarray]:
    """Uniform features like the source's, but labels that follow a hidden linear rule.

    ``y = 1`` where ``(X - 0.5) @ w > 0`` for a random weight vector ``w``; then a fraction ``noise``
    of the labels is flipped. A network can learn this, so accuracy on fresh data rises.

    Parameters
    ----------
    n_samples, n_features : int
        Shape of ``X``; both at least 1.
    noise : float
        Fraction of labels flipped at random, in [0, 0.5].
    seed : int
        Seed for NumPy's random generator; the rule ``w`` depends only on ``seed`` and ``n_features``.

    Examples
    --------
    >>> X, y = make_pattern_data(200, 10, seed=1)
    >>> round(float(y.mean()), 2)
    0.52
    """
    _check_size(n_samples, n_features)
    rng = np.random.default_rng(seed)
    w = rng.normal(size=n_features)
    X = rng.random((n_samples, n_features))
    y = ((X - 0.5) @ w > 0).astype(np.int64)
    flip = rng.random(n_samples) < noise
    y[flip] = 1 - y[flip]
    return X, y


#: The most values a made-up data set may hold (8 GB of float64): beyond, NumPy would fail deep inside.
MAX_VALUES = 10**9


def _check_size(n_samples: int, n_features: int) -> None:
    if n_samples * n_features > MAX_VALUES:
        raise ValueError(
            f"n_samples × n_features is {n_samples} × {n_features}, more values than this function "
            f"makes ({MAX_VALUES:.0e}); ask for fewer samples or features"
        )


@dataclass(frozen=True)
class Split:
    """A train/validation/test split of features ``X_*`` and labels ``y_*``.

    ``feature_names`` names the columns of ``X_*`` and ``target_names`` the labels (entry ``k`` is
    what label ``k`` means) when the data set has names; both are empty tuples otherwise.
    """

    X_train: np.ndarray
    X_val: np.ndarray
    X_test: np.ndarray
    y_train: np.ndarray
    y_val: np.ndarray
    y_test: np.ndarray
    feature_names: tuple[str, ...] = ()
    target_names: tuple[str, ...] = ()

    def sizes(self) -> tuple[int, int, int]:
        """Number of samples in train, validation and test."""
        return len(self.X_train), len(self.X_val), len(self.X_test)


@checked(X=checks.array(ndim=2), y=checks.labels, **SPLIT, stratify=checks.boolean, seed=checks.seed)
def train_val_test_split(
    X: np.ndarray,
    y: np.ndarray,
    *,
    val_size: float = 0.2,
    test_size: float = 0.2,
    stratify: bool = True,
    seed: int = 0,
) -> Split:
    """Split ``X, y`` into train, validation and test sets, stratified by label.

    Parameters
    ----------
    X : array of shape (n_samples, n_features)
    y : array of shape (n_samples,)
        Labels (or a target, with ``stratify=False``); their dtype is kept, as scikit-learn does.
    val_size, test_size : float
        Fractions of all samples for validation and test, each in (0, 1), together below 1.
    stratify : bool
        Keep the class proportions of ``y`` in each part.
    seed : int
        Seed for the shuffle.

    Examples
    --------
    >>> X, y = make_pattern_data(100, 3, seed=0)
    >>> train_val_test_split(X, y, seed=0).sizes()
    (60, 20, 20)
    """
    check_same_length(X, "X", y, "y")
    if val_size + test_size >= 1.0:
        raise ValueError(
            f"val_size + test_size must be below 1 to leave training data, got {val_size:g} + {test_size:g}"
        )
    if stratify:
        check_stratifiable(
            y, min_per_class=2, need="one on each side of a split", fix="add samples of the rare classes"
        )
    from sklearn.model_selection import train_test_split

    rng = np.random.default_rng(seed)
    seeds = rng.integers(0, 2**31 - 1, size=2)
    try:
        X_rest, X_test, y_rest, y_test = train_test_split(
            X, y, test_size=test_size, stratify=y if stratify else None, random_state=int(seeds[0])
        )
        X_train, X_val, y_train, y_val = train_test_split(
            X_rest,
            y_rest,
            test_size=val_size / (1.0 - test_size),
            stratify=y_rest if stratify else None,
            random_state=int(seeds[1]),
        )
    except ValueError as error:  # scikit-learn's reasons: too few samples of a class, or in a part
        hint = "; use more samples, larger fractions, or stratify=False" if stratify else ""
        raise ValueError(
            f"cannot split {len(y)} samples into train, validation and test: {error}{hint}"
        ) from None
    return Split(X_train, X_val, X_test, y_train, y_val, y_test)


def check_stratifiable(y: np.ndarray, *, min_per_class: int, need: str, fix: str) -> None:
    """Class labels with at least ``min_per_class`` samples of each class, as stratified splitting needs.

    A continuous target is refused first, saying ``stratify=False``; then a class with fewer samples
    than ``min_per_class``, with ``need`` (why that many: ``"for a split"``, ``"one per fold"``) and
    ``fix`` (what else the caller can change), e.g. ``"use fewer folds"``.
    """
    values, counts = np.unique(y, return_counts=True)
    rare = values[counts < min_per_class]
    shown = ", ".join(f"{v:g}" for v in rare[:3]) + (", ..." if len(rare) > 3 else "")
    if not np.all(values == np.round(values)):
        raise ValueError(
            f"stratify=True needs class labels, but y holds continuous values ({len(values)} distinct, "
            f"e.g. {values[values != np.round(values)][0]:g}): pass stratify=False for a regression target"
        )
    if len(rare) and len(values) > 10 and np.sum(counts == 1) > 0:
        raise ValueError(
            f"stratify=True needs class labels, but y has {len(values)} distinct values among {len(y)} "
            f"samples, {int(np.sum(counts == 1))} of them only once (e.g. {shown}): for a regression or count "
            "target pass stratify=False"
        )
    if len(rare):
        raise ValueError(
            f"stratify=True needs at least {min_per_class} samples of every class ({need}), but y has "
            f"{counts.min()} sample(s) of class(es) {shown}: pass stratify=False, {fix}, or drop or merge "
            "the rare classes"
        )


@checked(positive=checks.choice(("benign", "malignant")), **SPLIT, seed=checks.seed)
def load_breast_cancer(
    *, positive: str = "benign", val_size: float = 0.2, test_size: float = 0.2, seed: int = 0
) -> Split:
    """scikit-learn's breast-cancer data (569 samples, 30 features), split and stratified.

    The data ship with scikit-learn, so nothing is downloaded. scikit-learn codes *benign* as 1
    (357 samples) and *malignant* as 0 (212). For a screening test the class we look for, the
    *positive* class, is malignant: pass ``positive="malignant"`` to make malignant 1 and benign 0,
    so that recall, precision and F1 are about finding cancers. ``target_names`` in the result says
    what each label means. Features are **not** scaled: see :func:`standardize`.

    Parameters
    ----------
    positive : {"benign", "malignant"}
        The class labelled 1. The default, ``"benign"``, keeps scikit-learn's coding.
    val_size, test_size : float
        Fractions of all samples for validation and test (see :func:`train_val_test_split`).
    seed : int
        Seed for the shuffle. The split is the same for either ``positive``: only the labels flip.

    Returns
    -------
    Split
        With ``feature_names`` (30 names) and ``target_names`` (the names of labels 0 and 1).

    Examples
    --------
    >>> split = load_breast_cancer(seed=0)
    >>> split.sizes(), split.X_train.shape[1], split.target_names
    ((341, 114, 114), 30, ('malignant', 'benign'))
    >>> flipped = load_breast_cancer(positive="malignant", seed=0)
    >>> flipped.target_names, int(flipped.y_test.sum()), int((split.y_test == 0).sum())
    (('benign', 'malignant'), 42, 42)
    """
    from sklearn import datasets

    bunch = datasets.load_breast_cancer()
    split = train_val_test_split(bunch.data, bunch.target, val_size=val_size, test_size=test_size, seed=seed)
    names = tuple(str(name) for name in bunch.target_names)  # ('malignant', 'benign') for labels 0, 1

    def labels(y: np.ndarray) -> np.ndarray:
        y = y.astype(np.int64)
        return y if positive == "benign" else 1 - y

    if positive == "malignant":
        names = names[::-1]
    return Split(
        split.X_train,
        split.X_val,
        split.X_test,
        labels(split.y_train),
        labels(split.y_val),
        labels(split.y_test),
        tuple(str(name) for name in bunch.feature_names),
        names,
    )


@checked(**SPLIT, seed=checks.seed)
def load_digits(*, val_size: float = 0.2, test_size: float = 0.2, seed: int = 0) -> Split:
    """scikit-learn's handwritten digits (1,797 images of 8 × 8 pixels, classes 0 to 9), split and stratified.

    The data ship with scikit-learn, so nothing is downloaded. Each row of ``X_*`` is one image's 64
    pixels, row by row, with ink from 0 to 16; ``X_test[i].reshape(8, 8)`` is the picture. The label is
    the digit drawn, and ``target_names[k]`` is ``str(k)``. Pixels are **not** scaled: see
    :func:`standardize`.

    Parameters
    ----------
    val_size, test_size : float
        Fractions of all samples for validation and test (see :func:`train_val_test_split`).
    seed : int
        Seed for the shuffle.

    Returns
    -------
    Split
        With ``feature_names`` (``pixel_0_0`` … ``pixel_7_7``, row then column) and ``target_names``.

    Examples
    --------
    >>> split = load_digits(seed=0)
    >>> split.sizes(), split.X_train.shape[1], split.target_names[:3]
    ((1077, 360, 360), 64, ('0', '1', '2'))
    """
    from sklearn import datasets

    bunch = datasets.load_digits()
    split = train_val_test_split(
        bunch.data, bunch.target.astype(np.int64), val_size=val_size, test_size=test_size, seed=seed
    )
    return Split(
        split.X_train,
        split.X_val,
        split.X_test,
        split.y_train,
        split.y_val,
        split.y_test,
        tuple(str(name) for name in bunch.feature_names),
        tuple(str(name) for name in bunch.target_names),
    )


@checked(X_train=checks.array(ndim=2))
def standardize(X_train: np.ndarray, *others: np.ndarray) -> tuple[np.ndarray, ...]:
    """Scale every array with the mean and standard deviation of ``X_train`` only.

    Using the training statistics for the validation and test sets too keeps any information about
    them out of training. A constant training column has standard deviation 0; it is divided by 1
    instead, so the result never holds NaN or inf.

    Parameters
    ----------
    X_train : array of shape (n_samples, n_features)
    *others : arrays of shape (m, n_features)
        Validation, test or new data, scaled with the same statistics.

    Returns
    -------
    tuple of ndarray
        ``X_train`` scaled, then each of ``others`` scaled, in order.

    Examples
    --------
    >>> train, test = standardize([[1.0, 5.0], [3.0, 5.0]], [[2.0, 6.0]])
    >>> train.tolist(), test.tolist()
    ([[-1.0, 0.0], [1.0, 0.0]], [[0.0, 1.0]])
    """
    arrays = [check_array(X, f"others[{i}]", ndim=2) for i, X in enumerate(others)]
    for i, X in enumerate(arrays):
        if X.shape[1] != X_train.shape[1]:
            raise ValueError(
                f"others[{i}] has {X.shape[1]} features but X_train has {X_train.shape[1]}; they must match"
            )
    scale = _column_scale(X_train)
    with np.errstate(over="ignore", invalid="ignore"):
        mean = (X_train / scale).mean(axis=0)
        std = (X_train / scale).std(axis=0)
        std = np.where(std > 0, std, 1.0)
        scaled = [(X / scale - mean) / std for X in (X_train, *arrays)]
    for i, X in enumerate(scaled[1:]):
        if not np.all(np.isfinite(X)):
            raise ValueError(
                f"others[{i}] has values so far outside X_train's range that scaling them overflows float64; "
                "check that they are in the same units"
            )
    return tuple(scaled)


def _column_scale(X: np.ndarray) -> np.ndarray:
    """1 for every ordinary column; a power of two near the largest magnitude for a column whose sums or squares
    would overflow or underflow in float64 (beyond about 1e150 or below 1e-150), so the maths stays finite.

    Dividing by a power of two is exact, so the result is the same as without it wherever it was finite.
    """
    largest = np.max(np.abs(X), axis=0) if X.size else np.zeros(X.shape[1])
    extreme = (largest > 1e150) | ((largest < 1e-150) & (largest > 0))
    with np.errstate(divide="ignore"):
        exponents = np.where(extreme, np.floor(np.log2(np.where(largest > 0, largest, 1.0))), 0.0)
    return np.ldexp(1.0, exponents.astype(np.int64))
