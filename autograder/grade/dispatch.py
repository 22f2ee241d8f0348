"""Hand the submissions to workers: a pool of local processes, or the workers of a Dask cluster, surviving
workers that die."""

import concurrent.futures as cf
import multiprocessing
import os

from autograder.grade import worker
from autograder.sandbox.bubblewrap import bubblewrap


def start_pool(
    workers: int, assignment: str | None = None, seed: int | None = None, ahead: tuple | None = None
) -> cf.ProcessPoolExecutor:
    """Start `workers` local worker processes now: they import the grader and, given `assignment`, draw the hidden
    tests' cases of `assignment` for `seed` while the coordinator prepares (worth it only while the coordinator
    runs nbgrader: otherwise the drawing would slow the start of the first submission, which draws them anyway);
    given `ahead` (assignment, limits, hidden folders), each starts its first submission's kernel."""
    context = multiprocessing.get_context("forkserver")
    context.set_forkserver_preload(["autograder.grade.worker"])  # imported once, then every worker is a fork of it
    pool = cf.ProcessPoolExecutor(max_workers=workers, mp_context=context)
    for _ in range(workers):
        pool.submit(worker.warm_up, assignment, seed, ahead)
    return pool


def run_local(tasks: list[worker.Task], workers: int, pool: cf.ProcessPoolExecutor | None = None, retries: int = 2):
    """Yield the outcome of every task from a pool of `workers` local processes, as each finishes.

    A worker process that dies (killed, out of memory) breaks the pool: a new pool takes the tasks that
    were not finished, each at most `retries` more times, so one such submission cannot stop the batch.
    """
    pending, attempts = list(tasks), {task.student_id: 0 for task in tasks}
    while pending:
        broken = []
        running = pool or start_pool(workers)
        try:
            futures = {running.submit(worker.run, task): task for task in pending}
            for future in cf.as_completed(futures):
                task = futures[future]
                if isinstance(future.exception(), cf.process.BrokenProcessPool):
                    attempts[task.student_id] += 1
                    if attempts[task.student_id] <= retries:
                        broken.append(task)
                        continue
                yield outcome_of(future, task)
        finally:
            # Closed early (the coordinator met an error): what has not started is dropped, not graded unrecorded.
            running.shutdown(wait=True, cancel_futures=True)
        pending, pool = broken, None


def run_dask(tasks: list[worker.Task], address: str):
    """Yield the outcome of every task from the Dask cluster whose scheduler is at `address`."""
    from distributed import Client, as_completed

    with Client(address, timeout="30s") as client:
        futures = {
            client.submit(worker.run, task, pure=False, key=f"grade-{task.student_id}-{os.getpid()}"): task
            for task in tasks
        }
        for future in as_completed(futures):
            yield outcome_of(future, futures[future])


def outcome_of(future, task: worker.Task) -> worker.Outcome:
    """Return the future's outcome, or an error outcome when the worker itself failed."""
    try:
        return future.result()
    except Exception as exc:  # a worker that crashes must not stop the batch
        return worker.Outcome(
            task.student_id,
            "error",
            f"the grading worker failed ({type(exc).__name__}: {exc})",
            None,
            0.0,
            0.0,
            bubblewrap() is not None,
        )
