"""The feedback page a student gets back (autograder/feedback_pages.py): each test named by its function with its
points and, in words, the hidden tests' verdict and the visible check's message; in the browser, like the book's
pages, its formulas typeset by the MathJax inlined in the page, with no request leaving the machine, served or opened
as a file. The graded pages come from the exchange round trip (conftest.py)."""

import nbformat
import pytest

from autograder.feedback_pages import DescribeTests, inline_mathjax
from cnnbook.checks import SUCCESS_LINE, UNGRADED_FAILURE
from tests.support.browser import SCREENSHOTS, OfflineBrowser, chromium_browser, serve
from tests.support.grading import points_per_test

A = "w1a1_conv_numpy"
GRADED = [name.removeprefix("test_") for name in points_per_test(A)]


def graded_test_cell(grade_id: str, score: float, points: float, outputs: list[dict]) -> nbformat.NotebookNode:
    """Return a graded test cell with nbgrader's metadata (as GetGrades leaves it) and `outputs`."""
    cell = nbformat.v4.new_code_cell(f"check_{grade_id.removeprefix('test_')}(...)")
    cell.metadata["nbgrader"] = {"grade": True, "solution": False, "grade_id": grade_id, "points": points}
    cell.metadata["nbgrader"]["score"] = score
    cell.outputs = [nbformat.from_dict(o) for o in outputs]
    return cell


def stream(text: str) -> dict:
    return {"output_type": "stream", "name": "stdout", "text": text}


def error(ename: str, evalue: str) -> dict:
    return {"output_type": "error", "ename": ename, "evalue": evalue, "traceback": [f"{ename}: {evalue}"]}


def describe(cell: nbformat.NotebookNode) -> dict:
    cell, _ = DescribeTests().preprocess_cell(cell, {}, 0)
    return cell


def test_a_passed_test_says_so_and_keeps_other_outputs():
    cell = describe(
        graded_test_cell(
            "test_zero_pad", 1, 1, [stream(SUCCESS_LINE.format(function="zero_pad") + "\n"), stream("a print\n")]
        )
    )
    summary = cell.metadata["course_feedback"]
    assert summary["function"] == "zero_pad" and summary["passed"] and summary["summary"] == "passed"
    assert summary["visible"] == "passed." and summary["hidden"].startswith("passed")
    assert [o["text"] for o in cell.outputs] == ["a print\n"], "the outputs put in words leave the cell; others stay"


def test_a_failed_test_gives_the_hidden_and_the_visible_message_in_words():
    hidden = (
        "conv_forward: the bias is missing: every Z[i, h, w, c] gets b[0, 0, 0, c] added.\n  (hidden test case: m=2)"
    )
    visible = "conv_forward: the bias is missing.\n  (case: m=3)\n"
    cell = describe(
        graded_test_cell(
            "test_conv_forward", 0, 3, [error("AssertionError", hidden), stream(UNGRADED_FAILURE + visible)]
        )
    )
    summary = cell.metadata["course_feedback"]
    assert not summary["passed"] and (summary["score"], summary["points"]) == (0, 3)
    assert summary["hidden"] == hidden and summary["visible"] == visible.strip()
    assert summary["summary"] == hidden.splitlines()[0]
    assert cell.outputs == []


def test_a_cell_that_stopped_says_the_hidden_tests_could_not_run():
    cell = describe(graded_test_cell("test_zero_pad", 0, 1, [error("NameError", "name 'zero_pad' is not defined")]))
    summary = cell.metadata["course_feedback"]
    assert "stopped with NameError: name 'zero_pad' is not defined" in summary["hidden"]
    assert "did not run to the end" in summary["visible"]


def describe_question(cell: nbformat.NotebookNode) -> dict:
    cell, _ = DescribeTests(unit="question").preprocess_cell(cell, {}, 0)
    return cell.metadata["course_feedback"]


def test_a_quiz_question_speaks_of_the_answer_and_its_form():
    right = describe_question(graded_test_cell("test_q01", 1, 1, []))
    assert right["function"] == "q01" and right["passed"]
    assert right["hidden"] == "passed: your answer is right." and "form the question asks" in right["visible"]
    verdict = "answer_q02: {A} is not the right set of choices (every right choice, and no other)"
    wrong = describe_question(graded_test_cell("test_q02", 0, 1, [error("AssertionError", verdict)]))
    assert wrong["hidden"] == wrong["summary"] == verdict and wrong["visible"].startswith("passed")


def test_a_quiz_answer_in_another_form_is_not_judged_and_its_check_says_why():
    form = "answer_q03: give the number itself, without quotes"
    odd = describe_question(graded_test_cell("test_q03", 0, 1, [error("CheckFailure", form)]))
    assert odd["visible"] == form and odd["hidden"].startswith("not judged") and form in odd["hidden"]
    unanswered = describe_question(
        graded_test_cell("test_q04", 0, 1, [error("NameError", "name 'answer_q04' is not defined")])
    )
    assert "not judged" in unanswered["hidden"] and "answer_q04" in unanswered["hidden"]
    assert "did not run to the end" in unanswered["visible"]


def test_the_inlined_mathjax_is_the_books_own():
    assert len(inline_mathjax()) > 500_000, "the base64 of MathJax's gzipped tex-svg-full.js"


@pytest.fixture(scope="module")
def feedback_page(exchange_round_trip):
    return exchange_round_trip.out / "feedback" / "ben" / f"{A}.html"


@pytest.mark.slow
def test_the_page_names_every_function_with_its_points_and_verdict(feedback_page):
    html = feedback_page.read_text()
    points = points_per_test(A)
    for function in GRADED:
        assert f'<a href="#test_{function}"><code>{function}</code></a>' in html, function
    assert f"<td>0 / {points['test_conv_forward']:g}</td>" in html
    assert "Test cell" not in html and "HIDDEN TESTS" not in html and "probe(" not in html
    assert "the bias is missing" in html.split('id="test_conv_forward"')[1].split("</section>")[0]


@pytest.mark.slow
def test_the_page_reads_offline_in_the_browser(feedback_page):
    """Served on 127.0.0.1 and opened as a file: math typeset, the summary's links land, no request leaves."""
    root = feedback_page.parent.parent
    with chromium_browser() as chromium, serve(root) as base:
        browser = OfflineBrowser(chromium, base, root=root)
        report = browser.visit(f"ben/{A}.html", wait_for="mjx-container")
        assert report.problems == [], report.problems
        assert report.math >= 20, f"only {report.math} formulas typeset"
        summary = browser.page.locator("header.feedback-summary")
        names = summary.locator("td code").all_inner_texts()
        assert names == GRADED
        row = summary.locator("tr", has_text="conv_forward")
        assert "the bias is missing" in row.inner_text() and "0 / 3" in row.inner_text()
        row.locator("a").click()
        box = browser.page.locator("section#test_conv_forward")
        assert box.is_visible() and "Visible check" in box.inner_text() and "bias" in box.inner_text()
        SCREENSHOTS.mkdir(parents=True, exist_ok=True)
        browser.page.locator("header.feedback-summary").screenshot(path=SCREENSHOTS / "feedback-summary.png")
        box.screenshot(path=SCREENSHOTS / "feedback-test.png")
        browser.events = []
        browser.page.goto(feedback_page.as_uri(), wait_until="load")  # the page as a student opens the file
        browser.page.wait_for_selector("mjx-container", timeout=30_000)
        typeset = (
            "async () => { await MathJax.startup.promise; return document.querySelectorAll('mjx-container').length; }"
        )
        assert browser.page.evaluate(typeset) == report.math
        assert browser.events == [], browser.events
        browser.close()
    print(f"\nscreenshots: {SCREENSHOTS / 'feedback-summary.png'}, {SCREENSHOTS / 'feedback-test.png'}")
