"""Import TensorFlow/Keras quietly, only when a function needs them.

TensorFlow 2.21 writes start-up lines straight to the process's stderr (file descriptor 2) while it
loads: absl's "All log messages before absl::InitializeLog()", oneDNN's notice and "Could not find
cuda drivers". ``TF_CPP_MIN_LOG_LEVEL`` does not stop those, because they are written before TF's
log level is read, so we point descriptor 2 at ``/dev/null`` for the duration of the import only.
The import also runs with the garbage collector paused: it creates some 600,000 objects that live
as long as the process, and the collector, triggered again and again while they are made, would walk
the growing heap each time (0.6 s of a 3.3 s import on the 2-core machine, issue 30).
``TF_CPP_MIN_LOG_LEVEL=3`` (unless you set it yourself) then silences what TF logs later, such as
"failed call to cuInit" on the first operation. Python exceptions and warnings are not affected.
"""

from __future__ import annotations

import gc
import os
import sys
from collections.abc import Iterator
from contextlib import contextmanager, suppress
from types import ModuleType


@contextmanager
def _stderr_to_devnull() -> Iterator[None]:
    """Send file descriptor 2 to /dev/null inside the block, then restore it."""
    with suppress(AttributeError, ValueError):  # a closed or replaced stderr
        sys.stderr.flush()
    saved = os.dup(2)
    devnull = os.open(os.devnull, os.O_WRONLY)
    try:
        os.dup2(devnull, 2)
        yield
    finally:
        os.dup2(saved, 2)
        os.close(saved)
        os.close(devnull)


def import_tensorflow() -> ModuleType:
    """Return the ``tensorflow`` module, importing it without its start-up noise."""
    if "tensorflow" in sys.modules:
        return sys.modules["tensorflow"]
    os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "3")
    with _stderr_to_devnull(), collector_paused():
        import tensorflow
    return tensorflow


@contextmanager
def collector_paused() -> Iterator[None]:
    """Pause the garbage collector inside the block, then restore its state (an import makes no cycles to free).

    Once it runs again, its next collection walks every object the block made (0.2 s after TensorFlow's
    import), unless they were frozen first (``gc.freeze``, as :func:`dlnotes.seed_everything` does).
    """
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_enabled:
            gc.enable()


def import_keras() -> ModuleType:
    """Return the ``keras`` module (Keras 3 on the TensorFlow backend), imported quietly."""
    if "keras" not in sys.modules or "tensorflow" not in sys.modules:
        import_tensorflow()
        with _stderr_to_devnull(), collector_paused():
            import keras  # noqa: F401
    return sys.modules["keras"]
