"""The picture of repeated runs: each run's score and the mean ± standard error, per procedure."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from .. import _checks as checks
from .._checks import Check, checked
from .._labels import metric_label, tr
from .._plot import AXES, new_axes
from .._validation import check_mapping, describe
from ..search import Runs


def check_runs(runs: Any, name: str = "runs") -> Mapping[str, Runs]:
    """A non-empty mapping of label -> :class:`dlnotes.search.Runs`."""
    check_mapping(runs, name, "label -> Runs (from repeat_runs or cross_validate)")
    for label, value in runs.items():
        if not isinstance(value, Runs):
            raise TypeError(
                f"{name}[{label!r}] must be a Runs (from repeat_runs or cross_validate), got {describe(value)}"
            )
    return runs


#: Label -> what repeat_runs or cross_validate returned.
RUNS = Check(check_runs, (({}, ValueError), ([1], TypeError), ({"a": [0.1, 0.2]}, TypeError)))


@checked(runs=RUNS, paired=checks.boolean, ax=AXES)
def plot_runs(
    runs: Mapping[str, Runs], *, metric: str = "score", paired: bool = False, ax: Any = None
) -> Any:
    """One column per procedure: a cross for each run, a black dot and bar for the mean ± standard error.

    Two procedures are told apart only when their bars are far apart compared with their length, or,
    when their runs are paired (the same folds or seeds for both), when the pairs all lean one way.

    Parameters
    ----------
    runs : mapping of str -> Runs
        Label -> what :func:`dlnotes.search.repeat_runs` or :func:`dlnotes.search.cross_validate`
        returned.
    metric : str
        The score to draw (one of every ``Runs``' ``metrics``).
    paired : bool
        Join the runs with the same label (the same fold or seed) across the columns with grey lines;
        every ``Runs`` must then have the same labels.
    ax : matplotlib.axes.Axes, optional
        Where to draw; a new figure if None.

    Returns
    -------
    matplotlib.axes.Axes

    Examples
    --------
    >>> from dlnotes.search import repeat_runs
    >>> runs = {"a": repeat_runs(lambda seed: 0.3 + 0.01 * seed), "b": repeat_runs(lambda seed: 0.2)}
    >>> ax = plot_runs(runs)
    >>> [label.get_text() for label in ax.get_xticklabels()], ax.get_ylabel()
    (['a', 'b'], 'score')
    """
    labels = {r.labels for r in runs.values()}
    if paired and len(labels) > 1:
        raise ValueError(
            f"paired=True needs the same labels (folds or seeds) in every Runs, got {sorted(labels)}"
        )
    values = {name: r.values(metric) for name, r in runs.items()}  # Runs checks metric: its type and name
    means = {name: r.mean(metric) for name, r in runs.items()}  # ValueError names a diverged run
    ax = new_axes(ax, figsize=(1.2 + 1.3 * len(runs), 3.4))
    if paired:
        ax.plot(range(len(runs)), list(values.values()), color="0.75", linewidth=0.8, zorder=0)
    for x, (name, r) in enumerate(runs.items()):
        ax.plot(
            [x] * len(values[name]),
            values[name],
            "x",
            color="tab:blue",
            label=tr("one run") if x == 0 else None,
        )
        ax.errorbar(
            x,
            means[name],
            yerr=r.standard_error(metric),
            fmt="o",
            color="black",
            capsize=8,
            label=tr("mean ± standard error") if x == 0 else None,
        )
    ax.set_xticks(range(len(runs)), [str(name) for name in runs])
    ax.set_xlim(-0.6, len(runs) - 0.4)
    ax.set_ylabel(tr(metric_label(metric)))
    ax.legend(fontsize="small")
    return ax
