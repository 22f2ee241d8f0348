"""The feedback a student gets back: nbgrader's feedback page, without hidden tests or their tracebacks."""

from pathlib import Path

import nbformat
import nbgrader
from nbconvert import HTMLExporter
from nbconvert.preprocessors import CSSHTMLHeaderPreprocessor
from nbgrader import utils
from nbgrader.preprocessors import ClearHiddenTests, GetGrades
from traitlets.config import Config

NBGRADER = Path(nbgrader.__file__).resolve().parent
FORMGRADER = NBGRADER / "server_extensions" / "formgrader"


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


def render_feedback(executed: nbformat.NotebookNode, db_url: str, assignment: str, student: str) -> str:
    """Return the HTML feedback page of a graded notebook, with the grades recorded in the gradebook at `db_url`."""
    config = Config()
    config.HTMLExporter.template_name = "feedback"  # the template nbgrader's generate_feedback uses
    config.HTMLExporter.extra_template_basedirs = [str(FORMGRADER / "templates")]
    config.HTMLExporter.extra_template_paths = [
        str(FORMGRADER / "static" / "node_modules" / "bootstrap" / "dist" / "css")
    ]
    exporter = HTMLExporter(config=config)
    for step in (GetGrades, RedactHiddenTests, CSSHTMLHeaderPreprocessor):
        exporter.register_preprocessor(step, enabled=True)
    resources = {"nbgrader": {"db_url": db_url, "assignment": assignment, "notebook": assignment, "student": student}}
    html, _ = exporter.from_notebook_node(nbformat.from_dict(executed), resources=resources)
    return html
