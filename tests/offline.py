"""Helpers of the data tests: build course data offline, in a cache of the test's own."""
import socket

import numpy as np
import pytest


def refuse_connections(mp):
    """Make every attempt to open a network connection fail (the data must never be downloaded)."""
    def refuse(*args, **kwargs):
        raise OSError("network access attempted while building course data")
    mp.setattr(socket.socket, "connect", refuse)
    mp.setattr(socket, "create_connection", refuse)


@pytest.fixture
def offline_cache(tmp_path, monkeypatch):
    """An empty data cache for one test, with the network refused."""
    monkeypatch.setenv("CNNBOOK_DATA_DIR", str(tmp_path))
    refuse_connections(monkeypatch)
    return tmp_path


def assert_same(first, second):
    """Assert two sequences of arrays are equal, dtype included."""
    assert len(first) == len(second)
    for a, b in zip(first, second):
        assert a.dtype == b.dtype
        np.testing.assert_array_equal(a, b)
