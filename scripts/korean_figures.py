"""Sphinx extension: the Korean edition's figures, printed tables and code comments (issue 28).

**Korean twins.** A code cell whose metadata holds ``"dlnotes": {"korean_twin": true}`` is the Korean
twin of the code cell just before it: it draws the same result with ``use_language("ko")`` and Korean
labels (or prints the same table with Korean headers). The notebooks run both, so nbval verifies both.
In every build this transform removes the twin cell from the page; in the Korean build (language
``ko``) it first puts the twin's outputs in place of the English cell's: each image's file (in order,
so the English cell keeps its caption, its name for ``{numref}`` and its alt text, which the
catalogue translates) and each printed text (stream) output. The English pages are what they were.

**Code comments.** In the Korean build every ``# comment`` of a code cell's source whose text is a
message of ``locales/ko/LC_MESSAGES/code_comments.po`` is shown with its translation; the code itself
is not touched (the comments are found with Python's tokenizer, so a ``#`` inside a string stays).
Comments without a translation stay English.
"""

from __future__ import annotations

import io
import tokenize
from pathlib import Path
from typing import Any

from docutils import nodes
from sphinx.transforms import SphinxTransform
from sphinx.util import logging

logger = logging.getLogger(__name__)

ROOT = Path(__file__).resolve().parent.parent
COMMENTS_PO = ROOT / "locales" / "ko" / "LC_MESSAGES" / "code_comments.po"


def is_twin(node: nodes.Node) -> bool:
    return (
        isinstance(node, nodes.container)
        and node.get("nb_element") == "cell_code"
        and (node.get("cell_metadata") or {}).get("dlnotes", {}).get("korean_twin") is True
    )


def _outputs(cell: nodes.Element) -> tuple[list[nodes.image], list[nodes.literal_block]]:
    images = list(cell.findall(nodes.image))
    streams = [
        block
        for output in cell.findall(nodes.container)
        if output.get("nb_element") == "cell_code_output"
        for block in output.findall(nodes.literal_block)
        if "stream" in block["classes"]  # printed text (not a figure's text/plain fallback)
    ]
    return images, streams


def _set_text(block: nodes.literal_block, text: str) -> None:
    """Replace a literal block's text; rawsource too, or Sphinx would take it for a parsed literal."""
    block.children = [nodes.Text(text)]
    block.rawsource = text


def swap_in_twin(english: nodes.Element, twin: nodes.Element) -> list[str]:
    """Put the twin's outputs in place of the English cell's; return what did not match (nothing if all did)."""
    images, streams = _outputs(english)
    twin_images, twin_streams = _outputs(twin)
    problems = []
    if len(images) != len(twin_images):
        problems.append(f"{len(images)} image(s) in the English cell, {len(twin_images)} in its Korean twin")
    if twin_streams and len(streams) != len(twin_streams):
        problems.append(
            f"{len(streams)} printed output(s) in the English cell, {len(twin_streams)} in its twin"
        )
    if problems:
        return problems
    for image, korean in zip(images, twin_images):
        for key in ("uri", "candidates", "original_uri"):  # where the file is, as myst-nb and Sphinx set it
            if key in korean:
                image[key] = korean[key]
            elif key in image:
                del image[key]
    if twin_streams:
        for block, korean in zip(streams, twin_streams):
            _set_text(block, korean.astext())
    return []


def load_comment_catalogue(path: Path = COMMENTS_PO) -> dict[str, str]:
    """English comment text (after ``# ``) -> its translation, from the code comments' catalogue."""
    if not path.exists():
        return {}
    from babel.messages.pofile import read_po

    with path.open("rb") as f:
        catalogue = read_po(f)
    return {m.id: m.string for m in catalogue if m.id and m.string and not m.fuzzy}


def translate_comments(source: str, comments: dict[str, str]) -> str:
    """``source`` with each ``# comment`` that ``comments`` knows replaced by its translation."""
    try:
        tokens = list(tokenize.generate_tokens(io.StringIO(source).readline))
    except (tokenize.TokenError, IndentationError, SyntaxError):
        return source  # not plain Python (a magic, a shell line): shown as it is
    lines = source.splitlines(keepends=True)
    for token in reversed([t for t in tokens if t.type == tokenize.COMMENT]):
        text = token.string[1:].strip()
        if text in comments:
            row, col = token.start
            line = lines[row - 1]
            lines[row - 1] = line[:col] + "# " + comments[text] + line[col + len(token.string) :]
    return "".join(lines)


class KoreanTwins(SphinxTransform):
    """See the module's docstring. After the i18n transforms (priority 20), before the images are collected."""

    default_priority = 880

    def apply(self, **kwargs: Any) -> None:
        korean = (self.config.language or "en") == "ko"
        comments = load_comment_catalogue() if korean else {}
        for twin in list(self.document.findall(is_twin)):
            parent = twin.parent
            index = parent.index(twin)
            english = parent[index - 1] if index > 0 else None
            if korean:
                if not (isinstance(english, nodes.container) and english.get("nb_element") == "cell_code"):
                    logger.warning(
                        "a Korean twin cell (metadata dlnotes.korean_twin) must follow the code cell it "
                        "translates, directly",
                        location=twin,
                    )
                else:
                    for problem in swap_in_twin(english, twin):
                        logger.warning(f"Korean twin cell: {problem}", location=twin)
            parent.remove(twin)
        if comments:
            for cell in self.document.findall(nodes.container):
                if cell.get("nb_element") != "cell_code_source":
                    continue
                for block in cell.findall(nodes.literal_block):
                    text = block.astext()
                    translated = translate_comments(text, comments)
                    if translated != text:
                        _set_text(block, translated)


def setup(app: Any) -> dict[str, Any]:
    app.add_transform(KoreanTwins)
    return {"parallel_read_safe": True, "parallel_write_safe": True}
