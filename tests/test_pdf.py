"""The PDF of the book (``scripts/make_pdf.py``, run by ``make book``), read back with pypdf.

It must hold every chapter of ``_toc.yml`` under its own title, listed with the right page in the
printed table of contents and in the PDF's outline; number every page ("page i / n"); embed every
font it uses; show typeset maths (no LaTeX source left), every figure and the glossary's Korean terms.
The Korean edition's PDF (``make_pdf.py --lang ko``) must hold the same chapters under their Korean
titles (from ``locales/ko``, as the Korean intro lists them), number its pages ("쪽 i / n"), embed every
font, and print its Hangul in an embedded Korean font.
The PDFs are read from ``$DLNOTES_HTML_DIR/dlnotes.pdf`` and ``$DLNOTES_HTML_DIR/ko/dlnotes.pdf``
(default ``_build/html``); without them the tests are skipped locally (run ``make book``) and fail
when ``CI`` is set.
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
PDF_KO = HTML_DIR / "ko" / "dlnotes.pdf"
sys.path.insert(0, str(ROOT / "scripts"))
from make_pdf import SMART_QUOTES, outline_pages, squash  # noqa: E402

HANGUL = re.compile(r"[\uac00-\ud7a3]")


def _open(pdf: Path):
    pypdf = pytest.importorskip("pypdf")
    if not pdf.is_file():
        if os.environ.get("CI"):
            pytest.fail(f"{pdf} is missing: `make book` builds it")
        pytest.skip(f"{pdf} is not built: run `make book`")
    return pypdf.PdfReader(pdf)


@pytest.fixture(scope="module")
def reader():
    return _open(PDF)


@pytest.fixture(scope="module")
def reader_ko():
    return _open(PDF_KO)


@lru_cache
def page_texts(path: Path) -> list[str]:
    import pypdf

    return [page.extract_text() or "" for page in pypdf.PdfReader(path).pages]


def _raw_chapter_headings() -> list[tuple[str, str]]:
    """(docname, first-level heading as written) of every chapter in _toc.yml, in order."""
    toc = yaml.safe_load((ROOT / "_toc.yml").read_text(encoding="utf-8"))
    headings = []
    for entry in toc["chapters"]:
        base = ROOT / entry["file"]
        if base.with_suffix(".ipynb").exists():
            cells = json.loads(base.with_suffix(".ipynb").read_text(encoding="utf-8"))["cells"]
            text = "\n".join("".join(cell["source"]) for cell in cells if cell["cell_type"] == "markdown")
        else:
            text = base.with_suffix(".md").read_text(encoding="utf-8")
        headings.append((entry["file"], re.search(r"^# (.+)$", text, re.M).group(1)))
    return headings


def chapter_titles() -> list[str]:
    """The first-level heading of every chapter in _toc.yml, in order (the root page is not a chapter)."""
    return [heading.replace("`", "").strip() for _docname, heading in _raw_chapter_headings()]


def korean_chapter_titles() -> list[str]:
    """The Korean title of every chapter in _toc.yml: its heading's translation in locales/ko (as printed:
    no backticks, no Markdown escapes such as the ``1\\.`` that keeps "1. ..." from becoming a list)."""
    from babel.messages.pofile import read_po

    titles = []
    for docname, heading in _raw_chapter_headings():
        with (ROOT / "locales" / "ko" / "LC_MESSAGES" / f"{docname}.po").open("rb") as source:
            message = read_po(source).get(heading.strip())
        assert message is not None and message.string and not message.fuzzy, (
            f"{docname}: {heading!r} is not translated"
        )
        titles.append(re.sub(r"\\(.)", r"\1", message.string).replace("`", "").strip())
    return titles


def _check_chapters(pdf: Path, titles: list[str]) -> None:
    pages = outline_pages(pdf.read_bytes())
    assert len(titles) >= 7
    # the contents: every page before the first chapter's (the title page, and more as the book grows);
    # the font's "ﬁ" ligature as "fi", and "won’t" as the source's "won't" (as squash does)
    first_chapter = min((pages[squash(t)] for t in titles if squash(t) in pages), default=1)
    contents = "\n".join(page_texts(pdf)[: first_chapter - 1])
    contents = unicodedata.normalize("NFKC", contents).translate(SMART_QUOTES)
    starts = []
    for title in titles:
        assert squash(title) in pages, f"{title!r} is not in the PDF's outline"
        page = pages[squash(title)]
        starts.append(page)
        assert squash(title) in squash(page_texts(pdf)[page - 1]), f"{title!r} is not printed on page {page}"
        # the title as printed, wherever a line wraps it, then the dot leaders and its page number
        listed = re.search(r"\s*".join(map(re.escape, squash(title))) + r"[\s.]*(\d+)", contents)
        assert listed, f"{title!r} is not in the printed table of contents"
        assert int(listed.group(1)) == page, (
            f"the contents list {title!r} on page {listed.group(1)}, not {page}"
        )
    assert starts == sorted(starts) and len(set(starts)) == len(starts), starts


def _check_page_numbers(pdf: Path, count: int, before: str) -> None:
    texts = page_texts(pdf)
    # every chapter takes at least a page, and the book is not blown up by blank or split pages
    assert len(chapter_titles()) + 1 < count < 400
    for number, text in enumerate(texts, start=1):
        assert re.search(rf"{before}{number}\s*/\s*{count}\b", text), (
            f"page {number} does not say '{number} / {count}'"
        )


def test_every_chapter_is_in_the_outline_and_starts_where_the_table_of_contents_says(reader):
    _check_chapters(PDF, chapter_titles())


def test_page_count_and_page_numbers(reader):
    _check_page_numbers(PDF, len(reader.pages), r"\b")


def _fonts(reader) -> dict[str, object]:
    fonts = {}
    for page in reader.pages:
        fonts.update(_page_fonts(page))
    return fonts


def _page_fonts(page) -> dict[str, object]:
    fonts = {}
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
    assert any(re.search(r"Nanum|Noto.*(CJK|KR)|Gothic", name) for name in _fonts(reader)), sorted(
        _fonts(reader)
    )


def test_maths_is_typeset_not_left_as_latex(reader):
    text = "\n".join(page_texts(PDF))
    # what MathJax would have replaced (a regex in a code cell may hold "\(", so that is not a sign)
    left = re.findall(r"\$\$|\\(?:frac|sum|mathbf|hat|sigma|partial|cdot|times|text|operatorname)\b", text)
    assert not left, f"LaTeX source in the PDF: {left[:5]}"


def _figures() -> tuple[int, int]:
    """The notebooks' figures: (in English cells, in Korean twin cells, which only the Korean build shows)."""
    english = korean = 0
    for notebook in sorted((ROOT / "book").glob("*.ipynb")):
        for cell in json.loads(notebook.read_text(encoding="utf-8"))["cells"]:
            n = sum("image/png" in output.get("data", {}) for output in cell.get("outputs", []))
            if cell["metadata"].get("dlnotes", {}).get("korean_twin"):
                korean += n
            else:
                english += n
    return english, korean


def _images(reader) -> list[bytes]:
    """The raw data of every image drawn on a page of the PDF."""
    images = []
    for page in reader.pages:
        xobjects = (page.get("/Resources") or {}).get("/XObject") or {}
        for xobject in xobjects.values():
            if (image := xobject.get_object()).get("/Subtype") == "/Image":
                images.append(image.get_data())
    return images


def test_every_figure_of_the_notebooks_is_in_the_pdf(reader):
    figures, _ = _figures()
    images = len(_images(reader))
    assert figures >= 10
    assert images >= figures, f"{images} images in the PDF, {figures} figures in the notebooks"


def test_the_korean_pdf_shows_the_korean_twins_figures(reader, reader_ko):
    """Issue 28: the Korean edition's figures are drawn with Korean labels (the twin cells' images)."""
    figures, twins = _figures()
    english, korean = _images(reader), _images(reader_ko)
    assert twins >= 10
    assert len(korean) >= figures, (
        f"{len(korean)} images in the Korean PDF, {figures} figures in the notebooks"
    )
    only_korean = [image for image in korean if image not in english]
    assert len(only_korean) >= twins, (
        f"{len(only_korean)} Korean PDF images not in the English one, {twins} twins"
    )


KOREAN_FONT = re.compile(r"Nanum|Noto.*(CJK|KR)|Gothic|Malgun|Batang|Gulim|UnDotum|Baekmuk")


def test_korean_pdf_has_every_chapter_under_its_korean_title(reader_ko):
    titles = korean_chapter_titles()
    intro = HTML_DIR / "ko" / "book" / "intro.html"
    if intro.is_file():  # the Korean intro's table of contents lists the same titles
        listed = re.findall(
            r'toctree-l1"><a class="reference internal" href="[^"]*">([^<]*)<',
            intro.read_text(encoding="utf-8"),
        )
        assert [squash(t) for t in listed] == [squash(t) for t in titles], listed
    assert all(HANGUL.search(title) for title in titles), titles
    _check_chapters(PDF_KO, titles)


def test_korean_pdf_page_count_and_page_numbers(reader_ko, reader):
    count = len(reader_ko.pages)
    _check_page_numbers(PDF_KO, count, r"쪽\s*")
    # the same book: about as many pages as the English one (Korean lines are not much longer or shorter)
    assert 0.7 < count / len(reader.pages) < 1.5, (count, len(reader.pages))


def test_korean_pdf_embeds_every_font(reader_ko):
    fonts = _fonts(reader_ko)
    assert fonts
    missing = sorted(name for name, font in fonts.items() if not _embedded(font))
    assert not missing, f"fonts used but not embedded: {missing}"


def test_korean_pdf_prints_hangul_in_an_embedded_korean_font(reader_ko):
    texts = page_texts(PDF_KO)
    hangul_pages = [i for i, text in enumerate(texts) if len(HANGUL.findall(text)) > 20]
    # Korean prose on nearly every page (the API reference stays English)
    assert len(hangul_pages) > 0.6 * len(texts), f"{len(hangul_pages)} of {len(texts)} pages hold Korean text"
    for i in hangul_pages:
        korean = [name for name, font in _page_fonts(reader_ko.pages[i]).items() if KOREAN_FONT.search(name)]
        assert korean, (
            f"page {i + 1} has Hangul but no Korean font: {sorted(_page_fonts(reader_ko.pages[i]))}"
        )
        assert all(_embedded(_page_fonts(reader_ko.pages[i])[name]) for name in korean), korean
