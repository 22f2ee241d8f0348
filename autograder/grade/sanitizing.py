"""Sanitize a submitted notebook with nbgrader's own steps: clear outputs, restore the instructor's locked and test
cells."""

from nbgrader.api import Gradebook
from nbgrader.preprocessors import CheckCellMetadata, ClearOutput, DeduplicateIds, OverwriteCells, OverwriteKernelspec


def forget_unknown_cells(nb, resources: dict) -> None:
    """Strip nbgrader metadata from cells whose grade_id the instructor's notebook does not have (a student made it up).

    They become ordinary cells, and the instructor's own cells are put back in their place.
    """
    info = resources["nbgrader"]
    with Gradebook(info["db_url"]) as gb:
        known = {cell.name for cell in gb.find_notebook(info["notebook"], info["assignment"]).source_cells}
    for cell in nb.cells:
        meta = cell.metadata.get("nbgrader")
        if isinstance(meta, dict) and meta.get("grade_id") not in known:
            del cell.metadata["nbgrader"]


def sanitize(nb, resources: dict):
    """Apply nbgrader's sanitizing steps: clear outputs, restore the instructor's locked and test cells."""
    forget_unknown_cells(nb, resources)
    # add_missing_cells puts back test cells a student deleted; DeduplicateIds strips duplicated ones of their
    # nbgrader metadata, leaving an empty dict that later steps would stumble on: it is removed.
    for step in (
        ClearOutput(),
        DeduplicateIds(),
        OverwriteKernelspec(),
        OverwriteCells(add_missing_cells=True),
        CheckCellMetadata(),
    ):
        nb, resources = step.preprocess(nb, resources)
        for cell in nb.cells:
            if cell.metadata.get("nbgrader") == {}:
                del cell.metadata["nbgrader"]
    return nb
