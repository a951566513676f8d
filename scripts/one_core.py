"""Run a command restricted to a single CPU core (like ``taskset -c 0``, but from Python).

``make test`` uses it to re-run every notebook on one core: TensorFlow then uses one thread per
operation instead of several, and the stored outputs must still be reproduced exactly. Linux only;
elsewhere it says so and runs nothing (exit 0), since macOS and Windows cannot pin a process this way.

Usage: python scripts/one_core.py COMMAND [ARGS...]
"""

from __future__ import annotations

import os
import sys


def main(argv: list[str]) -> int:
    if not argv:
        print(__doc__, file=sys.stderr)
        return 2
    if not hasattr(os, "sched_setaffinity"):
        print("one_core.py: this system cannot pin a process to one core; single-core run skipped")
        return 0
    core = min(os.sched_getaffinity(0))
    os.sched_setaffinity(0, {core})
    print(f"one_core.py: running on CPU core {core} only: {' '.join(argv)}", flush=True)
    os.execvp(argv[0], argv)  # the affinity is inherited by the command and its children (the kernels)


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
