"""Run a command restricted to a single CPU core (like ``taskset -c 0``, but from Python).

``make test`` uses it to re-run every notebook on one core: TensorFlow then uses one thread per
operation instead of several, and the stored outputs must still be reproduced exactly. Linux only:
where a process cannot be pinned (macOS, Windows) it says loudly that the single-core check did NOT
run and exits with status 3, so that ``make test`` does not report a check it never made. Set
``DLNOTES_SKIP_ONE_CORE=1`` to accept that on such a system (the message is still printed).

With ``--each-worker`` the command is a pytest run with pytest-xdist workers: each worker is pinned
to one core of its own (worker ``gw0`` to the first core allowed, ``gw1`` to the second, and so on,
round the cores), and the kernels a worker starts inherit its one core. Every notebook still runs on
exactly one core, and two workers on a 2-core machine take half the time of one pinned run. The
pinning itself is done by the notebooks' ``conftest.py`` (``pin_this_worker``), told the cores by the
environment variable ``DLNOTES_ONE_CORE_EACH_WORKER``.

Usage: python scripts/one_core.py [--each-worker] COMMAND [ARGS...]

>>> main([])
2
>>> main(["--each-worker"])
2
"""

from __future__ import annotations

import os
import sys

NOT_RUN = 3  # exit status when the check could not run
EACH_WORKER = "DLNOTES_ONE_CORE_EACH_WORKER"  # the allowed cores, e.g. "0,1", for conftest.py


def worker_core(worker: str, cores: list[int]) -> int:
    """The one core for pytest-xdist worker ``worker`` ("gw0", "gw1", ...; "" for a run without xdist).

    >>> worker_core("gw0", [0, 1]), worker_core("gw1", [0, 1]), worker_core("gw2", [0, 1])
    (0, 1, 0)
    >>> worker_core("", [2, 3])
    2
    """
    index = int(worker.removeprefix("gw")) if worker else 0
    return sorted(cores)[index % len(cores)]


def pin_this_worker(environ: dict[str, str] | None = None) -> int | None:
    """Pin this process to its worker's core when ``--each-worker`` asked for it; return that core.

    >>> pin_this_worker({}) is None
    True
    """
    environ = os.environ if environ is None else environ  # type: ignore[assignment]
    allowed = environ.get(EACH_WORKER)
    if not allowed:
        return None
    core = worker_core(environ.get("PYTEST_XDIST_WORKER", ""), [int(c) for c in allowed.split(",")])
    os.sched_setaffinity(0, {core})
    return core


def main(argv: list[str], *, can_pin: bool | None = None) -> int:
    """Pin to one core and exec ``argv``; return 2 without a command, 3 (or 0 if allowed) without pinning.

    >>> main(["true"], can_pin=False)
    3
    """
    each_worker = argv[:1] == ["--each-worker"]
    if each_worker:
        argv = argv[1:]
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
    cores = sorted(os.sched_getaffinity(0))
    if each_worker:
        # the workers pin themselves (conftest.py); this process and pytest's controller stay unpinned
        os.environ[EACH_WORKER] = ",".join(map(str, cores))
        print(
            f"one_core.py: each pytest worker on one CPU core of its own, of {cores}: {' '.join(argv)}",
            flush=True,
        )
    else:
        os.sched_setaffinity(0, {cores[0]})
        print(f"one_core.py: running on CPU core {cores[0]} only: {' '.join(argv)}", flush=True)
    os.execvp(argv[0], argv)  # the affinity is inherited by the command and its children (the kernels)


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
