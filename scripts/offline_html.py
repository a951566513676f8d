"""A Sphinx extension that keeps the built book readable with no network at all.

The HTML book must work when opened from disk (``file://``) on a machine that is offline, so no page
may load anything from another host. Jupyter Book 1.x always loads ``sphinx_thebe``, which puts a
script on every page that knows a CDN address for the "live code" feature; the book does not use
that feature (its launch buttons are off), so this extension removes those scripts. MathJax is
served from the build itself by the ``sphinx-mathjax-offline`` extension (pinned in
``requirements.txt``).

As a guard, when the build finishes the extension reads every page this build wrote (recorded from
Sphinx's ``html-page-context`` event, not guessed from file times) and every style sheet in the
output, and warns (an error under ``-W``) about anything that would fetch a resource from another
host: ``<script src>``, ``<link href>`` (style sheets, fonts, icons), ``<img>``, ``<iframe>``,
``<source>``, ``<video>``, ``<audio>``, a CSS ``url(...)`` or ``@import`` (in ``.css`` files,
``<style>`` blocks and ``style=`` attributes) and a remote address loaded by an inline script.
Ordinary hyperlinks (``<a href="https://...">``) are fine: they load nothing until clicked. If the
build wrote pages but no sphinx-thebe asset was found to remove, sphinx-thebe has changed how it
adds them and this extension would silently do nothing: that is an error too. The browser test
(``tests/test_browser.py``) checks the same in a real, offline browser.
"""

from __future__ import annotations

import re
from html.parser import HTMLParser
from pathlib import Path
from typing import Any

# Attributes through which an element fetches a resource when the page loads.
RESOURCE_ATTRIBUTES = {
    "script": ("src",),
    "link": ("href",),
    "img": ("src", "srcset"),
    "iframe": ("src",),
    "source": ("src", "srcset"),
    "video": ("src", "poster"),
    "audio": ("src",),
    "embed": ("src",),
    "object": ("data",),
}
# <link rel="..."> values that only name a related page and load nothing.
NON_LOADING_LINK_RELS = {
    "canonical",
    "alternate",
    "author",
    "help",
    "license",
    "next",
    "prev",
    "search",
    "index",
    "top",
    "up",
    "first",
    "last",
    "copyright",
    "glossary",
}
REMOTE = re.compile(r"^\s*(?:[a-z][a-z0-9+.-]*:)?//", re.IGNORECASE)
# CSS that loads something: url(...) (fonts, images) and @import "..." / @import url(...).
CSS_URL = re.compile(r"""url\(\s*(['"]?)([^'")]*)\1\s*\)|@import\s+(['"])([^'"]*)\3""", re.IGNORECASE)
# An inline script that loads an address: src=, import(...), importScripts(...), fetch(...), new Worker(...).
SCRIPT_LOAD = re.compile(
    r"""(?:\.src\s*=|import\s*\(|importScripts\s*\(|fetch\s*\(|Worker\s*\(|\bimport\b[^;'"]*\bfrom)\s*(['"`])((?:https?:)?//[^'"`]+)\1""",
    re.IGNORECASE,
)


def css_remote_urls(css: str) -> list[str]:
    """The remote addresses a style sheet would load.

    >>> css_remote_urls('@import url("https://fonts.example.org/a.css"); b { background: url(../img/x.png) }')
    ['https://fonts.example.org/a.css']
    >>> css_remote_urls("@import '//cdn.example.org/b.css'; i { src: url(//cdn.example.org/f.woff2) }")
    ['//cdn.example.org/b.css', '//cdn.example.org/f.woff2']
    """
    found = []
    for match in CSS_URL.finditer(css):
        url = match.group(2) if match.group(2) is not None else match.group(4)
        if url and REMOTE.match(url):
            found.append(url.strip())
    return found


def script_remote_loads(js: str) -> list[str]:
    """The remote addresses an inline script would load.

    >>> script_remote_loads('var s = document.createElement("script"); s.src = "https://cdn.example.org/t.js";')
    ['https://cdn.example.org/t.js']
    >>> script_remote_loads('const docs = "https://example.org/help"; // a link, loaded by nobody')
    []
    """
    return [match.group(2) for match in SCRIPT_LOAD.finditer(js)]


class _RemoteResourceFinder(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.found: list[str] = []
        self._inline: str | None = None  # "script" or "style" while inside an inline one

    def handle_data(self, data: str) -> None:
        if self._inline == "style":
            self.found.extend(f"<style> url {url!r}" for url in css_remote_urls(data))
        elif self._inline == "script":
            self.found.extend(f"<script> loading {url!r}" for url in script_remote_loads(data))

    def handle_endtag(self, tag: str) -> None:
        if tag == self._inline:
            self._inline = None

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        values = dict(attrs)
        if values.get("style"):
            self.found.extend(f"<{tag} style> url {url!r}" for url in css_remote_urls(values["style"] or ""))
        if tag == "style" or (tag == "script" and not values.get("src")):
            self._inline = tag
        names = RESOURCE_ATTRIBUTES.get(tag)
        if not names:
            return
        if tag == "link":
            rels = set((values.get("rel") or "").lower().split())
            if rels and rels <= NON_LOADING_LINK_RELS:
                return
        for name in names:
            value = values.get(name) or ""
            urls = [part.strip().split(" ")[0] for part in value.split(",")] if name == "srcset" else [value]
            self.found.extend(f"<{tag} {name}={url!r}>" for url in urls if REMOTE.match(url))


def remote_resources(html: str) -> list[str]:
    """Return the elements of an HTML page that would load a resource from another host.

    Examples
    --------
    >>> remote_resources('<script src="https://cdn.example.org/x.js"></script><a href="https://a.b">a</a>')
    ["<script src='https://cdn.example.org/x.js'>"]
    >>> remote_resources('<link rel="stylesheet" href="../_static/a.css"><img src="//cdn.example.org/p.png">')
    ["<img src='//cdn.example.org/p.png'>"]
    >>> remote_resources('<link rel="canonical" href="https://example.org/book/">')
    []
    >>> remote_resources('<style>@import "https://fonts.example.org/f.css";</style><p style="x">a</p>')
    ["<style> url 'https://fonts.example.org/f.css'"]
    """
    finder = _RemoteResourceFinder()
    finder.feed(html)
    finder.close()
    return finder.found


def _is_thebe_script(js: Any) -> bool:
    filename = str(getattr(js, "filename", "") or "")
    body = str(getattr(js, "attributes", {}).get("body", ""))
    return filename.endswith("sphinx-thebe.js") or "THEBE_JS_URL" in body


def _drop_thebe_assets(app: Any, pagename: str, templatename: str, context: dict, doctree: Any) -> None:
    app.offline_html_pages.add(pagename)
    if "script_files" in context:
        kept = [js for js in context["script_files"] if not _is_thebe_script(js)]
        app.offline_html_thebe_dropped += len(context["script_files"]) - len(kept)
        context["script_files"] = kept
    if "css_files" in context:
        context["css_files"] = [
            css
            for css in context["css_files"]
            if not str(getattr(css, "filename", "")).endswith("sphinx-thebe.css")
        ]


def _drop_thebe_config(app: Any, doctree: Any, docname: str) -> None:
    from docutils import nodes

    for node in list(doctree.findall(nodes.raw)):
        if "text/x-thebe-config" in node.astext() or node.astext().startswith("<script>kernelName ="):
            node.parent.remove(node)


def _note_build_start(app: Any) -> None:
    app.offline_html_pages = set()  # the pages this build writes, from html-page-context
    app.offline_html_thebe_dropped = 0


def _check_no_remote_resources(app: Any, exc: Exception | None) -> None:
    """Warn about every remote resource on the pages this build wrote (not stale ones of older builds)."""
    if exc is not None or app.builder.format != "html":
        return
    from sphinx.errors import ExtensionError
    from sphinx.util import logging

    logger = logging.getLogger(__name__)
    outdir = Path(app.outdir)
    pages = sorted(app.offline_html_pages)
    if pages and "sphinx_thebe" in app.extensions and app.offline_html_thebe_dropped == 0:
        raise ExtensionError(
            f"offline_html: this build wrote {len(pages)} page(s) but found no sphinx-thebe script to remove; "
            "sphinx-thebe has changed how it adds its assets, so scripts/offline_html.py must be updated"
        )
    for pagename in pages:
        page = Path(app.builder.get_outfilename(pagename))
        for element in remote_resources(page.read_text(encoding="utf-8")):
            logger.warning(
                "%s loads %s from another host; the book must work offline",
                page.relative_to(outdir).as_posix(),
                element,
            )
    for sheet in sorted(outdir.rglob("*.css")):
        for url in css_remote_urls(sheet.read_text(encoding="utf-8", errors="replace")):
            logger.warning(
                "%s loads %s from another host; the book must work offline",
                sheet.relative_to(outdir).as_posix(),
                url,
            )


def setup(app: Any) -> dict[str, Any]:
    app.connect("html-page-context", _drop_thebe_assets, priority=900)
    app.connect("builder-inited", _note_build_start)
    app.connect("doctree-resolved", _drop_thebe_config, priority=900)
    app.connect("build-finished", _check_no_remote_resources, priority=900)
    # The pages written are recorded in this process, so parallel writing (-j) would hide some of them.
    return {"parallel_read_safe": True, "parallel_write_safe": False}
