"""Build the book as one PDF: Sphinx's single-page HTML, printed by headless Chromium.

    python scripts/make_pdf.py            # English: _build/html/dlnotes.pdf
    python scripts/make_pdf.py --lang ko  # Korean:  _build/html/ko/dlnotes.pdf (beside the Korean HTML)

``make book`` runs it after the HTML build; the intro page links the PDF as ``../dlnotes.pdf``, which
resolves inside the built site in every edition. Nothing is downloaded: the page is opened from disk
(``file://``) in Chromium driven by Playwright, with every request to another host refused, and MathJax
is served from the build itself.

Which Chromium (:func:`find_chromium`): ``$DLNOTES_CHROMIUM`` when it is set (and only that one), else
Debian's ``/usr/bin/chromium`` (``make book`` installs it on Debian/Ubuntu where it runs as root or with
sudo: ``scripts/system_packages.sh``), else the Chromium that Playwright installs for itself
(``.venv/bin/python -m playwright install chromium``; the way on macOS, Windows or without root). With none
of them ``make_pdf.py --check-chromium`` prints one line on how to get one and exits 3: ``make book`` then
skips the PDFs and still exits 0 with the HTML of both editions built.

Steps:

1. ``jupyter-book``'s Sphinx build with the ``singlehtml`` builder (same ``_config.yml`` and ``_toc.yml``,
   ``language`` set from ``--lang``) into ``_build/singlehtml/<lang>/``;
2. the page is opened in Chromium, a print style sheet is added (no sidebars or buttons, code wraps
   instead of being cut at the margin, each chapter starts a page, figures are not split), and
   cells hidden behind a toggle (the exercises' solutions) are opened, and the script waits until
   MathJax has typeset every formula and every image has loaded;
3. a printed table of contents is inserted after the title; the PDF is printed once to learn on which
   page each chapter starts (from the PDF's outline), the page numbers are written into the table of
   contents, and the PDF is printed again (and checked to agree). Every page has a header (the
   book's title) and a footer with the book's version, its licences and the page number: the footer
   line of the web pages (``html_theme_options.extra_footer``, ``scripts/book_release.py``), read
   from the page, which the title page also shows in full.
"""

from __future__ import annotations

import argparse
import html
import io
import os
import re
import shutil
import sys
import unicodedata
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
DEBIAN_CHROMIUM = "/usr/bin/chromium"
NO_CHROMIUM = 3  # exit status of --check-chromium when there is none (the Makefile reads it)
PDF_NAME = "dlnotes.pdf"
TIMEOUT_MS = 120_000

# Debian's chromium, headless, with no network: every host name fails to resolve.
LAUNCH_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--disable-default-apps",
    "--no-first-run",
    "--disable-extensions",
    "--host-resolver-rules=MAP * ~NOTFOUND",
    "--allow-file-access-from-files",
    "--font-render-hinting=none",
]

# Words of the printed page, per edition. A new edition adds its entry.
WORDS = {
    "en": {"contents": "Contents", "page": "page", "licence": "Text and figures CC BY 4.0, code MIT"},
    "ko": {"contents": "차례", "page": "쪽", "licence": "글과 그림 CC BY 4.0, 코드 MIT"},
}

PRINT_CSS = """
@page { size: A4; }
html { font-size: 10pt; }
/* the web page's furniture */
.bd-header, .bd-sidebar-primary, .bd-sidebar-secondary, .bd-header-article, .header-article,
.prev-next-area, .bd-footer, .bd-footer-content, .bd-footer-article, footer, #pst-back-to-top,
.skip-link, .headerlink, .copybtn, .toggle-button, .theme-switch-button, .search-button,
.sidebar-toggle, .article-header-buttons, .pst-async-banner-revealer, #pst-skip-link,
.bd-search, .search-button-field, .contents-in-page, #jb-print-docs-body,
.dlnotes-language-switch /* the link to the other edition's web page (scripts/korean_edition.py) */
  { display: none !important; }
.bd-container, .bd-container__inner, .bd-page-width, .bd-main, .bd-content, .bd-article-container,
.bd-article { max-width: 100% !important; width: 100% !important; padding: 0 !important; margin: 0 !important;
  display: block !important; }
details > summary { display: none !important; }
/* code and outputs wrap at the margin instead of being cut */
pre, pre code, div.highlight pre, .cell_output pre, .output pre {
  white-space: pre-wrap !important; overflow-wrap: anywhere !important; word-break: break-word !important;
  overflow: visible !important; max-height: none !important; font-size: 8pt !important; }
div.highlight, .cell_output, .output { overflow: visible !important; max-height: none !important; }
table { font-size: 8.5pt; }
.table-wrapper, .pst-scrollable-table-container { overflow: visible !important; }
/* figures whole, never wider than the page */
img, svg, figure { max-width: 100% !important; height: auto; break-inside: avoid; }
figure, .cell_output img { break-inside: avoid; }
h1, h2, h3, h4 { break-after: avoid; }
#pdf-toc + * { break-before: page; }
/* each chapter starts a page */
section.pdf-chapter { break-before: page; }
mjx-container { break-inside: avoid; }
/* the printed table of contents */
#pdf-toc { break-after: page; }
#pdf-toc ol { list-style: none; padding: 0; margin: 1em 0; font-size: 12pt; }
#pdf-toc li { display: flex; align-items: baseline; margin: 0.3em 0; }  /* 20 entries on the title page */
#pdf-toc li a { color: inherit; text-decoration: none; }
#pdf-toc li .dots { flex: 1; border-bottom: 1px dotted #888; margin: 0 0.4em; }
"""

HEADER = (
    '<div style="font-size:8px; width:100%; padding:0 16mm; color:#555; font-family:sans-serif;">'
    "{title}</div>"
)
FOOTER = (
    '<div style="font-size:8px; width:100%; padding:0 16mm; color:#555; font-family:sans-serif; '
    'display:flex; justify-content:space-between;"><span>{licence}</span>'
    '<span>{page} <span class="pageNumber"></span> / <span class="totalPages"></span></span></div>'
)


def find_chromium() -> str | None:
    """The Chromium to print with, or None (see the module's docstring for the order)."""
    explicit = os.environ.get("DLNOTES_CHROMIUM")
    if explicit:
        return explicit if Path(explicit).is_file() else None
    if Path(DEBIAN_CHROMIUM).is_file():
        return DEBIAN_CHROMIUM
    try:
        from playwright.sync_api import sync_playwright

        with sync_playwright() as playwright:
            own = playwright.chromium.executable_path
    except Exception:  # no Playwright, or its driver cannot start: no Chromium of its own either
        return None
    return own if own and Path(own).is_file() else None


def no_chromium_line() -> str:
    """One line: why there is no PDF, and how to get one."""
    where = os.environ.get("DLNOTES_CHROMIUM") or f"{DEBIAN_CHROMIUM} or Playwright's own"
    return (
        f"make_pdf: no Chromium ({where}), so no PDF; the HTML is built. For the PDFs: Debian/Ubuntu "
        "`sudo apt-get install chromium fonts-nanum`, elsewhere `.venv/bin/python -m playwright install "
        "chromium`, then `make pdf`"
    )


def build_singlehtml(lang: str) -> Path:
    """Run Jupyter Book's Sphinx build with the singlehtml builder; return the output directory."""
    from jupyter_book.sphinx import build_sphinx

    outdir = ROOT / "_build" / "singlehtml" / lang
    result = build_sphinx(
        ROOT,
        outdir,
        noconfig=True,
        path_config=str(ROOT / "_config.yml"),
        confoverrides={
            "external_toc_path": (ROOT / "_toc.yml").as_posix(),
            "latex_individualpages": False,
            "nitpicky": True,
            "language": lang,
        },
        doctreedir=str(ROOT / "_build" / f".doctrees-singlehtml-{lang}"),
        builder="singlehtml",
        warningiserror=True,
        keep_going=True,
        quiet=True,
    )
    if result != 0:
        raise SystemExit(f"make_pdf: the singlehtml build failed ({result}); see the warnings above")
    return outdir


def squash(text: str) -> str:
    """Text without white space and ligatures, with straight quotes: a title that wraps in print comes
    out of the PDF with or without its spaces, the font's "ﬁ" ligature comes out as one character, and
    Sphinx prints the source's "won't" as "won’t" (smart quotes).

    >>> squash("Checklist: my loss won’t go down") == squash("Checklist: my loss won't go down")
    True
    """
    text = unicodedata.normalize("NFKC", text).translate(SMART_QUOTES)
    return "".join(text.split())


SMART_QUOTES = str.maketrans({"\u2018": "'", "\u2019": "'", "\u201c": '"', "\u201d": '"'})


def outline_pages(pdf_bytes: bytes) -> dict[str, int]:
    """Title (squashed, see :func:`squash`) -> 1-based page of every entry of a PDF's outline (bookmarks).

    Where a title repeats (a chapter "Summary" and a section "Summary"), the entry nearest the top
    of the outline's tree wins, then the first in reading order.
    """
    from pypdf import PdfReader

    reader = PdfReader(io.BytesIO(pdf_bytes))
    pages: dict[str, int] = {}
    level = list(reader.outline)
    while level:
        deeper = []
        for entry in level:
            if isinstance(entry, list):
                deeper.extend(entry)
            else:
                pages.setdefault(squash(entry.title), reader.get_destination_page_number(entry) + 1)
        level = deeper
    return pages


def print_pdf(lang: str, outdir: Path, target: Path, chromium: str) -> int:
    from playwright.sync_api import sync_playwright

    # Sphinx's singlehtml writes the root document (book/intro) with links relative to the output
    # root, so the page is opened from a copy at the root.
    page_file = outdir / "print.html"
    shutil.copyfile(outdir / "book" / "intro.html", page_file)
    words = WORDS.get(lang, WORDS["en"])
    remote: list[str] = []
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=chromium, args=LAUNCH_ARGS, headless=True)
        try:
            page = browser.new_page(locale=lang)
            page.route(
                lambda url: not url.startswith(("file:", "data:", "blob:", "about:")),
                lambda route: (remote.append(route.request.url), route.abort()),
            )
            page.emulate_media(media="print")
            page.goto(page_file.as_uri(), wait_until="load", timeout=TIMEOUT_MS)
            page.add_style_tag(content=PRINT_CSS)
            # Paper has no toggles: cells hidden behind "Show code cell content" (the exercises'
            # solutions) are printed open.
            page.evaluate("() => document.querySelectorAll('details').forEach(d => { d.open = true; })")
            # MathJax 3 (served from _static/mathjax): wait until it has started and typeset the page.
            page.wait_for_function(
                "() => window.MathJax && MathJax.startup && MathJax.startup.promise", timeout=TIMEOUT_MS
            )
            page.evaluate("() => MathJax.startup.promise.then(() => MathJax.typesetPromise())")
            untypeset = page.evaluate(r"""() => [...document.querySelectorAll('.math')]
                .filter(el => !el.querySelector('mjx-container') && !el.closest('mjx-container')).length""")
            if untypeset:
                raise SystemExit(f"make_pdf: MathJax left {untypeset} formulas untypeset")
            # every image loaded (lazy images load once they are asked to)
            page.evaluate("""() => Promise.all([...document.images].map(img => {
                img.loading = 'eager';
                return img.complete ? null : new Promise(r => { img.onload = img.onerror = r; });
            }))""")
            broken = page.evaluate("() => [...document.images].filter(i => !i.naturalWidth).map(i => i.src)")
            if broken:
                raise SystemExit(f"make_pdf: images that did not load: {broken}")
            page.evaluate("() => document.fonts.ready")
            title = page.evaluate("() => document.querySelector('article h1, main h1, h1').textContent")
            title = title.replace("#", "").strip()
            version = _version_from_footer_line(page)
            options = dict(
                format="A4",
                print_background=True,
                outline=True,
                tagged=True,
                display_header_footer=True,
                header_template=HEADER.format(title=html.escape(title)),
                footer_template=FOOTER.format(
                    page=html.escape(words["page"]),
                    licence=html.escape(f"dlnotes {version} · {words['licence']}"),
                ),
                margin={"top": "18mm", "bottom": "18mm", "left": "16mm", "right": "16mm"},
            )
            # 1st print: where each chapter starts, with a table of contents of the final length.
            titles = _insert_toc(page, words["contents"], None)
            first = _chapter_pages(page.pdf(**options), titles)
            _insert_toc(page, words["contents"], first)
            pdf = page.pdf(**options)
            second = _chapter_pages(pdf, titles)
            if second != first:
                raise SystemExit(f"make_pdf: chapter pages moved between the two prints: {first} -> {second}")
        finally:
            browser.close()
    if remote:
        raise SystemExit(f"make_pdf: the page tried to load from other hosts: {sorted(set(remote))}")
    target.parent.mkdir(parents=True, exist_ok=True)
    target.write_bytes(pdf)
    return len(second)


def _version_from_footer_line(page) -> str:
    """The book's version, read from the web page's footer line (which the title page shows in full)."""
    line = page.evaluate("() => document.querySelector('.extra_footer .dlnotes-licence')?.textContent")
    if not line:
        raise SystemExit(
            "make_pdf: the page has no footer line (.extra_footer .dlnotes-licence; _config.yml)"
        )
    match = re.match(r"\s*dlnotes (\S+?)\.?\s", line)
    if match is None:
        raise SystemExit(f"make_pdf: the footer line does not start with the version: {line!r}")
    return match.group(1)


def _chapter_pages(pdf: bytes, titles: list[str]) -> list[int]:
    pages = outline_pages(pdf)
    missing = [title for title in titles if squash(title) not in pages]
    if missing:
        raise SystemExit(
            f"make_pdf: chapters missing from the PDF's outline: {missing} (outline: {list(pages)})"
        )
    return [pages[squash(title)] for title in titles]


def _insert_toc(page, heading: str, numbers: list[int] | None) -> list[str]:
    """Insert (or replace) the printed table of contents after the book's title; return the chapter titles.

    In Sphinx's singlehtml output every document of the table of contents is a ``<section>`` that
    myst-nb marks ``mathjax_ignore``; the first is the root document (the intro), the others are the
    chapters. Each chapter gets a unique id (the documents' own ids repeat, e.g. ``summary``).
    """
    return page.evaluate(
        r"""([heading, numbers]) => {
        document.getElementById('pdf-toc')?.remove();
        const documents = [...document.querySelectorAll('section.mathjax_ignore')];
        const root = documents[0];
        const chapters = documents.slice(1);
        const list = document.createElement('ol');
        const titles = [];
        chapters.forEach((section, i) => {
            section.classList.add('pdf-chapter');
            section.id = 'pdf-chapter-' + (i + 1);
            const h = section.querySelector('h1, h2, h3');
            const title = h.textContent.replace(/#$/, '').trim();
            titles.push(title);
            const li = document.createElement('li');
            const a = document.createElement('a');
            a.href = '#' + section.id;
            a.textContent = title;
            const dots = document.createElement('span'); dots.className = 'dots';
            const num = document.createElement('span');
            num.textContent = numbers && i < numbers.length ? String(numbers[i]) : '00';
            li.append(a, dots, num);
            list.append(li);
        });
        const toc = document.createElement('nav');
        toc.id = 'pdf-toc';
        const title = document.createElement('p');
        title.style.cssText = 'font-size: 26pt; font-weight: bold; text-align: center; margin: 3em 0 2em;';
        title.textContent = document.title.split('|')[0].split('—')[0].trim();
        toc.append(title);
        // the web pages' footer line (version and licences) under the title
        const licence = document.querySelector('.extra_footer .dlnotes-licence').cloneNode(true);
        licence.id = 'pdf-licence';
        licence.style.cssText = 'font-size: 10pt; text-align: center; margin: 0 3em 2em;';
        toc.append(licence);
        const h = document.createElement('p');
        h.style.cssText = 'font-size: 16pt; font-weight: bold; margin-top: 1em;';
        h.textContent = heading;
        toc.append(h, list);
        root.querySelector('h1').after(toc);
        return titles;
    }""",
        [heading, numbers],
    )


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--lang", default="en", help="edition: en (default) or ko")
    parser.add_argument(
        "--output",
        type=Path,
        default=None,
        help="the PDF (default: _build/html/dlnotes.pdf, or _build/html/<lang>/dlnotes.pdf)",
    )
    parser.add_argument(
        "--check-chromium",
        action="store_true",
        help=f"only look for Chromium: exit 0 if there is one, else print how to get one and exit {NO_CHROMIUM}",
    )
    parser.add_argument(
        "--no-build",
        action="store_true",
        help="print the existing _build/singlehtml/<lang> again (while working on the print style)",
    )
    args = parser.parse_args(argv)
    chromium = find_chromium()
    if chromium is None:
        print(no_chromium_line(), file=sys.stderr if not args.check_chromium else sys.stdout)
        return NO_CHROMIUM
    if args.check_chromium:
        return 0
    target = args.output or (ROOT / "_build" / "html" / ("" if args.lang == "en" else args.lang) / PDF_NAME)
    outdir = ROOT / "_build" / "singlehtml" / args.lang if args.no_build else build_singlehtml(args.lang)
    chapters = print_pdf(args.lang, outdir, target, chromium)
    print(
        f"make_pdf: {target.relative_to(ROOT) if target.is_relative_to(ROOT) else target} "
        f"({chapters} chapters, {target.stat().st_size // 1024} KiB)"
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
