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
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


def __dir__() -> list[str]:
    return sorted(set(globals()) | set(__all__))


def seed_everything(seed: int = 42) -> None:
    """Seed Python's ``random``, NumPy's global generator, TensorFlow and Keras in one call.

    Call it at the top of a notebook or script so that weight initialisation, shuffling and
    dropout masks repeat exactly. It also imports TensorFlow quietly (without its start-up lines
    on stderr), so later ``import keras`` or ``import tensorflow`` statements print nothing; and
    when it is the one that imports it, it moves the objects that import made (some 400,000, which
    live as long as the process) out of the garbage collector's reach (``gc.freeze``): KerasTuner
    runs two full collections per trial, each of which would otherwise walk them all (0.2-0.6 s).

    Parameters
    ----------
    seed : int
        A non-negative integer below 2**32.

    Examples
    --------
    >>> import numpy as np
    >>> seed_everything(0); a = np.random.rand()
    >>> seed_everything(0); b = np.random.rand()
    >>> a == b
    True
    """
    import gc
    import random
    import sys

    import numpy as np

    from ._backend import import_keras
    from ._validation import check_seed

    seed = check_seed(seed)

    first_import = "keras" not in sys.modules
    keras = import_keras()
    if first_import:
        gc.freeze()  # only the import's objects: anything made later is collected as usual
    random.seed(seed)
    np.random.seed(seed)
    keras.utils.set_random_seed(seed)  # also seeds Python, NumPy and TensorFlow; kept explicit above
    # Keras before 3.13 keeps the global SeedGenerator behind unseeded ``keras.random`` calls across
    # set_random_seed, so they would not repeat; clear it as later Keras does (a no-op there).
    try:
        from keras.src.backend.common import global_state
    except ImportError:  # pragma: no cover - a Keras without this private module
        return
    global_state.set_global_attribute("global_seed_generator", None)
