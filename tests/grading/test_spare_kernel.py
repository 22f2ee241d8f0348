"""Kernels started ahead (autograder.grade.spare_kernel) and the course's imports they do as they start
(autograder.grade.kernel_preload): a fresh sandbox per submission, nothing bound in the student's namespace,
nothing left behind by a worker that ends."""

import json
import os
import time
from unittest import mock

import nbformat
import psutil
import pytest
from ipykernel.kernelapp import IPKernelApp

from autograder.grade import spare_kernel
from autograder.grade.coordinator import starts_ahead
from autograder.grade.dispatch import start_pool
from autograder.grade.execution import execute
from autograder.grade.kernel_preload import imported_modules, preload_arguments, preloaded_modules
from autograder.sandbox.bubblewrap import bubblewrap
from autograder.sandbox.limits import Limits

A = "w1a1_conv_numpy"
SETTING = (A, Limits(), ())
# What the kernel shows of itself: the modules loaded, the names bound, who and where it is.
LOOK = """import json as _json, os as _os, sys as _sys
print(_json.dumps({
    "numpy_loaded": "numpy" in _sys.modules,
    "checks_loaded": "cnnbook.assignments.w1a1_conv_numpy.checks" in _sys.modules,
    "bound": sorted(n for n in ("np", "numpy", "plt", "matplotlib", "cnnbook", "importlib") if n in globals()),
    "underscore": repr(globals().get("_")),
    "uid": _os.getuid(),
    "cwd": _os.getcwd(),
    "files": sorted(_os.listdir(".")),
    "left_by_before": globals().get("left_by_before"),
}))"""
WRITE = "left_by_before = 'a secret'\nopen('secret.txt', 'w').write('a secret')"


# --- the imports -----------------------------------------------------------------------------------------------------


def test_the_imports_are_the_instructor_notebooks_up_to_its_imports_cell():
    assert preloaded_modules("w2a1_resnets")[-4:] == (
        "cnnbook.assignments.w2a1_resnets.checks",
        "cnnbook.data.hand_signs",
        "cnnbook.figures.resnet_diagrams",
        "cnnbook.grading.mode",
    )
    assert {"numpy", "keras", "matplotlib.pyplot"} <= set(preloaded_modules("w2a1_resnets"))
    assert "cnnbook.quiz_checks" in preloaded_modules("w1_quiz")
    assert preloaded_modules("no_such_assignment") == ()


def test_only_absolute_top_level_imports_count_and_magics_are_left_out():
    source = "%matplotlib inline\nimport a.b as c, d\nfrom e.f import g\nfrom . import h\nif x:\n    import i\n!ls"
    assert imported_modules(source) == ["a.b", "d", "e.f"]
    assert imported_modules("def broken(:\n") == []


def test_each_import_is_a_start_up_line_that_binds_nothing():
    app = IPKernelApp()
    app.parse_command_line(preload_arguments(("numpy", "cnnbook.grading.mode")))
    assert app.exec_lines == ["__import__('numpy') and None", "__import__('cnnbook.grading.mode') and None"]
    namespace = {}
    for line in app.exec_lines:
        assert eval(line, namespace) is None  # nothing to display, nothing for `_`
    assert set(namespace) == {"__builtins__"}


# --- real kernels ----------------------------------------------------------------------------------------------------


def run_cells(kernel: spare_kernel.SubmissionKernel, *sources: str) -> list:
    """Run code cells in `kernel` as the worker does (execute()), and return the executed cells."""
    nb = nbformat.v4.new_notebook(cells=[nbformat.v4.new_code_cell(source) for source in sources])
    with mock.patch.dict(os.environ, kernel.env):  # as the worker sets them, and puts back its own data cache
        executed, _, skipped, _ = execute(nb, kernel, time.monotonic() + 120)
    assert executed is not None and not skipped
    return executed.cells


def looked(cell) -> dict:
    """Return what LOOK printed."""
    text = "".join(out.get("text", "") for out in cell.outputs if out.output_type == "stream")
    assert text, cell.outputs
    return json.loads(text)


@pytest.fixture
def no_spare():
    spare_kernel.discard_spare()
    yield
    spare_kernel.discard_spare()


@pytest.mark.slow
def test_a_kernel_started_ahead_has_the_imports_done_and_nothing_bound(no_spare):
    spare_kernel.start_next(*SETTING)
    kernel = spare_kernel.take_kernel(*SETTING)
    assert kernel is not None and kernel.km is not None
    time.sleep(1)  # imports under way: the notebook waits for the kernel to answer
    try:
        seen = looked(run_cells(kernel, LOOK)[0])
    finally:
        spare_kernel.close(kernel)
    assert seen["numpy_loaded"] and seen["checks_loaded"]
    assert seen["bound"] == [] and seen["underscore"] == "''"
    assert seen["cwd"] == str(kernel.folder.path)
    if bubblewrap() is not None:
        assert seen["uid"] == kernel.uid


@pytest.mark.slow
def test_the_next_submission_gets_a_fresh_sandbox(no_spare):
    spare_kernel.start_next(*SETTING)
    first = spare_kernel.take_kernel(*SETTING)
    spare_kernel.start_next(*SETTING)  # started while the first runs, as the worker does
    try:
        run_cells(first, WRITE)
    finally:
        spare_kernel.close(first)
    assert not first.folder.base.exists()
    second = spare_kernel.take_kernel(*SETTING)
    assert second is not None
    try:
        seen = looked(run_cells(second, LOOK)[0])
    finally:
        spare_kernel.close(second)
    assert second.uid != first.uid and second.folder.path != first.folder.path
    assert second.group is None or second.group.folders != first.group.folders
    assert seen["left_by_before"] is None and "secret.txt" not in seen["files"]


@pytest.mark.slow
def test_a_kernel_of_another_setting_or_a_dead_one_is_not_used(no_spare):
    spare_kernel.start_next(*SETTING)
    other = spare_kernel._spare
    assert spare_kernel.take_kernel(A, Limits(cell_seconds=5), ()) is None  # other limits
    assert not other.folder.base.exists() and spare_kernel._spare is None
    spare_kernel.start_next(*SETTING)
    dead = spare_kernel._spare
    psutil.Process(dead.km.provisioner.pid).kill()
    psutil.Process(dead.km.provisioner.pid).wait(10)
    assert spare_kernel.take_kernel(*SETTING) is None
    assert not dead.folder.base.exists()


def start_ahead_and_report() -> tuple[int, str]:
    """In a pool's worker: return the worker's pid and the working folder of the kernel it started ahead."""
    return os.getpid(), str(spare_kernel._spare.folder.base)


@pytest.mark.slow
def test_a_worker_that_ends_leaves_no_kernel_started_ahead():
    pool = start_pool(1, ahead=SETTING)
    try:
        worker_pid, base = pool.submit(start_ahead_and_report).result(timeout=120)
        assert os.path.isdir(base)
        kernel_processes = [p for p in psutil.Process(worker_pid).children(recursive=True)]
        assert kernel_processes, "the worker started no kernel"
    finally:
        pool.shutdown(wait=True)
    assert not os.path.exists(base)
    gone, alive = psutil.wait_procs(kernel_processes, timeout=10)
    assert not alive, alive


def test_kernels_are_started_ahead_only_by_a_local_pool_with_a_core_to_spare(monkeypatch):
    monkeypatch.setattr(os, "cpu_count", lambda: 2)
    assert starts_ahead(1, None)
    assert not starts_ahead(2, None)  # a worker per core: nothing idle to start kernels on
    assert not starts_ahead(1, "tcp://127.0.0.1:8786")  # a Dask cluster's workers: their machines' cores
