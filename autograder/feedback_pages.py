"""The feedback a student gets back: the graded notebook as one HTML file that reads offline, without hidden tests or
their tracebacks.

nbconvert renders it with nbgrader's GetGrades (the points) and the course's template (feedback_template/): a
summary naming each graded function with its points and the hidden tests' verdict, and above each test cell a box
that says in words what the hidden tests and the visible check found. nbgrader's own feedback template loads
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
from traitlets.config import Config

from cnnbook.checks import SUCCESS_LINE, UNGRADED_FAILURE

TEMPLATES = Path(__file__).resolve().parent / "feedback_template"
TEMPLATE_NAME = "course_feedback"
# MathJax 3 typesetting TeX to SVG with every TeX extension built in: no font files and nothing loaded later.
MATHJAX_DISTRIBUTION = "sphinx-mathjax-offline"
MATHJAX_FILE = "sphinx-mathjax-offline/static/mathjax/tex-svg-full.js"


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
        return "no points: the cell did not report a result (run the notebook from the top before you hand it in)."
    first = errors[0]
    message = (first.get("evalue") or "").strip()
    if first.get("ename") == "AssertionError":  # the verdict the grader wrote into the cell
        return message
    return f"the check cell stopped with {first.get('ename')}: {message}, so the hidden tests could not run."


class DescribeTests(Preprocessor):
    """Put into each test cell's metadata.course_feedback what its box on the feedback page says (the function,
    its points, the hidden tests' verdict and the visible check's message in words), and take the outputs it puts
    in words out of the cell."""

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


def render_feedback(executed: nbformat.NotebookNode, db_url: str, assignment: str, student: str) -> str:
    """Return the HTML feedback page of a graded notebook, with the grades recorded in the gradebook at `db_url`."""
    config = Config()
    config.HTMLExporter.template_name = TEMPLATE_NAME
    config.HTMLExporter.extra_template_basedirs = [str(TEMPLATES)]
    exporter = HTMLExporter(config=config)
    exporter.register_filter("inline_mathjax", inline_mathjax)
    for step in (GetGrades, RedactHiddenTests, DescribeTests, CSSHTMLHeaderPreprocessor):
        exporter.register_preprocessor(step, enabled=True)
    resources = {"nbgrader": {"db_url": db_url, "assignment": assignment, "notebook": assignment, "student": student}}
    html, _ = exporter.from_notebook_node(nbformat.from_dict(executed), resources=resources)
    return html
