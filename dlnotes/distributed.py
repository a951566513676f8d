"""Chapter 7 — the same workflow on several devices and machines, with ``tf.distribute`` and KerasTuner.

The chapter shows the plain TensorFlow code first; this module packages the chores around it:

- :func:`use_logical_cpus` splits the CPU into logical devices, so ``MirroredStrategy`` has several
  replicas to mirror on a machine without GPUs;
- :func:`free_ports` and :func:`tf_config` give every worker process its ``TF_CONFIG`` (addresses on
  the loopback, ports chosen at run time);
- :func:`run_processes` starts worker processes, bounds them in time and always stops and reaps them,
  also when one fails (:class:`ProcessResult`);
- :func:`train_custom` is chapter 2's hand-written training step distributed with ``strategy.run``,
  the way that works under ``MultiWorkerMirroredStrategy`` in Keras 3;
- :func:`run_multiworker` and :func:`run_tuner_search` start the workers of the chapter (a
  multi-worker training, a KerasTuner search with a chief and workers) and collect their results.

The worker processes run this module: ``python -m dlnotes._workers multiworker|tuner ...``, so a
reader who installed dlnotes has them. TensorFlow is imported only inside the functions.
"""

from __future__ import annotations

import contextlib
import json
import math
import os
import signal
import socket
import subprocess
import sys
import tempfile
import time
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np

from . import _keras
from ._validation import (
    check_bool,
    check_float,
    check_int,
    check_learning_rate,
    check_seed,
    check_sizes,
    check_X_y,
    describe,
)

__all__ = [
    "use_logical_cpus",
    "free_ports",
    "tf_config",
    "ProcessResult",
    "run_processes",
    "train_custom",
    "run_multiworker",
    "run_tuner_search",
]

LOOPBACK = "127.0.0.1"
#: The search space of chapter 6's grid search (section 6.1).
TUNER_GRID: dict[str, list[Any]] = {"layers": [1, 2], "units": [8, 64], "activation": ["relu", "tanh"]}


def _check_strategy(strategy: Any, name: str = "strategy") -> Any:
    from ._backend import import_tensorflow

    tf = import_tensorflow()
    if not isinstance(strategy, tf.distribute.Strategy):
        raise TypeError(
            f"{name} must be a tf.distribute.Strategy such as tf.distribute.MirroredStrategy(), "
            f"got {describe(strategy)}"
        )
    return strategy


# ----------------------------------------------------------------------------------------------------
# One machine, several devices
# ----------------------------------------------------------------------------------------------------


def use_logical_cpus(n: int = 2) -> list[str]:
    """Split the first physical CPU into ``n`` logical devices and return their names.

    This is ``tf.config.set_logical_device_configuration`` on the CPU: ``MirroredStrategy`` then
    finds ``n`` devices and keeps one replica of the model on each, as it would on ``n`` GPUs. The
    devices share the same cores, so nothing gets faster; what it shows is the mechanics (split
    batch, synchronised gradients). TensorFlow fixes its devices the first time it runs an
    operation, so call this before anything computes (``dlnotes.seed_everything`` does not
    compute and may come first). Calling it again with the same ``n`` is harmless.

    Parameters
    ----------
    n : int
        Number of logical CPU devices, at least 1.

    Returns
    -------
    list of str
        Device names such as ``['/device:CPU:0', '/device:CPU:1']``.

    Raises
    ------
    RuntimeError
        If TensorFlow has already fixed a different number of CPU devices: restart the kernel and
        call this first.
    """
    n = check_int(n, "n", minimum=1)
    from ._backend import import_tensorflow

    tf = import_tensorflow()
    cpu = tf.config.list_physical_devices("CPU")[0]
    try:
        tf.config.set_logical_device_configuration(
            cpu, [tf.config.LogicalDeviceConfiguration() for _ in range(n)]
        )
    except RuntimeError as error:  # TensorFlow has already initialised its devices
        have = [d.name for d in tf.config.list_logical_devices("CPU")]
        if len(have) == n:
            return have
        raise RuntimeError(
            f"use_logical_cpus({n}) came too late: TensorFlow has already set up {len(have)} CPU device(s) "
            f"({error}). Restart the kernel (or process) and call it before anything computes."
        ) from None
    return [d.name for d in tf.config.list_logical_devices("CPU")]


# ----------------------------------------------------------------------------------------------------
# Several processes: addresses, TF_CONFIG, starting and stopping
# ----------------------------------------------------------------------------------------------------


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
    n = check_int(n, "n", minimum=1)
    if not isinstance(host, str):
        raise TypeError(f"host must be an address such as '127.0.0.1', got {describe(host)}")
    if not host:  # bind() would take '' as every address of the machine
        raise ValueError(
            "host is empty; give an IPv4 address of this machine, such as '127.0.0.1' (the loopback)"
        )
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


def tf_config(
    workers: Sequence[str], index: int, *, chief: str | None = None, task_type: str = "worker"
) -> str:
    """The ``TF_CONFIG`` JSON of one task of a cluster, as ``MultiWorkerMirroredStrategy`` reads it.

    Every process of the cluster gets the same ``cluster`` (all addresses) and its own ``task``
    (its role and its index in that role's list). Without a ``chief``, worker 0 acts as the chief
    (it saves checkpoints and writes summaries).

    Parameters
    ----------
    workers : sequence of str
        ``"host:port"`` of every worker, e.g. ``["127.0.0.1:20001", "127.0.0.1:20002"]``.
    index : int
        Index of this task in the list of its ``task_type``.
    chief : str, optional
        ``"host:port"`` of a separate chief task.
    task_type : {"worker", "chief"}

    Examples
    --------
    >>> tf_config(["127.0.0.1:20001", "127.0.0.1:20002"], 1)
    '{"cluster": {"worker": ["127.0.0.1:20001", "127.0.0.1:20002"]}, "task": {"type": "worker", "index": 1}}'
    """
    if isinstance(workers, (str, bytes)) or not isinstance(workers, Sequence):
        raise TypeError(f"workers must be a non-empty list of 'host:port' strings, got {describe(workers)}")
    if not workers:
        raise ValueError("workers is empty; give the 'host:port' of every worker, e.g. ['127.0.0.1:20001']")
    for i, address in enumerate(list(workers) + ([chief] if chief is not None else [])):
        label = f"workers[{i}]" if i < len(workers) else "chief"
        if not isinstance(address, str):
            raise TypeError(f"{label} must be a 'host:port' string, got {describe(address)}")
        host, _, port = address.rpartition(":")
        # ASCII digits only: str.isdigit() also takes '²' (which int() refuses) and '٣' (which it reads as 3)
        if not host or not (port.isascii() and port.isdigit()) or not 0 < int(port) < 65536:
            raise ValueError(
                f"{label} must look like 'host:port' with a port from 1 to 65535, got {address!r}"
            )
    if not isinstance(task_type, str):
        raise TypeError(f"task_type must be 'worker' or 'chief', got {describe(task_type)}")
    if task_type not in ("worker", "chief"):
        raise ValueError(f"task_type must be 'worker' or 'chief', got {task_type!r}")
    cluster: dict[str, list[str]] = {"worker": list(workers)}
    if chief is not None:
        cluster["chief"] = [chief]
    size = len(cluster[task_type]) if task_type in cluster else 0
    if size == 0:
        raise ValueError("task_type is 'chief' but no chief address was given; pass chief='host:port'")
    index = check_int(index, "index", minimum=0, maximum=size - 1)
    return json.dumps({"cluster": cluster, "task": {"type": task_type, "index": index}})


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
    example = "{'worker 0': [sys.executable, '-c', 'print(1)']}"
    if not isinstance(commands, Mapping):
        raise TypeError(
            f"commands must be a dict of process name -> command line such as {example}, "
            f"got {describe(commands)}"
        )
    if not commands:
        raise ValueError(f"commands is empty; give at least one process to run, e.g. {example}")
    for name, argv in commands.items():
        if not isinstance(name, str):
            raise TypeError(
                f"commands must have process names (str) as keys, such as {example}; "
                f"got the key {describe(name)}"
            )
        if (
            isinstance(argv, (str, bytes))
            or not isinstance(argv, Sequence)
            or not all(isinstance(a, str) for a in argv)
        ):
            raise TypeError(
                f"commands[{name!r}] must be a list of strings such as [sys.executable, '-c', '...'], "
                f"got {describe(argv)}"
            )
        if not argv:
            raise ValueError(
                f"commands[{name!r}] is an empty command line; give the program and its arguments, "
                f"such as [sys.executable, '-c', '...']"
            )
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
    timeout = check_float(timeout, "timeout", low=0.0, low_inclusive=False)
    check = check_bool(check, "check")

    clients = [n for n in commands if n not in servers]
    processes: dict[str, subprocess.Popen] = {}
    files: dict[str, tuple[Any, Any]] = {}
    stopped: set[str] = set()
    timed_out = False
    server_left = None  # the server that exited while clients still ran
    try:
        try:
            for name, argv in commands.items():
                out, err = tempfile.TemporaryFile("w+"), tempfile.TemporaryFile("w+")  # noqa: SIM115 (closed below)
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
            deadline = time.monotonic() + timeout
            while True:
                codes = {n: processes[n].poll() for n in clients}
                if all(c is not None for c in codes.values()) or any(
                    c not in (None, 0) for c in codes.values()
                ):
                    break
                # poll() also reaps a server that exited, so it does not linger as a zombie meanwhile
                left = [n for n in servers if processes[n].poll() is not None]
                if left:
                    server_left = left[0]
                    break
                if time.monotonic() > deadline:
                    timed_out = True
                    break
                time.sleep(0.05)
        finally:
            stopped.update(name for name, process in processes.items() if process.poll() is None)
            _stop_all(list(processes.values()))
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
    finally:
        for out, err in files.values():
            out.close()
            err.close()
    if check:
        if server_left is not None:
            server = results[server_left]
            tail = "\n".join(server.stderr.strip().splitlines()[-15:])
            waiting = [n for n in clients if results[n].stopped]
            raise RuntimeError(
                f"server {server_left!r} exited with status {server.returncode} while {waiting} still ran; a server "
                f"must serve until its clients are done (they could wait for it forever), so they were stopped. "
                f"End of {server_left!r}'s stderr:\n{tail}"
            )
        client_results = {n: results[n] for n in clients}
        failed = [
            r for r in client_results.values() if not r.ok and not r.stopped
        ]  # exited by itself, status != 0
        if failed or timed_out or not all(r.ok for r in client_results.values()):
            culprit = failed[0] if failed else next(r for r in client_results.values() if not r.ok)
            why = (
                f"exited with status {culprit.returncode}"
                if failed
                else f"did not finish within {timeout:g} s"
            )
            tail = "\n".join(culprit.stderr.strip().splitlines()[-15:])
            others = [n for n, r in results.items() if r.stopped and n != culprit.name]
            raise RuntimeError(
                f"process {culprit.name!r} {why}; stopped: {others or 'nothing else'}; "
                f"end of its stderr:\n{tail}"
            )
    return results


# ----------------------------------------------------------------------------------------------------
# The custom distributed training step
# ----------------------------------------------------------------------------------------------------


def train_custom(
    strategy: Any,
    X: Any,
    y: Any,
    *,
    hidden: Sequence[int] = (128, 64),
    learning_rate: float = 3e-3,
    epochs: int = 60,
    batch_size: int | None = None,
    seed: int = 0,
) -> tuple[Any, list[float]]:
    """Train a binary classifier with a hand-written step under any ``tf.distribute`` strategy.

    The model is :func:`dlnotes.models.build_mlp` with Adam, created inside ``strategy.scope()``
    so that every replica holds a copy of each variable. Each step runs the replica function on
    every replica with ``strategy.run``: forward pass and per-sample binary cross-entropy on the
    replica's share of the global batch, ``tf.nn.compute_average_loss`` divides their sum by the
    *global* batch size (all-reduced, so a smaller last batch is divided by its real size), and
    ``optimizer.apply_gradients`` sums the replicas' gradients (the all-reduce) and applies the
    same update everywhere. Summing per-replica losses with ``strategy.reduce`` then gives the
    loss of the whole batch. It is the chapter's plain code, as a function; it works under
    ``MultiWorkerMirroredStrategy``, where Keras 3's ``model.fit`` fails (keras-team/keras#20585).
    With several replicas it needs Keras 3.5 or newer, whose ``apply_gradients`` performs that
    all-reduce; older Keras is refused (there each replica applies its own gradients and the
    copies of the model drift apart).

    Parameters
    ----------
    strategy : tf.distribute.Strategy
    X, y : arrays of shape (n_samples, n_features) and (n_samples,), labels 0 and 1
    hidden : sequence of int
    learning_rate : float
    epochs : int
    batch_size : int or None
        Global batch size (split between the replicas); ``None`` for the whole data set per step.
    seed : int
        Seeds the initial weights (``keras.utils.set_random_seed``).

    Raises
    ------
    RuntimeError
        If ``strategy`` has several replicas and the installed Keras is older than 3.5.

    Returns
    -------
    (keras.Model, list of float)
        The trained model and the mean training loss of each epoch (the loss of each step before
        its update, averaged over the epoch's samples, as ``fit`` reports it).
    """
    strategy = _check_strategy(strategy)
    X, y = check_X_y(X, y, "X", "y", float32=True)
    hidden = check_sizes(hidden, "hidden", min_len=0, example="(128, 64)")
    learning_rate = check_learning_rate(learning_rate)
    epochs = check_int(epochs, "epochs", minimum=1)
    batch_size = len(X) if batch_size is None else check_int(batch_size, "batch_size", minimum=1)
    seed = check_seed(seed)
    _keras.check_replicas(
        strategy.num_replicas_in_sync,
        _keras.KERAS_FOR_REPLICATED_STEP,
        "train_custom (optimizer.apply_gradients)",
    )
    from ._backend import import_keras, import_tensorflow
    from .models import build_mlp

    tf = import_tensorflow()
    keras = import_keras()
    keras.utils.set_random_seed(seed)
    with strategy.scope():
        model = build_mlp(X.shape[1], hidden)
        optimizer = keras.optimizers.Adam(learning_rate=learning_rate)
        optimizer.build(model.trainable_variables)
    loss_fn = keras.losses.BinaryCrossentropy(reduction=None)
    dataset = tf.data.Dataset.from_tensor_slices((X.astype(np.float32), y.astype(np.float32).reshape(-1, 1)))
    dataset = dataset.batch(batch_size).repeat()
    iterator = iter(strategy.experimental_distribute_dataset(dataset))  # one iterator for all epochs
    steps = math.ceil(len(X) / batch_size)

    def replica_step(features, labels):
        context = tf.distribute.get_replica_context()
        n_global = context.all_reduce("SUM", tf.shape(features)[0])
        with tf.GradientTape() as tape:
            probabilities = model(features, training=True)
            loss = tf.nn.compute_average_loss(loss_fn(labels, probabilities), global_batch_size=n_global)
        gradients = tape.gradient(loss, model.trainable_variables)
        optimizer.apply_gradients(zip(gradients, model.trainable_variables))
        return loss * tf.cast(n_global, tf.float32)  # this replica's share of the batch's summed loss

    @tf.function
    def train_step(batch):
        per_replica = strategy.run(replica_step, args=batch)
        return strategy.reduce("SUM", per_replica, axis=None)

    losses = []
    for _ in range(epochs):
        total = sum(float(train_step(next(iterator))) for _ in range(steps))
        losses.append(total / len(X))
    return model, losses


# ----------------------------------------------------------------------------------------------------
# The worker programs and their launchers
# ----------------------------------------------------------------------------------------------------


def _worker_env() -> dict[str, str]:
    # Workers print results on stdout; TensorFlow's C++ logs stay out of it (and mostly off stderr).
    return {"TF_CPP_MIN_LOG_LEVEL": "3", "PYTHONUNBUFFERED": "1"}


def _pattern_data() -> tuple[np.ndarray, np.ndarray]:
    """Chapter 5's overfitting data (section 5.2): 100 standardised training samples, 10 features."""
    from .data import make_pattern_data, standardize, train_val_test_split

    X, y = make_pattern_data(300, 10, noise=0.2, seed=0)
    split = train_val_test_split(X, y, val_size=1 / 3, test_size=1 / 3, seed=0)
    (X_train,) = standardize(split.X_train)
    return X_train, split.y_train


def _multiworker_main(args: Any) -> int:
    from ._backend import import_tensorflow

    tf = import_tensorflow()
    strategy = tf.distribute.MultiWorkerMirroredStrategy()
    X, y = _pattern_data()
    model, losses = train_custom(
        strategy,
        X,
        y,
        hidden=tuple(args.hidden),
        learning_rate=args.learning_rate,
        epochs=args.epochs,
        batch_size=args.batch_size,
        seed=args.seed,
    )
    task = json.loads(os.environ["TF_CONFIG"])["task"]
    resolver = strategy.cluster_resolver
    is_chief = resolver.task_type in (None, "chief") or (
        resolver.task_type == "worker" and resolver.task_id == 0
    )
    if is_chief and args.save:  # only the chief writes the model; the others hold the same weights
        model.save(args.save)
    weights = np.concatenate([w.ravel() for w in model.get_weights()])
    print(
        json.dumps(
            {
                "task": task,
                "cluster": json.loads(os.environ["TF_CONFIG"])["cluster"],
                "replicas": strategy.num_replicas_in_sync,
                "is_chief": bool(is_chief),
                "losses": losses,
                "weights_sum": float(weights.astype(np.float64).sum()),
                "weights": [float(v) for v in weights],
            }
        )
    )
    return 0


def run_multiworker(
    n_workers: int = 2,
    *,
    epochs: int = 60,
    hidden: Sequence[int] = (128, 64),
    learning_rate: float = 3e-3,
    batch_size: int | None = None,
    seed: int = 0,
    save: str | None = None,
    timeout: float = 120.0,
) -> list[dict[str, Any]]:
    """Train chapter 5's overfitting network with ``MultiWorkerMirroredStrategy`` on ``n_workers`` processes.

    Each worker is ``python -m dlnotes._workers multiworker`` with its own ``TF_CONFIG``
    (:func:`tf_config`, loopback addresses on :func:`free_ports`), started and stopped by
    :func:`run_processes`. Every worker loads the same 100 training samples of section 5.1 and
    runs :func:`train_custom`; the strategy gives each worker its share of every global batch.
    Two workers or more need Keras 3.5 or newer, as :func:`train_custom` does (older Keras is
    refused before any worker starts: there each worker applies its own gradients and the
    workers' models drift apart).

    Raises
    ------
    RuntimeError
        If ``n_workers`` is 2 or more and the installed Keras is older than 3.5.

    Returns
    -------
    list of dict
        One report per worker, in task order: ``task``, ``cluster`` (its ``TF_CONFIG``), ``replicas``,
        ``is_chief``, ``losses`` (per epoch), ``weights_sum`` and ``weights``, all weights of the
        trained model in one flat list.
    """
    n_workers = check_int(n_workers, "n_workers", minimum=1)
    epochs = check_int(epochs, "epochs", minimum=1)
    hidden = check_sizes(hidden, "hidden", min_len=0, example="(128, 64)")
    learning_rate = check_learning_rate(learning_rate)
    if batch_size is not None:
        batch_size = check_int(batch_size, "batch_size", minimum=1)
    seed = check_seed(seed)
    if isinstance(save, os.PathLike):
        save = os.fspath(save)
    if save is not None and not isinstance(save, str):
        raise TypeError(
            f"save must be the path of a .keras file, such as 'model.keras', or None, got {describe(save)}"
        )
    if save is not None and not save.endswith(".keras"):
        raise ValueError(
            f"save must be a path ending in .keras, or None, got {save!r}; name the file 'model.keras'"
        )
    # refused here, before any worker starts, rather than by train_custom in every worker
    _keras.check_replicas(
        n_workers,
        _keras.KERAS_FOR_REPLICATED_STEP,
        "run_multiworker (train_custom in each worker)",
        subject=f"n_workers is {n_workers} (one replica each)",
    )
    addresses = [f"{LOOPBACK}:{port}" for port in free_ports(n_workers)]
    argv = [
        sys.executable,
        "-m",
        "dlnotes._workers",
        "multiworker",
        "--epochs",
        str(epochs),
        "--learning-rate",
        repr(learning_rate),
        "--seed",
        str(seed),
        "--hidden",
        *map(str, hidden),
    ]
    if batch_size is not None:
        argv += ["--batch-size", str(batch_size)]
    if save is not None:
        argv += ["--save", save]
    names = [f"worker {i}" for i in range(n_workers)]
    results = run_processes(
        dict.fromkeys(names, argv),
        env={name: {**_worker_env(), "TF_CONFIG": tf_config(addresses, i)} for i, name in enumerate(names)},
        timeout=timeout,
    )
    reports = []
    for name in names:
        lines = results[name].json_lines()
        if not lines:
            raise RuntimeError(
                f"{name} printed no report; its stderr ends with:\n{results[name].stderr[-2000:]}"
            )
        reports.append(lines[-1])
    return reports


def _every_worker_grid_oracle() -> type:
    """KerasTuner's ``GridSearchOracle``, changed so that every expected worker runs at least one trial.

    KerasTuner's chief gives a trial to whichever worker asks first, and its server leaves once no
    trial runs and every worker it has heard from has been told to stop. A worker that asks for
    its first trial only after that (it started late) then waits for a chief that is gone, and
    KerasTuner's client waits up to an hour (issue 24). This oracle answers a worker that has
    already started a trial with ``IDLE`` (KerasTuner's own answer when it has no trial to give:
    the worker asks again) while an expected worker has not started one yet. With no more workers
    than trials, every expected worker therefore starts one before any worker is told to stop.
    """
    import keras_tuner
    from keras_tuner.engine.trial import Trial, TrialStatus

    class EveryWorkerGridOracle(keras_tuner.oracles.GridSearchOracle):
        def __init__(self, workers: Sequence[str] = (), **kwargs: Any) -> None:
            super().__init__(**kwargs)
            self.workers = frozenset(workers)  # the KERASTUNER_TUNER_IDs that must take part
            self.started: set[str] = set()  # the workers that have started a trial

        @keras_tuner.synchronized
        def create_trial(self, tuner_id: str) -> Any:
            if (
                tuner_id in self.started
                and tuner_id not in self.ongoing_trials
                and self.workers - self.started
            ):
                return Trial(self.get_space(), status=TrialStatus.IDLE)  # wait for the others' first trial
            trial = super().create_trial(tuner_id)
            if trial.status == TrialStatus.RUNNING:
                self.started.add(tuner_id)
            return trial

    return EveryWorkerGridOracle


def _keep_the_chief_serving() -> None:
    """Make KerasTuner's chief serve until it is stopped, instead of leaving when it thinks the search is over.

    KerasTuner's server loop (``keras_tuner.src.distribute.oracle_chief.start_server``, no public
    name) leaves when ``exit_chief`` says that no trial runs and no worker it has heard from is
    registered. That ignores workers it has not heard from yet, which then wait for it (issue 24),
    and it can also leave while its last workers are still exiting, which :func:`run_processes`
    rightly treats as a failure. Here the chief is a plain server: :func:`run_processes` stops it
    once every worker has exited.
    """
    from keras_tuner.src.distribute import oracle_chief

    if not callable(getattr(oracle_chief, "exit_chief", None)):
        raise RuntimeError(
            "this KerasTuner has no keras_tuner.src.distribute.oracle_chief.exit_chief, which "
            "dlnotes's chief replaces to keep serving; install the KerasTuner of requirements.txt"
        )
    oracle_chief.exit_chief = lambda oracle: False


def _wait_for_chief(host: str, port: int) -> None:
    """Return once the chief accepts connections, so that the worker's first gRPC connection succeeds.

    A gRPC client whose connection is refused tries again 1 s later, then 1.6 times longer each time
    (up to 2 minutes), so a worker that asked while the chief was still starting could connect tens
    of seconds after the chief is up (measured: 7 s and 20 s after it, for two workers that had
    asked together). This loop has no limit of its own: :func:`run_processes` bounds the run, and
    stops the workers if the chief exits.
    """
    while True:
        try:
            socket.create_connection((host, port), timeout=5).close()
            return
        except OSError:
            time.sleep(0.1)


def _tuner_main(args: Any) -> int:
    import keras_tuner

    from ._backend import import_keras
    from .data import load_breast_cancer, standardize, to_dataset
    from .models import build_mlp

    keras = import_keras()
    split = load_breast_cancer(positive="malignant", seed=0)
    X_train, X_val = standardize(split.X_train, split.X_val)
    ran = []
    tuner_id = os.environ.get("KERASTUNER_TUNER_ID", "alone")
    distributed = "KERASTUNER_ORACLE_IP" in os.environ
    is_chief = (
        distributed and "chief" in tuner_id
    )  # KerasTuner's own test (keras_tuner/src/distribute/utils.py)

    class Chapter6Grid(keras_tuner.HyperModel):
        """Section 6.1's grid, trained exactly like ``search.grid_search`` trains each configuration."""

        def build(self, hp):
            layers = hp.Choice("layers", TUNER_GRID["layers"])
            units = hp.Choice("units", TUNER_GRID["units"])
            activation = hp.Choice("activation", TUNER_GRID["activation"])
            keras.utils.set_random_seed(args.seed)  # every configuration starts from the same seed
            model = build_mlp(X_train.shape[1], (units,) * layers, activation=activation)
            model.compile(
                optimizer=keras.optimizers.Adam(learning_rate=args.learning_rate), loss="binary_crossentropy"
            )
            return model

        def fit(self, hp, model, *fit_args, callbacks=None, **fit_kwargs):
            train = to_dataset(X_train, split.y_train, batch_size=32, shuffle=True, seed=args.seed)
            model.fit(train, epochs=args.epochs, verbose=0, shuffle=False)
            probabilities = np.asarray(model(X_val.astype(np.float32), training=False))
            val_loss = float(
                keras.ops.mean(
                    keras.losses.binary_crossentropy(
                        split.y_val.astype(np.float32).reshape(-1, 1), probabilities
                    )
                )
            )
            val_accuracy = float(np.mean((probabilities[:, 0] > 0.5) == split.y_val))
            ran.append({**hp.values, "val_loss": val_loss, "val_accuracy": val_accuracy})
            return {"val_loss": val_loss, "val_accuracy": val_accuracy}

    class PoliteTuner(keras_tuner.Tuner):
        """A tuner that waits 0.1 s before asking again when the chief had no trial for it.

        KerasTuner's workers ask again at once, thousands of times a second (measured: about 20,000
        requests in one search), which on one core takes most of the time from the worker that trains.
        """

        unanswered = False

        def pre_create_trial(self):
            if self.unanswered:
                time.sleep(0.1)
            self.unanswered = True

        def on_trial_begin(self, trial):
            self.unanswered = False
            super().on_trial_begin(trial)

    if is_chief:
        _keep_the_chief_serving()
    oracle = _every_worker_grid_oracle()(workers=args.workers, objective="val_loss", seed=args.seed)
    tuner = PoliteTuner(
        oracle=oracle,
        hypermodel=Chapter6Grid(),
        directory=args.directory,
        project_name="chapter6_grid",
        overwrite=False,
    )
    if distributed and not is_chief:
        _wait_for_chief(os.environ["KERASTUNER_ORACLE_IP"], int(os.environ["KERASTUNER_ORACLE_PORT"]))
    tuner.search(verbose=0)  # the chief serves here until it is stopped
    print(json.dumps({"tuner_id": tuner_id, "trials": ran}))
    return 0


def run_tuner_search(
    n_workers: int = 2,
    *,
    directory: str,
    epochs: int = 10,
    learning_rate: float = 3e-3,
    seed: int = 0,
    timeout: float = 180.0,
) -> list[dict[str, Any]]:
    """Run chapter 6's grid with KerasTuner's distributed mode: one chief oracle and ``n_workers`` workers.

    Every process runs ``python -m dlnotes._workers tuner`` and differs only in its
    environment: ``KERASTUNER_TUNER_ID`` (``chief`` for the oracle, ``tuner0``, ``tuner1``, ... for
    the workers), ``KERASTUNER_ORACLE_IP`` and ``KERASTUNER_ORACLE_PORT`` (the chief's address on the
    loopback, a free port). The chief hands out the trials of the grid (``TUNER_GRID``: layers,
    units, activation, trained for ``epochs`` epochs as in section 6.1) over gRPC; each worker asks
    for a trial, trains it and reports its score, until none is left, and then exits. The chief
    serves until every worker has exited and is then stopped (:func:`run_processes` treats it as a
    server, and a chief that exits while a worker still runs is an error).

    Two things differ from KerasTuner's defaults, so that the search cannot hang and every worker
    takes part (issue 24). KerasTuner's chief leaves by itself once no trial runs and every worker
    it has heard from has been told to stop, and a worker that starts late then waits for it (up to
    an hour): here the chief serves until it is stopped. And the chief gives no worker a second
    trial before every worker has started one, so every worker runs at least one trial, whatever
    the timing; which worker runs which of the other trials depends on which is free first. A
    worker also waits until the chief accepts connections before it asks for its first trial (gRPC's
    reconnection back-off would otherwise delay it by up to tens of seconds).

    Parameters
    ----------
    n_workers : int
        From 1 to the number of configurations in the grid (8), so that each worker has a trial.
    directory : str
        An existing folder for KerasTuner's files (a temporary folder, not the repository).
    epochs, learning_rate, seed
    timeout : float
        Seconds after which every process is stopped and ``RuntimeError`` raised.

    Returns
    -------
    list of dict
        One dict per trial run, from all workers: ``layers``, ``units``, ``activation``,
        ``val_loss``, ``val_accuracy``, ``worker`` (the ``KERASTUNER_TUNER_ID`` that ran it) and
        ``oracle_port`` (the chief's port, closed again when this returns).
    """
    size = math.prod(len(values) for values in TUNER_GRID.values())
    n_workers = check_int(n_workers, "n_workers", minimum=1)
    if n_workers > size:
        raise ValueError(
            f"n_workers must be <= {size}, the number of configurations in the grid (each worker "
            f"runs at least one), got {n_workers}; use at most {size} workers"
        )
    if isinstance(directory, os.PathLike):
        directory = os.fspath(directory)
    if not isinstance(directory, str):
        raise TypeError(
            f"directory must be the path of an existing folder, such as tempfile.mkdtemp(), "
            f"got {describe(directory)}"
        )
    if not os.path.isdir(directory):
        raise ValueError(f"directory must be an existing folder (e.g. tempfile.mkdtemp()), got {directory!r}")
    epochs = check_int(epochs, "epochs", minimum=1)
    learning_rate = check_learning_rate(learning_rate)
    seed = check_seed(seed)
    timeout = check_float(timeout, "timeout", low=0.0, low_inclusive=False)
    (port,) = free_ports(1)
    ids = ["chief"] + [f"tuner{i}" for i in range(n_workers)]
    argv = [
        sys.executable,
        "-m",
        "dlnotes._workers",
        "tuner",
        "--directory",
        directory,
        "--epochs",
        str(epochs),
        "--learning-rate",
        repr(learning_rate),
        "--seed",
        str(seed),
        "--workers",
        *ids[1:],
    ]
    oracle = {"KERASTUNER_ORACLE_IP": LOOPBACK, "KERASTUNER_ORACLE_PORT": str(port)}
    results = run_processes(
        dict.fromkeys(ids, argv),
        env={tuner_id: {**_worker_env(), **oracle, "KERASTUNER_TUNER_ID": tuner_id} for tuner_id in ids},
        servers=["chief"],
        timeout=timeout,
    )
    trials = []
    for tuner_id in ids[1:]:
        lines = results[tuner_id].json_lines()
        if not lines:
            raise RuntimeError(
                f"{tuner_id} printed no report; its stderr ends with:\n{results[tuner_id].stderr[-2000:]}"
            )
        trials += [{**trial, "worker": tuner_id, "oracle_port": port} for trial in lines[-1]["trials"]]
    return trials


def main(argv: Sequence[str] | None = None) -> int:
    """Entry point of the worker processes: ``python -m dlnotes._workers multiworker|tuner ...``."""
    import argparse

    parser = argparse.ArgumentParser(prog="python -m dlnotes._workers", description=__doc__.splitlines()[0])
    sub = parser.add_subparsers(dest="command", required=True)
    multi = sub.add_parser(
        "multiworker", help="one worker of a MultiWorkerMirroredStrategy training (reads TF_CONFIG)"
    )
    multi.add_argument("--epochs", type=int, default=60)
    multi.add_argument("--hidden", type=int, nargs="*", default=[128, 64])
    multi.add_argument("--learning-rate", type=float, default=3e-3)
    multi.add_argument("--batch-size", type=int, default=None)
    multi.add_argument("--seed", type=int, default=0)
    multi.add_argument("--save", default=None, help="path of a .keras file the chief writes")
    tuner = sub.add_parser("tuner", help="the chief or a worker of a KerasTuner search (reads KERASTUNER_*)")
    tuner.add_argument("--directory", required=True)
    tuner.add_argument("--epochs", type=int, default=10)
    tuner.add_argument("--learning-rate", type=float, default=3e-3)
    tuner.add_argument("--seed", type=int, default=0)
    tuner.add_argument(
        "--workers",
        nargs="*",
        default=[],
        help="the KERASTUNER_TUNER_IDs of the workers; the chief hands no second trial to a worker "
        "before each of them has started one",
    )
    args = parser.parse_args(argv)
    if args.command == "multiworker":
        return _multiworker_main(args)
    return _tuner_main(args)
