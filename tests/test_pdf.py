"""The PDF of the book (``scripts/make_pdf.py``, run by ``make book``), read back with pypdf.

It must hold every chapter of ``_toc.yml`` under its own title, listed with the right page in the
printed table of contents and in the PDF's outline; number every page ("page i / n"); embed every
font it uses; show typeset maths (no LaTeX source left), every figure and the glossary's Korean terms.
The PDF is read from ``$DLNOTES_HTML_DIR/dlnotes.pdf`` (default ``_build/html``); without it the
tests are skipped locally (run ``make book``) and fail when ``CI`` is set.
"""

from __future__ import annotations

import json
import os
import re
import sys
import unicodedata
from functools import lru_cache
from pathlib import Path

import pytest
import yaml

ROOT = Path(__file__).resolve().parent.parent
HTML_DIR = Path(os.environ.get("DLNOTES_HTML_DIR", ROOT / "_build" / "html")).resolve()
PDF = HTML_DIR / "dlnotes.pdf"
sys.path.insert(0, str(ROOT / "scripts"))
from make_pdf import outline_pages, squash  # noqa: E402

HANGUL = re.compile(r"[\uac00-\ud7a3]")


@pytest.fixture(scope="module")
def reader():
    pypdf = pytest.importorskip("pypdf")
    if not PDF.is_file():
        if os.environ.get("CI"):
            pytest.fail(f"{PDF} is missing: `make book` builds it")
        pytest.skip(f"{PDF} is not built: run `make book`")
    return pypdf.PdfReader(PDF)


@lru_cache
def page_texts(path: Path) -> list[str]:
    import pypdf

    return [page.extract_text() or "" for page in pypdf.PdfReader(path).pages]


def chapter_titles() -> list[str]:
    """The first-level heading of every chapter in _toc.yml, in order (the root page is not a chapter)."""
    toc = yaml.safe_load((ROOT / "_toc.yml").read_text(encoding="utf-8"))
    titles = []
    for entry in toc["chapters"]:
        base = ROOT / entry["file"]
        if base.with_suffix(".ipynb").exists():
            cells = json.loads(base.with_suffix(".ipynb").read_text(encoding="utf-8"))["cells"]
            text = "\n".join("".join(cell["source"]) for cell in cells if cell["cell_type"] == "markdown")
        else:
            text = base.with_suffix(".md").read_text(encoding="utf-8")
        heading = re.search(r"^# (.+)$", text, re.M).group(1)
        titles.append(heading.replace("`", "").strip())
    return titles


def test_every_chapter_is_in_the_outline_and_starts_where_the_table_of_contents_says(reader):
    pages = outline_pages(PDF.read_bytes())
    titles = chapter_titles()
    assert len(titles) >= 7
    contents = unicodedata.normalize("NFKC", page_texts(PDF)[0])  # the font's "ﬁ" ligature as "fi"
    starts = []
    for title in titles:
        assert squash(title) in pages, f"{title!r} is not in the PDF's outline"
        page = pages[squash(title)]
        starts.append(page)
        assert squash(title) in squash(page_texts(PDF)[page - 1]), f"{title!r} is not printed on page {page}"
        # the title as printed, wherever a line wraps it, then the dot leaders and its page number
        listed = re.search(r"\s*".join(map(re.escape, squash(title))) + r"[\s.]*(\d+)", contents)
        assert listed, f"{title!r} is not in the printed table of contents"
        assert int(listed.group(1)) == page, f"the contents list {title!r} on page {listed.group(1)}, not {page}"
    assert starts == sorted(starts) and len(set(starts)) == len(starts), starts


def test_page_count_and_page_numbers(reader):
    texts = page_texts(PDF)
    count = len(reader.pages)
    # every chapter takes at least a page, and the book is not blown up by blank or split pages
    assert len(chapter_titles()) + 1 < count < 400
    for number, text in enumerate(texts, start=1):
        assert re.search(rf"\b{number}\s*/\s*{count}\b", text), f"page {number} does not say '{number} / {count}'"


def _fonts(reader) -> dict[str, object]:
    fonts = {}
    for page in reader.pages:
        resources = page.get("/Resources") or {}
        for font in (resources.get("/Font") or {}).values():
            font = font.get_object()
            fonts[str(font.get("/BaseFont", font.get("/Name", id(font))))] = font
        for xobject in (resources.get("/XObject") or {}).values():
            inner = (xobject.get_object().get("/Resources") or {}).get("/Font") or {}
            for font in inner.values():
                font = font.get_object()
                fonts[str(font.get("/BaseFont", font.get("/Name", id(font))))] = font
    return fonts


def _embedded(font) -> bool:
    if font["/Subtype"] == "/Type3":  # glyphs drawn by the PDF's own procedures
        return "/CharProcs" in font
    if font["/Subtype"] == "/Type0":
        font = font["/DescendantFonts"][0].get_object()
    descriptor = font.get("/FontDescriptor")
    descriptor = descriptor.get_object() if descriptor is not None else {}
    return any(key in descriptor for key in ("/FontFile", "/FontFile2", "/FontFile3"))


def test_every_font_is_embedded(reader):
    fonts = _fonts(reader)
    assert fonts
    missing = sorted(name for name, font in fonts.items() if not _embedded(font))
    assert not missing, f"fonts used but not embedded: {missing}"


def test_korean_terms_are_rendered_with_an_embedded_korean_font(reader):
    glossary = (ROOT / "book" / "glossary.md").read_text(encoding="utf-8")
    assert HANGUL.search(glossary)
    assert any(HANGUL.search(text) for text in page_texts(PDF)), "no Hangul text in the PDF"
    assert any(re.search(r"Nanum|Noto.*(CJK|KR)|Gothic", name) for name in _fonts(reader)), sorted(_fonts(reader))


def test_maths_is_typeset_not_left_as_latex(reader):
    text = "\n".join(page_texts(PDF))
    # what MathJax would have replaced (a regex in a code cell may hold "\(", so that is not a sign)
    left = re.findall(r"\$\$|\\(?:frac|sum|mathbf|hat|sigma|partial|cdot|times|text|operatorname)\b", text)
    assert not left, f"LaTeX source in the PDF: {left[:5]}"


def test_every_figure_of_the_notebooks_is_in_the_pdf(reader):
    figures = 0
    for notebook in sorted((ROOT / "book").glob("*.ipynb")):
        for cell in json.loads(notebook.read_text(encoding="utf-8"))["cells"]:
            figures += sum("image/png" in output.get("data", {}) for output in cell.get("outputs", []))
    images = 0
    for page in reader.pages:
        xobjects = (page.get("/Resources") or {}).get("/XObject") or {}
        images += sum(xobject.get_object().get("/Subtype") == "/Image" for xobject in xobjects.values())
    assert figures >= 10
    assert images >= figures, f"{images} images in the PDF, {figures} figures in the notebooks"
