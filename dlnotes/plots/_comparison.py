"""Pictures of a :class:`dlnotes.training.Comparison`: runs that differ in one option (chapters 1 and 4)."""

from __future__ import annotations

from typing import Any

import numpy as np

from .. import _checks as checks
from .._checks import checked
from .._labels import tr
from .._plot import AXES, TITLE, draw_curves, new_axes, result_of
from ..training import Comparison

__all__ = ["plot_comparison", "plot_learning_rate_sweep"]


#: What :func:`dlnotes.training.compare` returns.
COMPARISON = result_of(Comparison, "a Comparison from dlnotes.training.compare()")


@checked(comparison=COMPARISON, title=TITLE, logy=checks.boolean, ax=AXES)
def plot_comparison(
    comparison: Comparison, *, title: str | None = None, logy: bool = False, ax: Any = None
) -> Any:
    """Every run of a :func:`dlnotes.training.compare`: training loss per epoch (validation dashed),
    epoch 0 being the shared initial weights.

    Parameters
    ----------
    comparison : Comparison
    title : str, optional
        By default ``"Same network, same start, different <option>"``.
    logy : bool
        Logarithmic loss axis.
    ax : matplotlib Axes, optional

    Returns
    -------
    matplotlib.axes.Axes

    Examples
    --------
    >>> from dlnotes.training import Comparison
    >>> runs = Comparison("optimizer", ("sgd", "adam"), ("sgd", "adam"), ((0.7, 0.69, 0.68), (0.7, 0.6, 0.5)))
    >>> ax = plot_comparison(runs)
    >>> ax.get_lines()[0].get_xdata().tolist(), ax.get_legend().get_title().get_text()
    ([0, 1, 2], 'optimizer')
    """
    ax = new_axes(ax, (6.0, 3.6))
    curves = {label: np.asarray(c, dtype=float) for label, c in zip(comparison.labels, comparison.losses)}
    draw_curves(ax, curves, first_x=0, lw=2)
    for i, curve in enumerate(comparison.val_losses):
        ax.plot(np.arange(len(curve)), curve, color=f"C{i % 10}", linestyle="--", lw=1)
    if logy:
        ax.set_yscale("log")
    ax.set_xlabel(tr("epoch (0 = the shared initial weights)"))
    ax.set_ylabel(
        tr("loss (binary cross-entropy): training solid, validation dashed")
        if comparison.val_losses
        else tr("training loss (binary cross-entropy)")
    )
    option = tr(comparison.option.replace("_", " "))
    ax.set_title(
        title if title is not None else tr("Same network, same start, different {option}", option=option)
    )
    ax.legend(title=tr(comparison.option))
    ax.grid(alpha=0.3)
    return ax


@checked(comparison=COMPARISON, cap=checks.optional(checks.number(0.0, low_inclusive=False)))
def plot_learning_rate_sweep(comparison: Comparison, *, cap: float | None = None) -> Any:
    """Two panels for a comparison of learning rates: final loss against learning rate (log axis), and
    every training-loss curve.

    The left panel shows the final validation loss too when the comparison has it, and marks
    ``comparison.best()`` with what chose it. Diverged runs are drawn as a red ``x`` at the top of
    the left panel. Losses above ``cap`` (and NaN) are cut at ``cap`` so that one exploding run
    does not flatten all the others.

    Parameters
    ----------
    comparison : Comparison
        From ``compare(X, y, "learning_rate", [...])``.
    cap : float, optional
        Highest loss drawn; by default 1.5 times the largest initial loss.

    Returns
    -------
    matplotlib.figure.Figure

    Examples
    --------
    >>> from dlnotes.training import Comparison
    >>> curves = ((0.7, 0.6), (0.7, 0.2), (0.7, float("nan")))
    >>> runs = Comparison("learning_rate", ("0.01", "1", "100"), (0.01, 1.0, 100.0), curves)
    >>> fig = plot_learning_rate_sweep(runs)
    >>> [ax.get_xscale() for ax in fig.axes]
    ['log', 'linear']
    """
    if comparison.option != "learning_rate":
        raise ValueError(
            f"comparison must compare learning rates, got one of {comparison.option!r}; draw it with "
            "plot_comparison, or compare(X, y, 'learning_rate', [...])"
        )
    starts = [c[0] for c in comparison.losses if np.isfinite(c[0])]
    if cap is None:
        cap = 1.5 * max(starts) if starts else 1.0
    import matplotlib.pyplot as plt

    fig, (left, right) = plt.subplots(1, 2, figsize=(9.0, 3.6), layout="constrained")
    _draw_final_losses(left, comparison, cap)
    _draw_loss_curves(right, comparison, cap)
    return fig


def _draw_final_losses(left: Any, sweep: Comparison, cap: float) -> None:
    """The left panel of :func:`plot_learning_rate_sweep`: final loss against learning rate."""
    rates = np.array(sweep.values, dtype=float)
    finals = np.array(sweep.final_losses)
    bad = np.array(sweep.diverged)
    shown = np.where(np.isfinite(finals), np.minimum(finals, cap), cap)
    left.plot(rates, shown, color="0.6", zorder=1)
    left.scatter(rates[~bad], shown[~bad], color="C0", zorder=2, label=tr("training loss"))
    if sweep.val_losses:
        val_finals = np.array(sweep.final_val_losses)
        val_shown = np.where(np.isfinite(val_finals), np.minimum(val_finals, cap), cap)
        left.plot(
            rates[~bad],
            val_shown[~bad],
            color="C1",
            linestyle="--",
            marker="s",
            zorder=2,
            label=tr("validation loss"),
        )
    if bad.any():
        left.scatter(rates[bad], shown[bad], color="C3", marker="x", s=60, zorder=2, label=tr("diverged"))
    best = sweep.best()
    if np.isfinite(best):
        left.axvline(
            best,
            color="C2",
            linestyle=":",
            label=tr("best by {chosen_by}: {best}", chosen_by=tr(sweep.chosen_by), best=f"{best:g}"),
        )
    left.set_xscale("log")
    left.set_ylim(0, cap * 1.05)
    left.set_xlabel(tr("learning rate (log scale)"))
    left.set_ylabel(tr("loss after the last epoch"))
    left.set_title(tr("Final loss vs learning rate"))
    left.legend()
    left.grid(alpha=0.3)


def _draw_loss_curves(right: Any, sweep: Comparison, cap: float) -> None:
    """The right panel of :func:`plot_learning_rate_sweep`: every run's training loss per epoch."""
    epochs = np.arange(len(sweep.losses[0]))
    for i, (label, curve) in enumerate(zip(sweep.labels, sweep.losses)):
        values = np.array(curve)
        inside = np.isfinite(values) & (values <= cap)
        if not inside.all():  # draw up to the first epoch off the plot, marked by a cross at the top
            first_out = int(np.argmin(inside))
            inside[first_out:] = False
            right.plot(epochs[first_out], cap, marker="x", color=f"C{i % 10}", markersize=9)
            if first_out > 0:
                right.plot(
                    epochs[first_out - 1 : first_out + 1],
                    [values[first_out - 1], cap],
                    color=f"C{i % 10}",
                    linestyle=":",
                )
        right.plot(epochs[inside], values[inside], color=f"C{i % 10}", label=label)
    right.set_ylim(0, cap * 1.05)
    right.set_xlabel(tr("epoch (0 = the shared initial weights)"))
    right.set_ylabel(tr("training loss"))
    right.set_title(tr("Training loss per epoch (x: off the scale)"))
    right.legend(fontsize="small", ncol=2, title=tr("learning rate"), title_fontsize="small")
    right.grid(alpha=0.3)
