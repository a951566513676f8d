"""dlnotes.scratch: the NumPy network must compute what Keras/TensorFlow compute, step by step."""

import numpy as np
import pytest

from dlnotes.scratch import NumpyMLP, batch_indices

_MLP = NumpyMLP((3, 4, 1), seed=0)
_NET = NumpyMLP((3, 2, 1), seed=0)  # its weights setter is given bad lists
_X = np.zeros((2, 3))
_Y = np.array([0, 1])
_HUGE = NumpyMLP((3, 1), seed=0)
_HUGE.weights = [np.full((3, 1), 1e308), np.zeros(1)]  # finite, but X @ W overflows

# What one argument can get wrong on its own is declared beside each signature (@checked), and
# tests/test_api.py generates those bad-input cases. Kept here: what needs two arguments, and messages
# whose wording is the lesson.
BAD_INPUTS = [
    (NumpyMLP, ((3, 4, 2),), {}, ValueError, r"layer_sizes must end in 1 \(one sigmoid output unit"),
    (
        _MLP.forward,
        (np.zeros((2, 5)),),
        {},
        ValueError,
        r"X has 5 features per sample but the network expects 3",
    ),
    (_MLP.forward, (np.zeros(3),), {}, ValueError, r"X must be 2-D, got an array of shape \(3,\)"),
    (_MLP.loss, (_X, [0, 1, 1]), {}, ValueError, r"X has 2 samples but y has 3; they must match"),
    (
        _MLP.step,
        (np.zeros((2, 4)), _Y, 0.1),
        {},
        ValueError,
        r"X has 4 features per sample but the network expects 3",
    ),
    (_MLP.fit, (_X, [1, 0, 1]), {}, ValueError, r"X has 2 samples but y has 3; they must match"),
    # the weights setter (found by tests/test_properties.py: it took any arrays, e.g. one layer's pair for a
    # two-layer network, or NaN or text, and the network failed later or computed something else)
    (
        NumpyMLP.weights.fset,
        (_NET, [np.zeros((3, 1)), np.zeros(1)]),
        {},
        ValueError,
        r"weights must hold a kernel and a bias per layer, \[W1, b1, \.\.\.\]: "
        r"4 arrays for layer_sizes \(3, 2, 1\), got 2",
    ),
    (
        NumpyMLP.weights.fset,
        (_NET, [np.zeros((5, 2)), np.zeros(2), np.zeros((2, 1)), np.zeros(1)]),
        {},
        ValueError,
        r"weights\[0\] must have shape \(3, 2\) for layer_sizes \(3, 2, 1\), got \(5, 2\)",
    ),
    (
        NumpyMLP.weights.fset,
        (_NET, [np.zeros((3, 2)), np.zeros(2), np.full((2, 1), np.nan), np.zeros(1)]),
        {},
        ValueError,
        r"weights\[2\] contains 2 NaN or infinite value",
    ),
    (
        NumpyMLP.weights.fset,
        (_NET, [np.zeros((3, 2)), np.zeros(2), np.zeros((2, 1)), "0"]),
        {},
        TypeError,
        r"weights\[3\] must be array-like",
    ),
    (
        NumpyMLP.weights.fset,
        (_NET, np.zeros(4)),
        {},
        TypeError,
        r"weights must be a list \[W1, b1, W2, b2, \.\.\.\]",
    ),
]

# Issue 24: no NaN loss without a word: weights (or X) so large that the output overflows are an error.
BAD_INPUTS += [
    (_HUGE.loss, (np.ones((2, 3)), _Y), {}, ValueError, r"X makes the network's output overflow .*weights"),
    (_HUGE.forward, (np.ones((2, 3)),), {}, ValueError, r"X makes the network's output overflow"),
    (_HUGE.gradients, (np.ones((2, 3)), _Y), {}, ValueError, r"X makes the network's output overflow"),
    (
        _MLP.step,
        (np.full((2, 3), 1e150), _Y, 1e300),
        {},
        ValueError,
        r"learning_rate=1e\+300 made some weights",
    ),
    (_MLP.loss, (np.zeros((2, 0)), _Y), {}, ValueError, r"X has 2 samples but no features"),
    (NumpyMLP, ((3, 2**40, 1),), {}, ValueError, r"layer_sizes give a network of .* weights"),
]


# ------------------------------------------------------------------------------------------- helpers


@pytest.fixture(scope="module")
def keras():
    from dlnotes._backend import import_keras

    return import_keras()


@pytest.fixture
def keras64(keras):
    """Keras with float64 as its default dtype (models, losses, optimizers), restored afterwards.

    Losses and optimizers compute in ``keras.config.floatx()``, so a float64 comparison needs it set,
    not just float64 layers.
    """
    saved = keras.config.floatx()
    keras.config.set_floatx("float64")
    yield keras
    keras.config.set_floatx(saved)


def keras_mlp(keras, layer_sizes, dtype="float32", seed=0):
    """A Dense-only Keras model with ReLU hidden layers and a sigmoid output, built with a seed."""
    keras.utils.set_random_seed(seed)
    layers = [keras.Input((layer_sizes[0],), dtype=dtype)]
    for units in layer_sizes[1:-1]:
        layers.append(keras.layers.Dense(units, activation="relu", dtype=dtype))
    layers.append(keras.layers.Dense(layer_sizes[-1], activation="sigmoid", dtype=dtype))
    return keras.Sequential(layers)


def tf_loss_and_gradients(keras, model, X, y):
    """The mean binary cross-entropy and its gradients, computed by TensorFlow's autodiff."""
    import tensorflow as tf

    dtype = model.trainable_weights[0].dtype
    with tf.GradientTape() as tape:
        p = model(X.astype(dtype))
        loss = keras.losses.BinaryCrossentropy()(y.reshape(-1, 1).astype(dtype), p)
    grads = tape.gradient(loss, model.trainable_weights)
    return float(loss), [np.asarray(g, dtype=np.float64) for g in grads]


def relative_difference(a, b):
    """max |a - b| / max |b| for one array (with b == 0 everywhere, just max |a - b|)."""
    scale = np.abs(b).max()
    return np.abs(a - b).max() / (scale if scale > 0 else 1.0)


def some_data(n, d, seed):
    rng = np.random.default_rng(seed)
    return rng.normal(size=(n, d)), rng.integers(0, 2, size=n)


SHAPES = [(10, 128, 64, 1), (3, 1), (5, 7, 1), (4, 8, 6, 5, 1), (2, 3, 3, 3, 3, 1)]


# ----------------------------------------------------------------------------- agreement with Keras


@pytest.mark.parametrize("layer_sizes", SHAPES)
def test_gradients_agree_with_tensorflow_in_float64(keras64, layer_sizes):
    keras = keras64
    for seed in (0, 1):
        model = keras_mlp(keras, layer_sizes, dtype="float64", seed=seed)
        X, y = some_data(37, layer_sizes[0], seed)
        mlp = NumpyMLP.from_keras(model)
        loss, grads = mlp.gradients(X, y)
        tf_loss, tf_grads = tf_loss_and_gradients(keras, model, X, y)
        assert loss == pytest.approx(tf_loss, rel=1e-12)
        assert len(grads) == len(tf_grads) == len(model.trainable_weights)
        for g, tg, w in zip(grads, tf_grads, model.trainable_weights):
            assert g.shape == tuple(w.shape)
            assert relative_difference(g, tg) < 1e-10


@pytest.mark.parametrize("layer_sizes", SHAPES)
def test_gradients_agree_with_float32_tensorflow_to_1e_4(keras, layer_sizes):
    model = keras_mlp(keras, layer_sizes, dtype="float32", seed=3)
    X, y = some_data(50, layer_sizes[0], 3)
    loss, grads = NumpyMLP.from_keras(model).gradients(X, y)
    tf_loss, tf_grads = tf_loss_and_gradients(keras, model, X, y)
    assert loss == pytest.approx(tf_loss, rel=1e-5)
    for g, tg in zip(grads, tf_grads):
        assert relative_difference(g, tg) < 1e-4


def test_gradients_agree_with_finite_differences():
    mlp = NumpyMLP((4, 6, 5, 1), seed=2)
    X, y = some_data(20, 4, 2)
    _, grads = mlp.gradients(X, y)
    rng = np.random.default_rng(0)
    eps = 1e-6
    for k, w in enumerate(mlp.weights):
        for _ in range(4):
            index = tuple(rng.integers(0, n) for n in w.shape)
            original = w[index]
            w[index] = original + eps
            up = mlp.loss(X, y)
            w[index] = original - eps
            down = mlp.loss(X, y)
            w[index] = original
            numeric = (up - down) / (2 * eps)
            assert grads[k][index] == pytest.approx(numeric, rel=1e-5, abs=1e-8)


def test_forward_and_loss_match_keras(keras64):
    keras = keras64
    model = keras_mlp(keras, (6, 9, 4, 1), dtype="float64", seed=4)
    X, y = some_data(30, 6, 4)
    mlp = NumpyMLP.from_keras(model)
    p = mlp.forward(X)
    assert p.shape == (30, 1)
    np.testing.assert_allclose(p, model.predict(X, verbose=0), rtol=1e-12)
    keras_loss = float(keras.losses.BinaryCrossentropy()(y.reshape(-1, 1).astype("float64"), model(X)))
    assert mlp.loss(X, y) == pytest.approx(keras_loss, rel=1e-12)


def test_one_step_is_one_keras_sgd_step(keras64):
    keras = keras64
    model = keras_mlp(keras, (5, 8, 1), dtype="float64", seed=5)
    X, y = some_data(24, 5, 5)
    mlp = NumpyMLP.from_keras(model)
    model.compile(optimizer=keras.optimizers.SGD(learning_rate=0.3), loss="binary_crossentropy")
    keras_loss = model.train_on_batch(X, y.astype("float64"))
    loss = mlp.step(X, y, learning_rate=0.3)
    assert loss == pytest.approx(float(keras_loss), rel=1e-12)
    for w, kw in zip(mlp.weights, model.get_weights()):
        np.testing.assert_allclose(w, kw, rtol=1e-10, atol=1e-13)


def test_fit_without_shuffling_matches_keras_fit_with_sgd(keras64):
    keras = keras64
    model = keras_mlp(keras, (4, 16, 8, 1), dtype="float64", seed=6)
    X, y = some_data(50, 4, 6)
    mlp = NumpyMLP.from_keras(model)
    model.compile(optimizer=keras.optimizers.SGD(learning_rate=0.2), loss="binary_crossentropy")
    history = model.fit(X, y.astype("float64"), epochs=4, batch_size=16, shuffle=False, verbose=0)
    losses = mlp.fit(X, y, epochs=4, batch_size=16, learning_rate=0.2, shuffle=False)
    np.testing.assert_allclose(losses, history.history["loss"], rtol=1e-9)
    for w, kw in zip(mlp.weights, model.get_weights()):
        np.testing.assert_allclose(w, kw, rtol=1e-8, atol=1e-12)


# ------------------------------------------------------------------------------------- from_keras


def test_from_keras_copies_weights_as_float64(keras):
    model = keras_mlp(keras, (3, 5, 1), dtype="float32", seed=7)
    mlp = NumpyMLP.from_keras(model)
    assert mlp.layer_sizes == (3, 5, 1)
    assert all(w.dtype == np.float64 for w in mlp.weights)
    mlp.weights[0][0, 0] += 1.0
    assert model.get_weights()[0][0, 0] == pytest.approx(mlp.weights[0][0, 0] - 1.0)


def _bad_models(keras):
    Dense, Input = keras.layers.Dense, keras.Input
    unbuilt = keras.Sequential([Dense(3, activation="relu"), Dense(1, activation="sigmoid")])
    inputs = Input((3,))
    functional = keras.Model(inputs, Dense(1, activation="sigmoid")(inputs))
    return [
        (
            keras.Sequential(
                [
                    Input((3,)),
                    Dense(4, activation="relu"),
                    keras.layers.Dropout(0.5, name="drop"),
                    Dense(1, activation="sigmoid"),
                ]
            ),
            ValueError,
            r"layer 1 \('drop'\) is of type Dropout; NumpyMLP copies only Dense",
        ),
        (
            keras.Sequential(
                [Input((3,)), Dense(4), keras.layers.Activation("relu"), Dense(1, activation="sigmoid")]
            ),
            ValueError,
            r"layer 1 .* is of type Activation",
        ),
        (
            keras.Sequential([Input((3,)), Dense(4, activation="tanh"), Dense(1, activation="sigmoid")]),
            ValueError,
            r"activation 'tanh'; NumpyMLP needs 'relu' in every hidden layer",
        ),
        (
            keras.Sequential([Input((3,)), Dense(4, activation="relu"), Dense(1)]),
            ValueError,
            r"activation 'linear'; NumpyMLP needs 'sigmoid' in the output layer",
        ),
        (
            keras.Sequential([Input((3,)), Dense(2, activation="sigmoid")]),
            ValueError,
            r"output layer has 2 units; NumpyMLP needs exactly 1",
        ),
        (
            keras.Sequential([Input((3,)), Dense(1, activation="sigmoid", use_bias=False)]),
            ValueError,
            r"use_bias=False",
        ),
        (
            keras.Sequential([Input((3,)), Dense(1, activation="sigmoid", kernel_regularizer="l2")]),
            ValueError,
            r"has a regulariser; NumpyMLP computes the plain cross-entropy only",
        ),
        (
            keras.Sequential([Input((3,)), Dense(1, activation="sigmoid", activity_regularizer="l1")]),
            ValueError,
            r"has a regulariser",
        ),
        (
            keras.Sequential([Input((3,)), Dense(1, activation="sigmoid", trainable=False)]),
            ValueError,
            r"is frozen \(trainable=False\)",
        ),
        (keras.Sequential([Input((3,))]), ValueError, r"model has no layers"),
        (unbuilt, ValueError, r"model is not built.*keras\.Input"),
        (functional, TypeError, r"model must be a keras\.Sequential of Dense layers, got Functional"),
    ]


def test_from_keras_rejects_what_it_cannot_copy(keras):
    for model, error, match in _bad_models(keras):
        with pytest.raises(error, match=match):
            NumpyMLP.from_keras(model)


def test_from_keras_rejects_non_finite_weights(keras):
    model = keras_mlp(keras, (3, 1), seed=0)
    kernel, bias = model.get_weights()
    kernel[0, 0] = np.nan
    model.set_weights([kernel, bias])
    with pytest.raises(ValueError, match=r"has NaN or infinite weights"):
        NumpyMLP.from_keras(model)


# ---------------------------------------------------------------------------------- the network


def test_initialisation_is_seeded_he_for_hidden_and_glorot_for_output():
    mlp = NumpyMLP((400, 300, 1), seed=0)
    W1, b1, W2, b2 = mlp.weights
    assert W1.shape == (400, 300) and W2.shape == (300, 1)
    assert W1.std() == pytest.approx(np.sqrt(2 / 400), rel=0.02)
    limit = np.sqrt(6 / 301)
    assert np.abs(W2).max() <= limit and np.abs(W2).max() > 0.9 * limit
    assert not b1.any() and not b2.any()
    again = NumpyMLP((400, 300, 1), seed=0)
    other = NumpyMLP((400, 300, 1), seed=1)
    assert all(np.array_equal(a, b) for a, b in zip(mlp.weights, again.weights))
    assert not np.array_equal(mlp.weights[0], other.weights[0])


def test_loss_is_stable_for_saturated_outputs():
    mlp = NumpyMLP((1, 1), seed=0)
    mlp.weights = [np.array([[1000.0]]), np.array([0.0])]
    X = np.array([[1.0], [-1.0]])
    np.testing.assert_array_equal(mlp.forward(X), [[1.0], [0.0]])
    with np.errstate(over="raise", divide="raise", invalid="raise"):
        assert mlp.loss(X, [1, 0]) == pytest.approx(0.0, abs=1e-300)
        assert mlp.loss(X, [0, 1]) == pytest.approx(1000.0)  # -log(sigmoid(-1000)) = 1000, not inf
        _, grads = mlp.gradients(X, [0, 1])
    assert all(np.all(np.isfinite(g)) for g in grads)


def test_labels_may_be_a_column():
    mlp = NumpyMLP((3, 4, 1), seed=0)
    X, y = some_data(8, 3, 0)
    loss_a, grads_a = mlp.gradients(X, y)
    loss_b, grads_b = mlp.gradients(X, y.reshape(-1, 1).astype(float))
    assert loss_a == loss_b
    assert all(np.array_equal(a, b) for a, b in zip(grads_a, grads_b))


def test_step_lowers_the_loss_and_returns_the_loss_before_the_update():
    mlp = NumpyMLP((3, 8, 1), seed=1)
    X, y = some_data(40, 3, 1)
    before = mlp.loss(X, y)
    assert mlp.step(X, y, learning_rate=0.05) == before
    assert mlp.loss(X, y) < before


def test_a_diverging_step_raises_and_keeps_the_weights():
    mlp = NumpyMLP((2, 1), seed=0)
    mlp.weights = [np.zeros((2, 1)), np.zeros(1)]
    with pytest.raises(ValueError, match=r"learning_rate=1e\+307 made some weights NaN, infinite"):
        mlp.step([[1000.0, 1000.0]], [1], learning_rate=1e307)
    assert not mlp.weights[0].any()


def test_fit_learns_a_pattern_and_repeats_for_a_seed():
    from dlnotes.data import make_pattern_data

    X, y = make_pattern_data(300, 5, seed=0)
    runs = []
    for seed in (0, 0, 1):
        mlp = NumpyMLP((5, 16, 1), seed=0)
        runs.append(mlp.fit(X, y, epochs=30, batch_size=10, learning_rate=0.5, seed=seed))
    assert len(runs[0]) == 30
    assert runs[0] == runs[1]
    assert runs[0] != runs[2]
    assert runs[0][-1] < 0.5 * runs[0][0]
    accuracy = np.mean((mlp.forward(X)[:, 0] > 0.5) == y)
    assert accuracy > 0.9


def test_fit_reports_the_batch_weighted_mean_of_step_losses():
    X, y = some_data(21, 3, 2)
    a, b = NumpyMLP((3, 5, 1), seed=0), NumpyMLP((3, 5, 1), seed=0)
    losses = a.fit(X, y, epochs=2, batch_size=8, learning_rate=0.1, shuffle=False)
    for epoch in range(2):
        steps = [(b.step(X[i], y[i], 0.1), len(i)) for i in batch_indices(21, 8)]
        assert losses[epoch] == pytest.approx(sum(loss * n for loss, n in steps) / 21, rel=1e-14)


# ---------------------------------------------------------------------------------- batch_indices


def test_batch_indices_cover_every_sample_once():
    batches = batch_indices(100, 16)
    assert [len(b) for b in batches] == [16] * 6 + [4]
    np.testing.assert_array_equal(np.concatenate(batches), np.arange(100))
    shuffled = batch_indices(100, 16, seed=3)
    assert sorted(np.concatenate(shuffled)) == list(range(100))
    assert not np.array_equal(np.concatenate(shuffled), np.arange(100))
    assert all(np.array_equal(a, b) for a, b in zip(shuffled, batch_indices(100, 16, seed=3)))
    assert len(batch_indices(5, 50)) == 1


@pytest.mark.parametrize("n, batch_size", [(100, 16), (1000, 32), (7, 7), (7, 8), (1, 1)])
def test_number_of_batches_is_the_ceiling(n, batch_size):
    assert len(batch_indices(n, batch_size)) == -(-n // batch_size)


def test_from_keras_refuses_a_model_whose_input_is_not_a_flat_vector(keras):
    model = keras.Sequential([keras.Input((3, 4)), keras.layers.Dense(1, activation="sigmoid")])
    with pytest.raises(ValueError, match=r"model takes inputs of shape \(3, 4\) per sample"):
        NumpyMLP.from_keras(model)


def test_layers_are_w_b_pairs_and_weights_is_the_same_arrays_flat():
    mlp = NumpyMLP((3, 4, 1), seed=0)
    assert [(W.shape, b.shape) for W, b in mlp.layers] == [((3, 4), (4,)), ((4, 1), (1,))]
    assert all(a is b for a, b in zip(mlp.weights, [x for pair in mlp.layers for x in pair]))
    mlp.weights[0][0, 0] = 5.0  # in place, as chapter 2's numerical gradient check does
    assert mlp.layers[0][0][0, 0] == 5.0
    with pytest.raises(
        ValueError, match=r"weights\[1\] must have shape \(4,\) for layer_sizes \(3, 4, 1\), got \(5,\)"
    ):
        mlp.weights = [np.zeros((3, 4)), np.zeros(5), np.zeros((4, 1)), np.zeros(1)]


def test_fit_takes_its_options_by_keyword_only():
    """Keras's fit(x, y, batch_size, epochs) has another order: fit(X, y, 32, 10) must not run."""
    with pytest.raises(TypeError, match="positional"):
        _MLP.fit(_X, _Y, 32, 10)
