"""Where grading time goes (autograder.grade.phase_timing), without a kernel: the clock's phases add up to its
total, the kernel's cells are counted by kind from their busy and idle messages, and two clocks that disagree by a
hair never make the phases longer than the run. (A real run's phases: tests/grading/test_pipeline.py.)"""

import datetime
import time

import nbformat
import pytest

from autograder.grade.phase_timing import KernelTimes, PhaseClock, cell_seconds, last_cell_end

T0 = datetime.datetime(2026, 1, 5, 9, 0, 0, tzinfo=datetime.timezone.utc)


def stamp(seconds: float) -> str:
    """Return a kernel message's timestamp `seconds` after T0, as nbclient writes it."""
    return (T0 + datetime.timedelta(seconds=seconds)).strftime("%Y-%m-%dT%H:%M:%S.%fZ")


def cell(busy: float, idle: float, **nbgrader) -> nbformat.NotebookNode:
    """Return a code cell the kernel was busy with from `busy` to `idle` (seconds after T0)."""
    code = nbformat.v4.new_code_cell("pass")
    code.metadata["execution"] = {"iopub.status.busy": stamp(busy), "iopub.status.idle": stamp(idle)}
    if nbgrader:
        code.metadata["nbgrader"] = nbgrader
    return code


def notebook() -> nbformat.NotebookNode:
    """Return an executed notebook laid out like the course's: the package cell, the imports, a figure, a solution
    and its test cell, a demo."""
    return nbformat.v4.new_notebook(
        cells=[
            cell(0.0, 0.5, grade_id="course-package", locked=True),
            nbformat.v4.new_markdown_cell("Some words."),
            cell(0.6, 4.6, grade_id="imports", locked=True),
            cell(4.7, 5.7, grade_id="a-figure", locked=True),
            cell(5.8, 5.9, grade_id="zero_pad", solution=True),
            cell(6.0, 8.0, grade_id="test_zero_pad", grade=True, points=1),
            cell(8.1, 11.1, grade_id="demo", locked=True),
        ]
    )


def test_cells_are_counted_by_kind_from_the_kernels_messages():
    seconds = cell_seconds(notebook())
    assert seconds == pytest.approx({"imports": 4.5, "given_cells": 4.0, "student_cells": 0.1, "test_cells": 2.0})


def test_without_an_imports_cell_the_first_code_cell_is_the_imports():
    nb = notebook()
    del nb.cells[2].metadata["nbgrader"]
    assert cell_seconds(nb)["imports"] == pytest.approx(0.5)
    assert cell_seconds(nb)["given_cells"] == pytest.approx(8.0)


def test_a_cell_without_its_idle_message_counts_nothing():
    nb = notebook()
    del nb.cells[6].metadata["execution"]["iopub.status.idle"]  # a cell stopped midway
    assert cell_seconds(nb)["given_cells"] == pytest.approx(1.0)
    assert last_cell_end(nb) == pytest.approx((T0 + datetime.timedelta(seconds=8.0)).timestamp())


def test_a_clock_adds_up_to_its_total_with_the_rest_as_other():
    clock = PhaseClock()
    with clock.phase("sanitize"):
        time.sleep(0.02)
    clock.add_all({"imports": 0.01, "test_cells": 0.005})
    summary = clock.summary(total=1.0)
    assert list(summary) == ["sanitize", "imports", "test_cells", "other"]
    assert summary["sanitize"] >= 0.02
    assert sum(summary.values()) == pytest.approx(1.0)


def test_a_phase_that_raises_is_still_counted():
    clock = PhaseClock()
    with pytest.raises(ValueError), clock.phase("sanitize"):
        raise ValueError("nbgrader refused the notebook")
    assert "sanitize" in clock.summary()


def run_times(window: float, ready_after: float, waited: float, last_idle_before_end: float) -> KernelTimes:
    """Return the KernelTimes of an execute() call of `window` seconds, as the worker would have noted them."""
    times = KernelTimes()
    times.begun = 100.0
    times.ready, times.waited = 100.0 + ready_after, waited
    times.ended = 100.0 + window
    times.ended_wall = (T0 + datetime.timedelta(seconds=11.1 + last_idle_before_end)).timestamp()
    return times


def test_the_kernels_run_is_split_into_phases_that_add_up_to_it():
    parts = run_times(window=16.0, ready_after=2.0, waited=0.5, last_idle_before_end=0.3).phases(notebook())
    assert parts["kernel_start"] == pytest.approx(2.0)
    assert parts["cases_wait"] == pytest.approx(0.5)
    assert parts["kernel_stop"] == pytest.approx(0.3)
    assert parts["imports"] == pytest.approx(4.5)
    # 16 s less 2 + 0.5 + 0.3 and the cells' 10.6 s: the messages between cells
    assert parts["kernel_rest"] == pytest.approx(16.0 - 2.0 - 0.5 - 0.3 - 10.6)
    assert sum(parts.values()) == pytest.approx(16.0)


def test_clocks_that_disagree_never_make_the_phases_longer_than_the_run():
    # The kernel's clock says its cells took 10.6 s; ours says the whole run took 10 s.
    parts = run_times(window=10.0, ready_after=1.0, waited=0.0, last_idle_before_end=0.2).phases(notebook())
    assert sum(parts.values()) == pytest.approx(10.0)
    assert all(seconds >= 0 for seconds in parts.values())


def test_a_run_that_stopped_without_a_notebook_is_kernel_start_and_rest():
    parts = run_times(window=30.0, ready_after=3.0, waited=0.0, last_idle_before_end=0.0).phases(None)
    assert parts == pytest.approx({"kernel_start": 3.0, "cases_wait": 0.0, "kernel_rest": 27.0})
