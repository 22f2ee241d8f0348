"""Shared pytest set-up: instructor notebooks executed by nbval count as slow tests; an offline data cache."""

import os

import pytest

from cnnbook.grading.mode import QUICK_DEMOS_ENV
from tests.support.offline import refuse_connections


def pytest_configure(config):
    # nbval's kernels inherit this: the instructor notebooks run their demos with the fewest steps (the demos'
    # full length and quality are measured by `make bench`, not by the tests).
    os.environ.setdefault(QUICK_DEMOS_ENV, "1")


def pytest_collection_modifyitems(config, items):
    for item in items:
        if item.path.suffix == ".ipynb":
            item.add_marker(pytest.mark.slow)


@pytest.fixture
def offline_cache(tmp_path, monkeypatch):
    """An empty data cache for one test, with the network refused."""
    monkeypatch.setenv("CNNBOOK_DATA_DIR", str(tmp_path))
    refuse_connections(monkeypatch)
    return tmp_path
