"""A Sphinx extension: which release of the book a page belongs to, and the package that goes with it.

The footer
----------
Every page says which version of the book it is and under which licences.

The footer line is written once, in English, as ``html_theme_options.extra_footer`` in ``_config.yml``
(sphinx-book-theme puts it at the foot of every page). It holds one placeholder, ``{version}``, which this
extension fills with ``dlnotes.__version__`` (the one place the version is written), so the page, the
wheel and ``CITATION.cff`` cannot disagree. In an edition of another language (the Korean one,
``language = "ko"``) the line is taken from that language's theme catalogue,
``locales/<language>/LC_MESSAGES/sphinx.po``, where the same English line is the ``msgid``; a missing or
fuzzy translation is a build warning (an error under ``-W``), never a silently English footer.

``scripts/make_pdf.py`` prints the same line, read from the built page, on the PDF's title page and at
the foot of every printed page (``tests/test_reach.py`` checks the sources, the built pages and the PDFs).

The wheel
---------
The HTML site serves the ``dlnotes`` wheel of its version, so that a classroom without a package index
installs the package from the book itself: the HTML builder (each edition) copies
``_build/dist/dlnotes-<version>-py3-none-any.whl`` (``make wheel``, which ``make html`` runs first) to the
site's root, beside the PDF, and the substitution ``{{ wheel_link }}`` (MyST) links it by its exact
name from the intro and API pages (``../<wheel>`` from ``book/``). An HTML build without that wheel is a
build warning (an error under ``-W``): the link would be broken.
"""

from __future__ import annotations

import re
import shutil
from pathlib import Path
from typing import Any

PLACEHOLDER = "{version}"
ROOT = Path(__file__).resolve().parent.parent
DIST = Path("_build") / "dist"


def wheel_name(version: str) -> str:
    """The file name of the dlnotes wheel of ``version``.

    >>> wheel_name("1.2.0")
    'dlnotes-1.2.0-py3-none-any.whl'
    """
    return f"dlnotes-{version}-py3-none-any.whl"


def wheel_link(version: str) -> str:
    """The HTML link to the wheel from a page in ``book/`` (the substitution ``{{ wheel_link }}``)."""
    name = wheel_name(version)
    return f'<a class="dlnotes-wheel" href="../{name}" download><code>{name}</code></a>'


def book_version(root: Path = ROOT) -> str:
    """``__version__`` as written in ``dlnotes/__init__.py`` (read, not imported: no TensorFlow here)."""
    text = (root / "dlnotes" / "__init__.py").read_text(encoding="utf-8")
    match = re.search(r'^__version__ = "([^"]+)"$', text, re.M)
    if match is None:
        raise RuntimeError('dlnotes/__init__.py has no line __version__ = "..."')
    return match.group(1)


def translated_footer(english: str, language: str, root: Path = ROOT) -> str | None:
    """The footer line of ``language`` from ``locales/<language>/LC_MESSAGES/sphinx.po``; None if absent or fuzzy."""
    if language == "en":
        return english
    from babel.messages.pofile import read_po

    po = root / "locales" / language / "LC_MESSAGES" / "sphinx.po"
    if not po.exists():
        return None
    with po.open("rb") as source:
        message = read_po(source).get(english)
    if message is None or not message.string or message.fuzzy:
        return None
    return str(message.string)


def footer(english: str, language: str, version: str, root: Path = ROOT) -> str:
    """The footer line for one edition, with the version filled in.

    >>> footer("<p>dlnotes {version}, CC BY 4.0</p>", "en", "1.2.0")
    '<p>dlnotes 1.2.0, CC BY 4.0</p>'
    """
    if PLACEHOLDER not in english:
        raise ValueError(f"extra_footer must hold {PLACEHOLDER} (where the version goes); got {english!r}")
    line = translated_footer(english, language, root)
    if line is None:
        raise LookupError(
            f"locales/{language}/LC_MESSAGES/sphinx.po has no translation of the footer line "
            f"(html_theme_options.extra_footer in _config.yml): add it, msgid = {english!r}"
        )
    if PLACEHOLDER not in line:
        raise ValueError(f"the {language} footer line lost its {PLACEHOLDER}: {line!r}")
    return line.replace(PLACEHOLDER, version)


def _fill_footer_and_wheel_link(app: Any, config: Any) -> None:
    from sphinx.util import logging

    version = book_version(Path(app.srcdir))
    options = config.html_theme_options
    english = options.get("extra_footer") or ""
    try:
        options["extra_footer"] = footer(english, config.language or "en", version)
    except (LookupError, ValueError) as error:
        logging.getLogger(__name__).warning(f"book_release: {error}")
    config.myst_substitutions = {**(config.myst_substitutions or {}), "wheel_link": wheel_link(version)}


def _wheel(app: Any) -> Path:
    return Path(app.srcdir) / DIST / wheel_name(book_version(Path(app.srcdir)))


def _check_wheel(app: Any) -> None:
    if app.builder.name == "html" and not _wheel(app).is_file():
        from sphinx.util import logging

        logging.getLogger(__name__).warning(
            f"book_release: {_wheel(app)} is missing, so the site's link to the wheel would be broken: "
            "run `make wheel` first (`make html` does)"
        )


def _copy_wheel(app: Any, exc: Exception | None) -> None:
    if exc is None and app.builder.name == "html" and _wheel(app).is_file():
        shutil.copyfile(_wheel(app), Path(app.outdir) / _wheel(app).name)


def setup(app: Any) -> dict[str, Any]:
    app.connect("config-inited", _fill_footer_and_wheel_link)
    app.connect("builder-inited", _check_wheel)
    app.connect("build-finished", _copy_wheel)
    return {"parallel_read_safe": True, "parallel_write_safe": True}
