"""Pictures of a classifier with several classes: the samples behind its most frequent mistakes."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import numpy as np

from .. import _checks as checks
from .._checks import checked
from .._validation import check_int, check_same_length, describe
from ..metrics import multiclass_confusion_matrix
from ..metrics._multiclass import CLASS_LABELS
from ._evaluation import check_class_names

__all__ = ["plot_confused_pairs"]


def _check_pairs(pairs: Any, k: int) -> list[tuple[int, int]]:
    """(true, predicted) pairs of class labels below k; a third entry (a count) is ignored."""
    if isinstance(pairs, (str, bytes)) or not isinstance(pairs, Sequence):
        raise TypeError(
            f"pairs must be a list of (true, predicted) class pairs such as most_confused(...) returns, "
            f"got {describe(pairs)}"
        )
    if not pairs:
        raise ValueError("pairs is empty: give at least one (true, predicted) pair, e.g. most_confused(cm)")
    checked = []
    for i, pair in enumerate(pairs):
        if isinstance(pair, (str, bytes)) or not isinstance(pair, Sequence) or len(pair) not in (2, 3):
            raise TypeError(
                f"pairs[{i}] must be a (true, predicted) pair of class labels, got {describe(pair)}"
            )
        true, predicted = (check_int(v, f"pairs[{i}]", minimum=0, maximum=k - 1) for v in pair[:2])
        checked.append((true, predicted))
    return checked


@checked(images=checks.array(ndim=(2, 3)), **CLASS_LABELS, per_pair=checks.positive_int)
def plot_confused_pairs(
    images: Any,
    y_true: Any,
    y_pred: Any,
    pairs: Sequence[Any],
    *,
    per_pair: int = 4,
    image_shape: Sequence[int] | None = None,
    class_names: Sequence[str] | None = None,
) -> Any:
    """Show, for each (true, predicted) pair, the first samples of that true class predicted as that class.

    One row per pair, ``per_pair`` images per row in the order of the data; a row with fewer such
    samples leaves its last places empty. Each row is titled ``true → predicted (count)``.

    Parameters
    ----------
    images : array of shape (n, h * w) or (n, h, w)
        The samples as pictures, e.g. the unscaled pixels of :func:`dlnotes.data.load_digits`.
    y_true, y_pred : array of shape (n,) or (n, 1)
        True and predicted class labels 0 … k-1.
    pairs : sequence of (true, predicted) or (true, predicted, count)
        The mistakes to show, e.g. ``dlnotes.metrics.most_confused(confusion, n=3)``.
    per_pair : int
        Images per row, at least 1.
    image_shape : pair of int, optional
        ``(h, w)`` of one image when ``images`` is 2-D; by default the square side ``sqrt(h * w)``.
    class_names : sequence of str, optional
        Names of the classes 0 … k-1 (k = the largest label + 1); by default the labels.

    Returns
    -------
    matplotlib.figure.Figure

    Examples
    --------
    >>> images = np.eye(4)  # four 2 × 2 pictures
    >>> fig = plot_confused_pairs(images, [0, 1, 1, 1], [0, 0, 0, 1], [(1, 0)], per_pair=3)
    >>> fig.axes[0].get_title(loc="left")
    '1 → 0 (2)'
    """
    confusion = multiclass_confusion_matrix(y_true, y_pred)  # checks that they have the same length
    check_same_length(images, "images", y_true, "y_true")
    pictures = images.reshape(len(images), *_image_shape(image_shape, images))
    k = len(confusion)
    pairs = _check_pairs(pairs, k)
    names = check_class_names(class_names, k)
    import matplotlib.pyplot as plt

    fig, axes = plt.subplots(
        len(pairs),
        per_pair,
        figsize=(1.1 * per_pair + 0.4, 1.35 * len(pairs)),
        layout="constrained",
        squeeze=False,
    )
    for row, (true, predicted) in zip(axes, pairs):
        found = np.flatnonzero((y_true == true) & (y_pred == predicted))[:per_pair]
        for ax in row:
            ax.set_axis_off()
        for ax, index in zip(row, found):
            ax.imshow(pictures[index], cmap="gray_r")
        row[0].set_title(
            f"{names[true]} → {names[predicted]} ({confusion[true, predicted]})", loc="left", fontsize=10
        )
    return fig


def _image_shape(image_shape: Any, pictures: np.ndarray) -> tuple[int, ...]:
    if pictures.ndim == 3:
        if image_shape is not None:
            raise ValueError(
                f"image_shape is only for 2-D images arrays; images already has shape {pictures.shape}"
            )
        return tuple(pictures.shape[1:])
    size = pictures.shape[1]
    if image_shape is None:
        side = int(round(np.sqrt(size)))
        if side * side != size:
            raise ValueError(
                f"images has {size} values per sample, not a square picture: pass image_shape=(height, width)"
            )
        return (side, side)
    if (
        isinstance(image_shape, (str, bytes))
        or not isinstance(image_shape, Sequence)
        or len(image_shape) != 2
    ):
        raise TypeError(f"image_shape must be a pair (height, width), got {describe(image_shape)}")
    h, w = (check_int(v, "image_shape", minimum=1) for v in image_shape)
    if h * w != size:
        raise ValueError(f"image_shape {(h, w)} holds {h * w} pixels but images has {size} values per sample")
    return (h, w)
