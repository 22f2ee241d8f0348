"""Rendering the larger data sets on every core: on one core their first build takes 10 to 14 s.

Every item of a data set is drawn from its own seed, so splitting the work between processes changes
nothing in the result. Processes are spawned, not forked: the caller may be a kernel that already runs
TensorFlow's threads, which a fork would copy in an unknown state.

Used by: cnnbook.data.faces, cnnbook.data.street_scenes
"""

import concurrent.futures as cf
import multiprocessing
import os
import warnings

__all__ = ["map_on_cores", "usable_cores"]

MIN_ITEMS = 200  # below this, starting the processes costs more than it saves


def usable_cores() -> int:
    """Return how many cores this process may run on."""
    return len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else (os.cpu_count() or 1)


def map_on_cores(func, items, min_items: int = MIN_ITEMS) -> list:
    """Return [func(item) for item in items], computed in worker processes on every usable core when that pays.

    Arguments:
    func -- a module-level function (the workers import it by name) of one item
    items -- the items, each enough by itself to compute its result
    min_items -- fewer items than this are computed here, one after another
    Returns:
    results -- list of func(item), in the order of items

    Where worker processes cannot be started (a sandbox that forbids them, a daemon process), the items
    are computed here instead, with a warning that says so.
    """
    items = list(items)
    cores = usable_cores()
    if cores < 2 or len(items) < min_items:
        return [func(item) for item in items]
    try:
        with cf.ProcessPoolExecutor(max_workers=cores, mp_context=multiprocessing.get_context("spawn")) as pool:
            return list(pool.map(func, items, chunksize=max(1, len(items) // (4 * cores))))
    except (OSError, AssertionError, cf.process.BrokenProcessPool) as exc:
        warnings.warn(
            f"could not render on {cores} cores ({type(exc).__name__}: {exc}); rendering on one, "
            f"which takes a few times longer",
            RuntimeWarning,
            stacklevel=2,
        )
        return [func(item) for item in items]
