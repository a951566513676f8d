"""Open the built book in headless Chromium through Playwright, offline, and audit it with axe-core.

Shared by the browser tests (``tests/test_browser.py`` and ``tests/test_browser_ko.py``): the helpers
``pages()``, ``Reader.open()`` and ``axe_violations()``. The fixtures ``browser`` and ``reader`` built
on them live in ``tests/conftest.py``, so that a session has one Chromium: a fixture imported into two
test modules is two fixtures, and a second synchronous Playwright cannot start in a process where the
first still runs (they failed so when xdist put both modules in one worker).

- ``browser`` (one per test session): Debian's ``chromium`` (or ``$DLNOTES_CHROMIUM``) launched by
  Playwright with ``executable_path``, so Playwright's own browser download is never needed. Without
  Chromium the tests are skipped locally and fail when ``CI`` is set.
- ``reader`` (one per test module): a tab at 1366x900 in light mode whose every request to another
  host is refused and recorded; ``reader.open(url)`` loads a page, waits for its maths to be typeset
  and its network to go quiet, and returns what went wrong (remote or failed requests, console errors
  and warnings, uncaught exceptions).
- ``Reader(browser, dark=True)`` (or ``viewport=..., device_scale_factor=2``) opens another such tab,
  e.g. in dark mode or zoomed to 200 %; close it with ``.close()``. ``served()`` serves the build on
  the loopback for a test that needs a real origin (a remembered choice in localStorage);
  ``Reader(browser, local=base)`` then accepts that server's requests too.

The HTML is read from ``$DLNOTES_HTML_DIR``, by default ``_build/html``; every ``*.html`` under it is
a page (both editions once ``_build/html/ko/`` exists), except Sphinx's asset folders.

Screenshots (``screenshot()``) are pictures for a human to look at, never a check: they are taken only
when ``DLNOTES_SCREENSHOTS=1`` is set (``make screenshots``), into ``tests/screenshots/`` (git-ignored).
A full-page one took 3-17 s a page (issue 30's CI time), and nothing a test asserts reads them.
"""

from __future__ import annotations

import contextlib
import functools
import json
import os
import re
import shutil
import threading
import time
from collections.abc import Iterator
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
HTML_DIR = Path(os.environ.get("DLNOTES_HTML_DIR", ROOT / "_build" / "html")).resolve()
SCREENSHOTS = ROOT / "tests" / "screenshots"
SCREENSHOTS_ENV = "DLNOTES_SCREENSHOTS"  # "1": the browser tests save their screenshots too
VIEWPORT = {"width": 1366, "height": 900}
PAGE_TIMEOUT_MS = 30_000  # for one page to load, typeset its maths and go quiet
SKIP_DIRS = {"_static", "_sources", "_images", "_downloads"}
LAUNCH_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--no-default-browser-check",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--disable-extensions",
    "--disable-default-apps",
    "--mute-audio",
    "--hide-scrollbars",
    "--force-color-profile=srgb",
    "--lang=en-US",
    # No network even for what Playwright's routing does not see: every host name fails to resolve
    # and every proxied request goes to a closed port.
    "--host-resolver-rules=MAP * ~NOTFOUND",
    "--proxy-server=http://127.0.0.1:9",
    "--proxy-bypass-list=<-loopback>",
]
# The same for a Chromium that must reach a server of ours on 127.0.0.1 (served(), make tensorboard;
# loopback_chromium()): that address alone gets through the host rules and the closed proxy (its tabs
# still refuse every other request: Reader with local=, or the test's own route).
LOOPBACK_LAUNCH_ARGS = [
    *(arg for arg in LAUNCH_ARGS if not arg.startswith(("--host-resolver-rules=", "--proxy-bypass-list="))),
    "--host-resolver-rules=MAP * ~NOTFOUND, EXCLUDE 127.0.0.1",
    "--proxy-bypass-list=<-loopback>;127.0.0.1",
]
# WCAG 2.1 levels A and AA, as axe-core tags its rules.
WCAG_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]
LOCAL_SCHEMES = ("file:", "data:", "blob:", "about:")


def pages() -> list[str]:
    """Every HTML page of the build, relative to HTML_DIR, in a stable order."""
    if not HTML_DIR.is_dir():
        return []
    return sorted(
        p.relative_to(HTML_DIR).as_posix()
        for p in HTML_DIR.rglob("*.html")
        if not SKIP_DIRS & set(p.relative_to(HTML_DIR).parts[:-1])
    )


def require_build() -> None:
    if not (HTML_DIR / "index.html").is_file():
        pytest.fail(
            f"no built book in {HTML_DIR}: run `make book` first (or set DLNOTES_HTML_DIR)", pytrace=False
        )


def url(page: str, query: str = "") -> str:
    """The file:// URL of a built page (relative to HTML_DIR)."""
    return (HTML_DIR / page).as_uri() + query


class _QuietHandler(SimpleHTTPRequestHandler):
    def log_message(self, format: str, *args) -> None:  # noqa: A002 - the base class's name
        pass


@contextlib.contextmanager
def served() -> Iterator[str]:
    """Serve HTML_DIR over HTTP on the loopback for the length of a ``with``; yield its base URL.

    For what a file:// page cannot be trusted with: Chromium did not always keep a file:// page's
    localStorage for the next page (in about 1 run in 10 here the next page found it empty, at times
    for good), so a test of a remembered choice reads the book from a real origin. Pass the base URL
    to ``Reader(browser, local=...)``, which otherwise refuses every request that is not a file, in a
    Chromium from :func:`loopback_chromium`.
    """
    handler = functools.partial(_QuietHandler, directory=str(HTML_DIR))
    server = ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_port}/"
    finally:
        server.shutdown()
        server.server_close()
        thread.join()


def screenshot(page, name: str, *, full_page: bool = False) -> None:
    """Save a Playwright page as ``tests/screenshots/<name>`` when ``DLNOTES_SCREENSHOTS=1``; else nothing.

    A picture for a human to look at: no test reads it, so a run without it checks the same.
    """
    if os.environ.get(SCREENSHOTS_ENV) != "1":
        return
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=SCREENSHOTS / name, full_page=full_page)


def chromium_path() -> str | None:
    for candidate in (os.environ.get("DLNOTES_CHROMIUM"), "chromium", "chromium-browser", "google-chrome"):
        if candidate and shutil.which(candidate):
            return shutil.which(candidate)
    return None


def loopback_chromium(browser):
    """A second Chromium from the session's Playwright (``browser``), offline like the first except
    for 127.0.0.1 (``LOOPBACK_LAUNCH_ARGS``); the caller closes it."""
    return browser.browser_type.launch(
        executable_path=chromium_path(), args=LOOPBACK_LAUNCH_ARGS, headless=True
    )


class Reader:
    """One Playwright tab with the network refused; records what goes wrong while a page is open."""

    def __init__(
        self,
        browser,
        *,
        dark: bool = False,
        viewport: dict | None = None,
        device_scale_factor: float = 1,
        local: str | None = None,
    ) -> None:
        self.dark = dark
        # what counts as reading the build from disk: files, and the loopback server of served()
        self.local = LOCAL_SCHEMES + ((local,) if local else ())
        self.context = browser.new_context(
            viewport=viewport or VIEWPORT,
            device_scale_factor=device_scale_factor,
            locale="en-US",
            color_scheme="dark" if dark else "light",
        )
        # The theme keeps the reader's colour mode in localStorage; set it before any page script runs.
        self.context.add_init_script(
            f"try {{ localStorage.setItem('mode', '{'dark' if dark else 'light'}'); }} catch (e) {{}}"
        )
        self.context.set_default_timeout(PAGE_TIMEOUT_MS)
        self.problems: dict[str, list[str]] = {}
        self.pending: set = set()  # requests started and not yet finished
        self.last_activity = time.monotonic()
        # Refuse every request that does not read the build from disk (only those are intercepted,
        # so the page's own files load at full speed).
        # (a regular expression: Playwright's driver matches it, so the page's own files never reach
        # Python; a Python predicate would route every request through this process)
        allowed = "|".join(re.escape(prefix) for prefix in self.local)
        self.context.route(re.compile(f"^(?!({allowed}))"), self._refuse)
        self.page = self.context.new_page()
        self.page.on("request", self._started)
        self.page.on("requestfinished", self._ended)
        self.page.on("requestfailed", self._failed)
        self.page.on("console", self._console)
        self.page.on("pageerror", lambda error: self._record("exceptions", str(error)))

    def _record(self, kind: str, what: str) -> None:
        self.problems.setdefault(kind, []).append(what)

    def _started(self, request) -> None:
        self.pending.add(request)
        self.last_activity = time.monotonic()
        if not request.url.startswith(self.local):
            self._record("remote requests", request.url)

    def _ended(self, request) -> None:
        self.pending.discard(request)
        self.last_activity = time.monotonic()

    def _failed(self, request) -> None:
        self._ended(request)
        self._record("failed requests", f"{request.url} ({request.failure})")

    @staticmethod
    def _refuse(route) -> None:  # recorded by _started
        route.abort("internetdisconnected")

    def _console(self, message) -> None:
        if message.type in ("error", "assert", "warning"):
            location = message.location or {}
            self._record("console errors and warnings", f"{message.text} {location.get('url', '')}".strip())

    def open(self, address: str, redirects: bool = False) -> dict[str, list[str]]:
        """Load a page, wait until its maths is typeset and its network quiet; return what went wrong.

        With ``redirects``, wait for the page (e.g. index.html's meta refresh) to lead to another one.
        """
        self.problems, self.pending = {}, set()
        self.page.goto(address, wait_until="load")
        if redirects:
            self.page.wait_for_url(lambda now: now != address)
            self.page.wait_for_load_state("load")
        self.page.evaluate(
            "async () => {"
            " if (window.MathJax && MathJax.startup && MathJax.startup.promise)"
            "   await MathJax.startup.promise;"
            " await document.fonts.ready; return true; }"
        )
        self.wait_until_quiet()
        return self.report()

    def wait_until_quiet(self, quiet: float = 0.5) -> None:
        """Wait until no request has started or ended for `quiet` seconds; record what never ended."""
        deadline = time.monotonic() + PAGE_TIMEOUT_MS / 1000
        while self.pending or time.monotonic() - self.last_activity < quiet:
            if time.monotonic() > deadline:
                self._record("requests still pending", ", ".join(sorted(r.url for r in self.pending)))
                return
            self.page.wait_for_timeout(100)

    def report(self) -> dict[str, list[str]]:
        """What went wrong since the last ``open``, each kind sorted and without repeats."""
        return {kind: sorted(set(found)) for kind, found in self.problems.items() if found}

    def close(self) -> None:
        self.context.close()


def axe_violations(
    page,
    context: dict | str | None = None,
    rules: list[str] | None = None,
    *,
    without: list[str] | None = None,
) -> list[str]:
    """Run axe-core (bundled by axe-playwright-python) on a Playwright page; one line per failing element.

    Audits WCAG 2.1 A and AA (``WCAG_TAGS``), or only ``rules`` if given, leaving out the rules
    ``without`` names, within ``context`` (axe's include/exclude selectors; the whole document by
    default).
    """
    from axe_playwright_python.sync_playwright import Axe

    if not page.evaluate("typeof window.axe !== 'undefined'"):
        page.evaluate(Axe().axe_script)
    run_only = {"type": "rule", "values": rules} if rules else {"type": "tag", "values": WCAG_TAGS}
    # preload: axe would fetch every style sheet again by XMLHttpRequest (for one rule, orientation
    # lock), which Chromium refuses on file:// pages and logs as console errors; that rule is then
    # left "incomplete" (tests/test_browser.py checks the style sheets for orientation locks itself).
    options = {"runOnly": run_only, "resultTypes": ["violations"], "preload": False}
    if without:
        options["rules"] = {rule: {"enabled": False} for rule in without}
    results = page.evaluate(
        "([context, options]) => axe.run(context || document, options)", [context, options]
    )
    found = []
    for violation in results["violations"]:
        for node in violation["nodes"]:
            html = re.sub(r"\s+", " ", node["html"])[:160]
            found.append(
                f"{violation['id']} ({violation['impact']}): {' '.join(map(str, node['target']))} "
                f"{html} -- {violation['help']}"
            )
    return found


def dumps(problems: dict) -> str:
    return json.dumps(problems, indent=2, ensure_ascii=False)
