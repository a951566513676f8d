"""The process supervisor of chapter 7: start processes, bound them in time, always stop and reap them.

Nothing here knows about TensorFlow or the book: :func:`run_processes` runs any command lines
(the worker programs of :mod:`dlnotes._workers` in the chapter), :class:`ProcessResult` says what
each did, and :func:`free_ports` finds ports for them to listen on. The public names are
re-exported by :mod:`dlnotes.distributed`, where the chapter and the API page use them.

How a run ends (issue 24: it must never hang): when every client has exited; at once when a client
fails, when a server exits while clients still run, or at the time limit. Stopping is SIGTERM to
every process group together, SIGKILL after a grace period, and a ``wait`` for each (no zombie),
in a ``finally`` block.
"""

from __future__ import annotations

import contextlib
import json
import os
import signal
import socket
import subprocess
import tempfile
import time
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from . import _checks as checks
from ._checks import Check, checked
from ._validation import check_bool, describe

__all__ = ["LOOPBACK", "free_ports", "ProcessResult", "run_processes"]

LOOPBACK = "127.0.0.1"
_EXAMPLE = "{'worker 0': [sys.executable, '-c', 'print(1)']}"


def _check_address(address: Any, name: str) -> str:
    if not isinstance(address, str):
        raise TypeError(f"{name} must be a 'host:port' string, got {describe(address)}")
    host, _, port = address.rpartition(":")
    # ASCII digits only: str.isdigit() also takes '²' (which int() refuses) and '٣' (which it reads as 3)
    if not host or not (port.isascii() and port.isdigit()) or not 0 < int(port) < 65536:
        raise ValueError(f"{name} must look like 'host:port' with a port from 1 to 65535, got {address!r}")
    return address


def _check_workers(workers: Any, name: str) -> list[str]:
    if isinstance(workers, (str, bytes)) or not isinstance(workers, Sequence):
        raise TypeError(f"{name} must be a non-empty list of 'host:port' strings, got {describe(workers)}")
    if not workers:
        raise ValueError(f"{name} is empty; give the 'host:port' of every worker, e.g. ['127.0.0.1:20001']")
    return [_check_address(address, f"{name}[{i}]") for i, address in enumerate(workers)]


#: A "host:port" address, and a non-empty list of them (every worker's, for :func:`dlnotes.distributed.tf_config`).
ADDRESS = Check(_check_address, ((20001, TypeError), ("127.0.0.1", ValueError), ("h:70000", ValueError)))
WORKERS = Check(
    _check_workers,
    (
        ("127.0.0.1:2000", TypeError),
        ([], ValueError),
        ([3], TypeError),
        (["127.0.0.1"], ValueError),
        (["127.0.0.1:\u00b2"], ValueError),
    ),
)


@checked(
    n=checks.positive_int,
    host=checks.text("an IPv4 address of this machine, such as '127.0.0.1' (the loopback)"),
)
def free_ports(n: int, host: str = LOOPBACK) -> list[int]:
    """``n`` different TCP ports that are free on ``host`` now, chosen by the operating system.

    Each port is found by binding a socket to port 0, which makes the system pick a free one; all
    ``n`` sockets are held open together (so the ports differ) and closed before returning. Another
    program could take a port between this call and its use; on one machine that is rare enough.

    Examples
    --------
    >>> a, b = free_ports(2)
    >>> a != b and 1024 <= a <= 65535
    True
    """
    sockets = []
    try:
        for _ in range(n):
            s = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
            sockets.append(s)
            try:
                s.bind((host, 0))
            except (
                OSError
            ) as error:  # socket.gaierror for a name that does not resolve, errno 99 for another machine
                raise ValueError(
                    f"host {host!r} is not an IPv4 address of this machine, so no port can be taken on "
                    f"it ({error}); give '127.0.0.1' (the loopback) or one of this machine's "
                    f"addresses, without a port"
                ) from None
        return [s.getsockname()[1] for s in sockets]
    finally:
        for s in sockets:
            s.close()


@dataclass(frozen=True)
class ProcessResult:
    """What one process started by :func:`run_processes` did.

    ``returncode`` is the exit status (negative: ended by that signal); ``stopped`` says that
    :func:`run_processes` ended the process (a server after its clients finished, or everything
    after a failure or the timeout); ``timed_out`` that the run hit its time limit.
    """

    name: str
    pid: int
    returncode: int
    stdout: str
    stderr: str
    stopped: bool = False
    timed_out: bool = False

    def __post_init__(self) -> None:
        for name in ("pid", "returncode"):
            value = getattr(self, name)
            if isinstance(value, bool) or not isinstance(value, int):
                raise TypeError(f"{name} must be an integer, got {describe(value)}")
        for name in ("name", "stdout", "stderr"):
            if not isinstance(getattr(self, name), str):
                raise TypeError(f"{name} must be a string, got {describe(getattr(self, name))}")
        for name in ("stopped", "timed_out"):  # "no" would be truthy: a flag is True or False, nothing else
            check_bool(getattr(self, name), name)

    @property
    def ok(self) -> bool:
        """True if the process exited by itself with status 0."""
        return self.returncode == 0 and not self.stopped

    def json_lines(self) -> list[Any]:
        """The lines of ``stdout`` that are JSON objects, parsed (workers report results this way)."""
        found = []
        for line in self.stdout.splitlines():
            line = line.strip()
            if line.startswith("{"):
                with contextlib.suppress(json.JSONDecodeError):
                    found.append(json.loads(line))
        return found


def _stop_all(processes: Sequence[subprocess.Popen], grace: float = 3.0) -> None:
    """SIGTERM every process's whole group, SIGKILL every group ``grace`` seconds later, and reap them all.

    All groups get the signal together, so stopping takes ``grace`` seconds at most, not ``grace``
    per process. The SIGKILL and the reaping are in a ``finally``: an interrupt during the grace
    period (a second Ctrl-C) still leaves no process and no zombie behind.
    """
    try:
        for process in processes:
            if process.poll() is None:
                with contextlib.suppress(ProcessLookupError, PermissionError):
                    os.killpg(process.pid, signal.SIGTERM)
        deadline = time.monotonic() + grace
        for process in processes:
            with contextlib.suppress(subprocess.TimeoutExpired):
                process.wait(timeout=max(0.0, deadline - time.monotonic()))
    finally:
        for process in processes:
            # also when the process has exited: its group may hold children that outlived it
            with contextlib.suppress(ProcessLookupError, PermissionError):
                os.killpg(process.pid, signal.SIGKILL)
        for process in processes:
            process.wait()


def _check_commands(commands: Any, name: str = "commands") -> Mapping[str, Sequence[str]]:
    if not isinstance(commands, Mapping):
        raise TypeError(
            f"{name} must be a dict of process name -> command line such as {_EXAMPLE}, "
            f"got {describe(commands)}"
        )
    if not commands:
        raise ValueError(f"{name} is empty; give at least one process to run, e.g. {_EXAMPLE}")
    for process, argv in commands.items():
        if not isinstance(process, str):
            raise TypeError(
                f"{name} must have process names (str) as keys, such as {_EXAMPLE}; "
                f"got the key {describe(process)}"
            )
        if (
            isinstance(argv, (str, bytes))
            or not isinstance(argv, Sequence)
            or not all(isinstance(a, str) for a in argv)
        ):
            raise TypeError(
                f"{name}[{process!r}] must be a list of strings such as [sys.executable, '-c', '...'], "
                f"got {describe(argv)}"
            )
        if not argv:
            raise ValueError(
                f"{name}[{process!r}] is an empty command line; give the program and its arguments, "
                f"such as [sys.executable, '-c', '...']"
            )
    return commands


#: Process name -> command line, on its own (what env and servers name is checked against it in the body).
COMMANDS = Check(
    _check_commands,
    (
        (["python", "-c", "1"], TypeError),
        ({}, ValueError),
        ({"a": []}, ValueError),
        ({"a": "python"}, TypeError),
        ({0: ["python", "-c", "1"]}, TypeError),
    ),
)


@checked(commands=COMMANDS, timeout=checks.timeout, check=checks.boolean)
def run_processes(
    commands: Mapping[str, Sequence[str]],
    *,
    env: Mapping[str, Mapping[str, str]] | None = None,
    servers: Sequence[str] = (),
    timeout: float = 60.0,
    check: bool = True,
) -> dict[str, ProcessResult]:
    """Run several processes together, bounded in time, and always stop and reap all of them.

    All commands start at once, each in its own process group (so that stopping it also stops
    anything it started), with its output captured to temporary files. The run ends when every
    process that is not a server (every *client*) has exited; then the ``servers`` (processes that
    serve the others and never exit by themselves, like KerasTuner's chief) are stopped. Everything
    is stopped at once, without waiting for the clients, when

    - a client fails (exits with a status other than 0): at start-up, a worker of a distributed job
      waits for a partner without any time limit;
    - a server exits while clients still run, whatever its status: a client may be waiting for it,
      and would wait forever;
    - the run lasts longer than ``timeout`` seconds.

    Stopping is SIGTERM to the group, SIGKILL three seconds later, and a ``wait`` that removes the
    process from the system's table (no zombie is left); it happens in a ``finally`` block, so even
    an exception or an interrupt (Ctrl-C, the notebook's stop button) in the caller leaves nothing
    running.

    Parameters
    ----------
    commands : mapping of str -> list of str
        Process name -> command line (``[sys.executable, "-m", ...]``).
    env : mapping of str -> mapping, optional
        Process name -> environment variables added to the current environment for that process.
    servers : sequence of str
        Names of the processes that serve the others: stopped once all the others have exited, and
        never expected to exit before.
    timeout : float
        Seconds after which everything is stopped.
    check : bool
        Raise ``RuntimeError`` (naming the process, with the end of its stderr) unless every client
        exited with status 0 in time and no server exited before them. With ``False`` the results
        say what happened: a server that left early has ``stopped=False``, the clients it left
        behind ``stopped=True``.

    Returns
    -------
    dict of str -> ProcessResult
        In the order of ``commands``.

    Examples
    --------
    >>> import sys
    >>> results = run_processes({"a": [sys.executable, "-c", "print(6 * 7)"]}, timeout=30)
    >>> results["a"].returncode, results["a"].stdout
    (0, '42\\n')
    """
    env = _check_env(env, commands)
    _check_servers(servers, commands)
    clients = [n for n in commands if n not in servers]
    processes: dict[str, subprocess.Popen] = {}
    files: dict[str, tuple[Any, Any]] = {}
    try:
        try:
            _start(commands, env, processes, files)
            server_left, timed_out = _watch(processes, clients, servers, timeout)
        finally:
            stopped = {name for name, process in processes.items() if process.poll() is None}
            _stop_all(list(processes.values()))
        results = _collect(processes, files, stopped, timed_out)
    finally:
        for out, err in files.values():
            out.close()
            err.close()
    if check:
        _raise_on_failure(results, clients, server_left, timeout)
    return results


def _check_env(env: Any, commands: Mapping[str, Sequence[str]]) -> Mapping[str, Mapping[str, str]]:
    env = {} if env is None else env
    if not isinstance(env, Mapping):
        raise TypeError(f"env must be a dict of process name -> dict of variables, got {describe(env)}")
    for name, variables in env.items():
        if name not in commands:
            raise ValueError(f"env names {name!r}, which is not in commands {list(commands)}")
        if not isinstance(variables, Mapping) or not all(
            isinstance(k, str) and isinstance(v, str) for k, v in variables.items()
        ):
            raise TypeError(f"env[{name!r}] must be a dict of str -> str, got {describe(variables)}")
    return env


def _check_servers(servers: Any, commands: Mapping[str, Sequence[str]]) -> None:
    if isinstance(servers, str) or not isinstance(servers, Sequence):
        raise TypeError(
            f"servers must be a list of process names, such as ['chief'], got {describe(servers)}"
        )
    for name in servers:
        if not isinstance(name, str):
            raise TypeError(
                f"servers must be a list of process names (str), such as ['chief'], "
                f"got the entry {describe(name)}"
            )
        if name not in commands:
            raise ValueError(f"servers names {name!r}, which is not in commands {list(commands)}")
    if set(servers) == set(commands):
        raise ValueError("servers lists every process; at least one must be a client that ends by itself")


def _start(
    commands: Mapping[str, Sequence[str]],
    env: Mapping[str, Mapping[str, str]],
    processes: dict[str, subprocess.Popen],
    files: dict[str, tuple[Any, Any]],
) -> None:
    """Start every command in its own process group, its output to temporary files.

    ``processes`` and ``files`` are filled as the processes start, so that the caller stops and
    closes what did start when a later one cannot.
    """
    for name, argv in commands.items():
        out, err = tempfile.TemporaryFile("w+"), tempfile.TemporaryFile("w+")  # noqa: SIM115 (closed by the caller)
        files[name] = (out, err)
        try:
            processes[name] = subprocess.Popen(
                list(argv),
                stdout=out,
                stderr=err,
                stdin=subprocess.DEVNULL,
                env={**os.environ, **env.get(name, {})},
                start_new_session=True,
            )
        except (FileNotFoundError, PermissionError) as error:
            raise ValueError(
                f"commands[{name!r}] cannot be started: {error}; give a program that exists "
                f"and may be run, such as sys.executable"
            ) from None


def _watch(
    processes: Mapping[str, subprocess.Popen], clients: Sequence[str], servers: Sequence[str], timeout: float
) -> tuple[str | None, bool]:
    """Wait until every client has exited, a client failed, a server left or the time is up.

    Returns the server that exited while clients still ran (or None) and whether the time ran out.
    """
    deadline = time.monotonic() + timeout
    while True:
        codes = [processes[n].poll() for n in clients]
        if all(c is not None for c in codes) or any(c not in (None, 0) for c in codes):
            return None, False
        # poll() also reaps a server that exited, so it does not linger as a zombie meanwhile
        left = [n for n in servers if processes[n].poll() is not None]
        if left:
            return left[0], False
        if time.monotonic() > deadline:
            return None, True
        time.sleep(0.05)


def _collect(
    processes: Mapping[str, subprocess.Popen],
    files: Mapping[str, tuple[Any, Any]],
    stopped: set[str],
    timed_out: bool,
) -> dict[str, ProcessResult]:
    results = {}
    for name, process in processes.items():
        out, err = files[name]
        out.seek(0)
        err.seek(0)
        results[name] = ProcessResult(
            name,
            process.pid,
            process.returncode,
            out.read(),
            err.read(),
            stopped=name in stopped,
            timed_out=timed_out,
        )
    return results


def _tail(text: str, lines: int = 15) -> str:
    return "\n".join(text.strip().splitlines()[-lines:])


def _raise_on_failure(
    results: Mapping[str, ProcessResult], clients: Sequence[str], server_left: str | None, timeout: float
) -> None:
    """``RuntimeError`` naming the process at fault, unless every client exited with status 0 in time."""
    if server_left is not None:
        server = results[server_left]
        waiting = [n for n in clients if results[n].stopped]
        raise RuntimeError(
            f"server {server_left!r} exited with status {server.returncode} while {waiting} still ran; "
            f"a server must serve until its clients are done (they could wait for it forever), so they "
            f"were stopped. End of {server_left!r}'s stderr:\n{_tail(server.stderr)}"
        )
    client_results = [results[n] for n in clients]
    failed = [r for r in client_results if not r.ok and not r.stopped]  # exited by itself, status != 0
    if failed or not all(r.ok for r in client_results):
        culprit = failed[0] if failed else next(r for r in client_results if not r.ok)
        why = f"exited with status {culprit.returncode}" if failed else f"did not finish within {timeout:g} s"
        others = [n for n, r in results.items() if r.stopped and n != culprit.name]
        raise RuntimeError(
            f"process {culprit.name!r} {why}; stopped: {others or 'nothing else'}; "
            f"end of its stderr:\n{_tail(culprit.stderr)}"
        )
