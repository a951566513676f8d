"""Where each notebook's time goes: every cell's time, and inside it the time in Keras and Matplotlib.

Each notebook runs top to bottom in a fresh kernel (nbclient, as nbval runs it: the same IPython
start-up files, so the printed-number recorder too). Before its first cell the profiler runs one
cell of its own (never stored in the notebook) that wraps, with timers, in the kernel:

* ``import`` of TensorFlow, Keras, Matplotlib, KerasTuner and scikit-learn (when the notebook imports
  them);
* ``build``: ``dlnotes.models.build_mlp`` (models built in plain Keras in a cell count as ``other``);
* ``compile``: ``keras.Model.compile``;
* ``fit``, split by a callback it adds to every ``fit`` into ``set-up`` (data adapter, callbacks,
  before the first epoch), ``1st epoch`` (the first epoch of every fit: it traces the train step,
  a ``tf.function``, for each new model) and ``epochs`` (every later epoch);
* ``val``: the validation ``fit`` runs at the end of each epoch (``Model.evaluate`` inside ``fit``);
* ``eval``: ``Model.evaluate`` and ``Model.predict`` outside ``fit``; ``save``: saving and loading;
* ``plot``: the ``dlnotes.plots`` functions; ``draw``: rendering a figure (``print_figure``, which the
  inline backend calls after each cell that made one, and ``savefig``);
* ``other``: the rest of the cell time (NumPy, KerasTuner's bookkeeping, worker processes, ...).

Each timer counts its own time only (a ``fit`` inside a KerasTuner search is ``fit``, the validation
inside that ``fit`` is ``val``). The cell time is what nbval reports for the cell: the kernel's
start-up is not in it (``python -c "import tensorflow"`` is timed apart, for the budget of issue 30).

Usage, from the repository root with the project's environment:

    .venv/bin/python benchmarks/notebook_profile.py                 # every notebook, one at a time
    .venv/bin/python benchmarks/notebook_profile.py book/06_tuning.ipynb --cells 1.0
    .venv/bin/python benchmarks/notebook_profile.py --markdown      # the README's table

``--cells S`` also lists, per notebook, every cell that took at least S seconds, with its split.
``--json FILE`` writes every cell's figures. Run it on an idle machine: the numbers scale with load.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import statistics
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PY = sys.executable
BUDGET_SECONDS = {"07_distributed.ipynb": 45.0}  # as conftest.py: worker processes import TensorFlow
DEFAULT_BUDGET_SECONDS = 30.0
COLUMNS = [
    "import",
    "build",
    "compile",
    "set-up",
    "1st epoch",
    "epochs",
    "val",
    "eval",
    "save",
    "plot",
    "draw",
]

# Runs in the kernel before the notebook's first cell. It imports nothing heavy itself: the timers are
# put in place by an import hook when the notebook first imports each module.
PRELUDE = r'''
import functools as _ft, importlib.abc as _iabc, importlib.util as _ilu, json as _json, sys as _sys, time as _time


class _Profile:
    def __init__(self):
        self.stack = []  # [category, start, seconds spent in timed regions inside it]
        self.cell = None  # category -> seconds, for the cell running now
        self.cells = []
        self.fits = 0
        self.epochs = 0

    def add(self, category, seconds):
        if self.cell is not None:
            self.cell[category] = self.cell.get(category, 0.0) + seconds

    def timed(self, category, function):
        if getattr(function, "_profiled", False):
            return function

        @_ft.wraps(function)
        def wrapper(*args, **kwargs):
            name = category(self) if callable(category) else category
            frame = [name, _time.perf_counter(), 0.0]
            self.stack.append(frame)
            try:
                return function(*args, **kwargs)
            finally:
                self.stack.pop()
                total = _time.perf_counter() - frame[1]
                self.add(name, total - frame[2])
                if self.stack:
                    self.stack[-1][2] += total
        wrapper._profiled = True
        return wrapper

    def split_fit(self, seconds):
        """Move a part of the running fit's own time to another category (the epochs' split)."""
        for name, part in seconds.items():
            self.add(name, part)
            self.add("fit", -part)


_PROFILE = _Profile()


def _timed_so_far():
    """Seconds of the running cell in every category but fit's own (which the epochs split)."""
    own = {"fit", "1st epoch", "epochs"}
    return sum(v for k, v in (_PROFILE.cell or {}).items() if k not in own)


def _in_fit(profile):
    return "val" if any(frame[0] == "fit" for frame in profile.stack) else "eval"


def _patch_keras(keras):
    P = _PROFILE
    if getattr(keras.Model.fit, "_profiled", False):
        return  # patched already (Keras can be executed twice: under keras and tf.keras)

    class _EpochTimer(keras.callbacks.Callback):
        def on_train_begin(self, logs=None):
            self.epoch = 0

        def on_epoch_begin(self, epoch, logs=None):
            self.start = _time.perf_counter()
            self.inside = _timed_so_far()

        def on_epoch_end(self, epoch, logs=None):
            # the epoch's own time: without the validation, saving, ... timed inside it
            seconds = _time.perf_counter() - self.start - (_timed_so_far() - self.inside)
            P.split_fit({"1st epoch" if self.epoch == 0 else "epochs": seconds})
            P.epochs += self.epoch > 0
            self.epoch += 1

    def fit_with_timer(self, *args, callbacks=None, **kwargs):
        P.fits += 1
        if callbacks is None or isinstance(callbacks, (list, tuple)):
            callbacks = [*(callbacks or []), _EpochTimer()]
        return _fit(self, *args, callbacks=callbacks, **kwargs)

    _fit = keras.Model.fit

    def patch(method, category, function=None):
        # on the class that defines it: Keras compares methods with its base classes' own
        owner = next(k for k in keras.Model.__mro__ if method in vars(k))
        setattr(owner, method, P.timed(category, function or getattr(owner, method)))

    fit = keras.Model.fit
    patch("fit", "fit", _ft.wraps(fit)(fit_with_timer))
    patch("compile", "compile")
    patch("evaluate", _in_fit)
    patch("predict", "eval")
    patch("save", "save")
    for module in (keras.models, keras.saving):
        module.load_model = P.timed("save", module.load_model)


def _patch_dlnotes_models(models):
    models.build_mlp = _PROFILE.timed("build", models.build_mlp)


def _patch_dlnotes_plots(plots):
    for name in plots.__all__:
        setattr(plots, name, _PROFILE.timed("plot", getattr(plots, name)))


def _patch_matplotlib_backend_bases(bases):
    canvas = bases.FigureCanvasBase
    canvas.print_figure = _PROFILE.timed("draw", canvas.print_figure)


PATCHES = {
    "keras": _patch_keras,
    "dlnotes.models": _patch_dlnotes_models,
    "dlnotes.plots": _patch_dlnotes_plots,
    "matplotlib.backend_bases": _patch_matplotlib_backend_bases,
}
HEAVY = {"tensorflow", "keras", "matplotlib", "matplotlib.pyplot", "keras_tuner", "sklearn"}


class _Hook(_iabc.MetaPathFinder):
    """Times the heavy imports, and puts the timers in place as each patched module is imported."""

    busy = set()  # names being looked up: a finder below may ask the import system again

    def find_spec(self, name, path, target=None):
        if (name not in PATCHES and name not in HEAVY) or name in self.busy:
            return None
        self.busy.add(name)
        try:
            spec = _ilu.find_spec(name)
        finally:
            self.busy.discard(name)
        if spec is None:
            return None
        loader = spec.loader
        if loader is None or not hasattr(loader, "exec_module"):
            return spec
        exec_module = loader.exec_module
        if name in HEAVY:
            exec_module = _PROFILE.timed("import", exec_module)

        def exec_and_patch(module, _exec=exec_module):
            _exec(module)
            if name in PATCHES:
                PATCHES[name](module)

        class _Loader:
            def __getattr__(self, attribute):
                return getattr(loader, attribute)

            def create_module(self, spec):
                return loader.create_module(spec)

            def exec_module(self, module):
                exec_and_patch(module)

        spec.loader = _Loader()
        return spec


for _name, _patch in PATCHES.items():
    if _name in _sys.modules:  # already imported (by IPython itself, say)
        _patch(_sys.modules[_name])
_sys.meta_path.insert(0, _Hook())


def _pre(info=None):
    _PROFILE.cell = {}
    _PROFILE.source = getattr(info, "raw_cell", "")
    _PROFILE.fits = _PROFILE.epochs = 0


def _post(result=None):
    if _PROFILE.cell is not None:
        _PROFILE.cells.append(
            {**_PROFILE.cell, "fits": _PROFILE.fits, "later epochs": _PROFILE.epochs, "source": _PROFILE.source}
        )
    _PROFILE.cell = None


get_ipython().events.register("pre_run_cell", _pre)
get_ipython().events.register("post_run_cell", _post)
'''

REPORT = "print(_json.dumps(_PROFILE.cells))"


def tf_import_seconds(repeats: int = 3) -> float:
    """Median wall time of ``python -c "import tensorflow"`` in fresh interpreters."""
    times = []
    for _ in range(repeats):
        start = time.perf_counter()
        subprocess.run([PY, "-c", "import tensorflow"], check=True, capture_output=True, cwd=ROOT)
        times.append(time.perf_counter() - start)
    return statistics.median(times)


def _ipython_dir() -> Path:
    """The IPython folder nbval's kernels start from (conftest.py): the printed-number recorder."""
    sys.path.insert(0, str(ROOT / "scripts"))
    try:
        import printed_numbers
    finally:
        sys.path.remove(str(ROOT / "scripts"))
    return printed_numbers.write_profile(ROOT / "_build" / "ipython")


def run_unstored(client, nb, source: str):
    """Run a cell of the profiler's own: after the notebook's cells, and taken out again."""
    import nbformat

    cell = nbformat.v4.new_code_cell(source)
    nb.cells.append(cell)  # nbclient stores the cell it ran at its index
    try:
        client.execute_cell(cell, len(nb.cells) - 1, store_history=False)
    finally:
        nb.cells.pop()
    return cell


def profile_notebook(path: Path) -> dict:
    """Run one notebook in a fresh kernel; each code cell's time and its split, and the kernel start."""
    import nbformat
    from nbclient import NotebookClient

    nb = nbformat.read(path, as_version=4)
    os.environ["DLNOTES_PRINTED_NOTEBOOK"] = path.name
    os.environ["DLNOTES_PRINTED_CHECK"] = "0"  # the profiler's own cells shift the recorder's count
    client = NotebookClient(
        nb,
        timeout=900,
        kernel_name="python3",
        resources={"metadata": {"path": str(path.parent)}},
        extra_arguments=["--IPKernelApp.capture_fd_output=False"],
    )
    start = time.perf_counter()
    cells = []
    with client.setup_kernel():
        kernel_start = time.perf_counter() - start
        run_unstored(client, nb, PRELUDE)
        for index, cell in enumerate(nb.cells):
            if cell.cell_type != "code" or not cell.source.strip():
                continue
            t = time.perf_counter()
            client.execute_cell(cell, index)
            first = cell.source.strip().splitlines()[0]
            cells.append({"index": index, "seconds": time.perf_counter() - t, "first line": first})
        report = run_unstored(client, nb, REPORT)
    split = json.loads("".join(o.get("text", "") for o in report.outputs if o.get("name") == "stdout"))
    if len(split) != len(cells):
        raise RuntimeError(f"{path.name}: {len(cells)} cells ran but the kernel recorded {len(split)}")
    for cell, parts in zip(cells, split):
        if parts.pop("source") != nb.cells[cell["index"]].source:
            raise RuntimeError(f"{path.name}: the kernel's record of cell {cell['index']} is another cell's")
        cell.update({k: max(v, 0.0) for k, v in parts.items()})
        cell["other"] = max(cell["seconds"] - sum(parts.get(k, 0.0) for k in [*COLUMNS, "fit"]), 0.0)
        cell["set-up"] = cell.pop("fit", 0.0)  # what is left of fit after its epochs are split off
    return {"notebook": path.name, "kernel start": kernel_start, "cells": cells}


def totals(result: dict) -> dict:
    row = {"seconds": sum(c["seconds"] for c in result["cells"])}
    for key in [*COLUMNS, "other", "fits", "later epochs"]:
        row[key] = sum(c.get(key, 0.0) for c in result["cells"])
    return row


def table(results: list[dict], markdown: bool) -> list[str]:
    head = ["notebook", "cells s", "budget", *COLUMNS, "other", "fits", "ms/epoch"]
    lines = []
    if markdown:
        lines += [
            "| " + " | ".join(head) + " |",
            "|" + "|".join([" --- "] + [" ---: "] * (len(head) - 1)) + "|",
        ]
    else:
        lines.append(f"{head[0]:<22}" + "".join(f"{h:>10}" for h in head[1:]))
    for result in results:
        row = totals(result)
        budget = BUDGET_SECONDS.get(result["notebook"], DEFAULT_BUDGET_SECONDS)
        per_epoch = 1000 * row["epochs"] / row["later epochs"] if row["later epochs"] else 0.0
        values = [
            f"{row['seconds']:.1f}" + (" (over)" if row["seconds"] > budget else ""),
            f"{budget:.0f}",
            *(f"{row[k]:.1f}" for k in [*COLUMNS, "other"]),
            f"{row['fits']:.0f}",
            f"{per_epoch:.0f}",
        ]
        name = result["notebook"].removesuffix(".ipynb")
        if markdown:
            lines.append("| " + " | ".join([name, *values]) + " |")
        else:
            lines.append(f"{name:<22}" + "".join(f"{v:>10}" for v in values))
    return lines


def slow_cells(result: dict, threshold: float) -> list[str]:
    lines = [
        f"\n{result['notebook']}: cells of {threshold:g} s or more (kernel start {result['kernel start']:.1f} s)"
    ]
    for cell in result["cells"]:
        if cell["seconds"] < threshold:
            continue
        parts = ", ".join(f"{k} {cell[k]:.2f}" for k in [*COLUMNS, "other"] if cell.get(k, 0.0) >= 0.05)
        extra = f"; {cell['fits']} fits, {cell['later epochs']} later epochs" if cell.get("fits") else ""
        lines.append(f"  cell {cell['index']:3d} {cell['seconds']:6.2f} s  {cell['first line'][:50]}")
        lines.append(f"            {parts}{extra}")
    return lines


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("notebooks", nargs="*", type=Path, help="default: every book/*.ipynb")
    parser.add_argument("--cells", type=float, metavar="S", help="list every cell of S seconds or more")
    parser.add_argument("--markdown", action="store_true", help="the table as Markdown (the README's)")
    parser.add_argument("--json", type=Path, metavar="FILE", help="write every cell's figures there")
    args = parser.parse_args(argv)
    notebooks = [p.resolve() for p in args.notebooks] or sorted((ROOT / "book").glob("*.ipynb"))
    os.environ["IPYTHONDIR"] = str(_ipython_dir())
    load = os.getloadavg()[0]
    tf = tf_import_seconds()
    results = []
    for path in notebooks:
        results.append(profile_notebook(path))
        print(f"  {path.name}: {totals(results[-1])['seconds']:.1f} s", file=sys.stderr, flush=True)
    load = max(load, os.getloadavg()[0])
    all_seconds = sum(totals(r)["seconds"] for r in results)
    print(
        f"{time.strftime('%Y-%m-%d %H:%M UTC', time.gmtime())}, {platform.node()}, {os.cpu_count()} CPUs, "
        f"load average (1 min) up to {load:.1f}; Python {platform.python_version()}"
    )
    print("\n".join(table(results, args.markdown)))
    print(
        f"\nall {len(results)} notebooks: {all_seconds:.1f} s of cells = {all_seconds / tf:.1f} x the "
        f'{tf:.2f} s of python -c "import tensorflow" (budget {5 * len(results)} x = 5 x {len(results)} notebooks)'
    )
    if args.cells is not None:
        for result in results:
            print("\n".join(slow_cells(result, args.cells)))
    if args.json:
        args.json.write_text(json.dumps({"tensorflow import": tf, "notebooks": results}, indent=1))
    return 0


if __name__ == "__main__":
    sys.exit(main())
