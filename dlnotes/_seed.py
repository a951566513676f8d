"""``dlnotes.seed_everything``, loaded on first use (``dlnotes.__getattr__``) so that ``import dlnotes``
stays free of NumPy, which its declared check (:mod:`dlnotes._checks`) needs."""

from __future__ import annotations

import gc
import random
import sys

import numpy as np

from . import _checks as checks
from ._backend import collector_paused, import_keras
from ._checks import checked

__all__ = ["seed_everything"]


@checked(seed=checks.seed)
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
    >>> from dlnotes import seed_everything
    >>> seed_everything(0); a = np.random.rand()
    >>> seed_everything(0); b = np.random.rand()
    >>> a == b
    True
    """
    if "keras" in sys.modules:
        keras = import_keras()
    else:
        with collector_paused():  # frozen before the collector runs again, which then never walks them
            keras = import_keras()
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
