"""The book as a reader gets it: every built page, opened from disk in headless Chromium with no network.

Run after ``make book`` (``make test`` does both). The HTML is read from ``$DLNOTES_HTML_DIR``, by
default ``_build/html``; every page found there is checked, both editions once ``_build/html/ko/``
exists. Chromium (Debian's, through Playwright: see ``tests/_browser.py``) opens each page as a
``file://`` URL with every request to another host refused and recorded. A page fails on any such
attempt, on any request that fails (a missing image, style sheet or script), on any console error or
uncaught exception, on maths that MathJax did not typeset, on an image that did not load, on a figure
without a visible numbered caption or whose alternative text is a file name, on a heading that skips
a level, and on any WCAG 2.1 A/AA violation axe-core finds (in light mode on the whole page with the
hidden solutions opened; in dark mode on the outputs that carry their own colours). One page is
driven by keyboard alone.

Screenshots, for a human to look at, are taken only with ``DLNOTES_SCREENSHOTS=1`` (``make
screenshots``; ``tests/_browser.py``'s ``screenshot``), into ``tests/screenshots/`` (git-ignored): each
page of the table of contents at 1366x900 (first screen and full page), two chapters in dark mode and
one zoomed to 200 %. They check nothing, so ``make test`` takes none (issue 30's CI time: a full-page
one took 3-17 s a page). axe-core finds the same, rule by rule (violations, passes, incomplete), on a
page whether or not screenshots were taken before it.

Without Chromium the browser tests are skipped locally (install it with ``sudo apt-get install
chromium``) and fail when ``CI`` is set. The checks of the HTML itself (no tracebacks or TensorFlow
noise, internal links, notebook downloads) need no browser.
"""

from __future__ import annotations

import functools
import json
import re
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import unquote, urldefrag, urlsplit

import pytest
import yaml
from _browser import (
    HTML_DIR,
    ROOT,
    Reader,
    axe_violations,
    dumps,
    pages,
    require_build,
    screenshot,
    url,
)

# Text that must never reach a reader: tracebacks, warnings and TensorFlow's start-up lines.
NOISE = re.compile(r"Traceback|Warning|absl|oneDNN|cuda|cuDNN|TF_ENABLE|tensorflow/core|WARNING:|E0000|I0000")


# ---------------------------------------------------------------------------------------------------
# the built pages


def _toc_pages() -> list[str]:
    """The pages of the table of contents, as paths of built HTML files."""
    toc = yaml.safe_load((ROOT / "_toc.yml").read_text(encoding="utf-8"))
    files = [toc["root"]]

    def walk(entries):
        for entry in entries or []:
            if "file" in entry:
                files.append(entry["file"])
            walk(entry.get("sections"))
            walk(entry.get("chapters"))
            for part in entry.get("parts", []):
                walk(part.get("chapters"))

    walk(toc.get("chapters"))
    for part in toc.get("parts", []):
        walk(part.get("chapters"))
    return [str(Path(f).with_suffix("")) + ".html" for f in files]


def _edition_page(page: str) -> str:
    """A page's path within its edition: ``ko/book/01_design.html`` -> ``book/01_design.html``."""
    first, _, rest = page.partition("/")
    return rest if rest and (HTML_DIR / first / "index.html").is_file() and first not in TOC_DIRS else page


PAGES = pages() or ["<no built book>"]
TOC_PAGES = set(_toc_pages())
TOC_DIRS = {Path(p).parts[0] for p in TOC_PAGES if len(Path(p).parts) > 1}
NOTEBOOK_PAGES = sorted(p for p in TOC_PAGES if (ROOT / p).with_suffix(".ipynb").is_file())
# the same pages in every edition found in the build (English at the top, e.g. Korean under ko/)
EDITION_TOC_PAGES = sorted(p for p in PAGES if _edition_page(p) in TOC_PAGES)
EDITION_NOTEBOOK_PAGES = sorted(p for p in PAGES if _edition_page(p) in NOTEBOOK_PAGES)


VOID_TAGS = {
    "area",
    "base",
    "br",
    "col",
    "embed",
    "hr",
    "img",
    "input",
    "link",
    "meta",
    "source",
    "track",
    "wbr",
}


class _PageParser(HTMLParser):
    """Collects a page's links, anchors and refresh target, and the input and output text of each cell."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.links: list[str] = []
        self.ids: set[str] = set()
        self.refresh: str | None = None
        self.cells: list[dict[str, str]] = []  # {"input": code, "output": text} per notebook cell
        self._stack: list[tuple[str, str | None]] = []  # open elements and the cell part each starts

    def handle_starttag(self, tag, attrs):
        values = dict(attrs)
        if values.get("id"):
            self.ids.add(values["id"])
        if tag == "a" and values.get("name"):
            self.ids.add(values["name"])
        if tag == "a" and values.get("href"):
            self.links.append(values["href"])
        if tag == "link" and values.get("href") and "stylesheet" in (values.get("rel") or ""):
            self.links.append(values["href"])
        if tag in ("img", "script") and values.get("src"):
            self.links.append(values["src"])
        if tag == "meta" and (values.get("http-equiv") or "").lower() == "refresh":
            match = re.search(r"url=(.+)$", values.get("content") or "", re.IGNORECASE)
            self.refresh = match.group(1).strip() if match else None
        if tag in VOID_TAGS:
            return
        classes = (values.get("class") or "").split()
        part = None
        if "cell" in classes:
            part = "cell"
            self.cells.append({"input": "", "output": ""})
        elif "cell_input" in classes:
            part = "input"
        elif "cell_output" in classes or "output" in classes:
            part = "output"
        self._stack.append((tag, part))

    def handle_endtag(self, tag):
        if tag in VOID_TAGS:
            return
        for index in range(len(self._stack) - 1, -1, -1):
            if self._stack[index][0] == tag:
                del self._stack[index:]
                return

    def handle_data(self, data):
        parts = {part for _, part in self._stack}
        if "cell" not in parts:
            if "output" in parts:  # an output outside a cell (a glued value): check it all the same
                self.cells.append({"input": "", "output": data})
            return
        if "output" in parts:
            self.cells[-1]["output"] += data
        elif "input" in parts:
            self.cells[-1]["input"] += data


@functools.cache
def _parse(page: str) -> _PageParser:
    parser = _PageParser()
    parser.feed((HTML_DIR / page).read_text(encoding="utf-8"))
    parser.close()
    return parser


def test_every_page_of_the_table_of_contents_is_built():
    require_build()
    missing = sorted(TOC_PAGES - set(pages()))
    assert not missing, f"pages in _toc.yml that the build did not write: {missing}"


@pytest.mark.parametrize("page", PAGES)
def test_page_shows_no_traceback_warning_or_tensorflow_noise(page):
    """No output a reader sees may carry a traceback, a warning or TensorFlow's log lines.

    The one exception is a warning a chapter shows on purpose: a cell that records it with
    ``warnings.catch_warnings(record=True)`` and prints its message may print "...Warning: ...".
    TensorFlow/absl log lines (``WARNING:tensorflow:...``) and stderr output are never allowed.
    """
    require_build()
    html = (HTML_DIR / page).read_text(encoding="utf-8")
    noisy = []
    for number, cell in enumerate(_parse(page).cells, start=1):
        hits = set(NOISE.findall(cell["output"]))
        if "catch_warnings" in cell["input"]:
            hits -= {"Warning"}
        if hits:
            first_line = cell["input"].strip().splitlines()[0] if cell["input"].strip() else "(no source)"
            noisy.append(f"code cell {number} ({first_line[:60]!r}): {sorted(hits)}")
    assert not noisy, f"{page}: outputs show warnings or TensorFlow noise: " + "; ".join(noisy)
    assert "Traceback (most recent call last)" not in html, f"{page} shows a traceback"
    assert 'class="output stderr"' not in html, f"{page} shows output written to stderr"
    assert 'class="output traceback' not in html, f"{page} shows an error output"
    assert "system-message" not in html, f"{page} shows a docutils error message"


@pytest.mark.parametrize("page", PAGES)
def test_internal_links_and_anchors_resolve(page):
    require_build()
    parsed = _parse(page)
    broken = []
    for link in parsed.links + ([parsed.refresh] if parsed.refresh else []):
        parts = urlsplit(link)
        if parts.scheme or parts.netloc or link.startswith(("mailto:", "javascript:", "data:")):
            continue
        target, fragment = urldefrag(link)
        path = (HTML_DIR / page).parent / unquote(urlsplit(target).path) if target else HTML_DIR / page
        path = path.resolve()
        if path.is_dir():
            path = path / "index.html"
        if not path.is_file() or HTML_DIR not in path.parents:
            broken.append(f"{link} (no file)")
        elif (
            fragment
            and path.suffix == ".html"
            and unquote(fragment) not in _parse(path.relative_to(HTML_DIR).as_posix()).ids
        ):
            broken.append(f"{link} (no anchor #{fragment})")
    assert not broken, f"{page} has broken links: {sorted(set(broken))}"


@pytest.mark.parametrize("page", NOTEBOOK_PAGES)
def test_notebook_pages_offer_their_ipynb_for_download(page):
    require_build()
    source = ROOT / Path(page).with_suffix(".ipynb")
    html = (HTML_DIR / page).read_text(encoding="utf-8")
    name = source.name
    match = re.search(r'href="([^"]*_sources/[^"]*' + re.escape(name) + r')"', html)
    assert match, f"{page} has no download link for {name}"
    downloaded = ((HTML_DIR / page).parent / match.group(1)).resolve()
    assert downloaded.is_file(), f"{page}: the download link {match.group(1)} points to no file"
    notebook = json.loads(downloaded.read_text(encoding="utf-8"))
    assert notebook == json.loads(source.read_text(encoding="utf-8")), (
        f"{page}: the downloaded {name} is stale"
    )


def _offline_html():
    """scripts/offline_html.py, the build's own guard against remote resources."""
    import importlib.util

    spec = importlib.util.spec_from_file_location("offline_html", ROOT / "scripts" / "offline_html.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


@pytest.mark.parametrize(
    "html, expected",
    [
        (
            '<script src="https://cdn.jsdelivr.net/npm/mathjax@3/es5/tex-mml-chtml.js"></script>',
            ["<script src='https://cdn.jsdelivr.net/npm/mathjax@3/es5/tex-mml-chtml.js'>"],
        ),
        (
            '<link rel="stylesheet" href="//fonts.googleapis.com/css?family=Lato">',
            ["<link href='//fonts.googleapis.com/css?family=Lato'>"],
        ),
        (
            '<img srcset="a.png 1x, https://example.org/b.png 2x">',
            ["<img srcset='https://example.org/b.png'>"],
        ),
        ('<iframe src="HTTPS://example.org/"></iframe>', ["<iframe src='HTTPS://example.org/'>"]),
        ('<script src="../_static/mathjax/tex-chtml.js"></script><img src="../_images/a.png">', []),
        ('<a href="https://keras.io">Keras</a><link rel="canonical" href="https://example.org/">', []),
    ],
)
def test_build_guard_finds_resources_from_other_hosts(html, expected):
    assert _offline_html().remote_resources(html) == expected


def test_built_pages_load_nothing_from_other_hosts():
    require_build()
    remote = {
        page: found
        for page in pages()
        if (found := _offline_html().remote_resources((HTML_DIR / page).read_text(encoding="utf-8")))
    }
    assert not remote, f"pages that would load from another host: {remote}"


# ---------------------------------------------------------------------------------------------------
# in Chromium (tests/_browser.py): every page, offline, looked at once per colour mode


# What a page must show once loaded: typeset maths, loaded images, a title.
PAGE_STATE = """(() => {
  const math = document.querySelectorAll('.math, span.math, div.math').length;
  const typeset = document.querySelectorAll('mjx-container').length;
  const mathErrors = document.querySelectorAll('mjx-merror, .MathJax_Error').length;
  const badImages = [...document.images].filter(i => !i.complete || i.naturalWidth === 0).map(i => i.src);
  const fontsFailed = [...document.fonts].filter(f => f.status === 'error').map(f => f.family);
  return {math, typeset, mathErrors, badImages, fontsFailed, title: document.title,
          href: location.href, images: document.images.length};
})()"""

# Open every hidden solution, so that what it shows is checked too.
OPEN_DETAILS = "document.querySelectorAll('details').forEach(d => { d.open = true; })"

# Code cells and display formulas that do not fit their box at 1366x900.
TOO_WIDE = """(() => {
  const longest = text => text.split('\\n').reduce((a, b) => (b.length > a.length ? b : a), '');
  return {
    code: [...document.querySelectorAll('.cell_input pre')]
      .filter(pre => pre.scrollWidth > pre.clientWidth + 1).map(pre => longest(pre.textContent)),
    maths: [...document.querySelectorAll('div.math mjx-container')]
      .filter(m => m.scrollWidth > m.parentElement.clientWidth + 1)
      .map(m => (m.getAttribute('aria-label') || m.textContent).slice(0, 80)),
  };
})()"""

# Each image of a page's text is a figure: a visible numbered caption, and an alternative text that
# says what it shows (never empty, never the file name or hash that myst-nb writes by default).
# Images that are part of a control (the module index's +/- toggles) are not figures.
FIGURES = r"""(() => {
  const fileName = /\.(png|jpe?g|gif|svg|webp)\b|^[0-9a-f]{16,}|^(\.\.?\/|_images\/)/i;
  const shown = el => el.checkVisibility({visibilityProperty: true});
  const problems = [];
  const images = [...document.querySelectorAll('.bd-article img')]
    .filter(img => !img.closest('a, button, [role=button]') && !img.classList.contains('toggler'));
  for (const img of images) {
    const name = (img.getAttribute('src') || '').split('/').pop();
    const alt = (img.getAttribute('alt') || '').trim();
    const figure = img.closest('figure');
    const caption = figure && figure.querySelector('figcaption');
    const label = caption ? caption.textContent.trim().replace(/\s+/g, ' ').slice(0, 50) : name;
    if (!alt) problems.push(`${label}: no alternative text`);
    else if (fileName.test(alt) || alt.includes(name))
      problems.push(`${label}: alternative text is a file name (${alt.slice(0, 40)}...)`);
    if (!caption || !shown(caption) || !caption.textContent.trim()) problems.push(`${label}: no visible caption`);
    else if (!caption.querySelector('.caption-number')) problems.push(`${label}: the caption has no number`);
  }
  return {images: images.length, problems};
})()"""

# The headings a reader (or a screen reader's heading list) meets, in order, hidden ones left out.
HEADINGS = """(() => [...document.querySelectorAll('h1, h2, h3, h4, h5, h6, [role=heading]')]
  .filter(h => h.checkVisibility({visibilityProperty: true}))
  .map(h => ({level: Number(h.getAttribute('aria-level') || h.tagName.slice(1)),
              text: h.textContent.replace(/[#\\s]+$/, '').trim().slice(0, 60)})))()"""


def _screenshot_name(page: str, suffix: str = "") -> str:
    return Path(page).with_suffix("").as_posix().replace("/", "_") + suffix + ".png"


def _open(reader, page: str) -> dict:
    """Open a built page in `reader`, following index.html's redirect; return what went wrong."""
    return reader.open(url(page), redirects=bool(_parse(page).refresh))


_VISITS: dict[tuple[str, str], dict] = {}


def _visit(reader, page: str) -> dict:
    """Open a page once (per colour mode) and record everything the tests below check on it.

    Loading a page and running axe-core on it are the slow parts of these tests, so each page is
    opened once in light mode and once in dark mode and each test asserts on one part of the record.
    """
    key = (page, "dark" if reader.dark else "light")
    if key in _VISITS:
        return _VISITS[key]
    record = {"problems": _open(reader, page), "state": reader.page.evaluate(PAGE_STATE)}
    # Opened solutions fade in over 0.3 s (myst-nb's collapsed-fade-in): audit their end state, not a
    # half-transparent frame that a busy machine happens to catch.
    reader.page.add_style_tag(content=NO_TRANSITIONS)
    if reader.dark:
        assert reader.page.evaluate("document.documentElement.dataset.theme") == "dark", f"{page}: not dark"
        reader.page.evaluate(OPEN_DETAILS)
        if _edition_page(page) in DARK_SCREENSHOTS:
            screenshot(reader.page, _screenshot_name(page, "_dark_full"), full_page=True)
        # The outputs are what carry their own colours; the theme's dark palette is audited upstream.
        outputs = reader.page.locator(".cell_output").count()
        record["axe"] = (
            axe_violations(reader.page, context={"include": [[".cell_output"]]}, rules=["color-contrast"])
            if outputs
            else []
        )
    else:
        if page in EDITION_TOC_PAGES:
            screenshot(reader.page, _screenshot_name(page))
            screenshot(reader.page, _screenshot_name(page, "_full"), full_page=True)
        reader.page.evaluate(OPEN_DETAILS)
        record["too_wide"] = reader.page.evaluate(TOO_WIDE)
        record["figures"] = reader.page.evaluate(FIGURES)
        record["headings"] = reader.page.evaluate(HEADINGS)
        record["axe"] = axe_violations(reader.page)
    record["problems"].update(reader.report())  # anything that went wrong while it was looked at
    _VISITS[key] = record
    return record


@pytest.mark.parametrize("page", PAGES)
def test_page_loads_offline_without_errors(reader, page):
    record = _visit(reader, page)
    problems, state = dict(record["problems"]), record["state"]
    if _parse(page).refresh:  # index.html redirects to the first page; it must land on a real page
        assert state["href"] != url(page), f"{page} did not redirect"
    if state["math"]:
        if state["typeset"] < state["math"]:
            problems["maths not typeset"] = [f"{state['typeset']} of {state['math']} formulas"]
        if state["mathErrors"]:
            problems["maths errors"] = [f"{state['mathErrors']} formulas MathJax could not read"]
    if state["badImages"]:
        problems["images not shown"] = state["badImages"]
    if state["fontsFailed"]:
        problems["fonts not loaded"] = state["fontsFailed"]
    assert not problems, f"{page} opened offline in Chromium: " + dumps(problems)


@pytest.mark.parametrize("page", EDITION_NOTEBOOK_PAGES)
def test_code_and_maths_fit_a_laptop_screen(reader, page):
    """No code cell (hidden solutions opened) or formula needs a horizontal scroll bar at 1366x900."""
    too_wide = _visit(reader, page)["too_wide"]
    assert not too_wide["code"], (
        f"{page}: {len(too_wide['code'])} code cell(s) wider than the page at 1366x900; their longest "
        "lines (wrap them at 88 characters):\n"
        + "\n".join(f"  {len(line):3d} chars: {line}" for line in too_wide["code"])
    )
    assert not too_wide["maths"], f"{page}: formulas wider than the page (split them): {too_wide['maths']}"


@pytest.mark.parametrize("page", PAGES)
def test_figures_have_a_numbered_caption_and_a_real_alternative_text(reader, page):
    """A screen reader announces a figure's point, not its file name; every reader sees "Fig. N ..."."""
    figures = _visit(reader, page)["figures"]
    assert not figures["problems"], (
        f"{page}: {len(figures['problems'])} problem(s) with its {figures['images']} figure(s) (set "
        '"mystnb": {"figure": {"caption", "name"}, "image": {"alt"}} in the code cell\'s metadata):\n  '
        + "\n  ".join(figures["problems"])
    )


@pytest.mark.parametrize("page", PAGES)
def test_headings_start_at_one_and_skip_no_level(reader, page):
    headings = _visit(reader, page)["headings"]
    assert any(h["level"] == 1 for h in headings), f"{page} has no visible h1: {headings[:3]}"
    problems = [
        f"h{before['level']} {before['text']!r} is followed by h{after['level']} {after['text']!r}"
        for before, after in zip(headings, headings[1:])
        if after["level"] > before["level"] + 1
    ]
    problems += [f"an empty h{h['level']}" for h in headings if not h["text"]]
    assert not problems, f"{page}: headings out of order: " + "; ".join(problems)


@pytest.mark.parametrize("page", PAGES)
def test_page_has_no_wcag_violation(reader, page):
    """axe-core audits the whole page (hidden solutions opened) for WCAG 2.1 A and AA, in light mode."""
    violations = _visit(reader, page)["axe"]
    assert not violations, (
        f"{page}: axe-core found {len(violations)} WCAG 2.1 A/AA violation(s):\n  " + "\n  ".join(violations)
    )


@pytest.fixture(scope="module")
def dark_reader(browser):
    """A second tab, in the theme's dark mode."""
    tab = Reader(browser, dark=True)
    yield tab
    tab.close()


DARK_SCREENSHOTS = {"book/01_design.html", "book/04_tips.html"}


@pytest.mark.parametrize("page", PAGES)
def test_outputs_contrast_in_dark_mode(dark_reader, page):
    """In dark mode too, outputs that carry their own colours (Keras's summary, ANSI) meet 4.5:1."""
    record = _visit(dark_reader, page)
    assert not record["problems"], f"{page} opened offline in dark mode: " + dumps(record["problems"])
    assert not record["axe"], (
        f"{page}: axe-core found {len(record['axe'])} contrast violation(s) in dark "
        "mode:\n  " + "\n  ".join(record["axe"])
    )


def test_no_style_sheet_locks_the_orientation():
    """WCAG 1.3.4 (axe's css-orientation-lock cannot read style sheets from file:// pages, so here)."""
    require_build()
    locked = sorted(
        css.relative_to(HTML_DIR).as_posix()
        for css in HTML_DIR.rglob("*.css")
        if re.search(r"@media[^{]*orientation", css.read_text(encoding="utf-8", errors="replace"))
    )
    assert not locked, f"style sheets with an orientation media query (check they do not lock it): {locked}"


@pytest.mark.parametrize("page", sorted(p for p in PAGES if _edition_page(p) == "book/04_tips.html"))
def test_page_reads_at_200_percent_zoom(browser, page):
    """Zoomed to 200 % (1366x900 at device scale 2 is a 683x450 window), the text reflows: no sideways scroll."""
    zoomed = Reader(browser, viewport={"width": 683, "height": 450}, device_scale_factor=2)
    try:
        problems = _open(zoomed, page)
        screenshot(zoomed.page, _screenshot_name(page, "_zoom200"))
        screenshot(zoomed.page, _screenshot_name(page, "_zoom200_full"), full_page=True)
        overflow = zoomed.page.evaluate("document.documentElement.scrollWidth - window.innerWidth")
        problems.update(zoomed.report())
    finally:
        zoomed.close()
    assert not problems, f"{page} at 200 %: " + dumps(problems)
    assert overflow <= 0, (
        f"{page} at 200 % is {overflow} px wider than the window: readers must scroll sideways"
    )


def test_screenshots_are_saved_only_when_asked(monkeypatch, tmp_path):
    """``make test`` takes none; ``DLNOTES_SCREENSHOTS=1`` (``make screenshots``) saves each one asked for."""
    import _browser

    taken = []

    class Page:
        def screenshot(self, path, full_page=False):
            taken.append((path, full_page))

    monkeypatch.setattr(_browser, "SCREENSHOTS", tmp_path / "screenshots")
    for value in (None, "", "0"):
        if value is None:
            monkeypatch.delenv("DLNOTES_SCREENSHOTS", raising=False)
        else:
            monkeypatch.setenv("DLNOTES_SCREENSHOTS", value)
        screenshot(Page(), "page.png", full_page=True)
    assert not taken and not (tmp_path / "screenshots").exists()
    monkeypatch.setenv("DLNOTES_SCREENSHOTS", "1")
    screenshot(Page(), "page.png")
    screenshot(Page(), "page_full.png", full_page=True)
    shots = tmp_path / "screenshots"
    assert taken == [(shots / "page.png", False), (shots / "page_full.png", True)] and shots.is_dir()


def test_search_works_offline_and_its_results_pass_axe(reader):
    """The search page finds a word of the book from disk, with no network, no console error, no WCAG violation."""
    problems = reader.open(url("search.html", "?q=loss"))
    try:
        reader.page.wait_for_function(
            "document.querySelectorAll('#search-results li').length > 0 || "
            "/did not match/.test((document.querySelector('#search-results p') || {}).textContent || '')"
        )
    except Exception as error:  # noqa: BLE001 - reported below with what the page shows
        problems.setdefault("search", []).append(f"no results and no message: {error}")
    reader.wait_until_quiet()
    found = reader.page.locator("#search-results li").count()
    violations = axe_violations(reader.page)
    problems.update(reader.report())
    assert found, "searching the book for 'loss' found nothing"
    assert not problems, "search.html?q=loss: " + dumps(problems)
    assert not violations, "search.html?q=loss: axe-core found:\n  " + "\n  ".join(violations)


# ---------------------------------------------------------------------------------------------------
# by keyboard alone, on one chapter of each edition

KEYBOARD_PAGE = "book/01_design.html"

# Number every control a reader could operate (links, buttons, fields, hidden-solution toggles, any
# tabindex >= 0) that is shown; return how each is named.
CONTROLS = """(() => {
  const shown = el => el.checkVisibility({visibilityProperty: true});
  const controls = [...document.querySelectorAll('a[href], button, input, select, textarea, summary, [tabindex]')]
    .filter(el => shown(el) && el.tabIndex >= 0 && !el.disabled && !el.closest('[inert], dialog:not([open])'));
  controls.forEach((el, i) => { el.dataset.kbd = i; });
  return controls.map(el => `<${el.tagName.toLowerCase()}> ` +
    (el.getAttribute('aria-label') || el.textContent).replace(/\\s+/g, ' ').trim().slice(0, 50));
})()"""

# The focused control: its number, and whether a sighted keyboard user can see it.
FOCUSED = """(() => {
  const el = document.activeElement;
  if (!el || el === document.body) return null;
  let opacity = 1;
  for (let e = el; e; e = e.parentElement) opacity *= Number(getComputedStyle(e).opacity);
  const box = el.getBoundingClientRect();
  const onScreen = box.width > 0 && box.height > 0 && box.bottom > 0 && box.right > 0 &&
                   box.top < innerHeight && box.left < innerWidth;
  return {kbd: el.dataset.kbd === undefined ? null : Number(el.dataset.kbd), visible: opacity > 0.5 && onScreen,
          name: `<${el.tagName.toLowerCase()}> ` +
                (el.getAttribute('aria-label') || el.textContent).replace(/\\s+/g, ' ').trim().slice(0, 50)};
})()"""

# The end state of every transition at once (the copy buttons fade in over 0.3 s).
NO_TRANSITIONS = "*, *::before, *::after { transition: none !important; animation: none !important; }"


def _press(reader, selector: str, key: str = "Enter") -> None:
    """Focus a control and press a key on it (the control was proven reachable by Tab)."""
    reader.page.focus(selector)
    reader.page.keyboard.press(key)


@pytest.mark.parametrize("page", sorted(p for p in PAGES if _edition_page(p) == KEYBOARD_PAGE))
def test_keyboard_reaches_and_operates_every_control(reader, page):
    """Tab reaches every control, each visibly; the skip link, toggles, menus, a language switch (links with
    ``hreflang``) and search work from the keyboard."""
    keys = reader.page.keyboard

    # 1. From the top of the page, Tab walks through every control once, and each shows when focused.
    problems = reader.open(url(page))
    reader.page.add_style_tag(content=NO_TRANSITIONS)
    controls = reader.page.evaluate(CONTROLS)
    reached, hidden = set(), []
    for _ in range(len(controls) + 20):
        keys.press("Tab")
        focused = reader.page.evaluate(FOCUSED)
        if focused is None or (focused["kbd"] is not None and focused["kbd"] in reached):
            break  # back at the start
        if focused["kbd"] is not None:
            reached.add(focused["kbd"])
        if not focused["visible"]:
            hidden.append(focused["name"])
    missing = [name for index, name in enumerate(controls) if index not in reached]
    assert not missing, f"{page}: Tab never reaches {len(missing)} of {len(controls)} controls: {missing}"
    assert not hidden, f"{page}: controls invisible when focused by keyboard: {sorted(set(hidden))}"

    # 2. The first Tab shows the skip link; Enter on it moves the next Tab into the text itself.
    problems.update(reader.open(url(page)))
    reader.page.add_style_tag(content=NO_TRANSITIONS)
    keys.press("Tab")
    first = reader.page.evaluate(FOCUSED)
    skip_link = {"Skip to main content", "본문으로 건너뛰기"}  # the theme's words, and the Korean edition's
    assert first and any(words in first["name"] for words in skip_link) and first["visible"], (
        f"{page}: the first Tab should show the skip link, it focused {first}"
    )
    keys.press("Enter")
    keys.press("Tab")
    assert reader.page.evaluate("document.querySelector('#main-content').contains(document.activeElement)"), (
        f"{page}: after the skip link, Tab went to {reader.page.evaluate(FOCUSED)} instead of the text"
    )

    # 3. Each kind of control works from the keyboard.
    details = "details.hide"
    if reader.page.locator(details).count():
        _press(reader, f"{details} > summary")
        assert reader.page.evaluate(f"document.querySelector('{details}').open"), (
            "Enter did not open a hidden solution"
        )
        _press(reader, f"{details} > summary", " ")
        assert not reader.page.evaluate(f"document.querySelector('{details}').open"), (
            "Space did not close it again"
        )

    modes = [reader.page.evaluate("document.documentElement.dataset.mode")]
    for _ in range(3):  # the button cycles light -> auto -> dark (or light -> dark)
        _press(reader, ".theme-switch-button")
        modes.append(reader.page.evaluate("document.documentElement.dataset.mode"))
    assert "dark" in modes and modes[1] != modes[0], f"Enter on the colour-mode button cycled {modes}"
    problems.update(reader.open(url(page)))  # back to light mode (reset on every page load)
    reader.page.add_style_tag(content=NO_TRANSITIONS)

    _press(reader, ".dropdown-download-buttons button.dropdown-toggle")
    reader.page.wait_for_selector(".dropdown-download-buttons .dropdown-menu.show")
    keys.press("ArrowDown")
    item = reader.page.evaluate("document.activeElement.getAttribute('href') || ''")
    assert item.endswith((".ipynb", ".pdf", ".md")), (
        f"{page}: the download menu's first item is not reached by ArrowDown (focused {item!r})"
    )
    keys.press("Escape")

    sidebar = "document.querySelector('#pst-primary-sidebar').checkVisibility({visibilityProperty: true})"
    assert reader.page.evaluate(sidebar), f"{page}: the table of contents is not shown at 1366x900"
    _press(reader, "button.primary-toggle")
    assert not reader.page.evaluate(sidebar), "Enter on 'Toggle primary sidebar' did not hide the sidebar"
    _press(reader, "button.primary-toggle")
    assert reader.page.evaluate(sidebar), "Enter on 'Toggle primary sidebar' did not show the sidebar again"

    # A language switch (the Korean edition's), as links marked with the language they lead to.
    for index in range(reader.page.locator("a[hreflang]").count()):
        switch = reader.page.locator("a[hreflang]").nth(index)
        if not switch.is_visible():
            continue
        target = switch.get_attribute("hreflang")
        switch.focus()
        with reader.page.expect_navigation():
            keys.press("Enter")
        reached_lang = reader.page.evaluate("document.documentElement.lang")
        assert reached_lang.split("-")[0] == target.split("-")[0], (
            f"{page}: Enter on the link to the {target} edition led to a page in {reached_lang!r}"
        )
        problems.update(reader.open(url(page)))
        reader.page.add_style_tag(content=NO_TRANSITIONS)

    _press(reader, "button.search-button-field")
    reader.page.wait_for_selector("#pst-search-dialog[open]")
    assert reader.page.evaluate("document.activeElement.name") == "q", (
        "the search dialog's field is not focused"
    )
    keys.type("loss")
    with reader.page.expect_navigation():
        keys.press("Enter")
    assert "search.html?q=loss" in reader.page.url, f"searching by keyboard led to {reader.page.url}"
    problems.update(reader.report())
    assert not problems, f"{page} driven by keyboard: " + dumps(problems)
