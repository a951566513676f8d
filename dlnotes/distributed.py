"""Chapter 7 — the same workflow on several devices and machines, with ``tf.distribute`` and KerasTuner.

The chapter shows the plain TensorFlow code first; this module packages the chores around it:
:func:`use_logical_cpus` (logical CPU devices for ``MirroredStrategy`` on a machine without GPUs),
:func:`free_ports` and :func:`tf_config` (every worker's ``TF_CONFIG``), :func:`run_processes`
(worker processes bounded in time and always stopped and reaped, :class:`ProcessResult`),
:func:`train_custom` (chapter 2's hand-written step under any strategy, the way that works under
``MultiWorkerMirroredStrategy`` in Keras 3), :func:`run_multiworker` (training on the reader's
``X, y`` in several worker processes) and :func:`run_tuner_search` (chapter 6's grid with a
KerasTuner chief and workers).

The process supervisor is the private ``dlnotes._processes`` (its public names are re-exported
here); the worker programs are ``dlnotes._workers``, run as ``python -m dlnotes._workers
multiworker|tuner ...``. TensorFlow is imported only inside the functions.
"""

from __future__ import annotations

import json
import math
import os
import tempfile
from collections.abc import Sequence
from typing import Any

import numpy as np

from . import _checks as checks
from . import _keras
from ._checks import Check, checked
from ._processes import ADDRESS, LOOPBACK, WORKERS, ProcessResult, free_ports, run_processes
from ._validation import check_int, check_same_length, describe

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

#: The search space of chapter 6's grid search (section 6.1).
TUNER_GRID: dict[str, list[Any]] = {"layers": [1, 2], "units": [8, 64], "activation": ["relu", "tanh"]}


def _check_strategy(strategy: Any, name: str = "strategy") -> Any:
    from ._backend import import_tensorflow  # at the call, not at import: the declaration stays light

    tf = import_tensorflow()
    if not isinstance(strategy, tf.distribute.Strategy):
        raise TypeError(
            f"{name} must be a tf.distribute.Strategy such as tf.distribute.MirroredStrategy(), "
            f"got {describe(strategy)}"
        )
    return strategy


def _check_path(value: Any, name: str, example: str) -> str:
    """A path given as ``str`` or ``os.PathLike``, as a ``str``; another type is a TypeError naming ``name``."""
    if isinstance(value, os.PathLike):
        value = os.fspath(value)
    if not isinstance(value, str):
        raise TypeError(f"{name} must be the path of {example}, got {describe(value)}")
    return value


def _check_save(save: Any, name: str) -> str:
    save = _check_path(save, name, "a .keras file, such as 'model.keras', or None")
    if not save.endswith(".keras"):
        raise ValueError(
            f"{name} must be a path ending in .keras, or None, got {save!r}; name it 'model.keras'"
        )
    return save


def _check_folder(directory: Any, name: str) -> str:
    directory = _check_path(directory, name, "an existing folder, such as tempfile.mkdtemp()")
    if not os.path.isdir(directory):
        raise ValueError(f"{name} must be an existing folder (e.g. tempfile.mkdtemp()), got {directory!r}")
    return directory


# The kinds of argument only this module takes (dlnotes/_checks.py); TensorFlow is imported by the
# strategy's check when it runs, never when the module is imported.
STRATEGY = Check(_check_strategy, ((None, TypeError), ("mirrored", TypeError)))
SAVE = checks.optional(Check(_check_save, ((1, TypeError), ("model.h5", ValueError))))
FOLDER = Check(_check_folder, ((3, TypeError), (None, TypeError), ("/no/such/folder", ValueError)))
#: The training options train_custom and run_multiworker share.
TRAINING = {
    "hidden": checks.sizes(min_len=0, example="(128, 64)"),
    "learning_rate": checks.learning_rate,
    "epochs": checks.positive_int,
    "batch_size": checks.optional(checks.positive_int),
    "seed": checks.seed,
}
DATA = {"X": checks.array(ndim=2, float32=True), "y": checks.binary_labels()}


# One machine, several devices


@checked(n=checks.positive_int)
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


# Several processes: TF_CONFIG; the custom distributed step (run_processes: dlnotes._processes)


@checked(
    workers=WORKERS,
    index=checks.integer(minimum=0),
    chief=checks.optional(ADDRESS),
    task_type=checks.choice(("worker", "chief")),
)
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
    cluster: dict[str, list[str]] = {"worker": list(workers)}
    if chief is not None:
        cluster["chief"] = [chief]
    size = len(cluster[task_type]) if task_type in cluster else 0
    if size == 0:
        raise ValueError("task_type is 'chief' but no chief address was given; pass chief='host:port'")
    index = check_int(index, "index", minimum=0, maximum=size - 1)
    return json.dumps({"cluster": cluster, "task": {"type": task_type, "index": index}})


@checked(strategy=STRATEGY, **DATA, **TRAINING)
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
    check_same_length(X, "X", y, "y")
    batch_size = len(X) if batch_size is None else batch_size
    _keras.check_replicas(
        strategy.num_replicas_in_sync,
        _keras.KERAS_FOR_REPLICATED_STEP,
        "train_custom (optimizer.apply_gradients)",
    )
    from ._backend import import_keras
    from .models import build_mlp

    keras = import_keras()
    keras.utils.set_random_seed(seed)
    with strategy.scope():
        model = build_mlp(X.shape[1], hidden)
        optimizer = keras.optimizers.Adam(learning_rate=learning_rate)
        optimizer.build(model.trainable_variables)
    train_step = _distributed_step(strategy, model, optimizer)
    iterator = _batches(strategy, X, y, batch_size)
    steps = math.ceil(len(X) / batch_size)
    losses = []
    for _ in range(epochs):
        total = sum(float(train_step(next(iterator))) for _ in range(steps))
        losses.append(total / len(X))
    return model, losses


def _batches(strategy: Any, X: np.ndarray, y: np.ndarray, batch_size: int) -> Any:
    """One distributed iterator over ``X, y`` in batches, repeated: it serves every epoch."""
    from ._backend import import_tensorflow

    tf = import_tensorflow()
    dataset = tf.data.Dataset.from_tensor_slices((X.astype(np.float32), y.astype(np.float32).reshape(-1, 1)))
    return iter(strategy.experimental_distribute_dataset(dataset.batch(batch_size).repeat()))


def _distributed_step(strategy: Any, model: Any, optimizer: Any) -> Any:
    """The training step of :func:`train_custom`, a ``tf.function`` that returns the batch's summed loss."""
    from ._backend import import_keras, import_tensorflow

    tf = import_tensorflow()
    loss_fn = import_keras().losses.BinaryCrossentropy(reduction=None)

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

    return train_step


# The chapter's multi-process runs; the worker programs are dlnotes._workers


@checked(**DATA, n_workers=checks.positive_int, **TRAINING, save=SAVE, timeout=checks.timeout)
def run_multiworker(
    X: Any,
    y: Any,
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
    """Train on ``X, y`` with ``MultiWorkerMirroredStrategy`` on ``n_workers`` processes.

    ``X, y`` are written to a temporary ``.npz`` file that every worker reads (and that is deleted
    when the run ends, whatever happens). Each worker is ``python -m dlnotes._workers multiworker``
    with its own ``TF_CONFIG`` (:func:`tf_config`, loopback addresses on :func:`free_ports`),
    started and stopped by :func:`run_processes`, and runs :func:`train_custom` on the whole data;
    the strategy gives each worker its share of every global batch. Two workers or more need
    Keras 3.5 or newer, as :func:`train_custom` does (older Keras is refused before any worker
    starts: there each worker applies its own gradients and the workers' models drift apart).

    Parameters
    ----------
    X, y : arrays of shape (n_samples, n_features) and (n_samples,), labels 0 and 1
    n_workers : int
        Number of worker processes, one replica each.
    epochs, hidden, learning_rate, batch_size, seed
        As in :func:`train_custom` (``batch_size`` is the global batch; ``None``: all samples).
    save : str, optional
        Path of a ``.keras`` file the chief writes the trained model to.
    timeout : float
        Seconds after which every worker is stopped and ``RuntimeError`` raised.

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
    check_same_length(X, "X", y, "y")
    options = {"epochs": epochs, "hidden": hidden, "learning-rate": learning_rate}
    options |= {"batch-size": batch_size, "seed": seed, "save": save}
    # refused here, before any worker starts, rather than by train_custom in every worker
    _keras.check_replicas(
        n_workers,
        _keras.KERAS_FOR_REPLICATED_STEP,
        "run_multiworker (train_custom in each worker)",
        subject=f"n_workers is {n_workers} (one replica each)",
    )
    from . import _workers  # imported here: `python -m dlnotes._workers` must find it not yet imported

    addresses = [f"{LOOPBACK}:{port}" for port in free_ports(n_workers)]
    with tempfile.TemporaryDirectory(prefix="dlnotes-multiworker-") as folder:
        data = os.path.join(folder, "data.npz")
        np.savez(data, X=X, y=y)
        env = {f"worker {i}": {"TF_CONFIG": tf_config(addresses, i)} for i in range(n_workers)}
        return _workers.launch("multiworker", {"data": data, **options}, env, timeout=timeout)


@checked(
    n_workers=checks.positive_int,
    directory=FOLDER,
    epochs=checks.positive_int,
    learning_rate=checks.learning_rate,
    seed=checks.seed,
    timeout=checks.timeout,
)
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

    Every process runs ``python -m dlnotes._workers tuner`` and differs only in its environment:
    ``KERASTUNER_TUNER_ID`` (``chief`` for the oracle, ``tuner0``, ``tuner1``, ... for the workers),
    ``KERASTUNER_ORACLE_IP`` and ``KERASTUNER_ORACLE_PORT`` (the chief's address on the loopback, a
    free port). The chief hands out the trials of the grid (``TUNER_GRID``, trained for ``epochs``
    epochs as in section 6.1) over gRPC; each worker asks for a trial, trains it and reports its
    score, until none is left, and exits. Then the chief is stopped.

    So that the search cannot hang and every worker takes part (issue 24), the chief serves until
    it is stopped (KerasTuner's leaves once the workers *it has heard from* are done, and a late
    worker waits for it for up to an hour; a chief that exits while a worker runs is an error of
    :func:`run_processes`), it gives no worker a second trial before every worker has started one,
    and a worker asks for its first trial only once the chief accepts connections. Which worker
    runs which of the other trials depends on which is free first.

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
    if n_workers > size:
        raise ValueError(
            f"n_workers must be <= {size}, the number of configurations in the grid (each worker "
            f"runs at least one), got {n_workers}; use at most {size} workers"
        )
    options: dict[str, Any] = {"directory": directory, "epochs": epochs, "learning-rate": learning_rate}
    options["seed"] = seed
    from . import _workers  # imported here: `python -m dlnotes._workers` must find it not yet imported

    (port,) = free_ports(1)
    ids = ["chief"] + [f"tuner{i}" for i in range(n_workers)]
    oracle = {"KERASTUNER_ORACLE_IP": LOOPBACK, "KERASTUNER_ORACLE_PORT": str(port)}
    env = {tuner_id: {**oracle, "KERASTUNER_TUNER_ID": tuner_id} for tuner_id in ids}
    options["workers"] = ids[1:]
    found = _workers.launch("tuner", options, env, servers=["chief"], timeout=timeout)
    return [
        {**trial, "worker": report["tuner_id"], "oracle_port": port}
        for report in found
        for trial in report["trials"]
    ]
