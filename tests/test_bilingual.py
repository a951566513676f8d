"""The Korean edition's bilingual reading mode (issue 28, part 3; ``scripts/bilingual.py``).

Each Korean paragraph, heading and caption carries its English twin (the msgid its text was translated
from), hidden until the reader turns the mode on with the toggle beside the language switch or Alt+B;
links to glossary terms show "학습률 (learning rate)" on hover and keyboard focus.

Two kinds of test:

* without the book (``make check``): the extension itself, on a tiny Sphinx project built twice in a
  temporary folder, in Korean from a small catalogue and in English; and the glossary's pairs;
* on the built book (marked ``book``; ``make test`` runs them after ``make book``), in Debian's Chromium
  through Playwright, every page opened from ``file://`` with the network refused (``tests/_browser.py``):
  every Korean paragraph of every page of the book has exactly one English twin, the toggle works by
  click and by keyboard and is remembered, the glossary tooltips show on hover and focus and hide on
  Escape, and axe-core finds no WCAG 2.1 A/AA violation with the twins shown (its contrast rule only on
  what the mode gives new colours to: ``tests/test_browser.py`` audits the rest of each page in full,
  see the test). The English edition has no twin and loads none of it. Without Chromium these are
  skipped locally and fail when ``CI`` is set (the ``browser`` fixture of ``tests/conftest.py``), like
  ``tests/test_browser.py``.
"""

from __future__ import annotations

import re
import sys
import textwrap
from pathlib import Path

import pytest
from _browser import (
    HTML_DIR,
    SKIP_DIRS,
    Reader,
    axe_violations,
    dumps,
    loopback_chromium,
    served,
    url,
)

ROOT = Path(__file__).resolve().parent.parent
KO = HTML_DIR / "ko"
HANGUL = re.compile(r"[\uac00-\ud7a3]")

sys.path.insert(0, str(ROOT / "scripts"))
import bilingual  # noqa: E402


def _book_pages(edition: Path) -> list[str]:
    """The book's pages of an edition (the pages with catalogues; not search or the index)."""
    book = edition / "book"
    return sorted(p.relative_to(edition).as_posix() for p in book.glob("*.html")) if book.is_dir() else []


KO_PAGES = _book_pages(KO)


# --- the extension, without the book ---------------------------------------------------------------


def test_the_glossary_pairs_every_term_with_its_first_korean_term() -> None:
    text = (ROOT / "book" / "glossary.md").read_text(encoding="utf-8")
    pairs = bilingual.glossary_pairs(text)
    block = text[text.index("```{glossary}") :]
    block = block[len("```{glossary}") : block.index("```", 3)]
    term_lines = [line for line in block.splitlines() if line.strip() and not line[0].isspace()]
    assert sorted(pairs) == sorted(term_lines)
    assert pairs["learning rate"] == "학습률"
    assert pairs["unit"] == "유닛"  # "유닛, 뉴런 (neuron)": the first term, without the gloss
    assert pairs["tanh"] == "하이퍼볼릭 탄젠트"
    assert all(HANGUL.search(korean) and "," not in korean for korean in pairs.values()), pairs
    assert bilingual.tooltip_text("learning rate", pairs["learning rate"]) == "학습률 (learning rate)"


MINI_CONF = """
import sys
sys.path.insert(0, {scripts!r})
extensions = ["bilingual"]
locale_dirs = ["locales"]
gettext_compact = False
exclude_patterns = ["_build", "book"]
"""

MINI_INDEX = """
Learning rate
=============

The *learning rate* sets the ``step`` size of :term:`gradient descent`.

- one item
- another item

Not translated at all.

.. figure:: pixel.png
   :alt: A pixel.

   A caption under the figure.

.. glossary::

   gradient descent
      The update rule.

   learning rate
      The step size.
"""

MINI_PO = """
msgid ""
msgstr ""
"Content-Type: text/plain; charset=UTF-8\\n"
"Language: ko\\n"

msgid "Learning rate"
msgstr "학습률"

msgid "The *learning rate* sets the ``step`` size of :term:`gradient descent`."
msgstr "*학습률*\\\\ 은 :term:`경사 하강법 <gradient descent>`\\\\ 의 ``step`` 크기를 정합니다."

msgid "one item"
msgstr "항목 하나"

msgid "another item"
msgstr "다른 항목"

msgid "A caption under the figure."
msgstr "그림 아래의 캡션."
"""

MINI_GLOSSARY = """
```{glossary}
gradient descent
  경사 하강법. The update rule.

learning rate
  학습률. The step size.
```
"""

PIXEL_PNG = bytes.fromhex(
    "89504e470d0a1a0a0000000d4948445200000001000000010806000000"
    "1f15c4890000000d49444154789c6360000002000154a24f5d0000000049454e44ae426082"
)


def _build_mini(tmp_path: Path, language: str) -> tuple[str, Path]:
    """Build the tiny project in `language`; return index.html's text and the output folder."""
    from sphinx.application import Sphinx

    src = tmp_path / "src"
    if not src.exists():
        (src / "locales" / "ko" / "LC_MESSAGES").mkdir(parents=True)
        (src / "book").mkdir()
        (src / "conf.py").write_text(MINI_CONF.format(scripts=str(ROOT / "scripts")), encoding="utf-8")
        (src / "index.rst").write_text(textwrap.dedent(MINI_INDEX), encoding="utf-8")
        (src / "pixel.png").write_bytes(PIXEL_PNG)
        (src / "locales" / "ko" / "LC_MESSAGES" / "index.po").write_text(MINI_PO, encoding="utf-8")
        (src / "book" / "glossary.md").write_text(MINI_GLOSSARY, encoding="utf-8")
    out = tmp_path / f"html-{language}"
    app = Sphinx(
        str(src),
        str(src),
        str(out),
        str(tmp_path / f"doctrees-{language}"),
        "html",
        confoverrides={"language": language},
        status=None,
        warning=None,
        freshenv=True,
    )
    app.build()
    assert app.statuscode == 0
    return (out / "index.html").read_text(encoding="utf-8"), out


def _twins(page: str) -> list[str]:
    return re.findall(r'<p class="dl-twin" lang="en">(.*?)</p>', page, re.DOTALL)


def test_the_korean_build_puts_each_translated_paragraph_s_english_right_after_it(tmp_path: Path) -> None:
    page, out = _build_mini(tmp_path, "ko")
    twins = _twins(page)
    # the heading, the paragraph, the two list items and the caption: five twins, none for the
    # untranslated paragraph, none for the glossary (its terms and definitions are not translated here)
    assert len(twins) == 5, twins
    twin = '<p class="dl-twin" lang="en">'
    assert re.search(rf'<h1>학습률<a class="headerlink"[^>]*>.*?</a></h1>\s*{twin}Learning rate</p>', page)
    paragraph = re.search(
        r"<p><em>학습률</em>.*?</p>\s*<p class=\"dl-twin\" lang=\"en\">(.*?)</p>", page, re.DOTALL
    )
    assert paragraph, page
    english = paragraph[1]
    # the same inline markup as the English edition: emphasis, code and the glossary link
    assert english.startswith("The <em>learning rate</em> sets the <code")
    assert '<span class="pre">step</span>' in english
    assert 'href="#term-gradient-descent"' in english
    assert re.search(r'<li><p>항목 하나</p>\s*<p class="dl-twin" lang="en">one item</p>\s*</li>', page)
    # a list whose items hold a paragraph and its twin stays a compact ("simple") list
    assert re.search(r'<ul class="simple">\s*<li><p>항목 하나', page)
    assert re.search(r'<p class="dl-twin" lang="en">A caption under the figure.</p>\s*</figcaption>', page)
    assert re.search(r"<p>Not translated at all.</p>\s*<figure", page)
    # no id twice (the twins carry none)
    ids = re.findall(r'\sid="([^"]+)"', page)
    assert len(ids) == len(set(ids)), sorted(i for i in ids if ids.count(i) > 1)
    # the glossary link, in the Korean text and in its twin, shows the Korean term with its English
    tip = r'<span class="dl-term-tip" role="tooltip" id="(dl-term-tip-\d+)" lang="ko">(.*?)</span></span>'
    tips = re.findall(tip, page)
    assert [text for _id, text in tips] == ['경사 하강법 (<span lang="en">gradient descent</span>)'] * 2
    for tip_id, _text in tips:
        assert f'aria-describedby="{tip_id}"' in page
    # the script and its style sheet are served from the build itself
    assert (out / "_static" / "bilingual.js").is_file() and (out / "_static" / "bilingual.css").is_file()
    assert 'src="_static/bilingual.js' in page and 'href="_static/bilingual.css' in page


def test_the_english_build_is_untouched(tmp_path: Path) -> None:
    page, out = _build_mini(tmp_path, "en")
    assert "dl-twin" not in page and "dl-term" not in page and "bilingual" not in page
    assert not (out / "_static" / "bilingual.js").exists()


TERM_LINK = '<a class="reference internal" href="{}"><span class="xref std std-term">x</span></a>'


@pytest.mark.parametrize(
    "body, expected",
    [
        (TERM_LINK.format("glossary.html#term-epoch"), 1),
        (TERM_LINK.format("#term-epoch"), 1),
        # not a glossary term: left alone
        ('<a class="reference internal" href="01_design.html"><span class="std std-doc">x</span></a>', 0),
        # a term the glossary does not pair: left alone
        (TERM_LINK.format("glossary.html#term-other"), 0),
    ],
)
def test_only_links_to_paired_glossary_terms_get_a_tooltip(body: str, expected: int) -> None:
    result = bilingual.add_term_tooltips(body, {"term-epoch": "에포크 (epoch)"})
    assert result.count('role="tooltip"') == expected
    assert (result == body) == (expected == 0)


def test_the_extension_s_examples_hold() -> None:
    import doctest

    assert doctest.testmod(bilingual, optionflags=doctest.NORMALIZE_WHITESPACE).failed == 0


# --- the built book: the HTML alone ------------------------------------------------------------------


@pytest.mark.book
def test_the_english_edition_has_no_twins_and_loads_nothing_of_the_mode() -> None:
    english = [
        p
        for p in HTML_DIR.rglob("*.html")
        if not (SKIP_DIRS | {"ko"}) & set(p.relative_to(HTML_DIR).parts[:-1])
    ]
    assert english, f"no English pages in {HTML_DIR}: run `make book`"
    for page in english:
        text = page.read_text(encoding="utf-8")
        assert "dl-twin" not in text and "bilingual." not in text and "dl-term-tip" not in text, page
    assert not (HTML_DIR / "_static" / "bilingual.js").exists()


# --- the built book in Chromium ----------------------------------------------------------------------

# Every Korean paragraph or heading of the article (its own text, not a tooltip's, has Hangul), leaving
# out the labels that are not the book's text: the theme's code-cell toggles (<summary>) and the API
# reference's section labels ("예제", Sphinx's own translation of napoleon's "Examples").
TWIN_AUDIT = """() => {
  const article = document.querySelector('article.bd-article');
  const own = (el) => { const c = el.cloneNode(true); c.querySelectorAll('.dl-term-tip').forEach(t => t.remove());
                        return c.textContent.replace(/\\s+/g, ' ').trim(); };
  const isTwin = (el) => el && el.classList.contains('dl-twin');
  // The API reference's docstrings are English in both editions (they are not in the catalogues),
  // so Hangul in one (format_table's example of a Korean header) is not a translated paragraph.
  const korean = [...article.querySelectorAll('p, h1, h2, h3, h4, h5, h6')].filter(el =>
      !isTwin(el) && !el.closest('summary') && !el.closest('dl.py')
      && /[\\uac00-\\ud7a3]/.test(own(el)));
  const twins = [...article.querySelectorAll('.dl-twin')];
  const missing = [], extra = [], orphans = [], notEnglish = [];
  for (const el of korean) {
    const next = el.nextElementSibling;
    if (!isTwin(next)) missing.push(own(el).slice(0, 80));
    else if (isTwin(next.nextElementSibling)) extra.push(own(el).slice(0, 80));
  }
  for (const twin of twins) {
    // after the translated paragraph or heading it belongs to (nearly always Korean; a few
    // translations have no Hangul, e.g. the heading "GPUs" -> "GPU")
    const before = twin.previousElementSibling;
    if (!before || isTwin(before) || !before.matches('p, h1, h2, h3, h4, h5, h6')) orphans.push(own(twin).slice(0, 80));
    if (twin.getAttribute('lang') !== 'en' || !/[A-Za-z]/.test(own(twin)) || own(twin) === own(before || twin))
      notEnglish.push(own(twin).slice(0, 80));
  }
  const links = article.querySelectorAll('a[href*="#term-"]:not(.headerlink)').length;
  const tips = article.querySelectorAll('.dl-term > a[aria-describedby] + .dl-term-tip[role=tooltip]').length;
  return {korean: korean.length, twins: twins.length, missing, extra, orphans, notEnglish, links, tips,
          shown: twins.filter(t => t.checkVisibility()).length,
          untranslated: [...article.querySelectorAll('p, h1, h2, h3, h4, h5, h6')].filter(el =>
              !isTwin(el) && isTwin(el.nextElementSibling) && !korean.includes(el)).map(own)};
}"""


@pytest.fixture(scope="module")
def ko_reader(browser):
    if not KO_PAGES:
        pytest.fail(f"no Korean pages in {KO}: run `make book`", pytrace=False)
    tab = Reader(browser)
    yield tab
    tab.close()


@pytest.mark.book
@pytest.mark.parametrize("page", KO_PAGES or ["<no Korean build>"])
def test_every_korean_paragraph_has_exactly_one_english_twin(ko_reader, page: str) -> None:
    problems = ko_reader.open(url(f"ko/{page}"))
    assert not problems, dumps(problems)  # offline, from file://, bilingual.js and .css found
    audit = ko_reader.page.evaluate(TWIN_AUDIT)
    assert audit["korean"] > 0, f"{page} has no Korean paragraph"
    assert not audit["missing"], (
        f"{len(audit['missing'])} Korean paragraphs without a twin: {dumps(audit['missing'])}"
    )
    assert not audit["extra"], f"Korean paragraphs with more than one twin: {dumps(audit['extra'])}"
    assert not audit["orphans"], f"twins that follow no Korean paragraph: {dumps(audit['orphans'])}"
    assert not audit["notEnglish"], f"twins that are not English: {dumps(audit['notEnglish'])}"
    # the twins beyond one per Korean paragraph follow translations without Hangul ("GPUs" -> "GPU")
    assert audit["twins"] == audit["korean"] + len(audit["untranslated"])
    assert len(audit["untranslated"]) <= 2, audit["untranslated"]
    assert audit["shown"] == 0, "the twins are shown before the reader asks for them"
    # every link to a glossary term has its tooltip
    assert audit["tips"] == audit["links"], audit


def _toggle_state(page) -> dict:
    return page.evaluate(
        """() => { const b = document.querySelector('.dlnotes-language-switch button.dl-bilingual-toggle');
        const twins = [...document.querySelectorAll('.dl-twin')];
        // twins whose Korean text is on screen (not in a closed solution or aside)
        const readable = twins.filter(t => t.previousElementSibling.checkVisibility({visibilityProperty: true}));
        return {pressed: b && b.getAttribute('aria-pressed'), name: b && b.textContent,
                keys: b && b.getAttribute('aria-keyshortcuts'), twins: twins.length, readable: readable.length,
                shown: twins.filter(t => t.checkVisibility({visibilityProperty: true})).length}; }"""
    )


@pytest.mark.book
def test_the_toggle_shows_and_hides_the_twins_by_click_and_by_keyboard(browser) -> None:
    # The choice is remembered in localStorage, so the book is read from a real origin (served()),
    # by a Chromium whose proxy, closed for every other address, lets the loopback server through.
    with served() as base:
        chromium = loopback_chromium(browser)
        try:
            _toggle_by_click_and_keyboard(chromium, base)
        finally:
            chromium.close()


def _toggle_by_click_and_keyboard(browser, base: str) -> None:
    tab = Reader(browser, local=base)  # a fresh profile: nothing remembered
    try:
        assert not tab.open(base + "ko/book/02_training.html")
        page = tab.page
        state = _toggle_state(page)
        assert state["twins"] > 20 and state["readable"] > 20
        assert state == {**state, "pressed": "false", "shown": 0, "keys": "Alt+B"}
        assert "Alt+B" in state["name"] and "영어 원문" in state["name"]  # the shortcut is written on it
        button = page.locator("button.dl-bilingual-toggle")
        assert button.get_attribute("type") == "button"
        # by click
        button.click()
        assert _toggle_state(page) == {**state, "pressed": "true", "shown": state["readable"]}
        button.click()
        assert _toggle_state(page)["shown"] == 0
        # by the shortcut, from anywhere on the page (also with the Korean IME on: the key's position)
        page.locator("article p:not(.dl-twin)").first.click()
        page.keyboard.press("Alt+KeyB")
        assert _toggle_state(page) == {**state, "pressed": "true", "shown": state["readable"]}
        # remembered on the next page and after a reload
        assert not tab.open(base + "ko/book/glossary.html")
        assert _toggle_state(page)["pressed"] == "true" and _toggle_state(page)["shown"] > 0
        page.keyboard.press("Alt+KeyB")
        assert _toggle_state(page)["shown"] == 0
        assert not tab.open(base + "ko/book/02_training.html")
        assert _toggle_state(page) == state
        # by keyboard alone: Tab reaches the button, Enter and Space press it
        page.locator("body").focus()
        for _ in range(40):
            page.keyboard.press("Tab")
            if page.evaluate("document.activeElement.classList.contains('dl-bilingual-toggle')"):
                break
        else:
            pytest.fail("Tab never reached the toggle")
        assert page.evaluate("getComputedStyle(document.activeElement).outlineStyle") != "none"
        page.keyboard.press("Enter")
        assert _toggle_state(page)["shown"] == state["readable"]
        page.keyboard.press("Space")
        assert _toggle_state(page)["shown"] == 0
        # a bare b is not the shortcut (WCAG 2.1.4: no single-character shortcuts)
        page.keyboard.press("b")
        assert _toggle_state(page)["shown"] == 0
    finally:
        tab.close()


TIP_STATE = """(tip) => ({visible: tip.checkVisibility(), text: tip.textContent,
  described: document.querySelector(`[aria-describedby="${tip.id}"]`) !== null})"""


@pytest.mark.book
def test_a_glossary_term_shows_its_english_on_hover_and_on_focus(ko_reader) -> None:
    assert not ko_reader.open(url("ko/book/02_training.html"))
    page = ko_reader.page
    term = page.locator("article p:not(.dl-twin) .dl-term").first
    link, tip = term.locator("a"), term.locator(".dl-term-tip")
    assert link.inner_text() == "순전파"
    assert tip.evaluate(TIP_STATE) == {
        "visible": False,
        "text": "순전파 (forward propagation)",
        "described": True,
    }
    link.hover()
    assert tip.evaluate(TIP_STATE)["visible"]
    assert (
        tip.get_attribute("role") == "tooltip"
        and tip.locator("[lang=en]").inner_text() == "forward propagation"
    )
    page.mouse.move(0, 0)
    assert not tip.evaluate(TIP_STATE)["visible"]
    link.focus()
    assert tip.evaluate(TIP_STATE)["visible"]
    page.keyboard.press("Escape")  # dismissable (WCAG 1.4.13)
    assert not tip.evaluate(TIP_STATE)["visible"]
    page.keyboard.press("Tab")  # the next link's tooltip comes up, this one stays hidden
    assert not tip.evaluate(TIP_STATE)["visible"]
    link.focus()
    assert tip.evaluate(TIP_STATE)["visible"]
    # every tooltip of every Korean chapter reads "한국어 (English)"
    for chapter in KO_PAGES:
        assert not ko_reader.open(url(f"ko/{chapter}"))
        texts = page.eval_on_selector_all(".dl-term-tip", "tips => tips.map(t => t.textContent)")
        bad = [t for t in texts if not re.fullmatch(r"\S.*[\uac00-\ud7a3A-Za-z)] \([A-Za-z][^()]*\)", t)]
        assert not bad, f"{chapter}: {bad}"


# What showing the twins gives new colours to (scripts/bilingual_static/bilingual.css): the twins
# (<p class="dl-twin" lang="en">, after each paragraph, heading and caption), the toggle, whose colours
# invert once pressed, and the glossary tooltip the test opens; nothing else changes its colours.
TWINS_SHOWN_COLOURS = {"include": [[".dl-twin"], [".dl-bilingual-toggle"], [".dl-term-tip"]]}


@pytest.mark.book
@pytest.mark.parametrize("dark", [False, True], ids=["light", "dark"])
def test_axe_finds_no_violation_with_the_twins_shown(browser, dark: bool) -> None:
    """axe-core finds no WCAG 2.1 A/AA violation with the twins shown and a glossary tooltip open.

    In light mode, on every Korean page: every rule but ``color-contrast`` on the whole page, and
    ``color-contrast`` on what showing the twins gives new colours to (``TWINS_SHOWN_COLOURS``). The same
    pages with the twins hidden get every rule on the whole page, in light mode, in
    ``tests/test_browser.py`` (``test_page_has_no_wcag_violation``), and the mode changes the colours of
    nothing else. ``color-contrast`` over every element of every page again was most of this test's
    time (issue 30's CI time: the light-mode audit took 149-272 s under load with it, 91 s without).
    In dark mode, where ``tests/test_browser.py`` audits only the outputs' contrast, two pages get
    every rule on the whole page, as before.
    """
    tab = Reader(browser, dark=dark)
    tab.context.add_init_script("try { localStorage.setItem('dlnotes-bilingual', 'on'); } catch (e) {}")
    try:
        found: dict[str, list[str]] = {}
        for page in KO_PAGES if not dark else ["book/02_training.html", "book/glossary.html"]:
            problems = tab.open(url(f"ko/{page}"))
            assert not problems, dumps(problems)
            state = _toggle_state(tab.page)
            assert state["pressed"] == "true" and state["shown"] == state["readable"] > 0, (page, state)
            # one tooltip open too (its contrast), by keyboard focus
            if tab.page.locator("article .dl-term a").count():
                tab.page.locator("article .dl-term a").first.focus()
            if dark:
                violations = axe_violations(tab.page)
            else:
                violations = axe_violations(tab.page, without=["color-contrast"])
                violations += axe_violations(tab.page, TWINS_SHOWN_COLOURS, rules=["color-contrast"])
            if violations:
                found[page] = violations
        assert not found, dumps(found)
    finally:
        tab.close()
