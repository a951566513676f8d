"""Re-execute notebooks in place so their stored outputs are current.

Use it after a deliberate change that alters what a notebook prints (`make refresh`, or
`make refresh NB=book/01_design.ipynb` for one), then review `git diff` and say in the commit why the
numbers changed. `make test` (strict nbval) then proves the stored outputs are reproduced.

The kernel is started with ``--IPKernelApp.capture_fd_output=False`` so that, exactly as under nbval,
text written straight to the process's file descriptors (C libraries' logs) never becomes a cell output.

A notebook is written back only after all its cells ran, through a temporary file that replaces it
in one step: a failing cell, a timeout, a dead kernel or an interruption leaves it exactly as it was,
and the script names the notebook and the reason, goes on with the others and exits with status 1.
"""

from __future__ import annotations

import argparse
import os
import sys
import tempfile
import time
from pathlib import Path

import nbformat
from nbclient import NotebookClient
from nbclient.exceptions import CellExecutionError, CellTimeoutError, DeadKernelError

ROOT = Path(__file__).resolve().parent.parent


def merge_streams(nb: nbformat.NotebookNode) -> None:
    """Join consecutive stdout (or stderr) outputs of a cell into one, as nbval does before comparing.

    How a cell's printed text is cut into outputs depends on when the kernel flushed, so without this
    the same run could store one or two outputs and show a meaningless diff.
    """
    for cell in nb.cells:
        merged: list = []
        for output in cell.get("outputs", []):
            previous = merged[-1] if merged else None
            if (
                output.output_type == "stream"
                and previous is not None
                and previous.output_type == "stream"
                and previous.name == output.name
            ):
                previous.text += output.text
            else:
                merged.append(output)
        if cell.cell_type == "code":
            cell.outputs = merged


def refresh(path: Path, timeout: int) -> float:
    """Execute one notebook in its own folder and write it back; return the seconds it took."""
    nb = nbformat.read(path, as_version=4)
    client = NotebookClient(
        nb,
        timeout=timeout,
        kernel_name="python3",
        resources={"metadata": {"path": str(path.parent)}},
        extra_arguments=["--IPKernelApp.capture_fd_output=False"],
        record_timing=False,
    )
    nb.metadata.pop("jupytext", None)  # authoring-tool metadata, not part of the book
    start = time.perf_counter()
    client.execute()
    elapsed = time.perf_counter() - start
    merge_streams(nb)
    write_atomically(nb, path)
    return elapsed


def write_atomically(nb: nbformat.NotebookNode, path: Path) -> None:
    """Write ``nb`` to a temporary file beside ``path``, then put it in place in one step.

    >>> import tempfile
    >>> folder = Path(tempfile.mkdtemp())
    >>> write_atomically(nbformat.v4.new_notebook(), folder / "a.ipynb")
    >>> sorted(p.name for p in folder.iterdir())
    ['a.ipynb']
    """
    handle, temporary = tempfile.mkstemp(suffix=".ipynb.tmp", dir=path.parent)
    try:
        with os.fdopen(handle, "w", encoding="utf-8") as stream:
            nbformat.write(nb, stream)
        os.replace(temporary, path)
    except BaseException:
        os.unlink(temporary)
        raise


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("notebooks", nargs="*", type=Path, help="default: every book/*.ipynb")
    parser.add_argument("--timeout", type=int, default=600, help="seconds per cell (default 600)")
    args = parser.parse_args(argv)
    paths = args.notebooks or sorted((ROOT / "book").glob("*.ipynb"))
    failed = []
    for path in paths:
        try:
            seconds = refresh(path.resolve(), args.timeout)
        except CellTimeoutError as error:
            reason = f"a cell ran longer than --timeout={args.timeout} s ({error})"
        except DeadKernelError as error:
            reason = f"the kernel died ({error})"
        except CellExecutionError as error:
            reason = f"a cell raised an error:\n{error}"
        except KeyboardInterrupt:
            print(f"INTERRUPTED {path}: left unchanged", file=sys.stderr)
            return 130
        else:
            print(f"refreshed {path} in {seconds:.1f} s")
            continue
        failed.append(path)
        print(f"FAILED {path}, left unchanged: {reason}", file=sys.stderr)
    if failed:
        print(f"{len(failed)} notebook(s) not refreshed: {', '.join(map(str, failed))}", file=sys.stderr)
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
