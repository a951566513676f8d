"""Models: layer sizes, parameter counts, output heads and :func:`build_mlp` (chapter 1).

A fully connected network (a multilayer perceptron, MLP) is described by its layer sizes, e.g. the
source note's ``[10, 128, 64, 1]``: 10 input features, hidden layers of 128 and 64 units, one output
unit. This module turns such a description into numbers (:func:`count_params`) and into a Keras
model (:func:`build_mlp`, with the output layer chosen by :func:`head_for`). It neither trains
(:mod:`dlnotes.training`) nor draws (:mod:`dlnotes.plots`).

Keras is imported inside the functions that need it, so ``import dlnotes`` stays light.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any, NamedTuple

from . import _checks as checks
from ._checks import checked
from ._validation import check_network_size

__all__ = ["params_per_layer", "count_params", "Head", "head_for", "build_mlp"]

TASKS = ("binary", "multiclass", "regression")
#: Sizes from the input to the output layer.
LAYER_SIZES = checks.sizes(min_len=2, example="[10, 128, 64, 1]")


@checked(layer_sizes=LAYER_SIZES)
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
    return [n_in * n_out + n_out for n_in, n_out in zip(layer_sizes[:-1], layer_sizes[1:])]


@checked(layer_sizes=LAYER_SIZES)
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


class Head(NamedTuple):
    """The output layer and loss for a task: ``units``, ``activation`` and Keras ``loss`` name."""

    units: int
    activation: str
    loss: str


@checked(task=checks.choice(TASKS), n_classes=checks.optional(checks.integer(minimum=2)))
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
    if task == "multiclass":
        if n_classes is None:
            raise ValueError(
                "n_classes is required for task='multiclass' (the number of classes, at least 2)"
            )
        return Head(n_classes, "softmax", "categorical_crossentropy")
    if n_classes is not None:
        raise ValueError(
            f"n_classes is only used for task='multiclass', got n_classes={n_classes!r} with task={task!r}"
        )
    if task == "binary":
        return Head(1, "sigmoid", "binary_crossentropy")
    return Head(1, "linear", "mean_squared_error")


@checked(
    input_dim=checks.positive_int,
    hidden=checks.sizes(min_len=0, example="(128, 64)"),
    output_units=checks.positive_int,
    activation=checks.activation_or_callable,
    output_activation=checks.activation_or_callable,
    dropout=checks.number(0.0, 1.0, high_inclusive=False),
    name=checks.text("a non-empty string"),
)
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
    check_network_size([input_dim, *hidden, output_units], "input_dim, hidden and output_units")

    from ._backend import import_keras

    keras = import_keras()
    layers: list[Any] = [keras.Input(shape=(input_dim,), name="features")]
    for i, units in enumerate(hidden, start=1):
        layers.append(keras.layers.Dense(units, activation=activation, name=f"hidden_{i}"))
        if dropout > 0:
            layers.append(keras.layers.Dropout(dropout, name=f"dropout_{i}"))
    layers.append(keras.layers.Dense(output_units, activation=output_activation, name="output"))
    return keras.Sequential(layers, name=name)
