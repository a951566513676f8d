"""dlnotes.metrics: metrics from the confusion matrix, checked against scikit-learn and Keras."""

import math
import re

import numpy as np
import pytest
from sklearn import metrics as skm

from dlnotes import metrics

Y = np.array([0, 1, 1, 0])


P = np.array([0.2, 0.7, 0.4, 0.9])


def _random_case(i: int) -> tuple[np.ndarray, np.ndarray, float]:
    """A seeded random case; one in three is degenerate (one class only, constant predictions, ties)."""
    rng = np.random.default_rng(1000 + i)
    n = int(rng.integers(1, 60))
    label_kind = ["random", "random", "all_zero", "all_one", "rare"][i % 5]
    prob_kind = ["uniform", "uniform", "all_zero", "all_one", "ties", "hard"][i % 6]
    if label_kind == "random":
        y = rng.integers(0, 2, size=n)
    elif label_kind == "all_zero":
        y = np.zeros(n, dtype=int)
    elif label_kind == "all_one":
        y = np.ones(n, dtype=int)
    else:
        y = (rng.random(n) < 0.05).astype(int)
    if prob_kind == "uniform":
        p = rng.random(n)
    elif prob_kind == "all_zero":
        p = np.zeros(n)
    elif prob_kind == "all_one":
        p = np.ones(n)
    elif prob_kind == "ties":  # many probabilities exactly on the threshold grid
        p = rng.integers(0, 5, size=n) / 4
    else:
        p = rng.integers(0, 2, size=n).astype(float)
    threshold = [0.5, 0.5, float(rng.random()), 0.0, 1.0, 0.25][int(rng.integers(0, 6))]
    return y, p, threshold


CASES = [_random_case(i) for i in range(200)]


# What one argument can get wrong on its own (labels, probabilities, threshold, mode, k, n, n_bins, ...)
# is declared beside each metric's signature, and tests/test_api.py generates those bad-input cases.
# Kept here: what needs two arguments, and messages whose wording is the lesson.
BAD_INPUTS = [
    # lengths differ
    (
        metrics.binary_report,
        (Y, P[:3]),
        {},
        ValueError,
        r"y_true has 4 samples but y_prob has 3; they must match",
    ),
    (metrics.confusion_matrix, (Y, [0, 1]), {}, ValueError, r"y_true has 4 samples but y_pred has 2"),
    (metrics.threshold_curve, (Y[:2], P), {}, ValueError, r"y_true has 2 samples but y_prob has 4"),
    # metric_direction: a name whose direction is not known, and what to do
    (
        metrics.metric_direction,
        ("val_my_score",),
        {},
        ValueError,
        r"metric 'val_my_score': dlnotes cannot tell whether it is better low or high .*; pass mode='min' "
        r"if lower is better .* or mode='max' if higher is better",
    ),
    (metrics.metric_direction, ("mean",), {}, ValueError, r"metric 'mean': dlnotes cannot tell"),
]

# Issue 24: binary by design, and said so (with what to use instead) for other labels.
BAD_INPUTS += [
    (
        metrics.confusion_matrix,
        ([0, 1, 2], [0, 1, 2]),
        {},
        ValueError,
        r"y_true .*3 classes; .*binary by design",
    ),
    (metrics.confusion_matrix, ([1, 2, 1], [1, 2, 2]), {}, ValueError, r"y_true .*recode them as 0 and 1"),
    (
        metrics.binary_report,
        (np.arange(20.0) + 25, np.full(20, 0.5)),
        {},
        ValueError,
        r"y_true .*got values 25, 26, .*regression or count target",
    ),
    (metrics.binary_report, ([0, 1], [[0.3, 0.7], [0.6, 0.4]]), {}, ValueError, r"y_prob .*binary by design"),
    # the row that said this through plot_threshold_curve, which now takes threshold_curve's result
    (
        metrics.threshold_curve,
        ([0, 1, 1], np.full((3, 3), 1 / 3)),
        {},
        ValueError,
        r"y_prob must have shape \(n,\) or \(n, 1\), got \(3, 3\).*binary by design.*\[:, 1\]",
    ),
    (
        metrics.threshold_curve,
        ([0.0, 0.5, 1.0], [0.1, 0.5, 0.9]),
        {},
        ValueError,
        r"y_true .*not class labels",
    ),
]


def test_the_random_cases_include_the_degenerate_ones():
    kinds = {
        "no positive label": 0,
        "no negative label": 0,
        "no positive prediction": 0,
        "all predicted 1": 0,
    }
    for y, p, t in CASES:
        pred = p > t
        kinds["no positive label"] += not y.any()
        kinds["no negative label"] += y.all()
        kinds["no positive prediction"] += not pred.any()
        kinds["all predicted 1"] += pred.all()
    assert all(count >= 10 for count in kinds.values()), kinds


@pytest.mark.parametrize("case", range(200))
def test_metrics_match_scikit_learn(case):
    y, p, threshold = CASES[case]
    report = metrics.binary_report(y, p, threshold=threshold)
    y_pred = (p > threshold).astype(int)
    assert report["accuracy"] == pytest.approx(skm.accuracy_score(y, y_pred), abs=1e-12)
    assert report["precision"] == pytest.approx(skm.precision_score(y, y_pred, zero_division=0), abs=1e-12)
    assert report["recall"] == pytest.approx(skm.recall_score(y, y_pred, zero_division=0), abs=1e-12)
    assert report["f1"] == pytest.approx(skm.f1_score(y, y_pred, zero_division=0), abs=1e-12)
    expected = skm.confusion_matrix(y, y_pred, labels=[0, 1])
    np.testing.assert_array_equal(report["confusion"], expected)
    np.testing.assert_array_equal(metrics.confusion_matrix(y, y_pred), expected)
    assert all(isinstance(report[k], float) for k in ("accuracy", "precision", "recall", "f1"))


def test_report_has_exactly_the_documented_keys_and_types():
    report = metrics.binary_report(Y, P)
    assert list(report) == ["accuracy", "precision", "recall", "f1", "confusion"]
    assert report["confusion"].shape == (2, 2) and report["confusion"].dtype == np.int64


def test_f1_is_the_harmonic_mean_where_defined():
    rng = np.random.default_rng(0)
    for _ in range(50):
        y = rng.integers(0, 2, size=40)
        r = metrics.binary_report(y, rng.random(40))
        if r["precision"] + r["recall"] > 0:
            harmonic = 2 * r["precision"] * r["recall"] / (r["precision"] + r["recall"])
            assert r["f1"] == pytest.approx(harmonic)


def test_degenerate_cases_give_zero_not_nan():
    nothing_predicted = metrics.binary_report([0, 1, 1], [0.0, 0.1, 0.2])
    assert nothing_predicted["precision"] == 0.0 and nothing_predicted["recall"] == 0.0
    assert nothing_predicted["f1"] == 0.0 and nothing_predicted["accuracy"] == pytest.approx(1 / 3)
    no_positives = metrics.binary_report([0, 0], [0.1, 0.2])
    assert no_positives == {**no_positives, "accuracy": 1.0, "precision": 0.0, "recall": 0.0, "f1": 0.0}
    all_right = metrics.binary_report([1, 1, 1], [0.9, 0.8, 0.7])
    assert (all_right["accuracy"], all_right["precision"], all_right["recall"], all_right["f1"]) == (
        1.0,
        1.0,
        1.0,
        1.0,
    )
    np.testing.assert_array_equal(all_right["confusion"], [[0, 0], [0, 3]])


def test_threshold_rule_is_strictly_greater_than():
    np.testing.assert_array_equal(metrics.apply_threshold([0.5, 0.5000001, 0.4999999]), [0, 1, 0])
    np.testing.assert_array_equal(metrics.apply_threshold([0.0, 1.0], threshold=0.0), [0, 1])
    np.testing.assert_array_equal(metrics.apply_threshold([0.0, 1.0], threshold=1.0), [0, 0])
    assert metrics.binary_report([1, 0], [0.5, 0.5])["confusion"].tolist() == [[1, 0], [1, 0]]


def test_column_vectors_and_lists_are_accepted():
    from_keras_shape = metrics.binary_report(Y.reshape(-1, 1), P.reshape(-1, 1))
    from_lists = metrics.binary_report(Y.tolist(), P.tolist())
    assert from_keras_shape["f1"] == from_lists["f1"]
    np.testing.assert_array_equal(from_keras_shape["confusion"], from_lists["confusion"])
    assert metrics.apply_threshold(P.reshape(-1, 1)).shape == (4,)


def test_confusion_matrix_counts_every_sample_once():
    rng = np.random.default_rng(3)
    y, pred = rng.integers(0, 2, 500), rng.integers(0, 2, 500)
    cm = metrics.confusion_matrix(y, pred)
    assert cm.sum() == 500
    assert cm[1].sum() == y.sum() and cm[:, 1].sum() == pred.sum()
    assert cm[0, 0] == np.sum((y == 0) & (pred == 0)) and cm[1, 1] == np.sum((y == 1) & (pred == 1))


def test_threshold_curve_agrees_with_binary_report_at_every_threshold():
    rng = np.random.default_rng(5)
    y = rng.integers(0, 2, 80)
    p = np.round(rng.random(80), 2)  # ties with the grid of thresholds
    curve = metrics.threshold_curve(y, p)
    assert len(curve["threshold"]) == 101 and curve["threshold"][0] == 0.0 and curve["threshold"][-1] == 1.0
    for i, t in enumerate(curve["threshold"]):
        report = metrics.binary_report(y, p, threshold=float(t))
        for key in ("accuracy", "precision", "recall", "f1"):
            assert curve[key][i] == pytest.approx(report[key], abs=1e-12), (key, t)
        assert curve["predicted_positive"][i] == report["confusion"][:, 1].sum()


def test_recall_falls_as_the_threshold_rises():
    rng = np.random.default_rng(6)
    y = rng.integers(0, 2, 200)
    p = np.clip(0.3 * y + 0.7 * rng.random(200), 0, 1)
    curve = metrics.threshold_curve(y, p, thresholds=np.linspace(0, 1, 51))
    assert np.all(np.diff(curve["recall"]) <= 0) and np.all(np.diff(curve["predicted_positive"]) <= 0)
    assert curve["recall"][0] == 1.0 and curve["predicted_positive"][-1] == 0


def test_threshold_curve_counts_match_a_direct_count():
    rng = np.random.default_rng(8)
    y = rng.integers(0, 2, 300)
    p = rng.integers(0, 11, 300) / 10  # many ties with the thresholds
    thresholds = np.r_[np.linspace(0, 1, 21), 0.35, 0.0]
    curve = metrics.threshold_curve(y, p, thresholds=thresholds)
    predicted = p[None, :] > thresholds[:, None]
    tp = np.sum(predicted & (y == 1), axis=1)
    np.testing.assert_array_equal(curve["predicted_positive"], predicted.sum(axis=1))
    np.testing.assert_allclose(curve["recall"], tp / (y == 1).sum())
    np.testing.assert_allclose(curve["accuracy"], np.mean(predicted == (y == 1), axis=1))


def test_threshold_curve_keeps_the_order_of_given_thresholds():
    curve = metrics.threshold_curve(Y, P, thresholds=[0.9, 0.1, 0.5])
    assert curve["threshold"].tolist() == [0.9, 0.1, 0.5]
    assert curve["recall"].tolist() == [0.0, 1.0, 0.5]


def test_metrics_match_keras_metrics_with_a_threshold():
    """Keras's BinaryAccuracy, Precision, Recall and F1Score(threshold=0.5) use the same rule (p > 0.5)."""
    from dlnotes._backend import import_keras

    keras = import_keras()
    rng = np.random.default_rng(11)
    for n in (7, 50, 200):
        y = rng.integers(0, 2, n)
        p = rng.integers(0, 65, n) / 64  # exact in float32, and some exactly 0.5
        report = metrics.binary_report(y, p)
        y2, p2 = y.reshape(-1, 1).astype("float32"), p.reshape(-1, 1).astype("float32")
        found = {}
        for key, metric in [
            ("accuracy", keras.metrics.BinaryAccuracy()),
            ("precision", keras.metrics.Precision()),
            ("recall", keras.metrics.Recall()),
            ("f1", keras.metrics.F1Score(threshold=0.5)),
        ]:
            metric.update_state(y2, p2)
            found[key] = float(np.ravel(metric.result())[0])
        for key, value in found.items():
            assert report[key] == pytest.approx(value, abs=1e-6), (n, key)


# ------------------------------------------------------------------ which way each metric is better


def test_metric_direction_knows_losses_errors_and_scores_with_and_without_val():
    for name in ("loss", "mae", "mse", "rmse", "mape", "msle", "binary_crossentropy", "hinge", "kl_divergence",
                 "huber_loss", "log_cosh", "poisson", "false_positives", "MeanSquaredError"):  # fmt: skip
        assert metrics.metric_direction(name) == "min", name
        assert metrics.metric_direction(f"val_{name}") == "min", name
    for name in ("accuracy", "acc", "ACC", "Accuracy", "auc", "AUC", "precision", "recall", "f1_score",
                 "fbeta_score", "top_k_categorical_accuracy", "mean_io_u", "r2_score", "cosine_similarity",
                 "specificity_at_sensitivity", "true_positives"):  # fmt: skip
        assert metrics.metric_direction(name) == "max", name
        assert metrics.metric_direction(f"val_{name}") == "max", name


def test_metric_direction_reads_the_number_keras_adds_to_a_repeated_metric_name():
    assert metrics.metric_direction("auc_1") == metrics.metric_direction("val_precision_12") == "max"
    assert metrics.metric_direction("val_mean_absolute_error_2") == "min"
    with pytest.raises(ValueError, match=r"metric 'score_1': dlnotes cannot tell"):
        metrics.metric_direction("score_1")


def test_metric_direction_with_an_explicit_mode_takes_it_for_any_name():
    assert metrics.metric_direction("my_score", mode="max") == "max"
    assert metrics.metric_direction("val_accuracy", mode="min") == "min"  # the caller decides
    assert metrics.metric_direction("", mode="min") == "min"


def test_the_direction_tables_are_disjoint_and_list_each_name_once():
    names = [n for group in metrics.LOWER_IS_BETTER + metrics.HIGHER_IS_BETTER for n in group.split()]
    assert len(names) == len(set(names))


def test_best_first_ranks_both_ways_with_non_finite_scores_last_and_ties_in_order():
    scores = [0.3, math.nan, 0.1, 0.3, math.inf, -math.inf, 0.5]
    assert metrics.best_first(scores).tolist() == [2, 0, 3, 6, 1, 4, 5]
    assert metrics.best_first(scores, mode="max").tolist() == [6, 0, 3, 2, 1, 4, 5]
    assert metrics.best_first(np.array([2, 1, 2])).tolist() == [1, 0, 2]
    assert metrics.best_first([math.nan]).tolist() == [0]


# Metric classes that need arguments to be made at all (compile cannot make them from a string either).
METRIC_ARGUMENTS = {
    "IoU": {"num_classes": 2, "target_class_ids": [0]},
    "OneHotIoU": {"num_classes": 2, "target_class_ids": [0]},
    "MeanIoU": {"num_classes": 2},
    "OneHotMeanIoU": {"num_classes": 2},
    "PrecisionAtRecall": {"recall": 0.5},
    "RecallAtPrecision": {"precision": 0.5},
    "SensitivityAtSpecificity": {"specificity": 0.5},
    "SpecificityAtSensitivity": {"sensitivity": 0.5},
}
# Names the table knows that Keras does not direct (no `_direction`): the confusion counts, whose
# direction is not in doubt, and aliases of other versions and libraries.
NOT_DIRECTED_BY_KERAS = {
    "acc",
    "rmse",
    "kullback_leibler_divergence",
    *("true_positives", "TruePositives", "true_negatives", "TrueNegatives"),
    *("false_positives", "FalsePositives", "false_negatives", "FalseNegatives"),
}


def _keras_directions() -> tuple[dict[str, str], set[str]]:
    """What Keras itself says, as its EarlyStopping(mode="auto") reads it: name -> "min" or "max" for every
    string ``compile(metrics=...)`` accepts, every name a metric or loss object gives itself, and every
    loss; and the names Keras gives no direction."""
    import inspect

    keras = pytest.importorskip("keras")
    keras_metrics = pytest.importorskip("keras.src.metrics")
    keras_losses = pytest.importorskip("keras.src.losses")
    directed: dict[str, str] = {"loss": "min"}  # EarlyStopping's own rule for the name "loss"
    undirected: set[str] = set()
    for identifier, obj in keras_losses.ALL_OBJECTS_DICT.items():  # a loss is minimised (Keras: "down")
        if inspect.isclass(obj) and obj.__name__ in ("Loss", "LossFunctionWrapper"):  # base classes
            continue
        made = obj() if inspect.isclass(obj) else obj
        for name in (identifier, getattr(made, "name", None) or made.__name__):
            directed[name] = "min"
    for identifier, obj in keras_metrics.ALL_OBJECTS_DICT.items():  # metric strings win, as in compile
        if inspect.isclass(obj) and obj.__name__ == "MeanMetricWrapper":
            continue
        made = obj(**METRIC_ARGUMENTS.get(obj.__name__, {})) if inspect.isclass(obj) else obj
        if not isinstance(made, keras.metrics.Metric):
            made = keras.metrics.MeanMetricWrapper(made)
        direction = getattr(made, "_direction", None)
        for name in {identifier, made.name}:
            if direction is None:
                undirected.add(name)
            else:
                directed[name] = {"up": "max", "down": "min"}[direction]
    return directed, undirected - set(directed)


def test_metric_direction_agrees_with_keras_wherever_keras_knows():
    """The table cannot drift from Keras: every metric string compile accepts, every name Keras's metric and
    loss objects give themselves (``auc_1`` for a second AUC) and every loss has the direction Keras gives it."""
    directed, _ = _keras_directions()
    assert len(directed) > 100
    wrong = {
        name: (metrics.metric_direction(name), keras_says)
        for name, keras_says in directed.items()
        if metrics.metric_direction(name) != keras_says
        or metrics.metric_direction(f"val_{name}") != keras_says
    }
    assert not wrong, f"dlnotes's direction differs from Keras's (dlnotes, Keras): {wrong}"


def test_metric_direction_refuses_what_keras_gives_no_direction():
    _, undirected = _keras_directions()
    for name in undirected:  # mean, sum, metric, mean_1, ...
        if re.sub(r"_[0-9]+$", "", name) in NOT_DIRECTED_BY_KERAS:
            continue
        with pytest.raises(ValueError, match=rf"metric {re.escape(repr(name))}: dlnotes cannot tell"):
            metrics.metric_direction(name)


def test_every_name_of_the_table_is_keras_s_own_or_listed():
    keras = pytest.importorskip("keras")
    if tuple(int(part) for part in keras.__version__.split(".")[:2]) < (3, 15):
        pytest.skip(f"the table lists Keras 3.15's names; Keras {keras.__version__} has fewer")
    directed, _ = _keras_directions()
    table = {n for group in metrics.LOWER_IS_BETTER + metrics.HIGHER_IS_BETTER for n in group.split()}
    assert table - set(directed) <= NOT_DIRECTED_BY_KERAS


def test_metric_direction_matches_keras_early_stopping_on_a_fitted_model_history():
    """End to end: the names in a real ``history.history`` get the direction Keras's EarlyStopping picks."""
    keras = pytest.importorskip("keras")
    model = keras.Sequential([keras.Input((2,)), keras.layers.Dense(1, activation="sigmoid")])
    model.compile(
        loss="binary_crossentropy",
        metrics=["acc", "mae", keras.metrics.AUC(), keras.metrics.AUC(), keras.losses.huber, "Precision"],
    )
    X = np.array([[0.0, 1.0], [1.0, 0.0], [1.0, 1.0], [0.0, 0.0]], dtype="float32")
    y = np.array([0.0, 1.0, 1.0, 0.0], dtype="float32")
    history = model.fit(X, y, validation_data=(X, y), epochs=1, verbose=0)
    assert len(history.history) == 14
    for name in history.history:
        stopping = keras.callbacks.EarlyStopping(monitor=name)
        stopping.set_model(model)
        if not hasattr(stopping, "_set_monitor_op"):
            pytest.skip("this Keras decides the direction elsewhere")
        stopping._set_monitor_op()
        keras_says = "min" if stopping.monitor_op is keras.ops.less else "max"
        assert metrics.metric_direction(name) == keras_says, name


# ------------------------------------------------------------------ several classes (issue 26, chapter 3b)

C3 = np.array([[5, 2, 0], [0, 6, 3], [2, 0, 4]])
SCORES = np.array([[0.5, 0.3, 0.2], [0.1, 0.3, 0.6], [0.2, 0.7, 0.1], [0.3, 0.3, 0.4]])

BAD_INPUTS += [
    (
        metrics.multiclass_confusion_matrix,
        ([0, 1], [0, 1, 1]),
        {},
        ValueError,
        r"y_true has 2 samples but y_pred has 3",
    ),
    (
        metrics.multiclass_confusion_matrix,
        ([0, 1, -1], [0, 1, 1]),
        {},
        ValueError,
        r"y_true must hold class labels 0, 1, 2, \.\.\. .*got -1: recode the classes as 0 \.\.\. k-1",
    ),
    (
        metrics.multiclass_confusion_matrix,
        ([0, 1], [[0.2, 0.8], [0.6, 0.4]]),
        {},
        ValueError,
        r"y_pred must have shape \(n,\) or \(n, 1\).*pass y_pred\.argmax\(axis=1\)",
    ),
    (
        metrics.multiclass_confusion_matrix,
        ([0, 3], [0, 1]),
        {"n_classes": 3},
        ValueError,
        r"n_classes is 3, .*the labels hold 3: pass n_classes=4",
    ),
    (
        metrics.classification_report,
        ([0, 1, 2], [0, 1, 2, 0]),
        {},
        ValueError,
        r"y_true has 3 samples but y_pred has 4",
    ),
    (metrics.top_k_accuracy, ([0, 1, 2, 2], SCORES), {"k": 4}, ValueError, r"k must be <= 3, got 4"),
    (
        metrics.top_k_accuracy,
        ([0, 1, 3, 2], SCORES),
        {"k": 1},
        ValueError,
        r"y_true holds the class 3 but y_score has only 3 columns",
    ),
    (
        metrics.top_k_accuracy,
        ([0, 1], [[0.3], [0.9]]),
        {"k": 1},
        ValueError,
        r"y_score must have one column per class.*binary_report",
    ),
    (
        metrics.top_k_accuracy,
        ([0, 1, 2], SCORES),
        {"k": 1},
        ValueError,
        r"y_true has 3 samples but y_score has 4",
    ),
    (
        metrics.most_confused,
        ({"confusion": C3},),
        {},
        TypeError,
        r"confusion must be a square array of counts.*report\['confusion'\]",
    ),
]


BAD_INPUTS += [  # a k x k matrix of a label far beyond any class count would not fit in memory
    (
        metrics.multiclass_confusion_matrix,
        ([0, 1e308], [0, 1]),
        {},
        ValueError,
        r"y_true holds the label 1e\+308, but the multi-class helpers take at most 4096 classes.*np\.unique",
    ),
]


def _multiclass_case(i: int) -> tuple[np.ndarray, np.ndarray, int]:
    """A seeded case of k classes; the kinds cycle through random, absent classes, one class, constant predictions."""
    rng = np.random.default_rng(2000 + i)
    n, k = int(rng.integers(1, 60)), int(rng.integers(1, 7))
    kind = ["random", "absent", "one_class", "constant_pred", "random"][i % 5]
    y_true = rng.integers(0, k, n)
    y_pred = rng.integers(0, k, n)
    if kind == "absent":  # classes missing from one array, the other, or both
        y_true, y_pred = y_true // 2, y_pred - y_pred % 2
    elif kind == "one_class":
        y_true[:] = int(rng.integers(0, k))
    elif kind == "constant_pred":
        y_pred[:] = int(rng.integers(0, k))
    return y_true, y_pred, k


MULTICLASS_CASES = [_multiclass_case(i) for i in range(200)]


def test_the_multiclass_cases_include_absent_classes_and_a_single_class():
    absent_from_both = sum(any(c not in y and c not in p for c in range(k)) for y, p, k in MULTICLASS_CASES)
    one_class = sum(len(np.unique(y)) == 1 for y, _, _ in MULTICLASS_CASES)
    single_class_problem = sum(k == 1 for _, _, k in MULTICLASS_CASES)
    assert absent_from_both >= 20 and one_class >= 40 and single_class_problem >= 10


@pytest.mark.filterwarnings("ignore:A single label was found")  # scikit-learn's, with labels= given
@pytest.mark.parametrize("case", range(200))
def test_multiclass_metrics_match_scikit_learn(case):
    y_true, y_pred, k = MULTICLASS_CASES[case]
    labels = list(range(k))
    report = metrics.classification_report(y_true, y_pred, n_classes=k)
    expected = skm.confusion_matrix(y_true, y_pred, labels=labels)
    np.testing.assert_array_equal(report["confusion"], expected)
    np.testing.assert_array_equal(metrics.multiclass_confusion_matrix(y_true, y_pred, n_classes=k), expected)
    precision, recall, f1, support = skm.precision_recall_fscore_support(
        y_true, y_pred, labels=labels, average=None, zero_division=0
    )
    for key, values in (("precision", precision), ("recall", recall), ("f1", f1)):
        np.testing.assert_allclose(report[key], values, atol=1e-12, err_msg=key)
    np.testing.assert_array_equal(report["support"], support)
    for average in ("macro", "weighted", "micro"):
        found = skm.precision_recall_fscore_support(
            y_true, y_pred, labels=labels, average=average, zero_division=0
        )
        for key, value in zip(("precision", "recall", "f1"), found[:3]):
            assert report[average][key] == pytest.approx(value, abs=1e-12), (average, key)
    assert report["accuracy"] == pytest.approx(skm.accuracy_score(y_true, y_pred), abs=1e-12)
    assert report["micro"]["f1"] == pytest.approx(report["accuracy"], abs=1e-12)  # one label per sample


def test_classification_report_has_the_documented_keys_and_types():
    report = metrics.classification_report([0, 1, 2, 2], [0, 2, 2, 1])
    assert list(report) == [
        "precision",
        "recall",
        "f1",
        "support",
        "macro",
        "weighted",
        "micro",
        "accuracy",
        "confusion",
    ]
    assert all(report[key].shape == (3,) for key in ("precision", "recall", "f1", "support"))
    assert report["support"].dtype == np.int64 and report["confusion"].dtype == np.int64
    assert all(
        isinstance(report[a][m], float)
        for a in ("macro", "weighted", "micro")
        for m in ("precision", "recall", "f1")
    )


def test_n_classes_adds_the_rows_of_absent_classes_and_they_pull_the_macro_average_down():
    small = metrics.classification_report([0, 1, 1], [0, 1, 1])
    large = metrics.classification_report([0, 1, 1], [0, 1, 1], n_classes=4)
    assert large["confusion"].shape == (4, 4) and large["confusion"][2:].sum() == 0
    assert small["macro"]["f1"] == 1.0 and large["macro"]["f1"] == 0.5  # two classes of 0
    assert large["weighted"]["f1"] == 1.0 and large["micro"]["f1"] == 1.0  # support 0: no weight


def test_labels_as_a_column_and_as_floats_are_accepted():
    expected = metrics.multiclass_confusion_matrix([0, 2, 1], [0, 1, 1])
    found = metrics.multiclass_confusion_matrix(np.array([[0.0], [2.0], [1.0]]), [0.0, 1.0, 1.0])
    np.testing.assert_array_equal(found, expected)


def _score_case(i: int) -> tuple[np.ndarray, np.ndarray, int]:
    rng = np.random.default_rng(3000 + i)
    n, c = int(rng.integers(1, 40)), int(rng.integers(3, 7))
    y_true = rng.integers(0, c, n)
    if i % 3 == 0:  # heavy ties: four possible scores
        y_score = rng.integers(0, 4, (n, c)) / 3
    elif i % 3 == 1:
        y_score = rng.random((n, c))
    else:  # logits, some rows entirely tied
        y_score = rng.normal(size=(n, c))
        y_score[rng.random(n) < 0.3] = 0.0
    return y_true, y_score, int(rng.integers(1, c + 1))


@pytest.mark.parametrize("case", range(120))
def test_top_k_accuracy_matches_scikit_learn_with_ties(case):
    import warnings

    y_true, y_score, k = _score_case(case)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # "k >= n_classes will result in a perfect score"
        expected = skm.top_k_accuracy_score(y_true, y_score, k=k, labels=range(y_score.shape[1]))
    assert metrics.top_k_accuracy(y_true, y_score, k=k) == pytest.approx(expected, abs=1e-12)


def test_top_1_is_the_accuracy_of_the_argmax_and_top_c_is_one():
    rng = np.random.default_rng(5)
    y_true, y_score = rng.integers(0, 5, 50), rng.random((50, 5))
    assert metrics.top_k_accuracy(y_true, y_score, k=1) == np.mean(y_score.argmax(axis=1) == y_true)
    assert metrics.top_k_accuracy(y_true, y_score, k=5) == 1.0
    found = [metrics.top_k_accuracy(y_true, y_score, k=k) for k in range(1, 6)]
    assert found == sorted(found)


def test_top_k_accuracy_matches_keras_without_ties():
    from dlnotes._backend import import_keras

    keras = import_keras()
    rng = np.random.default_rng(8)
    y_true, y_score = rng.integers(0, 6, 80), rng.random((80, 6)).astype("float32")
    for k in (1, 2, 3):
        metric = keras.metrics.SparseTopKCategoricalAccuracy(k=k)
        metric.update_state(y_true, y_score)
        assert metrics.top_k_accuracy(y_true, y_score, k=k) == pytest.approx(float(metric.result()), abs=1e-6)


def test_f1_averages_match_keras_f1score():
    from dlnotes._backend import import_keras

    keras = import_keras()
    rng = np.random.default_rng(9)
    y_true, y_score = rng.integers(0, 4, 100), rng.random((100, 4)).astype("float32")
    y_true[:3] = 3  # class 3 is rare; class ... all are present
    report = metrics.classification_report(y_true, y_score.argmax(axis=1), n_classes=4)
    one_hot = np.eye(4, dtype="float32")[y_true]
    for average in ("macro", "weighted", "micro"):
        metric = keras.metrics.F1Score(average=average)
        metric.update_state(one_hot, y_score)
        assert report[average]["f1"] == pytest.approx(float(metric.result()), abs=1e-6), average
    per_class = keras.metrics.F1Score(average=None)
    per_class.update_state(one_hot, y_score)
    np.testing.assert_allclose(report["f1"], np.asarray(per_class.result()), atol=1e-6)


def test_most_confused_lists_off_diagonal_counts_largest_first_ties_in_row_order():
    assert metrics.most_confused(C3, n=10) == [(1, 2, 3), (0, 1, 2), (2, 0, 2)]
    assert metrics.most_confused(np.diag([3, 4, 5])) == []  # no mistakes
    rng = np.random.default_rng(4)
    for _ in range(30):
        k = int(rng.integers(2, 7))
        matrix = rng.integers(0, 4, (k, k))
        n = int(rng.integers(1, k * k + 1))
        cells = sorted(
            ((i, j, int(matrix[i, j])) for i in range(k) for j in range(k) if i != j and matrix[i, j] > 0),
            key=lambda cell: -cell[2],
        )  # a stable sort: ties stay in row-major order
        assert metrics.most_confused(matrix, n=n) == cells[:n]


# Issue 26: the binary helpers refuse ten-class labels, pointing at the multi-class ones.
BAD_INPUTS += [
    (
        metrics.binary_report,
        (np.arange(20) % 10, np.full(20, 0.5)),
        {},
        ValueError,
        r"y_true must contain only the labels 0 and 1.*10 classes; .*classification_report and "
        r"multiclass_confusion_matrix \(chapter 3b\)",
    ),
]
# ------------------------------------------------------------------ beyond one threshold (chapter 3c)

RANKING = [
    metrics.roc_curve,
    metrics.precision_recall_curve,
    metrics.roc_auc,
    metrics.average_precision,
]
CALIBRATION = [metrics.reliability_curve, metrics.brier_score]

# One array on its own (labels 0 and 1, probabilities, both classes for the curves) is refused by the
# declarations (tests/test_api.py); here what needs two arguments, and the reason why a curve needs both
# classes, whose wording is the lesson.
BAD_INPUTS += [
    (func, (Y, P[:3]), {}, ValueError, r"y_true has 4 samples but y_prob has 3; they must match")
    for func in RANKING + CALIBRATION
]
BAD_INPUTS += [
    (
        metrics.roc_auc,
        ([0, 0, 0, 0], P),
        {},
        ValueError,
        r"y_true must contain both classes 0 and 1, got only label 0 \(negative\) in 4 samples: .*the "
        r"true-positive or false-positive rate divides by zero .*evaluate on a set with both classes",
    ),
]


def _ranking_case(i: int) -> tuple[np.ndarray, np.ndarray]:
    """A seeded case with both classes; half of them with many tied probabilities."""
    rng = np.random.default_rng(2000 + i)
    n = int(rng.integers(2, 80))
    y = rng.integers(0, 2, size=n)
    y[:2] = [0, 1]  # both classes
    rng.shuffle(y)
    kind = i % 4
    if kind == 0:
        p = rng.random(n)
    elif kind == 1:  # heavy ties, within and across the classes
        p = rng.integers(0, 5, size=n) / 4
    elif kind == 2:  # float32 outputs, as from Keras, with ties
        p = (rng.integers(0, 20, size=n) / 19).astype(np.float32)
    else:  # hard 0/1 predictions
        p = rng.integers(0, 2, size=n).astype(float)
    return y, p


RANKING_CASES = [_ranking_case(i) for i in range(120)]


def test_the_ranking_cases_have_ties():
    assert sum(len(np.unique(p)) < len(p) for _, p in RANKING_CASES) >= 80


@pytest.mark.parametrize("case", range(120))
def test_roc_and_precision_recall_curves_match_scikit_learn(case):
    y, p = RANKING_CASES[case]
    roc = metrics.roc_curve(y, p)
    fpr, tpr, thresholds = skm.roc_curve(y, p, drop_intermediate=False)
    np.testing.assert_allclose(roc["fpr"], fpr, atol=1e-12)
    np.testing.assert_allclose(roc["tpr"], tpr, atol=1e-12)
    np.testing.assert_array_equal(roc["threshold"], thresholds)
    assert len(roc["fpr"]) == len(np.unique(p)) + 1  # one point per distinct probability, and (0, 0)
    pr = metrics.precision_recall_curve(y, p)
    precision, recall, pr_thresholds = skm.precision_recall_curve(y, p)
    np.testing.assert_allclose(pr["precision"], precision[::-1], atol=1e-12)
    np.testing.assert_allclose(pr["recall"], recall[::-1], atol=1e-12)
    np.testing.assert_array_equal(pr["threshold"][1:], pr_thresholds[::-1])
    assert metrics.roc_auc(y, p) == pytest.approx(skm.roc_auc_score(y, p), abs=1e-12)
    assert metrics.average_precision(y, p) == pytest.approx(skm.average_precision_score(y, p), abs=1e-12)


def test_roc_auc_is_the_share_of_pairs_ranked_right_with_ties_counting_half():
    for y, p in RANKING_CASES:
        diff = p[y == 1][:, None].astype(np.float64) - p[y == 0][None, :]
        expected = np.mean(diff > 0) + 0.5 * np.mean(diff == 0)
        assert metrics.roc_auc(y, p) == pytest.approx(expected, abs=1e-12)


def test_a_perfect_ranking_and_a_reversed_one():
    y = np.array([0, 0, 1, 1])
    assert metrics.roc_auc(y, [0.1, 0.2, 0.3, 0.4]) == 1.0
    assert metrics.average_precision(y, [0.1, 0.2, 0.3, 0.4]) == 1.0
    assert metrics.roc_auc(y, [0.4, 0.3, 0.2, 0.1]) == 0.0
    assert metrics.roc_auc(y, [0.5, 0.5, 0.5, 0.5]) == 0.5  # all tied: one diagonal step


def test_curves_start_with_nothing_flagged_and_end_with_everything_flagged():
    y, p = np.array([0, 1, 1, 0, 1]), np.array([0.3, 0.9, 0.3, 0.1, 0.6])
    roc, pr = metrics.roc_curve(y, p), metrics.precision_recall_curve(y, p)
    assert roc["threshold"][0] == np.inf and pr["threshold"][0] == np.inf
    assert (roc["fpr"][0], roc["tpr"][0], roc["fpr"][-1], roc["tpr"][-1]) == (0, 0, 1, 1)
    assert (pr["recall"][0], pr["precision"][0], pr["recall"][-1]) == (0, 1, 1)
    assert pr["precision"][-1] == pytest.approx(y.mean())
    assert np.all(np.diff(roc["threshold"]) < 0)  # strictly decreasing: ties are one point
    # the point at threshold t flags p >= t: the counts agree with a direct count
    for t, tpr in zip(roc["threshold"][1:], roc["tpr"][1:]):
        assert tpr == np.mean(p[y == 1] >= t)


def test_column_vectors_are_accepted_by_the_ranking_metrics():
    y, p = RANKING_CASES[0]
    assert metrics.roc_auc(y.reshape(-1, 1), p.reshape(-1, 1)) == metrics.roc_auc(y, p)
    assert metrics.brier_score(list(y), list(p)) == metrics.brier_score(y, p)


@pytest.mark.parametrize("n_bins", [1, 2, 5, 10])
def test_reliability_curve_and_brier_score_match_scikit_learn(n_bins):
    from sklearn.calibration import calibration_curve

    for y, p in RANKING_CASES:
        curve = metrics.reliability_curve(y, p, n_bins=n_bins)
        full = curve["count"] > 0
        share, mean_prob = calibration_curve(y, p, n_bins=n_bins)
        np.testing.assert_allclose(curve["fraction_positive"][full], share, atol=1e-12)
        np.testing.assert_allclose(curve["mean_prob"][full], mean_prob, atol=1e-6)  # float32 cases
        assert np.all(np.isnan(curve["mean_prob"][~full]))
        assert curve["count"].sum() == len(y) and len(curve["edges"]) == n_bins + 1
        assert metrics.brier_score(y, p) == pytest.approx(skm.brier_score_loss(y, p), abs=1e-7)


def test_reliability_curve_bins_are_closed_on_the_right_like_scikit_learn():
    curve = metrics.reliability_curve([0, 1, 1, 0], [0.0, 0.5, 1.0, 0.25], n_bins=2)
    assert curve["count"].tolist() == [3, 1]  # 0.5 on the edge belongs to the lower bin


def test_calibration_accepts_a_single_class():
    assert metrics.brier_score([1, 1], [1.0, 0.5]) == 0.125
    assert metrics.reliability_curve([0, 0], [0.1, 0.9], n_bins=2)["fraction_positive"].tolist() == [0.0, 0.0]


def test_roc_auc_matches_keras_on_a_grid_fine_enough():
    """Keras counts at num_thresholds evenly spaced thresholds; once no grid cell holds both classes, it is exact."""
    from dlnotes._backend import import_keras

    keras = import_keras()
    rng = np.random.default_rng(5)
    y = rng.integers(0, 2, 60)
    p = rng.integers(1, 50, 60) / 50  # on a grid of 1/50: no cell of a 1/999 grid mixes two values
    auc = keras.metrics.AUC(curve="ROC", num_thresholds=1000)
    auc.update_state(y.reshape(-1, 1).astype("float32"), p.reshape(-1, 1).astype("float32"))
    assert float(auc.result()) == pytest.approx(metrics.roc_auc(y, p), abs=1e-5)
