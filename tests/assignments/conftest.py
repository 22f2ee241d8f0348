"""What every assignment's tests share: the visible checks run as a student runs them, outside a grading run."""

import pytest


@pytest.fixture(autouse=True)
def not_grading(monkeypatch):
    """A check behaves differently while the grader runs the notebook (see cnnbook.grading.mode); not here."""
    monkeypatch.delenv("CNNBOOK_GRADING", raising=False)
    monkeypatch.delenv("NBGRADER_EXECUTION", raising=False)
