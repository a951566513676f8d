"""Build the Korean edition, or the message templates it is translated from, with Jupyter Book's own config.

    python scripts/build_edition.py ko        # Korean HTML into _build/html/ko (after the English build)
    python scripts/build_edition.py gettext   # message templates (.pot) into _build/gettext

``jupyter-book build`` has no option to set Sphinx's ``language``, and ``jupyter-book config sphinx``
writes a second copy of the configuration that could drift from ``_config.yml``. So this script calls
the very function ``jupyter-book build`` calls (``jupyter_book.sphinx.build_sphinx``) with the same
``_config.yml`` and ``_toc.yml``, and overrides only what differs: the language, the builder and where
the output and the doctrees go. The Korean build keeps its own doctrees (``_build/.doctrees-ko``):
translated doctrees must not overwrite the English ones, or every build would re-read everything.
"""

from __future__ import annotations

import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
BUILD = ROOT / "_build"

# the same overrides `jupyter-book build . -W -n --keep-going` passes to Sphinx
COMMON = {
    "external_toc_path": (ROOT / "_toc.yml").as_posix(),
    "latex_individualpages": False,
    "nitpicky": True,
}

EDITIONS = {
    "ko": dict(
        builder="html",
        outputdir=BUILD / "html" / "ko",
        doctreedir=BUILD / ".doctrees-ko",
        overrides={"language": "ko"},
    ),
    "gettext": dict(
        builder="gettext", outputdir=BUILD / "gettext", doctreedir=BUILD / ".doctrees-gettext", overrides={}
    ),
}

REDIRECT = '<meta http-equiv="Refresh" content="0; url={first_page}" />\n'


def build(edition: str) -> int:
    from jupyter_book.sphinx import build_sphinx

    spec = EDITIONS[edition]
    result = build_sphinx(
        ROOT,
        spec["outputdir"],
        use_external_toc=True,
        noconfig=True,
        path_config=ROOT / "_config.yml",
        confoverrides={**COMMON, **spec["overrides"]},
        doctreedir=spec["doctreedir"],
        builder=spec["builder"],
        warningiserror=True,
        keep_going=True,
    )
    if isinstance(result, Exception):
        return 1
    if result == 0 and spec["builder"] == "html":
        # like `jupyter-book build`: an index.html that sends the reader to the first page
        (spec["outputdir"] / "index.html").write_text(
            REDIRECT.format(first_page="book/intro.html"), encoding="utf-8"
        )
    return int(result)


def main(argv: list[str]) -> int:
    if len(argv) != 1 or argv[0] not in EDITIONS:
        print(f"usage: python scripts/build_edition.py {{{'|'.join(EDITIONS)}}}", file=sys.stderr)
        return 2
    return build(argv[0])


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
