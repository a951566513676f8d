"""dlnotes.training: seeded training runs, the optimizer comparison and learning-rate sweeps."""

import math

import numpy as np
import pytest

from dlnotes import data, models, training
from dlnotes._backend import import_keras
from dlnotes.data import make_pattern_data

keras = import_keras()


X_SMALL, Y_SMALL = make_pattern_data(40, 3, seed=0)


# ---------------------------------------------------------------------------------------------------
# ---------------------------------------------------------------------------------------------------
def _bce(y, p):
    p = np.clip(np.asarray(p, dtype=np.float64).ravel(), 1e-7, 1 - 1e-7)
    return -np.mean(y * np.log(p) + (1 - y) * np.log(1 - p))


@pytest.fixture(scope="module")
def small_comparison():
    X, y = make_pattern_data(64, 4, seed=3)
    runs = training.compare(X, y, "optimizer", ["sgd", "adam"], hidden=(8,), epochs=4, batch_size=16, seed=5)
    return X, y, runs


X4, Y4 = make_pattern_data(40, 3, seed=0)


SWEEP = training.Comparison(
    "learning_rate", ("0.01", "1", "100"), (0.01, 1.0, 100.0), ((0.7, 0.6), (0.7, 0.2), (0.7, math.nan))
)


BAD_INPUTS = [
    # train_mlp
    (
        training.train_mlp,
        (X4, Y4),
        {"learning_rate": 0.0},
        ValueError,
        r"learning_rate must be a positive, finite number such as 0\.001, got 0",
    ),
    (
        training.train_mlp,
        (X4, Y4),
        {"learning_rate": -0.1},
        ValueError,
        r"learning_rate must be a positive, finite",
    ),
    (training.train_mlp, (X4, Y4 + 1), {}, ValueError, r"y must contain only the labels 0 and 1"),
    # issue 23: Keras's own keywords (metrics, callbacks) come through **keras_options; any other is
    # refused by name, with the closest real one
    (
        training.train_mlp,
        (X4, Y4),
        {"epoch": 3},
        TypeError,
        r"train_mlp got an unexpected keyword argument 'epoch' \(did you mean 'epochs'\?\); it takes "
        r"validation_data and \['hidden', .*'seed', 'metrics', 'callbacks'\]",
    ),
    (training.train_mlp, (X4, Y4), {"class_weight": {0: 1.0, 1: 2.0}}, TypeError, r"'class_weight'"),
    (training.train_mlp, (X4, Y4), {"hidden": 32}, TypeError, r"hidden must be a sequence .*write \(32,\)"),
    (
        training.train_mlp,
        (X4, Y4),
        {"optimizer": "adagrad"},
        ValueError,
        r"optimizer must be one of \['sgd', 'momentum', 'adam'",
    ),
    (training.train_mlp, (X4, Y4), {"dropout": 1.0}, ValueError, r"dropout must be in \[0, 1\), got 1"),
    (
        training.train_mlp,
        (X4, Y4),
        {"validation_data": (np.zeros((5, 2)), np.zeros(5))},
        ValueError,
        r"validation_data\[0\] has 2 features but X has 3",
    ),
    (
        training.train_mlp,
        (X4, Y4),
        {"validation_data": np.zeros((5, 3))},
        TypeError,
        r"validation_data must be a pair \(X_val, y_val\)",
    ),
    (
        training.train_mlp,
        (X4, Y4),
        {"callbacks": ["stop"]},
        TypeError,
        r"callbacks\[0\] must be a Keras callback",
    ),
    (
        training.train_mlp,
        (X4, Y4),
        {"metrics": "accuracy"},
        TypeError,
        r"metrics must be a list of metric names",
    ),
    (
        training.train_mlp,
        (X4, Y4),
        {"activation": "wiggle"},
        ValueError,
        r"activation must be the name of a Keras",
    ),
    (training.train_mlp, (X4, Y4), {"epochs": 0}, ValueError, r"epochs must be >= 1, got 0"),
]

# Issue 24: names are checked at the door (before any model is built), with the valid list; messages say
# what is wrong with the caller's object.
BAD_INPUTS += [
    (
        training.train_mlp,
        (X4, Y4),
        {"metrics": ["acuracy"]},
        ValueError,
        r"metrics\[0\] must be the name of a Keras metric .*got 'acuracy' \(did you mean 'accuracy'.*Keras knows .*auc",
    ),
    (
        training.train_mlp,
        (X4, Y4),
        {"metrics": "accuracy"},
        TypeError,
        r"metrics must be a list .*\['accuracy'\]",
    ),
    (training.train_mlp, (X4, Y4), {"metrics": [None]}, TypeError, r"metrics\[0\] must be a metric name"),
    (
        training.train_mlp,
        (X4, Y4),
        {"optimizer": "adamm"},
        ValueError,
        r"optimizer must be one of .*\(did you mean 'adam'",
    ),
    (
        training.train_mlp,
        (X4, Y4),
        {"optimizer": "Adam"},
        ValueError,
        r"optimizer must be one of .*did you mean 'adam'",
    ),
    (
        training.train_mlp,
        (X4, Y4),
        {"activation": "rleu"},
        ValueError,
        r"activation must be the name of a Keras activation function .*did you mean 'relu'.*Keras knows .*tanh",
    ),
    (training.train_mlp, (X4[:, :0], Y4), {}, ValueError, r"X has 40 samples but no features"),
    (
        training.train_mlp,
        (X4, Y4 * 2 + np.arange(40) % 2),
        {},
        ValueError,
        r"y must contain only .*binary by design",
    ),
    (training.train_mlp, (X4, Y4), {"metrics": ["metric"]}, ValueError, r"metrics\[0\] .*got 'metric'"),
    (
        training.train_mlp,
        (X4, Y4),
        {"metrics": [import_keras().losses.BinaryCrossentropy()]},
        TypeError,
        r"metrics\[0\] must be a metric name .* or a Keras metric",
    ),
    (
        training.train_mlp,
        (X4, Y4),
        {"hidden": (2**40,)},
        ValueError,
        r"hidden .*give a network of .* weights",
    ),
]


def test_compare_is_repeatable_and_depends_on_the_seed(small_comparison):
    X, y, runs = small_comparison
    again = training.compare(
        X, y, "optimizer", {"Adam": "adam"}, hidden=(8,), epochs=4, batch_size=16, seed=5
    )
    assert again.losses[0] == runs.losses[1] and again.labels == ("Adam",) and again.values == ("adam",)
    other = training.compare(X, y, "optimizer", ["adam"], hidden=(8,), epochs=1, batch_size=16, seed=6)
    assert other.losses[0][0] != runs.losses[1][0]


def test_compare_shares_the_initial_weights(small_comparison):
    X, y, runs = small_comparison
    assert runs.labels == ("sgd", "adam") and all(len(losses) == 5 for losses in runs.losses)
    assert runs.losses[0][0] == runs.losses[1][0]
    keras.utils.set_random_seed(5)
    start = models.build_mlp(4, hidden=(8,))
    assert runs.losses[0][0] == pytest.approx(_bce(y, start(X.astype("float32"))), rel=1e-6)


def test_compare_full_batch_sgd_step_is_gradient_descent():
    """With one batch and plain SGD, the first epoch is one step w <- w - lr * gradient."""
    import tensorflow as tf

    X, y = make_pattern_data(32, 3, seed=0)
    lr = 0.5
    runs = training.compare(
        X, y, "learning_rate", [lr], optimizer="sgd", hidden=(4,), epochs=1, batch_size=None, seed=2
    )
    keras.utils.set_random_seed(2)
    model = models.build_mlp(3, hidden=(4,))
    X32, y32 = X.astype("float32"), y.astype("float32")
    with tf.GradientTape() as tape:
        loss = keras.losses.binary_crossentropy(y32[:, None], model(X32))
        loss = tf.reduce_mean(loss)
    grads = tape.gradient(loss, model.trainable_weights)
    for w, g in zip(model.trainable_weights, grads):
        w.assign(w - lr * g)
    assert runs.losses[0][1] == pytest.approx(_bce(y, model(X32)), rel=1e-5)
    assert runs.losses[0][0] == pytest.approx(float(loss), rel=1e-5)


def test_compare_trains_through_train_mlp(monkeypatch):
    """One build-compile-fit path: every run of compare is a call of train_mlp with the option set."""
    from dlnotes.training import _compare

    calls = []
    real = _compare.train_mlp

    def spy(*args, **kwargs):
        calls.append({k: v for k, v in kwargs.items() if k not in ("callbacks",)})
        return real(*args, **kwargs)

    monkeypatch.setattr(_compare, "train_mlp", spy)
    training.compare(X4, Y4, "dropout", [0.0, 0.5], hidden=(4,), epochs=1, seed=7)
    assert [c["dropout"] for c in calls] == [0.0, 0.5]
    assert all(c["seed"] == 7 and c["hidden"] == [4] and c["epochs"] == 1 for c in calls)


def test_compare_can_vary_any_option_and_labels_runs():
    runs = training.compare(X4, Y4, "hidden", [(2,), (4, 4)], epochs=1, seed=0)
    assert runs.option == "hidden" and runs.labels == ("(2,)", "(4, 4)")
    assert runs.values == ([2], [4, 4])  # as checked: lists
    rates = training.compare(X4, Y4, "learning_rate", [0.001, 0.1], epochs=1, seed=0)
    assert rates.labels == ("0.001", "0.1")


# ----------------------------------------------------------------------------------------------------
# train_mlp
# ----------------------------------------------------------------------------------------------------
def test_train_mlp_is_reproducible_for_a_seed_and_differs_for_another():
    X, y = make_pattern_data(64, 4, seed=1)
    kwargs = dict(validation_data=(X[:16], y[:16]), hidden=(8,), dropout=0.2, epochs=3, batch_size=16)
    a = training.train_mlp(X, y, seed=5, **kwargs).history
    b = training.train_mlp(X, y, seed=5, **kwargs).history
    c = training.train_mlp(X, y, seed=6, **kwargs).history
    assert a == b
    assert a["loss"] != c["loss"]
    assert sorted(a) == ["accuracy", "loss", "val_accuracy", "val_loss"]


def test_train_mlp_runs_exactly_the_keras_lines_it_documents():
    """The chapter says train_mlp is the explicit loop of its section 4.2; prove it."""
    from dlnotes._backend import import_keras
    from dlnotes.models import build_mlp

    keras = import_keras()
    X, y = make_pattern_data(50, 4, seed=2)
    history = training.train_mlp(
        X, y, validation_data=(X, y), hidden=(6,), learning_rate=0.01, epochs=3, batch_size=16, seed=3
    )
    keras.utils.set_random_seed(3)
    model = build_mlp(4, hidden=(6,))
    model.compile(
        optimizer=keras.optimizers.Adam(learning_rate=0.01), loss="binary_crossentropy", metrics=["accuracy"]
    )
    explicit = model.fit(
        data.to_dataset(X, y, batch_size=16, shuffle=True, seed=3),
        validation_data=data.to_dataset(X, y),
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
    history = training.train_mlp(X4, Y4, hidden=(4,), epochs=2, metrics=(), callbacks=[log], seed=0)
    assert list(history.history) == ["loss"]
    assert seen == [0, 1]


def test_train_mlp_stops_a_run_at_the_first_loss_that_is_not_finite():
    # A learning rate of 3e38 makes the loss infinite in the second epoch of four (1e30 does not: the
    # loss grows to 1e29 but stays finite). Training stops at the end of that epoch, so the history's
    # last loss is the only one that is not finite (without the stop, all three last ones are inf).
    history = training.train_mlp(
        X4, Y4, hidden=(2,), optimizer="sgd", learning_rate=3e38, epochs=4, metrics=(), seed=0
    )
    losses = np.array(history.history["loss"])
    assert len(losses) < 4 and not np.isfinite(losses[-1]) and np.all(np.isfinite(losses[:-1]))


# ----------------------------------------------------------------------------------------------------
# Comparing learning rates (chapter 4)
# ----------------------------------------------------------------------------------------------------
def test_comparison_properties():
    assert SWEEP.final_losses[:2] == (0.6, 0.2) and math.isnan(SWEEP.final_losses[2])
    assert SWEEP.diverged == (False, False, True)
    assert SWEEP.best() == 1.0 and SWEEP.chosen_by == "training loss"
    climbing = training.Comparison("learning_rate", ("0.1",), (0.1,), ((0.5, 0.9),))
    assert climbing.diverged == (True,) and math.isnan(climbing.best())


@pytest.mark.parametrize("optimizer", ["sgd", "adam"])
def test_compare_runs_do_not_depend_on_each_other(optimizer):
    """A rate's curve must not depend on which rates ran before it in the same comparison."""
    X, y = make_pattern_data(60, 4, seed=0)
    kwargs = dict(hidden=(8,), optimizer=optimizer, epochs=4, batch_size=None, seed=1)
    both = training.compare(X, y, "learning_rate", [0.5, 0.05], **kwargs)
    alone = training.compare(X, y, "learning_rate", [0.05], **kwargs)
    assert both.losses[1] == alone.losses[0]
    assert both.losses[0][0] == both.losses[1][0]  # the same initial weights


def test_compare_is_reproducible_and_records_divergence_as_nan():
    X, y = make_pattern_data(60, 4, seed=0)
    kwargs = dict(optimizer="sgd", hidden=(8,), epochs=6, batch_size=None, seed=2)
    a = training.compare(X, y, "learning_rate", [0.001, 1e20], **kwargs)
    b = training.compare(X, y, "learning_rate", [0.001, 1e20], **kwargs)
    np.testing.assert_array_equal(np.array(a.losses), np.array(b.losses))  # NaN == NaN here
    assert np.isfinite(a.losses[1][0]) and np.isnan(a.losses[1][-1])  # padded after the blow-up
    assert all(len(curve) == 7 for curve in a.losses)  # the initial loss and one per epoch
    assert a.diverged == (False, True) and math.isnan(a.final_losses[1])
    assert a.best() == 0.001


def test_comparison_chooses_by_validation_loss_when_it_has_it():
    """Training loss favours the rate that fits hardest; the validation loss decides when it is there."""
    runs = training.Comparison(
        "learning_rate",
        ("0.1", "1", "10"),
        (0.1, 1.0, 10.0),
        ((0.7, 0.3), (0.7, 0.1), (0.7, math.nan)),
        val_losses=((0.7, 0.35), (0.7, 0.5), (0.7, math.nan)),
    )
    assert runs.best() == 0.1 and runs.chosen_by == "validation loss"
    assert runs.best(by="loss") == 1.0 and runs.best(by="val_loss") == 0.1
    assert runs.final_val_losses[:2] == (0.35, 0.5) and math.isnan(runs.final_val_losses[2])
    with pytest.raises(ValueError, match=r"by must be one of \['loss'\]"):
        SWEEP.best(by="val_loss")  # no validation data


def test_compare_records_the_loss_of_the_weights_after_each_epoch():
    """Not Keras's running mean: the loss on all the data with the weights at the end of the epoch,
    which for the validation data is what fit's val_loss reports."""
    X, y = make_pattern_data(80, 4, seed=0)
    kwargs = dict(optimizer="sgd", hidden=(8,), epochs=4, batch_size=16, seed=3)
    plain = training.compare(X[:60], y[:60], "learning_rate", [0.1, 1.0], **kwargs)
    checked = training.compare(
        X[:60], y[:60], "learning_rate", [0.1, 1.0], validation_data=(X[60:], y[60:]), **kwargs
    )
    assert checked.losses == plain.losses  # validation does not change the training
    assert plain.val_losses == () and [len(c) for c in checked.val_losses] == [5, 5]
    history = training.train_mlp(
        X[:60], y[:60], validation_data=(X[60:], y[60:]), learning_rate=1.0, metrics=(), **kwargs
    )
    assert checked.val_losses[1][1:] == pytest.approx(tuple(history.history["val_loss"]), rel=1e-5)
    model = history.model
    assert checked.losses[1][-1] == pytest.approx(_bce(y[:60], model(X[:60].astype("float32"))), rel=1e-5)
    assert checked.losses[1][-1] != pytest.approx(history.history["loss"][-1], rel=1e-3)  # not the mean


def test_compare_losses_move_and_adam_beats_default_sgd(small_comparison):
    _, _, runs = small_comparison
    sgd, adam = runs.losses
    assert adam[-1] < adam[0] and adam[-1] < sgd[-1] and sgd[1] != adam[1]


@pytest.mark.parametrize(
    "call",
    [
        lambda: training.train_mlp(X4, Y4, metrics=["accuracy", "acuracy"]),
        lambda: training.train_mlp(X4, Y4, activation="rleu"),
        lambda: training.train_mlp(X4, Y4, optimizer="adamm"),
        lambda: training.compare(X4, Y4, "learning_rate", [0.1], optimizer="sdg"),
        lambda: training.compare(X4, Y4, "optimizer", ["sgd", "adamm"]),
        lambda: training.compare(X4, Y4, "learning_rate", [0.1, -1.0]),
    ],
)
def test_a_wrong_name_or_optimizer_is_refused_before_any_model_is_built(monkeypatch, call):
    """Issue 24: the door refuses before build_mlp runs (nothing is built or traced for a typo)."""

    def no_build(*args, **kwargs):
        raise AssertionError("a model was built before the arguments were checked")

    import sys

    # every module of the training package that builds a network, by the name it imported
    builders = [
        m
        for name, m in sys.modules.items()
        if name.startswith("dlnotes.training.") and hasattr(m, "build_mlp")
    ]
    assert len(builders) == 1, builders  # train_mlp's module: the one path
    for module in builders:
        monkeypatch.setattr(module, "build_mlp", no_build)
    with pytest.raises((TypeError, ValueError)):
        call()


# Issue 26: ten-class labels are refused at the door, saying what to use (no silent binary assumption).
Y10 = np.arange(40) % 10
BAD_INPUTS += [
    (
        training.train_mlp,
        (X4, Y10),
        {},
        ValueError,
        r"y must contain only the labels 0 and 1, got values 0, 1, 2, 3, 4, \.\.\.: 10 classes; .*"
        r"head_for\('multiclass', n_classes\).*dlnotes\.metrics\.classification_report",
    ),
    (
        training.train_mlp,
        (X4, Y4),
        {"validation_data": (X4, Y10)},
        ValueError,
        r"validation_data\[1\] must contain only the labels 0 and 1.*10 classes; .*classification_report",
    ),
]
# compare: what its declarations (option, seed) cannot say
BAD_INPUTS += [
    (training.compare, (X4, Y4, "learning_rate", []), {}, ValueError, r"values is empty; give at least one"),
    (
        training.compare,
        (X4, Y4, "learning_rate", 0.1),
        {},
        TypeError,
        r"values must be a list of the values of",
    ),
    (training.compare, (X4, Y4, "optimizer", "adam"), {}, TypeError, r"values must be a list .*got 'adam'"),
    (
        training.compare,
        (X4, Y4, "learning_rate", [0.1, -1.0]),
        {},
        ValueError,
        r"values\[1\] must be a positive, finite number .*got -1",
    ),
    (training.compare, (X4, Y4, "optimizer", ["sgd", "adamm"]), {}, ValueError, r"values\[1\] .*'adam'"),
    (training.compare, (X4, Y4, "learning_rate", [0.1, 0.1]), {}, ValueError, r"values has repeated entries"),
    (training.compare, (X4, Y4, "learning_rate", {1: 0.1}), {}, TypeError, r"must map a label \(str\)"),
    (
        training.compare,
        (X4, Y4, "learning_rate", [0.1]),
        {"learning_rate": 0.2},
        TypeError,
        r"compare got 'learning_rate' both as the option to vary and as a keyword to hold fixed",
    ),
    (
        training.compare,
        (X4, Y4, "learning_rate", [0.1]),
        {"callbacks": []},
        TypeError,
        r"unexpected keyword argument 'callbacks': a callback object keeps state",
    ),
    (
        training.compare,
        (X4, Y4, "learning_rate", [0.1]),
        {"hiden": (4,)},
        TypeError,
        r"unexpected keyword argument 'hiden': it is not a keyword of train_mlp",
    ),
    (training.compare, (X4, Y4, "learning_rate", [0.1]), {"epochs": 0}, ValueError, r"epochs must be >= 1"),
    (training.compare, (X4, Y4, "epochs", [1, 2]), {}, ValueError, r"option must be one of .*got 'epochs'"),
    (
        training.compare,
        (X4, Y4[:-1], "learning_rate", [0.1]),
        {},
        ValueError,
        r"X has 40 samples but y has 39",
    ),
    (
        training.compare,
        (X4, Y4, "learning_rate", [0.1]),
        {"validation_data": (np.zeros((5, 2)), np.zeros(5))},
        ValueError,
        r"validation_data\[0\] has 2 features but X has 3",
    ),
    (
        training.compare,
        (X4, Y10, "learning_rate", [0.1]),
        {},
        ValueError,
        r"y must contain only the labels 0 and 1",
    ),
    (
        training.Comparison("loss", ("a",), (1,), ((0.5, 0.4),)).best,
        (),
        {"by": "val"},
        ValueError,
        r"by must be one of",
    ),
]


# ---------------------------------------------------------------------------------------------------
# The learning-rate range test
# ---------------------------------------------------------------------------------------------------
RANGE = training.RangeTestResult((0.001, 0.01, 0.1, 1.0), (0.7, 0.5, 0.2, 3.0), smoothing=0.0)


def _compiled(lr=0.01, seed=0):
    keras.utils.set_random_seed(seed)
    model = models.build_mlp(3, (4,))
    model.compile(optimizer=keras.optimizers.SGD(lr), loss="binary_crossentropy")
    return model


# The range test's options, its model and its data, each on its own, are declared beside the signatures
# (@checked) and generated by tests/test_api.py; kept: RangeTestResult's fields, stop above start, and a
# model that is not compiled.
BAD_INPUTS += [
    (
        training.RangeTestResult,
        ((0.1, 0.01), (0.7, 0.6)),
        {},
        ValueError,
        r"learning_rates must be positive and increasing",
    ),
    (training.RangeTestResult, ((0.0, 0.01), (0.7, 0.6)), {}, ValueError, r"learning_rates must be positive"),
    (
        training.RangeTestResult,
        ((0.01, 0.1), (0.7,)),
        {},
        ValueError,
        r"losses must hold one loss per learning rate: 2 learning rates but 1",
    ),
    (training.RangeTestResult, ((0.01, 0.1), (math.nan, 0.6)), {}, ValueError, r"losses\[0\] must be finite"),
    (training.RangeTestResult, ((0.01, 0.1), "ab"), {}, TypeError, r"losses must be array-like"),
    (
        training.RangeTestResult,
        ((0.01, 0.1), (0.7, 0.6)),
        {"smoothing": 1.0},
        ValueError,
        r"smoothing must be in \[0, 1\)",
    ),
    (
        training.RangeTestResult,
        ((0.01, 0.1), (0.7, 0.6)),
        {"smoothing": "0.9"},
        TypeError,
        r"smoothing must be a real number",
    ),
    (
        training.LearningRateRangeTest,
        (),
        {"start": 1.0, "stop": 0.1},
        ValueError,
        r"stop must be larger than start",
    ),
    (
        training.lr_range_test,
        (models.build_mlp(3, (4,)), data.to_dataset(X4, Y4)),
        {},
        ValueError,
        r"model must be compiled first",
    ),
]


def test_range_test_result_properties():
    assert RANGE.smoothed_losses == RANGE.losses  # smoothing 0 keeps the raw losses
    assert RANGE.min_loss_rate == 0.1 and RANGE.suggestion == pytest.approx(0.01)
    smooth = training.RangeTestResult((0.1, 1.0, 10.0), (1.0, 0.0, math.nan), smoothing=0.5)
    # the moving average corrected for its start at 0: 1.0, then (0.25 + 0) / 0.75, then NaN
    assert smooth.smoothed_losses[:2] == pytest.approx((1.0, 1 / 3)) and math.isnan(smooth.smoothed_losses[2])
    assert smooth.min_loss_rate == 1.0


def test_range_test_callback_rates_are_geometric():
    callback = training.LearningRateRangeTest(start=1e-3, stop=10.0, steps=5)
    rates = [callback.rate(k) for k in range(5)]
    assert rates[0] == pytest.approx(1e-3) and rates[-1] == pytest.approx(10.0)
    assert np.allclose(np.diff(np.log10(rates)), 1.0)
    assert isinstance(callback, keras.callbacks.Callback) and isinstance(
        callback, training.LearningRateRangeTest
    )
    with pytest.raises(ValueError, match="no batch yet"):
        _ = callback.result


def test_range_test_records_each_batch_loss_at_its_rate():
    """Each recorded loss is the loss of that batch alone (not the epoch's running mean)."""
    X, y = make_pattern_data(64, 3, seed=1)
    model = _compiled(lr=0.01)
    before = model.get_weights()
    callback = training.LearningRateRangeTest(start=1e-6, stop=2e-6, steps=4, stop_factor=1e9)
    model.fit(data.to_dataset(X, y, batch_size=16), epochs=1, verbose=0, shuffle=False, callbacks=[callback])
    result = callback.result
    assert len(result.losses) == 4 and result.learning_rates[-1] == pytest.approx(2e-6)
    # at rates of 1e-6 the weights barely move: each batch's loss is its loss at the initial weights
    model.set_weights(before)
    for i, loss in enumerate(result.losses):
        xb, yb = X[16 * i : 16 * (i + 1)], y[16 * i : 16 * (i + 1)]
        assert loss == pytest.approx(_bce(yb, model.predict(xb, verbose=0)), rel=1e-3)
    assert len(set(np.round(result.losses, 6))) > 1


def test_lr_range_test_stops_at_blow_up_and_restores_the_model():
    X, y = make_pattern_data(64, 3, seed=1)
    model = _compiled(lr=0.01)
    before = model.get_weights()
    result = training.lr_range_test(
        model, data.to_dataset(X, y, batch_size=16), start=1e-3, stop=1e6, steps=50
    )
    assert len(result.losses) < 50  # SGD at rates up to a million blows up before the end
    assert all(np.array_equal(a, b) for a, b in zip(before, model.get_weights()))
    assert (
        float(np.asarray(model.optimizer.learning_rate)) == pytest.approx(0.01)
        and int(np.asarray(model.optimizer.iterations)) == 0
    )
    assert result.learning_rates[0] == pytest.approx(1e-3)
    assert result.suggestion == pytest.approx(result.min_loss_rate / 10)


def test_lr_range_test_refuses_a_schedule():
    model = models.build_mlp(3, (4,))
    schedule = keras.optimizers.schedules.ExponentialDecay(0.1, 10, 0.5)
    model.compile(optimizer=keras.optimizers.SGD(schedule), loss="binary_crossentropy")
    with pytest.raises(ValueError, match="not a schedule"):
        training.lr_range_test(model, data.to_dataset(X4, Y4))
