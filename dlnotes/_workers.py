"""The worker programs of chapter 7: ``python -m dlnotes._workers multiworker|tuner ...``.

A separate module (not imported by ``import dlnotes``), so that ``python -m`` runs it without
Python's warning about a module that its package has already imported. The code is in
:mod:`dlnotes.distributed` (``main``).
"""

import sys

from dlnotes.distributed import main

if __name__ == "__main__":
    sys.exit(main())
