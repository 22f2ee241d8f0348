"""map_on_cores: the same results as a plain loop, in order, on several cores or (when it cannot start processes) on
one."""

import concurrent.futures as cf

import numpy as np
import pytest

from cnnbook.data import parallel_build
from cnnbook.data.parallel_build import map_on_cores


def square_of_a_seeded_draw(item):
    """A module-level function of one item, as the workers need."""
    return np.random.default_rng(item).integers(100) ** 2


def test_results_come_back_in_order_from_worker_processes(monkeypatch):
    monkeypatch.setattr(parallel_build, "usable_cores", lambda: 2)
    items = list(range(40))
    assert map_on_cores(square_of_a_seeded_draw, items, min_items=10) == [square_of_a_seeded_draw(i) for i in items]


def test_few_items_are_computed_here(monkeypatch):
    def refuse(*args, **kwargs):
        raise AssertionError("no process pool for 3 items")

    monkeypatch.setattr(cf, "ProcessPoolExecutor", refuse)
    assert map_on_cores(square_of_a_seeded_draw, [1, 2, 3]) == [square_of_a_seeded_draw(i) for i in (1, 2, 3)]


def test_where_processes_cannot_start_it_warns_and_computes_here(monkeypatch):
    def forbidden(*args, **kwargs):
        raise OSError("fork is not allowed in this sandbox")

    monkeypatch.setattr(parallel_build, "usable_cores", lambda: 2)
    monkeypatch.setattr(cf, "ProcessPoolExecutor", forbidden)
    with pytest.warns(RuntimeWarning, match="could not render on 2 cores"):
        results = map_on_cores(square_of_a_seeded_draw, range(300))
    assert results == [square_of_a_seeded_draw(i) for i in range(300)]
