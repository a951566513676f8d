"""Property-based tests: any input a user can type either meets the error contract or gives a sound result.

Hypothesis generates arrays of every shape (0-d to 3-d, empty ones too) and dtype (float with NaN,
inf and values beyond float32, int, bool, complex, object), lists, NumPy scalars, strings and None,
for every public callable that takes arrays, labels, probabilities, histories or sizes. Each call must
either raise exactly ``TypeError`` or ``ValueError`` with a message that names one of the callable's
parameters (the contract in ``dlnotes/_validation.py``), or return a result that holds the documented
invariants. NumPy ``RuntimeWarning`` s (overflow, "All-NaN slice") count as failures.

The settings (derandomised, bounded examples, no database) are in ``tests/conftest.py``; functions
that train a Keras model get fewer examples and tiny networks.
"""

from __future__ import annotations

import inspect
import math
import re
import warnings

import matplotlib.pyplot as plt
import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from hypothesis.extra import numpy as hnp

from dlnotes import data, design, evaluation, plotting, scratch, tips

# ----------------------------------------------------------------------------------------------- inputs

FLOATS = st.floats(allow_nan=True, allow_infinity=True, width=64)
DTYPES = st.sampled_from([np.float64, np.float32, np.int64, np.int8, np.bool_, np.complex128, np.uint8])
SHAPES = hnp.array_shapes(min_dims=0, max_dims=3, min_side=0, max_side=5)

FLOAT32_MAX = float(np.finfo(np.float32).max)
FLOAT32_TINY = float(np.finfo(np.float32).tiny)  # the smallest normal float32
# Array elements, per float dtype, each exactly representable in that dtype: NumPy 1.26 compares an
# element with what the array stored in float64 and Hypothesis refuses any that changed (16777217.0
# or 1e-300 in a float32 array), while NumPy 2 compares in float32 and lets them round silently.
# Both keep NaN, +-inf, huge and tiny values: beyond float32's range (1e39) in float64 arrays, the
# largest float32 in float32 ones.
FLOAT_ELEMENTS = {
    np.dtype(np.float64): st.one_of(FLOATS, st.sampled_from([1e39, -1e39, 1e308, -1e308, 3e38, 1e-300, 0.0, 1.0])),
    np.dtype(np.float32): st.one_of(
        st.floats(allow_nan=True, allow_infinity=True, allow_subnormal=False, width=32),
        st.sampled_from([FLOAT32_MAX, -FLOAT32_MAX, 3e38, FLOAT32_TINY, -FLOAT32_TINY, 0.0, 1.0]).map(
            lambda v: float(np.float32(v)))),
}


@st.composite
def any_array(draw, dtypes=DTYPES, shapes=SHAPES):
    dtype = np.dtype(draw(dtypes))
    shape = draw(shapes)
    return draw(hnp.arrays(dtype, shape, elements=FLOAT_ELEMENTS.get(dtype)))


def array_like(dtypes=DTYPES, shapes=SHAPES):
    """Arrays, the same as nested lists, object arrays, NumPy and Python scalars, strings and None."""
    arrays = any_array(dtypes, shapes)
    return st.one_of(
        arrays,
        arrays.map(lambda a: a.tolist()),
        arrays.map(lambda a: a.astype(object)),
        st.builds(np.float64, FLOATS),
        st.integers(-(10**400), 10**400),
        FLOATS,
        st.sampled_from(["0.5", b"1", None, {"a": 1}, {1, 2}]),
    )


def two_d(min_rows=1, max_rows=8, max_cols=3, elements=None, dtype=np.float64):
    elements = st.floats(-1e3, 1e3) if elements is None else elements
    shape = st.tuples(st.integers(min_rows, max_rows), st.integers(1, max_cols))
    return hnp.arrays(dtype, shape, elements=elements)


def labels_for(n):
    return hnp.arrays(np.int64, n, elements=st.integers(0, 1))


def probabilities_for(n):
    return hnp.arrays(np.float64, n, elements=st.floats(0.0, 1.0))


# ----------------------------------------------------------------------------------------- the contract


def _parameters(func) -> set[str]:
    target = func.__init__ if inspect.isclass(func) else func
    return {name for name in inspect.signature(target).parameters if name not in ("self", "cls")}


def call(func, *args, **kwargs):
    """``(True, result)`` or ``(False, error)`` for an error that keeps the contract; anything else fails."""
    plt.close("all")  # the previous example's figures (a closed figure's axes can still be drawn on)
    with warnings.catch_warnings():
        warnings.simplefilter("error", RuntimeWarning)
        try:
            return True, func(*args, **kwargs)
        except (TypeError, ValueError) as error:
            assert type(error) in (TypeError, ValueError), f"{func.__qualname__} raised {type(error).__name__}: {error}"
            message = str(error)
            names = _parameters(func)
            assert any(re.search(rf"(?<![A-Za-z0-9_]){re.escape(n)}(?![A-Za-z0-9_])", message) for n in names), (
                f"{func.__qualname__}: {message!r} names none of {sorted(names)}"
            )
            return False, error


def finite(a) -> bool:
    return bool(np.all(np.isfinite(np.asarray(a, dtype=np.float64))))


# ------------------------------------------------------------------------------------------------- data


@given(array_like(), array_like())
def test_standardize_any_input(X_train, other):
    ok, out = call(data.standardize, X_train, other)
    if not ok:
        return
    train, scaled = out
    assert train.shape == np.asarray(X_train).shape and finite(train) and finite(scaled)
    X = np.asarray(X_train, dtype=np.float64)
    spread = np.any(X != X[0], axis=0)
    np.testing.assert_allclose(train.mean(axis=0)[spread], 0.0, atol=1e-7)
    np.testing.assert_allclose(train.std(axis=0)[spread], 1.0, rtol=1e-6)


@given(two_d(elements=st.sampled_from([1e308, -1e308, 1e200, -1e200, 1e-200, -1e-200, 0.0, 3.0])))
def test_standardize_extreme_but_finite_columns(X):
    (train,) = data.standardize(X)
    assert finite(train)
    spread = np.any(X != X[0], axis=0)
    np.testing.assert_allclose(train.mean(axis=0)[spread], 0.0, atol=1e-7)
    np.testing.assert_allclose(train.std(axis=0)[spread], 1.0, rtol=1e-6)


@given(array_like(), array_like(), st.one_of(st.booleans(), st.integers(0, 1), st.none()))
def test_train_val_test_split_any_input(X, y, stratify):
    ok, split = call(data.train_val_test_split, X, y, stratify=stratify)
    if ok:
        assert isinstance(stratify, bool)
        assert sum(split.sizes()) == len(np.asarray(X))


@given(st.one_of(st.integers(-5, 30), st.floats(), st.just(10**400), st.text(max_size=2)),
       st.one_of(st.integers(-2, 6), st.floats(), st.none()),
       st.one_of(st.floats(), st.integers(-(10**400), 10**400), st.just(True)))
def test_make_data_any_sizes(n_samples, n_features, noise):
    ok, out = call(data.make_pattern_data, n_samples, n_features, noise=noise)
    if ok:
        X, y = out
        assert X.shape == (n_samples, n_features) and set(np.unique(y)) <= {0, 1}
    ok, out = call(data.make_random_data, n_samples, n_features)
    if ok:
        assert out[0].shape == (n_samples, n_features)


# ------------------------------------------------------------------------------------------- evaluation


@given(array_like(), array_like(), st.one_of(FLOATS, st.text(max_size=2)))
def test_binary_report_any_input(y_true, y_prob, threshold):
    ok, report = call(evaluation.binary_report, y_true, y_prob, threshold)
    if ok:
        assert all(0.0 <= report[k] <= 1.0 for k in ("accuracy", "precision", "recall", "f1"))
        assert report["confusion"].sum() == len(np.asarray(y_true).reshape(-1))


@given(st.integers(1, 12).flatmap(lambda n: st.tuples(labels_for(n), probabilities_for(n),
                                                      st.floats(0.0, 1.0))))
def test_binary_report_valid_input_matches_counts(case):
    y_true, y_prob, threshold = case
    report = evaluation.binary_report(y_true, y_prob, threshold)
    (tn, fp), (fn, tp) = report["confusion"]
    assert tn + fp + fn + tp == len(y_true) and min(tn, fp, fn, tp) >= 0
    assert report["accuracy"] == pytest.approx((tp + tn) / len(y_true))
    assert all(0.0 <= report[k] <= 1.0 for k in ("precision", "recall", "f1"))


@given(array_like(), array_like())
def test_confusion_matrix_any_input(y_true, y_pred):
    ok, matrix = call(evaluation.confusion_matrix, y_true, y_pred)
    if ok:
        assert matrix.shape == (2, 2) and matrix.min() >= 0 and matrix.sum() == len(np.asarray(y_true).reshape(-1))


@given(array_like(), st.one_of(FLOATS, st.none()))
def test_apply_threshold_any_input(y_prob, threshold):
    ok, classes = call(evaluation.apply_threshold, y_prob, 0.5 if threshold is None else threshold)
    if ok:
        assert set(np.unique(classes)) <= {0, 1} and classes.ndim == 1


@given(array_like(), array_like(), st.one_of(st.none(), array_like()))
def test_threshold_curve_any_input(y_true, y_prob, thresholds):
    ok, curve = call(evaluation.threshold_curve, y_true, y_prob, thresholds)
    if ok:
        for key in ("accuracy", "precision", "recall", "f1"):
            assert np.all((curve[key] >= 0) & (curve[key] <= 1))


AXES_LIKE = st.sampled_from([None, "left", 0, "figure", "axes-array", "axes"])


def _ax(kind):
    if kind == "figure":
        return plt.figure()
    if kind == "axes-array":
        return plt.subplots(1, 2)[1]
    if kind == "axes":
        return plt.subplots()[1]
    return kind


@settings(max_examples=30)
@given(array_like(), AXES_LIKE, st.one_of(st.booleans(), st.sampled_from(["no", 0, None])))
def test_plot_confusion_matrix_any_input(confusion, ax, colorbar):
    ok, out = call(evaluation.plot_confusion_matrix, confusion, ax=_ax(ax), colorbar=colorbar)
    if ok:
        assert hasattr(out, "imshow") and isinstance(colorbar, (bool, np.bool_))


@settings(max_examples=30)
@given(st.integers(1, 6).flatmap(lambda n: st.tuples(labels_for(n), probabilities_for(n))), AXES_LIKE,
       st.one_of(st.none(), FLOATS, st.lists(FLOATS, max_size=2), st.text(max_size=2)))
def test_plot_threshold_curve_any_ax_and_mark(case, ax, mark):
    ok, out = call(evaluation.plot_threshold_curve, *case, mark=mark, ax=_ax(ax))
    if ok:
        assert hasattr(out, "plot")


# --------------------------------------------------------------------------------------------- plotting

HISTORY_VALUES = st.one_of(
    st.lists(st.one_of(st.floats(0, 10), st.just(math.nan), st.just(math.inf)), min_size=0, max_size=6),
    FLOATS, st.text(max_size=3), st.none(), any_array(),
)
HISTORIES = st.one_of(
    st.dictionaries(st.sampled_from(["loss", "val_loss", "accuracy", "val_accuracy"]), HISTORY_VALUES, max_size=4),
    array_like(),
)


@settings(max_examples=40)
@given(HISTORIES, AXES_LIKE, st.one_of(st.none(), st.just("loss"), st.just(["loss"]), st.integers()))
def test_plot_history_any_input(history, ax, metrics):
    ok, out = call(plotting.plot_history, history, metrics, ax=_ax(ax))
    if ok:
        assert hasattr(out, "plot")


@settings(max_examples=40)
@given(st.one_of(st.dictionaries(st.text(max_size=3), HISTORY_VALUES, max_size=3), array_like()),
       AXES_LIKE, st.one_of(st.booleans(), st.sampled_from(["no", 1, None])))
def test_plot_curves_and_plot_optimizers_any_input(curves, ax, logy):
    for func in (plotting.plot_curves, design.plot_optimizers):
        ok, out = call(func, curves, title="t", logy=logy, ax=_ax(ax)) if func is plotting.plot_curves else \
            call(func, curves, logy=logy, ax=_ax(ax))
        if ok:
            assert isinstance(logy, (bool, np.bool_)) and hasattr(out, "plot")


@settings(max_examples=30)
@given(st.dictionaries(st.sampled_from(["a", "b"]), HISTORIES, max_size=2),
       st.sampled_from(["loss", "accuracy", 3]), st.one_of(st.booleans(), st.just("no")))
def test_plot_histories_any_input(histories, metric, logy):
    ok, fig = call(tips.plot_histories, histories, metric=metric, logy=logy)
    if ok:
        assert len(fig.axes) == len(histories)


def test_plot_histories_of_a_diverged_run_draws_the_finite_part_and_says_so():
    nan = math.nan
    fig = tips.plot_histories({"diverged": {"loss": [0.7, 5.0, nan, nan], "val_loss": [nan, nan, nan, nan]},
                               "fine": {"loss": [0.7, 0.5], "val_loss": [0.7, 0.6]}})
    assert fig.axes[0].get_title() == "diverged, diverged"
    assert fig.axes[1].get_title() == "fine (best epoch 2)"


# ---------------------------------------------------------------------------------------------- design


SIZES = st.one_of(st.lists(st.integers(-1, 6), max_size=4), st.integers(0, 5), array_like(), st.text(max_size=3))


@given(SIZES)
def test_layer_sizes_any_input(sizes):
    ok, counts = call(design.params_per_layer, sizes)
    if ok:
        assert counts == [a * b + b for a, b in zip(list(sizes)[:-1], list(sizes)[1:])]
        assert call(design.count_params, sizes) == (True, sum(counts))


@settings(max_examples=25)
@given(SIZES, AXES_LIKE, st.one_of(st.booleans(), st.just("no")))
def test_plot_network_any_input(sizes, ax, show_params):
    ok, out = call(design.plot_network, sizes, show_params=show_params, ax=_ax(ax))
    if ok:
        assert out.get_title()


@given(array_like(), AXES_LIKE)
def test_plot_softmax_any_input(logits, ax):
    ok, out = call(design.plot_softmax, logits, ax=_ax(ax))
    if ok:
        heights = [bar.get_height() for bar in out.patches]
        assert sum(heights) == pytest.approx(1.0) and all(0 <= h <= 1 for h in heights)


@settings(max_examples=25)
@given(array_like(), array_like(), AXES_LIKE)
def test_plot_decision_boundary_any_input(X, y, ax):
    ok, out = call(design.plot_decision_boundary, lambda grid: np.full(len(grid), 0.3), X, y, resolution=10,
                   ax=_ax(ax))
    if ok:
        assert out.get_xlabel() == "feature 1"


@settings(max_examples=20)
@given(st.one_of(st.lists(st.sampled_from(["relu", "tanh", "softmax", "elu", 3]), max_size=3), st.integers(),
                 st.text(max_size=4)),
       st.one_of(st.booleans(), st.just("yes")))
def test_plot_activations_any_input(names, derivative):
    call(design.plot_activations, names, derivative=derivative)


# ---------------------------------------------------------------------------------------------- scratch


@given(array_like())
def test_numpy_mlp_any_input(X):
    mlp = scratch.NumpyMLP((2, 3, 1), seed=0)
    ok, p = call(mlp.forward, X)
    if ok:
        assert p.shape == (np.asarray(X).shape[0], 1) and np.all((p >= 0) & (p <= 1))


@given(st.integers(1, 8).flatmap(lambda n: st.tuples(
    hnp.arrays(np.float64, (n, 2), elements=st.one_of(st.floats(-1e6, 1e6), st.sampled_from([1e300, -1e300]))),
    labels_for(n))), st.floats(1e-6, 1e6))
def test_numpy_mlp_finite_input_gives_finite_loss_and_gradients_or_a_clear_error(case, learning_rate):
    X, y = case
    mlp = scratch.NumpyMLP((2, 3, 1), seed=0)
    ok, loss = call(mlp.loss, X, y)
    if ok:
        assert math.isfinite(loss) and loss >= 0
    ok, out = call(mlp.gradients, X, y)
    if ok:
        assert all(finite(g) for g in out[1])
    ok, loss = call(mlp.step, X, y, learning_rate)
    if ok:
        assert all(finite(w) for w in mlp.weights)


@given(st.one_of(st.integers(-2, 40), st.floats(), st.text(max_size=2)), st.one_of(st.integers(-2, 10), st.none()),
       st.one_of(st.none(), st.integers(-1, 5), st.floats()))
def test_batch_indices_any_input(n_samples, batch_size, seed):
    ok, batches = call(scratch.batch_indices, n_samples, batch_size, seed=seed)
    if ok:
        assert sorted(np.concatenate(batches).tolist()) == list(range(n_samples))
        assert len(batches) == math.ceil(n_samples / batch_size)


@given(SIZES)
def test_numpy_mlp_layer_sizes_any_input(sizes):
    ok, mlp = call(scratch.NumpyMLP, sizes)
    if ok:
        assert [W.shape for W, _ in mlp.layers] == list(zip(mlp.layer_sizes[:-1], mlp.layer_sizes[1:]))


# ------------------------------------------------------------------------------------------------- tips


@given(st.dictionaries(st.text(max_size=3), st.one_of(st.lists(st.integers(), max_size=3), st.integers(),
                                                       st.text(max_size=2)), max_size=3))
def test_expand_grid_any_input(grid):
    ok, configs = call(tips.expand_grid, grid)
    if ok:
        assert len(configs) == math.prod(len(v) for v in grid.values())


@given(st.one_of(st.lists(st.dictionaries(st.sampled_from(["a", "b"]), st.one_of(st.integers(), FLOATS,
                                                                                  st.text(max_size=3))),
                          max_size=3), array_like()),
       st.one_of(st.integers(-1, 13), st.floats()))
def test_format_table_any_input(rows, decimals):
    ok, text = call(tips.format_table, rows, decimals=decimals)
    if ok:
        assert len(text.splitlines()) == len(rows) + 2


@settings(max_examples=40)
@given(array_like(), array_like(), st.one_of(st.none(), st.integers(-1, 5)), st.one_of(st.booleans(), st.just(1)))
def test_to_dataset_any_input(X, y, batch_size, shuffle):
    ok, dataset = call(tips.to_dataset, X, y, batch_size=batch_size, shuffle=shuffle)
    if ok:
        n = sum(int(x.shape[0]) for x, _ in dataset)
        assert n == np.asarray(X).shape[0]
        assert all(finite(x) for x, _ in dataset)


@given(st.one_of(st.lists(FLOATS, min_size=0, max_size=3), array_like()),
       st.one_of(st.lists(st.lists(FLOATS, min_size=1, max_size=3), max_size=3), array_like()))
def test_learning_rate_sweep_result_any_input(rates, losses):
    ok, sweep = call(tips.LearningRateSweep, rates, losses)
    if ok:
        assert len(sweep.diverged) == len(sweep.learning_rates)
        best = sweep.best_learning_rate
        assert math.isnan(best) or best in sweep.learning_rates


@settings(max_examples=12)
@given(array_like(dtypes=st.sampled_from([np.float64, np.int64, np.bool_])), array_like())
def test_train_mlp_any_input(X, y):
    ok, history = call(tips.train_mlp, X, y, hidden=(2,), epochs=1, metrics=())
    if ok:
        assert history.diverged or finite(history.history["loss"])


def test_learning_rate_sweep_marks_every_run_that_diverged():
    # One sweep, not a generated one: each sweep traces a new training graph, which costs seconds.
    X, y = data.make_pattern_data(20, 3, seed=0)
    rates = [1e-3, 1.0, 1e30, 3e38]
    sweep = tips.learning_rate_sweep(X, y, rates, hidden=(2,), epochs=2, seed=0)
    assert sweep.diverged[0] is False and sweep.diverged[-2:] == (True, True)
    assert all(bad for curve, bad in zip(sweep.losses, sweep.diverged) if not finite(curve))
    assert tips.plot_learning_rate_sweep(sweep).axes


def test_grid_search_where_every_run_diverges_says_so():
    X, y = data.make_pattern_data(20, 3, seed=0)
    with pytest.warns(RuntimeWarning, match=r"all 1 configurations diverged"):
        result = tips.grid_search(X, y, X, y, {"learning_rate": [3e38]}, units=2, epochs=1, seed=0)
    assert result.best_model is None and result.diverged == ({"learning_rate": 3e38},)
    assert math.isnan(result.rows[0]["val_loss"])
    assert tips.plot_search_results(result).get_title()


def test_grid_search_ranks_diverged_runs_last_and_names_them():
    X, y = data.make_pattern_data(20, 3, seed=0)
    result = tips.grid_search(X, y, X, y, {"learning_rate": [3e38, 0.01]}, units=2, epochs=1, seed=0)
    assert [row["learning_rate"] for row in result.rows] == [0.01, 3e38]
    assert result.diverged == ({"learning_rate": 3e38},) and result.best_model is not None


@pytest.mark.parametrize("func, args", [
    (tips.train_mlp, ()),
    (tips.to_dataset, ()),
    (tips.learning_rate_sweep, ([0.1],)),
    (design.compare_optimizers, (["sgd"],)),
])
def test_values_beyond_float32_are_refused_at_the_door(func, args):
    X = np.array([[1e39, 0.0], [0.0, 1.0]])
    with pytest.raises(ValueError, match=r"X(_train)? holds values beyond float32's range"):
        func(X, np.array([0, 1]), *args)
