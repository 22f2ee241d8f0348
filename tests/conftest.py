"""Shared pytest set-up: instructor notebooks executed by nbval count as slow tests; an offline data cache."""
import pytest

from tests.offline import refuse_connections


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
