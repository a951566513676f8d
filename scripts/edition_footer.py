"""A Sphinx extension: the footer of every page says which version of the book it is and under which licences.

The footer line is written once, in English, as ``html_theme_options.extra_footer`` in ``_config.yml``
(sphinx-book-theme puts it at the foot of every page). It holds one placeholder, ``{version}``, which this
extension fills with ``dlnotes.__version__`` (the one place the version is written), so the page, the
wheel and ``CITATION.cff`` cannot disagree. In an edition of another language (the Korean one,
``language = "ko"``) the line is taken from that language's theme catalogue,
``locales/<language>/LC_MESSAGES/sphinx.po``, where the same English line is the ``msgid``; a missing or
fuzzy translation is a build warning (an error under ``-W``), never a silently English footer.

``scripts/make_pdf.py`` prints the same line, read from the built page, on the PDF's title page and at
the foot of every printed page (``tests/test_reach.py`` checks the sources, the built pages and the PDFs).
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

PLACEHOLDER = "{version}"
ROOT = Path(__file__).resolve().parent.parent


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


def _fill_footer(app: Any, config: Any) -> None:
    from sphinx.util import logging

    options = config.html_theme_options
    english = options.get("extra_footer") or ""
    try:
        options["extra_footer"] = footer(english, config.language or "en", book_version(Path(app.srcdir)))
    except (LookupError, ValueError) as error:
        logging.getLogger(__name__).warning(f"edition_footer: {error}")


def setup(app: Any) -> dict[str, Any]:
    app.connect("config-inited", _fill_footer)
    return {"parallel_read_safe": True, "parallel_write_safe": True}
