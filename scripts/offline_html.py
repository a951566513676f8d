"""A Sphinx extension that keeps the built book readable with no network at all.

The HTML book must work when opened from disk (``file://``) on a machine that is offline, so no page
may load anything from another host. Jupyter Book 1.x always loads ``sphinx_thebe``, which puts a
script on every page that knows a CDN address for the "live code" feature; the book does not use
that feature (its launch buttons are off), so this extension removes those scripts. MathJax is
served from the build itself by the ``sphinx-mathjax-offline`` extension (pinned in
``requirements.txt``).

As a guard, when the build finishes the extension reads every written page and warns (an error
under ``-W``) about any element that would fetch a resource from another host: ``<script src>``,
``<link href>`` (style sheets, fonts, icons), ``<img>``, ``<iframe>``, ``<source>``, ``<video>``,
``<audio>``. Ordinary hyperlinks (``<a href="https://...">``) are fine: they load nothing until
clicked. The browser test (``tests/test_browser.py``) checks the same in a real, offline browser.
"""

from __future__ import annotations

import re
import time
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
NON_LOADING_LINK_RELS = {"canonical", "alternate", "author", "help", "license", "next", "prev", "search",
                         "index", "top", "up", "first", "last", "copyright", "glossary"}
REMOTE = re.compile(r"^\s*(?:[a-z][a-z0-9+.-]*:)?//", re.IGNORECASE)


class _RemoteResourceFinder(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.found: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        names = RESOURCE_ATTRIBUTES.get(tag)
        if not names:
            return
        values = dict(attrs)
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
    if "script_files" in context:
        context["script_files"] = [js for js in context["script_files"] if not _is_thebe_script(js)]
    if "css_files" in context:
        context["css_files"] = [css for css in context["css_files"]
                                if not str(getattr(css, "filename", "")).endswith("sphinx-thebe.css")]


def _drop_thebe_config(app: Any, doctree: Any, docname: str) -> None:
    from docutils import nodes

    for node in list(doctree.findall(nodes.raw)):
        if "text/x-thebe-config" in node.astext() or node.astext().startswith("<script>kernelName ="):
            node.parent.remove(node)


def _note_build_start(app: Any) -> None:
    app.offline_html_started = time.time() - 1  # a second of slack for coarse file-system clocks


def _check_no_remote_resources(app: Any, exc: Exception | None) -> None:
    """Warn about every remote resource on the pages this build wrote (not stale ones of older builds)."""
    if exc is not None or app.builder.format != "html":
        return
    from sphinx.util import logging

    logger = logging.getLogger(__name__)
    outdir = Path(app.outdir)
    started = getattr(app, "offline_html_started", 0)
    for page in sorted(outdir.rglob("*.html")):
        if page.stat().st_mtime < started:
            continue
        for element in remote_resources(page.read_text(encoding="utf-8")):
            logger.warning("%s loads %s from another host; the book must work offline",
                           page.relative_to(outdir).as_posix(), element)


def setup(app: Any) -> dict[str, Any]:
    app.connect("html-page-context", _drop_thebe_assets, priority=900)
    app.connect("builder-inited", _note_build_start)
    app.connect("doctree-resolved", _drop_thebe_config, priority=900)
    app.connect("build-finished", _check_no_remote_resources, priority=900)
    return {"parallel_read_safe": True, "parallel_write_safe": True}
