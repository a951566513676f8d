"""Run a command restricted to a single CPU core (like ``taskset -c 0``, but from Python).

``make test`` uses it to re-run every notebook on one core: TensorFlow then uses one thread per
operation instead of several, and the stored outputs must still be reproduced exactly. Linux only:
where a process cannot be pinned (macOS, Windows) it says loudly that the single-core check did NOT
run and exits with status 3, so that ``make test`` does not report a check it never made. Set
``DLNOTES_SKIP_ONE_CORE=1`` to accept that on such a system (the message is still printed).

Usage: python scripts/one_core.py COMMAND [ARGS...]

>>> main([])
2
"""

from __future__ import annotations

import os
import sys

NOT_RUN = 3  # exit status when the check could not run


def main(argv: list[str], *, can_pin: bool | None = None) -> int:
    """Pin to one core and exec ``argv``; return 2 without a command, 3 (or 0 if allowed) without pinning.

    >>> main(["true"], can_pin=False)
    3
    """
    if not argv:
        print(__doc__, file=sys.stderr)
        return 2
    if can_pin is None:
        can_pin = hasattr(os, "sched_setaffinity")
    if not can_pin:
        allowed = os.environ.get("DLNOTES_SKIP_ONE_CORE") == "1"
        print(
            "one_core.py: the single-core check did NOT run: this system cannot pin a process to one core"
            + (
                "; skipped because DLNOTES_SKIP_ONE_CORE=1"
                if allowed
                else "; set DLNOTES_SKIP_ONE_CORE=1 to accept that"
            ),
            file=sys.stderr,
        )
        return 0 if allowed else NOT_RUN
    core = min(os.sched_getaffinity(0))
    os.sched_setaffinity(0, {core})
    print(f"one_core.py: running on CPU core {core} only: {' '.join(argv)}", flush=True)
    os.execvp(argv[0], argv)  # the affinity is inherited by the command and its children (the kernels)


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
