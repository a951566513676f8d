"""dlnotes.models: parameter counts, output heads and build_mlp."""

import numpy as np
import pytest

import dlnotes
from dlnotes import models
from dlnotes._backend import import_keras

keras = import_keras()


BAD_INPUTS = [
    # count_params / params_per_layer: the brief's bad sizes
    (models.count_params, ([10],), {}, ValueError, r"layer_sizes must have at least 2 sizes .* got 1"),
    (models.count_params, ([],), {}, ValueError, r"layer_sizes must have at least 2 sizes"),
    (models.count_params, ([10, 0, 1],), {}, ValueError, r"layer_sizes\[1\] must be >= 1, got 0"),
    (models.count_params, ([10, -4],), {}, ValueError, r"layer_sizes\[1\] must be >= 1, got -4"),
    (models.count_params, ([10, 2.5, 1],), {}, TypeError, r"layer_sizes\[1\] must be an integer, got 2\.5"),
    (models.count_params, ([10, True],), {}, TypeError, r"layer_sizes\[1\] must be an integer, got True"),
    (models.count_params, (10,), {}, TypeError, r"layer_sizes must be a sequence of integers .* got 10"),
    (models.count_params, ("10-1",), {}, TypeError, r"layer_sizes must be a sequence of integers"),
    (models.params_per_layer, ([5],), {}, ValueError, r"layer_sizes must have at least 2 sizes"),
    (models.params_per_layer, ([5, "3"],), {}, TypeError, r"layer_sizes\[1\] must be an integer, got '3'"),
    # head_for
    (
        models.head_for,
        ("classification",),
        {},
        ValueError,
        r"task must be one of \['binary', 'multiclass', 'regression'\], got 'classification'",
    ),
    (models.head_for, ("multiclass",), {}, ValueError, r"n_classes is required for task='multiclass'"),
    (models.head_for, ("multiclass",), {"n_classes": 1}, ValueError, r"n_classes must be >= 2, got 1"),
    (
        models.head_for,
        ("multiclass",),
        {"n_classes": 3.0},
        TypeError,
        r"n_classes must be an integer, got 3\.0",
    ),
    (
        models.head_for,
        ("binary",),
        {"n_classes": 2},
        ValueError,
        r"n_classes is only used for task='multiclass'",
    ),
    (models.head_for, (None,), {}, TypeError, r"task must be a string"),
    # build_mlp: the brief's bad arguments
    (models.build_mlp, (0,), {}, ValueError, r"input_dim must be >= 1, got 0"),
    (models.build_mlp, (10.0,), {}, TypeError, r"input_dim must be an integer, got 10\.0"),
    (models.build_mlp, (10,), {"dropout": 1.0}, ValueError, r"dropout must be in \[0, 1\), got 1"),
    (models.build_mlp, (10,), {"dropout": -0.1}, ValueError, r"dropout must be in \[0, 1\), got -0\.1"),
    (models.build_mlp, (10,), {"dropout": "0.5"}, TypeError, r"dropout must be a real number, got '0\.5'"),
    (models.build_mlp, (10,), {"hidden": (128, 0)}, ValueError, r"hidden\[1\] must be >= 1, got 0"),
    (models.build_mlp, (10,), {"hidden": (64.5,)}, TypeError, r"hidden\[0\] must be an integer, got 64\.5"),
    (models.build_mlp, (10,), {"hidden": 32}, TypeError, r"hidden must be a sequence .* write \(32,\)"),
    (models.build_mlp, (10,), {"output_units": 0}, ValueError, r"output_units must be >= 1, got 0"),
    (
        models.build_mlp,
        (10,),
        {"activation": "rleu"},
        ValueError,
        r"activation must be the name of a Keras activation .* got 'rleu'",
    ),
    (
        models.build_mlp,
        (10,),
        {"output_activation": 3},
        TypeError,
        r"output_activation must be an activation name",
    ),
    (models.build_mlp, (10,), {"name": ""}, TypeError, r"name must be a non-empty string"),
]

# Issue 24: activation names checked with Keras's own list, and a close match suggested.
BAD_INPUTS += [
    (models.build_mlp, (3,), {"activation": "rleu"}, ValueError, r"activation must be .*did you mean 'relu'"),
    (
        models.build_mlp,
        (3,),
        {"output_activation": "sigmiod"},
        ValueError,
        r"output_activation must be the name of a Keras activation function .*'sigmoid'.*Keras knows",
    ),
    (models.build_mlp, (3,), {"activation": 3}, TypeError, r"activation must be an activation name"),
    (
        models.build_mlp,
        (3,),
        {"activation": "glu"},
        ValueError,
        # newer Keras knows 'glu' (it halves the units); the oldest supported Keras (3.3) does not
        r"activation='glu' cannot be a Dense layer's|activation must be the name of a Keras activation .*got 'glu'",
    ),
    (
        models.build_mlp,
        (3,),
        {"output_activation": "threshold"},
        ValueError,
        # newer Keras knows 'threshold' (it needs more arguments); the oldest supported Keras (3.3) does not
        r"output_activation='threshold'|output_activation must be the name of a Keras activation .*got 'threshold'",
    ),
    (models.build_mlp, (2**40,), {}, ValueError, r"input_dim, hidden and output_units give a network of"),
    (models.build_mlp, (10**400,), {}, ValueError, r"give a network of about 1e40\d weights"),
    (models.build_mlp, (3,), {"hidden": (10**5, 10**5)}, ValueError, r"more than fit in memory"),
]


# ---------------------------------------------------------------------------------------------------
# Parameter counts
# ---------------------------------------------------------------------------------------------------
def test_count_params_of_the_source_network_is_9729():
    assert models.params_per_layer([10, 128, 64, 1]) == [10 * 128 + 128, 128 * 64 + 64, 64 * 1 + 1]
    assert models.count_params([10, 128, 64, 1]) == 9729


@pytest.mark.parametrize("sizes", [[1, 1], [3, 7, 2], [10, 128, 64, 1], [784, 256, 128, 10], [5, 1, 1, 1, 9]])
def test_count_params_matches_keras(sizes):
    model = models.build_mlp(sizes[0], hidden=tuple(sizes[1:-1]), output_units=sizes[-1])
    assert models.count_params(sizes) == model.count_params()
    assert models.params_per_layer(sizes) == [layer.count_params() for layer in model.layers]


def test_count_params_accepts_numpy_integers_and_arrays():
    assert models.count_params(np.array([10, 128, 64, 1])) == 9729
    assert isinstance(models.count_params((np.int64(2), np.int32(3))), int)


# ---------------------------------------------------------------------------------------------------
# head_for
# ---------------------------------------------------------------------------------------------------
def test_head_for_each_task():
    assert models.head_for("binary") == (1, "sigmoid", "binary_crossentropy")
    assert models.head_for("multiclass", n_classes=5) == models.Head(5, "softmax", "categorical_crossentropy")
    head = models.head_for("regression")
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
    head = models.head_for(task, n_classes)
    X = np.random.default_rng(0).normal(size=(6, 4))
    model = models.build_mlp(4, hidden=(5,), output_units=head.units, output_activation=head.activation)
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
    model = models.build_mlp(10)
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
    ours = models.build_mlp(10)
    assert [tuple(w.shape) for w in source.weights] == [tuple(w.shape) for w in ours.weights]


def test_build_mlp_dropout_layers_follow_each_hidden_layer():
    model = models.build_mlp(6, hidden=(8, 4, 2), dropout=0.25)
    kinds = [type(layer).__name__ for layer in model.layers]
    assert kinds == ["Dense", "Dropout", "Dense", "Dropout", "Dense", "Dropout", "Dense"]
    assert [layer.rate for layer in model.layers if isinstance(layer, keras.layers.Dropout)] == [0.25] * 3
    assert model.count_params() == models.count_params([6, 8, 4, 2, 1])
    assert "Dropout" not in [type(layer).__name__ for layer in models.build_mlp(6, dropout=0.0).layers]


def test_build_mlp_dropout_is_active_in_training_only():
    dlnotes.seed_everything(1)
    model = models.build_mlp(20, hidden=(50,), output_activation=None, dropout=0.5)
    X = np.ones((4, 20), dtype="float32")
    eval_a = keras.ops.convert_to_numpy(model(X, training=False))
    eval_b = keras.ops.convert_to_numpy(model(X, training=False))
    train = keras.ops.convert_to_numpy(model(X, training=True))
    np.testing.assert_array_equal(eval_a, eval_b)
    assert not np.allclose(train, eval_a)


def test_build_mlp_without_hidden_layers_is_logistic_regression():
    model = models.build_mlp(3, hidden=())
    assert [layer.name for layer in model.layers] == ["output"]
    assert model.count_params() == 4


def test_build_mlp_activation_options():
    model = models.build_mlp(3, hidden=(4,), activation="tanh", output_units=2, output_activation=None)
    assert model.layers[0].activation.__name__ == "tanh"
    assert model.layers[-1].activation.__name__ == "linear"
    assert model.output_shape == (None, 2)
    custom = models.build_mlp(3, hidden=(4,), activation=keras.activations.elu)
    assert custom.layers[0].activation is keras.activations.elu
    assert models.build_mlp(3, name="tiny").name == "tiny"


def test_build_mlp_weights_repeat_after_seeding():
    def first_kernel(seed):
        dlnotes.seed_everything(seed)
        return models.build_mlp(5, hidden=(7,)).get_weights()[0]

    np.testing.assert_array_equal(first_kernel(3), first_kernel(3))
    assert not np.array_equal(first_kernel(3), first_kernel(4))


def test_build_mlp_makes_a_ten_class_softmax_model_that_trains_on_integer_labels():
    """Issue 26: build_mlp has no binary assumption; its head is whatever head_for gives."""
    head = models.head_for("multiclass", n_classes=10)
    model = models.build_mlp(64, hidden=(8,), output_units=head.units, output_activation=head.activation)
    model.compile(optimizer="adam", loss="sparse_categorical_crossentropy")
    rng = np.random.default_rng(0)
    X, y = rng.random((20, 64)).astype("float32"), np.arange(20) % 10
    model.fit(X, y, epochs=1, verbose=0)
    p = model.predict(X, verbose=0)
    assert p.shape == (20, 10) and np.allclose(p.sum(axis=1), 1.0, atol=1e-5)
