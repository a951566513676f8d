"""dlnotes.plotting: training curves."""

import matplotlib.pyplot as plt

from dlnotes import plotting

BAD_INPUTS = [
    (plotting.plot_history, ([0.5, 0.4],), {}, TypeError, r"history must be a Keras History .* got list"),
    (plotting.plot_history, ({},), {}, ValueError, r"history is empty"),
    (
        plotting.plot_history,
        ({"loss": [1.0]},),
        {"metrics": ["accuracy"]},
        ValueError,
        r"metrics \['accuracy'\] are not in history; it has \['loss'\]",
    ),
    (plotting.plot_curves, ({},), {"title": "t"}, ValueError, r"curves must be a non-empty dict"),
    (plotting.plot_curves, ({"a": [[1.0, 2.0]]},), {"title": "t"}, ValueError, r"curves\['a'\] must be 1-D"),
]


class FakeHistory:
    history = {"loss": [0.7, 0.5], "val_loss": [0.8, 0.6], "accuracy": [0.5, 0.7]}


def test_plot_history_draws_each_metric_and_its_validation_twin():
    ax = plotting.plot_history(FakeHistory())
    labels = [line.get_label() for line in ax.get_lines()]
    assert labels == ["loss", "val_loss", "accuracy"]
    assert ax.get_lines()[1].get_linestyle() == "--"
    assert ax.get_xlabel() == "epoch" and ax.get_title()


def test_plot_history_accepts_one_metric_name_and_a_given_axes():
    _, ax = plt.subplots()
    out = plotting.plot_history(FakeHistory.history, "accuracy", title="acc", ax=ax)
    assert out is ax and ax.get_title() == "acc"
    assert [line.get_label() for line in ax.get_lines()] == ["accuracy"]


def test_plot_curves_labels_and_log_axis():
    ax = plotting.plot_curves({"a": [1.0, 0.1], "b": [1.0, 0.5]}, title="T", ylabel="loss", logy=True)
    assert [line.get_label() for line in ax.get_lines()] == ["a", "b"]
    assert ax.get_yscale() == "log" and ax.get_title() == "T"
    assert list(ax.get_lines()[0].get_xdata()) == [1, 2]


def test_epoch_axis_has_only_whole_number_ticks():
    ax = plotting.plot_history({"loss": [1.0, 0.8, 0.7, 0.6, 0.5, 0.45, 0.4, 0.38, 0.36, 0.35]})
    ticks = [t for t in ax.get_xticks() if ax.get_xlim()[0] <= t <= ax.get_xlim()[1]]
    assert ticks and all(float(t).is_integer() for t in ticks)
