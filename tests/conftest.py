"""Shared pytest set-up: instructor notebooks executed by nbval count as slow tests; tests grouped for pytest-xdist;
an offline data cache."""

import os
import posixpath

import pytest

from cnnbook.grading.mode import QUICK_DEMOS_ENV
from tests.support.offline import refuse_connections


def pytest_configure(config):
    # nbval's kernels inherit this: the instructor notebooks run their demos with the fewest steps (the demos'
    # full length and quality are measured by `make bench`, not by the tests).
    os.environ.setdefault(QUICK_DEMOS_ENV, "1")


# tryfirst: pytest-xdist's own hook reads the xdist_group marks into the tests' ids; it must find them there
# (tests/test_worker_groups.py checks that the groups reach xdist's scheduler).
@pytest.hookimpl(tryfirst=True)
def pytest_collection_modifyitems(config, items):
    for item in items:
        if item.path.suffix == ".ipynb":
            item.add_marker(pytest.mark.slow)
        item.add_marker(pytest.mark.xdist_group(share_group(item)))
    # Long groups first, so that no worker is left alone with one at the end (a stable sort keeps each group's
    # tests together and in their order).
    items.sort(key=lambda item: not item.get_closest_marker("slow"))


def share_group(item) -> str:
    """Return the xdist group of a test: the tests that must run in one worker because they share what a fixture made.

    `make test` runs the suite in two workers with `--dist loadgroup`. A fixture made once per module or per session
    is made once per worker, so tests sharing an expensive one (a graded batch, a release, nbgrader's exchange round
    trip) must land in one worker: every test of a module goes together (a notebook's cells too: nbval runs them in
    the workers, in one kernel); the users of a session fixture of ours go together by the folder of the conftest or
    module that defines it; a module fixture with parameters (one graded batch per assignment) splits its module
    into one group per parameter.
    """
    module = item.nodeid.split("::")[0]
    info = getattr(item, "_fixtureinfo", None)  # nbval's cells have none
    if info is None:
        return module
    defs = {name: fixtures[-1] for name, fixtures in info.name2fixturedefs.items() if fixtures}
    # a session fixture's baseid is its conftest's folder, or the test module that defines it: either way, its folder
    folders = sorted(
        posixpath.dirname(d.baseid) if d.baseid.endswith(".py") else d.baseid
        for d in defs.values()
        if d.scope == "session" and d.baseid
    )
    if folders:
        return f"session:{folders[0]}"
    callspec = getattr(item, "callspec", None)
    params = [
        f"{name}={callspec.params[name]}"
        for name, d in sorted(defs.items())
        if callspec and d.scope == "module" and name in callspec.params
    ]
    return "::".join([module, *params])


@pytest.fixture
def offline_cache(tmp_path, monkeypatch):
    """An empty data cache for one test, with the network refused."""
    monkeypatch.setenv("CNNBOOK_DATA_DIR", str(tmp_path))
    refuse_connections(monkeypatch)
    return tmp_path
