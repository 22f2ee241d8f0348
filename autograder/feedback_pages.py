"""The feedback a student gets back: the graded notebook as one HTML file that reads offline, without hidden tests or
their tracebacks.

nbconvert renders it with nbgrader's GetGrades (the points) and the course's template (feedback_template/): a
summary naming each graded function with its points and the hidden tests' verdict, and above each test cell a box
that says in words what the hidden tests and the visible check found. A weekly quiz's page speaks of questions: the
grader's verdict on each answer, and its form check. nbgrader's own feedback template loads
MathJax from the network and names every test "Test cell"; this one inlines the MathJax the book ships
(sphinx-mathjax-offline's copy) so the formulas render from the file alone.
"""

import base64
import functools
import gzip
import importlib.metadata
from pathlib import Path

import nbformat
from nbconvert import HTMLExporter
from nbconvert.preprocessors import CSSHTMLHeaderPreprocessor, Preprocessor
from nbgrader import utils
from nbgrader.preprocessors import ClearHiddenTests, GetGrades
from traitlets import Unicode
from traitlets.config import Config

from cnnbook.checks import SUCCESS_LINE, UNGRADED_FAILURE

TEMPLATES = Path(__file__).resolve().parent / "feedback_template"
TEMPLATE_NAME = "course_feedback"
# MathJax 3 typesetting TeX to SVG with every TeX extension built in: no font files and nothing loaded later.
MATHJAX_DISTRIBUTION = "sphinx-mathjax-offline"
MATHJAX_FILE = "sphinx-mathjax-offline/static/mathjax/tex-svg-full.js"

# What the page says, by what a test cell grades (the caller's `unit`): a function of an assignment, judged by hidden
# tests, or a question of a quiz, whose answer the grader judges once the cell's form check has let it through.
WORDS = {
    "function": {
        "column": "graded function",
        "verdicts": "hidden tests",
        "judge": "Hidden tests (they decide the points)",
        "check": "Visible check (the check cell of your notebook)",
        "about": "Each graded function earns its points from hidden tests, run on inputs drawn when your notebook was "
        "graded. The check cell under each exercise runs the visible checks: they help you find mistakes, and the "
        "hidden tests decide the points. Below, the box above each check cell says what both found.",
    },
    "question": {
        "column": "question",
        "verdicts": "grader",
        "judge": "Grader (it decides the points)",
        "check": "Form check (the cell under your answer)",
        "about": "Each question earns its points when the grader finds your answer right. The cell under each answer "
        "checks only its form (a letter among the choices, a set of letters, one number), and an answer in another "
        "form is not judged. Below, the box above each of those cells says what both found.",
    },
}
RIGHT_FORM = "passed: the answer has the form the question asks."
NO_REPORT = "no points: the cell did not report a result (run the notebook from the top before you hand it in)."


class RedactHiddenTests(ClearHiddenTests):
    """Remove hidden-test regions from test cells and cut their tracebacks to the final `Error: message` line.

    A traceback through a hidden test would quote the hidden test's source, so a failing test cell keeps
    only the exception's name and message (written for students, in the exercise's own terms).
    """

    def preprocess_cell(self, cell, resources, cell_index):
        cell, resources = super().preprocess_cell(cell, resources, cell_index)
        if cell.cell_type == "code" and utils.is_grade(cell):
            for output in cell.get("outputs", []):
                if output.get("output_type") == "error":
                    output["traceback"] = [f"{output.get('ename', 'Error')}: {output.get('evalue', '')}"]
        return cell, resources


def stream_text(output) -> str:
    """Return the text of a stream output (nbformat keeps it as a string or a list of lines)."""
    text = output.get("text", "")
    return "".join(text) if isinstance(text, list) else text


def hidden_verdict(errors: list, passed: bool) -> str:
    """Return what the hidden tests found, in words, from the test cell's error outputs."""
    if passed:
        return "passed: your function gave the right results on every hidden case."
    if not errors:
        return NO_REPORT
    first = errors[0]
    message = (first.get("evalue") or "").strip()
    if first.get("ename") == "AssertionError":  # the verdict the grader wrote into the cell
        return message
    return f"the check cell stopped with {first.get('ename')}: {message}, so the hidden tests could not run."


def question_verdicts(errors: list, passed: bool) -> tuple[str, str]:
    """Return what the grader and the form check found on a quiz question, in words, from its cell's error outputs."""
    if passed:
        return "passed: your answer is right.", RIGHT_FORM
    if not errors:
        return NO_REPORT, RIGHT_FORM
    first = errors[0]
    message = (first.get("evalue") or "").strip()
    if first.get("ename") == "AssertionError":  # the verdict the grader wrote into the cell
        return message, RIGHT_FORM
    if first.get("ename") == "CheckFailure":  # the form check stopped the cell: the answer was not judged
        return f"not judged, the answer is not in the form the question asks: {message}", message
    return f"not judged: the cell stopped with {first.get('ename')}: {message}", "it did not run to the end."


class DescribeTests(Preprocessor):
    """Put into each test cell's metadata.course_feedback what its box on the feedback page says (the function,
    its points, the hidden tests' verdict and the visible check's message in words), and take the outputs it puts
    in words out of the cell."""

    unit = Unicode("function", help="what a test cell grades: 'function' (an assignment) or 'question' (a quiz)")

    def preprocess_cell(self, cell, resources, cell_index):
        meta = cell.metadata.get("nbgrader", {})
        if cell.cell_type != "code" or not meta.get("grade") or meta.get("solution"):
            return cell, resources
        function = meta["grade_id"].removeprefix("test_")
        success = SUCCESS_LINE.format(function=function)
        visible, errors, kept = None, [], []
        for output in cell.get("outputs", []):
            text = stream_text(output) if output.get("output_type") == "stream" else ""
            if output.get("output_type") == "error":
                errors.append(output)
            elif text.startswith(UNGRADED_FAILURE):
                visible = text.removeprefix(UNGRADED_FAILURE).strip()
            elif text.startswith(success):
                visible = "passed."
            else:
                kept.append(output)
        score, points = float(meta.get("score") or 0), float(meta.get("points") or 0)
        passed = points > 0 and score >= points
        if self.unit == "question":
            hidden, visible = question_verdicts(errors, passed)
        else:
            hidden = hidden_verdict(errors, passed)
        cell.outputs = kept
        cell.metadata["course_feedback"] = {
            "function": function,
            "anchor": meta["grade_id"],
            "score": score,
            "points": points,
            "passed": passed,
            "hidden": hidden,
            "visible": visible or "it printed nothing (it did not run to the end).",
            "summary": "passed" if passed else hidden.splitlines()[0],
        }
        return cell, resources


@functools.cache
def inline_mathjax(_: str = "") -> str:
    """Return the MathJax the book ships (tex-svg-full.js), gzipped and in base64, for the page to unpack (the
    template's inline_mathjax filter; made once per process)."""
    source = importlib.metadata.distribution(MATHJAX_DISTRIBUTION).locate_file(MATHJAX_FILE).read_bytes()
    return base64.b64encode(gzip.compress(source, mtime=0)).decode("ascii")


def render_feedback(
    executed: nbformat.NotebookNode, db_url: str, assignment: str, student: str, unit: str = "function"
) -> str:
    """Return the HTML feedback page of a graded notebook, with the grades recorded in the gradebook at `db_url`;
    `unit`: what a test cell grades, "function" (an assignment) or "question" (a quiz)."""
    config = Config()
    config.HTMLExporter.template_name = TEMPLATE_NAME
    config.HTMLExporter.extra_template_basedirs = [str(TEMPLATES)]
    exporter = HTMLExporter(config=config)
    exporter.register_filter("inline_mathjax", inline_mathjax)
    for step in (GetGrades, RedactHiddenTests, DescribeTests(unit=unit), CSSHTMLHeaderPreprocessor):
        exporter.register_preprocessor(step, enabled=True)
    resources = {
        "nbgrader": {"db_url": db_url, "assignment": assignment, "notebook": assignment, "student": student},
        "course_feedback": WORDS[unit],
    }
    html, _ = exporter.from_notebook_node(nbformat.from_dict(executed), resources=resources)
    return html
