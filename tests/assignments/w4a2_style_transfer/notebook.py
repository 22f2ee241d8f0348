"""The instructor notebook of w4a2_style_transfer as the tests use it: its cells, and its definitions in a namespace.

The graded functions of w4a2 call each other and read the notebook's globals (STYLE_LAYERS, clip_0_1, and
train_step's vgg_model_outputs, a_C, a_S, optimizer, which the train_step adapter rebinds). A catalogue
variant is therefore run the way it would run once pasted into its solution cell: executed in a namespace
holding the notebook's imports, STYLE_LAYERS and clip_0_1 (taken from the notebook's own cells) and the
solution cells of the other functions.
"""

import ast

import keras
import numpy as np
import tensorflow as tf

from autograder.course import REPO
from tests.support.notebooks import notebook_cells, solution_sources

A = "w4a2_style_transfer"
NOTEBOOK = REPO / "solutions" / A / f"{A}.ipynb"
GRADED = (
    "compute_content_cost",
    "gram_matrix",
    "compute_layer_style_cost",
    "compute_style_cost",
    "total_cost",
    "train_step",
)

__all__ = [
    "A",
    "NOTEBOOK",
    "GRADED",
    "cell_source",
    "notebook_namespace",
    "notebook_function",
]


def cell_source(cell_id: str) -> str:
    """The source of the cell with this id."""
    (cell,) = [c for c in notebook_cells(A) if c["id"] == cell_id]
    return "".join(cell["source"])


def _definition(source: str, name: str) -> str:
    """The source of the top-level statement of `source` that defines `name` (an assignment or a def)."""
    tree = ast.parse(source)
    for node in tree.body:
        targets = [t.id for t in getattr(node, "targets", []) if isinstance(t, ast.Name)]
        if name in targets or getattr(node, "name", None) == name:
            return ast.get_source_segment(source, node)
    raise LookupError(f"no definition of {name} in the cell")


def notebook_namespace(sources: dict[str, str] | None = None) -> dict:
    """A namespace with the notebook's imports, STYLE_LAYERS, clip_0_1 and every graded function.

    sources: {graded function: source to use instead of its solution cell} (a variant pasted in its place).
    """
    namespace = {"np": np, "tf": tf, "keras": keras, "__name__": "w4a2_notebook"}
    exec(_definition(cell_source("style-layers"), "STYLE_LAYERS"), namespace)
    exec(_definition(cell_source("setup"), "clip_0_1"), namespace)
    chosen = {**solution_sources(A), **(sources or {})}
    for name in GRADED:
        exec(compile(chosen[name], f"<cell {name}>", "exec"), namespace)
    return namespace


def notebook_function(name: str, source: str | None = None, others: dict[str, str] | None = None):
    """The graded function `name` (its solution cell, or `source`), with the other functions from `others` or the
    notebook."""
    return notebook_namespace({**(others or {}), **({name: source} if source else {})})[name]
