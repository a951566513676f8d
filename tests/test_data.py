"""dlnotes.data: seeded data sets, splits and standardising."""

import numpy as np
import pytest

from dlnotes import data

# What one argument can get wrong on its own is declared beside each signature (@checked), and
# tests/test_api.py generates those bad-input cases. Kept here: what needs two arguments, and messages
# whose wording is the lesson.
BAD_INPUTS = [
    (
        data.train_val_test_split,
        (np.zeros((5, 2)), np.zeros(4)),
        {},
        ValueError,
        r"X has 5 samples but y has 4",
    ),
    (
        data.train_val_test_split,
        (np.zeros((5, 2)), np.zeros(5)),
        {"val_size": 0.5, "test_size": 0.5},
        ValueError,
        r"val_size \+ test_size must be below 1",
    ),
    (
        data.load_digits,
        (),
        {"val_size": 0.5, "test_size": 0.5},
        ValueError,
        r"val_size \+ test_size must be below 1",
    ),
    (
        data.train_val_test_split,
        (np.zeros((10, 2)), np.r_[np.zeros(9), 1.0]),
        {},
        ValueError,
        r"needs at least 2 samples of every class \(one on each side of a split\), .*class\(es\) 1: pass stratify=",
    ),
    (
        data.train_val_test_split,
        (np.zeros((2, 2)), np.zeros(2)),
        {"stratify": False},
        ValueError,
        r"cannot split 2 samples into train, validation and test: .*empty",
    ),
    (
        data.standardize,
        (np.zeros((3, 2)), np.zeros((2, 3))),
        {},
        ValueError,
        r"others\[0\] has 3 features but X_train has 2",
    ),
    (data.standardize, (np.zeros(3),), {}, ValueError, r"X_train must be 2-D.*X\.reshape\(-1, 1\)"),
]

# Issue 24: a target that cannot be stratified says stratify=False first; shapes described as they are.
BAD_INPUTS += [
    (
        data.train_val_test_split,
        (np.zeros((60, 2)), np.arange(60) % 30 + 0.5 * (np.arange(60) % 2)),
        {},
        ValueError,
        r"^stratify=True needs class labels, but y holds continuous values .*pass stratify=False",
    ),
    (
        data.train_val_test_split,
        (np.zeros((60, 2)), np.r_[np.arange(40), np.zeros(20)]),
        {},
        ValueError,
        r"^stratify=True needs class labels, but y has 40 distinct values among 60 samples.*stratify=False",
    ),
    (
        data.train_val_test_split,
        (np.zeros((5, 0)), np.zeros(5)),
        {},
        ValueError,
        r"X has 5 samples but no features",
    ),
    (
        data.train_val_test_split,
        (np.zeros((4, 2)), np.zeros((4, 1))),
        {},
        ValueError,
        r"y must be 1-D.*y\.ravel\(\)",
    ),
]


def test_random_data_matches_the_source_shape_and_repeats_for_a_seed():
    X, y = data.make_random_data(100, 10, seed=5)
    assert X.shape == (100, 10) and y.shape == (100,)
    assert X.min() >= 0 and X.max() < 1 and set(np.unique(y)) == {0, 1}
    X2, y2 = data.make_random_data(100, 10, seed=5)
    np.testing.assert_array_equal(X, X2)
    np.testing.assert_array_equal(y, y2)
    assert not np.array_equal(X, data.make_random_data(100, 10, seed=6)[0])


def test_pattern_data_labels_follow_a_linear_rule():
    from sklearn.linear_model import LogisticRegression

    X, y = data.make_pattern_data(400, 10, seed=0)
    accuracy = LogisticRegression(C=100.0, max_iter=2000).fit(X, y).score(X, y)
    assert accuracy > 0.97


def test_pattern_data_noise_flips_about_that_fraction():
    X, clean = data.make_pattern_data(5000, 4, seed=2)
    _, noisy = data.make_pattern_data(5000, 4, noise=0.2, seed=2)
    assert 0.17 < np.mean(clean != noisy) < 0.23


def test_split_is_stratified_disjoint_and_seeded():
    X = np.arange(200, dtype=float).reshape(100, 2)
    y = np.r_[np.zeros(70), np.ones(30)]
    split = data.train_val_test_split(X, y, val_size=0.2, test_size=0.2, seed=1)
    assert split.sizes() == (60, 20, 20)
    for part in (split.y_train, split.y_val, split.y_test):
        assert abs(part.mean() - 0.3) < 0.051
    rows = np.concatenate([split.X_train, split.X_val, split.X_test])[:, 0]
    assert sorted(rows) == sorted(X[:, 0])
    again = data.train_val_test_split(X, y, val_size=0.2, test_size=0.2, seed=1)
    np.testing.assert_array_equal(split.X_test, again.X_test)
    other = data.train_val_test_split(X, y, val_size=0.2, test_size=0.2, seed=2)
    assert not np.array_equal(split.X_test, other.X_test)


def test_breast_cancer_has_569_samples_30_features_and_names():
    split = data.load_breast_cancer(seed=0)
    assert sum(split.sizes()) == 569
    assert split.X_train.shape[1] == 30 and len(split.feature_names) == 30
    assert split.feature_names[0] == "mean radius"
    assert split.y_train.dtype == np.int64


def test_standardize_uses_training_statistics_only():
    rng = np.random.default_rng(0)
    train = rng.normal(5.0, 3.0, size=(50, 3))
    test = rng.normal(5.0, 3.0, size=(10, 3))
    train_s, test_s = data.standardize(train, test)
    np.testing.assert_allclose(train_s.mean(axis=0), 0.0, atol=1e-12)
    np.testing.assert_allclose(train_s.std(axis=0), 1.0)
    np.testing.assert_allclose(test_s, (test - train.mean(axis=0)) / train.std(axis=0))


def test_standardize_constant_column_gives_no_nan_or_inf():
    train = np.array([[1.0, 7.0], [3.0, 7.0]])
    train_s, new = data.standardize(train, np.array([[2.0, 9.0]]))
    assert np.all(np.isfinite(train_s)) and np.all(np.isfinite(new))
    np.testing.assert_array_equal(train_s[:, 1], [0.0, 0.0])
    assert new[0, 1] == 2.0


def test_standardize_returns_a_tuple_even_for_one_array():
    (only,) = data.standardize(np.array([[1.0], [3.0]]))
    np.testing.assert_array_equal(only, [[-1.0], [1.0]])


@pytest.mark.parametrize("size", [0.1, 0.3])
def test_split_sizes_follow_the_fractions(size):
    X, y = data.make_pattern_data(200, 3, seed=0)
    split = data.train_val_test_split(X, y, val_size=size, test_size=size, seed=0)
    assert split.sizes()[2] == round(200 * size)


def test_breast_cancer_keeps_scikit_learns_coding_by_default():
    from sklearn import datasets

    split = data.load_breast_cancer(seed=0)
    assert split.target_names == ("malignant", "benign")
    total = np.concatenate([split.y_train, split.y_val, split.y_test])
    assert total.sum() == (datasets.load_breast_cancer().target == 1).sum() == 357


def test_breast_cancer_positive_malignant_flips_only_the_labels():
    benign = data.load_breast_cancer(seed=3)
    malignant = data.load_breast_cancer(positive="malignant", seed=3)
    assert malignant.target_names == ("benign", "malignant")
    for part in ("train", "val", "test"):
        np.testing.assert_array_equal(getattr(malignant, f"X_{part}"), getattr(benign, f"X_{part}"))
        np.testing.assert_array_equal(getattr(malignant, f"y_{part}"), 1 - getattr(benign, f"y_{part}"))
        assert getattr(malignant, f"y_{part}").dtype == np.int64
    total = np.concatenate([malignant.y_train, malignant.y_val, malignant.y_test])
    assert total.sum() == 212


def test_breast_cancer_split_is_stratified_and_seeded():
    split = data.load_breast_cancer(positive="malignant", seed=0)
    for y in (split.y_train, split.y_val, split.y_test):
        assert abs(y.mean() - 212 / 569) < 0.01
    np.testing.assert_array_equal(split.X_test, data.load_breast_cancer(positive="malignant", seed=0).X_test)
    assert not np.array_equal(split.X_test, data.load_breast_cancer(positive="malignant", seed=1).X_test)


# ----------------------------------------------------------------------------------------------------
# to_dataset
# ----------------------------------------------------------------------------------------------------
def _epoch_order(dataset):
    return np.concatenate([x.numpy()[:, 0] for x, _ in dataset])


BAD_INPUTS += [
    # to_dataset
    (data.to_dataset, (np.zeros((3, 2)), np.zeros(4)), {}, ValueError, r"X has 3 samples but y has 4"),
]


def test_to_dataset_batches_all_samples_as_float32():
    X = np.arange(20, dtype=float).reshape(10, 2)
    y = np.arange(10) % 2
    batches = list(data.to_dataset(X, y, batch_size=4))
    assert [len(x) for x, _ in batches] == [4, 4, 2]
    assert batches[0][0].dtype.name == "float32" and batches[0][1].dtype.name == "float32"
    np.testing.assert_array_equal(_epoch_order(data.to_dataset(X, y, batch_size=4)), X[:, 0])
    assert len(list(data.to_dataset(X, y))) == 1  # full batch by default


def test_to_dataset_shuffle_is_seeded_and_changes_every_epoch():
    X = np.arange(200, dtype=float).reshape(100, 2)
    y = np.zeros(100)
    a = data.to_dataset(X, y, batch_size=10, shuffle=True, seed=3)
    b = data.to_dataset(X, y, batch_size=10, shuffle=True, seed=3)
    first, second = _epoch_order(a), _epoch_order(a)
    np.testing.assert_array_equal(first, _epoch_order(b))  # same seed, same first epoch
    np.testing.assert_array_equal(second, _epoch_order(b))  # and the same second epoch
    assert not np.array_equal(first, second)  # a new order every epoch
    assert sorted(first) == sorted(X[:, 0])
    other = _epoch_order(data.to_dataset(X, y, batch_size=10, shuffle=True, seed=4))
    assert not np.array_equal(first, other)


def test_load_digits_is_the_whole_bundled_data_split_stratified_with_pixels_row_by_row():
    from sklearn import datasets

    split = data.load_digits(seed=0)
    bunch = datasets.load_digits()
    assert sum(split.sizes()) == len(bunch.target) == 1797
    assert split.target_names == tuple(str(k) for k in range(10))
    assert split.feature_names[:2] == ("pixel_0_0", "pixel_0_1") and len(split.feature_names) == 64
    everything = np.concatenate([split.y_train, split.y_val, split.y_test])
    np.testing.assert_array_equal(np.bincount(everything), np.bincount(bunch.target))
    for labels in (split.y_train, split.y_val, split.y_test):  # stratified: every class in every part
        assert labels.dtype == np.int64 and set(labels) == set(range(10))
    image = split.X_test[0].reshape(8, 8)
    index = int(np.flatnonzero((bunch.data == split.X_test[0]).all(axis=1))[0])
    np.testing.assert_array_equal(image, bunch.images[index])
    np.testing.assert_array_equal(data.load_digits(seed=0).y_val, split.y_val)
