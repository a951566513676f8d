"""dlnotes: the small, tested package behind the book *Designing and training deep-learning models*.

One module per chapter plus shared helpers:

- :mod:`dlnotes.design` — chapter 1, designing a network;
- :mod:`dlnotes.scratch` — chapter 2, training from scratch in NumPy;
- :mod:`dlnotes.evaluation` — chapter 3, metrics for evaluation and prediction;
- :mod:`dlnotes.tips` — chapters 4 to 6, training tips as experiments;
- :mod:`dlnotes.distributed` — chapter 7, the same workflow on several devices and machines;
- :mod:`dlnotes.data` — small data sets made or shipped locally, seeded splits, standardising;
- :mod:`dlnotes.plotting` — training curves.

``import dlnotes`` is light: TensorFlow and Matplotlib are imported only by the functions that need them.
"""

from __future__ import annotations

import random

import numpy as np

from . import data, design, distributed, evaluation, plotting, scratch, tips
from ._validation import check_seed

__version__ = "0.1.0"

__all__ = [
    "seed_everything",
    "design",
    "scratch",
    "evaluation",
    "tips",
    "distributed",
    "data",
    "plotting",
    "__version__",
]


def seed_everything(seed: int = 42) -> None:
    """Seed Python's ``random``, NumPy's global generator, TensorFlow and Keras in one call.

    Call it at the top of a notebook or script so that weight initialisation, shuffling and
    dropout masks repeat exactly. It also imports TensorFlow quietly (without its start-up lines
    on stderr), so later ``import keras`` or ``import tensorflow`` statements print nothing.

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
    seed = check_seed(seed)
    from ._backend import import_keras

    keras = import_keras()
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
