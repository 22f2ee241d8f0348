"""`make bench`: the distributed path against the local pool, on this machine (issue 20: Dask costs no more than the
pool, within DASK_MARGIN).

The same copies of the instructor notebook are graded twice in one run: by the local pool of two worker processes
(`--workers 2`), then through Dask (`--scheduler`, autograder.grade.dispatch.run_dask) on a distributed.LocalCluster
of two worker processes of one thread each. The cluster listens on 127.0.0.1 only and has no dashboard; it is
started before its run is timed, as an instructor's cluster is running before they grade, and its start is shown
beside. Neither side is warmed up: the pool's start is inside its time, and each Dask worker imports the grader at
its first submission.

    python -m benchmarks.distributed_grading [COPIES]
"""

import sys
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

from autograder.grade.coordinator import grade
from benchmarks.grading_throughput import make_copies, time_course_grader

ASSIGNMENT = "w1a1_conv_numpy"
WORKERS = 2
DASK_MARGIN = 0.10


@dataclass
class DaskVsPool:
    assignment: str
    copies: int
    pool_seconds: float
    dask_seconds: float
    cluster_start_seconds: float

    @property
    def ratio(self) -> float:
        """Dask's time over the pool's (1.0: the same)."""
        return self.dask_seconds / self.pool_seconds

    @property
    def over(self) -> bool:
        return self.ratio > 1 + DASK_MARGIN


def time_dask(assignment: str, copies: int, workers: int = WORKERS) -> tuple[float, float]:
    """Return (seconds to grade `copies` copies through a local Dask cluster of `workers` processes, seconds the
    cluster took to start)."""
    from distributed import LocalCluster  # the grader's optional path: imported only when it is measured

    with tempfile.TemporaryDirectory() as tmp:
        tmp = Path(tmp)
        make_copies(tmp / "subs", assignment, copies, nested=False)
        started = time.perf_counter()
        with LocalCluster(
            n_workers=workers,
            threads_per_worker=1,
            processes=True,
            host="127.0.0.1",
            dashboard_address=None,
        ) as cluster:
            cluster_start = time.perf_counter() - started
            started = time.perf_counter()
            rows = grade(assignment, tmp / "subs", tmp / "out", scheduler=cluster.scheduler_address, progress=False)
            seconds = time.perf_counter() - started
        if any(row.status != "graded" for row in rows):
            failed = next(row for row in rows if row.status != "graded")
            raise RuntimeError(f"grading the {assignment} solution through Dask failed: {failed.reason}")
        return seconds, cluster_start


def measure(assignment: str = ASSIGNMENT, copies: int = 24) -> DaskVsPool:
    """Grade `copies` copies with the local pool, then through Dask, and return both times."""
    pool, _ = time_course_grader(assignment, copies, workers=WORKERS)
    dask, cluster_start = time_dask(assignment, copies)
    return DaskVsPool(assignment, copies, pool, dask, cluster_start)


def print_table(result: DaskVsPool) -> bool:
    """Print the row; return whether Dask is over budget."""
    r = result
    print(
        f"| assignment | copies | local pool, {WORKERS} workers (s) | Dask, {WORKERS} local workers (s) | Dask vs pool "
        f"| cluster start (s) | budget |\n|---|---|---|---|---|---|---|"
    )
    print(
        f"| {r.assignment} | {r.copies} | {r.pool_seconds:.1f} ({r.copies / r.pool_seconds * 60:.0f}/min) | "
        f"{r.dask_seconds:.1f} ({r.copies / r.dask_seconds * 60:.0f}/min) | {r.ratio:.2f}x | "
        f"{r.cluster_start_seconds:.1f} | at most {1 + DASK_MARGIN:.2f}x{' OVER' if r.over else ''} |",
        flush=True,
    )
    return r.over


if __name__ == "__main__":
    sys.exit(1 if print_table(measure(copies=int(sys.argv[1]) if len(sys.argv) > 1 else 24)) else 0)
