"""dlnotes.search: grid and random search, their result and the text table."""

import dataclasses
import math

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st

from dlnotes import data, search, training
from dlnotes.data import make_pattern_data

X4, Y4 = make_pattern_data(40, 3, seed=0)
RUNS = search.Runs((0, 1, 2), ({"val_loss": 0.3}, {"val_loss": 0.5}, {"val_loss": 0.4}))
DIVERGED = search.Runs((0, 1), ({"val_loss": 0.3}, {"val_loss": float("nan")}))
RESULT = search.SearchResult(({"units": 8, "val_loss": 0.31}, {"units": 64, "val_loss": 0.25}), ("units",))


_X_DOOR, _Y_DOOR = make_pattern_data(20, 3, seed=0)
_DOOR_DATA = (_X_DOOR[:12], _Y_DOOR[:12])
_DOOR_VALIDATION = {"validation_data": (_X_DOOR[12:], _Y_DOOR[12:])}

# What one argument can get wrong on its own is declared beside each signature (@checked), and
# tests/test_api.py generates those bad-input cases. Kept here: what needs two arguments (the data, what
# a table's columns are), what the declarations cannot say (SearchResult's rows), and messages whose
# wording is the lesson.
BAD_INPUTS = [
    # expand_grid: the hint for a single value
    (
        search.expand_grid,
        ({"activation": "relu"},),
        {},
        TypeError,
        r"grid\['activation'\] must be a list of values, got 'relu'.*write \['relu'\]",
    ),
    # SearchResult
    (search.SearchResult, ((), ("units",)), {}, ValueError, r"rows is empty; a search result needs"),
    (
        search.SearchResult,
        (({"units": 8},), ("units",)),
        {},
        ValueError,
        r"rows\[0\] lacks the column\(s\) \['val_loss'\]",
    ),
    (
        search.SearchResult,
        (({"units": 8, "val_loss": "low"},), ("units",)),
        {},
        TypeError,
        r"rows\[0\]\['val_loss'\] must be a number",
    ),
    (search.SearchResult, ("rows", ("units",)), {}, TypeError, r"rows must be a sequence of dicts"),
    # (found by tests/test_properties.py: these failed inside, with messages naming no argument, or later in table())
    (
        search.SearchResult,
        (({"units": 8, "val_loss": 0.3},), 3),
        {},
        TypeError,
        r"hyperparameters must be a sequence of column names such as \('units',\), got 3",
    ),
    (
        search.SearchResult,
        (({"units": 8, "val_loss": 0.3},), ("units",), ["val_loss"]),
        {},
        TypeError,
        r"metric must be a column name such as 'val_loss', got \['val_loss'\]",
    ),
    (
        search.SearchResult,
        (({"units": 8, "val_loss": 0.3}, {"units": 8, "lr": 0.1, "val_loss": 0.2}), ("units",)),
        {},
        ValueError,
        r"rows\[1\] has the columns \['lr', 'units', 'val_loss'\] but rows\[0\] has \['units', 'val_loss'\]",
    ),
    (
        search.SearchResult,
        (({"units": 8, "val_loss": 10**400},), ("units",)),
        {},
        ValueError,
        r"rows\[0\]\['val_loss'\] is an integer too large for a float",
    ),
    # SearchResult's mode: which way the metric is better (dlnotes.metrics.metric_direction)
    (
        search.SearchResult,
        (({"units": 8, "score": 0.3},), ("units",), "score"),
        {},
        ValueError,
        r"metric 'score': dlnotes cannot tell whether it is better low or high .*pass mode='min'",
    ),
    (
        search.SearchResult,
        (({"units": 8, "val_loss": 0.3},), ("units",)),
        {"mode": "lowest"},
        ValueError,
        r"mode must be one of \['auto', 'min', 'max'\], got 'lowest'",
    ),
    (
        search.SearchResult,
        (({"units": 8, "val_loss": 0.3},), ("units",)),
        {"mode": False},
        TypeError,
        r"mode must be a string, one of \['auto', 'min', 'max'\], got False",
    ),
    # grid_search
    (
        search.grid_search,
        (X4, Y4, {"neurons": [8]}),
        {"validation_data": (X4, Y4)},
        ValueError,
        r"grid has unknown hyperparameter\(s\) \['neurons'\]; grid_search can vary \['layers'",
    ),
    (
        search.grid_search,
        (X4, Y4, {"units": [8, 0]}),
        {"validation_data": (X4, Y4)},
        ValueError,
        r"units in grid value \{'units': 0\} must be >= 1, got 0",
    ),
    (
        search.grid_search,
        (X4, Y4, {"learning_rate": [0.01, -1]}),
        {"validation_data": (X4, Y4)},
        ValueError,
        r"learning_rate in grid value \{'learning_rate': -1\} must be a positive",
    ),
    (
        search.grid_search,
        (X4, Y4, {"activation": ["relu", "wiggle"]}),
        {"validation_data": (X4, Y4)},
        ValueError,
        r"activation in grid value \{'activation': 'wiggle'\} must be the name of a Keras activation",
    ),
    (
        search.grid_search,
        (X4, Y4, {"units": [8, 16]}),
        {"validation_data": (X4, Y4), "n_iter": 3},
        ValueError,
        r"n_iter is 3 but the grid has only 2 combinations",
    ),
    (
        search.grid_search,
        (X4, Y4, {"units": [8]}),
        {"validation_data": (X4[:, :2], Y4)},
        ValueError,
        r"validation_data\[0\] has 2 features but X has 3",
    ),
    (
        search.grid_search,
        (X4, Y4, {"units": [8]}),
        {"validation_data": (X4, Y4[:-1])},
        ValueError,
        r"validation_data\[0\] has 40 samples but validation_data\[1\] has 39",
    ),
    # format_table
    (
        search.format_table,
        ([{"a": 1}],),
        {"columns": ["b"]},
        ValueError,
        r"rows\[0\] has no column\(s\) \['b'\]",
    ),
    (
        search.format_table,
        ([{"a": 1.0}],),
        {"decimals": {"b": 2}},
        ValueError,
        r"decimals names column\(s\) \['b'\] that the table does not show; its columns are \['a'\]",
    ),
    # repeated runs: repeat_runs, cross_validate and their Runs
    (search.repeat_runs, (float,), {"seeds": [0]}, ValueError, r"seeds must hold at least 2 seeds"),
    (search.repeat_runs, (float,), {"seeds": [1, 1]}, ValueError, r"seeds must be distinct"),
    (
        search.repeat_runs,
        (lambda seed: 10**400,),
        {},
        ValueError,
        r"the run 0 returned an integer too large for a float",
    ),
    (search.repeat_runs, (str,), {}, TypeError, r"run must return a number or a non-empty dict.*'0' \(str\)"),
    (search.repeat_runs, (lambda s: {"a": s} if s else {"b": s},), {}, ValueError, r"the same names"),
    (search.cross_validate, (len, X4, Y4[:-1]), {}, ValueError, r"X has 40 samples but y has 39"),
    (search.cross_validate, (len, X4, Y4), {"n_folds": 41}, ValueError, r"n_folds must be <= 40, got 41"),
    (
        search.cross_validate,
        (len, X4, Y4 + 0.5),
        {},
        ValueError,
        r"y holds continuous values.*stratify=False",
    ),
    (
        search.cross_validate,
        (len, X4, [0] * 39 + [1]),
        {},
        ValueError,
        r"one in each of n_folds=5 folds\), but y has 1 sample\(s\) of class\(es\) 1: .*use fewer folds",
    ),
    (search.Runs, ((0,), ({"a": 1.0},)), {}, ValueError, r"at least 2 runs"),
    (search.Runs, ((0, 1), "ab"), {}, TypeError, r"scores must be a sequence"),
    (search.Runs, ((0, 1), ({"a": 1.0}, {"a": "x"})), {}, TypeError, r"scores\[1\] must be a number or"),
    (RUNS.values, ("val_acc",), {}, ValueError, r"metric must be one of the runs' scores \['val_loss'\]"),
    (RUNS.mean, ("loss",), {}, ValueError, r"metric must be one of"),
    (DIVERGED.mean, ("val_loss",), {}, ValueError, r"NaN or infinite in the run\(s\) \[1\]"),
]

# Issue 24: a misspelt activation in the grid or as the default is refused before any training.
BAD_INPUTS += [
    (
        search.grid_search,
        (*_DOOR_DATA, {"activation": ["relu", "tahn"]}),
        {**_DOOR_VALIDATION},
        ValueError,
        r"activation in grid value .*'tahn' \(did you mean 'tanh'.*Keras knows",
    ),
    (
        search.grid_search,
        (*_DOOR_DATA, {"units": [2]}),
        {**_DOOR_VALIDATION, "activation": "Relu"},
        ValueError,
        r"activation .*'relu'",
    ),
]


# Issue 23: grid_search varies or holds fixed any keyword of train_mlp that defines a run.
BAD_INPUTS += [
    (
        search.grid_search,
        (*_DOOR_DATA, {"units": [2]}),
        {**_DOOR_VALIDATION, "neurons": 4},
        TypeError,
        r"unexpected keyword argument 'neurons': it is not a keyword of train_mlp; .* hold fixed: \['layers'",
    ),
    (
        search.grid_search,
        (*_DOOR_DATA, {"units": [2]}),
        {**_DOOR_VALIDATION, "epoch": 4},
        TypeError,
        r"'epoch'.*\(did you mean 'epochs'\?\)",
    ),
    (
        search.grid_search,
        (*_DOOR_DATA, {"units": [2]}),
        {**_DOOR_VALIDATION, "metrics": ["auc"]},
        TypeError,
        r"'metrics': the runs are scored by grid_search itself",
    ),
    (
        search.grid_search,
        (*_DOOR_DATA, {"units": [2]}),
        {**_DOOR_VALIDATION, "callbacks": []},
        TypeError,
        r"'callbacks': a callback object",
    ),
    (
        search.grid_search,
        (*_DOOR_DATA, {"units": [2]}),
        {**_DOOR_VALIDATION, "units": 4},
        ValueError,
        r"\['units'\] are both varied by grid and held fixed",
    ),
    (
        search.grid_search,
        (*_DOOR_DATA, {"hidden": [(2,)]}),
        {**_DOOR_VALIDATION, "units": 4},
        ValueError,
        r"give the hidden layers twice, as hidden and as \['units'\]: give either hidden",
    ),
    (
        search.grid_search,
        (*_DOOR_DATA, {"hidden": [(2,)], "layers": [1]}),
        {**_DOOR_VALIDATION},
        ValueError,
        r"as hidden and as \['layers'\]",
    ),
    (
        search.grid_search,
        (*_DOOR_DATA, {"hidden": [(2,), 3]}),
        {**_DOOR_VALIDATION},
        TypeError,
        r"hidden in grid value \{'hidden': 3\} must be a sequence of integers .*write \(3,\)",
    ),
    (
        search.grid_search,
        (*_DOOR_DATA, {"optimizer": ["adam", "adamw"]}),
        {**_DOOR_VALIDATION},
        ValueError,
        r"optimizer in grid value \{'optimizer': 'adamw'\}",
    ),
    (
        search.grid_search,
        (*_DOOR_DATA, {"epochs": [1, 0]}),
        {**_DOOR_VALIDATION},
        ValueError,
        r"epochs in grid value \{'epochs': 0\} must be >= 1",
    ),
    (
        search.grid_search,
        (*_DOOR_DATA, {"units": [2]}),
        {**_DOOR_VALIDATION, "batch_size": 0},
        ValueError,
        r"batch_size must be >= 1, got 0",
    ),
    (
        search.grid_search,
        (*_DOOR_DATA, {"unit": [2]}),
        {**_DOOR_VALIDATION},
        ValueError,
        r"\['unit'\] \(did you mean 'units'\?\)",
    ),
]


# ----------------------------------------------------------------------------------------------------
# Grid search and tables
# ----------------------------------------------------------------------------------------------------
def test_expand_grid_gives_every_combination_last_key_fastest():
    combos = search.expand_grid({"a": [1, 2, 3], "b": ["x", "y"]})
    assert len(combos) == 6
    assert combos[:3] == [{"a": 1, "b": "x"}, {"a": 1, "b": "y"}, {"a": 2, "b": "x"}]


def test_search_result_sorts_ranks_and_reports_best():
    result = search.SearchResult(
        ({"units": 8, "val_loss": 0.3}, {"units": 16, "val_loss": math.nan}, {"units": 64, "val_loss": 0.2}),
        ("units",),
    )
    assert [row["units"] for row in result.rows] == [64, 8, 16]  # NaN last
    assert [row["rank"] for row in result.rows] == [1, 2, 3]
    assert result.best_params == {"units": 64}
    assert result.table().splitlines()[-1].split() == ["3", "16", "nan"]


def test_search_result_ranks_an_accuracy_highest_first():
    """Issue 24: ranked by val_accuracy, a column grid_search writes, the worst configuration used to win."""
    rows = (
        {"units": 8, "val_loss": 0.4, "val_accuracy": 0.80},
        {"units": 16, "val_loss": math.nan, "val_accuracy": math.nan},
        {"units": 32, "val_loss": 0.3, "val_accuracy": 0.95},
        {"units": 64, "val_loss": 0.2, "val_accuracy": 0.90},
    )
    result = search.SearchResult(rows, ("units",), metric="val_accuracy")
    assert result.mode == "auto"
    assert result.best_params == {"units": 32}
    assert [row["units"] for row in result.rows] == [32, 64, 8, 16]  # highest first, the diverged run last
    assert [row["rank"] for row in result.rows] == [1, 2, 3, 4]
    assert result.diverged == ({"units": 16},)
    assert [line.split()[:2] for line in result.table().splitlines()[2:]] == [
        ["1", "32"],
        ["2", "64"],
        ["3", "8"],
        ["4", "16"],
    ]
    by_loss = search.SearchResult(result.rows, ("units",))  # ranked again, by the default val_loss
    assert [row["units"] for row in by_loss.rows] == [64, 32, 8, 16]
    # mode is kept as given, so a copy with another metric ranks in that metric's direction
    assert dataclasses.replace(by_loss, metric="val_accuracy").rows == result.rows


def test_search_result_takes_a_mode_for_a_column_it_cannot_know():
    rows = ({"units": 8, "speed": 3.0}, {"units": 64, "speed": 5.0}, {"units": 16, "speed": 5.0})
    fastest = search.SearchResult(rows, ("units",), "speed", mode="max")
    assert [row["units"] for row in fastest.rows] == [64, 16, 8]  # a tie keeps the given order
    assert search.SearchResult(rows, ("units",), "speed", mode="min").best_params == {"units": 8}
    assert search.SearchResult(rows, ("units",), "units", mode="max").best_params == {"units": 64}
    # an explicit mode wins over the table, as in Keras's EarlyStopping
    by_units = ({"units": 8, "val_loss": 0.2}, {"units": 64, "val_loss": 0.3})
    assert search.SearchResult(by_units, ("units",), mode="max").best_params == {"units": 64}


def test_grid_search_is_reproducible_sorted_and_scores_like_evaluate():
    X, y = make_pattern_data(120, 4, noise=0.1, seed=0)
    grid = {"layers": [0, 1], "activation": ["relu", "tanh"]}
    kwargs = dict(units=8, epochs=3, batch_size=32, learning_rate=0.01, seed=4)
    a = search.grid_search(X[:80], y[:80], grid, validation_data=(X[80:], y[80:]), **kwargs)
    b = search.grid_search(X[:80], y[:80], grid, validation_data=(X[80:], y[80:]), **kwargs)
    assert a.rows == b.rows
    assert len(a.rows) == 4 and a.hyperparameters == ("layers", "activation")
    losses = [row["val_loss"] for row in a.rows]
    assert losses == sorted(losses)
    assert {row["params"] for row in a.rows} == {5, 49}  # 4 inputs -> 1 unit, or 4 -> 8 -> 1
    loss, accuracy = a.best_model.evaluate(data.to_dataset(X[80:], y[80:]), verbose=0)
    assert loss == pytest.approx(a.rows[0]["val_loss"], rel=1e-6)
    assert accuracy == pytest.approx(a.rows[0]["val_accuracy"], abs=1e-6)


def test_grid_search_random_subset_is_seeded():
    X, y = make_pattern_data(60, 3, seed=0)
    grid = {"units": [2, 3, 4, 5], "activation": ["relu", "tanh"]}
    kwargs = dict(n_iter=3, epochs=1, batch_size=None)
    a = search.grid_search(X[:40], y[:40], grid, validation_data=(X[40:], y[40:]), seed=0, **kwargs)
    b = search.grid_search(X[:40], y[:40], grid, validation_data=(X[40:], y[40:]), seed=0, **kwargs)
    tried = sorted((r["units"], r["activation"]) for r in a.rows)
    assert len(tried) == 3 and len(set(tried)) == 3
    assert tried == sorted((r["units"], r["activation"]) for r in b.rows)
    assert all(dict(units=u, activation=act) in search.expand_grid(grid) for u, act in tried)


def test_format_table_aligns_and_rounds():
    rows = [{"name": "relu", "n": 7, "loss": 0.123456}, {"name": "tanh", "n": 12, "loss": math.nan}]
    text = search.format_table(rows, decimals=2)
    assert text.splitlines() == [
        "name   n  loss",
        "----  --  ----",
        "relu   7  0.12",
        "tanh  12   nan",
    ]
    assert search.format_table(rows, columns=["loss"]).splitlines()[2] == "0.1235"
    assert search.format_table(rows, columns=["loss"], decimals={"loss": 1}).splitlines()[2] == " 0.1"


def test_grid_search_of_six_configurations_prints_no_retracing_warning():
    code = (
        "from dlnotes import search\n"
        "from dlnotes.data import make_pattern_data\n"
        "X, y = make_pattern_data(24, 3, seed=0)\n"
        "grid = {'units': [1, 2, 3], 'activation': ['relu', 'tanh']}\n"
        "r = search.grid_search(X, y, grid, validation_data=(X, y), epochs=1, seed=0)\n"
        "print(len(r.rows))\n"
    )
    import subprocess
    import sys

    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert result.stdout.strip() == "6"
    assert "retracing" not in result.stderr, result.stderr


# ----------------------------------------------------------------------------------- repeated runs
def test_repeat_runs_calls_run_once_per_seed_in_order():
    seen = []
    runs = search.repeat_runs(lambda seed: seen.append(seed) or {"val_loss": seed / 10}, seeds=[3, 1, 2])
    assert seen == [3, 1, 2] and runs.labels == (3, 1, 2)
    assert runs.values("val_loss").tolist() == [0.3, 0.1, 0.2]
    assert runs.mean("val_loss") == pytest.approx(0.2)
    assert runs.standard_error("val_loss") == pytest.approx(0.1 / math.sqrt(3))


def test_a_number_is_named_score():
    runs = search.repeat_runs(lambda seed: seed, seeds=[0, 2])
    assert runs.metrics == ("score",) and runs.mean() == 1.0


def test_cross_validate_uses_every_sample_once_and_keeps_the_classes_and_dtypes():
    y = np.array([0] * 30 + [1] * 10)
    X = np.arange(80).reshape(40, 2)
    seen = []

    def run(X_train, y_train, X_val, y_val):
        seen.append((X_train.copy(), y_train.copy(), X_val.copy(), y_val.copy()))
        return {"positives": float(y_val.sum()), "n": float(len(y_val))}

    runs = search.cross_validate(run, X, y, n_folds=5, seed=0)
    assert runs.labels == (1, 2, 3, 4, 5)
    assert runs.values("positives").tolist() == [2.0] * 5  # stratified: each fold keeps 1 in 4
    validation_rows = np.concatenate([X_val[:, 0] for _, _, X_val, _ in seen])
    assert sorted(validation_rows.tolist()) == X[:, 0].tolist()  # every sample validates exactly once
    for X_train, y_train, X_val, _ in seen:
        assert not set(X_train[:, 0]) & set(X_val[:, 0])
        assert X_train.dtype == X.dtype and y_train.dtype == y.dtype


def test_cross_validate_matches_scikit_learn_folds():
    from sklearn.model_selection import KFold, StratifiedKFold

    X, y = make_pattern_data(30, 2, seed=1)
    firsts = []
    search.cross_validate(
        lambda X_tr, y_tr, X_val, y_val: firsts.append(X_val[0, 0]) or 0.0, X, y, n_folds=3, seed=4
    )
    expected = [X[val][0, 0] for _, val in StratifiedKFold(3, shuffle=True, random_state=4).split(X, y)]
    assert firsts == expected
    firsts.clear()
    search.cross_validate(
        lambda X_tr, y_tr, X_val, y_val: firsts.append(X_val[0, 0]) or 0.0,
        X,
        y + 0.5,
        n_folds=3,
        seed=4,
        stratify=False,
    )
    assert firsts == [X[val][0, 0] for _, val in KFold(3, shuffle=True, random_state=4).split(X)]


@given(st.lists(st.floats(-1e6, 1e6), min_size=2, max_size=12))
def test_mean_and_standard_error_are_numpys(values):
    runs = search.repeat_runs(lambda seed: values[seed], seeds=list(range(len(values))))
    assert runs.mean() == pytest.approx(np.mean(values), rel=1e-9, abs=1e-9)
    expected = np.std(values, ddof=1) / math.sqrt(len(values))
    assert runs.standard_error() == pytest.approx(expected, rel=1e-9, abs=1e-9)
    assert runs.standard_error() >= 0


@given(
    st.lists(st.floats(allow_nan=True, allow_infinity=True), min_size=2, max_size=6),
)
def test_a_non_finite_run_is_never_averaged_silently(values):
    runs = search.repeat_runs(lambda seed: values[seed], seeds=list(range(len(values))))
    if all(math.isfinite(v) for v in values):
        assert math.isfinite(runs.mean())
    else:
        with pytest.raises(ValueError, match="NaN or infinite"):
            runs.mean()
        with pytest.raises(ValueError, match="NaN or infinite"):
            runs.standard_error()


@given(
    st.integers(2, 5),
    st.integers(0, 2**32 - 1),
    st.lists(st.integers(0, 2), min_size=15, max_size=40),
)
def test_folds_partition_the_samples_for_any_labels(n_folds, seed, labels):
    y = np.array(labels)
    X = np.arange(len(y), dtype=float).reshape(-1, 1)
    validated = []
    try:
        runs = search.cross_validate(
            lambda X_tr, y_tr, X_val, y_val: validated.extend(X_val[:, 0]) or float(len(X_tr) + len(X_val)),
            X,
            y,
            n_folds=n_folds,
            seed=seed,
        )
    except ValueError as error:  # only a class smaller than n_folds is refused, and it says so
        assert np.unique(y, return_counts=True)[1].min() < n_folds, error
        assert f"one in each of n_folds={n_folds} folds" in str(error)
        return
    assert sorted(validated) == X[:, 0].tolist()
    assert runs.values().tolist() == [float(len(y))] * n_folds


def test_grid_search_varies_any_keyword_of_train_mlp_and_matches_it():
    """Issue 23: hidden, optimizer, epochs and batch_size can be searched; each row's scores are those of
    train_mlp called with that configuration, the fixed keywords and the same seed."""
    X, y = make_pattern_data(60, 3, seed=1)
    grid = {"hidden": [(4,), (4, 4)], "optimizer": ["sgd", "adam"], "epochs": [2]}
    result = search.grid_search(
        X[:40], y[:40], grid, validation_data=(X[40:], y[40:]), learning_rate=0.05, batch_size=None, seed=3
    )
    assert len(result.rows) == 4 and {tuple(r["hidden"]) for r in result.rows} == {(4,), (4, 4)}
    row = next(r for r in result.rows if r["hidden"] == (4, 4) and r["optimizer"] == "sgd")
    history = training.train_mlp(
        X[:40],
        y[:40],
        validation_data=(X[40:], y[40:]),
        hidden=(4, 4),
        optimizer="sgd",
        epochs=2,
        learning_rate=0.05,
        batch_size=None,
        seed=3,
    )
    assert row["val_loss"] == pytest.approx(history.history["val_loss"][-1], rel=1e-5)
    assert row["params"] == history.model.count_params()
    assert "(4, 4)" in result.table()


def test_grid_search_shorthands_build_the_hidden_layers():
    """layers and units are shorthands: layers=2, units=3 trains hidden=(3, 3); neither given, hidden=(32,)."""
    X, y = make_pattern_data(40, 3, seed=2)
    result = search.grid_search(
        X[:30], y[:30], {"layers": [0, 2]}, validation_data=(X[30:], y[30:]), units=3, epochs=1, seed=0
    )
    assert {r["layers"]: r["params"] for r in result.rows} == {0: 3 + 1, 2: 3 * 3 + 3 + 3 * 3 + 3 + 3 + 1}
    default = search.grid_search(
        X[:30], y[:30], {"dropout": [0.0]}, validation_data=(X[30:], y[30:]), epochs=1, seed=0
    )
    assert default.rows[0]["params"] == 3 * 32 + 32 + 32 + 1


# Issue 26: ten-class labels are refused at the door, saying what to use (no silent binary assumption).
Y10 = np.arange(40) % 10
BAD_INPUTS += [
    (
        search.grid_search,
        (X4, Y10, {"units": [4]}),
        {"validation_data": (X4, Y4)},
        ValueError,
        r"y must contain only the labels 0 and 1.*10 classes; .*dlnotes\.metrics\.classification_report",
    ),
    (
        search.grid_search,
        (X4, Y4, {"units": [4]}),
        {"validation_data": (X4, Y10)},
        ValueError,
        r"validation_data\[1\] must contain only the labels 0 and 1.*10 classes",
    ),
]
