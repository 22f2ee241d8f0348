"""What a student's feedback may show: test cells without their hidden part, failures without hidden-test frames."""
from nbgrader import utils
from nbgrader.preprocessors import ClearHiddenTests


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
