"""Chapter 1 — designing a network: layer sizes, parameter counts, output heads, building the model.

A fully connected network (a multilayer perceptron, MLP) is described by its layer sizes, e.g. the
source note's ``[10, 128, 64, 1]``: 10 input features, hidden layers of 128 and 64 units, one output
unit. This module turns such a description into numbers (:func:`count_params`), into a Keras model
(:func:`build_mlp`, with the output layer chosen by :func:`head_for`) and into pictures
(:func:`plot_network`, :func:`plot_activations`, :func:`plot_softmax`, :func:`plot_losses`,
:func:`plot_decision_boundary`). :func:`compare_optimizers` trains one network from the same
initial weights with several optimizers.

Keras and Matplotlib are imported inside the functions that need them, so ``import dlnotes`` stays light.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from typing import Any, NamedTuple

import numpy as np

from ._keras import OPTIMIZERS, dataset, make_optimizer, probability_cross_entropy, shuffles
from ._plot import check_curves, draw_curves, new_axes
from ._validation import (
    _describe,
    check_activation,
    check_array,
    check_axes,
    check_binary_labels,
    check_bool,
    check_choice,
    check_float,
    check_float32_range,
    check_int,
    check_probabilities,
    check_same_length,
    check_seed,
    check_sizes,
)

__all__ = [
    "count_params",
    "params_per_layer",
    "Head",
    "head_for",
    "build_mlp",
    "compare_optimizers",
    "plot_network",
    "plot_activations",
    "plot_softmax",
    "plot_losses",
    "plot_decision_boundary",
    "plot_optimizers",
]

TASKS = ("binary", "multiclass", "regression")
OPTIMIZER_PRESETS = tuple(OPTIMIZERS)  # "sgd", "momentum", "adam", "rmsprop": one table, in dlnotes._keras
PLOTTABLE_ACTIVATIONS = ("linear", "relu", "sigmoid", "tanh")


# ----------------------------------------------------------------------------------------------------
# Validation helpers specific to this module
# ----------------------------------------------------------------------------------------------------


def _check_range(value: Any, name: str) -> tuple[float, float]:
    if not isinstance(value, (Sequence, np.ndarray)) or isinstance(value, str) or len(value) != 2:
        raise TypeError(f"{name} must be a pair (low, high), got {_describe(value)}")
    low = check_float(value[0], f"{name}[0]")
    high = check_float(value[1], f"{name}[1]")
    if not low < high:
        raise ValueError(f"{name} must have low < high, got ({low:g}, {high:g})")
    return low, high


# ----------------------------------------------------------------------------------------------------
# Counting parameters
# ----------------------------------------------------------------------------------------------------


def params_per_layer(layer_sizes: Sequence[int]) -> list[int]:
    """Number of parameters of each ``Dense`` layer of a fully connected network.

    A ``Dense`` layer with ``n`` inputs and ``m`` units has an ``n × m`` weight matrix and ``m``
    biases, so ``n * m + m`` parameters. The input layer has none.

    Parameters
    ----------
    layer_sizes : sequence of int
        Sizes from the input to the output layer, e.g. ``[10, 128, 64, 1]``; at least two, each >= 1.

    Returns
    -------
    list of int
        One count per ``Dense`` layer, so ``len(layer_sizes) - 1`` numbers.

    Examples
    --------
    >>> params_per_layer([10, 128, 64, 1])
    [1408, 8256, 65]
    """
    sizes = check_sizes(layer_sizes, "layer_sizes", min_len=2, example="[10, 128, 64, 1]")
    return [n_in * n_out + n_out for n_in, n_out in zip(sizes[:-1], sizes[1:])]


def count_params(layer_sizes: Sequence[int]) -> int:
    """Total number of parameters (weights and biases) of a fully connected network.

    The sum over layers of ``inputs × units + units``; it equals Keras's ``model.count_params()``
    for the network :func:`build_mlp` makes from the same sizes (dropout layers add nothing).

    Parameters
    ----------
    layer_sizes : sequence of int
        Sizes from the input to the output layer, e.g. ``[10, 128, 64, 1]``; at least two, each >= 1.

    Returns
    -------
    int

    Examples
    --------
    >>> count_params([10, 128, 64, 1])
    9729
    >>> count_params([2, 1])  # logistic regression: two weights and a bias
    3
    """
    return int(sum(params_per_layer(layer_sizes)))


# ----------------------------------------------------------------------------------------------------
# The output layer and the loss follow from the problem
# ----------------------------------------------------------------------------------------------------


class Head(NamedTuple):
    """The output layer and loss for a task: ``units``, ``activation`` and Keras ``loss`` name."""

    units: int
    activation: str
    loss: str


def head_for(task: str, n_classes: int | None = None) -> Head:
    """The output layer (units, activation) and the loss that suit a kind of problem.

    ============  ===================  ===========  ==============================
    task          units                activation   loss
    ============  ===================  ===========  ==============================
    binary        1                    sigmoid      binary_crossentropy
    multiclass    ``n_classes``        softmax      categorical_crossentropy
    regression    1                    linear       mean_squared_error
    ============  ===================  ===========  ==============================

    ``categorical_crossentropy`` expects one-hot labels (``keras.utils.to_categorical``); with
    integer labels 0 … k-1 use ``sparse_categorical_crossentropy``, which computes the same number.

    Parameters
    ----------
    task : {"binary", "multiclass", "regression"}
    n_classes : int, optional
        Number of classes, at least 2; required for ``"multiclass"`` and not accepted otherwise.

    Returns
    -------
    Head
        A named tuple ``(units, activation, loss)``.

    Examples
    --------
    >>> head_for("binary")
    Head(units=1, activation='sigmoid', loss='binary_crossentropy')
    >>> head_for("multiclass", n_classes=3).units
    3
    """
    task = check_choice(task, "task", TASKS)
    if task == "multiclass":
        if n_classes is None:
            raise ValueError(
                "n_classes is required for task='multiclass' (the number of classes, at least 2)"
            )
        n_classes = check_int(n_classes, "n_classes", minimum=2)
        return Head(n_classes, "softmax", "categorical_crossentropy")
    if n_classes is not None:
        raise ValueError(
            f"n_classes is only used for task='multiclass', got n_classes={n_classes!r} with task={task!r}"
        )
    if task == "binary":
        return Head(1, "sigmoid", "binary_crossentropy")
    return Head(1, "linear", "mean_squared_error")


# ----------------------------------------------------------------------------------------------------
# Building the network
# ----------------------------------------------------------------------------------------------------


def build_mlp(
    input_dim: int,
    hidden: Sequence[int] = (128, 64),
    output_units: int = 1,
    activation: str | Callable = "relu",
    output_activation: str | Callable | None = "sigmoid",
    dropout: float = 0.0,
    *,
    name: str = "mlp",
) -> Any:
    """An uncompiled fully connected Keras network that starts with ``keras.Input``.

    The defaults give the source note's network: ``build_mlp(10)`` is
    ``Input(10) → Dense(128, relu) → Dense(64, relu) → Dense(1, sigmoid)``, 9,729 parameters.
    Layers are named ``hidden_1``, ``hidden_2``, … and ``output`` (and ``dropout_1``, … when
    ``dropout > 0``), so ``model.summary()`` reads like the design. Weights are initialised from
    Keras's global seed: call ``dlnotes.seed_everything`` first for repeatable weights.

    Parameters
    ----------
    input_dim : int
        Number of input features, at least 1.
    hidden : sequence of int
        Units of each hidden layer, in order; may be empty (no hidden layer).
    output_units : int
        Units of the output layer, at least 1 (see :func:`head_for`).
    activation : str or callable
        Activation of every hidden layer, any Keras activation name.
    output_activation : str, callable or None
        Activation of the output layer; ``None`` or ``"linear"`` for none.
    dropout : float
        Dropout rate in [0, 1); if above 0, a ``Dropout`` layer follows each hidden layer.
    name : str
        Name of the model, shown by ``model.summary()``.

    Returns
    -------
    keras.Sequential
        Not compiled: call ``model.compile(optimizer=..., loss=...)`` before ``fit``.

    Examples
    --------
    >>> model = build_mlp(10)
    >>> [layer.name for layer in model.layers], model.count_params()
    (['hidden_1', 'hidden_2', 'output'], 9729)
    >>> [layer.name for layer in build_mlp(4, hidden=(8,), dropout=0.5).layers]
    ['hidden_1', 'dropout_1', 'output']
    """
    input_dim = check_int(input_dim, "input_dim", minimum=1)
    hidden = check_sizes(hidden, "hidden", min_len=0, example="(128, 64)")
    output_units = check_int(output_units, "output_units", minimum=1)
    dropout = check_float(dropout, "dropout", low=0.0, high=1.0, high_inclusive=False)
    if not isinstance(name, str) or not name:
        raise TypeError(f"name must be a non-empty string, got {_describe(name)}")
    activation = check_activation(activation, "activation", allow_callable=True)
    output_activation = check_activation(output_activation, "output_activation", allow_callable=True)

    from ._backend import import_keras

    keras = import_keras()
    layers: list[Any] = [keras.Input(shape=(input_dim,), name="features")]
    for i, units in enumerate(hidden, start=1):
        layers.append(keras.layers.Dense(units, activation=activation, name=f"hidden_{i}"))
        if dropout > 0:
            layers.append(keras.layers.Dropout(dropout, name=f"dropout_{i}"))
    layers.append(keras.layers.Dense(output_units, activation=output_activation, name="output"))
    return keras.Sequential(layers, name=name)


# ----------------------------------------------------------------------------------------------------
# Comparing optimizers
# ----------------------------------------------------------------------------------------------------


def compare_optimizers(
    X: Any,
    y: Any,
    optimizers: Sequence[str] | Mapping[str, Callable[[], Any]] = ("sgd", "momentum", "adam"),
    *,
    hidden: Sequence[int] = (128, 64),
    epochs: int = 30,
    batch_size: int = 32,
    seed: int = 0,
) -> dict[str, list[float]]:
    """Train the same binary classifier from the same initial weights with each optimizer.

    One network ``build_mlp(n_features, hidden)`` is built with ``seed``; every optimizer then
    trains a copy of it with those exact initial weights, the same batches in the same order
    (the seed is reset before each ``fit``) and binary cross-entropy, so the optimizer is the only
    difference. After every epoch the loss on the whole of ``(X, y)`` is computed with the weights
    at that moment (not Keras's running average over the epoch's batches).

    Parameters
    ----------
    X : array of shape (n_samples, n_features)
    y : array of shape (n_samples,) with labels 0 and 1
    optimizers : sequence of str, or mapping of label -> callable
        Names among ``"sgd"`` (SGD, learning rate 0.01), ``"momentum"`` (SGD, 0.01, momentum 0.9),
        ``"adam"`` (Adam, 0.001) and ``"rmsprop"`` (RMSprop, 0.001), the Keras defaults; or a dict
        mapping a label to a function that returns a new Keras optimizer, e.g.
        ``{"SGD lr 0.1": lambda: keras.optimizers.SGD(0.1)}``.
    hidden : sequence of int
        Hidden layer sizes of the network.
    epochs, batch_size : int
        Training length and batch size (use ``len(X)`` for full-batch gradient descent).
    seed : int
        Seed for the initial weights and the shuffling.

    Returns
    -------
    dict of str -> list of float
        For each optimizer (keyed by its name or label), ``epochs + 1`` losses: element 0 is the
        loss of the initial weights (the same for every optimizer), element ``i`` the loss after
        epoch ``i``.

    Examples
    --------
    >>> from dlnotes.data import make_pattern_data
    >>> X, y = make_pattern_data(64, 3, seed=0)
    >>> curves = compare_optimizers(X, y, ["sgd", "adam"], hidden=(4,), epochs=2, seed=0)
    >>> {name: len(losses) for name, losses in curves.items()}
    {'sgd': 3, 'adam': 3}
    >>> curves["sgd"][0] == curves["adam"][0]  # same initial weights
    True
    """
    X = check_float32_range(check_array(X, "X", ndim=2), "X")
    y = check_binary_labels(y, "y")
    check_same_length(X, "X", y, "y")
    hidden = check_sizes(hidden, "hidden", min_len=0, example="(128, 64)")
    epochs = check_int(epochs, "epochs", minimum=1)
    batch_size = check_int(batch_size, "batch_size", minimum=1)
    seed = check_seed(seed)
    makers = _optimizer_makers(optimizers)

    from ._backend import import_keras

    keras = import_keras()
    keras.utils.set_random_seed(seed)
    initial = build_mlp(X.shape[1], hidden).get_weights()
    curves: dict[str, list[float]] = {}
    for label, make in makers.items():
        optimizer = make()
        if not isinstance(optimizer, keras.optimizers.Optimizer):
            raise TypeError(
                f"optimizers[{label!r}] must return a Keras optimizer such as keras.optimizers.SGD(0.01), "
                f"got {_describe(optimizer)}"
            )
        model = build_mlp(X.shape[1], hidden)
        model.set_weights(initial)
        model.compile(optimizer=optimizer, loss="binary_crossentropy")
        tracker = _full_data_loss(keras, X, y)
        # A fresh, seeded pipeline per optimizer, so each one sees the same batches in the same order.
        # (A tf.data pipeline made once is also about twice as fast as fit's per-epoch handling of arrays.)
        keras.utils.set_random_seed(seed)
        batches = dataset(X, y, batch_size, shuffle=shuffles(batch_size, len(X)), seed=seed)
        model.fit(batches, epochs=epochs, shuffle=False, verbose=0, callbacks=[tracker])
        curves[label] = tracker.losses
    return curves


def _optimizer_makers(optimizers: Any) -> dict[str, Callable[[], Any]]:
    """label -> a function making a fresh optimizer, from a list of names or a dict of label -> function."""
    if isinstance(optimizers, Mapping):
        for label, make in optimizers.items():
            if not isinstance(label, str) or not callable(make):
                raise TypeError(
                    "optimizers, when a dict, must map a label (str) to a function returning a new Keras "
                    f"optimizer, got {label!r}: {_describe(make)}"
                )
        makers = dict(optimizers)
    elif isinstance(optimizers, (str, bytes)) or not isinstance(optimizers, Sequence):
        raise TypeError(
            f"optimizers must be a list of names from {list(OPTIMIZER_PRESETS)} or a dict of label -> "
            f"function, got {_describe(optimizers)}"
        )
    else:
        names = [
            check_choice(name, f"optimizers[{i}]", OPTIMIZER_PRESETS) for i, name in enumerate(optimizers)
        ]
        makers = {name: (lambda name=name: make_optimizer(name)) for name in names}
    if not makers:
        raise ValueError("optimizers is empty; give at least one optimizer to compare")
    if len(makers) != len(optimizers):
        raise ValueError(f"optimizers has repeated names: {list(optimizers)}")
    return makers


def _full_data_loss(keras: Any, X: np.ndarray, y: np.ndarray) -> Any:
    """A callback recording the loss on all of ``(X, y)`` before training and after every epoch.

    Keras's own ``loss`` is a running average over the epoch's batches, taken while the weights
    move; this is the loss of the weights at that moment, as :func:`compare_optimizers` promises.
    """
    X32 = X.astype(np.float32)

    class FullDataLoss(keras.callbacks.Callback):
        def __init__(self) -> None:
            super().__init__()
            self.losses: list[float] = []

        def _record(self) -> None:
            self.losses.append(probability_cross_entropy(y, np.asarray(self.model(X32, training=False))))

        def on_train_begin(self, logs: Any = None) -> None:
            self._record()

        def on_epoch_end(self, epoch: int, logs: Any = None) -> None:
            self._record()

    return FullDataLoss()


# ----------------------------------------------------------------------------------------------------
# Pictures
# ----------------------------------------------------------------------------------------------------


def _drawn_rows(n: int, max_nodes: int) -> tuple[list[float], float | None]:
    """Vertical positions of the nodes drawn for a layer of ``n`` units, and of its ellipsis if any."""
    if n <= max_nodes:
        return [(n - 1) / 2 - j for j in range(n)], None
    slots = [(max_nodes - 1) / 2 - j for j in range(max_nodes)]
    top = max_nodes // 2  # nodes above the ellipsis; the rest go below it
    return slots[:top] + slots[top + 1 :], slots[top]


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
    sizes = check_sizes(layer_sizes, "layer_sizes", min_len=2, example="[10, 128, 64, 1]")
    max_nodes = check_int(max_nodes, "max_nodes", minimum=3)
    if activations is not None:
        if isinstance(activations, str) or not isinstance(activations, Sequence):
            raise TypeError(f"activations must be a sequence of names, got {_describe(activations)}")
        if len(activations) != len(sizes) - 1:
            raise ValueError(
                f"activations must have one name per layer after the input ({len(sizes) - 1}), "
                f"got {len(activations)}"
            )
    check_axes(ax)
    show_params = check_bool(show_params, "show_params")
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
    ax.set_xlabel("layers, from input to output")
    ax.set_ylabel("units")
    sizes_text = "-".join(str(n) for n in sizes)
    ax.set_title(
        title if title is not None else f"A {sizes_text} network: {count_params(sizes):,} parameters"
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
        name = "input" if kind == "input" else "output" if kind == "output" else f"hidden {i}"
        caption = f"{name}\n{n:,} unit{'s' if n != 1 else ''}"
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
    if isinstance(names, str):
        names = [names]
    if not isinstance(names, Sequence):
        raise TypeError(f"names must be a non-empty list of activation names, got {_describe(names)}")
    if len(names) == 0:
        raise ValueError("names must be a non-empty list of activation names, got an empty one")
    derivative = check_bool(derivative, "derivative")
    for i, name in enumerate(names):
        if name == "softmax":
            raise ValueError("names: softmax acts on a vector of logits, not on one number; use plot_softmax")
        check_choice(name, f"names[{i}]", PLOTTABLE_ACTIVATIONS)
    low, high = _check_range(x_range, "x_range")
    check_axes(ax)
    ax = new_axes(ax, (6.0, 3.6))
    z = np.linspace(low, high, 401)
    for name in names:
        ax.plot(z, _activation_values(name, z, derivative), label=name, lw=2)
    ax.axhline(0, color="0.6", lw=0.8)
    ax.axvline(0, color="0.6", lw=0.8)
    ax.set_xlabel("z, the unit's weighted input (x·w + b)")
    ax.set_ylabel("derivative d activation / dz" if derivative else "activation(z)")
    ax.set_title("Derivatives of activation functions" if derivative else "Activation functions")
    ax.legend()
    ax.grid(alpha=0.3)
    return ax


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
    z = check_array(logits, "logits", ndim=1)
    if len(z) < 2:
        raise ValueError(f"logits must hold at least 2 values (one per class), got {len(z)}")
    check_axes(ax)
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
    ax.set_xticks(positions, [f"class {i}\nz = {v:g}" for i, v in enumerate(z)])
    ax.set_ylim(0, 1.12)
    ax.set_xlabel("class and its logit z")
    ax.set_ylabel("softmax probability")
    ax.set_title(title if title is not None else "Softmax: logits to probabilities that sum to 1")
    ax.grid(alpha=0.3, axis="y")
    return ax


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
    y_true = check_int(y_true, "y_true", minimum=0, maximum=1)
    gradient = check_bool(gradient, "gradient")
    check_axes(ax)
    ax = new_axes(ax, (6.0, 3.6))
    p = np.linspace(0.001, 0.999, 999)
    if gradient:
        ce = p - y_true
        se = 2.0 * (p - y_true) * p * (1.0 - p)
    else:
        ce = -np.log(p if y_true == 1 else 1.0 - p)
        se = (p - y_true) ** 2
    ax.plot(p, ce, label="cross-entropy", lw=2)
    ax.plot(p, se, label="squared error", lw=2)
    ax.axvline(y_true, color="0.4", lw=1, ls=":")
    ax.axhline(0, color="0.6", lw=0.8)
    ax.set_xlabel(f"predicted probability p of class 1 (the true label is {y_true})")
    ax.set_ylabel("d loss / d z (z = the output's logit)" if gradient else "loss")
    what = "Gradient at the logit" if gradient else "Loss"
    ax.set_title(f"{what}, one sample with true label {y_true}")
    ax.legend()
    ax.grid(alpha=0.3)
    return ax


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
        Grid points per axis, at least 10.
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
    if not callable(model):
        raise TypeError(f"model must be a Keras model or a function of X, got {_describe(model)}")
    X = check_array(X, "X", ndim=2)
    if X.shape[1] != 2:
        raise ValueError(f"X must have exactly 2 features to draw on a plane, got {X.shape[1]}")
    y = check_binary_labels(y, "y")
    check_same_length(X, "X", y, "y")
    resolution = check_int(resolution, "resolution", minimum=10)
    check_axes(ax)
    margin = 0.1 * (X.max(axis=0) - X.min(axis=0)) + 1e-9
    low, high = X.min(axis=0) - margin, X.max(axis=0) + margin
    xx, yy = np.meshgrid(np.linspace(low[0], high[0], resolution), np.linspace(low[1], high[1], resolution))
    grid = np.column_stack([xx.ravel(), yy.ravel()]).astype(np.float32)
    prob = check_probabilities(np.asarray(model(grid)), "model(X)").reshape(xx.shape)
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
            label=f"class {label}",
        )
    ax.set_xlabel("feature 1")
    ax.set_ylabel("feature 2")
    ax.set_title(title if title is not None else "Decision boundary (p = 0.5)")
    ax.legend(loc="upper right", fontsize=8)
    return ax


def plot_optimizers(
    curves: Mapping[str, Sequence[float]], *, title: str | None = None, logy: bool = False, ax: Any = None
) -> Any:
    """Plot the loss curves returned by :func:`compare_optimizers`, epoch 0 being the initial weights.

    Parameters
    ----------
    curves : mapping of str -> sequence of float
        Label -> losses at epochs 0, 1, 2, …
    title : str, optional
    logy : bool
        Logarithmic loss axis.
    ax : matplotlib Axes, optional

    Returns
    -------
    matplotlib.axes.Axes

    Examples
    --------
    >>> ax = plot_optimizers({"sgd": [0.7, 0.69, 0.68], "adam": [0.7, 0.6, 0.5]})
    >>> ax.get_lines()[0].get_xdata().tolist()
    [0, 1, 2]
    """
    values = check_curves(curves)
    logy = check_bool(logy, "logy")
    ax = new_axes(ax, (6.0, 3.6))
    draw_curves(ax, values, first_x=0, lw=2)
    if logy:
        ax.set_yscale("log")
    ax.set_xlabel("epoch (0 = the shared initial weights)")
    ax.set_ylabel("training loss (binary cross-entropy)")
    ax.set_title(title if title is not None else "Same network, same start, different optimizers")
    ax.legend()
    ax.grid(alpha=0.3)
    return ax
