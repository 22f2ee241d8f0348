"""Shared pytest set-up: instructor notebooks executed by nbval count as slow tests."""
import pytest


def pytest_collection_modifyitems(config, items):
    for item in items:
        if item.path.suffix == ".ipynb":
            item.add_marker(pytest.mark.slow)
