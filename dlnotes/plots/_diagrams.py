"""Chapter 1's pictures: a network's layers, activation and loss functions, decision boundaries."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import numpy as np

from .. import _checks as checks
from .._checks import checked
from .._labels import tr
from .._plot import AXES, TITLE, new_axes
from .._validation import check_array, check_float32_range, check_same_length
from ..models import count_params, params_per_layer
from ._diagram_checks import ACTIVATION_NAMES, LOGITS, PLANE, PLOTTABLE, X_RANGE

__all__ = ["plot_network", "plot_activations", "plot_softmax", "plot_losses", "plot_decision_boundary"]


def _drawn_rows(n: int, max_nodes: int) -> tuple[list[float], float | None]:
    """Vertical positions of the nodes drawn for a layer of ``n`` units, and of its ellipsis if any."""
    if n <= max_nodes:
        return [(n - 1) / 2 - j for j in range(n)], None
    slots = [(max_nodes - 1) / 2 - j for j in range(max_nodes)]
    top = max_nodes // 2  # nodes above the ellipsis; the rest go below it
    return slots[:top] + slots[top + 1 :], slots[top]


@checked(
    layer_sizes=checks.sizes(min_len=2, example="[10, 128, 64, 1]"),
    activations=checks.optional(ACTIVATION_NAMES),
    max_nodes=checks.integer(minimum=3),
    show_params=checks.boolean,
    title=TITLE,
    ax=AXES,
)
def plot_network(
    layer_sizes: Sequence[int],
    *,
    activations: Sequence[str] | None = None,
    max_nodes: int = 8,
    show_params: bool = True,
    title: str | None = None,
    ax: Any = None,
) -> Any:
    """Draw a fully connected network: one column of units per layer, every unit linked to the next.

    A layer with more than ``max_nodes`` units is drawn with ``max_nodes - 1`` circles and a
    vertical ellipsis; its true size is written under it. Between two layers, the number of
    parameters of the ``Dense`` layer is written as ``inputs·units + units``.

    Parameters
    ----------
    layer_sizes : sequence of int
        Sizes from the input to the output layer, e.g. ``[10, 128, 64, 1]``.
    activations : sequence of str, optional
        Activation of each layer after the input (``len(layer_sizes) - 1`` names), written under it.
    max_nodes : int
        Most circles drawn per layer, at least 3.
    show_params : bool
        Write each layer's parameter count between the columns.
    title : str, optional
        Defaults to the sizes and the total parameter count.
    ax : matplotlib Axes, optional

    Returns
    -------
    matplotlib.axes.Axes

    Examples
    --------
    >>> ax = plot_network([10, 128, 64, 1], activations=["relu", "relu", "sigmoid"])
    >>> ax.get_title()
    'A 10-128-64-1 network: 9,729 parameters'
    """
    sizes = list(layer_sizes)
    if activations is not None and len(activations) != len(sizes) - 1:
        raise ValueError(
            f"activations must have one name per layer after the input ({len(sizes) - 1}), "
            f"got {len(activations)}"
        )
    ax = new_axes(ax, (1.0 + 2.2 * len(sizes), 4.8))
    columns = [_drawn_rows(n, max_nodes) for n in sizes]
    bottom = -(max(len(rows) + (dots is not None) for rows, dots in columns) - 1) / 2
    _draw_edges(ax, columns)
    _draw_units(ax, sizes, columns, activations, bottom)
    if show_params:
        _write_param_counts(ax, sizes, top=-bottom)
    ax.set_xlim(-1.2, (len(sizes) - 1) * _GAP + 1.2)
    ax.set_ylim(bottom - 2.6, -bottom + (2.1 if show_params else 0.8))
    ax.set_aspect("equal")
    ax.set_xticks([])
    ax.set_yticks([])
    for spine in ax.spines.values():
        spine.set_visible(False)
    ax.set_xlabel(tr("layers, from input to output"))
    ax.set_ylabel(tr("units"))
    sizes_text = "-".join(str(n) for n in sizes)
    ax.set_title(
        title
        if title is not None
        else tr("A {sizes} network: {count} parameters", sizes=sizes_text, count=f"{count_params(sizes):,}")
    )
    return ax


_GAP = 3.0  # horizontal distance between two layers of plot_network


_UNIT_COLOURS = {"input": "#9ecae1", "hidden": "#fdd0a2", "output": "#a1d99b"}


def _draw_edges(ax: Any, columns: list[tuple[list[float], float | None]]) -> None:
    """Every drawn unit linked to every drawn unit of the next layer (drawn first, under the circles)."""
    for i in range(len(columns) - 1):
        for y0 in columns[i][0]:
            for y1 in columns[i + 1][0]:
                ax.plot([i * _GAP, (i + 1) * _GAP], [y0, y1], color="0.55", lw=0.5, alpha=0.45, zorder=1)


def _draw_units(
    ax: Any,
    sizes: list[int],
    columns: list[tuple[list[float], float | None]],
    activations: Sequence[str] | None,
    bottom: float,
) -> None:
    """One circle per drawn unit, an ellipsis for the units left out, and each layer's caption."""
    from matplotlib.patches import Circle

    for i, (n, (rows, dots)) in enumerate(zip(sizes, columns)):
        kind = "input" if i == 0 else "output" if i == len(sizes) - 1 else "hidden"
        for y in rows:
            ax.add_patch(
                Circle((i * _GAP, y), 0.32, facecolor=_UNIT_COLOURS[kind], edgecolor="0.2", lw=0.8, zorder=2)
            )
        if dots is not None:
            for dy in (-0.22, 0.0, 0.22):
                ax.add_patch(Circle((i * _GAP, dots + dy), 0.05, color="0.2", zorder=2))
        name = tr("input") if kind == "input" else tr("output") if kind == "output" else tr("hidden {i}", i=i)
        caption = name + "\n" + tr("{n} units" if n != 1 else "{n} unit", n=f"{n:,}")
        if activations is not None and i > 0:
            caption += f"\n{activations[i - 1]}"
        ax.text(i * _GAP, bottom - 0.7, caption, ha="center", va="top", fontsize=9)


def _write_param_counts(ax: Any, sizes: list[int], top: float) -> None:
    """``inputs·units + units = count`` above the gap between two layers."""
    for i, (n_in, n_out, p) in enumerate(zip(sizes[:-1], sizes[1:], params_per_layer(sizes))):
        ax.text(
            (i + 0.5) * _GAP,
            top + 0.9,
            f"{n_in}·{n_out} + {n_out}\n= {p:,}",
            ha="center",
            va="bottom",
            fontsize=8.5,
            color="0.25",
        )


def _activation_values(name: str, z: np.ndarray, derivative: bool) -> np.ndarray:
    if name == "linear":
        return np.ones_like(z) if derivative else z
    if name == "relu":
        return (z > 0).astype(float) if derivative else np.maximum(z, 0.0)
    if name == "sigmoid":
        s = 1.0 / (1.0 + np.exp(-z))
        return s * (1.0 - s) if derivative else s
    t = np.tanh(z)
    return 1.0 - t**2 if derivative else t


@checked(names=PLOTTABLE, derivative=checks.boolean, x_range=X_RANGE, ax=AXES)
def plot_activations(
    names: Sequence[str] = ("relu", "sigmoid", "tanh"),
    *,
    derivative: bool = False,
    x_range: tuple[float, float] = (-5.0, 5.0),
    ax: Any = None,
) -> Any:
    """Plot element-wise activation functions, or their derivatives, against the unit's input z.

    Parameters
    ----------
    names : sequence of str
        Among ``"linear"``, ``"relu"``, ``"sigmoid"``, ``"tanh"``. (Softmax acts on a whole vector;
        see :func:`plot_softmax`.)
    derivative : bool
        Plot ``d activation / dz`` instead: how much of the gradient a unit passes back.
    x_range : (float, float)
        Range of z.
    ax : matplotlib Axes, optional

    Returns
    -------
    matplotlib.axes.Axes

    Examples
    --------
    >>> ax = plot_activations(["relu", "tanh"], derivative=True)
    >>> ax.get_legend_handles_labels()[1]
    ['relu', 'tanh']
    """
    low, high = x_range
    ax = new_axes(ax, (6.0, 3.6))
    z = np.linspace(low, high, 401)
    for name in names:
        ax.plot(z, _activation_values(name, z, derivative), label=name, lw=2)
    ax.axhline(0, color="0.6", lw=0.8)
    ax.axvline(0, color="0.6", lw=0.8)
    ax.set_xlabel(tr("z, the unit's weighted input (x·w + b)"))
    ax.set_ylabel(tr("derivative d activation / dz" if derivative else "activation(z)"))
    ax.set_title(tr("Derivatives of activation functions" if derivative else "Activation functions"))
    ax.legend()
    ax.grid(alpha=0.3)
    return ax


@checked(logits=LOGITS, title=TITLE, ax=AXES)
def plot_softmax(logits: Any, *, title: str | None = None, ax: Any = None) -> Any:
    """Bar chart of ``softmax(logits)``: the probabilities a softmax output layer gives each class.

    Parameters
    ----------
    logits : array of shape (k,)
        The output layer's weighted sums for k >= 2 classes.
    title : str, optional
    ax : matplotlib Axes, optional

    Returns
    -------
    matplotlib.axes.Axes

    Examples
    --------
    >>> ax = plot_softmax([2.0, 1.0, 0.1])
    >>> [round(float(bar.get_height()), 3) for bar in ax.patches]
    [0.659, 0.242, 0.099]
    """
    z = logits
    ax = new_axes(ax, (5.0, 3.4))
    e = np.exp(z - z.max())
    p = e / e.sum()
    positions = np.arange(len(z))
    bars = ax.bar(positions, p, color="#9ecae1", edgecolor="0.2")
    for bar, prob in zip(bars, p):
        ax.text(
            bar.get_x() + bar.get_width() / 2,
            prob + 0.02,
            f"{prob:.3f}",
            ha="center",
            va="bottom",
            fontsize=9,
        )
    ax.set_xticks(positions, [tr("class {i}\nz = {z}", i=i, z=f"{v:g}") for i, v in enumerate(z)])
    ax.set_ylim(0, 1.12)
    ax.set_xlabel(tr("class and its logit z"))
    ax.set_ylabel(tr("softmax probability"))
    ax.set_title(title if title is not None else tr("Softmax: logits to probabilities that sum to 1"))
    ax.grid(alpha=0.3, axis="y")
    return ax


@checked(y_true=checks.integer(0, 1), gradient=checks.boolean, ax=AXES)
def plot_losses(y_true: int = 1, *, gradient: bool = False, ax: Any = None) -> Any:
    """Binary cross-entropy and squared error of one prediction, against the predicted probability.

    For a sample with label ``y_true`` and predicted probability ``p = sigmoid(z)``:
    cross-entropy ``-log p`` (or ``-log(1 - p)`` when ``y_true`` is 0) and squared error
    ``(p - y_true)²``. With ``gradient=True`` it plots their derivatives with respect to the logit z,
    ``p - y`` and ``2 (p - y) p (1 - p)``: what backpropagation sends into the output unit.

    Parameters
    ----------
    y_true : {0, 1}
        The sample's true label.
    gradient : bool
        Plot the derivative with respect to the logit instead of the loss.
    ax : matplotlib Axes, optional

    Returns
    -------
    matplotlib.axes.Axes

    Examples
    --------
    >>> ax = plot_losses(1)
    >>> ax.get_legend_handles_labels()[1]
    ['cross-entropy', 'squared error']
    """
    ax = new_axes(ax, (6.0, 3.6))
    p = np.linspace(0.001, 0.999, 999)
    if gradient:
        ce = p - y_true
        se = 2.0 * (p - y_true) * p * (1.0 - p)
    else:
        ce = -np.log(p if y_true == 1 else 1.0 - p)
        se = (p - y_true) ** 2
    ax.plot(p, ce, label=tr("cross-entropy"), lw=2)
    ax.plot(p, se, label=tr("squared error"), lw=2)
    ax.axvline(y_true, color="0.4", lw=1, ls=":")
    ax.axhline(0, color="0.6", lw=0.8)
    ax.set_xlabel(tr("predicted probability p of class 1 (the true label is {y})", y=y_true))
    ax.set_ylabel(tr("d loss / d z (z = the output's logit)" if gradient else "loss"))
    what = "Gradient at the logit" if gradient else "Loss"
    ax.set_title(tr(what + ", one sample with true label {y}", y=y_true))
    ax.legend()
    ax.grid(alpha=0.3)
    return ax


@checked(
    model=checks.function("a Keras model or a function of X"),
    X=PLANE,
    y=checks.binary_labels(),
    resolution=checks.integer(10, 2000),  # 4 million points at most
    title=TITLE,
    ax=AXES,
)
def plot_decision_boundary(
    model: Any, X: Any, y: Any, *, resolution: int = 150, title: str | None = None, ax: Any = None
) -> Any:
    """Shade the probability a binary classifier gives class 1 over a 2-D plane, with the data on top.

    Parameters
    ----------
    model : callable
        A Keras model, or any function mapping an array of shape (n, 2) to n probabilities.
    X : array of shape (n_samples, 2)
    y : array of shape (n_samples,) with labels 0 and 1
    resolution : int
        Grid points per axis, from 10 to 2000.
    title : str, optional
    ax : matplotlib Axes, optional

    Returns
    -------
    matplotlib.axes.Axes

    Examples
    --------
    >>> import numpy as np
    >>> X = np.array([[0.0, 0.0], [1.0, 1.0]]); y = np.array([0, 1])
    >>> ax = plot_decision_boundary(lambda grid: (grid.sum(axis=1) > 1).astype(float), X, y, resolution=20)
    >>> ax.get_xlabel()
    'feature 1'
    """
    check_same_length(X, "X", y, "y")
    with np.errstate(over="ignore"):
        margin = 0.1 * (X.max(axis=0) - X.min(axis=0)) + 1e-9
        low, high = X.min(axis=0) - margin, X.max(axis=0) + margin
    check_float32_range(check_array(np.r_[low, high], "X"), "X")  # the plane's points are float32
    xx, yy = np.meshgrid(np.linspace(low[0], high[0], resolution), np.linspace(low[1], high[1], resolution))
    grid = np.column_stack([xx.ravel(), yy.ravel()]).astype(np.float32)
    prob = _probabilities_on_plane(model, grid).reshape(xx.shape)
    ax = new_axes(ax, (4.6, 4.2))
    ax.contourf(xx, yy, prob, levels=np.linspace(0, 1, 11), cmap="RdBu_r", alpha=0.55)
    if prob.min() < 0.5 < prob.max():
        ax.contour(xx, yy, prob, levels=[0.5], colors="k", linewidths=1.5)
    for label, marker in ((0, "o"), (1, "^")):
        mask = y == label
        ax.scatter(
            X[mask, 0],
            X[mask, 1],
            c="#2166ac" if label == 0 else "#b2182b",
            marker=marker,
            s=16,
            edgecolors="white",
            linewidths=0.4,
            label=tr("class {label}", label=label),
        )
    ax.set_xlabel(tr("feature 1"))
    ax.set_ylabel(tr("feature 2"))
    ax.set_title(title if title is not None else tr("Decision boundary (p = 0.5)"))
    ax.legend(loc="upper right", fontsize=8)
    return ax


def _probabilities_on_plane(model: Any, grid: np.ndarray) -> np.ndarray:
    """``model``'s probability of class 1 at every point of the plane, or an error in terms of ``model``."""
    inputs = getattr(model, "inputs", None)
    width = inputs[0].shape[-1] if isinstance(inputs, (list, tuple)) and len(inputs) == 1 else None
    if width is not None and width != 2:
        raise ValueError(
            f"model expects {width} input features, but the plane has 2 (the two columns of X); "
            "plot_decision_boundary draws a model of 2 features: train one on those two, or pass a "
            "function that fills in the others, e.g. lambda grid: model(np.column_stack([grid, fixed]))"
        )
    try:
        output = np.asarray(model(grid), dtype=np.float64)
    except Exception as error:  # the user's model or function failed: say so in its terms
        reason = str(error).strip().splitlines()[0] if str(error).strip() else type(error).__name__
        raise ValueError(
            f"model failed on the plane's points, an array of shape {grid.shape} (float32, 2 features): {reason}"
        ) from error
    if output.size != len(grid):
        raise ValueError(
            f"model must return one probability of class 1 per point of the plane, shape ({len(grid)},) or "
            f"({len(grid)}, 1), got shape {output.shape}; for a softmax over 2 classes pass "
            "lambda grid: model(grid)[:, 1]"
        )
    output = output.reshape(-1)
    if not np.all(np.isfinite(output)):
        raise ValueError("model returned NaN or infinite values on the plane's points (a diverged model?)")
    if output.min() < 0.0 or output.max() > 1.0:
        raise ValueError(
            f"model(X) must hold probabilities in [0, 1], got values from {output.min():g} to {output.max():g} "
            "on the plane: does model end in a sigmoid? For logits pass lambda grid: 1 / (1 + np.exp(-model(grid)))"
        )
    return output
