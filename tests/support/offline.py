"""Helpers of the data tests: build course data offline, in a cache of the test's own (fixture: conftest.py)."""

import socket

import numpy as np


def refuse_connections(mp):
    """Make every attempt to open a network connection fail (the data must never be downloaded)."""

    def refuse(*args, **kwargs):
        raise OSError("network access attempted while building course data")

    mp.setattr(socket.socket, "connect", refuse)
    mp.setattr(socket, "create_connection", refuse)


def assert_same(first, second):
    """Assert two sequences of arrays are equal, dtype included."""
    assert len(first) == len(second)
    for a, b in zip(first, second):
        assert a.dtype == b.dtype
        np.testing.assert_array_equal(a, b)
