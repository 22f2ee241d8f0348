"""The suite's xdist groups reach pytest-xdist: `make test` runs two workers with `--dist loadgroup`, and
tests/conftest.py puts the tests that share a fixture's work (a graded batch, a release) in one group, so that the
work is done once. Should the groups be lost on the way (pytest 9.2 no longer shows the group that pytest-xdist 3.8
appends to a test's id, and nothing fails: every test is sent on its own, and each worker grades the batch again),
these tests fail.

An inner pytest runs real test modules in two workers, each test skipped before its fixtures are made (a plugin of
this module's own, written for the run), and says which worker had which test and under which id. Slow (three
interpreters import the test modules): the groups matter to `make test`, not to `make test-fast`.
"""

import os
import re
import subprocess
import sys
from collections import defaultdict

import pytest

from autograder.course import REPO

pytestmark = pytest.mark.slow

# Modules whose tests share a module fixture (one group each), a session fixture of tests/release/conftest.py (one
# group across modules), a parametrised module fixture (one group per parameter), and an instructor notebook (nbval:
# its cells share one kernel).
NOTEBOOK = "solutions/w1a1_conv_numpy/w1a1_conv_numpy.ipynb"
MODULES = [
    NOTEBOOK,
    "tests/grading/test_resume.py",
    "tests/release/test_dist.py",
    "tests/release/test_binder.py",
    "tests/data/test_photo_sets.py",
]
PROBE = '''
import os

import pytest


@pytest.hookimpl(tryfirst=True)
def pytest_runtest_setup(item):
    """Skip every test before its fixtures are made, saying which worker had it and under which id."""
    pytest.skip(f"ran on {os.environ.get('PYTEST_XDIST_WORKER', 'no worker')}: {item.nodeid}")
'''
SKIPPED = re.compile(r"^SKIPPED \[\d+\] \S+: ran on (\S+): (.+)$", re.MULTILINE)  # a cell's id has a space


@pytest.fixture(scope="module")
def placement(tmp_path_factory) -> dict[str, tuple[str, str]]:
    """Return {test id as collected: (worker, group)} of the inner run."""
    plugins = tmp_path_factory.mktemp("probe")
    (plugins / "skip_every_test.py").write_text(PROBE)
    # The inner run is not a worker of this one (should this one run in xdist), and keeps its files to itself.
    env = {name: value for name, value in os.environ.items() if not name.startswith("PYTEST_XDIST_")}
    options = ["-p", "skip_every_test", "-n", "2", "--dist", "loadgroup", "-rs", f"--basetemp={plugins / 'tmp'}"]
    proc = subprocess.run(
        [sys.executable, "-m", "pytest", *options, *MODULES],
        cwd=REPO,
        env={**env, "PYTHONPATH": str(plugins)},
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert proc.returncode == 0, proc.stdout[-3000:] + proc.stderr[-3000:]
    found = {}
    for worker, nodeid in SKIPPED.findall(proc.stdout):
        test, _, group = nodeid.rpartition("@") if "@" in nodeid.rsplit("]", 1)[-1] else (nodeid, "", "")
        found[test] = (worker, group)
    assert found, proc.stdout[-3000:]
    return found


def test_every_test_reaches_xdist_with_its_group(placement):
    ungrouped = [test for test, (_, group) in placement.items() if not group]
    assert not ungrouped, (
        f"pytest-xdist saw no group for {len(ungrouped)} tests (e.g. {ungrouped[0]}): loadgroup sends each on its own, "
        "and fixtures shared by a group are made once per worker; see tests/conftest.py and the pytest pin in "
        "requirements.txt"
    )


def test_each_group_runs_in_one_worker(placement):
    workers = defaultdict(set)
    for worker, group in placement.values():
        workers[group].add(worker)
    split = {group: sorted(names) for group, names in workers.items() if len(names) > 1}
    assert not split, f"groups split between workers: {split}"


def test_the_groups_follow_the_shared_fixtures(placement):
    def groups(prefix: str) -> set[str]:
        return {group for test, (_, group) in placement.items() if test.startswith(prefix)}

    # A module fixture: one group for the module; a notebook's cells: one group for the notebook.
    assert len(groups("tests/grading/test_resume.py::")) == 1
    assert groups(f"{NOTEBOOK}::") == {NOTEBOOK}
    # The session's release: one group for the tests of every module that use it.
    assert groups("tests/release/test_binder.py::") == {"session:tests/release"}
    assert groups("tests/release/test_dist.py::test_the_student_tree_holds") == {"session:tests/release"}
    # A module fixture with parameters: one group per parameter, so that its batches can go to both workers.
    params = {test.split("[")[1].rstrip("]") for test in placement if test.startswith("tests/data/test_photo_sets.py")}
    assert len(params) > 1
    per_param = [
        {group for test, (_, group) in placement.items() if test.startswith("tests/data/") and test.endswith(f"[{p}]")}
        for p in params
    ]
    assert all(len(one) == 1 for one in per_param) and len(set.union(*per_param)) == len(params), per_param
