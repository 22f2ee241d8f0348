"""The built book in a real browser: headless Chromium (tests/support/browser.py) opens every page of
_build/html, served on 127.0.0.1, with every other address blocked. A page fails on a request that leaves the
machine, a console error, a local request that fails, an image that does not load or has no alternative text,
math that MathJax did not render, or an internal link to a missing page or anchor. Screenshots of the landing
page, a chapter and an assignment page go to _build/screenshots/ (printed by the test). On each week's quiz page
every self-check question is answered wrong (each wrong choice, each catalogued slip, a number far off, a word
instead of a number) and right, and each message and explanation is read. `make test` builds the book first.
"""

import re
from pathlib import Path
from urllib.parse import unquote, urlsplit

import pytest

from autograder.course import REPO
from autograder.quizzes.banks import load_bank, quiz_names
from autograder.quizzes.draws import read_draw
from tests.support.browser import SCREENSHOTS, OfflineBrowser, PageReport, chromium_browser, serve

pytestmark = pytest.mark.slow
HTML = REPO / "_build" / "html"
SCREENSHOT_PAGES = {
    "landing": "index.html",
    "chapter": "book/week1/02_edge_detection.html",
    "assignment": "book/assignments/w1a1_conv_numpy.html",
}


def broken_links(reports: dict[str, PageReport], root: Path, base: str) -> list[str]:
    """Return every internal link (page or #anchor) that points nowhere, as 'page -> link'."""
    local = urlsplit(base).netloc
    # Anchors are known for the pages visited at their own address (not through a redirect or a query).
    ids_by_path = {r.page: r.ids for r in reports.values() if urlsplit(r.url).path.lstrip("/") == r.page}
    problems = []
    for report in reports.values():
        for link in report.links:
            parts = urlsplit(link)
            if parts.scheme not in ("http", "https") or parts.netloc != local:
                continue  # external links are not followed (the network is off), mailto: and friends
            path = unquote(parts.path).lstrip("/")
            if path == "" or path.endswith("/"):
                path += "index.html"
            if not (root / path).is_file():
                problems.append(f"{report.page} -> {link} (no such file)")
            elif parts.fragment and path in ids_by_path and unquote(parts.fragment) not in ids_by_path[path]:
                problems.append(f"{report.page} -> {link} (no such anchor)")
    return problems


def html_pages(root: Path) -> list[str]:
    """Return every page of a built site: its .html files outside _static, _sources and _downloads."""
    return sorted(
        p.relative_to(root).as_posix() for p in root.rglob("*.html") if not p.relative_to(root).parts[0].startswith("_")
    )


@pytest.fixture(scope="module")
def chromium():
    with chromium_browser() as browser:
        yield browser


@pytest.fixture(scope="module")
def book(chromium):
    """Visit every page of the built book once; return (reports by page, base URL)."""
    if not (HTML / "index.html").is_file():
        pytest.fail("the book is not built: run `make book` (or `make test`, which builds it first)")
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    with serve(HTML) as base:
        browser = OfflineBrowser(chromium, base, root=HTML)
        reports = {}
        for page in html_pages(HTML):
            reports[page] = browser.visit(page)
            for name, shot in SCREENSHOT_PAGES.items():
                if shot == page:
                    take_screenshot(browser.page, name)
        # The search page runs its index in the browser: results must appear with the network off.
        reports["search.html?q=padding"] = browser.visit("search.html?q=padding", wait_for="ul.search li")
        browser.close()
        yield reports, base
    total = sum(r.seconds for r in reports.values())
    slowest = ", ".join(f"{r.page} {r.seconds:.1f} s" for r in sorted(reports.values(), key=lambda r: -r.seconds)[:3])
    print(f"\nvisited {len(reports)} pages in {total:.1f} s (slowest: {slowest}); screenshots in {SCREENSHOTS}")


def take_screenshot(page, name: str) -> None:
    """Save the page as _build/screenshots/<name>.png (the whole landing and assignment page, a chapter's top)."""
    path = SCREENSHOTS / f"{name}.png"
    if name == "chapter":
        page.set_viewport_size({"width": 1280, "height": 2000})
        page.screenshot(path=path, animations="disabled")
        page.set_viewport_size({"width": 1280, "height": 900})
    else:
        page.screenshot(path=path, full_page=True, animations="disabled")


def test_every_page_loads_offline_without_errors(book):
    reports, _ = book
    problems = [f"{page}: {problem}" for page, r in reports.items() for problem in r.problems]
    assert not problems, "\n".join(problems)


def test_the_browser_visited_every_page_of_the_table_of_contents(book):
    reports, _ = book
    toc = (REPO / "_toc.yml").read_text()
    pages = re.findall(r"^\s*(?:root|- file):\s*(\S+)", toc, flags=re.M)
    assert pages, "no page found in _toc.yml"
    missing = [f"{page}.html" for page in pages if f"{page}.html" not in reports]
    assert not missing, f"pages of _toc.yml the browser did not visit: {missing}"


def test_internal_links_and_anchors_resolve(book):
    reports, base = book
    problems = broken_links(reports, HTML, base)
    assert not problems, "broken internal links:\n" + "\n".join(problems)


def test_math_and_figures_are_rendered_where_the_chapters_have_them(book):
    reports, _ = book
    chapters = [p for p in reports if p.startswith("book/week")]
    assert chapters, "no chapter pages were visited"
    without_math = [p for p in chapters if reports[p].math == 0]
    assert not without_math, f"chapter pages without any rendered formula: {without_math}"
    assert sum(reports[p].images for p in chapters) >= len(chapters), "the chapters show almost no figures"


def test_search_finds_pages_offline(book):
    reports, _ = book
    assert "search.html?q=padding" in reports and not reports["search.html?q=padding"].problems


def test_screenshots_are_saved(book):
    for name in SCREENSHOT_PAGES:
        path = SCREENSHOTS / f"{name}.png"
        assert path.is_file() and path.stat().st_size > 20_000, f"screenshot {path} is missing or blank"
    print(f"\nscreenshots: {', '.join(str(SCREENSHOTS / f'{n}.png') for n in SCREENSHOT_PAGES)}")


def test_a_solution_opens_on_click(chromium):
    """The exercises' solutions are folded; a click on "Solution" shows the worked answer, math typeset."""
    with serve(HTML) as base:
        browser = OfflineBrowser(chromium, base, root=HTML)
        browser.visit("book/week1/01_why_convolutions.html")
        dropdown = browser.page.locator("details.sd-dropdown").first
        body = dropdown.locator(".sd-summary-content")
        assert "Solution" in dropdown.locator("summary").inner_text()
        assert not body.is_visible(), "the solution is shown before the reader asks for it"
        dropdown.locator("summary").click()
        body.wait_for(state="visible", timeout=5_000)
        assert body.locator("mjx-container").count() > 0, "the opened solution shows no typeset math"
        browser.close()


BROKEN_SITE = {
    "index.html": """<!doctype html><html><head><title>broken</title></head><body><main>
        <p>Cost: $x + 1$ and \\(y\\) typed by hand.</p>
        <span class="math">\\(z\\)</span>
        <img src="missing.png" alt="a figure that is not there">
        <img src="pixel.svg">
        <img src="https://example.org/remote.png" alt="a picture from another site">
        <a href="nowhere.html">a page that does not exist</a>
        <a href="index.html#no-such-anchor">an anchor that does not exist</a>
        <script>console.error("boom")</script>
        </main></body></html>""",
    "pixel.svg": '<svg xmlns="http://www.w3.org/2000/svg" width="1" height="1"/>',
}


def test_the_checks_catch_a_broken_page(chromium, tmp_path):
    """The harness itself: a page with every kind of fault must be reported for each of them."""
    for name, text in BROKEN_SITE.items():
        (tmp_path / name).write_text(text)
    with serve(tmp_path) as base:
        browser = OfflineBrowser(chromium, base, root=tmp_path)
        report = browser.visit("index.html")
        links = broken_links({"index.html": report}, tmp_path, base)
        browser.close()
    found = "\n".join(report.problems + links)
    for expected in [
        "network request outside the machine: https://example.org/remote.png",
        "console error: boom",
        "HTTP 404",
        "image does not load: missing.png",
        "image without alternative text: pixel.svg",
        "math not rendered by MathJax: \\(z\\)",
        "raw TeX left in the text",
        "nowhere.html (no such file)",
        "#no-such-anchor (no such anchor)",
    ]:
        assert expected in found, f"the harness missed {expected!r}; it reported:\n{found}"


# --- The weeks' self-check quizzes ---------------------------------------------------------------------------------


def quiz_pages() -> list[tuple[str, str]]:
    """Return (page, quiz id) of every week's quiz page."""
    return [(f"book/week{quiz[1:-5]}/quiz.html", quiz) for quiz in quiz_names()]


def feedback_after(box, action) -> str:
    """Do `action` in a question's box, press Check, and return the feedback line it shows."""
    action()
    box.locator(".quiz-check").click()
    return box.locator(".quiz-feedback").inner_text().strip()


def retry(box) -> None:
    """Press Try again and wait until the question is open again."""
    box.locator(".quiz-retry").click()
    box.locator(".quiz-check:not([disabled])").wait_for(timeout=5_000)


def pick(box, letters) -> None:
    """Tick exactly `letters` among a choice question's inputs."""
    for choice in box.locator(".quiz-choice input").all():
        choice.set_checked(choice.get_attribute("value") in letters)


def wrong_sets(question: dict) -> list[set[str]]:
    """Return the wrong answers a reader might give to a choice question: each wrong letter (with the right ones,
    for a several-choice question), and the right set less one."""
    letters = "ABCDEFGH"[: len(question["choices"])]
    right = {letter for letter, c in zip(letters, question["choices"]) if c["correct"]}
    wrong = [letter for letter in letters if letter not in right]
    if question["kind"] == "single":
        return [{letter} for letter in wrong]
    return [right | {wrong[0]}, right - {sorted(right)[0]}]


def answer_every_question(page, quiz: str) -> list[str]:
    """Answer every self-check question of a quiz page wrong, then right; return what did not behave."""
    problems = []
    drawn = set(read_draw(quiz).questions)
    questions = [q for q in load_bank(quiz)["questions"] if q["id"] not in drawn]
    boxes = page.locator(".self-check-quiz .quiz-question")
    if boxes.count() != len(questions):
        return [f"{quiz}: the page shows {boxes.count()} questions, the bank leaves {len(questions)} to it"]
    for question in questions:
        box = page.locator(f".quiz-question#{question['id']}")
        qid, seen = question["id"], []
        if question["kind"] in ("single", "multiple"):
            letters = "ABCDEFGH"[: len(question["choices"])]
            right = {letter for letter, c in zip(letters, question["choices"]) if c["correct"]}
            for wrong in wrong_sets(question):
                seen.append(("wrong", feedback_after(box, lambda: pick(box, wrong))))
                reasons = box.locator(".quiz-why")
                if not all(
                    reasons.nth(k).is_visible() and reasons.nth(k).inner_text().strip() for k in range(len(letters))
                ):
                    problems.append(f"{qid}: after a wrong answer, not every choice shows why it is right or wrong")
                retry(box)
            seen.append(("right", feedback_after(box, lambda: pick(box, right))))
        else:
            field = box.locator(".quiz-number input")
            seen.append(("form", feedback_after(box, lambda: field.fill("twelve"))))
            for k, slip in enumerate(question["wrong_answers"]):
                seen.append(("slip", feedback_after(box, lambda: field.fill(repr(slip["value"])))))
                if not box.locator(".quiz-wrong-why").nth(k).is_visible():
                    problems.append(f"{qid}: the slip {slip['value']} does not show its explanation")
                retry(box)
            far = question["answer"] + 1000 * (question["tolerance"] + 1)
            seen.append(("wrong", feedback_after(box, lambda: field.fill(repr(far)))))
            retry(box)
            seen.append(("right", feedback_after(box, lambda: field.fill(repr(question["answer"])))))
        if not box.locator(".quiz-explanation").is_visible():
            problems.append(f"{qid}: the explanation is not shown after answering")
        expected = {"right": "Right", "wrong": "Not quite", "slip": "common slip", "form": "Write a number"}
        for what, text in seen:
            if expected[what] not in text:
                problems.append(f"{qid}: a {what} answer showed {text!r}, not {expected[what]!r}")
        retry(box)
    return problems


@pytest.mark.parametrize("page, quiz", quiz_pages())
def test_a_quiz_page_judges_every_question_offline(chromium, page, quiz):
    """Every self-check question answered wrong (each catalogued slip, a wrong choice) and right, in the page."""
    with serve(HTML) as base:
        browser = OfflineBrowser(chromium, base, root=HTML)
        report = browser.visit(page, wait_for=".quiz-question.quiz-ready")
        problems = answer_every_question(browser.page, quiz) + list(browser.events)
        browser.close()
    assert not report.problems and not problems, "\n".join(report.problems + problems)
