"""A Sphinx extension for the Korean edition's bilingual reading mode (issue 28, part 3).

Korean engineers move on to English documentation and papers, so the Korean edition can show, under each
Korean paragraph, heading and caption, the English it was translated from: its *English twin*. The twins
come from the same catalogues as the Korean text (``locales/ko/LC_MESSAGES``), nothing is written twice:

* :class:`RecordEnglish` runs just before Sphinx's ``Locale`` transform (priority 20), which replaces each
  translatable node's children with its msgstr, and keeps a copy of every paragraph, title and caption
  as it is then: in English, the msgid.
* :class:`AttachTwins` runs right after it: every such node that ``Locale`` translated (and whose text
  changed) gets its English copy as the next sibling, a ``<p class="dl-twin" lang="en">`` rendered with
  the same inline markup (code, emphasis, links, maths). Ids are dropped from the copy (no duplicate ids)
  and it is marked not translatable (so nothing counts it as an untranslated message).
* Glossary terms: every link to a term of ``book/glossary.md`` (``{term}``) is wrapped so that hovering
  or focusing it shows "학습률 (learning rate)", a ``role="tooltip"`` the link names with
  ``aria-describedby``. The pairs are read from the glossary itself at build time: the English term and
  the first Korean term of its definition (TRANSLATING.md, "Terms").
* ``bilingual.css`` and ``bilingual.js`` (``scripts/bilingual_static/``, no CDN, works from ``file://``)
  hide the twins until the reader presses the toggle the script puts beside the language switch, or
  Alt+B; the choice is remembered in ``localStorage`` where the browser allows it.

All of it only when ``language == "ko"``: the English edition is built exactly as without the extension
(the static files are not even copied there). ``tests/test_bilingual.py`` checks it in Chromium.
"""

from __future__ import annotations

import html
import re
from pathlib import Path
from typing import Any

from docutils import nodes

STATIC = Path(__file__).resolve().parent / "bilingual_static"
TWIN_CLASS = "dl-twin"
# the nodes that get a twin: what a reader sees as a paragraph, a heading or a figure's caption
TWINNED = (nodes.paragraph, nodes.title, nodes.caption)


def _is_korean_build(config: Any) -> bool:
    return (config.language or "en") == "ko"


# --- the glossary's pairs --------------------------------------------------------------------------


def glossary_pairs(text: str) -> dict[str, str]:
    """English term -> its first Korean term, from the ``{glossary}`` block of ``book/glossary.md``.

    Each entry is one or more unindented term lines, then an indented definition that starts with the
    Korean terms and a full stop ("유닛, 뉴런 (neuron). One output ..."). The Korean term is the first of
    them, without a parenthesised gloss (TRANSLATING.md: one Korean term per concept, the first one).

    Examples
    --------
    >>> glossary_pairs("```{glossary}\\nunit\\n  유닛, 뉴런 (neuron). One output.\\n\\n"
    ...                "learning rate\\n  학습률. The step size.\\n```")
    {'unit': '유닛', 'learning rate': '학습률'}
    """
    start = text.find("```{glossary}")
    if start < 0:
        return {}
    block = text[start + len("```{glossary}") :]
    block = block[: block.find("```")] if "```" in block else block
    pairs: dict[str, str] = {}
    terms: list[str] = []  # the term lines of the entry being read
    defined = False  # whether that entry's definition has begun
    for line in block.splitlines():
        if not line.strip():
            continue
        if not line[0].isspace():  # a term line: another term of this entry, or a new entry
            if defined:
                terms, defined = [], False
            terms.append(line.strip())
        elif terms and not defined:  # the first line of the definition
            defined = True
            korean = line.strip().split(". ", 1)[0].rstrip(".")
            korean = re.sub(r"\s+\([^)]*\)", "", korean.split(",")[0]).strip()
            pairs.update(dict.fromkeys(terms, korean))
    return pairs


def tooltip_text(english: str, korean: str) -> str:
    """The words a glossary link shows on hover or focus.

    >>> tooltip_text("learning rate", "학습률")
    '학습률 (learning rate)'
    """
    return f"{korean} ({english})"


# --- the twins -------------------------------------------------------------------------------------


class paragraph(nodes.paragraph, nodes.Invisible):  # noqa: N801 (the name writers dispatch on)
    """An English twin: written as a paragraph (``<p>``), since docutils' visitors dispatch on the class
    name, but *invisible* to the checks that look for a list item's one paragraph, so a list whose items
    hold a paragraph and its twin is still a "simple" (compact) list, as it is without twins. Being
    invisible also keeps it out of the translatable messages (Sphinx's ``IGNORED_NODES``)."""


EnglishTwin = paragraph


def english_twin(original: nodes.Element) -> EnglishTwin:
    """A ``<p class="dl-twin" lang="en">`` holding a copy of `original`'s (English) inline content.

    The copy keeps the inline markup but no ids or names (the Korean node keeps those) and no targets.
    """
    twin = EnglishTwin("", "", *[child.deepcopy() for child in original.children])
    twin["classes"] = [TWIN_CLASS, "language-en"]  # docutils writes language-en as lang="en"
    twin.source, twin.line = original.source, original.line
    for target in list(twin.findall(nodes.target)):
        target.parent.remove(target)
    for node in twin.findall(nodes.Element):
        node["ids"], node["names"] = [], []
    return twin


def _make_transforms() -> tuple[type, type]:
    from sphinx.transforms import SphinxTransform
    from sphinx.util.nodes import extract_messages

    class RecordEnglish(SphinxTransform):
        """Before ``Locale`` (priority 20): keep a copy of every paragraph, title and caption in English."""

        default_priority = 18

        def apply(self, **kwargs: Any) -> None:
            if not _is_korean_build(self.config):
                return
            self.document.dl_english = [
                (node, node.deepcopy())
                for node, _msg in extract_messages(self.document)
                if isinstance(node, TWINNED)
            ]

    class AttachTwins(SphinxTransform):
        """After ``Locale``: put the English copy of each translated node right after it."""

        default_priority = 21

        def apply(self, **kwargs: Any) -> None:
            recorded = self.document.__dict__.pop("dl_english", None)
            if not recorded:
                return
            for node, english in recorded:
                if not node.get("translated") or node.parent is None or node.astext() == english.astext():
                    continue
                node.parent.insert(node.parent.index(node) + 1, english_twin(english))

    return RecordEnglish, AttachTwins


# --- the glossary tooltips -------------------------------------------------------------------------

TERM_LINK = re.compile(
    r'<a class="reference internal" href="(?P<href>[^"]*#(?P<id>term-[^"]+))">'
    r'(?P<inner><span class="xref std std-term">.*?</span>)</a>'
)


def add_term_tooltips(body: str, labels: dict[str, str]) -> str:
    """Wrap every glossary link of a page's HTML in a ``dl-term`` span with its tooltip.

    `labels` maps a term's anchor (``term-learning-rate``) to its tooltip text.

    >>> add_term_tooltips('<a class="reference internal" href="glossary.html#term-epoch">'
    ...                   '<span class="xref std std-term">에포크</span></a>를', {"term-epoch": "에포크 (epoch)"})
    ... # doctest: +NORMALIZE_WHITESPACE
    '<span class="dl-term"><a class="reference internal" href="glossary.html#term-epoch"
    aria-describedby="dl-term-tip-1"><span class="xref std std-term">에포크</span></a><span
    class="dl-term-tip" role="tooltip" id="dl-term-tip-1" lang="ko">에포크 (<span
    lang="en">epoch</span>)</span></span>를'
    """
    count = 0

    def wrap(match: re.Match[str]) -> str:
        nonlocal count
        label = labels.get(match["id"])
        if label is None:
            return match[0]
        count += 1
        tip = f"dl-term-tip-{count}"
        korean, _, english = label.rpartition(" (")
        text = f'{html.escape(korean)} (<span lang="en">{html.escape(english[:-1])}</span>)'
        return (
            f'<span class="dl-term"><a class="reference internal" href="{match["href"]}" '
            f'aria-describedby="{tip}">{match["inner"]}</a>'
            f'<span class="dl-term-tip" role="tooltip" id="{tip}" lang="ko">{text}</span></span>'
        )

    return TERM_LINK.sub(wrap, body)


def _term_labels(app: Any) -> dict[str, str]:
    """Each glossary term's anchor -> "학습률 (learning rate)", from the glossary and Sphinx's std domain."""
    cached = getattr(app, "dl_term_labels", None)
    if cached is not None:
        return cached
    glossary = Path(app.srcdir) / "book" / "glossary.md"
    pairs = glossary_pairs(glossary.read_text(encoding="utf-8")) if glossary.exists() else {}
    by_lower = {english.lower(): (english, korean) for english, korean in pairs.items()}
    labels: dict[str, str] = {}
    for (kind, name), (_docname, labelid) in app.env.get_domain("std").objects.items():
        if kind == "term" and name.lower() in by_lower:
            english, korean = by_lower[name.lower()]
            labels[labelid] = tooltip_text(english, korean)
    app.dl_term_labels = labels
    return labels


def _add_tooltips(app: Any, pagename: str, templatename: str, context: dict, doctree: Any) -> None:
    if app.builder.format != "html" or not _is_korean_build(app.config) or "body" not in context:
        return
    context["body"] = add_term_tooltips(context["body"], _term_labels(app))


# --- set-up ----------------------------------------------------------------------------------------


def _add_static_files(app: Any) -> None:
    """In the Korean build only: serve and load bilingual.css and bilingual.js."""
    if app.builder.format != "html" or not _is_korean_build(app.config):
        return
    app.config.html_static_path.append(str(STATIC))
    app.add_css_file("bilingual.css")
    app.add_js_file("bilingual.js")


def setup(app: Any) -> dict[str, Any]:
    record, attach = _make_transforms()
    app.add_transform(record)
    app.add_transform(attach)
    app.connect("builder-inited", _add_static_files)
    app.connect("html-page-context", _add_tooltips)
    return {"version": "1.0", "parallel_read_safe": True, "parallel_write_safe": True}
