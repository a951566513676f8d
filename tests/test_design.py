"""dlnotes.design: parameter counts, output heads, build_mlp, the optimizer comparison and the chapter's plots."""

import matplotlib.pyplot as plt
import numpy as np
import pytest

import dlnotes
from dlnotes import design
from dlnotes._backend import import_keras
from dlnotes.data import make_pattern_data

keras = import_keras()

X_SMALL, Y_SMALL = make_pattern_data(40, 3, seed=0)
X_PLANE = np.array([[0.0, 0.0], [1.0, 1.0], [0.0, 1.0]])
Y_PLANE = np.array([0, 1, 1])


def _half(grid):
    return np.full(len(grid), 0.5)


BAD_INPUTS = [
    # count_params / params_per_layer: the brief's bad sizes
    (design.count_params, ([10],), {}, ValueError, r"layer_sizes must have at least 2 sizes .* got 1"),
    (design.count_params, ([],), {}, ValueError, r"layer_sizes must have at least 2 sizes"),
    (design.count_params, ([10, 0, 1],), {}, ValueError, r"layer_sizes\[1\] must be >= 1, got 0"),
    (design.count_params, ([10, -4],), {}, ValueError, r"layer_sizes\[1\] must be >= 1, got -4"),
    (design.count_params, ([10, 2.5, 1],), {}, TypeError, r"layer_sizes\[1\] must be an integer, got 2\.5"),
    (design.count_params, ([10, True],), {}, TypeError, r"layer_sizes\[1\] must be an integer, got True"),
    (design.count_params, (10,), {}, TypeError, r"layer_sizes must be a sequence of integers .* got 10"),
    (design.count_params, ("10-1",), {}, TypeError, r"layer_sizes must be a sequence of integers"),
    (design.params_per_layer, ([5],), {}, ValueError, r"layer_sizes must have at least 2 sizes"),
    (design.params_per_layer, ([5, "3"],), {}, TypeError, r"layer_sizes\[1\] must be an integer, got '3'"),
    # head_for
    (
        design.head_for,
        ("classification",),
        {},
        ValueError,
        r"task must be one of \['binary', 'multiclass', 'regression'\], got 'classification'",
    ),
    (design.head_for, ("multiclass",), {}, ValueError, r"n_classes is required for task='multiclass'"),
    (design.head_for, ("multiclass",), {"n_classes": 1}, ValueError, r"n_classes must be >= 2, got 1"),
    (
        design.head_for,
        ("multiclass",),
        {"n_classes": 3.0},
        TypeError,
        r"n_classes must be an integer, got 3\.0",
    ),
    (
        design.head_for,
        ("binary",),
        {"n_classes": 2},
        ValueError,
        r"n_classes is only used for task='multiclass'",
    ),
    (design.head_for, (None,), {}, TypeError, r"task must be a string"),
    # build_mlp: the brief's bad arguments
    (design.build_mlp, (0,), {}, ValueError, r"input_dim must be >= 1, got 0"),
    (design.build_mlp, (10.0,), {}, TypeError, r"input_dim must be an integer, got 10\.0"),
    (design.build_mlp, (10,), {"dropout": 1.0}, ValueError, r"dropout must be in \[0, 1\), got 1"),
    (design.build_mlp, (10,), {"dropout": -0.1}, ValueError, r"dropout must be in \[0, 1\), got -0\.1"),
    (design.build_mlp, (10,), {"dropout": "0.5"}, TypeError, r"dropout must be a real number, got '0\.5'"),
    (design.build_mlp, (10,), {"hidden": (128, 0)}, ValueError, r"hidden\[1\] must be >= 1, got 0"),
    (design.build_mlp, (10,), {"hidden": (64.5,)}, TypeError, r"hidden\[0\] must be an integer, got 64\.5"),
    (design.build_mlp, (10,), {"hidden": 32}, TypeError, r"hidden must be a sequence .* write \(32,\)"),
    (design.build_mlp, (10,), {"output_units": 0}, ValueError, r"output_units must be >= 1, got 0"),
    (
        design.build_mlp,
        (10,),
        {"activation": "rleu"},
        ValueError,
        r"activation must be the name of a Keras activation .* got 'rleu'",
    ),
    (
        design.build_mlp,
        (10,),
        {"output_activation": 3},
        TypeError,
        r"output_activation must be an activation name",
    ),
    (design.build_mlp, (10,), {"name": ""}, TypeError, r"name must be a non-empty string"),
    # compare_optimizers
    (design.compare_optimizers, (X_SMALL, Y_SMALL[:-1]), {}, ValueError, r"X has 40 samples but y has 39"),
    (
        design.compare_optimizers,
        (X_SMALL, Y_SMALL + 1),
        {},
        ValueError,
        r"y must contain only the labels 0 and 1",
    ),
    (design.compare_optimizers, (X_SMALL[:, 0], Y_SMALL), {}, ValueError, r"X must be 2-D"),
    (
        design.compare_optimizers,
        (X_SMALL, Y_SMALL, ["adagrad"]),
        {},
        ValueError,
        r"optimizers\[0\] must be one of \['sgd', 'momentum', 'adam', 'rmsprop'\], got 'adagrad'",
    ),
    (
        design.compare_optimizers,
        (X_SMALL, Y_SMALL, "adam"),
        {},
        TypeError,
        r"optimizers must be a list of names",
    ),
    (design.compare_optimizers, (X_SMALL, Y_SMALL, []), {}, ValueError, r"optimizers is empty"),
    (
        design.compare_optimizers,
        (X_SMALL, Y_SMALL, ["sgd", "sgd"]),
        {},
        ValueError,
        r"optimizers has repeated names",
    ),
    (
        design.compare_optimizers,
        (X_SMALL, Y_SMALL, {"mine": "adam"}),
        {},
        TypeError,
        r"optimizers, when a dict, must map a label \(str\) to a function",
    ),
    (
        design.compare_optimizers,
        (X_SMALL, Y_SMALL, {"bad": lambda: "adam"}),
        {"hidden": (2,), "epochs": 1},
        TypeError,
        r"optimizers\['bad'\] must return a Keras optimizer",
    ),
    (design.compare_optimizers, (X_SMALL, Y_SMALL), {"epochs": 0}, ValueError, r"epochs must be >= 1, got 0"),
    (
        design.compare_optimizers,
        (X_SMALL, Y_SMALL),
        {"batch_size": 0},
        ValueError,
        r"batch_size must be >= 1",
    ),
    (design.compare_optimizers, (X_SMALL, Y_SMALL), {"seed": -1}, ValueError, r"seed must be >= 0, got -1"),
    (design.compare_optimizers, (X_SMALL, Y_SMALL), {"hidden": [0]}, ValueError, r"hidden\[0\] must be >= 1"),
    # plots
    (design.plot_network, ([10],), {}, ValueError, r"layer_sizes must have at least 2 sizes"),
    (design.plot_network, ([10, 0],), {}, ValueError, r"layer_sizes\[1\] must be >= 1, got 0"),
    (design.plot_network, ([10, 5],), {"max_nodes": 2}, ValueError, r"max_nodes must be >= 3, got 2"),
    (
        design.plot_network,
        ([10, 5, 1],),
        {"activations": ["relu"]},
        ValueError,
        r"activations must have one name per layer after the input \(2\), got 1",
    ),
    (design.plot_network, ([10, 5],), {"activations": "relu"}, TypeError, r"activations must be a sequence"),
    (design.plot_network, ([10, 5],), {"ax": "left"}, TypeError, r"ax must be a matplotlib Axes or None"),
    (
        design.plot_activations,
        (["softmax"],),
        {},
        ValueError,
        r"softmax acts on a vector .* use plot_softmax",
    ),
    (design.plot_activations, (["relu", "elu"],), {}, ValueError, r"names\[1\] must be one of .* got 'elu'"),
    (design.plot_activations, ([],), {}, ValueError, r"names must be a non-empty list"),
    (
        design.plot_activations,
        (),
        {"x_range": (5, -5)},
        ValueError,
        r"x_range must have low < high, got \(5, -5\)",
    ),
    (design.plot_activations, (), {"x_range": 5}, TypeError, r"x_range must be a pair \(low, high\)"),
    (design.plot_softmax, ([1.0],), {}, ValueError, r"logits must hold at least 2 values"),
    (design.plot_softmax, ([[1.0, 2.0]],), {}, ValueError, r"logits must be 1-D"),
    (design.plot_softmax, ([1.0, np.nan],), {}, ValueError, r"logits contains 1 NaN or infinite"),
    (design.plot_losses, (2,), {}, ValueError, r"y_true must be <= 1, got 2"),
    (design.plot_losses, (0.5,), {}, TypeError, r"y_true must be an integer, got 0\.5"),
    (
        design.plot_decision_boundary,
        ("model", X_PLANE, Y_PLANE),
        {},
        TypeError,
        r"model must be a Keras model or a function of X",
    ),
    (
        design.plot_decision_boundary,
        (_half, np.zeros((3, 3)), Y_PLANE),
        {},
        ValueError,
        r"X must have exactly 2 features to draw on a plane, got 3",
    ),
    (
        design.plot_decision_boundary,
        (_half, X_PLANE, Y_PLANE[:2]),
        {},
        ValueError,
        r"X has 3 samples but y has 2",
    ),
    (
        design.plot_decision_boundary,
        (lambda g: g[:, 0] * 5, X_PLANE, Y_PLANE),
        {},
        ValueError,
        r"model\(X\) must hold probabilities in \[0, 1\]",
    ),
    (
        design.plot_decision_boundary,
        (_half, X_PLANE, Y_PLANE),
        {"resolution": 5},
        ValueError,
        r"resolution must be >= 10, got 5",
    ),
    (design.plot_optimizers, ({},), {}, ValueError, r"curves must be a non-empty dict"),
    (design.plot_optimizers, ({"sgd": [[0.7]]},), {}, ValueError, r"curves\['sgd'\] must be 1-D"),
]


# ---------------------------------------------------------------------------------------------------
# Parameter counts
# ---------------------------------------------------------------------------------------------------


def test_count_params_of_the_source_network_is_9729():
    assert design.params_per_layer([10, 128, 64, 1]) == [10 * 128 + 128, 128 * 64 + 64, 64 * 1 + 1]
    assert design.count_params([10, 128, 64, 1]) == 9729


@pytest.mark.parametrize("sizes", [[1, 1], [3, 7, 2], [10, 128, 64, 1], [784, 256, 128, 10], [5, 1, 1, 1, 9]])
def test_count_params_matches_keras(sizes):
    model = design.build_mlp(sizes[0], hidden=tuple(sizes[1:-1]), output_units=sizes[-1])
    assert design.count_params(sizes) == model.count_params()
    assert design.params_per_layer(sizes) == [layer.count_params() for layer in model.layers]


def test_count_params_accepts_numpy_integers_and_arrays():
    assert design.count_params(np.array([10, 128, 64, 1])) == 9729
    assert isinstance(design.count_params((np.int64(2), np.int32(3))), int)


# ---------------------------------------------------------------------------------------------------
# head_for
# ---------------------------------------------------------------------------------------------------


def test_head_for_each_task():
    assert design.head_for("binary") == (1, "sigmoid", "binary_crossentropy")
    assert design.head_for("multiclass", n_classes=5) == design.Head(5, "softmax", "categorical_crossentropy")
    head = design.head_for("regression")
    assert (head.units, head.activation, head.loss) == (1, "linear", "mean_squared_error")


@pytest.mark.parametrize(
    "task, n_classes, labels",
    [
        ("binary", None, np.array([0, 1, 1, 0, 1, 0])),
        ("multiclass", 3, np.eye(3)[[0, 1, 2, 2, 1, 0]]),
        ("regression", None, np.array([0.3, -1.2, 2.5, 0.0, 1.1, -0.4])),
    ],
)
def test_head_for_gives_a_model_that_trains_and_outputs_the_right_kind_of_answer(task, n_classes, labels):
    dlnotes.seed_everything(0)
    head = design.head_for(task, n_classes)
    X = np.random.default_rng(0).normal(size=(6, 4))
    model = design.build_mlp(4, hidden=(5,), output_units=head.units, output_activation=head.activation)
    model.compile(optimizer="sgd", loss=head.loss)
    model.fit(X, labels, epochs=1, batch_size=6, verbose=0)
    out = keras.ops.convert_to_numpy(model(X))
    assert out.shape == (6, head.units)
    if task == "binary":
        assert np.all((out > 0) & (out < 1))
    elif task == "multiclass":
        np.testing.assert_allclose(out.sum(axis=1), 1.0, rtol=1e-5)
    else:  # a linear output is not squashed: it equals the logit
        hidden = keras.ops.convert_to_numpy(model.layers[0](X))
        W, b = model.layers[-1].get_weights()
        np.testing.assert_allclose(out, hidden @ W + b, rtol=1e-5, atol=1e-6)


# ---------------------------------------------------------------------------------------------------
# build_mlp
# ---------------------------------------------------------------------------------------------------


def test_build_mlp_defaults_are_the_source_network():
    model = design.build_mlp(10)
    assert isinstance(model, keras.Sequential)
    assert model.input_shape == (None, 10)
    assert [(layer.units, layer.activation.__name__) for layer in model.layers] == [
        (128, "relu"),
        (64, "relu"),
        (1, "sigmoid"),
    ]
    assert [layer.name for layer in model.layers] == ["hidden_1", "hidden_2", "output"]
    assert model.count_params() == 9729
    assert not model.compiled


def test_build_mlp_matches_the_source_code_shape_for_shape():
    import warnings

    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        source = keras.Sequential(
            [
                keras.layers.Dense(128, input_dim=10, activation="relu"),
                keras.layers.Dense(64, activation="relu"),
                keras.layers.Dense(1, activation="sigmoid"),
            ]
        )
    ours = design.build_mlp(10)
    assert [tuple(w.shape) for w in source.weights] == [tuple(w.shape) for w in ours.weights]


def test_build_mlp_dropout_layers_follow_each_hidden_layer():
    model = design.build_mlp(6, hidden=(8, 4, 2), dropout=0.25)
    kinds = [type(layer).__name__ for layer in model.layers]
    assert kinds == ["Dense", "Dropout", "Dense", "Dropout", "Dense", "Dropout", "Dense"]
    assert [layer.rate for layer in model.layers if isinstance(layer, keras.layers.Dropout)] == [0.25] * 3
    assert model.count_params() == design.count_params([6, 8, 4, 2, 1])
    assert "Dropout" not in [type(layer).__name__ for layer in design.build_mlp(6, dropout=0.0).layers]


def test_build_mlp_dropout_is_active_in_training_only():
    dlnotes.seed_everything(1)
    model = design.build_mlp(20, hidden=(50,), output_activation=None, dropout=0.5)
    X = np.ones((4, 20), dtype="float32")
    eval_a = keras.ops.convert_to_numpy(model(X, training=False))
    eval_b = keras.ops.convert_to_numpy(model(X, training=False))
    train = keras.ops.convert_to_numpy(model(X, training=True))
    np.testing.assert_array_equal(eval_a, eval_b)
    assert not np.allclose(train, eval_a)


def test_build_mlp_without_hidden_layers_is_logistic_regression():
    model = design.build_mlp(3, hidden=())
    assert [layer.name for layer in model.layers] == ["output"]
    assert model.count_params() == 4


def test_build_mlp_activation_options():
    model = design.build_mlp(3, hidden=(4,), activation="tanh", output_units=2, output_activation=None)
    assert model.layers[0].activation.__name__ == "tanh"
    assert model.layers[-1].activation.__name__ == "linear"
    assert model.output_shape == (None, 2)
    custom = design.build_mlp(3, hidden=(4,), activation=keras.activations.elu)
    assert custom.layers[0].activation is keras.activations.elu
    assert design.build_mlp(3, name="tiny").name == "tiny"


def test_build_mlp_weights_repeat_after_seeding():
    def first_kernel(seed):
        dlnotes.seed_everything(seed)
        return design.build_mlp(5, hidden=(7,)).get_weights()[0]

    np.testing.assert_array_equal(first_kernel(3), first_kernel(3))
    assert not np.array_equal(first_kernel(3), first_kernel(4))


# ---------------------------------------------------------------------------------------------------
# compare_optimizers
# ---------------------------------------------------------------------------------------------------


def _bce(y, p):
    p = np.clip(np.asarray(p, dtype=np.float64).ravel(), 1e-7, 1 - 1e-7)
    return -np.mean(y * np.log(p) + (1 - y) * np.log(1 - p))


@pytest.fixture(scope="module")
def small_comparison():
    X, y = make_pattern_data(64, 4, seed=3)
    curves = design.compare_optimizers(X, y, ["sgd", "adam"], hidden=(8,), epochs=4, batch_size=16, seed=5)
    return X, y, curves


def test_compare_optimizers_shares_the_initial_weights(small_comparison):
    X, y, curves = small_comparison
    assert list(curves) == ["sgd", "adam"]
    assert all(len(losses) == 5 for losses in curves.values())
    assert curves["sgd"][0] == curves["adam"][0]
    keras.utils.set_random_seed(5)
    start = design.build_mlp(4, hidden=(8,))
    assert curves["sgd"][0] == pytest.approx(_bce(y, start(X.astype("float32"))), rel=1e-6)


def test_compare_optimizers_losses_move_and_adam_beats_default_sgd(small_comparison):
    _, _, curves = small_comparison
    assert curves["adam"][-1] < curves["adam"][0]
    assert curves["adam"][-1] < curves["sgd"][-1]
    assert curves["sgd"][1] != curves["adam"][1]


def test_compare_optimizers_is_repeatable_and_depends_on_the_seed(small_comparison):
    X, y, curves = small_comparison
    again = design.compare_optimizers(
        X, y, {"adam": lambda: keras.optimizers.Adam()}, hidden=(8,), epochs=4, batch_size=16, seed=5
    )
    assert again["adam"] == curves["adam"]
    other = design.compare_optimizers(X, y, ["adam"], hidden=(8,), epochs=1, batch_size=16, seed=6)
    assert other["adam"][0] != curves["adam"][0]


def test_compare_optimizers_full_batch_sgd_step_is_gradient_descent():
    """With one batch and plain SGD, the first epoch is one step w <- w - lr * gradient."""
    import tensorflow as tf

    X, y = make_pattern_data(32, 3, seed=0)
    lr = 0.5
    curves = design.compare_optimizers(
        X, y, {"gd": lambda: keras.optimizers.SGD(lr)}, hidden=(4,), epochs=1, batch_size=32, seed=2
    )
    keras.utils.set_random_seed(2)
    model = design.build_mlp(3, hidden=(4,))
    X32, y32 = X.astype("float32"), y.astype("float32")
    with tf.GradientTape() as tape:
        loss = keras.losses.binary_crossentropy(y32[:, None], model(X32))
        loss = tf.reduce_mean(loss)
    grads = tape.gradient(loss, model.trainable_weights)
    for w, g in zip(model.trainable_weights, grads):
        w.assign(w - lr * g)
    assert curves["gd"][1] == pytest.approx(_bce(y, model(X32)), rel=1e-5)
    assert curves["gd"][0] == pytest.approx(float(loss), rel=1e-5)


# ---------------------------------------------------------------------------------------------------
# Plots
# ---------------------------------------------------------------------------------------------------


def _circles(ax, radius):
    from matplotlib.patches import Circle

    return [p for p in ax.patches if isinstance(p, Circle) and p.get_radius() == radius]


def test_plot_network_caps_the_drawn_units_and_labels_the_true_sizes():
    ax = design.plot_network([10, 128, 64, 1], max_nodes=8)
    nodes = _circles(ax, 0.32)
    assert len(nodes) == 7 + 7 + 7 + 1  # 8 slots, one of them the ellipsis, for each large layer
    assert len(_circles(ax, 0.05)) == 3 * 3  # three dots per ellipsis
    texts = " ".join(t.get_text() for t in ax.texts)
    for expected in ["10 units", "128 units", "64 units", "1 unit", "= 1,408", "= 8,256", "= 65"]:
        assert expected in texts
    assert ax.get_title() == "A 10-128-64-1 network: 9,729 parameters"
    assert ax.get_xlabel() and ax.get_ylabel()


def test_plot_network_small_layers_are_drawn_in_full_with_all_edges():
    ax = design.plot_network([3, 4, 2], show_params=False, title="small")
    assert len(_circles(ax, 0.32)) == 9 and not _circles(ax, 0.05)
    assert len(ax.get_lines()) == 3 * 4 + 4 * 2
    assert not any("=" in t.get_text() for t in ax.texts)
    assert ax.get_title() == "small"


def test_plot_network_draws_on_a_given_axes_with_activations():
    _, ax = plt.subplots()
    out = design.plot_network([2, 3, 1], activations=["relu", "sigmoid"], ax=ax)
    assert out is ax
    assert any("sigmoid" in t.get_text() for t in ax.texts)


def test_activation_formulas_match_keras():
    z = np.linspace(-6, 6, 121)
    for name in ["linear", "relu", "sigmoid", "tanh"]:
        ours = design._activation_values(name, z, derivative=False)
        theirs = keras.ops.convert_to_numpy(keras.activations.get(name)(z.astype("float32")))
        np.testing.assert_allclose(ours, theirs, rtol=1e-5, atol=1e-6)


def test_activation_derivatives_match_finite_differences():
    z = np.array([-3.0, -1.0, -0.2, 0.3, 1.5, 4.0])
    h = 1e-6
    for name in ["linear", "relu", "sigmoid", "tanh"]:
        numeric = (
            design._activation_values(name, z + h, False) - design._activation_values(name, z - h, False)
        ) / (2 * h)
        np.testing.assert_allclose(design._activation_values(name, z, True), numeric, rtol=1e-5, atol=1e-8)


def test_plot_activations_draws_the_named_functions():
    ax = design.plot_activations(["sigmoid", "relu"], x_range=(-2, 2))
    sigmoid, relu = ax.get_lines()[:2]
    assert sigmoid.get_label() == "sigmoid" and relu.get_label() == "relu"
    np.testing.assert_allclose(relu.get_ydata(), np.maximum(relu.get_xdata(), 0))
    assert relu.get_xdata()[0] == -2 and relu.get_xdata()[-1] == 2
    assert ax.get_title() == "Activation functions" and ax.get_ylabel() == "activation(z)"
    deriv = design.plot_activations("sigmoid", derivative=True)
    assert max(deriv.get_lines()[0].get_ydata()) == pytest.approx(0.25, abs=1e-4)
    assert "Derivatives" in deriv.get_title()


def test_plot_softmax_bars_are_keras_softmax():
    logits = np.array([3.0, -1.0, 0.5, 0.5])
    ax = design.plot_softmax(logits)
    heights = np.array([bar.get_height() for bar in ax.patches])
    expected = keras.ops.convert_to_numpy(keras.activations.softmax(logits.astype("float32")))
    np.testing.assert_allclose(heights, expected, rtol=1e-5)
    assert heights.sum() == pytest.approx(1.0)
    assert design.plot_softmax([1000.0, 0.0]).patches[0].get_height() == pytest.approx(1.0)  # no overflow


@pytest.mark.parametrize("y_true", [0, 1])
def test_plot_losses_curves_are_the_keras_losses(y_true):
    ax = design.plot_losses(y_true)
    ce, se = ax.get_lines()[:2]
    p = ce.get_xdata()
    y = np.full((len(p), 1), float(y_true), dtype="float32")
    keras_ce = keras.ops.convert_to_numpy(keras.losses.binary_crossentropy(y, p[:, None].astype("float32")))
    keras_se = keras.ops.convert_to_numpy(keras.losses.mean_squared_error(y, p[:, None].astype("float32")))
    np.testing.assert_allclose(ce.get_ydata(), keras_ce, rtol=1e-4)
    np.testing.assert_allclose(se.get_ydata(), keras_se, rtol=1e-4, atol=1e-7)
    assert str(y_true) in ax.get_title()


@pytest.mark.parametrize("y_true", [0, 1])
def test_plot_losses_gradients_are_derivatives_with_respect_to_the_logit(y_true):
    ax = design.plot_losses(y_true, gradient=True)
    ce, se = ax.get_lines()[:2]
    p = ce.get_xdata()
    z = np.log(p / (1 - p))
    h = 1e-6

    def at(z):
        q = 1 / (1 + np.exp(-z))
        return -(y_true * np.log(q) + (1 - y_true) * np.log(1 - q)), (q - y_true) ** 2

    (ce_hi, se_hi), (ce_lo, se_lo) = at(z + h), at(z - h)
    np.testing.assert_allclose(ce.get_ydata(), (ce_hi - ce_lo) / (2 * h), atol=1e-5)
    np.testing.assert_allclose(se.get_ydata(), (se_hi - se_lo) / (2 * h), atol=1e-5)
    assert "logit" in ax.get_ylabel()


def test_plot_decision_boundary_shades_the_model_probability():
    X = np.array([[-1.0, -1.0], [1.0, 1.0], [-1.0, 1.0], [1.0, -1.0]])
    y = np.array([0, 1, 0, 1])
    calls = []

    def model(grid):
        calls.append(grid.shape)
        return 1 / (1 + np.exp(-5 * grid[:, 0]))

    ax = design.plot_decision_boundary(model, X, y, resolution=30, title="x1 > 0")
    assert calls == [(900, 2)]
    assert ax.get_title() == "x1 > 0" and ax.get_xlabel() == "feature 1" and ax.get_ylabel() == "feature 2"
    assert ax.get_legend_handles_labels()[1] == ["class 0", "class 1"]
    assert len(ax.collections) >= 3  # filled contours, the p = 0.5 line, two scatters


def test_plot_decision_boundary_accepts_a_keras_model():
    dlnotes.seed_everything(0)
    model = design.build_mlp(2, hidden=(3,))
    ax = design.plot_decision_boundary(model, X_PLANE, Y_PLANE, resolution=12)
    assert ax.get_title().startswith("Decision boundary")


def test_plot_optimizers_starts_at_epoch_zero_and_can_use_a_log_axis():
    ax = design.plot_optimizers({"a": [0.7, 0.5, 0.4], "b": [0.7, 0.6, 0.55]}, logy=True, title="T")
    assert [line.get_label() for line in ax.get_lines()] == ["a", "b"]
    assert ax.get_lines()[0].get_xdata().tolist() == [0, 1, 2]
    assert ax.get_yscale() == "log" and ax.get_title() == "T" and "epoch" in ax.get_xlabel()
