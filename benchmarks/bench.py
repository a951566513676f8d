"""Measure what the performance targets of dlnotes are about, and print them as seconds and ratios.

Targets (issue 30; the 2-core machine, idle):
  * ``import dlnotes`` within 0.1 s (median of fresh interpreters), without importing TensorFlow;
  * serial strict nbval (``pytest -p no:xdist book``): every notebook's cell time within 30 s
    (07_distributed, whose worker processes each import TensorFlow, within 45 s); all of them together
    within 5 x (number of notebooks x the time of ``python -c "import tensorflow"``), both measured in
    this run;
  * an unchanged book rebuilds in under 20 s;
  * ``.ci/run`` from a fresh clone, installs included, within 25 minutes (only with ``--ci``).

Run it from the repository root with the project's environment:

    .venv/bin/python benchmarks/bench.py            # the figures
    .venv/bin/python benchmarks/bench.py --profile  # plus where each notebook's time goes
    .venv/bin/python benchmarks/bench.py --ci       # plus a full .ci/run in a fresh clone

A notebook's cell time is what conftest.py reports at the end of a pytest run: the sum of its cells'
run times (the kernel's start is not in it). ``--profile`` runs benchmarks/notebook_profile.py on
every notebook: cell by cell, the time in imports, model building, compiling, tracing (each fit's
first epoch), later epochs, validation, evaluation and drawing.

It also prints how long one epoch of chapter 4's small network takes with Keras on NumPy arrays, with
Keras on ``dlnotes.data.to_dataset``, and in plain NumPy: chapter 4 quotes these figures to show that
per-step overhead, not arithmetic, dominates a tiny model.

It uses only the standard library, pytest/nbval, nbclient and jupyter-book, all in requirements.txt.
Exit status 1 if a measured figure misses its target. The figures scale with the machine's load:
the first line says what the load average was.
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PY = sys.executable
BIN = Path(PY).parent
BUDGET_SECONDS = {"07_distributed.ipynb": 45.0}  # as conftest.py: its worker processes import TensorFlow


def wall(cmd: list[str], **kwargs) -> float:
    """Seconds a command takes, wall clock; raise if it fails."""
    start = time.perf_counter()
    result = subprocess.run(cmd, capture_output=True, text=True, cwd=kwargs.pop("cwd", ROOT), **kwargs)
    elapsed = time.perf_counter() - start
    if result.returncode != 0:
        raise RuntimeError(
            f"{' '.join(cmd)} failed ({result.returncode}):\n{result.stdout[-3000:]}{result.stderr[-3000:]}"
        )
    return elapsed


def import_dlnotes_seconds(repeats: int = 7) -> tuple[float, bool]:
    """Median in-process time of ``import dlnotes`` in fresh interpreters; and whether TF got imported."""
    code = (
        "import time, sys; t = time.perf_counter(); import dlnotes; "
        "print(time.perf_counter() - t, 'tensorflow' in sys.modules)"
    )
    times, tf_loaded = [], False
    for _ in range(repeats):
        out = subprocess.run(
            [PY, "-c", code], capture_output=True, text=True, check=True, cwd=ROOT
        ).stdout.split()
        times.append(float(out[0]))
        tf_loaded |= out[1] == "True"
    return statistics.median(times), tf_loaded


def tf_import_seconds(repeats: int = 3) -> float:
    """Median wall time of ``python -c "import tensorflow"``."""
    return statistics.median(wall([PY, "-c", "import tensorflow"]) for _ in range(repeats))


def nbval_seconds(notebooks: list[Path]) -> dict[str, float]:
    """Every notebook under strict nbval in one serial run; each one's cell time, from conftest.py's report."""
    cmd = [PY, "-m", "pytest", "-q", "-p", "no:xdist", *(str(nb.relative_to(ROOT)) for nb in notebooks)]
    result = subprocess.run(cmd, capture_output=True, text=True, cwd=ROOT)
    if result.returncode != 0:
        raise RuntimeError(f"{' '.join(cmd)} failed ({result.returncode}):\n{result.stdout[-3000:]}")
    names = {nb.name for nb in notebooks}
    each = {}
    for line in result.stdout.splitlines():
        fields = line.split()
        if len(fields) >= 3 and fields[0] in names and fields[2] == "s":
            each[fields[0]] = float(fields[1])
    if set(each) != names:
        raise RuntimeError(f"no time reported for {sorted(names - set(each))}:\n{result.stdout[-3000:]}")
    return each


def rebuild_seconds() -> float:
    """Build the book once (to be sure it is current), then time a rebuild with nothing changed."""
    jb = str(BIN / "jupyter-book")
    wall([jb, "build", ".", "-W", "-n", "--keep-going"])
    return wall([jb, "build", ".", "-W", "-n", "--keep-going"])


def ci_seconds() -> float:
    """``.ci/run`` in a fresh clone of HEAD, with its own fresh virtual environment."""
    with tempfile.TemporaryDirectory() as tmp:
        clone = Path(tmp) / "clone"
        subprocess.run(["git", "clone", "-q", str(ROOT), str(clone)], check=True)
        shared = ROOT.parent / "shared"
        if shared.exists():
            os.symlink(shared, Path(tmp) / "shared")
        env = {k: v for k, v in os.environ.items() if k != "VIRTUAL_ENV"}
        env["CI"] = "true"
        return wall(["bash", ".ci/run"], cwd=clone, env=env)


OVERHEAD_CODE = """
import time
import dlnotes
dlnotes.seed_everything(0)
import keras
from dlnotes import data
from dlnotes.data import load_breast_cancer, standardize
from dlnotes.models import build_mlp
from dlnotes.scratch import NumpyMLP

split = load_breast_cancer(positive="malignant", seed=0)
(X,), y = standardize(split.X_train), split.y_train
EPOCHS = 30

def keras_ms_per_epoch(**data):
    model = build_mlp(30, hidden=(16, 8))
    model.compile(keras.optimizers.Adam(1e-3), "binary_crossentropy")
    model.fit(epochs=1, verbose=0, **data)  # trace the train step first
    start = time.perf_counter()
    model.fit(epochs=EPOCHS, verbose=0, **data)
    return (time.perf_counter() - start) / EPOCHS * 1000

arrays = keras_ms_per_epoch(x=X, y=y, batch_size=32)
dataset = keras_ms_per_epoch(x=data.to_dataset(X, y, batch_size=32, shuffle=True, seed=0), shuffle=False)
mlp = NumpyMLP((30, 16, 8, 1), seed=0)
start = time.perf_counter()
mlp.fit(X, y, epochs=EPOCHS, batch_size=32, learning_rate=0.01, seed=0)
numpy = (time.perf_counter() - start) / EPOCHS * 1000
print(f"{arrays:.1f} {dataset:.1f} {numpy:.1f}")
"""


def step_overhead_ms() -> tuple[float, float, float]:
    """ms per epoch (341 samples, 11 steps of 32) of chapter 4's 30-16-8-1 network: Keras fit on NumPy
    arrays, Keras fit on ``data.to_dataset``, and the same arithmetic in NumPy (``NumpyMLP``)."""
    out = subprocess.run([PY, "-c", OVERHEAD_CODE], capture_output=True, text=True, check=True, cwd=ROOT)
    arrays, dataset, numpy = (float(v) for v in out.stdout.split())
    return arrays, dataset, numpy


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="dlnotes performance figures")
    parser.add_argument("--profile", action="store_true", help="also where each notebook's time goes")
    parser.add_argument("--ci", action="store_true", help="also time .ci/run in a fresh clone (minutes)")
    args = parser.parse_args(argv)
    notebooks = sorted((ROOT / "book").glob("*.ipynb"))
    rows, ok = [], True

    def report(name: str, value: float, target: float, unit: str = "s") -> None:
        nonlocal ok
        passed = value <= target
        ok &= passed
        rows.append(
            f"{name:<44} {value:8.2f} {unit:<2} target <= {target:.2f} {unit:<2} "
            f"{value / target:5.2f} of target  {'ok' if passed else 'MISSED'}"
        )

    load = os.getloadavg()[0]
    imp, tf_loaded = import_dlnotes_seconds()
    report("import dlnotes (median of 7)", imp, 0.1)
    if tf_loaded:
        ok = False
        rows.append("import dlnotes imported tensorflow                                   MISSED")
    tf = tf_import_seconds()
    label = 'python -c "import tensorflow" (median of 3)'
    rows.append(f"{label:<44} {tf:8.2f} s")
    each = nbval_seconds(notebooks)
    for name, seconds in each.items():
        report(f"nbval {name} (cell time)", seconds, BUDGET_SECONDS.get(name, 30.0))
    together = sum(each.values())
    budget = 5 * len(notebooks) * tf
    report(f"nbval all {len(notebooks)} notebooks (serial, cell time)", together, budget)
    rows.append(
        f"{'  = x the time of import tensorflow':<44} {together / tf:8.2f}   "
        f"(budget {5 * len(notebooks)} = 5 x {len(notebooks)} notebooks)"
    )
    report("book rebuild, nothing changed", rebuild_seconds(), 20.0)
    arrays, dataset, numpy = step_overhead_ms()
    rows.append(
        f"{'one epoch, 11 steps of 32 (chapter 4 net):':<44} fit on arrays {arrays:.1f} ms, "
        f"on data.to_dataset {dataset:.1f} ms, NumPy (NumpyMLP) {numpy:.1f} ms"
    )
    if args.ci:
        report(".ci/run in a fresh clone, installs included", ci_seconds(), 25 * 60.0)

    load = max(load, os.getloadavg()[0])
    print(
        f"dlnotes benchmarks  ({time.strftime('%Y-%m-%d %H:%M UTC', time.gmtime())}, {os.cpu_count()} CPUs, "
        f"load average (1 min) up to {load:.1f}, Python {sys.version.split()[0]})"
    )
    print("\n".join(rows))
    if args.profile:
        sys.path.insert(0, str(ROOT / "benchmarks"))
        import notebook_profile

        notebook_profile.main([str(nb) for nb in notebooks] + ["--cells", "1.0"])
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
