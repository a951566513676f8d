"""dlnotes: the small, tested package behind the book *Designing and training deep-learning models*.

One module per concept (the chapters reuse them across the book):

- :mod:`dlnotes.data` — data sets made or shipped locally, seeded splits, ``standardize``, ``to_dataset``;
- :mod:`dlnotes.models` — layer sizes, parameter counts, output heads, ``build_mlp``;
- :mod:`dlnotes.scratch` — a network trained in NumPy, step by step;
- :mod:`dlnotes.metrics` — the confusion matrix and the metrics made from it, for two classes and for *k*;
  ROC and precision–recall curves, calibration;
- :mod:`dlnotes.training` — seeded build-compile-fit runs and comparisons of runs;
- :mod:`dlnotes.search` — hyperparameter search ranked on validation data;
- :mod:`dlnotes.distributed` — the same workflow on several devices and machines;
- :mod:`dlnotes.plots` — every picture.

Where each chapter's code lives (the modules each chapter uses):

==========================  ==============================================================
chapter                     modules
==========================  ==============================================================
1 designing a network       ``models``, ``data``, ``training.compare``, ``plots``
2 training                  ``scratch``, ``data``, ``models``, ``plots``
3 evaluation                ``metrics``, ``data``, ``models``, ``plots``
3b multi-class              ``data.load_digits``, ``metrics``, ``plots``
3c beyond one threshold     ``metrics``, ``data``, ``search.repeat_runs``, ``plots``
4 training tips             ``training``, ``data.to_dataset``, ``search.format_table``, ``plots``
5 overfitting               ``training.train_mlp``, ``search.format_table``, ``plots``
5b a trainable network      ``data``, ``search.format_table``, ``plots.plot_curves``
5c tuning the optimizer     ``training.lr_range_test``, ``data``, ``models``, ``plots``
6 tuning                    ``search``, ``training.train_mlp``, ``plots``
7 distributed training      ``distributed``, ``training.train_mlp``, ``search.grid_search``
==========================  ==============================================================

``import dlnotes`` is light: TensorFlow and Matplotlib are imported only by the functions that need them,
and each module above (NumPy with it) only when it is first used: ``dlnotes.data``,
``from dlnotes import data`` and ``import dlnotes.data`` all load it then (PEP 562).
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:  # what the type checker sees; at run time __getattr__ loads them on first use
    from . import data, distributed, metrics, models, plots, scratch, search, training
    from ._seed import seed_everything

__version__ = "0.1.0"

# The modules loaded on first use, in __all__'s order.
_SUBMODULES = ("data", "models", "scratch", "metrics", "training", "search", "distributed", "plots")

__all__ = [
    "seed_everything",
    "data",
    "models",
    "scratch",
    "metrics",
    "training",
    "search",
    "distributed",
    "plots",
    "__version__",
]


def __getattr__(name: str) -> Any:
    """Load a module of dlnotes the first time it is used (PEP 562); ``import dlnotes`` stays light."""
    if name in _SUBMODULES:
        module = importlib.import_module(f".{name}", __name__)
        globals()[name] = module  # later look-ups find it directly
        return module
    if name == "seed_everything":  # its declared check needs NumPy
        function = importlib.import_module("._seed", __name__).seed_everything
        globals()[name] = function
        return function
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


def __dir__() -> list[str]:
    return sorted(set(globals()) | set(__all__))
