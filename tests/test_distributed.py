"""dlnotes.distributed, and train_mlp in a strategy's scope: TF_CONFIG, bounded worker processes, the custom step.

The multi-worker training and the distributed KerasTuner search themselves run in chapter 7's
notebook under nbval (each costs several TensorFlow start-ups); here the pieces they rest on are
tested, above all that :func:`run_processes` leaves no process behind, whatever happens.
"""

import itertools
import json
import os
import re
import subprocess
import sys
import tempfile
import textwrap
import time

import numpy as np
import pytest

from dlnotes import _keras, _processes, _workers, distributed, training
from dlnotes.data import make_pattern_data

X4, Y4 = make_pattern_data(40, 3, seed=0)
PY = sys.executable

# What one argument can get wrong on its own is declared beside each signature (@checked), and
# tests/test_api.py generates those bad-input cases. Kept here: what needs two arguments or the machine,
# and messages whose wording is the lesson.
BAD_INPUTS = [
    # free_ports. Issue 24: a bare socket.gaierror (a name that does not resolve, an address with a port,
    # IPv6), and OSError errno 99 for another machine's address
    (
        distributed.free_ports,
        (1,),
        {"host": "no.such.host.invalid"},
        ValueError,
        r"host 'no\.such\.host\.invalid' is not an IPv4 address of this machine, .* give '127\.0\.0\.1'",
    ),
    (
        distributed.free_ports,
        (1,),
        {"host": "127.0.0.1:8000"},
        ValueError,
        r"host '127\.0\.0\.1:8000' is not an IPv4 address of this machine, .* without a port",
    ),
    (
        distributed.free_ports,
        (1,),
        {"host": "::1"},
        ValueError,
        r"host '::1' is not an IPv4 address of this machine",
    ),
    (
        distributed.free_ports,
        (1,),
        {"host": "192.0.2.1"},
        ValueError,
        r"host '192\.0\.2\.1' is not an IPv4 address of this machine, so no port can be taken on it",
    ),
    # tf_config
    (
        distributed.tf_config,
        (["127.0.0.1:70000"], 0),
        {},
        ValueError,
        r"port from 1 to 65535, got '127\.0\.0\.1:70000'",
    ),
    (distributed.tf_config, (["127.0.0.1:2000"], 1), {}, ValueError, r"index must be <= 0, got 1"),
    # found by tests/test_properties.py: '٣' (Arabic-Indic 3) was taken as port 3 ('²', which int() refuses,
    # an empty list and a list as task_type are among the declarations' generated cases)
    (
        distributed.tf_config,
        (["127.0.0.1:2000"], 0),
        {"chief": "h:\u0663", "task_type": "chief"},
        ValueError,
        r"chief must look like 'host:port' with a port from 1 to 65535",
    ),
    (
        distributed.tf_config,
        (["127.0.0.1:2000"], 0),
        {"task_type": "chief"},
        ValueError,
        r"task_type is 'chief' but no chief address was given",
    ),
    # ProcessResult
    (
        distributed.ProcessResult,
        ("w", 1, "0", "", ""),
        {},
        TypeError,
        r"returncode must be an integer, got '0'",
    ),
    (distributed.ProcessResult, ("w", 1, 0, b"", ""), {}, TypeError, r"stdout must be a string, got b''"),
    # issue 24: "no" is truthy, so these flags were taken as True
    (
        distributed.ProcessResult,
        ("w", 1, 0, "", ""),
        {"stopped": "no"},
        TypeError,
        r"stopped must be True or False, got 'no'",
    ),
    (
        distributed.ProcessResult,
        ("w", 1, 0, "", ""),
        {"timed_out": 1},
        TypeError,
        r"timed_out must be True or False, got 1",
    ),
    # run_processes: what env and servers name must be in commands (commands alone: declared)
    (
        distributed.run_processes,
        ({"a": [PY, "-c", "1"]},),
        {"servers": "a"},
        TypeError,
        r"servers must be a list of process names, such as \['chief'\], got 'a'",
    ),
    (
        distributed.run_processes,
        ({"a": [PY, "-c", "1"]},),
        {"servers": [0]},
        TypeError,
        r"servers must be a list of process names \(str\), such as \['chief'\], got the entry 0",
    ),
    (
        distributed.run_processes,
        ({"a": [PY, "-c", "1"], "b": [PY, "-c", "1"]},),
        {"servers": ["a", "b", "a"]},
        ValueError,
        r"servers lists every process",
    ),
    (
        distributed.run_processes,
        ({"a": [PY, "-c", "1"]},),
        {"servers": ["a"]},
        ValueError,
        r"servers lists every process; at least one must be a client",
    ),
    (
        distributed.run_processes,
        ({"a": [PY, "-c", "1"]},),
        {"servers": ["b"]},
        ValueError,
        r"servers names 'b', which is not in commands \['a'\]",
    ),
    (
        distributed.run_processes,
        ({"a": [PY, "-c", "1"]},),
        {"env": {"b": {}}},
        ValueError,
        r"env names 'b', which is not in commands",
    ),
    (
        distributed.run_processes,
        ({"a": [PY, "-c", "1"]},),
        {"env": {"a": {"X": 1}}},
        TypeError,
        r"env\['a'\] must be a dict of str -> str",
    ),
    # run_multiworker: X and y each pass their declarations but do not fit together
    (
        distributed.run_multiworker,
        (X4, Y4[:3]),
        {},
        ValueError,
        r"X has 40 samples but y has 3; they must match",
    ),
    # run_tuner_search: the wording is the lesson (each worker needs a trial)
    (
        distributed.run_tuner_search,
        (9,),
        {"directory": "."},
        ValueError,
        r"n_workers must be <= 8, the number of configurations in the grid \(each worker runs at least one\), got 9",
    ),
]


# ----------------------------------------------------------------------------------------------------
# Nothing is left behind
# ----------------------------------------------------------------------------------------------------


def _alive(pid: int) -> bool:
    """True if the process exists, zombies included (a zombie is a process nobody reaped)."""
    return os.path.exists(f"/proc/{pid}")


def _children(pid: int) -> list[int]:
    found = []
    for entry in os.listdir("/proc"):
        if entry.isdigit():
            try:
                with open(f"/proc/{entry}/stat") as f:
                    fields = f.read().rsplit(")", 1)[1].split()
            except OSError:
                continue
            if int(fields[1]) == pid:  # fields: state, ppid, ...
                found.append(int(entry))
    return found


@pytest.fixture
def new_children():
    """The children of this test process that the test started and left behind.

    Processes that were already there when the test began (in a shared pytest worker, e.g. the
    Chromium of the browser tests) are not the test's doing.
    """
    before = set(_children(os.getpid()))
    return lambda: sorted(set(_children(os.getpid())) - before)


def test_clients_finish_and_report(new_children):
    results = distributed.run_processes(
        {"a": [PY, "-c", "import os; print(os.environ['ROLE'])"], "b": [PY, "-c", "print('b')"]},
        env={"a": {"ROLE": "first"}},
        timeout=60,
    )
    assert [r.stdout for r in results.values()] == ["first\n", "b\n"]
    assert all(r.ok and not r.stopped and not r.timed_out for r in results.values())
    assert not any(_alive(r.pid) for r in results.values())
    assert new_children() == []


def test_a_failing_worker_stops_its_partner_at_once_and_the_error_shows_its_stderr(new_children):
    start = time.monotonic()
    with pytest.raises(RuntimeError, match=r"(?s)exited with status 3.*worker broke"):
        distributed.run_processes(
            {
                "waits forever": [PY, "-c", "import time; time.sleep(600)"],
                "fails": [PY, "-c", "import sys; sys.stderr.write('worker broke\\n'); sys.exit(3)"],
            },
            timeout=120,
        )
    assert time.monotonic() - start < 30  # the partner was stopped, not waited for
    assert new_children() == []


def test_the_timeout_stops_everything_including_grandchildren(tmp_path, new_children):
    pid_file = tmp_path / "grandchild.pid"
    code = textwrap.dedent(f"""
        import subprocess, sys, time
        child = subprocess.Popen([sys.executable, "-c", "import time; time.sleep(600)"])
        open({str(pid_file)!r}, "w").write(str(child.pid))
        time.sleep(600)
    """)
    start = time.monotonic()
    results = distributed.run_processes({"parent": [PY, "-c", code]}, timeout=3, check=False)
    assert time.monotonic() - start < 20
    result = results["parent"]
    assert result.timed_out and result.stopped and not result.ok
    assert result.returncode == -15  # SIGTERM
    grandchild = int(pid_file.read_text())
    for _ in range(50):  # the grandchild was re-parented to init, which reaps it shortly
        if not _alive(grandchild):
            break
        time.sleep(0.1)
    assert not _alive(grandchild)
    assert not _alive(result.pid)
    assert new_children() == []


def test_the_timeout_raises_when_checked(new_children):
    with pytest.raises(
        RuntimeError, match=r"process 'slow' did not finish within 1 s; stopped: nothing else"
    ):
        distributed.run_processes({"slow": [PY, "-c", "import time; time.sleep(600)"]}, timeout=1)
    assert new_children() == []


def test_processes_that_ignore_sigterm_are_killed_and_reaped(new_children):
    ignore = (
        "import signal, time; signal.signal(signal.SIGTERM, signal.SIG_IGN); print('ready', flush=True); "
        "time.sleep(600)"
    )
    results = distributed.run_processes(
        {"a": [PY, "-c", ignore], "b": [PY, "-c", ignore]}, timeout=5, check=False
    )
    for result in results.values():
        assert result.timed_out and result.stopped
        # SIGKILL once it ignores SIGTERM (it said so); SIGTERM may still have worked if it came before the handler
        assert result.returncode in ((-9,) if result.stdout == "ready\n" else (-15, -9)), result
        assert not _alive(result.pid)
    assert new_children() == []


def test_a_server_is_stopped_when_its_clients_are_done():
    results = distributed.run_processes(
        {"server": [PY, "-c", "import time; time.sleep(600)"], "client": [PY, "-c", "print('done')"]},
        servers=["server"],
        timeout=60,
    )
    assert results["client"].ok and results["client"].stdout == "done\n"
    assert results["server"].stopped and not results["server"].timed_out
    assert not _alive(results["server"].pid)


def test_a_server_that_exits_while_its_clients_run_is_an_error_naming_it(new_children):
    """Issue 24: KerasTuner's chief left early and a late worker waited for it until the cell's timeout."""
    start = time.monotonic()
    with pytest.raises(
        RuntimeError,
        match=r"(?s)server 'chief' exited with status 0 while \['late worker'\] still "
        r"ran; .*they were stopped.*chief is done",
    ):
        distributed.run_processes(
            {
                "chief": [PY, "-c", "import sys; sys.stderr.write('chief is done\\n')"],  # leaves at once
                "late worker": [PY, "-c", "import time; time.sleep(600)"],  # would wait for the chief forever
            },
            servers=["chief"],
            timeout=60,
        )
    assert time.monotonic() - start < 30  # failed fast, not at the timeout
    assert new_children() == []  # the worker stopped, and the chief reaped (no zombie)


def test_without_check_a_server_that_left_early_is_told_apart_from_the_clients_it_left(new_children):
    start = time.monotonic()
    results = distributed.run_processes(
        {
            "server": [PY, "-c", "import sys; sys.exit(4)"],
            "client": [PY, "-c", "import time; time.sleep(600)"],
        },
        servers=["server"],
        timeout=60,
        check=False,
    )
    assert time.monotonic() - start < 30
    server, client = results["server"], results["client"]
    assert (server.returncode, server.stopped, server.timed_out) == (4, False, False)  # left by itself
    assert client.stopped and client.returncode == -15 and not client.timed_out  # stopped by run_processes
    assert not _alive(server.pid) and not _alive(client.pid)
    assert new_children() == []


def test_a_program_that_cannot_start_is_an_error_naming_it_and_its_partners_are_stopped(new_children):
    with pytest.raises(ValueError, match=r"commands\['b'\] cannot be started: .*no-such-program"):
        distributed.run_processes(
            {"a": [PY, "-c", "import time; time.sleep(600)"], "b": ["/no/such/folder/no-such-program"]},
            timeout=60,
        )
    assert new_children() == []


def test_an_exception_in_the_caller_still_stops_the_processes(monkeypatch, new_children):
    calls = []
    real_sleep = time.sleep

    def interrupted(seconds):
        calls.append(seconds)
        if len(calls) == 3:
            raise KeyboardInterrupt  # Ctrl-C, or the notebook's stop button
        real_sleep(seconds)

    monkeypatch.setattr(_processes.time, "sleep", interrupted)
    with pytest.raises(KeyboardInterrupt):
        distributed.run_processes({"a": [PY, "-c", "import time; time.sleep(600)"]}, timeout=60)
    assert new_children() == []


def test_json_lines_reads_only_the_reports():
    result = distributed.ProcessResult("w", 1, 0, 'noise\n{"loss": 0.5}\n{broken\n', "")
    assert result.json_lines() == [{"loss": 0.5}]


# ----------------------------------------------------------------------------------------------------
# The chief of the KerasTuner search (issue 24), without processes: the oracle's answers, call by call
# ----------------------------------------------------------------------------------------------------


def _grid_oracle(oracle_class, folder, **kwargs):
    keras_tuner = pytest.importorskip("keras_tuner")  # not in the oldest environment
    hp = keras_tuner.HyperParameters()
    for name, values in distributed.TUNER_GRID.items():
        hp.Choice(name, values)
    oracle = oracle_class(objective="val_loss", seed=0, hyperparameters=hp, **kwargs)
    oracle._set_project_dir(str(folder), "grid")  # what Tuner.__init__ does; the oracle saves its state there
    return oracle


def _run_trial(oracle, trial):
    oracle.update_trial(trial.trial_id, {"val_loss": 0.5})
    trial.status = "COMPLETED"
    oracle.end_trial(trial)


@pytest.mark.filterwarnings("ignore:(currentThread|getName):DeprecationWarning")  # KerasTuner 1.4.8
def test_kerastuners_chief_would_leave_before_a_late_worker_asks(tmp_path):
    """The cause of the hang, in KerasTuner's own oracle: its chief's exit test ignores workers it has not heard from.

    If KerasTuner changes this, the test fails: then see whether dlnotes still needs its changes.
    """
    keras_tuner = pytest.importorskip("keras_tuner")
    from keras_tuner.src.distribute import oracle_chief

    oracle = _grid_oracle(keras_tuner.oracles.GridSearchOracle, tmp_path)
    statuses = []
    while not statuses or statuses[-1] != "STOPPED":  # tuner0 alone, as when tuner1 starts late
        trial = oracle.create_trial("tuner0")
        statuses.append(trial.status)
        if trial.status == "RUNNING":
            _run_trial(oracle, trial)
    assert statuses == ["RUNNING"] * 8 + ["STOPPED"]
    assert oracle_chief.exit_chief(oracle)  # KerasTuner's server loop would now end, before tuner1 ever asked


@pytest.mark.filterwarnings("ignore:(currentThread|getName):DeprecationWarning")  # KerasTuner 1.4.8
def test_the_chief_gives_no_worker_a_second_trial_before_every_worker_has_started_one(tmp_path):
    pytest.importorskip("keras_tuner")
    oracle = _grid_oracle(_workers.every_worker_grid_oracle(), tmp_path, workers=["tuner0", "tuner1"])
    first = oracle.create_trial("tuner0")
    assert first.status == "RUNNING"
    _run_trial(oracle, first)
    for _ in range(
        3
    ):  # tuner1 has not asked yet (it starts late): tuner0 is told to wait, however often it asks
        assert oracle.create_trial("tuner0").status == "IDLE"
    ran = {"tuner0": [first.hyperparameters.values], "tuner1": []}
    stopped = set()
    asking = ["tuner1", "tuner0"]
    while stopped != {"tuner0", "tuner1"}:  # then they take turns asking, until both are told to stop
        tuner_id = asking[0]
        asking.reverse()
        if tuner_id in stopped:
            continue
        trial = oracle.create_trial(tuner_id)
        if trial.status == "STOPPED":
            stopped.add(tuner_id)
        elif trial.status == "RUNNING":
            ran[tuner_id].append(trial.hyperparameters.values)
            _run_trial(oracle, trial)
    assert len(ran["tuner1"]) >= 1
    configurations = [tuple(v[k] for k in distributed.TUNER_GRID) for v in ran["tuner0"] + ran["tuner1"]]
    assert sorted(configurations) == sorted(itertools.product(*distributed.TUNER_GRID.values()))  # each once


@pytest.mark.filterwarnings("ignore:(currentThread|getName):DeprecationWarning")  # KerasTuner 1.4.8
def test_the_chief_waits_for_every_worker_even_when_one_has_the_last_trial(tmp_path):
    """With a worker that has not asked yet, nobody is told to stop, so KerasTuner's exit test stays false."""
    pytest.importorskip("keras_tuner")
    from keras_tuner.src.distribute import oracle_chief

    oracle = _grid_oracle(
        _workers.every_worker_grid_oracle(), tmp_path, workers=["tuner0", "tuner1", "tuner2"]
    )
    _run_trial(oracle, oracle.create_trial("tuner0"))
    _run_trial(oracle, oracle.create_trial("tuner1"))
    for tuner_id in ("tuner0", "tuner1"):
        assert oracle.create_trial(tuner_id).status == "IDLE"
    assert not oracle_chief.exit_chief(oracle)
    assert oracle.create_trial("tuner2").status == "RUNNING"


# ----------------------------------------------------------------------------------------------------
# Addresses
# ----------------------------------------------------------------------------------------------------


def test_free_ports_are_distinct_and_can_be_bound():
    import socket

    ports = distributed.free_ports(3)
    assert len(set(ports)) == 3
    for port in ports:
        with socket.socket() as s:
            s.bind((distributed.LOOPBACK, port))


def test_tf_config_gives_every_task_the_same_cluster_and_its_own_index():
    workers = ["127.0.0.1:20001", "127.0.0.1:20002"]
    configs = [json.loads(distributed.tf_config(workers, i)) for i in range(2)]
    assert configs[0]["cluster"] == configs[1]["cluster"] == {"worker": workers}
    assert [c["task"] for c in configs] == [{"type": "worker", "index": 0}, {"type": "worker", "index": 1}]
    chief = json.loads(distributed.tf_config(workers, 0, chief="127.0.0.1:20000", task_type="chief"))
    assert chief["cluster"]["chief"] == ["127.0.0.1:20000"]
    assert chief["task"] == {"type": "chief", "index": 0}


# ----------------------------------------------------------------------------------------------------
# Training under a strategy
# ----------------------------------------------------------------------------------------------------


def test_custom_step_matches_fit_on_one_device():
    import tensorflow as tf

    settings = dict(hidden=(8,), learning_rate=0.01, epochs=5, seed=0)
    _, losses = distributed.train_custom(tf.distribute.get_strategy(), X4, Y4, **settings)
    history = training.train_mlp(X4, Y4, batch_size=None, metrics=(), **settings)
    np.testing.assert_allclose(losses, history.history["loss"], rtol=1e-5)
    assert losses[-1] < losses[0]


def test_custom_step_with_a_smaller_last_batch_matches_fit_without_shuffling():
    import tensorflow as tf

    model, losses = distributed.train_custom(
        tf.distribute.OneDeviceStrategy("/cpu:0"), X4, Y4, hidden=(4,), epochs=3, batch_size=16, seed=1
    )  # batches of 16, 16, 8
    assert len(losses) == 3 and losses[-1] < losses[0]
    assert np.isfinite(np.concatenate([w.ravel() for w in model.get_weights()])).all()


def test_train_mlp_with_a_strategy_repeats_the_run_without_one():
    """Full batches: the repeated dataset and steps_per_epoch give the same epochs as one device."""
    import tensorflow as tf

    settings = dict(validation_data=(X4[:20], Y4[:20]), hidden=(6,), batch_size=None, epochs=4, seed=3)
    plain = training.train_mlp(X4, Y4, **settings).history
    with tf.distribute.MirroredStrategy(["/cpu:0"]).scope():
        mirrored = training.train_mlp(X4, Y4, **settings)
    assert sorted(mirrored.history) == sorted(plain) == ["accuracy", "loss", "val_accuracy", "val_loss"]
    for key, values in plain.items():
        np.testing.assert_allclose(mirrored.history[key], values, rtol=1e-5, err_msg=key)
    assert mirrored.model.distribute_strategy.num_replicas_in_sync == 1


def test_train_mlp_with_a_strategy_and_shuffled_mini_batches_trains_every_step():
    """Shuffled mini-batches of unequal size under a strategy: every step runs, and the loss falls."""
    import tensorflow as tf

    with tf.distribute.MirroredStrategy(["/cpu:0"]).scope():
        history = training.train_mlp(X4, Y4, hidden=(6,), batch_size=16, epochs=3, seed=3, learning_rate=0.01)
    assert len(history.history["loss"]) == 3
    assert history.history["loss"][-1] < history.history["loss"][0]
    assert int(history.model.optimizer.iterations.numpy()) == 9  # 3 epochs of 16 + 16 + 8 samples


_TWO_DEVICES = textwrap.dedent("""
    import json
    import numpy as np
    from dlnotes import distributed, training
    from dlnotes.data import make_pattern_data
    devices = distributed.use_logical_cpus(2)
    assert distributed.use_logical_cpus(2) == devices  # again, same n: harmless
    import keras
    import tensorflow as tf
    X, y = make_pattern_data(40, 3, seed=0)
    strategy = tf.distribute.MirroredStrategy(devices)

    def copies_apart(model):  # how far the replicas' copies of the first kernel are from each other
        copies = [np.asarray(c) for c in model.trainable_variables[0].value.values]
        return float(max(np.abs(c - copies[0]).max() for c in copies))

    report = {"devices": devices, "replicas": strategy.num_replicas_in_sync, "keras": keras.__version__}
    settings = dict(hidden=(8,), batch_size=None, epochs=3, metrics=(), seed=0)
    try:
        with strategy.scope():
            history = training.train_mlp(X, y, **settings)
        report["fit"] = {"mirrored": history.history["loss"], "apart": copies_apart(history.model),
                         "single": training.train_mlp(X, y, **settings).history["loss"]}
    except RuntimeError as error:
        report["fit"] = {"refused": str(error)}
    custom = dict(hidden=(8,), learning_rate=0.01, epochs=3, seed=0)
    try:
        model, losses = distributed.train_custom(strategy, X, y, **custom)
        report["custom"] = {"mirrored": losses, "apart": copies_apart(model),
                            "single": distributed.train_custom(tf.distribute.get_strategy(), X, y, **custom)[1]}
    except RuntimeError as error:
        report["custom"] = {"refused": str(error)}
    try:
        distributed.use_logical_cpus(3)
        report["late"] = ""
    except RuntimeError as error:
        report["late"] = str(error)
    print(json.dumps(report))
""")


def test_two_logical_cpus_train_like_one_device_or_an_older_keras_is_refused():
    """Two replicas of 20 samples each, gradients summed across replicas: one device's steps up to rounding.

    With a Keras too old to train replicas right (issue 16: before 3.8 for ``model.fit``, before 3.5
    for ``apply_gradients`` in a custom step), the same calls must refuse, saying what is needed.
    This runs in both environments of ``make test``: Keras 3.15 trains, the oldest (Keras 3.3) refuses.
    """
    result = subprocess.run([PY, "-c", _TWO_DEVICES], capture_output=True, text=True, timeout=600)
    assert result.returncode == 0, result.stderr[-3000:]
    report = json.loads(result.stdout.strip().splitlines()[-1])
    assert report["devices"] == ["/device:CPU:0", "/device:CPU:1"]
    assert report["replicas"] == 2
    keras_version = _keras.version_tuple(report["keras"])
    for name, needed, what in (
        ("fit", _keras.KERAS_FOR_REPLICATED_FIT, r"train_mlp \(model\.fit\)"),
        ("custom", _keras.KERAS_FOR_REPLICATED_STEP, r"train_custom \(optimizer\.apply_gradients\)"),
    ):
        run = report[name]
        if keras_version >= needed:
            assert "refused" not in run, run.get("refused")
            assert run["apart"] == 0.0  # mirrored: every step updated both copies alike
            np.testing.assert_allclose(run["mirrored"], run["single"], rtol=1e-5, err_msg=name)
        else:
            want = r"\.".join(map(str, needed))
            assert re.fullmatch(
                rf"strategy has 2 replicas in sync, and {what} needs Keras >= {want} for more than "
                rf"one replica; found Keras {re.escape(report['keras'])}: .+ Fix: pip install "
                rf"'keras>={want}', or train on one replica .+",
                run["refused"],
            ), run["refused"]
    assert "use_logical_cpus(3) came too late" in report["late"] and "Restart the kernel" in report["late"]


FIT, STEP = _keras.KERAS_FOR_REPLICATED_FIT, _keras.KERAS_FOR_REPLICATED_STEP


@pytest.mark.parametrize(
    "version, needed, refused",
    [
        ("3.3.3", FIT, True),
        ("3.7.0", FIT, True),
        ("3.8.0", FIT, False),
        ("3.10.0", FIT, False),  # 3.10 is newer than 3.8: versions compare as numbers, not as text
        ("3.8.0.dev2025010203", FIT, False),
        ("4.0.0", FIT, False),
        ("3.4.1", STEP, True),
        ("3.5.0", STEP, False),
    ],
)
def test_the_keras_needed_for_several_replicas(version, needed, refused):
    check = lambda replicas: _keras.check_replicas(replicas, needed, "model.fit", keras_version=version)  # noqa: E731
    check(1)  # one replica is never refused: the bugs are in how replicas are combined
    if refused:
        with pytest.raises(
            RuntimeError, match=rf"strategy has 4 replicas in sync, .* found Keras {re.escape(version)}"
        ):
            check(4)
    else:
        check(4)


def test_a_keras_version_must_be_readable():
    assert _keras.version_tuple("3.15.1") == (3, 15)
    with pytest.raises(ValueError, match=r"cannot read a version number from 'nightly'"):
        _keras.version_tuple("nightly")


def test_run_multiworker_refuses_an_older_keras_before_starting_any_worker(monkeypatch, new_children):
    monkeypatch.setattr(_keras, "installed_keras_version", lambda: "3.4.1")
    with pytest.raises(
        RuntimeError,
        match=r"n_workers is 2 \(one replica each\), and run_multiworker .* needs Keras "
        r">= 3\.5 for more than one replica; found Keras 3\.4\.1",
    ):
        distributed.run_multiworker(X4, Y4, 2, epochs=1)
    assert new_children() == []


def test_run_multiworker_trains_on_the_callers_data_and_deletes_its_file(tmp_path, monkeypatch, new_children):
    """The worker reads the caller's X, y (3 features here, not the book's 10) from a temporary .npz
    file, which is gone when the run returns; a single worker trains like train_custom in this process."""
    monkeypatch.setattr(tempfile, "tempdir", str(tmp_path))  # where run_multiworker's folder goes
    settings = dict(hidden=(4,), epochs=3, learning_rate=0.01, seed=0)
    (report,) = distributed.run_multiworker(X4, Y4, 1, timeout=300, **settings)
    assert report["replicas"] == 1 and report["is_chief"]
    assert len(report["weights"]) == 3 * 4 + 4 + 4 * 1 + 1  # a 3 -> 4 -> 1 network: the caller's data
    import tensorflow as tf

    model, losses = distributed.train_custom(tf.distribute.get_strategy(), X4, Y4, **settings)
    np.testing.assert_allclose(report["losses"], losses, rtol=1e-5)
    written = []
    real_savez = np.savez
    monkeypatch.setattr(
        np, "savez", lambda path, **arrays: written.append(path) or real_savez(path, **arrays)
    )
    distributed.run_multiworker(X4, Y4, 1, timeout=300, hidden=(4,), epochs=1)
    assert len(written) == 1 and written[0].startswith(str(tmp_path))
    assert not os.path.exists(written[0]) and not os.path.exists(os.path.dirname(written[0]))  # deleted
    assert new_children() == []


def test_the_worker_command_line():
    argv = _workers.command(
        "multiworker", {"data": "d.npz", "hidden": [8, 4], "learning-rate": 0.003, "save": None}
    )
    assert argv == [
        PY,
        "-m",
        "dlnotes._workers",
        "multiworker",
        "--data",
        "d.npz",
        "--hidden",
        "8",
        "4",
        "--learning-rate",
        "0.003",
    ]
    assert _workers.command("tuner", {"workers": []}) == [PY, "-m", "dlnotes._workers", "tuner", "--workers"]
