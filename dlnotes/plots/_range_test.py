"""The picture of a learning-rate range test: the loss of each batch against its learning rate."""

from __future__ import annotations

from typing import Any

import numpy as np

from .._checks import checked
from .._labels import tr
from .._plot import AXES, new_axes, result_of
from ..training import RangeTestResult

RANGE_TEST = result_of(RangeTestResult, "a RangeTestResult (from dlnotes.training.lr_range_test)")


@checked(result=RANGE_TEST, ax=AXES)
def plot_range_test(result: RangeTestResult, *, ax: Any = None) -> Any:
    """The loss of each batch (light) and its moving average (dark) against the learning rate, log x-axis.

    Dotted vertical lines mark where the smoothed loss is lowest (``min_loss_rate``) and the
    ``suggestion``, a tenth of it; the y-axis stops a little above the first loss, so a blown-up end
    leaves the top of the plot instead of flattening the rest.

    Parameters
    ----------
    result : RangeTestResult
        What :func:`dlnotes.training.lr_range_test` returned.
    ax : matplotlib.axes.Axes, optional
        Where to draw; a new figure if None.

    Returns
    -------
    matplotlib.axes.Axes

    Examples
    --------
    >>> from dlnotes.training import RangeTestResult
    >>> result = RangeTestResult((0.001, 0.01, 0.1, 1.0), (0.7, 0.5, 0.2, 3.0))
    >>> ax = plot_range_test(result)
    >>> ax.get_xscale(), ax.get_xlabel()
    ('log', 'learning rate (log scale)')
    """
    ax = new_axes(ax, figsize=(6.0, 3.4))
    rates = np.array(result.learning_rates)
    ax.plot(rates, result.losses, color="C0", alpha=0.35, linewidth=1, label=tr("loss of each batch"))
    ax.plot(rates, result.smoothed_losses, color="C0", linewidth=2, label=tr("moving average"))
    for rate, name, color in (
        (result.min_loss_rate, "lowest", "C3"),
        (result.suggestion, "suggestion", "C2"),
    ):
        ax.axvline(rate, color=color, linestyle=":", label=f"{tr(name)}: {rate:.2g}")
    finite = np.array([v for v in result.losses if np.isfinite(v)])
    ax.set_ylim(0.0, 1.3 * max(result.losses[0], float(np.median(finite))))
    ax.set_xscale("log")
    ax.set_xlabel(tr("learning rate (log scale)"))
    ax.set_ylabel(tr("training loss"))
    ax.legend(fontsize="small")
    return ax
