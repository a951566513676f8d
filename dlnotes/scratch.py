"""Chapter 2 — training from scratch in NumPy: forward pass, loss, backpropagation, update.

:class:`NumpyMLP` is the network of chapter 1 (``Dense`` layers, ReLU in the hidden layers, one sigmoid
output unit) written in plain NumPy, in float64, so that every step ``model.fit`` hides can be read
and checked:

1. **forward** — ``a = relu(a @ W + b)`` layer by layer, then the logit ``z = a @ W + b`` and
   ``p = sigmoid(z) = 1 / (1 + exp(-z))``;
2. **loss** — the mean binary cross-entropy ``-mean(y log p + (1 - y) log(1 - p))``, computed from the
   logits as ``mean(log(1 + exp(z)) - y z)``;
3. **backward** — the gradient of the loss for every weight by the chain rule, from the output back,
   starting from ``δ = dLoss/dz = (p - y) / n`` at the output;
4. **step** — ``w ← w − learning_rate · grad``, plain gradient descent.

The file reads in that order, then :meth:`NumpyMLP.fit` (epochs of mini-batches, cut as ``model.fit``
cuts them by :func:`batch_indices`, which lives in :mod:`dlnotes.data` and is re-exported here), then
:meth:`NumpyMLP.from_keras` (the only use of Keras) and the checks.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

import numpy as np

from . import _checks as checks
from ._checks import Check, checked
from ._keras import check_numpy_mlp_model, numpy_mlp_layers
from ._validation import check_array, check_binary_labels, check_network_size, check_same_length, describe
from .data import batch_indices

__all__ = ["NumpyMLP", "batch_indices"]

Layer = tuple[np.ndarray, np.ndarray]  # (W, b) of one Dense layer


#: The arguments of the methods, each on its own (the features a network expects, and that ``X`` and
#: ``y`` have as many samples, are checked in the bodies).
DATA = {"X": checks.array(ndim=2), "y": checks.binary_labels()}
KERAS_MLP = Check(check_numpy_mlp_model, (("model", TypeError), (None, TypeError)))


# ------------------------------------------------------------------------------------------- the maths


def relu(z: np.ndarray) -> np.ndarray:
    """``max(z, 0)``, element-wise; its derivative is 1 where ``z > 0`` and 0 elsewhere."""
    return np.maximum(z, 0.0)


def sigmoid(z: np.ndarray) -> np.ndarray:
    """``1 / (1 + exp(-z))``, written as ``exp(-log(1 + exp(-z)))``: no overflow warning for any z."""
    return np.exp(-np.logaddexp(0.0, -z))


def cross_entropy_from_logits(z: np.ndarray, y: np.ndarray) -> float:
    """Mean binary cross-entropy of ``p = sigmoid(z)`` against labels ``y``, from the logits ``z``.

    ``-[y log p + (1 - y) log(1 - p)]`` with ``p = sigmoid(z)`` simplifies to ``log(1 + exp(z)) - y z``,
    which never takes ``log(0)`` even when ``p`` rounds to 0 or 1.
    """
    return float(np.mean(np.logaddexp(0.0, z) - y * z))


class NumpyMLP:
    """A dense binary classifier in NumPy: ReLU hidden layers and one sigmoid output unit.

    The parameters live in :attr:`layers`, one pair ``(W, b)`` of float64 arrays per ``Dense`` layer:
    ``W`` of shape ``(inputs, units)`` (Keras' *kernel*) and ``b`` of shape ``(units,)``.
    :attr:`weights` shows the same arrays as one list ``[W1, b1, W2, b2, ...]``, the order and shapes
    of a Keras model's ``trainable_weights``.

    **The loss** is the mean binary cross-entropy, from the *logits* ``z`` (before the sigmoid) as
    ``mean(log(1 + exp(z)) - y * z)``: never ``log(0)``, as Keras computes it for a sigmoid output.

    Parameters
    ----------
    layer_sizes : sequence of int
        Inputs, then the units of every layer, e.g. ``(10, 128, 64, 1)`` for chapter 1's network.
        At least two numbers, all at least 1, and the last must be 1 (one sigmoid output unit).
    seed : int
        Seed for ``np.random.default_rng``. Hidden (ReLU) layers start from He-normal weights,
        ``N(0, 2 / inputs)``; the sigmoid output layer from Glorot-uniform weights,
        ``U(±sqrt(6 / (inputs + units)))``, Keras' default. Biases start at 0.

    Attributes
    ----------
    layer_sizes : tuple of int
    layers : list of (ndarray, ndarray)
        ``(W, b)`` per layer, from the input to the output; :attr:`weights` gives the same arrays flat.

    Examples
    --------
    >>> mlp = NumpyMLP((3, 4, 1), seed=0)
    >>> [w.shape for w in mlp.weights]
    [(3, 4), (4,), (4, 1), (1,)]
    >>> X = np.array([[0.0, 1.0, 2.0], [1.0, 0.0, -1.0]])
    >>> y = np.array([1, 0])
    >>> mlp.forward(X).shape
    (2, 1)
    >>> loss, grads = mlp.gradients(X, y)
    >>> [g.shape for g in grads] == [w.shape for w in mlp.weights]
    True
    >>> before = mlp.loss(X, y)
    >>> for _ in range(20):
    ...     _ = mlp.step(X, y, learning_rate=0.1)
    >>> mlp.loss(X, y) < before
    True
    """

    @checked(layer_sizes=checks.sizes(min_len=2, example="(10, 128, 64, 1)"), seed=checks.seed)
    def __init__(self, layer_sizes: Sequence[int], *, seed: int = 0) -> None:
        sizes = tuple(layer_sizes)
        if sizes[-1] != 1:
            raise ValueError(f"layer_sizes must end in 1 (one sigmoid output unit), got {sizes}")
        check_network_size(sizes, "layer_sizes")
        rng = np.random.default_rng(seed)
        self.layer_sizes: tuple[int, ...] = sizes
        self.layers: list[Layer] = []
        for i, (fan_in, fan_out) in enumerate(zip(sizes[:-1], sizes[1:])):
            if i < len(sizes) - 2:  # hidden ReLU layer: He normal
                W = rng.normal(0.0, np.sqrt(2.0 / fan_in), size=(fan_in, fan_out))
            else:  # sigmoid output layer: Glorot uniform
                limit = np.sqrt(6.0 / (fan_in + fan_out))
                W = rng.uniform(-limit, limit, size=(fan_in, fan_out))
            self.layers.append((W, np.zeros(fan_out)))

    def __repr__(self) -> str:
        return f"NumpyMLP(layer_sizes={self.layer_sizes})"

    @property
    def weights(self) -> list[np.ndarray]:
        """``[W1, b1, W2, b2, ...]``: the arrays of :attr:`layers` (not copies), Keras's order.

        Setting it takes one finite real array per entry, each of the shape :attr:`layer_sizes` gives
        (as Keras's ``set_weights`` does), stored as float64 (float64 arrays themselves, not copies).
        """
        return [array for layer in self.layers for array in layer]

    @weights.setter
    def weights(self, weights: Sequence[np.ndarray]) -> None:
        self.layers = _pair_up(weights, self.layer_sizes)

    # -------------------------------------------------------------------------- forward, loss, backward

    def _logits(self, X: np.ndarray, layers: list[Layer]) -> tuple[list[np.ndarray], np.ndarray]:
        """Forward pass: the input of every layer (``X`` first) and the output logits ``z``."""
        inputs = [X]
        with np.errstate(over="ignore", invalid="ignore"):  # an overflow is reported by _forward
            for W, b in layers[:-1]:
                inputs.append(relu(inputs[-1] @ W + b))
            return inputs, inputs[-1] @ layers[-1][0] + layers[-1][1]

    def _forward(self, X: np.ndarray) -> tuple[list[np.ndarray], np.ndarray]:
        """:meth:`_logits` of the weights; logits beyond float64 (a NaN loss without a word) are an error."""
        inputs, z = self._logits(X, self.layers)
        if not np.all(np.isfinite(z)):
            largest = max(float(np.max(np.abs(w), initial=0.0)) for w in self.weights)
            raise ValueError(
                f"X makes the network's output overflow float64 (NaN or infinite logits, so a NaN loss): its "
                f"weights (largest |w| {largest:.3g}) or X (largest |x| {np.max(np.abs(X)):.3g}) are too large; "
                "standardise X, or start again with a smaller learning_rate"
            )
        return inputs, z

    def _backward(self, inputs: list[np.ndarray], z: np.ndarray, y: np.ndarray) -> list[Layer]:
        """Backward pass: the chain rule from the loss back to every layer's ``(dW, db)``.

        ``δ`` is dLoss/dz of the current layer's pre-activation ``z = a @ W + b``. At the sigmoid
        output with mean cross-entropy it is ``δ = (p - y) / n`` with ``p = sigmoid(z)``; then
        ``dW = a.T @ δ``, ``db = δ`` summed over samples, and the previous layer's
        ``δ = (δ @ W.T) * relu'(z_prev)``, where ``relu'`` is 1 where the unit was active.
        """
        delta = (sigmoid(z) - y) / len(y)
        grads: list[Layer] = []
        for depth, ((W, _), a) in enumerate(zip(reversed(self.layers), reversed(inputs))):
            grads.append((a.T @ delta, delta.sum(axis=0)))
            if depth < len(self.layers) - 1:
                delta = (delta @ W.T) * (a > 0)  # a = relu(z_prev) > 0 exactly where relu'(z_prev) = 1
        return grads[::-1]

    @checked(X=DATA["X"])
    def forward(self, X: Any) -> np.ndarray:
        """Forward propagation: the predicted probability of label 1 for every sample.

        Parameters
        ----------
        X : array of shape (n_samples, n_features)

        Returns
        -------
        ndarray of shape (n_samples, 1)
            Probabilities in [0, 1] (they can round to 0 or 1: :meth:`loss` works from the logits).

        Examples
        --------
        >>> mlp = NumpyMLP((2, 1), seed=0)
        >>> mlp.weights = [np.array([[1.0], [-1.0]]), np.array([0.0])]
        >>> mlp.forward([[2.0, 2.0], [1.0, 0.0]]).round(4).tolist()
        [[0.5], [0.7311]]
        """
        return sigmoid(self._forward(self._check_features(X))[1])

    @checked(**DATA)
    def loss(self, X: Any, y: Any) -> float:
        """The mean binary cross-entropy of the network's predictions for ``X`` against labels ``y``.

        Parameters
        ----------
        X : array of shape (n_samples, n_features)
        y : array of shape (n_samples,) or (n_samples, 1) with labels 0 and 1

        Examples
        --------
        A network that answers 0.5 for everything has loss ``log 2``:

        >>> mlp = NumpyMLP((2, 1), seed=0)
        >>> mlp.weights = [np.zeros((2, 1)), np.zeros(1)]
        >>> round(mlp.loss([[1.0, 2.0], [3.0, 4.0]], [0, 1]), 4), round(float(np.log(2)), 4)
        (0.6931, 0.6931)
        """
        X, y = self._pair(self._check_features(X), y)
        return cross_entropy_from_logits(self._forward(X)[1], y)

    @checked(**DATA)
    def gradients(self, X: Any, y: Any) -> tuple[float, list[np.ndarray]]:
        """Forward pass, loss and backpropagation: the loss and its gradient for every weight.

        Parameters
        ----------
        X : array of shape (n_samples, n_features)
        y : array of shape (n_samples,) or (n_samples, 1) with labels 0 and 1

        Returns
        -------
        loss : float
            The mean binary cross-entropy.
        grads : list of ndarray
            dLoss/dw for every array in :attr:`weights`, same order and shapes (kernel, bias,
            kernel, bias, ...), which is the order of a Keras model's ``trainable_weights``.

        Examples
        --------
        One sigmoid unit: the gradient of the mean cross-entropy is ``X.T @ (p - y) / n``.

        >>> mlp = NumpyMLP((2, 1), seed=0)
        >>> mlp.weights = [np.zeros((2, 1)), np.zeros(1)]
        >>> loss, (dW, db) = mlp.gradients([[1.0, 2.0], [3.0, 4.0]], [0, 1])
        >>> dW.tolist(), db.tolist()
        ([[-0.5], [-0.5]], [0.0])
        """
        X, y = self._pair(self._check_features(X), y)
        inputs, z = self._forward(X)
        return cross_entropy_from_logits(z, y), [g for pair in self._backward(inputs, z, y) for g in pair]

    @checked(learning_rate=checks.learning_rate)
    def step(self, X: Any, y: Any, learning_rate: float) -> float:
        """One step of gradient descent on the batch ``(X, y)``; return the loss before the update.

        Every weight moves against its gradient: ``w ← w − learning_rate · dLoss/dw``. If the step
        would make a weight NaN or infinite, or so large that the output overflows (a learning rate
        far too large), the weights are left unchanged and a ``ValueError`` is raised.

        Parameters
        ----------
        X : array of shape (n_samples, n_features)
        y : array of shape (n_samples,) or (n_samples, 1) with labels 0 and 1
        learning_rate : float
            Step size, greater than 0.

        Examples
        --------
        >>> mlp = NumpyMLP((2, 1), seed=0)
        >>> mlp.weights = [np.zeros((2, 1)), np.zeros(1)]
        >>> round(mlp.step([[1.0, 2.0], [3.0, 4.0]], [0, 1], learning_rate=1.0), 4)
        0.6931
        >>> mlp.weights[0].tolist()
        [[0.5], [0.5]]
        """
        X, y = self._check_Xy(X, y)
        inputs, z = self._forward(X)
        loss = cross_entropy_from_logits(z, y)
        with np.errstate(over="ignore", invalid="ignore"):  # a diverging step is reported below
            new_layers = [
                (W - learning_rate * dW, b - learning_rate * db)
                for (W, b), (dW, db) in zip(self.layers, self._backward(inputs, z, y))
            ]
        finite = all(np.all(np.isfinite(w)) for layer in new_layers for w in layer)
        if not finite or not np.all(np.isfinite(self._logits(X, new_layers)[1])):
            raise ValueError(
                f"learning_rate={learning_rate:g} made some weights NaN, infinite or so large that the "
                "network's output overflows; the weights were left unchanged: use a smaller learning_rate"
            )
        self.layers = new_layers
        return loss

    # ------------------------------------------------------------------------------------ training

    @checked(
        epochs=checks.positive_int,
        batch_size=checks.positive_int,
        learning_rate=checks.learning_rate,
        seed=checks.seed,
        shuffle=checks.boolean,
    )
    def fit(
        self,
        X: Any,
        y: Any,
        *,
        epochs: int = 10,
        batch_size: int = 16,
        learning_rate: float = 0.1,
        seed: int = 0,
        shuffle: bool = True,
    ) -> list[float]:
        """Mini-batch gradient descent for several epochs, like ``model.fit`` with plain SGD.

        Each epoch cuts the data into ``ceil(n_samples / batch_size)`` batches with
        :func:`batch_indices` and makes one :meth:`step` per batch. The options are keyword-only:
        Keras's ``fit(x, y, batch_size, epochs)`` takes them in another order, so a positional
        ``fit(X, y, 32, 10)`` would silently mean something else here.

        Parameters
        ----------
        X : array of shape (n_samples, n_features)
        y : array of shape (n_samples,) or (n_samples, 1) with labels 0 and 1
        epochs : int
            Passes over the data, at least 1.
        batch_size : int
            Samples per step, at least 1.
        learning_rate : float
            Step size, greater than 0.
        seed : int
            Seeds one ``np.random.default_rng`` that draws a new order of the samples every epoch.
        shuffle : bool
            ``False`` keeps the samples in their given order every epoch (``model.fit(shuffle=False)``).

        Returns
        -------
        list of float
            The loss of every epoch: the mean of its batch losses weighted by batch size, each
            computed before that batch's update, which is what Keras reports as ``loss``.

        Examples
        --------
        >>> X = np.array([[0.0, 0.0], [0.0, 1.0], [1.0, 0.0], [1.0, 1.0]])
        >>> y = np.array([0, 1, 1, 1])  # logical OR
        >>> losses = NumpyMLP((2, 8, 1), seed=0).fit(X, y, epochs=50, batch_size=2, learning_rate=0.5)
        >>> len(losses), losses[-1] < losses[0]
        (50, True)
        """
        X, y = self._check_Xy(X, y)
        rng = np.random.default_rng(seed)
        history = []
        for _ in range(epochs):
            total = 0.0
            for batch in batch_indices(len(X), batch_size, seed=rng if shuffle else None):
                total += self.step(X[batch], y[batch], learning_rate) * len(batch)
            history.append(total / len(X))
        return history

    # ------------------------------------------------------------------------- from Keras, and checks

    @classmethod
    @checked(model=KERAS_MLP)
    def from_keras(cls, model: Any) -> NumpyMLP:
        """Copy the weights of a Keras ``Sequential`` of ``Dense`` layers into a new ``NumpyMLP``.

        The model must have been built (start it with ``keras.Input``), contain only trainable
        ``Dense`` layers with biases and no regularisers, use ReLU in every hidden layer and end in a
        ``Dense(1, activation="sigmoid")``. Anything else raises an error naming the layer, because
        ``NumpyMLP`` would silently compute something else. The weights are copied as float64, so
        changing one network never changes the other.

        Parameters
        ----------
        model : keras.Sequential

        Returns
        -------
        NumpyMLP

        Examples
        --------
        >>> import keras
        >>> model = keras.Sequential([keras.Input((3,)), keras.layers.Dense(4, activation="relu"),
        ...                           keras.layers.Dense(1, activation="sigmoid")])
        >>> mlp = NumpyMLP.from_keras(model)
        >>> mlp.layer_sizes
        (3, 4, 1)
        >>> X = np.ones((2, 3))
        >>> bool(np.allclose(mlp.forward(X), model.predict(X, verbose=0), atol=1e-6))
        True
        """
        from ._backend import import_keras

        keras = import_keras()
        layers = numpy_mlp_layers(keras, model)
        weights = []
        for layer in layers:
            kernel, bias = (np.array(w, dtype=np.float64) for w in layer.get_weights())
            if not (np.all(np.isfinite(kernel)) and np.all(np.isfinite(bias))):
                raise ValueError(f"model layer {layer.name!r} has NaN or infinite weights")
            weights += [kernel, bias]
        mlp = cls.__new__(cls)
        mlp.layer_sizes = (weights[0].shape[0],) + tuple(W.shape[1] for W in weights[0::2])
        mlp.weights = weights
        return mlp

    def _check_features(self, X: np.ndarray) -> np.ndarray:
        if X.shape[1] != self.layer_sizes[0]:
            raise ValueError(
                f"X has {X.shape[1]} features per sample but the network expects {self.layer_sizes[0]}"
            )
        return X

    def _check_Xy(self, X: Any, y: Any) -> tuple[np.ndarray, np.ndarray]:
        return self._pair(self._check_features(check_array(X, "X", ndim=2)), check_binary_labels(y, "y"))

    def _pair(self, X: np.ndarray, y: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        """Checked ``X`` and labels ``y`` with as many samples; ``y`` as a float column for the maths."""
        check_same_length(X, "X", y, "y")
        return X, y.astype(np.float64).reshape(-1, 1)


def _pair_up(weights: Any, layer_sizes: tuple[int, ...]) -> list[Layer]:
    """``[W1, b1, W2, b2, ...]`` as ``[(W1, b1), ...]``: finite float64 arrays of the shapes ``layer_sizes`` gives."""
    if isinstance(weights, (str, bytes, np.ndarray, Mapping)) or not isinstance(weights, Sequence):
        raise TypeError(f"weights must be a list [W1, b1, W2, b2, ...] of arrays, got {describe(weights)}")
    shapes = [
        shape
        for fan_in, fan_out in zip(layer_sizes[:-1], layer_sizes[1:])
        for shape in ((fan_in, fan_out), (fan_out,))
    ]
    if len(weights) != len(shapes):
        raise ValueError(
            f"weights must hold a kernel and a bias per layer, [W1, b1, ...]: {len(shapes)} arrays for "
            f"layer_sizes {layer_sizes}, got {len(weights)}; for other sizes make a new NumpyMLP"
        )
    arrays = []
    for i, (w, shape) in enumerate(zip(weights, shapes)):
        array = check_array(w, f"weights[{i}]", ndim=len(shape), allow_empty=True)
        if array.shape != shape:
            raise ValueError(
                f"weights[{i}] must have shape {shape} for layer_sizes {layer_sizes}, got {array.shape}"
            )
        arrays.append(array)
    return list(zip(arrays[0::2], arrays[1::2]))
