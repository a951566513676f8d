"""The Korean edition as a reader gets it: every page of _build/html/ko in headless Chromium, offline.

Run after ``make book`` (``make test`` does both). Playwright drives Debian's Chromium (the session's
one, the ``browser`` fixture of ``tests/conftest.py``) with the network off: every request to another host is
refused and recorded. Each Korean page must load with no console error or warning, no uncaught
exception and no failed request, with every formula typeset by MathJax, and with its Korean text drawn
in a real Korean font (Chromium reports which platform fonts drew a node's glyphs; a missing font would
show tofu boxes). The language switch must lead to the same page of the other edition and back, by
mouse and by keyboard. The Korean search must find 과적합 and 학습률 (the words carry particles in the
text: 과적합을, 학습률이), and its JavaScript stemmer must agree with the Python one that built the index.
Without Chromium the browser tests are skipped locally and fail when ``CI`` is set.
With ``DLNOTES_SCREENSHOTS=1`` (``make screenshots``) it also saves screenshots of two Korean pages in
``tests/screenshots/`` (git-ignored), for a human to look at; they check nothing, so ``make test``
takes none.
"""

from __future__ import annotations

import json
import re
import sys
from contextlib import suppress
from pathlib import Path

import pytest
from _browser import SKIP_DIRS, screenshot

ROOT = Path(__file__).resolve().parent.parent
HTML = ROOT / "_build" / "html"
KO = HTML / "ko"
KOREAN_FONT = re.compile(
    r"Nanum|Noto Sans CJK|Noto Serif CJK|Noto Sans KR|Source Han|Malgun|Apple SD Gothic|Baekmuk|UnDotum",
    re.IGNORECASE,
)
HANGUL = re.compile(r"[\uac00-\ud7a3]")

sys.path.insert(0, str(ROOT / "scripts"))
from korean_edition import PARTICLES, korean_stem  # noqa: E402


def _pages() -> list[str]:
    if not KO.is_dir():
        return []
    return sorted(
        p.relative_to(KO).as_posix()
        for p in KO.rglob("*.html")
        if not SKIP_DIRS & set(p.relative_to(KO).parts[:-1])
    )


PAGES = _pages()


def test_the_korean_edition_is_built_with_the_same_pages_as_the_english_one() -> None:
    assert KO.is_dir(), f"{KO} is missing: run `make book`"
    english = sorted(
        p.relative_to(HTML).as_posix()
        for p in HTML.rglob("*.html")
        if not (SKIP_DIRS | {"ko"}) & set(p.relative_to(HTML).parts[:-1])
    )
    assert english == PAGES
    assert "book/01_design.html" in PAGES


# --- the search index (no browser needed) ------------------------------------------------------------


def _search_index() -> dict:
    text = (KO / "searchindex.js").read_text(encoding="utf-8")
    return json.loads(text[text.index("(") + 1 : text.rindex(")")])


@pytest.mark.parametrize("word, page", [("과적합", "book/04_tips"), ("학습률", "book/02_training")])
def test_the_korean_index_holds_words_without_their_particles(word: str, page: str) -> None:
    index = _search_index()
    docs = set()
    for kind in ("terms", "titleterms"):  # a word in a heading is indexed as a title word only
        hits = index[kind].get(word, [])
        docs |= {index["docnames"][i] for i in (hits if isinstance(hits, list) else [hits])}
    assert page in docs, f"{word} is not indexed for {page}"
    # the text says 과적합을 / 학습률이; those forms are indexed as the bare word, not on their own
    assert not {word + "을", word + "이"} & (set(index["terms"]) | set(index["titleterms"]))
    source = (ROOT / "locales" / "ko" / "LC_MESSAGES" / f"{page}.po").read_text(encoding="utf-8")
    assert re.search(rf"{word}(?:{'|'.join(PARTICLES)})", source), f"{page} has no {word} with a particle"


# --- the browser ----------------------------------------------------------------------------------


@pytest.fixture(scope="module", autouse=True)
def korean_pages_built():
    """The Korean build must exist before the browser opens it."""
    if not PAGES:
        pytest.fail(f"no Korean pages in {KO}: run `make book`", pytrace=False)


class Visit:
    """One page in a fresh context with the network blocked, recording every problem."""

    def __init__(self, browser, url: str, *, redirects: bool = False) -> None:
        self.problems: dict[str, list[str]] = {}
        self.context = browser.new_context(viewport={"width": 1366, "height": 900}, locale="ko-KR")
        self.context.route(re.compile(r"^(?!file:|data:|blob:|about:).*"), self._refuse)
        self.page = self.context.new_page()
        self.page.on("console", lambda m: m.type in ("error", "warning") and self._add("console", m.text))
        self.page.on("pageerror", lambda e: self._add("exceptions", str(e)))
        self.page.on("requestfailed", lambda r: self._add("failed requests", f"{r.url} {r.failure}"))
        self.goto(url, redirects=redirects)

    def _add(self, kind: str, text: str) -> None:
        self.problems.setdefault(kind, []).append(text)

    def _refuse(self, route) -> None:
        self._add("remote requests", route.request.url)
        route.abort()

    def goto(self, url: str, *, redirects: bool = False) -> None:
        """Load `url`; with `redirects` (index.html's meta refresh), wait for the page it leads to."""
        self.page.goto(url, wait_until="load")
        if redirects:  # otherwise the checks could run on a document that is being replaced
            self.page.wait_for_url(lambda now: now != url)
            self.page.wait_for_load_state("load")
        self.wait_for_maths()

    def wait_for_maths(self) -> None:
        with suppress(Exception):  # reported by the caller, which counts the formulas
            self.page.wait_for_function(
                "() => document.querySelectorAll('mjx-container').length >="
                " document.querySelectorAll('span.math, div.math').length",
                timeout=30_000,
            )

    def close(self) -> None:
        self.context.close()


def _platform_fonts(page, selector: str) -> list[dict]:
    """The fonts Chromium used to draw the text of the first element matching `selector`."""
    cdp = page.context.new_cdp_session(page)
    cdp.send("DOM.enable")
    cdp.send("CSS.enable")
    root = cdp.send("DOM.getDocument", {"depth": 0})["root"]["nodeId"]
    node = cdp.send("DOM.querySelector", {"nodeId": root, "selector": selector})["nodeId"]
    fonts = cdp.send("CSS.getPlatformFontsForNode", {"nodeId": node})["fonts"]
    cdp.detach()
    return fonts


STATE = """(() => ({
  math: document.querySelectorAll('span.math, div.math').length,
  typeset: document.querySelectorAll('mjx-container').length,
  mathErrors: document.querySelectorAll('mjx-merror').length,
  badImages: [...document.images].filter(i => !i.complete || i.naturalWidth === 0).map(i => i.src),
  lang: document.documentElement.lang,
  h1: (document.querySelector('article h1') || {}).textContent || '',
  wordBreak: getComputedStyle(document.querySelector('article p') || document.body).wordBreak,
}))()"""


@pytest.mark.parametrize("page", PAGES)
def test_korean_page_opens_offline_typesets_its_maths_and_draws_hangul_in_a_korean_font(browser, page):
    redirects = 'http-equiv="Refresh"' in (KO / page).read_text(encoding="utf-8")
    visit = Visit(browser, (KO / page).as_uri(), redirects=redirects)
    try:
        state = visit.page.evaluate(STATE)
        problems = dict(visit.problems)
        if state["typeset"] < state["math"]:
            problems["maths not typeset"] = [f"{state['typeset']} of {state['math']} formulas"]
        if state["mathErrors"]:
            problems["maths errors"] = [f"{state['mathErrors']} formulas"]
        if state["badImages"]:
            problems["images not shown"] = state["badImages"]
        if page.startswith("book/"):
            assert state["lang"] == "ko", f"{page}: <html lang={state['lang']!r}>"
            assert HANGUL.search(state["h1"]), f"{page}: its heading {state['h1']!r} is not in Korean"
            # Korean breaks lines between words, not inside them (_static/dlnotes.css)
            assert state["wordBreak"] == "keep-all", f"{page}: word-break is {state['wordBreak']!r}"
            fonts = _platform_fonts(visit.page, "article h1")
            korean = [f for f in fonts if KOREAN_FONT.search(f["familyName"]) and f["glyphCount"] > 0]
            if not korean:
                problems["no Korean font"] = [json.dumps(fonts, ensure_ascii=False)]
            if page in ("book/intro.html", "book/04_tips.html"):
                screenshot(visit.page, f"ko_{Path(page).stem}.png")
        assert not problems, f"ko/{page}: " + json.dumps(problems, indent=2, ensure_ascii=False)
    finally:
        visit.close()


SWITCH = "nav.dlnotes-language-switch a"


@pytest.mark.parametrize("page", ["book/01_design.html", "book/intro.html", "search.html"])
def test_the_language_switch_leads_to_the_same_page_and_back(browser, page):
    visit = Visit(browser, (KO / page).as_uri())
    try:
        link = visit.page.locator(SWITCH)
        assert link.get_attribute("hreflang") == "en" and link.inner_text() == "English"
        assert visit.page.get_by_role("link", name="English", exact=True).count() == 1  # its accessible name
        assert visit.page.get_by_role("navigation", name="언어").count() == 1
        with visit.page.expect_navigation():
            link.click()
        assert visit.page.url.split("?")[0] == (HTML / page).as_uri()
        back = visit.page.locator(SWITCH)
        assert back.get_attribute("hreflang") == "ko" and back.inner_text() == "한국어"
        with visit.page.expect_navigation():
            back.click()
        assert visit.page.url.split("?")[0] == (KO / page).as_uri()
        assert not visit.problems, json.dumps(visit.problems, indent=2, ensure_ascii=False)
    finally:
        visit.close()


def test_the_language_switch_is_reachable_and_usable_by_keyboard(browser):
    visit = Visit(browser, (KO / "book" / "02_training.html").as_uri())
    try:
        for _ in range(120):
            visit.page.keyboard.press("Tab")
            if visit.page.evaluate(f"document.activeElement.matches({SWITCH!r})"):
                break
        else:
            pytest.fail("120 presses of Tab never reached the language switch")
        with visit.page.expect_navigation():
            visit.page.keyboard.press("Enter")
        assert visit.page.url == (HTML / "book" / "02_training.html").as_uri()
    finally:
        visit.close()


def _search(visit: Visit, query: str) -> list[str]:
    visit.goto((KO / "search.html").as_uri() + f"?q={query}")
    # Sphinx lists the results one by one (5 ms apart) and writes its summary line only at the end:
    # wait for that line, or a busy machine reads a list still being filled.
    visit.page.wait_for_function(
        "() => ((document.querySelector('#search-results p.search-summary') || {}).textContent || '').trim() !== ''",
        timeout=30_000,
    )
    hrefs = visit.page.eval_on_selector_all(
        "#search-results li a", "as => as.map(a => a.getAttribute('href'))"
    )
    return sorted({href.split("?")[0].split("#")[0] for href in hrefs})


@pytest.mark.parametrize(
    "word, pages",
    [
        ("과적합", {"book/02_training.html", "book/04_tips.html", "book/glossary.html"}),
        (
            "학습률",
            {"book/01_design.html", "book/02_training.html", "book/04_tips.html", "book/glossary.html"},
        ),
    ],
)
def test_korean_search_finds_a_glossary_term_also_where_it_carries_a_particle(browser, word, pages):
    visit = Visit(browser, (KO / "search.html").as_uri())
    try:
        found = _search(visit, word)
        assert pages <= set(found), f"searching {word} found {found}"
        # the same query with a particle finds the same pages: both sides strip it
        assert _search(visit, word + "을" if word == "과적합" else word + "이") == found
        assert not visit.problems, json.dumps(visit.problems, indent=2, ensure_ascii=False)
    finally:
        visit.close()


WORDS = [
    "과적합을",
    "학습률이",
    "입력층에서는",
    "모델의",
    "ReLU를",
    "결과",
    "결과를",
    "정확도",
    "데이터",
    "에포크마다",
    "가중치",
    "은닉층으로",
    "Dropout",
    "손실과",
    "이",
    "를",
]


def test_the_javascript_stemmer_matches_the_python_one(browser):
    visit = Visit(browser, (KO / "search.html").as_uri())
    try:
        in_js = visit.page.evaluate("words => words.map(w => new Stemmer().stemWord(w.toLowerCase()))", WORDS)
        assert in_js == [korean_stem(w) for w in WORDS]
    finally:
        visit.close()
