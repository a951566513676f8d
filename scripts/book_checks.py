"""A Sphinx extension that refuses to render a notebook that was not run cleanly.

The book renders the outputs stored in the notebooks without executing them. A notebook saved with an
error output, or with code cells that never ran, would otherwise become a half-rendered page. This
extension stops the build instead, naming the notebook, the cell and the message. A cell that is
*meant* to show an error carries the tag ``raises-exception`` (the same tag nbval honours).
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

ALLOWED_ERROR_TAG = "raises-exception"


def notebook_problems(nb: dict[str, Any]) -> list[str]:
    """Return one line per problem: an error output or an unexecuted code cell."""
    problems = []
    for index, cell in enumerate(nb.get("cells", []), start=1):
        if cell.get("cell_type") != "code":
            continue
        source = "".join(cell.get("source", ""))
        if not source.strip():
            continue
        first_line = source.strip().splitlines()[0][:60]
        tags = cell.get("metadata", {}).get("tags", [])
        if cell.get("execution_count") is None:
            problems.append(f"cell {index} ({first_line!r}) was never executed")
        for output in cell.get("outputs", []):
            if output.get("output_type") == "error" and ALLOWED_ERROR_TAG not in tags:
                problems.append(
                    f"cell {index} ({first_line!r}) stored an error: {output.get('ename')}: {output.get('evalue')}"
                )
    return problems


def _check_notebooks(app: Any, env: Any, docnames: list[str]) -> None:
    from sphinx.errors import ExtensionError

    failures = []
    for docname in docnames:
        path = Path(env.doc2path(docname))
        if path.suffix != ".ipynb":
            continue
        for problem in notebook_problems(json.loads(path.read_text(encoding="utf-8"))):
            failures.append(f"{path.name}: {problem}")
    if failures:
        raise ExtensionError(
            "notebooks must be stored fully executed and without errors (run `make refresh`):\n  "
            + "\n  ".join(failures)
        )


def setup(app: Any) -> dict[str, Any]:
    app.connect("env-before-read-docs", _check_notebooks)
    return {"parallel_read_safe": True, "parallel_write_safe": True}
