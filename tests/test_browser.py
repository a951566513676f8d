"""The book as a reader gets it: every built page, opened from disk in headless Chromium with no network.

Run after ``make book`` (``make test`` does both). The HTML is read from ``$DLNOTES_HTML_DIR``, by
default ``_build/html``. Each page is opened as a ``file://`` URL in a fresh headless Chromium whose
every request to another host is refused and recorded; a page fails on any such attempt, on any
request that fails (a missing image, style sheet or script), on any console error or uncaught
exception, on maths that MathJax did not typeset and on an image that did not load. A screenshot of
each page of the table of contents is saved in ``tests/screenshots/`` (git-ignored): the first screen
at 1366×900 and the full page.

Chromium is driven through the Chrome DevTools Protocol over a local websocket (``websocket-client``).
Without Chromium the browser tests are skipped locally (install it with
``sudo apt-get install chromium``) and fail when ``CI`` is set. The checks of the HTML itself (no
tracebacks or TensorFlow noise, internal links, notebook downloads) need no browser.
"""

from __future__ import annotations

import base64
import functools
import json
import os
import re
import shutil
import subprocess
import tempfile
import time
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import unquote, urldefrag, urlsplit

import pytest
import yaml

ROOT = Path(__file__).resolve().parent.parent
HTML_DIR = Path(os.environ.get("DLNOTES_HTML_DIR", ROOT / "_build" / "html")).resolve()
SCREENSHOTS = ROOT / "tests" / "screenshots"
VIEWPORT = {"width": 1366, "height": 900}
PAGE_TIMEOUT = 30.0  # seconds for one page to load, typeset its maths and go quiet
SKIP_DIRS = {"_static", "_sources", "_images", "_downloads"}
# Text that must never reach a reader: tracebacks, warnings and TensorFlow's start-up lines.
NOISE = re.compile(r"Traceback|Warning|absl|oneDNN|cuda|cuDNN|TF_ENABLE|tensorflow/core|WARNING:|E0000|I0000")
LAUNCH_FLAGS = [
    "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
    "--no-default-browser-check", "--disable-background-networking", "--disable-component-update",
    "--disable-sync", "--disable-extensions", "--disable-default-apps", "--mute-audio",
    "--hide-scrollbars", "--force-color-profile=srgb", "--lang=en-US",
    # No network: every host name fails to resolve and every proxied request goes to a closed port.
    "--host-resolver-rules=MAP * ~NOTFOUND", "--proxy-server=http://127.0.0.1:9",
    "--proxy-bypass-list=<-loopback>",
    "--remote-debugging-port=0", "--remote-debugging-address=127.0.0.1",
]


# ---------------------------------------------------------------------------------------------------
# the built pages


def _pages() -> list[str]:
    """Every HTML page of the build, relative to HTML_DIR, in a stable order."""
    if not HTML_DIR.is_dir():
        return []
    return sorted(p.relative_to(HTML_DIR).as_posix() for p in HTML_DIR.rglob("*.html")
                  if not SKIP_DIRS & set(p.relative_to(HTML_DIR).parts[:-1]))


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


def _require_build() -> None:
    if not (HTML_DIR / "index.html").is_file():
        pytest.fail(f"no built book in {HTML_DIR}: run `make book` first (or set DLNOTES_HTML_DIR)", pytrace=False)


PAGES = _pages() or ["<no built book>"]
TOC_PAGES = set(_toc_pages())
NOTEBOOK_PAGES = sorted(p for p in TOC_PAGES if (ROOT / p).with_suffix(".ipynb").is_file())


VOID_TAGS = {"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source", "track", "wbr"}


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


@functools.lru_cache(maxsize=None)
def _parse(page: str) -> _PageParser:
    parser = _PageParser()
    parser.feed((HTML_DIR / page).read_text(encoding="utf-8"))
    parser.close()
    return parser


def test_every_page_of_the_table_of_contents_is_built():
    _require_build()
    missing = sorted(TOC_PAGES - set(_pages()))
    assert not missing, f"pages in _toc.yml that the build did not write: {missing}"


@pytest.mark.parametrize("page", PAGES)
def test_page_shows_no_traceback_warning_or_tensorflow_noise(page):
    """No output a reader sees may carry a traceback, a warning or TensorFlow's log lines.

    The one exception is a warning a chapter shows on purpose: a cell that records it with
    ``warnings.catch_warnings(record=True)`` and prints its message may print "...Warning: ...".
    TensorFlow/absl log lines (``WARNING:tensorflow:...``) and stderr output are never allowed.
    """
    _require_build()
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
    _require_build()
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
        elif fragment and path.suffix == ".html" and unquote(fragment) not in _parse(
                path.relative_to(HTML_DIR).as_posix()).ids:
            broken.append(f"{link} (no anchor #{fragment})")
    assert not broken, f"{page} has broken links: {sorted(set(broken))}"


@pytest.mark.parametrize("page", NOTEBOOK_PAGES)
def test_notebook_pages_offer_their_ipynb_for_download(page):
    _require_build()
    source = ROOT / Path(page).with_suffix(".ipynb")
    html = (HTML_DIR / page).read_text(encoding="utf-8")
    name = source.name
    match = re.search(r'href="([^"]*_sources/[^"]*' + re.escape(name) + r')"', html)
    assert match, f"{page} has no download link for {name}"
    downloaded = ((HTML_DIR / page).parent / match.group(1)).resolve()
    assert downloaded.is_file(), f"{page}: the download link {match.group(1)} points to no file"
    notebook = json.loads(downloaded.read_text(encoding="utf-8"))
    assert notebook == json.loads(source.read_text(encoding="utf-8")), f"{page}: the downloaded {name} is stale"


def _offline_html():
    """scripts/offline_html.py, the build's own guard against remote resources."""
    import importlib.util

    spec = importlib.util.spec_from_file_location("offline_html", ROOT / "scripts" / "offline_html.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


@pytest.mark.parametrize("html, expected", [
    ('<script src="https://cdn.jsdelivr.net/npm/mathjax@3/es5/tex-mml-chtml.js"></script>',
     ["<script src='https://cdn.jsdelivr.net/npm/mathjax@3/es5/tex-mml-chtml.js'>"]),
    ('<link rel="stylesheet" href="//fonts.googleapis.com/css?family=Lato">',
     ["<link href='//fonts.googleapis.com/css?family=Lato'>"]),
    ('<img srcset="a.png 1x, https://example.org/b.png 2x">', ["<img srcset='https://example.org/b.png'>"]),
    ('<iframe src="HTTPS://example.org/"></iframe>', ["<iframe src='HTTPS://example.org/'>"]),
    ('<script src="../_static/mathjax/tex-chtml.js"></script><img src="../_images/a.png">', []),
    ('<a href="https://keras.io">Keras</a><link rel="canonical" href="https://example.org/">', []),
])
def test_build_guard_finds_resources_from_other_hosts(html, expected):
    assert _offline_html().remote_resources(html) == expected


def test_built_pages_load_nothing_from_other_hosts():
    _require_build()
    remote = {page: found for page in _pages()
              if (found := _offline_html().remote_resources((HTML_DIR / page).read_text(encoding="utf-8")))}
    assert not remote, f"pages that would load from another host: {remote}"


# ---------------------------------------------------------------------------------------------------
# a minimal Chrome DevTools Protocol client


def _chromium_path() -> str | None:
    for candidate in (os.environ.get("DLNOTES_CHROMIUM"), "chromium", "chromium-browser", "google-chrome"):
        if candidate and shutil.which(candidate):
            return shutil.which(candidate)
    return None


class Browser:
    """Headless Chromium with one tab, driven over the DevTools protocol, with every remote request refused."""

    def __init__(self, executable: str) -> None:
        import websocket  # websocket-client

        self.profile = tempfile.mkdtemp(prefix="dlnotes-chromium-")
        self.log = open(Path(self.profile) / "chromium.log", "w+b")  # noqa: SIM115 - closed in close()
        self.process = subprocess.Popen(
            [executable, *LAUNCH_FLAGS, f"--user-data-dir={self.profile}", "about:blank"],
            stdin=subprocess.DEVNULL, stdout=self.log, stderr=subprocess.STDOUT,
        )
        port_file = Path(self.profile) / "DevToolsActivePort"
        deadline = time.monotonic() + 30
        while not (port_file.is_file() and len(port_file.read_text().splitlines()) >= 2):
            if self.process.poll() is not None or time.monotonic() > deadline:
                self.log.seek(0)
                raise RuntimeError(f"Chromium did not start:\n{self.log.read().decode(errors='replace')[-3000:]}")
            time.sleep(0.05)
        port, path = port_file.read_text().splitlines()[:2]
        self.ws = websocket.create_connection(f"ws://127.0.0.1:{port}{path}", timeout=PAGE_TIMEOUT,
                                              suppress_origin=True, http_proxy_host=None)
        self.next_id = 0
        self.events: list[dict] = []
        target = self.call("Target.createTarget", url="about:blank")["targetId"]
        self.session = self.call("Target.attachToTarget", targetId=target, flatten=True)["sessionId"]
        for domain in ("Page", "Runtime", "Log", "Network"):
            self.call(f"{domain}.enable", session=True)
        # Pause every request; file:// ones go on, all others are refused and recorded (see _dispatch).
        self.call("Fetch.enable", session=True, patterns=[{"urlPattern": "*"}])
        self.call("Emulation.setDeviceMetricsOverride", session=True, deviceScaleFactor=1, mobile=False,
                  **VIEWPORT)

    # -- protocol plumbing ------------------------------------------------------------------------

    def _send(self, method: str, session: bool, params: dict) -> int:
        self.next_id += 1
        message = {"id": self.next_id, "method": method, "params": params}
        if session:
            message["sessionId"] = self.session
        self.ws.send(json.dumps(message))
        return self.next_id

    def _receive(self, deadline: float) -> dict | None:
        import websocket

        self.ws.settimeout(max(0.01, deadline - time.monotonic()))
        try:
            message = json.loads(self.ws.recv())
        except websocket.WebSocketTimeoutException:
            return None
        if "method" in message:
            self._dispatch(message)
        return message

    def _dispatch(self, event: dict) -> None:
        if event["method"] == "Fetch.requestPaused":
            params = event["params"]
            if params["request"]["url"].startswith("file://"):
                self._send("Fetch.continueRequest", True, {"requestId": params["requestId"]})
            else:
                self._send("Fetch.failRequest", True, {"requestId": params["requestId"],
                                                       "errorReason": "InternetDisconnected"})
        self.events.append(event)

    def call(self, method: str, session: bool = False, timeout: float = PAGE_TIMEOUT, **params) -> dict:
        sent = self._send(method, session, params)
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            message = self._receive(deadline)
            if message and message.get("id") == sent:
                if "error" in message:
                    raise RuntimeError(f"{method}: {message['error']}")
                return message.get("result", {})
        raise TimeoutError(f"{method}: no answer within {timeout} s")

    def evaluate(self, expression: str, timeout: float = PAGE_TIMEOUT):
        result = self.call("Runtime.evaluate", session=True, timeout=timeout, expression=expression,
                           awaitPromise=True, returnByValue=True)
        if "exceptionDetails" in result:
            raise RuntimeError(f"{expression!r} raised {result['exceptionDetails']}")
        return result["result"].get("value")

    def drain(self, seconds: float) -> None:
        deadline = time.monotonic() + seconds
        while time.monotonic() < deadline:
            self._receive(deadline)

    # -- pages ------------------------------------------------------------------------------------

    def open(self, url: str) -> dict:
        """Load a page, wait until it has typeset its maths and gone quiet; return what went wrong."""
        self.events.clear()
        self.call("Page.navigate", session=True, url=url)
        deadline = time.monotonic() + PAGE_TIMEOUT
        while not any(e["method"] == "Page.loadEventFired" for e in self.events):
            if time.monotonic() > deadline:
                raise TimeoutError(f"{url} did not finish loading within {PAGE_TIMEOUT} s")
            self._receive(deadline)
        self.evaluate("(async () => {"
                      " if (window.MathJax && MathJax.startup && MathJax.startup.promise)"
                      "   await MathJax.startup.promise;"
                      " await document.fonts.ready; return true; })()")
        self._wait_until_quiet(deadline)
        return self._problems()

    def _wait_until_quiet(self, deadline: float, quiet: float = 0.5) -> None:
        """Wait until no request has started or ended for `quiet` seconds."""
        pending: set[str] = set()
        last = time.monotonic()
        seen = 0
        while time.monotonic() < deadline:
            for event in self.events[seen:]:
                method, params = event["method"], event.get("params", {})
                if method == "Network.requestWillBeSent":
                    pending.add(params["requestId"])
                    last = time.monotonic()
                elif method in ("Network.loadingFinished", "Network.loadingFailed"):
                    pending.discard(params["requestId"])
                    last = time.monotonic()
            seen = len(self.events)
            if not pending and time.monotonic() - last >= quiet:
                return
            self._receive(min(deadline, time.monotonic() + 0.1))

    def _problems(self) -> dict:
        console = "console errors and warnings"
        problems: dict[str, list[str]] = {"remote requests": [], "failed requests": [], console: [],
                                          "exceptions": []}
        for event in self.events:
            method, params = event["method"], event.get("params", {})
            if method == "Fetch.requestPaused" and not params["request"]["url"].startswith("file://"):
                problems["remote requests"].append(params["request"]["url"])
            elif method == "Network.requestWillBeSent":
                url = params["request"]["url"]
                if not url.startswith(("file://", "data:", "blob:", "about:")):
                    problems["remote requests"].append(url)
            elif method == "Network.loadingFailed":
                problems["failed requests"].append(f"{params.get('errorText')} ({params['requestId']})")
            elif method == "Runtime.consoleAPICalled" and params["type"] in ("error", "assert", "warning"):
                text = " ".join(str(arg.get("value", arg.get("description", ""))) for arg in params["args"])
                problems[console].append(text)
            elif method == "Log.entryAdded" and params["entry"]["level"] in ("error", "warning"):
                entry = params["entry"]
                problems[console].append(f"{entry.get('text')} {entry.get('url', '')}".strip())
            elif method == "Runtime.exceptionThrown":
                details = params["exceptionDetails"]
                problems["exceptions"].append(
                    details.get("exception", {}).get("description") or details.get("text", "exception"))
        urls = {e["params"]["requestId"]: e["params"]["request"]["url"]
                for e in self.events if e["method"] == "Network.requestWillBeSent"}
        problems["failed requests"] = [re.sub(r"\((.+)\)$", lambda m: urls.get(m.group(1), m.group(1)), p)
                                       for p in problems["failed requests"]]
        return {kind: sorted(set(found)) for kind, found in problems.items() if found}

    def screenshot(self, path: Path, full_page: bool = False) -> tuple[int, int]:
        """Save the first screen, or the whole page laid out at the viewport's width; return the size."""
        width, height = VIEWPORT["width"], VIEWPORT["height"]
        if full_page:  # a window as tall as the page (a clip beyond the viewport shifts long pages sideways)
            height = max(height, int(self.evaluate("Math.ceil(document.documentElement.scrollHeight)")))
            self.call("Emulation.setDeviceMetricsOverride", session=True, width=width, height=height,
                      deviceScaleFactor=1, mobile=False)
            self.drain(0.2)
        try:
            data = self.call("Page.captureScreenshot", session=True, format="png")["data"]
        finally:
            if full_page:
                self.call("Emulation.setDeviceMetricsOverride", session=True, deviceScaleFactor=1, mobile=False,
                          **VIEWPORT)
        path.write_bytes(base64.b64decode(data))
        return width, height

    def close(self) -> None:
        try:
            self.ws.close()
        finally:
            self.process.terminate()
            try:
                self.process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()
            self.log.close()
            shutil.rmtree(self.profile, ignore_errors=True)


@pytest.fixture(scope="module")
def browser():
    _require_build()
    executable = _chromium_path()
    if executable is None:
        message = "Chromium is not installed; install it with `sudo apt-get install chromium` (Debian/Ubuntu)"
        if os.environ.get("CI"):
            pytest.fail(message + " — CI must install it (.ci/run does)", pytrace=False)
        pytest.skip(message)
    chromium = Browser(executable)
    yield chromium
    chromium.close()


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


def _screenshot_name(page: str) -> str:
    return Path(page).with_suffix("").as_posix().replace("/", "_")


@pytest.mark.parametrize("page", PAGES)
def test_page_loads_offline_without_errors(browser, page):
    path = HTML_DIR / page
    problems = browser.open(path.as_uri())
    state = browser.evaluate(PAGE_STATE)
    if _parse(page).refresh:  # index.html redirects to the first page; it must land on a real page
        assert state["href"] != path.as_uri(), f"{page} did not redirect"
    if state["math"]:
        if state["typeset"] < state["math"]:
            problems["maths not typeset"] = [f"{state['typeset']} of {state['math']} formulas"]
        if state["mathErrors"]:
            problems["maths errors"] = [f"{state['mathErrors']} formulas MathJax could not read"]
    if state["badImages"]:
        problems["images not shown"] = state["badImages"]
    if state["fontsFailed"]:
        problems["fonts not loaded"] = state["fontsFailed"]
    if page in TOC_PAGES:
        SCREENSHOTS.mkdir(parents=True, exist_ok=True)
        browser.screenshot(SCREENSHOTS / f"{_screenshot_name(page)}.png")
        browser.screenshot(SCREENSHOTS / f"{_screenshot_name(page)}_full.png", full_page=True)
    assert not problems, f"{page} opened offline in Chromium: " + json.dumps(problems, indent=2)


# Code cells (hidden solutions opened) and display formulas that do not fit their box at 1366x900.
TOO_WIDE = """(() => {
  document.querySelectorAll('details').forEach(d => { d.open = true; });
  const longest = text => text.split('\\n').reduce((a, b) => (b.length > a.length ? b : a), '');
  return {
    code: [...document.querySelectorAll('.cell_input pre')]
      .filter(pre => pre.scrollWidth > pre.clientWidth + 1).map(pre => longest(pre.textContent)),
    maths: [...document.querySelectorAll('div.math mjx-container')]
      .filter(m => m.scrollWidth > m.parentElement.clientWidth + 1)
      .map(m => (m.getAttribute('aria-label') || m.textContent).slice(0, 80)),
  };
})()"""


@pytest.mark.parametrize("page", NOTEBOOK_PAGES)
def test_code_and_maths_fit_a_laptop_screen(browser, page):
    """No code cell or formula needs a horizontal scroll bar at 1366x900: code lines of 88 characters fit."""
    problems = browser.open((HTML_DIR / page).as_uri())
    too_wide = browser.evaluate(TOO_WIDE)
    assert not problems, f"{page} opened offline in Chromium: " + json.dumps(problems, indent=2)
    assert not too_wide["code"], (
        f"{page}: {len(too_wide['code'])} code cell(s) wider than the page at 1366x900; their longest "
        "lines (wrap them at 88 characters):\n" + "\n".join(f"  {len(line):3d} chars: {line}"
                                                          for line in too_wide["code"]))
    assert not too_wide["maths"], f"{page}: formulas wider than the page (split them): {too_wide['maths']}"


def test_search_works_offline(browser):
    """The search page finds a word of the book from disk, with no network and no console error."""
    problems = browser.open((HTML_DIR / "search.html").as_uri() + "?q=loss")
    deadline = time.monotonic() + PAGE_TIMEOUT
    found = 0
    while time.monotonic() < deadline:
        found = browser.evaluate("document.querySelectorAll('#search-results li').length")
        status = browser.evaluate("(document.querySelector('#search-results p') || {}).textContent || ''")
        if found or "did not match" in status:
            break
        browser.drain(0.2)
    browser.drain(0.5)
    problems.update({k: v for k, v in browser._problems().items() if v})
    assert found, "searching the book for 'loss' found nothing"
    assert not problems, "search.html?q=loss: " + json.dumps(problems, indent=2)
