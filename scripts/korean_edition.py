"""A Sphinx extension for the book's two editions: English (``_build/html``) and Korean (``_build/html/ko``).

The Korean edition is the same book built with ``language = "ko"`` (``scripts/build_edition.py``); its text
comes from the gettext catalogues in ``locales/ko/LC_MESSAGES`` (see ``TRANSLATING.md``). This extension

* puts a language switch at the top of every page that links to the same page in the other edition, with a
  relative link, so it works from ``file://`` and offline (also as ``<link rel="alternate" hreflang>``);
* sets the tag ``lang_ko`` in the Korean build, so a page can hold a Korean-only note (``{only} lang_ko``);
* keeps the API reference's docstrings out of the catalogues (that page stays English; a note says so);
* registers a Korean search language (Sphinx has none): :class:`SearchKorean`.

Korean search
-------------
Korean attaches particles (조사) to the word they follow: the text says 과적합을, 학습률이, 모델의, but a
reader searches for 과적합, 학습률, 모델. Sphinx's index holds whole words (``\\w+`` runs), so without help a
search for 과적합 finds only the places where the word stands bare. :func:`korean_stem` strips particles
from the end of a word, repeatedly, until none is left; the same function (the same list, the same loop) is
written in JavaScript (:data:`JS_STEMMER`) and runs on the query. Because both sides reduce a word to the
same fixed point, a query matches every inflected form in the text. Stripping to a fixed point sometimes
over-reduces a word that merely ends like a particle (정확도 → 정확, 결과 → 결), but it does so on both
sides, so such words are still found; at worst a search also finds a shorter word sharing the stem. We
chose this over a morphological analyser (e.g. kiwipiepy) because the query side runs in the browser,
where the analyser is not available: the analyser would index forms the query side could not produce.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from sphinx.search import SearchLanguage

# Particles and particle combinations (조사), longest first so that 에서는 is taken before 는.
PARTICLES = (
    "으로부터",
    "에서부터",
    "이라는",
    "이라고",
    "이라면",
    "이지만",
    "에게서",
    "으로서",
    "으로써",
    "에서는",
    "에서도",
    "에서의",
    "으로는",
    "으로도",
    "으로의",
    "으로만",
    "에게는",
    "까지는",
    "부터는",
    "에서만",
    "입니다",
    "에서",
    "에게",
    "으로",
    "로서",
    "로써",
    "라는",
    "라고",
    "이나",
    "이며",
    "이고",
    "와의",
    "과의",
    "에는",
    "에도",
    "에의",
    "로는",
    "로도",
    "로의",
    "까지",
    "부터",
    "보다",
    "처럼",
    "마다",
    "조차",
    "이다",
    "은",
    "는",
    "이",
    "가",
    "을",
    "를",
    "의",
    "에",
    "와",
    "과",
    "도",
    "만",
    "로",
)


def korean_stem(word: str) -> str:
    """Strip particles from the end of a word until none is left; keep at least one character.

    Examples
    --------
    >>> [korean_stem(w) for w in ["과적합을", "학습률이", "과적합", "학습률", "입력층에서는", "ReLU를"]]
    ['과적합', '학습률', '과적합', '학습률', '입력층', 'relu']
    >>> korean_stem("결과를") == korean_stem("결과")   # over-reduced (결), but the same on both sides
    True
    """
    word = word.lower()
    changed = True
    while changed:
        changed = False
        for particle in PARTICLES:
            if len(word) > len(particle) and word.endswith(particle):
                word = word[: -len(particle)]
                changed = True
                break
    return word


JS_STEMMER = """
/**
 * Korean stemmer of the dlnotes book (scripts/korean_edition.py): strip particles (josa) from the end of a
 * word until none is left, keeping at least one character. Mirrors korean_stem() in Python exactly.
 */
var Stemmer = function() {
  const particles = %s;
  this.stemWord = function(w) {
    let word = w.toLowerCase();
    let changed = true;
    while (changed) {
      changed = false;
      for (const particle of particles) {
        if (word.length > particle.length && word.endsWith(particle)) {
          word = word.slice(0, word.length - particle.length);
          changed = true;
          break;
        }
      }
    }
    return word;
  };
};
""" % json.dumps(PARTICLES, ensure_ascii=False)  # noqa: UP031 (JavaScript braces)


class SearchKorean(SearchLanguage):
    """Sphinx search for Korean: words are ``\\w+`` runs (as in English), stemmed by :func:`korean_stem`."""

    lang = "ko"
    language_name = "Korean"
    js_stemmer_code = JS_STEMMER

    def stem(self, word: str) -> str:
        return korean_stem(word)


def other_edition_link(pagename: str, language: str) -> tuple[str, str, str]:
    """Return (relative URL, hreflang, link text) of the same page in the other edition.

    Examples
    --------
    >>> other_edition_link("book/01_design", "en")
    ('../ko/book/01_design.html', 'ko', '한국어')
    >>> other_edition_link("book/01_design", "ko")
    ('../../book/01_design.html', 'en', 'English')
    >>> other_edition_link("search", "ko")
    ('../search.html', 'en', 'English')
    """
    up = "../" * pagename.count("/")
    if language == "ko":
        return f"{up}../{pagename}.html", "en", "English"
    return f"{up}ko/{pagename}.html", "ko", "한국어"


def _add_language_switch(app: Any, pagename: str, templatename: str, context: dict, doctree: Any) -> None:
    if app.builder.format != "html":
        return
    language = app.config.language or "en"
    href, hreflang, text = other_edition_link(pagename, language)
    label = "Read this page in Korean" if language != "ko" else "이 페이지를 영어로 읽기"
    context["metatags"] = (
        context.get("metatags", "") + f'\n<link rel="alternate" hreflang="{hreflang}" href="{href}" />'
    )
    # The link's accessible name is its visible text (한국어 / English, marked with its language); the
    # title adds a tooltip and the <nav> landmark is named "Language" / "언어".
    switch = (
        f'<nav class="dlnotes-language-switch" aria-label="{"Language" if language != "ko" else "언어"}">'
        f'<a href="{href}" hreflang="{hreflang}" lang="{hreflang}" title="{label}">{text}</a></nav>\n'
    )
    if "body" in context and templatename == "page.html":
        context["body"] = switch + context["body"]
    else:  # search, genindex, py-modindex render no body: put the switch in when the page is written
        app.env.dlnotes_switches = getattr(app.env, "dlnotes_switches", {})
        app.env.dlnotes_switches[pagename] = switch


def _add_switch_to_special_pages(app: Any, exc: Exception | None) -> None:
    """Insert the language switch into the pages that have no document body (search, indices)."""
    if exc is not None or app.builder.format != "html":
        return
    for pagename, switch in getattr(app.env, "dlnotes_switches", {}).items():
        page = Path(app.outdir) / f"{pagename}.html"
        if not page.exists():
            continue
        text = page.read_text(encoding="utf-8")
        if "dlnotes-language-switch" in text:
            continue
        for anchor in ('<article class="bd-article">', '<div class="bd-search-container">'):
            if anchor in text:
                text = text.replace(
                    anchor, anchor + "\n" + switch if anchor.startswith("<article") else switch + anchor, 1
                )
                page.write_text(text, encoding="utf-8")
                break


def _set_language_tag(app: Any, config: Any) -> None:
    """In the Korean build: set the tag lang_ko, and take the book's title from the intro's catalogue.

    The title in _config.yml is also the intro's heading, so its translation is in book/intro.po.
    """
    if (config.language or "en") != "ko":
        return
    app.tags.add("lang_ko")
    # the toggle of hidden cells (the book hides whole cells, tag hide-cell: "Show code cell content")
    config.nb_code_prompt_show = "코드 셀 내용 보기"
    config.nb_code_prompt_hide = "코드 셀 내용 숨기기"
    from babel.messages.pofile import read_po

    po = Path(app.srcdir) / "locales" / "ko" / "LC_MESSAGES" / "book" / "intro.po"
    if po.exists():
        with po.open("rb") as source:
            message = read_po(source).get(config.html_title)
        if message is not None and message.string and not message.fuzzy:
            config.html_title = message.string


def _keep_docstrings_english(doctree: Any) -> None:
    """Mark the text autodoc generates from docstrings as not translatable (the API page stays English).

    Also mark images so that only their alt text is a message, not their file (the outputs are the
    same bits in both editions).
    """
    from docutils import nodes
    from sphinx import addnodes

    for image in doctree.findall(nodes.image):
        image["translatable"] = False

    for desc in doctree.findall(addnodes.desc):
        for node in desc.findall(nodes.Element):
            node["translatable"] = False
    for node in doctree.findall(nodes.TextElement):
        if ":docstring of " in (node.source or ""):
            node["translatable"] = False


UNTRANSLATED_REPORT = "untranslated-ko.json"


def _catalogue(srcdir: Path, docname: str) -> dict[str, str]:
    """The usable translations of a page's catalogue (empty and fuzzy ones left out), as Sphinx sees them."""
    from babel.messages.pofile import read_po

    po = srcdir / "locales" / "ko" / "LC_MESSAGES" / f"{docname}.po"
    if not po.exists():
        return {}
    with po.open("rb") as source:
        return {m.id: m.string for m in read_po(source) if m.id and m.string and not m.fuzzy}


def _make_transforms() -> Any:
    from sphinx.transforms import SphinxTransform
    from sphinx.util.nodes import extract_messages

    class RecordUntranslated(SphinxTransform):
        """Before Sphinx translates a page (its Locale transform runs at priority 20), keep the docstrings
        English and, in the Korean build, record every message of the page that its catalogue does not
        translate. tests/test_translations.py fails on any (`make translations` then marks them)."""

        default_priority = 10

        def apply(self, **kwargs: Any) -> None:
            _keep_docstrings_english(self.document)
            if (self.config.language or "en") != "ko":
                return
            translations = _catalogue(Path(self.env.srcdir), self.env.docname)
            missing = sorted(
                {msg for _node, msg in extract_messages(self.document) if msg not in translations}
            )
            if not hasattr(self.env, "dlnotes_untranslated"):
                self.env.dlnotes_untranslated = {}
            self.env.dlnotes_untranslated[self.env.docname] = missing

    class RecordUnapplied(SphinxTransform):
        """After Sphinx translated a page: record every message that has a translation but is still English
        on the page, because Sphinx could not apply it (e.g. a heading whose msgstr "1. 학습" MyST reads as
        a numbered list; write "1\\. 학습")."""

        default_priority = 25

        def apply(self, **kwargs: Any) -> None:
            _restore_heading_anchors(self.document, self.env)
            if (self.config.language or "en") != "ko":
                return
            translations = _catalogue(Path(self.env.srcdir), self.env.docname)
            unapplied = sorted(
                {
                    f"(translation not applied) {msg}"
                    for node, msg in extract_messages(self.document)
                    if translations.get(msg, msg) != msg and not node.get("translated")
                }
            )
            if unapplied:
                self.env.dlnotes_untranslated.setdefault(self.env.docname, []).extend(unapplied)

    return RecordUntranslated, RecordUnapplied


def _restore_heading_anchors(document: Any, env: Any) -> None:
    """Give the page back the MyST heading anchors of its own source, after Sphinx translated it.

    Sphinx parses each msgstr as a small document with the page's parser. A title that is not a section's
    (an admonition's, e.g. chapter 4's aside) gets a ``====`` underline to be parsed as a title, so MyST sees
    a heading there and, when it finishes that small document, stores its one slug as the page's
    ``myst_slugs`` (``env.metadata[docname]``), replacing the page's own. Links to the page's sections
    (``04_tips.ipynb#42-tip-1-normalise-the-inputs`` in the summary) then fail with "local id not found".
    The page's own slugs are still on its document (MyST keeps them as ``document.myst_slugs``).
    """
    if not hasattr(document, "myst_slugs") or env.docname not in env.metadata:
        return
    if document.myst_slugs:
        env.metadata[env.docname]["myst_slugs"] = document.myst_slugs
    else:
        env.metadata[env.docname].pop("myst_slugs", None)


def _purge_untranslated(app: Any, env: Any, docname: str) -> None:
    getattr(env, "dlnotes_untranslated", {}).pop(docname, None)


def _merge_untranslated(app: Any, env: Any, docnames: Any, other: Any) -> None:
    if not hasattr(env, "dlnotes_untranslated"):
        env.dlnotes_untranslated = {}
    env.dlnotes_untranslated.update(
        {d: m for d, m in getattr(other, "dlnotes_untranslated", {}).items() if d in docnames}
    )


def _write_untranslated_report(app: Any, exc: Exception | None) -> None:
    """Write _build/untranslated-ko.json: {page: [English messages with no Korean translation]}."""
    if exc is not None or app.builder.format != "html" or (app.config.language or "en") != "ko":
        return
    report = {
        d: m
        for d, m in sorted(getattr(app.env, "dlnotes_untranslated", {}).items())
        if d in app.env.found_docs and m
    }
    path = Path(app.srcdir) / "_build" / UNTRANSLATED_REPORT
    path.write_text(json.dumps(report, ensure_ascii=False, indent=1) + "\n", encoding="utf-8")
    if report:
        from sphinx.util import logging

        count = sum(len(m) for m in report.values())
        logging.getLogger(__name__).info(
            "Korean edition: %d message(s) have no Korean translation (listed in _build/%s); "
            "run `make translations` and translate them (TRANSLATING.md)",
            count,
            UNTRANSLATED_REPORT,
        )


def _korean_theme_strings_first(app: Any) -> None:
    """Read locales/ko/LC_MESSAGES/booktheme.po before sphinx-book-theme's own Korean catalogue.

    (The theme's catalogue translates "By" as "으로"; Sphinx would only add ours as a fallback.)
    """
    if (app.config.language or "en") != "ko":
        return
    import sphinx_book_theme
    from babel.messages.mofile import write_mo
    from babel.messages.pofile import read_po
    from sphinx import locale

    ours = Path(app.srcdir) / "locales"
    po = ours / "ko" / "LC_MESSAGES" / "booktheme.po"
    with po.open("rb") as source, po.with_suffix(".mo").open("wb") as target:
        write_mo(target, read_po(source, locale="ko"))
    theirs = Path(sphinx_book_theme.__file__).parent / "theme" / "sphinx_book_theme" / "static" / "locales"
    locale.translators.pop(("general", "booktheme"), None)
    locale.init([str(ours), str(theirs)], "ko", "booktheme")


# Theme words written into templates without gettext; replaced in the Korean pages once they are written.
UNTRANSLATABLE_THEME_STRINGS = {
    'title="Toggle primary sidebar"': 'title="왼쪽 사이드바 열기/닫기"',
    'aria-label="Toggle primary sidebar"': 'aria-label="왼쪽 사이드바 열기/닫기"',
    'title="Toggle secondary sidebar"': 'title="오른쪽 사이드바 열기/닫기"',
    'aria-label="Toggle secondary sidebar"': 'aria-label="오른쪽 사이드바 열기/닫기"',
    'aria-label="Main"': 'aria-label="목차"',
    'aria-label="Page"': 'aria-label="페이지"',
    # the theme option search_bar_text, which the theme does not pass through gettext
    'placeholder="Search this book..."': 'placeholder="이 책에서 검색..."',
    'aria-label="Search this book..."': 'aria-label="이 책에서 검색..."',
}


def _translate_fixed_theme_strings(app: Any, exc: Exception | None) -> None:
    if exc is not None or app.builder.format != "html" or (app.config.language or "en") != "ko":
        return
    for page in Path(app.outdir).rglob("*.html"):
        text = page.read_text(encoding="utf-8")
        new = text
        for english, korean in UNTRANSLATABLE_THEME_STRINGS.items():
            new = new.replace(english, korean)
        if new != text:
            page.write_text(new, encoding="utf-8")


def setup(app: Any) -> dict[str, Any]:
    _glue_in_translated_messages()
    app.add_search_language(SearchKorean)
    app.connect("builder-inited", _korean_theme_strings_first)
    app.connect("build-finished", _translate_fixed_theme_strings)
    app.connect("config-inited", _set_language_tag, priority=100)  # before myst-nb reads its nb_ settings
    for transform in _make_transforms():
        app.add_transform(transform)
    app.connect("env-purge-doc", _purge_untranslated)
    app.connect("env-merge-info", _merge_untranslated)
    app.connect("build-finished", _write_untranslated_report)
    app.connect("html-page-context", _add_language_switch)
    app.connect("build-finished", _add_switch_to_special_pages)
    return {"parallel_read_safe": True, "parallel_write_safe": True}


def _glue_in_translated_messages() -> None:
    """Sphinx parses each translated message (msgstr) as a small document of its own, which lacks myst-nb's
    notebook renderer, so a {glue:text} role in a msgstr would find no glue data and paste nothing. Fall back
    to the page's glue cache (``<output_folder>/<docname>.glue.json``, written when the notebook was read)."""
    import json as _json

    from myst_nb.core.variables import RetrievalError, VariableOutput
    from myst_nb.ext.glue import roles, utils

    original = utils.retrieve_glue_data

    def retrieve(document: Any, key: str) -> Any:
        if "nb_renderer" in document:
            return original(document, key)
        env = getattr(document.settings, "env", None)
        if env is None:
            return original(document, key)
        path = Path(env.mystnb_config.output_folder, f"{env.docname}.glue.json")
        data = _json.loads(path.read_text(encoding="utf-8")) if path.exists() else {}
        if key not in data:
            raise RetrievalError(f"No key {key!r} found in glue data for this document.")
        return VariableOutput(
            data=data[key]["data"], metadata=data[key].get("metadata", {}), nb_renderer=None, vtype="glue"
        )

    roles.retrieve_glue_data = retrieve
