"""dlnotes.plots: every picture, drawn from results or from the values it shows."""

import math

import matplotlib.pyplot as plt
import numpy as np
import pytest

import dlnotes
from dlnotes import metrics, models, plots, search, training
from dlnotes._backend import import_keras
from dlnotes.plots._diagrams import _activation_values

keras = import_keras()


X_PLANE = np.array([[0.0, 0.0], [1.0, 1.0], [0.0, 1.0]])


Y_PLANE = np.array([0, 1, 1])


def _half(grid):
    return np.full(len(grid), 0.5)


# ---------------------------------------------------------------------------------------------------
# Plots
# ---------------------------------------------------------------------------------------------------
def _circles(ax, radius):
    from matplotlib.patches import Circle

    return [p for p in ax.patches if isinstance(p, Circle) and p.get_radius() == radius]


SWEEP = training.Comparison(
    "learning_rate", ("0.01", "1", "100"), (0.01, 1.0, 100.0), ((0.7, 0.6), (0.7, 0.2), (0.7, math.nan))
)
OPTIMIZERS = training.Comparison(
    "optimizer",
    ("a", "b"),
    ("sgd", "adam"),
    ((0.7, 0.5, 0.4), (0.7, 0.6, 0.55)),
    ((0.7, 0.6, 0.5), (0.7, 0.6, 0.6)),
)


# The plotters' bad inputs that one argument gets wrong on its own are generated from their @checked
# declarations (tests/test_api.py); the rows here are what a declaration cannot say (arguments that must
# fit together, the content of a result, a user's model on the plane) and a few messages whose wording is
# the lesson (softmax, None is not drawable, binary by design).
BAD_INPUTS = [
    (
        plots.plot_learning_rate_sweep,
        (OPTIMIZERS,),
        {},
        ValueError,
        r"comparison must compare learning rates, got one of 'optimizer'; draw it with plot_comparison",
    ),
]


RESULT = search.SearchResult(({"units": 8, "val_loss": 0.31}, {"units": 64, "val_loss": 0.25}), ("units",))


Y = np.array([0, 1, 1, 0])


P = np.array([0.2, 0.7, 0.4, 0.9])


class FakeHistory:
    history = {"loss": [0.7, 0.5], "val_loss": [0.8, 0.6], "accuracy": [0.5, 0.7]}


def _door_model(inputs, units):
    """A tiny Keras model of ``inputs`` features and ``units`` outputs (sigmoid: one, softmax: more)."""
    keras = import_keras()
    activation = "sigmoid" if units == 1 else "softmax"
    return keras.Sequential([keras.Input((inputs,)), keras.layers.Dense(units, activation=activation)])


BAD_INPUTS += [
    # plot_runs
    (
        plots.plot_runs,
        ({"a": search.Runs((0, 1), (0.1, 0.2)), "b": search.Runs((1, 2), (0.1, 0.2))},),
        {"paired": True},
        ValueError,
        r"paired=True needs the same labels",
    ),
    (
        plots.plot_runs,
        ({"a": search.Runs((0, 1), (0.1, 0.2))},),
        {"metric": "loss"},
        ValueError,
        r"metric must be one of",
    ),
    (
        plots.plot_runs,
        ({"a": search.Runs((0, 1), (0.1, 0.2))},),
        {"metric": 1},
        TypeError,
        r"metric must be the name",
    ),
    (plots.plot_runs, ({"a": search.Runs((0, 1), (0.1, float("nan")))},), {}, ValueError, r"NaN or infinite"),
    # plot_confused_pairs (issue 26)
    (
        plots.plot_confused_pairs,
        (np.zeros((3, 4)), [0, 1, 1], [0, 1, 0], "10"),
        {},
        TypeError,
        r"pairs must be a list of \(true, predicted\) class pairs",
    ),
    (
        plots.plot_confused_pairs,
        (np.zeros((3, 4)), [0, 1, 1], [0, 1, 0], []),
        {},
        ValueError,
        r"pairs is empty",
    ),
    (
        plots.plot_confused_pairs,
        (np.zeros((3, 4)), [0, 1, 1], [0, 1, 0], [(1, 5)]),
        {},
        ValueError,
        r"pairs\[0\] must be <= 1, got 5",
    ),
    (
        plots.plot_confused_pairs,
        (np.zeros((3, 4)), [0, 1, 1], [0, 1, 0], [1]),
        {},
        TypeError,
        r"pairs\[0\] must be a \(true, predicted\) pair",
    ),
    (
        plots.plot_confused_pairs,
        (np.zeros((3, 5)), [0, 1, 1], [0, 1, 0], [(1, 0)]),
        {},
        ValueError,
        r"images has 5 values per sample, not a square picture: pass image_shape",
    ),
    (
        plots.plot_confused_pairs,
        (np.zeros((3, 6)), [0, 1, 1], [0, 1, 0], [(1, 0)]),
        {"image_shape": (4, 2)},
        ValueError,
        r"image_shape \(4, 2\) holds 8 pixels but images has 6",
    ),
    (
        plots.plot_confused_pairs,
        (np.zeros((3, 6)), [0, 1, 1], [0, 1, 0], [(1, 0)]),
        {"image_shape": 6},
        TypeError,
        r"image_shape must be a pair",
    ),
    (
        plots.plot_confused_pairs,
        (np.zeros((3, 2, 2)), [0, 1, 1], [0, 1, 0], [(1, 0)]),
        {"image_shape": (2, 2)},
        ValueError,
        r"image_shape is only for 2-D images",
    ),
    (
        plots.plot_confused_pairs,
        (np.zeros((2, 4)), [0, 1, 1], [0, 1, 0], [(1, 0)]),
        {},
        ValueError,
        r"images has 2 samples but y_true has 3",
    ),
    (
        plots.plot_confused_pairs,
        (np.zeros((3, 4)), [0, 1, 1], [0, 1], [(1, 0)]),
        {},
        ValueError,
        r"y_true has 3 samples but y_pred has 2",
    ),
    (
        plots.plot_confused_pairs,
        (np.zeros((3, 4)), [0, 1, 1], [0, 1, 0], [(1, 0)]),
        {"class_names": ("a",)},
        ValueError,
        r"class_names must be a sequence of two names",
    ),
    (
        plots.plot_confusion_matrix,
        (np.eye(3),),
        {"class_names": ("a", "b")},
        ValueError,
        r"class_names must be a sequence of 3 names \(for labels 0 to 2\), got 2",
    ),
    # plots
    (
        plots.plot_network,
        ([10, 5, 1],),
        {"activations": ["relu"]},
        ValueError,
        r"activations must have one name per layer after the input \(2\), got 1",
    ),
    (
        plots.plot_activations,
        (["softmax"],),
        {},
        ValueError,
        r"softmax acts on a vector .* use plot_softmax",
    ),
    (
        plots.plot_decision_boundary,
        (_half, X_PLANE, Y_PLANE[:2]),
        {},
        ValueError,
        r"X has 3 samples but y has 2",
    ),
    (
        plots.plot_decision_boundary,
        (lambda g: g[:, 0] * 5, X_PLANE, Y_PLANE),
        {},
        ValueError,
        r"model\(X\) must hold probabilities in \[0, 1\]",
    ),
    # plot_histories
    (
        plots.plot_histories,
        ({"run": {"loss": [0.5]}},),
        {"metric": "accuracy"},
        ValueError,
        r"histories\['run'\] has no 'accuracy'; it has \['loss'\]",
    ),
    (
        plots.plot_histories,
        ({"run": {"score": [0.5, 0.6], "val_score": [0.4, 0.5]}},),
        {"metric": "score"},
        ValueError,
        r"metric 'score': dlnotes cannot tell whether it is better low or high .*pass mode='min'",
    ),
    # issue 23: the plotter takes threshold_curve's result; the old call (labels, probabilities) says so
    (
        plots.plot_threshold_curve,
        (Y, P),
        {},
        TypeError,
        r"plot_threshold_curve\(\): too many positional arguments; call it as plot_threshold_curve\(curve, \*",
    ),
    (
        plots.plot_threshold_curve,
        (Y,),
        {},
        TypeError,
        r"curve must be the dict threshold_curve returns, got .*threshold_curve\(y_true, y_prob\)",
    ),
    # plots
    (
        plots.plot_confusion_matrix,
        ([1, 2, 3, 4],),
        {},
        ValueError,
        r"confusion must be 2-D, got an array of shape \(4,\)",
    ),
    (
        plots.plot_confusion_matrix,
        ([[1, 2], [3, 4]],),
        {"class_names": "ab"},
        TypeError,
        r"class_names must be a sequence of two names",
    ),
    (
        plots.plot_confusion_matrix,
        ([[1, 2], [3, 4]],),
        {"class_names": ("a", "b", "c")},
        ValueError,
        r"class_names must be a sequence of two names",
    ),
    (
        plots.plot_history,
        ({"loss": [1.0]},),
        {"metrics": ["accuracy"]},
        ValueError,
        r"metrics \['accuracy'\] are not in history; it has \['loss'\]",
    ),
]

# Issue 24: a user's model that does not fit the plane, histories that cannot be drawn, binary-only helpers.
BAD_INPUTS += [
    (
        plots.plot_decision_boundary,
        (_door_model(3, 1), X_PLANE, Y_PLANE),
        {},
        ValueError,
        r"model expects 3 input features, but the plane has 2",
    ),
    (
        plots.plot_decision_boundary,
        (_door_model(2, 2), X_PLANE, Y_PLANE),
        {},
        ValueError,
        r"model must return one probability of class 1 per point of the plane.*\[:, 1\]",
    ),
    (
        plots.plot_decision_boundary,
        (lambda grid: grid @ np.ones((3, 1)), X_PLANE, Y_PLANE),
        {},
        ValueError,
        r"model failed on the plane's points",
    ),
    (plots.plot_history, (None,), {}, TypeError, r"history must be .*got NoneType: None is not drawable"),
    (
        plots.plot_threshold_curve,
        ({key: [0.5, 0.6] for key in ("threshold", "accuracy", "precision", "recall", "f1")},),
        {},
        ValueError,
        r"curve has no \['predicted_positive'\]: it must hold \['threshold'",
    ),
    (
        plots.plot_decision_boundary,
        (lambda grid: grid.sum(axis=1) * 10, X_PLANE, Y_PLANE),
        {},
        ValueError,
        r"model\(X\) must hold probabilities in \[0, 1\].*does model end in a sigmoid",
    ),
    (
        plots.plot_decision_boundary,
        (lambda grid: np.full(len(grid), np.nan), X_PLANE, Y_PLANE),
        {},
        ValueError,
        r"model returned NaN or infinite values on the plane",
    ),
    (
        plots.plot_decision_boundary,
        (lambda g: g[:, 0], X_PLANE * 1e300, Y_PLANE),
        {},
        ValueError,
        r"X holds .*float32",
    ),
]


def test_plot_network_caps_the_drawn_units_and_labels_the_true_sizes():
    ax = plots.plot_network([10, 128, 64, 1], max_nodes=8)
    nodes = _circles(ax, 0.32)
    assert len(nodes) == 7 + 7 + 7 + 1  # 8 slots, one of them the ellipsis, for each large layer
    assert len(_circles(ax, 0.05)) == 3 * 3  # three dots per ellipsis
    texts = " ".join(t.get_text() for t in ax.texts)
    for expected in ["10 units", "128 units", "64 units", "1 unit", "= 1,408", "= 8,256", "= 65"]:
        assert expected in texts
    assert ax.get_title() == "A 10-128-64-1 network: 9,729 parameters"
    assert ax.get_xlabel() and ax.get_ylabel()


def test_plot_network_small_layers_are_drawn_in_full_with_all_edges():
    ax = plots.plot_network([3, 4, 2], show_params=False, title="small")
    assert len(_circles(ax, 0.32)) == 9 and not _circles(ax, 0.05)
    assert len(ax.get_lines()) == 3 * 4 + 4 * 2
    assert not any("=" in t.get_text() for t in ax.texts)
    assert ax.get_title() == "small"


def test_plot_network_draws_on_a_given_axes_with_activations():
    _, ax = plt.subplots()
    out = plots.plot_network([2, 3, 1], activations=["relu", "sigmoid"], ax=ax)
    assert out is ax
    assert any("sigmoid" in t.get_text() for t in ax.texts)


def test_plot_activations_draws_the_named_functions():
    ax = plots.plot_activations(["sigmoid", "relu"], x_range=(-2, 2))
    sigmoid, relu = ax.get_lines()[:2]
    assert sigmoid.get_label() == "sigmoid" and relu.get_label() == "relu"
    np.testing.assert_allclose(relu.get_ydata(), np.maximum(relu.get_xdata(), 0))
    assert relu.get_xdata()[0] == -2 and relu.get_xdata()[-1] == 2
    assert ax.get_title() == "Activation functions" and ax.get_ylabel() == "activation(z)"
    deriv = plots.plot_activations("sigmoid", derivative=True)
    assert max(deriv.get_lines()[0].get_ydata()) == pytest.approx(0.25, abs=1e-4)
    assert "Derivatives" in deriv.get_title()


def test_plot_softmax_bars_are_keras_softmax():
    logits = np.array([3.0, -1.0, 0.5, 0.5])
    ax = plots.plot_softmax(logits)
    heights = np.array([bar.get_height() for bar in ax.patches])
    expected = keras.ops.convert_to_numpy(keras.activations.softmax(logits.astype("float32")))
    np.testing.assert_allclose(heights, expected, rtol=1e-5)
    assert heights.sum() == pytest.approx(1.0)
    assert plots.plot_softmax([1000.0, 0.0]).patches[0].get_height() == pytest.approx(1.0)  # no overflow


@pytest.mark.parametrize("y_true", [0, 1])
def test_plot_losses_curves_are_the_keras_losses(y_true):
    ax = plots.plot_losses(y_true)
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
    ax = plots.plot_losses(y_true, gradient=True)
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

    ax = plots.plot_decision_boundary(model, X, y, resolution=30, title="x1 > 0")
    assert calls == [(900, 2)]
    assert ax.get_title() == "x1 > 0" and ax.get_xlabel() == "feature 1" and ax.get_ylabel() == "feature 2"
    assert ax.get_legend_handles_labels()[1] == ["class 0", "class 1"]
    assert len(ax.collections) >= 3  # filled contours, the p = 0.5 line, two scatters


def test_plot_decision_boundary_accepts_a_keras_model():
    dlnotes.seed_everything(0)
    model = models.build_mlp(2, hidden=(3,))
    ax = plots.plot_decision_boundary(model, X_PLANE, Y_PLANE, resolution=12)
    assert ax.get_title().startswith("Decision boundary")


def test_plot_comparison_starts_at_epoch_zero_and_can_use_a_log_axis():
    ax = plots.plot_comparison(OPTIMIZERS, logy=True, title="T")
    assert [line.get_label() for line in ax.get_lines()][:2] == ["a", "b"]
    assert ax.get_lines()[0].get_xdata().tolist() == [0, 1, 2]
    assert ax.get_yscale() == "log" and ax.get_title() == "T" and "epoch" in ax.get_xlabel()
    assert len(ax.get_lines()) == 4 and ax.get_lines()[2].get_linestyle() == "--"  # validation dashed
    assert ax.get_legend().get_title().get_text() == "optimizer"
    assert plots.plot_comparison(SWEEP).get_title() == "Same network, same start, different learning rate"


def test_plot_learning_rate_sweep_has_titles_labels_and_caps_divergence():
    fig = plots.plot_learning_rate_sweep(SWEEP, cap=1.0)
    left, right = fig.axes
    for ax in (left, right):
        assert ax.get_title() and ax.get_xlabel() and ax.get_ylabel()
    assert left.get_xscale() == "log"
    assert left.get_ylim()[1] == pytest.approx(1.05)
    crosses = [c for c in left.collections if c.get_label() == "diverged"]
    assert len(crosses) == 1 and crosses[0].get_offsets()[0][1] == pytest.approx(1.0)  # drawn at the cap
    assert all(np.nanmax(line.get_ydata()) <= 1.0 for line in right.get_lines())


def test_plot_learning_rate_sweep_shows_validation_loss_and_what_chose_the_best():
    sweep = training.Comparison(
        "learning_rate", ("0.1", "1"), (0.1, 1.0), ((0.7, 0.3), (0.7, 0.1)), ((0.7, 0.35), (0.7, 0.5))
    )
    left, _ = plots.plot_learning_rate_sweep(sweep).axes
    labels = [line.get_label() for line in left.get_lines()]
    assert "validation loss" in labels and "best by validation loss: 0.1" in labels
    val_line = left.get_lines()[labels.index("validation loss")]
    assert list(val_line.get_ydata()) == [0.35, 0.5]


def test_plot_search_results_puts_the_best_on_top():
    ax = plots.plot_search_results(RESULT)
    assert ax.get_title() and ax.get_xlabel() == "validation loss" and ax.get_ylabel()
    labels = [t.get_text() for t in ax.get_yticklabels()]
    positions = list(ax.get_yticks())
    assert labels[int(np.argmax(positions))] == "units=64"
    assert [round(p.get_width(), 2) for p in ax.patches] == [0.25, 0.31]


def test_plot_search_results_with_infinite_or_huge_scores_keeps_finite_limits():
    # Found by tests/test_properties.py: an infinite or 1e308 score gave an infinite x limit, which
    # Matplotlib refuses ("Axis limits cannot be NaN or Inf").
    result = search.SearchResult(
        ({"units": 1, "val_loss": math.inf}, {"units": 2, "val_loss": 1e308}, {"units": 3, "val_loss": 0.5}),
        ("units",),
    )
    ax = plots.plot_search_results(result)
    assert all(math.isfinite(v) for v in ax.get_xlim())
    assert [t.get_text() for t in ax.texts] == [" 0.5000", " 1e+308", " diverged"]
    ax.figure.canvas.draw()


def test_plot_histories_marks_the_best_validation_epoch():
    fig = plots.plot_histories(
        {"a": {"loss": [0.7, 0.5, 0.4], "val_loss": [0.7, 0.6, 0.65]}, "b": {"loss": [0.7, 0.6, 0.5]}},
        logy=True,
        title="runs",
    )
    a, b = fig.axes
    assert fig.get_suptitle() == "runs"
    assert [a.get_title(), b.get_title()] == ["a (best epoch 2)", "b"]
    assert a.get_ylabel() == "loss (log scale)" and a.get_xlabel() == "epoch" and a.get_yscale() == "log"
    marker = [line for line in a.get_lines() if line.get_label() == "best epoch: 2"]
    assert len(marker) == 1 and list(marker[0].get_xdata()) == [2] and list(marker[0].get_ydata()) == [0.6]
    assert not [line for line in b.get_lines() if line.get_label().startswith("best epoch")]
    legend = [t.get_text() for t in a.get_legend().get_texts()]
    assert legend == ["training loss", "validation loss", "best validation epoch"] and b.get_legend() is None


def test_plot_histories_marks_the_lowest_error_as_best():
    """Issue 24: on load_diabetes, a val_mae falling every epoch had epoch 1 marked best (the name has no
    'loss' in it); the mean absolute error, like every error and cross-entropy, is better low."""
    val_mae = [151.9, 148.2, 139.5, 120.4, 95.1, 71.3, 58.0, 52.6]  # the diabetes targets' scale
    history = {"loss": [v * v for v in val_mae], "mae": [v - 1 for v in val_mae], "val_mae": val_mae}
    fig = plots.plot_histories({"diabetes": history}, metric="mae")
    assert fig.axes[0].get_title() == "diabetes (best epoch 8)"
    for name in ("mse", "binary_crossentropy", "mean_absolute_percentage_error", "hinge", "auc_1"):
        curve = [0.5, 0.2, 0.4]
        fig = plots.plot_histories({"r": {name: curve, f"val_{name}": curve}}, metric=name)
        best = 1 if name == "auc_1" else 2
        assert fig.axes[0].get_title() == f"r (best epoch {best})", name


def test_plot_histories_marks_the_highest_accuracy_and_follows_mode():
    history = {"accuracy": [0.6, 0.8, 0.9], "val_accuracy": [0.6, 0.85, 0.8], "score": [1.0, 2.0, 3.0]}
    history["val_score"] = [3.0, 1.0, 2.0]
    assert plots.plot_histories({"r": history}, metric="accuracy").axes[0].get_title() == "r (best epoch 2)"
    high = plots.plot_histories({"r": history}, metric="score", mode="max")
    low = plots.plot_histories({"r": history}, metric="score", mode="min")
    assert high.axes[0].get_title() == "r (best epoch 1)" and low.axes[0].get_title() == "r (best epoch 2)"
    # a metric without a validation curve gets no best epoch, so it needs no direction
    fig = plots.plot_histories({"r": {"learning_rate": [0.1, 0.01]}}, metric="learning_rate")
    assert fig.axes[0].get_title() == "r"


def test_plot_search_results_puts_the_highest_accuracy_on_top():
    result = search.SearchResult(
        ({"units": 8, "val_accuracy": 0.80}, {"units": 64, "val_accuracy": 0.95}), ("units",), "val_accuracy"
    )
    ax = plots.plot_search_results(result)
    labels = [t.get_text() for t in ax.get_yticklabels()]
    assert labels[int(np.argmax(ax.get_yticks()))] == "units=64"
    assert ax.patches[0].get_facecolor() != ax.patches[1].get_facecolor()  # the best, highlighted
    assert [round(p.get_width(), 2) for p in ax.patches] == [0.95, 0.80]
    assert ax.get_xlabel() == "validation accuracy"


def test_plot_confusion_matrix_draws_counts_shares_and_labels():
    ax = plots.plot_confusion_matrix(
        np.array([[70, 2], [3, 39]]), class_names=("benign", "malignant"), title="test set"
    )
    texts = [t.get_text() for t in ax.texts]
    assert texts == ["70\n(97.2%)", "2\n(2.8%)", "3\n(7.1%)", "39\n(92.9%)"]
    assert ax.get_title() == "test set"
    assert ax.get_xlabel() == "predicted label" and ax.get_ylabel() == "true label"
    assert [t.get_text() for t in ax.get_xticklabels()] == ["benign (0)", "malignant (1)"]


def test_plot_confusion_matrix_with_an_empty_row_shows_zero_shares():
    ax = plots.plot_confusion_matrix([[5, 1], [0, 0]])
    assert [t.get_text() for t in ax.texts][2:] == ["0\n(0.0%)", "0\n(0.0%)"]


def test_plot_confusion_matrix_draws_on_a_given_axes():
    fig, (left, right) = plt.subplots(1, 2)
    assert plots.plot_confusion_matrix([[1, 0], [0, 1]], ax=right) is right
    assert not left.texts and len(fig.axes) == 3  # two axes and the colour bar


def test_plot_confusion_matrix_colorbar_can_be_left_out():
    fig, ax = plt.subplots()
    plots.plot_confusion_matrix([[1, 0], [0, 1]], colorbar=False, ax=ax)
    assert fig.axes == [ax]


def test_plot_confusion_matrix_draws_ten_classes_with_counts_only_and_blank_empty_cells():
    rng = np.random.default_rng(0)
    y_true = rng.integers(0, 10, 300)
    y_pred = np.where(rng.random(300) < 0.8, y_true, rng.integers(0, 10, 300))
    confusion = metrics.multiclass_confusion_matrix(y_true, y_pred, n_classes=10)
    ax = plots.plot_confusion_matrix(confusion, title="digits")
    assert len(ax.texts) == int(np.count_nonzero(confusion))
    assert sum(int(t.get_text()) for t in ax.texts) == 300
    assert [t.get_text() for t in ax.get_xticklabels()] == [str(i) for i in range(10)]
    shares = ax.images[0].get_array()
    np.testing.assert_allclose(np.diag(shares), metrics.classification_report(y_true, y_pred)["recall"])


def test_plot_confused_pairs_shows_the_samples_of_each_pair_in_data_order():
    images = np.arange(6 * 4, dtype=float).reshape(6, 4)  # six 2 × 2 pictures, each its own
    y_true, y_pred = [0, 1, 1, 2, 1, 2], [0, 2, 2, 0, 0, 0]
    pairs = metrics.most_confused(metrics.multiclass_confusion_matrix(y_true, y_pred))
    fig = plots.plot_confused_pairs(images, y_true, y_pred, pairs, per_pair=3, class_names=("a", "b", "c"))
    rows = np.array(fig.axes).reshape(len(pairs), 3)
    assert [row[0].get_title(loc="left") for row in rows] == ["b → c (2)", "c → a (2)", "b → a (1)"]
    shown = [[ax.images[0].get_array().ravel().tolist() for ax in row if ax.images] for row in rows]
    assert shown == [
        [images[1].tolist(), images[2].tolist()],
        [images[3].tolist(), images[5].tolist()],
        [images[4].tolist()],
    ]


def test_plot_threshold_curve_draws_the_curve_and_marks():
    y = np.array([0, 0, 1, 1, 1])
    p = np.array([0.1, 0.6, 0.8, 0.4, 0.95])
    ax = plots.plot_threshold_curve(metrics.threshold_curve(y, p), mark=[0.3, 0.5], title="validation")
    lines = ax.get_lines()
    assert [line.get_label() for line in lines[:4]] == ["precision", "recall", "F1", "accuracy"]
    assert len(lines) == 6  # four curves, two marks
    assert ax.get_title() == "validation" and ax.get_xlabel().startswith("threshold") and ax.get_ylabel()
    x, precision = lines[0].get_data()
    curve = metrics.threshold_curve(y, p)
    np.testing.assert_allclose(lines[1].get_data()[1], curve["recall"])
    # precision is undefined, so not drawn, where nothing is predicted 1 (threshold >= 0.95)
    assert np.all(np.isnan(precision[x >= 0.95])) and not np.any(np.isnan(precision[x < 0.95]))


def test_plot_threshold_curve_without_marks():
    ax = plots.plot_threshold_curve(metrics.threshold_curve(Y, P), mark=None)
    assert len(ax.get_lines()) == 4


def test_plot_threshold_curve_accepts_an_array_of_marks():
    ax = plots.plot_threshold_curve(metrics.threshold_curve(Y, P), mark=np.array([0.2, 0.4, 0.6]))
    assert len(ax.get_lines()) == 7


def test_plot_history_draws_each_metric_and_its_validation_twin():
    ax = plots.plot_history(FakeHistory())
    labels = [line.get_label() for line in ax.get_lines()]
    assert labels == ["loss", "val_loss", "accuracy"]
    assert ax.get_lines()[1].get_linestyle() == "--"
    assert ax.get_xlabel() == "epoch" and ax.get_title()


def test_plot_history_accepts_one_metric_name_and_a_given_axes():
    _, ax = plt.subplots()
    out = plots.plot_history(FakeHistory.history, "accuracy", title="acc", ax=ax)
    assert out is ax and ax.get_title() == "acc"
    assert [line.get_label() for line in ax.get_lines()] == ["accuracy"]


def test_plot_curves_labels_and_log_axis():
    ax = plots.plot_curves({"a": [1.0, 0.1], "b": [1.0, 0.5]}, title="T", ylabel="loss", logy=True)
    assert [line.get_label() for line in ax.get_lines()] == ["a", "b"]
    assert ax.get_yscale() == "log" and ax.get_title() == "T"
    assert list(ax.get_lines()[0].get_xdata()) == [1, 2]


def test_epoch_axis_has_only_whole_number_ticks():
    ax = plots.plot_history({"loss": [1.0, 0.8, 0.7, 0.6, 0.5, 0.45, 0.4, 0.38, 0.36, 0.35]})
    ticks = [t for t in ax.get_xticks() if ax.get_xlim()[0] <= t <= ax.get_xlim()[1]]
    assert ticks and all(float(t).is_integer() for t in ticks)


def test_activation_formulas_match_keras():
    z = np.linspace(-6, 6, 121)
    for name in ["linear", "relu", "sigmoid", "tanh"]:
        ours = _activation_values(name, z, derivative=False)
        theirs = keras.ops.convert_to_numpy(keras.activations.get(name)(z.astype("float32")))
        np.testing.assert_allclose(ours, theirs, rtol=1e-5, atol=1e-6)


def test_activation_derivatives_match_finite_differences():
    z = np.array([-3.0, -1.0, -0.2, 0.3, 1.5, 4.0])
    h = 1e-6
    for name in ["linear", "relu", "sigmoid", "tanh"]:
        numeric = (_activation_values(name, z + h, False) - _activation_values(name, z - h, False)) / (2 * h)
        np.testing.assert_allclose(_activation_values(name, z, True), numeric, rtol=1e-5, atol=1e-8)


def test_plot_runs_draws_each_run_and_the_mean_with_its_standard_error():
    runs = {"narrow": search.Runs((0, 1, 2), (0.3, 0.5, 0.4)), "wide": search.Runs((0, 1), (0.2, 0.2))}
    ax = plots.plot_runs(runs)
    crosses = [line for line in ax.lines if line.get_marker() == "x"]
    assert [list(line.get_ydata()) for line in crosses] == [[0.3, 0.5, 0.4], [0.2, 0.2]]
    bars = ax.containers  # one errorbar per procedure: the mean, and the bar from mean - se to mean + se
    assert [c.lines[0].get_ydata()[0] for c in bars] == pytest.approx([0.4, 0.2])
    low, high = bars[0].lines[2][0].get_segments()[0][:, 1]
    assert (low, high) == pytest.approx((0.4 - 0.1 / 3**0.5, 0.4 + 0.1 / 3**0.5))
    assert [t.get_text() for t in ax.get_xticklabels()] == ["narrow", "wide"]
    plt.close(ax.figure)


def test_plot_runs_paired_joins_each_fold_across_the_columns():
    runs = {
        "narrow": search.Runs((1, 2, 3), (0.3, 0.5, 0.4)),
        "wide": search.Runs((1, 2, 3), (0.2, 0.45, 0.3)),
    }
    ax = plots.plot_runs(runs, paired=True)
    joins = [
        line for line in ax.lines if line.get_marker() in ("None", "", None) and len(line.get_xdata()) == 2
    ]
    assert sorted(list(line.get_ydata()) for line in joins) == [[0.3, 0.2], [0.4, 0.3], [0.5, 0.45]]
    plt.close(ax.figure)


# Issue 26: the binary threshold curve (computed, then drawn) refuses ten-class labels and says what
# to use.
BAD_INPUTS += [
    (
        metrics.threshold_curve,
        (np.arange(20) % 10, np.full(20, 0.5)),
        {},
        ValueError,
        r"y_true must contain only the labels 0 and 1.*10 classes; .*classification_report",
    ),
]
# ------------------------------------------------------------------ beyond one threshold (chapter 3c)

ROC = metrics.roc_curve([0, 0, 1, 1, 1], [0.1, 0.6, 0.8, 0.4, 0.95])
PR = metrics.precision_recall_curve([0, 0, 1, 1, 1], [0.1, 0.6, 0.8, 0.4, 0.95])
RELIABILITY = metrics.reliability_curve([0, 0, 1, 1, 1], [0.1, 0.6, 0.8, 0.4, 0.95], n_bins=5)

BAD_INPUTS += [
    (
        plots.plot_roc_curve,
        (PR,),
        {},
        ValueError,
        r"curve must be what dlnotes.metrics.roc_curve returns, with the keys \['fpr', 'tpr'\]; it lacks",
    ),
    (
        plots.plot_roc_curve,
        ({"fpr": "ab", "tpr": [0, 1]},),
        {},
        TypeError,
        r"curve\['fpr'\] must be array-like",
    ),
]


def test_plot_roc_curve_draws_the_points_and_the_diagonal_once_when_overlaid():
    ax = plots.plot_roc_curve(ROC, label="first")
    assert plots.plot_roc_curve(ROC, label="second", ax=ax) is ax
    labels = [line.get_label() for line in ax.get_lines()]
    assert labels == ["random ranking", "first", "second"]
    np.testing.assert_array_equal(ax.get_lines()[1].get_xdata(), ROC["fpr"])
    np.testing.assert_array_equal(ax.get_lines()[1].get_ydata(), ROC["tpr"])
    assert ax.get_title() == "ROC curve" and "recall" in ax.get_ylabel()


def test_plot_precision_recall_curve_draws_steps_and_the_share_of_positives():
    ax = plots.plot_precision_recall_curve(PR)
    base, curve = ax.get_lines()
    assert base.get_ydata()[0] == pytest.approx(0.6)  # 3 positives of 5
    assert curve.get_drawstyle() == "steps-pre"
    np.testing.assert_array_equal(curve.get_xdata(), PR["recall"])


def test_plot_reliability_diagram_leaves_out_empty_bins_and_writes_the_counts():
    curve = metrics.reliability_curve([0, 1, 1, 0], [0.1, 0.9, 0.95, 0.05], n_bins=5)
    assert curve["count"].tolist() == [2, 0, 0, 0, 2]
    ax = plots.plot_reliability_diagram(curve)
    model = ax.get_lines()[1]
    np.testing.assert_allclose(model.get_xdata(), [0.075, 0.925])
    np.testing.assert_allclose(model.get_ydata(), [0.0, 1.0])
    assert [t.get_text() for t in ax.texts] == ["n=2", "n=2"]
    for text in ax.texts:  # every count stays inside the axes
        x, y = text.xy
        assert 0 <= x <= 1 and 0 <= y <= 1


# ---------------------------------------------------------------------------------------------------
# plot_range_test
# ---------------------------------------------------------------------------------------------------
RANGE = training.RangeTestResult((0.001, 0.01, 0.1, 1.0), (0.7, 0.5, 0.2, 3.0), smoothing=0.0)


BAD_INPUTS += [
    (plots.plot_range_test, (SWEEP,), {}, TypeError, r"result must be a RangeTestResult"),
]


def test_plot_range_test_draws_the_losses_and_marks_the_rates():
    ax = plots.plot_range_test(RANGE)
    lines = ax.get_lines()
    assert list(lines[0].get_xdata()) == list(RANGE.learning_rates)
    assert list(lines[0].get_ydata()) == list(RANGE.losses)
    marks = [line.get_xdata()[0] for line in lines[2:]]
    assert marks == pytest.approx([RANGE.min_loss_rate, RANGE.suggestion])
    assert ax.get_ylim()[1] < 3.0  # the blown-up last loss leaves the top of the plot
    plt.close("all")


# the plotters' language switch (issue 28): Korean is 'ko', the wording is the lesson (None, 1 and '' are
# generated from its declaration); and the Korean table headers
BAD_INPUTS += [
    (
        plots.use_language,
        ("kr",),
        {},
        ValueError,
        r"language must be one of \('en', 'ko'\).*got 'kr'; Korean is 'ko'",
    ),
    (search.format_table, ([{"run": "a"}],), {"headers": ["실행"]}, TypeError, r"headers must be a dict"),
    (
        search.format_table,
        ([{"run": "a"}],),
        {"headers": {"loss": "손실"}},
        ValueError,
        r"headers names column",
    ),
]
