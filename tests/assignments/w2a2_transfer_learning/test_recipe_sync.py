"""The w2a2 notebook quotes training/transfer_check.py's runs as "this very recipe": the two must not drift apart.

The notebook's learning rate, fine-tuning start, epochs and batch size are read from its code cells and
compared with transfer_check's constants and with the settings recorded next to the base's metrics.
"""

import ast
import json

import pytest
from IPython.core.inputtransformer2 import TransformerManager

from autograder.course import SOLUTIONS
from training import transfer_check

NOTEBOOK = SOLUTIONS / "w2a2_transfer_learning" / "w2a2_transfer_learning.ipynb"


def assigned_values(source: str) -> dict:
    """Return {name: value} of the notebook's top-level assignments of a literal or of demo_steps(full, ...)."""
    values = {}
    for node in ast.parse(source).body:
        if not (isinstance(node, ast.Assign) and len(node.targets) == 1 and isinstance(node.targets[0], ast.Name)):
            continue
        value = node.value
        if isinstance(value, ast.Call) and getattr(value.func, "id", "") == "demo_steps" and value.args:
            value = value.args[0]  # the full run's value; grading's is the second argument
        try:
            values[node.targets[0].id] = ast.literal_eval(value)
        except ValueError:
            continue
    return values


@pytest.fixture(scope="module")
def recipe() -> dict:
    cells = json.loads(NOTEBOOK.read_text())["cells"]
    # IPython's own transformer turns the first cell's %pip into Python that ast can read
    to_python = TransformerManager().transform_cell
    source = "\n".join(to_python("".join(cell["source"])) for cell in cells if cell["cell_type"] == "code")
    return assigned_values(source)


def test_the_notebook_trains_with_transfer_checks_recipe(recipe):
    assert recipe["base_learning_rate"] == transfer_check.LEARNING_RATE
    assert recipe["fine_tune_at"] == transfer_check.FINE_TUNE_AT
    assert recipe["initial_epochs"] == transfer_check.INITIAL_EPOCHS
    assert recipe["fine_tune_epochs"] == transfer_check.FINE_TUNE_EPOCHS
    assert recipe["BATCH_SIZE"] == transfer_check.BATCH_SIZE


def test_the_recorded_runs_used_that_recipe():
    from cnnbook.models.mobilenet_base import mobilenet_base_metrics

    settings = mobilenet_base_metrics()["transfer"]["settings"]
    assert settings["learning_rate"] == transfer_check.LEARNING_RATE
    assert settings["fine_tune_learning_rate"] == pytest.approx(transfer_check.LEARNING_RATE / 10)
    assert settings["fine_tune_at"] == transfer_check.FINE_TUNE_AT
    assert (settings["initial_epochs"], settings["fine_tune_epochs"]) == (
        transfer_check.INITIAL_EPOCHS,
        transfer_check.FINE_TUNE_EPOCHS,
    )


def test_assigned_values_reads_literals_and_the_full_runs_demo_steps():
    values = assigned_values("a = 0.003\nb = demo_steps(8)\nc = demo_steps(32, 8)\nd = len(x)\n")
    assert values == {"a": 0.003, "b": 8, "c": 32}
