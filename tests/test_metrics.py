"""dlnotes.metrics: metrics from the confusion matrix, checked against scikit-learn and Keras."""

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
    # empty input
    (metrics.binary_report, ([], []), {}, ValueError, r"y_true is empty \(shape \(0,\)\)"),
    (metrics.confusion_matrix, ([], []), {}, ValueError, r"y_true is empty"),
    (metrics.apply_threshold, ([],), {}, ValueError, r"y_prob is empty"),
    (metrics.threshold_curve, (Y, P), {"thresholds": []}, ValueError, r"thresholds is empty"),
    # labels not 0/1
    (
        metrics.binary_report,
        ([0, 1, 2, 1], P),
        {},
        ValueError,
        r"y_true must contain only the labels 0 and 1, got values 0, 1, 2",
    ),
    (
        metrics.binary_report,
        ([-1, 1, 1, 0], P),
        {},
        ValueError,
        r"y_true must contain only the labels 0 and 1",
    ),
    (
        metrics.confusion_matrix,
        (Y, [0.2, 1, 1, 0]),
        {},
        ValueError,
        r"y_pred must contain only the labels 0 and 1, got values 0, 0\.2, 1",
    ),
    (metrics.confusion_matrix, (Y, P), {}, ValueError, r"y_pred must contain only the labels 0 and 1"),
    (metrics.confusion_matrix, (["a", "b"], [0, 1]), {}, TypeError, r"y_true must be array-like of numbers"),
    (
        metrics.threshold_curve,
        ([0, 3, 1, 0], P),
        {},
        ValueError,
        r"y_true must contain only the labels 0 and 1",
    ),
    # probabilities outside [0, 1] or NaN
    (
        metrics.binary_report,
        (Y, [0.2, 1.5, 0.4, 0.9]),
        {},
        ValueError,
        r"y_prob must hold probabilities in \[0, 1\], got values from 0\.2 to 1\.5",
    ),
    (
        metrics.binary_report,
        (Y, [-0.1, 0.5, 0.4, 0.9]),
        {},
        ValueError,
        r"y_prob must hold probabilities in \[0, 1\]",
    ),
    (
        metrics.binary_report,
        (Y, [0.2, np.nan, 0.4, 0.9]),
        {},
        ValueError,
        r"y_prob contains 1 NaN or infinite value",
    ),
    (metrics.apply_threshold, ([0.2, np.inf],), {}, ValueError, r"y_prob contains 1 NaN or infinite value"),
    (metrics.apply_threshold, ([3.0],), {}, ValueError, r"y_prob must hold probabilities in \[0, 1\]"),
    (
        metrics.threshold_curve,
        (Y, [0.2, 0.7, 0.4, 9.0]),
        {},
        ValueError,
        r"y_prob must hold probabilities in \[0, 1\]",
    ),
    # shapes
    (
        metrics.binary_report,
        (Y, np.full((4, 2), 0.5)),
        {},
        ValueError,
        r"y_prob must have shape \(n,\) or \(n, 1\), got \(4, 2\)",
    ),
    (
        metrics.binary_report,
        (np.zeros((4, 2)), P),
        {},
        ValueError,
        r"y_true must have shape \(n,\) or \(n, 1\)",
    ),
    # threshold
    (
        metrics.binary_report,
        (Y, P),
        {"threshold": 1.2},
        ValueError,
        r"threshold must be in \[0, 1\], got 1\.2",
    ),
    (
        metrics.binary_report,
        (Y, P),
        {"threshold": "0.5"},
        TypeError,
        r"threshold must be a real number, got '0\.5'",
    ),
    (
        metrics.apply_threshold,
        (P,),
        {"threshold": float("nan")},
        ValueError,
        r"threshold must be a finite number",
    ),
    (
        metrics.threshold_curve,
        (Y, P),
        {"thresholds": [0.5, 2.0]},
        ValueError,
        r"thresholds must hold probabilities in \[0, 1\]",
    ),
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
