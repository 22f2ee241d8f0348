"""Grading mode and quick demos: when a notebook's demos shrink to their minimal number of steps."""

from cnnbook.grading.mode import demo_steps, is_grading, quick_demos


def test_demos_run_in_full_for_a_student(monkeypatch):
    for name in ("CNNBOOK_GRADING", "NBGRADER_EXECUTION", "CNNBOOK_QUICK_DEMOS"):
        monkeypatch.delenv(name, raising=False)
    assert not is_grading() and not quick_demos()
    assert demo_steps(20) == 20


def test_the_grader_and_nbgrader_shrink_demos(monkeypatch):
    monkeypatch.delenv("CNNBOOK_QUICK_DEMOS", raising=False)
    monkeypatch.setenv("CNNBOOK_GRADING", "1")
    assert is_grading() and demo_steps(20) == 1 and demo_steps(20, when_grading=2) == 2
    monkeypatch.delenv("CNNBOOK_GRADING")
    monkeypatch.setenv("NBGRADER_EXECUTION", "autograde")
    assert is_grading() and demo_steps(20) == 1


def test_the_test_suite_shrinks_demos_without_grading(monkeypatch):
    monkeypatch.delenv("CNNBOOK_GRADING", raising=False)
    monkeypatch.delenv("NBGRADER_EXECUTION", raising=False)
    monkeypatch.setenv("CNNBOOK_QUICK_DEMOS", "1")
    assert quick_demos() and not is_grading()  # visible checks still fail loudly outside grading
    assert demo_steps(20) == 1
