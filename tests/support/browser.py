"""Headless Chromium for the browser tests (Debian's package, driven by Playwright), offline: every request that
would leave the machine is blocked and reported, with the other faults a reader would see (script errors, failed
local requests, broken images, math MathJax did not typeset). Used by the book's, JupyterLab's and the feedback
pages' browser tests.
"""

import functools
import http.server
import re
import threading
import time
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlsplit

import playwright.sync_api as playwright  # pinned in requirements.txt; drives Debian's Chromium
import pytest

from autograder.course import REPO

SCREENSHOTS = REPO / "_build" / "screenshots"
CHROMIUM = "/usr/bin/chromium"
# Root needs --no-sandbox; the rest stop Chromium's own calls home (updates, sync, field trials, QUIC probes).
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
    "--disable-quic",
    "--disable-default-apps",
    "--disable-extensions",
    "--metrics-recording-only",
    "--disable-domain-reliability",
]
# Runs in the page once it has loaded: waits for MathJax, forces every image to decode, and reports
# what a reader would see as broken. Text inside code, scripts and MathJax output is not prose.
INSPECT_PAGE = r"""
async () => {
  if (window.MathJax && MathJax.startup && MathJax.startup.promise) { await MathJax.startup.promise; }
  const images = [...document.images];
  const broken = [];
  await Promise.all(images.map(async (img) => {
    img.loading = "eager";
    try { await img.decode(); } catch (e) { broken.push(img.getAttribute("src")); }
  }));
  const withoutAlt = images.filter((img) => {
    const alt = (img.getAttribute("alt") || "").trim();
    const file = (img.getAttribute("src") || "").split("?")[0].split("/").pop();
    return alt.length < 10 || alt === file || /\.(png|jpe?g|gif|svg|webp)$/i.test(alt);
  }).map((img) => img.getAttribute("src"));
  const unrendered = [...document.querySelectorAll(".math")]
    .filter((el) => !el.querySelector("mjx-container")).map((el) => el.textContent.trim().slice(0, 80));
  const mathErrors = [...document.querySelectorAll("mjx-merror, [data-mjx-error]")]
    .map((el) => el.getAttribute("data-mjx-error") || el.textContent.slice(0, 80));
  const prose = document.querySelector("main") || document.body || document.documentElement;
  const walker = document.createTreeWalker(prose, NodeFilter.SHOW_TEXT);
  const rawTex = [];
  for (let node = walker.nextNode(); node; node = walker.nextNode()) {
    // Search results quote the pages' source text (TeX included): they are excerpts, not typeset pages.
    if (node.parentElement.closest("pre, code, kbd, script, style, textarea, mjx-container, ul.search")) continue;
    const text = node.textContent;
    if (/\\\(|\\\)|\\\[|\\\]|\$\$|\$[^$\s][^$]*\$|\\begin\{/.test(text)) rawTex.push(text.trim().slice(0, 80));
  }
  return {
    url: location.href, broken, withoutAlt, unrendered, mathErrors, rawTex,
    links: [...document.querySelectorAll("a[href]")].map((a) => a.href),
    ids: [...document.querySelectorAll("[id]")].map((el) => el.id),
    images: images.length, math: document.querySelectorAll("mjx-container").length,
  };
}
"""


@dataclass
class PageReport:
    """What one page did in the browser."""

    page: str
    url: str = ""
    problems: list[str] = field(default_factory=list)
    links: list[str] = field(default_factory=list)
    ids: set[str] = field(default_factory=set)
    images: int = 0
    math: int = 0
    seconds: float = 0.0


class QuietHandler(http.server.SimpleHTTPRequestHandler):
    def log_message(self, *args):  # the test prints what matters
        pass


@contextmanager
def serve(root: Path):
    """Serve `root` on 127.0.0.1 (a free port) in a thread; yield its base URL."""
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), functools.partial(QuietHandler, directory=str(root)))
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_port}/"
    finally:
        server.shutdown()
        server.server_close()


class OfflineBrowser:
    """One headless Chromium page on which every request outside `base` is blocked and recorded."""

    def __init__(self, browser, base: str, root: Path):
        self.base, self.root = base, root  # root: the folder served at base
        self.local = urlsplit(base).netloc
        self.context = browser.new_context(viewport={"width": 1280, "height": 900}, service_workers="block")
        self.context.route("**/*", self._route)
        self.page = self.context.new_page()
        self.events: list[str] = []
        self.page.on("console", lambda m: m.type == "error" and self.events.append(f"console error: {m.text}"))
        self.page.on("pageerror", lambda e: self.events.append(f"script error: {e}"))
        self.page.on("requestfailed", self._failed)
        self.page.on("response", lambda r: r.status >= 400 and self.events.append(f"HTTP {r.status}: {r.url}"))

    def _route(self, route):
        url = route.request.url
        if urlsplit(url).netloc == self.local or url.startswith(("data:", "blob:", "about:", "file:")):
            route.continue_()
        else:
            self.events.append(f"network request outside the machine: {url}")
            route.abort("internetdisconnected")

    def _failed(self, request):
        # net::ERR_ABORTED is the browser cancelling a request it no longer needs (a font still loading when the
        # test moves on); a file the server lacks shows as an HTTP 404 response above.
        if urlsplit(request.url).netloc == self.local and request.failure != "net::ERR_ABORTED":
            self.events.append(f"request failed: {request.url} ({request.failure})")

    def inspect(self) -> dict:
        """Run INSPECT_PAGE in the page; if a late script navigated meanwhile, inspect where it went."""
        for attempt in range(3):
            try:
                return self.page.evaluate(INSPECT_PAGE)
            except playwright.Error as exc:
                if "Execution context was destroyed" not in str(exc) or attempt == 2:
                    raise
                self.page.wait_for_load_state("load")  # report.url then says where the page went

    def visit(self, page: str, wait_for: str | None = None) -> PageReport:
        """Open `page` (a path under the served root), wait for the `wait_for` selector, report what went wrong."""
        report = PageReport(page)
        self.events = []
        start = time.perf_counter()
        self.page.goto(self.base + page, wait_until="load")
        # index.html redirects to the landing page. Read that from the file: asked of the page, the answer
        # races the redirect, and inspecting a page that is navigating away fails.
        source = self.root / page.split("?")[0]
        if source.is_file() and re.search(r'http-equiv="refresh"', source.read_text(errors="replace"), re.I):
            self.page.wait_for_url(lambda url: url != self.base + page)
            self.page.wait_for_load_state("load")
        if wait_for:
            self.page.wait_for_selector(wait_for, timeout=20_000)
        seen = self.inspect()
        report.seconds = time.perf_counter() - start
        report.url, report.links, report.ids = seen["url"], seen["links"], set(seen["ids"])
        report.images, report.math = seen["images"], seen["math"]
        report.problems = list(self.events)
        report.problems += [f"image does not load: {src}" for src in seen["broken"]]
        report.problems += [f"image without alternative text: {src}" for src in seen["withoutAlt"]]
        report.problems += [f"math not rendered by MathJax: {tex}" for tex in seen["unrendered"]]
        report.problems += [f"MathJax error: {err}" for err in seen["mathErrors"]]
        report.problems += [f"raw TeX left in the text: {text!r}" for text in seen["rawTex"]]
        return report

    def close(self):
        self.context.close()


def launch_chromium(driver):
    """Return a headless Chromium launched by a Playwright driver; fail the test with the fix when it is missing."""
    if not Path(CHROMIUM).is_file():
        pytest.fail(f"{CHROMIUM} is missing: run `bash scripts/install-system-packages.sh` (as root) or `make install`")
    return driver.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)


@contextmanager
def chromium_browser():
    """Start headless Chromium once (launch_chromium) for the tests of a module."""
    with playwright.sync_playwright() as driver:
        browser = launch_chromium(driver)
        try:
            yield browser
        finally:
            browser.close()
