"""dlnotes.tips: datasets, seeded training, learning-rate sweeps, grid search, tables and plots."""

import math

import numpy as np
import pytest

from dlnotes import tips
from dlnotes.data import make_pattern_data

X4, Y4 = make_pattern_data(40, 3, seed=0)
SWEEP = tips.LearningRateSweep((0.01, 1.0, 100.0), ((0.7, 0.6), (0.7, 0.2), (0.7, math.nan)))
RESULT = tips.SearchResult(({"units": 8, "val_loss": 0.31}, {"units": 64, "val_loss": 0.25}), ("units",))

BAD_INPUTS = [
    # to_dataset
    (tips.to_dataset, (np.zeros((3, 2)), np.zeros(4)), {}, ValueError, r"X has 3 samples but y has 4"),
    (
        tips.to_dataset,
        (np.zeros((3, 2)), np.zeros(3)),
        {"batch_size": 0},
        ValueError,
        r"batch_size must be >= 1, got 0",
    ),
    (
        tips.to_dataset,
        (np.zeros((3, 2)), np.zeros(3)),
        {"shuffle": "yes"},
        TypeError,
        r"shuffle must be True or False, got 'yes'",
    ),
    (
        tips.to_dataset,
        (np.zeros(3), np.zeros(3)),
        {},
        ValueError,
        r"X must be 2-D, got an array of shape \(3,\)",
    ),
    # train_mlp
    (
        tips.train_mlp,
        (X4, Y4),
        {"learning_rate": 0.0},
        ValueError,
        r"learning_rate must be a positive, finite number such as 0\.001, got 0",
    ),
    (
        tips.train_mlp,
        (X4, Y4),
        {"learning_rate": -0.1},
        ValueError,
        r"learning_rate must be a positive, finite",
    ),
    (tips.train_mlp, (X4, Y4 + 1), {}, ValueError, r"y_train must contain only the labels 0 and 1"),
    (tips.train_mlp, (X4, Y4), {"hidden": 32}, TypeError, r"hidden must be a sequence .*write \(32,\)"),
    (
        tips.train_mlp,
        (X4, Y4),
        {"optimizer": "adagrad"},
        ValueError,
        r"optimizer must be one of \['sgd', 'momentum', 'adam'",
    ),
    (tips.train_mlp, (X4, Y4), {"dropout": 1.0}, ValueError, r"dropout must be in \[0, 1\), got 1"),
    (
        tips.train_mlp,
        (X4, Y4),
        {"validation_data": (np.zeros((5, 2)), np.zeros(5))},
        ValueError,
        r"X_val has 2 features but X_train has 3",
    ),
    (
        tips.train_mlp,
        (X4, Y4),
        {"validation_data": np.zeros((5, 3))},
        TypeError,
        r"validation_data must be a pair \(X_val, y_val\)",
    ),
    (
        tips.train_mlp,
        (X4, Y4),
        {"callbacks": ["stop"]},
        TypeError,
        r"callbacks\[0\] must be a Keras callback",
    ),
    (tips.train_mlp, (X4, Y4), {"metrics": "accuracy"}, TypeError, r"metrics must be a list of metric names"),
    (
        tips.train_mlp,
        (X4, Y4),
        {"activation": "wiggle"},
        ValueError,
        r"activation must be the name of a Keras",
    ),
    (tips.train_mlp, (X4, Y4), {"epochs": 0}, ValueError, r"epochs must be >= 1, got 0"),
    # LearningRateSweep
    (tips.LearningRateSweep, ((), ()), {}, ValueError, r"learning_rates is empty"),
    (
        tips.LearningRateSweep,
        ((0.1, 1.0), ((0.7, 0.6),)),
        {},
        ValueError,
        r"losses must hold one curve per learning rate: 2 learning rates but 1 curves",
    ),
    (
        tips.LearningRateSweep,
        ((0.1, 1.0), ((0.7, 0.6), (0.7,))),
        {},
        ValueError,
        r"losses must all have the same number of epochs",
    ),
    (tips.LearningRateSweep, ((0.0,), ((0.7,),)), {}, ValueError, r"learning_rates\[0\] must be a positive"),
    # learning_rate_sweep
    (tips.learning_rate_sweep, (X4, Y4, []), {}, ValueError, r"learning_rates is empty; give at least one"),
    (
        tips.learning_rate_sweep,
        (X4, Y4, [0.1, -1.0]),
        {},
        ValueError,
        r"learning_rates\[1\] must be a positive, finite number .*got -1",
    ),
    (
        tips.learning_rate_sweep,
        (X4, Y4, [0.1, float("inf")]),
        {},
        ValueError,
        r"learning_rates\[1\] must be a positive, finite number",
    ),
    (
        tips.learning_rate_sweep,
        (X4, Y4, 0.1),
        {},
        TypeError,
        r"learning_rates must be a list of positive numbers",
    ),
    (
        tips.learning_rate_sweep,
        (X4, Y4, np.array(0.1)),
        {},
        TypeError,  # was "iteration over a 0-d array"
        r"learning_rates must be a list of positive numbers .*got an array of shape \(\)",
    ),
    (
        tips.learning_rate_sweep,
        (X4, Y4, ["0.1"]),
        {},
        TypeError,
        r"learning_rates\[0\] must be a positive number",
    ),
    (tips.learning_rate_sweep, (X4, Y4[:-1], [0.1]), {}, ValueError, r"X has 40 samples but y has 39"),
    (tips.learning_rate_sweep, (X4, Y4, [0.1]), {"seed": -1}, ValueError, r"seed must be >= 0, got -1"),
    (
        tips.learning_rate_sweep,
        (X4, Y4, [0.1]),
        {"validation_data": (np.zeros((5, 2)), np.zeros(5))},
        ValueError,
        r"validation_data\[0\] has 2 features but X has 3",
    ),
    (
        tips.learning_rate_sweep,
        (X4, Y4, [0.1]),
        {"validation_data": np.zeros((5, 3))},
        TypeError,
        r"validation_data must be a pair \(X_val, y_val\)",
    ),
    (
        tips.LearningRateSweep,
        ((0.1, 1.0), ((0.7, 0.6), (0.7, 0.5)), "sgd", ((0.7, 0.6),)),
        {},
        ValueError,
        r"val_losses must be \(\) or hold one curve per learning rate: 2 learning rates but 1",
    ),
    (
        tips.LearningRateSweep,
        ((0.1,), ((0.7, 0.6),), "sgd", ((0.7,),)),
        {},
        ValueError,
        r"val_losses must have as many epochs as losses \(2\), got lengths \[1\]",
    ),
    (
        tips.LearningRateSweep,
        ((0.1,), ((0.7, 0.6),), "sgd", "0.7"),
        {},
        TypeError,
        r"val_losses must be \(\) or one curve per learning rate, got '0.7'",
    ),
    # plot_learning_rate_sweep
    (tips.plot_learning_rate_sweep, ({"lr": [0.1]},), {}, TypeError, r"sweep must be a LearningRateSweep"),
    (tips.plot_learning_rate_sweep, (SWEEP,), {"cap": 0.0}, ValueError, r"cap must be in \(0, inf\], got 0"),
    # expand_grid
    (tips.expand_grid, ({},), {}, ValueError, r"grid is empty; give at least one hyperparameter"),
    (
        tips.expand_grid,
        ({"units": []},),
        {},
        ValueError,
        r"grid\['units'\] is empty; give at least one value",
    ),
    (
        tips.expand_grid,
        ({"activation": "relu"},),
        {},
        TypeError,
        r"grid\['activation'\] must be a list of values, got 'relu'.*write \['relu'\]",
    ),
    (tips.expand_grid, ([("units", [8])],), {}, TypeError, r"grid must be a dict of name -> list of values"),
    (tips.expand_grid, ({1: [8]},), {}, TypeError, r"grid keys must be hyperparameter names \(str\)"),
    # SearchResult and its method
    (tips.SearchResult, ((), ("units",)), {}, ValueError, r"rows is empty; a search result needs"),
    (
        tips.SearchResult,
        (({"units": 8},), ("units",)),
        {},
        ValueError,
        r"rows\[0\] lacks the column\(s\) \['val_loss'\]",
    ),
    (
        tips.SearchResult,
        (({"units": 8, "val_loss": "low"},), ("units",)),
        {},
        TypeError,
        r"rows\[0\]\['val_loss'\] must be a number",
    ),
    (tips.SearchResult, ("rows", ("units",)), {}, TypeError, r"rows must be a sequence of dicts"),
    # (found by tests/test_properties.py: these failed inside, with messages naming no argument, or later in table())
    (
        tips.SearchResult,
        (({"units": 8, "val_loss": 0.3},), 3),
        {},
        TypeError,
        r"hyperparameters must be a sequence of column names such as \('units',\), got 3",
    ),
    (
        tips.SearchResult,
        (({"units": 8, "val_loss": 0.3},), ("units",), ["val_loss"]),
        {},
        TypeError,
        r"metric must be a column name such as 'val_loss', got \['val_loss'\]",
    ),
    (
        tips.SearchResult,
        (({"units": 8, "val_loss": 0.3}, {"units": 8, "lr": 0.1, "val_loss": 0.2}), ("units",)),
        {},
        ValueError,
        r"rows\[1\] has the columns \['lr', 'units', 'val_loss'\] but rows\[0\] has \['units', 'val_loss'\]",
    ),
    (
        tips.SearchResult,
        (({"units": 8, "val_loss": 10**400},), ("units",)),
        {},
        ValueError,
        r"rows\[0\]\['val_loss'\] is an integer too large for a float",
    ),
    (RESULT.table, (), {"decimals": -1}, ValueError, r"decimals must be >= 0, got -1"),
    (RESULT.table, (), {"decimals": 2.5}, TypeError, r"decimals must be an integer, got 2\.5"),
    # grid_search
    (tips.grid_search, (X4, Y4, X4, Y4, {}), {}, ValueError, r"grid is empty"),
    (
        tips.grid_search,
        (X4, Y4, X4, Y4, {"neurons": [8]}),
        {},
        ValueError,
        r"grid has unknown hyperparameter\(s\) \['neurons'\]; grid_search can vary \['layers'",
    ),
    (
        tips.grid_search,
        (X4, Y4, X4, Y4, {"units": [8, 0]}),
        {},
        ValueError,
        r"units in grid value \{'units': 0\} must be >= 1, got 0",
    ),
    (
        tips.grid_search,
        (X4, Y4, X4, Y4, {"learning_rate": [0.01, -1]}),
        {},
        ValueError,
        r"learning_rate in grid value \{'learning_rate': -1\} must be a positive",
    ),
    (
        tips.grid_search,
        (X4, Y4, X4, Y4, {"activation": ["relu", "wiggle"]}),
        {},
        ValueError,
        r"activation in grid value \{'activation': 'wiggle'\} must be the name of a Keras activation",
    ),
    (
        tips.grid_search,
        (X4, Y4, X4, Y4, {"units": [8, 16]}),
        {"n_iter": 3},
        ValueError,
        r"n_iter is 3 but the grid has only 2 combinations",
    ),
    (
        tips.grid_search,
        (X4, Y4, X4[:, :2], Y4, {"units": [8]}),
        {},
        ValueError,
        r"X_val has 2 features but X_train has 3",
    ),
    (
        tips.grid_search,
        (X4, Y4, X4, Y4[:-1], {"units": [8]}),
        {},
        ValueError,
        r"X_val has 40 samples but y_val has 39",
    ),
    # format_table
    (tips.format_table, ([],), {}, ValueError, r"rows is empty; there is nothing to format"),
    (tips.format_table, ([{"a": 1}, 5],), {}, TypeError, r"rows\[1\] must be a dict, got 5 \(int\)"),
    (
        tips.format_table,
        ([{"a": 1}],),
        {"columns": ["b"]},
        ValueError,
        r"rows\[0\] has no column\(s\) \['b'\]",
    ),
    (tips.format_table, ([{"a": 1}],), {"decimals": 20}, ValueError, r"decimals must be <= 12, got 20"),
    (tips.format_table, ({"a": 1},), {}, TypeError, r"rows must be a list of dicts, got \{'a': 1\}"),
    # plot_search_results
    (
        tips.plot_search_results,
        ([{"units": 8, "val_loss": 0.3}],),
        {},
        TypeError,
        r"result must be a SearchResult",
    ),
    # plot_histories
    (tips.plot_histories, ({},), {}, ValueError, r"histories must be a non-empty dict"),
    (
        tips.plot_histories,
        ({"run": {"loss": [0.5]}},),
        {"metric": "accuracy"},
        ValueError,
        r"histories\['run'\] has no 'accuracy'; it has \['loss'\]",
    ),
    (
        tips.plot_histories,
        ({"run": [0.5, 0.4]},),
        {},
        TypeError,
        r"histories\['run'\] must be a Keras History \(from model.fit\) or a dict of metric name",
    ),
    (
        tips.plot_histories,
        ({"run": {"loss": [0.5]}},),
        {"logy": "yes"},
        TypeError,
        r"logy must be True or False",
    ),
]


# ----------------------------------------------------------------------------------------------------
# to_dataset
# ----------------------------------------------------------------------------------------------------


def _epoch_order(dataset):
    return np.concatenate([x.numpy()[:, 0] for x, _ in dataset])


def test_to_dataset_batches_all_samples_as_float32():
    X = np.arange(20, dtype=float).reshape(10, 2)
    y = np.arange(10) % 2
    batches = list(tips.to_dataset(X, y, batch_size=4))
    assert [len(x) for x, _ in batches] == [4, 4, 2]
    assert batches[0][0].dtype.name == "float32" and batches[0][1].dtype.name == "float32"
    np.testing.assert_array_equal(_epoch_order(tips.to_dataset(X, y, batch_size=4)), X[:, 0])
    assert len(list(tips.to_dataset(X, y))) == 1  # full batch by default


def test_to_dataset_shuffle_is_seeded_and_changes_every_epoch():
    X = np.arange(200, dtype=float).reshape(100, 2)
    y = np.zeros(100)
    a = tips.to_dataset(X, y, batch_size=10, shuffle=True, seed=3)
    b = tips.to_dataset(X, y, batch_size=10, shuffle=True, seed=3)
    first, second = _epoch_order(a), _epoch_order(a)
    np.testing.assert_array_equal(first, _epoch_order(b))  # same seed, same first epoch
    np.testing.assert_array_equal(second, _epoch_order(b))  # and the same second epoch
    assert not np.array_equal(first, second)  # a new order every epoch
    assert sorted(first) == sorted(X[:, 0])
    other = _epoch_order(tips.to_dataset(X, y, batch_size=10, shuffle=True, seed=4))
    assert not np.array_equal(first, other)


# ----------------------------------------------------------------------------------------------------
# train_mlp
# ----------------------------------------------------------------------------------------------------


def test_train_mlp_is_reproducible_for_a_seed_and_differs_for_another():
    X, y = make_pattern_data(64, 4, seed=1)
    kwargs = dict(validation_data=(X[:16], y[:16]), hidden=(8,), dropout=0.2, epochs=3, batch_size=16)
    a = tips.train_mlp(X, y, seed=5, **kwargs).history
    b = tips.train_mlp(X, y, seed=5, **kwargs).history
    c = tips.train_mlp(X, y, seed=6, **kwargs).history
    assert a == b
    assert a["loss"] != c["loss"]
    assert sorted(a) == ["accuracy", "loss", "val_accuracy", "val_loss"]


def test_train_mlp_runs_exactly_the_keras_lines_it_documents():
    """The chapter says train_mlp is the explicit loop of its section 4.2; prove it."""
    from dlnotes._backend import import_keras
    from dlnotes.design import build_mlp

    keras = import_keras()
    X, y = make_pattern_data(50, 4, seed=2)
    history = tips.train_mlp(
        X, y, validation_data=(X, y), hidden=(6,), learning_rate=0.01, epochs=3, batch_size=16, seed=3
    )
    keras.utils.set_random_seed(3)
    model = build_mlp(4, hidden=(6,))
    model.compile(
        optimizer=keras.optimizers.Adam(learning_rate=0.01), loss="binary_crossentropy", metrics=["accuracy"]
    )
    explicit = model.fit(
        tips.to_dataset(X, y, batch_size=16, shuffle=True, seed=3),
        validation_data=tips.to_dataset(X, y),
        epochs=3,
        verbose=0,
        shuffle=False,
    )
    assert history.history == explicit.history
    for a, b in zip(history.model.get_weights(), model.get_weights()):
        np.testing.assert_array_equal(a, b)


def test_train_mlp_without_metrics_and_with_callbacks():
    from dlnotes._backend import import_keras

    keras = import_keras()
    seen = []
    log = keras.callbacks.LambdaCallback(on_epoch_end=lambda epoch, logs: seen.append(epoch))
    history = tips.train_mlp(X4, Y4, hidden=(4,), epochs=2, metrics=(), callbacks=[log], seed=0)
    assert list(history.history) == ["loss"]
    assert seen == [0, 1]


# ----------------------------------------------------------------------------------------------------
# Learning-rate sweep
# ----------------------------------------------------------------------------------------------------


def test_sweep_properties():
    assert SWEEP.final_losses[:2] == (0.6, 0.2) and math.isnan(SWEEP.final_losses[2])
    assert SWEEP.diverged == (False, False, True)
    assert SWEEP.best_learning_rate == 1.0
    climbing = tips.LearningRateSweep((0.1,), ((0.5, 0.9),))
    assert climbing.diverged == (True,) and math.isnan(climbing.best_learning_rate)


@pytest.mark.parametrize("optimizer", ["sgd", "adam"])
def test_sweep_resets_weights_and_optimizer_state_between_rates(optimizer):
    """A rate's curve must not depend on which rates ran before it in the same sweep."""
    X, y = make_pattern_data(60, 4, seed=0)
    both = tips.learning_rate_sweep(X, y, [0.5, 0.05], hidden=(8,), optimizer=optimizer, epochs=4, seed=1)
    alone = tips.learning_rate_sweep(X, y, [0.05], hidden=(8,), optimizer=optimizer, epochs=4, seed=1)
    assert both.losses[1] == alone.losses[0]
    assert both.losses[0][0] == both.losses[1][0]  # the same initial weights
    assert both.optimizer == optimizer


def test_sweep_is_reproducible_and_records_divergence_as_nan():
    X, y = make_pattern_data(60, 4, seed=0)
    a = tips.learning_rate_sweep(X, y, [0.001, 1e20], hidden=(8,), epochs=6, seed=2)
    b = tips.learning_rate_sweep(X, y, [0.001, 1e20], hidden=(8,), epochs=6, seed=2)
    np.testing.assert_array_equal(np.array(a.losses), np.array(b.losses))  # NaN == NaN here
    assert np.isfinite(a.losses[1][0]) and np.isnan(a.losses[1][1:]).all()  # padded after the blow-up
    assert len(a.losses[1]) == 6
    assert a.diverged == (False, True) and math.isnan(a.final_losses[1])
    assert a.best_learning_rate == 0.001


def test_sweep_chooses_by_validation_loss_when_it_has_it():
    """Training loss favours the rate that fits hardest; the validation loss decides when it is there."""
    sweep = tips.LearningRateSweep(
        (0.1, 1.0, 10.0),
        ((0.7, 0.3), (0.7, 0.1), (0.7, math.nan)),
        val_losses=((0.7, 0.35), (0.7, 0.5), (0.7, math.nan)),
    )
    assert sweep.best_learning_rate == 0.1 and sweep.chosen_by == "validation loss"
    assert sweep.final_val_losses[:2] == (0.35, 0.5) and math.isnan(sweep.final_val_losses[2])
    without = tips.LearningRateSweep(sweep.learning_rates, sweep.losses)
    assert without.best_learning_rate == 1.0 and without.chosen_by == "training loss"
    assert without.val_losses == () and without.final_val_losses == ()


def test_sweep_records_validation_loss_as_fit_does():
    X, y = make_pattern_data(80, 4, seed=0)
    plain = tips.learning_rate_sweep(X[:60], y[:60], [0.1, 1.0], hidden=(8,), epochs=4, seed=3)
    checked = tips.learning_rate_sweep(
        X[:60], y[:60], [0.1, 1.0], hidden=(8,), epochs=4, seed=3, validation_data=(X[60:], y[60:])
    )
    assert checked.losses == plain.losses  # validation does not change the training
    assert plain.val_losses == () and len(checked.val_losses) == 2
    assert all(len(c) == 4 for c in checked.val_losses)
    # the last validation loss is the final model's loss on the validation set, as evaluate computes it
    history = tips.train_mlp(
        X[:60],
        y[:60],
        validation_data=(X[60:], y[60:]),
        hidden=(8,),
        optimizer="sgd",
        learning_rate=1.0,
        batch_size=None,
        epochs=4,
        metrics=(),
        seed=3,
    )
    assert checked.val_losses[1] == pytest.approx(tuple(history.history["val_loss"]), rel=1e-5)


def test_sweep_with_mini_batches_runs_every_epoch():
    X, y = make_pattern_data(60, 4, seed=0)
    sweep = tips.learning_rate_sweep(X, y, [0.01], hidden=(4,), epochs=3, batch_size=16, seed=0)
    assert len(sweep.losses[0]) == 3 and all(np.isfinite(sweep.losses[0]))


def test_plot_learning_rate_sweep_has_titles_labels_and_caps_divergence():
    fig = tips.plot_learning_rate_sweep(SWEEP, cap=1.0)
    left, right = fig.axes
    for ax in (left, right):
        assert ax.get_title() and ax.get_xlabel() and ax.get_ylabel()
    assert left.get_xscale() == "log"
    assert left.get_ylim()[1] == pytest.approx(1.05)
    crosses = [c for c in left.collections if c.get_label() == "diverged"]
    assert len(crosses) == 1 and crosses[0].get_offsets()[0][1] == pytest.approx(1.0)  # drawn at the cap
    assert all(np.nanmax(line.get_ydata()) <= 1.0 for line in right.get_lines())


def test_plot_learning_rate_sweep_shows_validation_loss_and_what_chose_the_best():
    sweep = tips.LearningRateSweep((0.1, 1.0), ((0.7, 0.3), (0.7, 0.1)), val_losses=((0.7, 0.35), (0.7, 0.5)))
    left, _ = tips.plot_learning_rate_sweep(sweep).axes
    labels = [line.get_label() for line in left.get_lines()]
    assert "validation loss" in labels and "best by validation loss: 0.1" in labels
    val_line = left.get_lines()[labels.index("validation loss")]
    assert list(val_line.get_ydata()) == [0.35, 0.5]


# ----------------------------------------------------------------------------------------------------
# Grid search and tables
# ----------------------------------------------------------------------------------------------------


def test_expand_grid_gives_every_combination_last_key_fastest():
    combos = tips.expand_grid({"a": [1, 2, 3], "b": ["x", "y"]})
    assert len(combos) == 6
    assert combos[:3] == [{"a": 1, "b": "x"}, {"a": 1, "b": "y"}, {"a": 2, "b": "x"}]


def test_search_result_sorts_ranks_and_reports_best():
    result = tips.SearchResult(
        ({"units": 8, "val_loss": 0.3}, {"units": 16, "val_loss": math.nan}, {"units": 64, "val_loss": 0.2}),
        ("units",),
    )
    assert [row["units"] for row in result.rows] == [64, 8, 16]  # NaN last
    assert [row["rank"] for row in result.rows] == [1, 2, 3]
    assert result.best_params == {"units": 64}
    assert result.table().splitlines()[-1].split() == ["3", "16", "nan"]


def test_grid_search_is_reproducible_sorted_and_scores_like_evaluate():
    X, y = make_pattern_data(120, 4, noise=0.1, seed=0)
    grid = {"layers": [0, 1], "activation": ["relu", "tanh"]}
    kwargs = dict(units=8, epochs=3, batch_size=32, learning_rate=0.01, seed=4)
    a = tips.grid_search(X[:80], y[:80], X[80:], y[80:], grid, **kwargs)
    b = tips.grid_search(X[:80], y[:80], X[80:], y[80:], grid, **kwargs)
    assert a.rows == b.rows
    assert len(a.rows) == 4 and a.hyperparameters == ("layers", "activation")
    losses = [row["val_loss"] for row in a.rows]
    assert losses == sorted(losses)
    assert {row["params"] for row in a.rows} == {5, 49}  # 4 inputs -> 1 unit, or 4 -> 8 -> 1
    loss, accuracy = a.best_model.evaluate(tips.to_dataset(X[80:], y[80:]), verbose=0)
    assert loss == pytest.approx(a.rows[0]["val_loss"], rel=1e-6)
    assert accuracy == pytest.approx(a.rows[0]["val_accuracy"], abs=1e-6)


def test_grid_search_random_subset_is_seeded():
    X, y = make_pattern_data(60, 3, seed=0)
    grid = {"units": [2, 3, 4, 5], "activation": ["relu", "tanh"]}
    kwargs = dict(n_iter=3, epochs=1, batch_size=None)
    a = tips.grid_search(X[:40], y[:40], X[40:], y[40:], grid, seed=0, **kwargs)
    b = tips.grid_search(X[:40], y[:40], X[40:], y[40:], grid, seed=0, **kwargs)
    tried = sorted((r["units"], r["activation"]) for r in a.rows)
    assert len(tried) == 3 and len(set(tried)) == 3
    assert tried == sorted((r["units"], r["activation"]) for r in b.rows)
    assert all(dict(units=u, activation=act) in tips.expand_grid(grid) for u, act in tried)


def test_format_table_aligns_and_rounds():
    rows = [{"name": "relu", "n": 7, "loss": 0.123456}, {"name": "tanh", "n": 12, "loss": math.nan}]
    text = tips.format_table(rows, decimals=2)
    assert text.splitlines() == [
        "name   n  loss",
        "----  --  ----",
        "relu   7  0.12",
        "tanh  12   nan",
    ]
    assert tips.format_table(rows, columns=["loss"]).splitlines()[2] == "0.1235"


def test_plot_search_results_puts_the_best_on_top():
    ax = tips.plot_search_results(RESULT)
    assert ax.get_title() and ax.get_xlabel() == "validation loss" and ax.get_ylabel()
    labels = [t.get_text() for t in ax.get_yticklabels()]
    positions = list(ax.get_yticks())
    assert labels[int(np.argmax(positions))] == "units=64"
    assert [round(p.get_width(), 2) for p in ax.patches] == [0.25, 0.31]


def test_plot_search_results_with_infinite_or_huge_scores_keeps_finite_limits():
    # Found by tests/test_properties.py: an infinite or 1e308 score gave an infinite x limit, which
    # Matplotlib refuses ("Axis limits cannot be NaN or Inf").
    result = tips.SearchResult(
        ({"units": 1, "val_loss": math.inf}, {"units": 2, "val_loss": 1e308}, {"units": 3, "val_loss": 0.5}),
        ("units",),
    )
    ax = tips.plot_search_results(result)
    assert all(math.isfinite(v) for v in ax.get_xlim())
    assert [t.get_text() for t in ax.texts] == [" 0.5000", " 1e+308", " diverged"]
    ax.figure.canvas.draw()


def test_plot_histories_marks_the_best_validation_epoch():
    fig = tips.plot_histories(
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


def test_grid_search_of_six_configurations_prints_no_retracing_warning():
    code = (
        "from dlnotes import tips\n"
        "from dlnotes.data import make_pattern_data\n"
        "X, y = make_pattern_data(24, 3, seed=0)\n"
        "r = tips.grid_search(X, y, X, y, {'units': [1, 2, 3], 'activation': ['relu', 'tanh']}, epochs=1, seed=0)\n"
        "print(len(r.rows))\n"
    )
    import subprocess
    import sys

    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert result.stdout.strip() == "6"
    assert "retracing" not in result.stderr, result.stderr
