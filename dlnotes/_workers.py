"""The worker programs of chapter 7: ``python -m dlnotes._workers multiworker|tuner ...``.

:func:`dlnotes.distributed.run_multiworker` and :func:`dlnotes.distributed.run_tuner_search` start
them through :func:`dlnotes.distributed.run_processes`; a reader who installed dlnotes has them.

- ``multiworker``: one worker of a ``MultiWorkerMirroredStrategy`` training (reads ``TF_CONFIG``).
  It trains on the arrays of the ``.npz`` file that ``--data`` names (``X`` and ``y``, written by
  ``run_multiworker``) with :func:`dlnotes.distributed.train_custom`, and prints one JSON report.
- ``tuner``: the chief or a worker of a distributed KerasTuner search of chapter 6's grid (reads
  ``KERASTUNER_*``); a worker prints one JSON report of the trials it ran.

A separate module, imported by nothing in ``import dlnotes``, so that ``python -m`` runs it without
Python's warning about a module that its package has already imported. TensorFlow and KerasTuner
are imported inside the functions.
"""

from __future__ import annotations

import gc
import json
import os
import socket
import sys
import time
from collections.abc import Mapping, Sequence
from typing import Any

import numpy as np

from ._processes import run_processes
from .distributed import TUNER_GRID, train_custom

__all__ = [
    "ENV",
    "command",
    "reports",
    "launch",
    "main",
    "multiworker_main",
    "tuner_main",
    "every_worker_grid_oracle",
    "keep_the_chief_serving",
    "wait_for_chief",
]


#: Added to a worker's environment: workers print results on stdout, and TensorFlow's C++ logs stay
#: out of it (and mostly off stderr).
ENV = {"TF_CPP_MIN_LOG_LEVEL": "3", "PYTHONUNBUFFERED": "1"}


def command(program: str, options: Mapping[str, Any]) -> list[str]:
    """``python -m dlnotes._workers <program> --option value ...``; a list gives several values, None none."""
    argv = [sys.executable, "-m", "dlnotes._workers", program]
    for option, value in options.items():
        if value is None:
            continue
        values = value if isinstance(value, (list, tuple)) else [value]
        argv += [f"--{option}", *(repr(v) if isinstance(v, float) else str(v) for v in values)]
    return argv


def reports(results: Mapping[str, Any], names: Sequence[str]) -> list[Any]:
    """The report of each named worker: the last JSON line it printed (``ProcessResult.json_lines``)."""
    found = []
    for name in names:
        lines = results[name].json_lines()
        if not lines:
            raise RuntimeError(
                f"{name} printed no report; its stderr ends with:\n{results[name].stderr[-2000:]}"
            )
        found.append(lines[-1])
    return found


def launch(
    program: str,
    options: Mapping[str, Any],
    env: Mapping[str, Mapping[str, str]],
    *,
    servers: Sequence[str] = (),
    timeout: float,
) -> list[Any]:
    """Run ``program`` once per entry of ``env`` (process name -> its variables); the clients' reports.

    Every process gets the same command line (:func:`command`) and :data:`ENV` with its own
    variables; :func:`dlnotes.distributed.run_processes` runs them (``servers`` are stopped once the
    clients are done) and raises if one fails; the reports are in the order of ``env``.
    """
    argv = command(program, options)
    results = run_processes(
        dict.fromkeys(env, argv),
        env={name: {**ENV, **variables} for name, variables in env.items()},
        servers=servers,
        timeout=timeout,
    )
    return reports(results, [name for name in env if name not in servers])


def main(argv: Sequence[str] | None = None) -> int:
    """Entry point of the worker processes: ``python -m dlnotes._workers multiworker|tuner ...``."""
    import argparse

    parser = argparse.ArgumentParser(prog="python -m dlnotes._workers", description=__doc__.splitlines()[0])
    sub = parser.add_subparsers(dest="command", required=True)
    multi = sub.add_parser(
        "multiworker", help="one worker of a MultiWorkerMirroredStrategy training (reads TF_CONFIG)"
    )
    multi.add_argument("--data", required=True, help="an .npz file holding the arrays X and y")
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
        return multiworker_main(args)
    return tuner_main(args)


# ----------------------------------------------------------------------------------------------------
# multiworker
# ----------------------------------------------------------------------------------------------------


def multiworker_main(args: Any) -> int:
    """One worker: train on ``args.data`` under ``MultiWorkerMirroredStrategy``, print a JSON report."""
    from ._backend import import_tensorflow

    tf = import_tensorflow()
    strategy = tf.distribute.MultiWorkerMirroredStrategy()
    with np.load(args.data) as data:
        X, y = data["X"], data["y"]
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
    config = json.loads(os.environ["TF_CONFIG"])
    resolver = strategy.cluster_resolver
    is_chief = resolver.task_type in (None, "chief") or (
        resolver.task_type == "worker" and resolver.task_id == 0
    )
    if is_chief and args.save:  # only the chief writes the model; the others hold the same weights
        model.save(args.save)
    weights = np.concatenate([w.ravel() for w in model.get_weights()])
    report = {
        "task": config["task"],
        "cluster": config["cluster"],
        "replicas": strategy.num_replicas_in_sync,
        "is_chief": bool(is_chief),
        "losses": losses,
        "weights_sum": float(weights.astype(np.float64).sum()),
        "weights": [float(v) for v in weights],
    }
    print(json.dumps(report))
    return 0


# ----------------------------------------------------------------------------------------------------
# tuner: KerasTuner's chief and workers, changed so that the search can neither hang nor leave a
# worker out (issue 24)
# ----------------------------------------------------------------------------------------------------


def every_worker_grid_oracle() -> type:
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


def keep_the_chief_serving() -> None:
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


def wait_for_chief(host: str, port: int) -> None:
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


def _chapter6_grid(args: Any) -> tuple[Any, list[dict[str, Any]]]:
    """Section 6.1's grid as a KerasTuner hypermodel, each trial trained by ``training.train_mlp``
    (the package's one build-compile-fit path) and scored as ``search.grid_search`` scores it.

    Returns the hypermodel and the list to which it adds each trial this process trains, with its scores.
    """
    import keras_tuner

    from .data import load_breast_cancer, standardize
    from .models import build_mlp
    from .search import validation_scores
    from .training import train_mlp

    split = load_breast_cancer(positive="malignant", seed=0)
    X_train, X_val = standardize(split.X_train, split.X_val)
    ran: list[dict[str, Any]] = []

    class Chapter6Grid(keras_tuner.HyperModel):
        def build(self, hp):
            """Declares the grid's hyperparameters; KerasTuner wants a model back (fit trains its own)."""
            layers = hp.Choice("layers", TUNER_GRID["layers"])
            units = hp.Choice("units", TUNER_GRID["units"])
            activation = hp.Choice("activation", TUNER_GRID["activation"])
            return build_mlp(X_train.shape[1], (units,) * layers, activation=activation)

        def fit(self, hp, model, *fit_args, callbacks=None, **fit_kwargs):
            hidden = (hp.values["units"],) * hp.values["layers"]
            history = train_mlp(
                X_train,
                split.y_train,
                hidden=hidden,
                activation=hp.values["activation"],
                learning_rate=args.learning_rate,
                epochs=args.epochs,
                batch_size=32,
                seed=args.seed,  # every configuration starts from the same seed
                metrics=(),
            )
            val_loss, val_accuracy = validation_scores(history, X_val, split.y_val)
            ran.append({**hp.values, "val_loss": val_loss, "val_accuracy": val_accuracy})
            return {"val_loss": val_loss, "val_accuracy": val_accuracy}

    return Chapter6Grid(), ran


def _polite_tuner() -> type:
    """A KerasTuner ``Tuner`` that waits 0.1 s before asking again when the chief had no trial for it.

    KerasTuner's workers ask again at once, thousands of times a second (measured: about 20,000
    requests in one search), which on one core takes most of the time from the worker that trains.
    """
    import keras_tuner

    class PoliteTuner(keras_tuner.Tuner):
        unanswered = False

        def pre_create_trial(self):
            if self.unanswered:
                time.sleep(0.1)
            self.unanswered = True

        def on_trial_begin(self, trial):
            self.unanswered = False
            super().on_trial_begin(trial)

    return PoliteTuner


def tuner_main(args: Any) -> int:
    """The chief (it serves the oracle until it is stopped) or a worker (it prints its trials as JSON)."""
    tuner_id = os.environ.get("KERASTUNER_TUNER_ID", "alone")
    distributed = "KERASTUNER_ORACLE_IP" in os.environ
    # KerasTuner's own test of who is the chief (keras_tuner/src/distribute/utils.py)
    is_chief = distributed and "chief" in tuner_id
    if is_chief:
        keep_the_chief_serving()
    oracle = every_worker_grid_oracle()(workers=args.workers, objective="val_loss", seed=args.seed)
    hypermodel, ran = _chapter6_grid(args)
    # TensorFlow's and KerasTuner's objects live as long as this process: out of the collector's reach,
    # so that the two full collections KerasTuner runs per trial do not walk them (issue 30)
    gc.freeze()
    tuner = _polite_tuner()(
        oracle=oracle,
        hypermodel=hypermodel,
        directory=args.directory,
        project_name="chapter6_grid",
        overwrite=False,
    )
    if distributed and not is_chief:
        wait_for_chief(os.environ["KERASTUNER_ORACLE_IP"], int(os.environ["KERASTUNER_ORACLE_PORT"]))
    tuner.search(verbose=0)  # the chief serves here until it is stopped
    print(json.dumps({"tuner_id": tuner_id, "trials": ran}))
    return 0


if __name__ == "__main__":
    code = main()
    # The report is out. Python's own exit would now spend about 1 s tearing TensorFlow down (its
    # modules' and threads' destructors) while the notebook waits for this process: leave at once.
    sys.stdout.flush()
    sys.stderr.flush()
    os._exit(code)
