"""Grading on a Dask cluster (here a local one) gives the same gradebook as the local pool of workers, and its
outcomes carry where their time went as the pool's do."""

import json

import nbformat
import pytest

from autograder.course import ASSIGNMENTS, SOLUTIONS
from autograder.grade.coordinator import grade
from tests.assignments.w1a1_conv_numpy import catalogue
from tests.support.variants import mistakes_for

pytestmark = pytest.mark.slow
A = "w1a1_conv_numpy"


def test_a_dask_cluster_grades_like_the_local_pool(tmp_path):
    from distributed import LocalCluster

    subs = tmp_path / "subs"
    (subs / "solution").mkdir(parents=True)
    nbformat.write(nbformat.read(SOLUTIONS / A / f"{A}.ipynb", as_version=4), subs / "solution" / f"{A}.ipynb")
    (subs / "release").mkdir()
    (subs / "release" / f"{A}.ipynb").write_bytes((ASSIGNMENTS / A / f"{A}.ipynb").read_bytes())
    variant = mistakes_for(catalogue, "conv_forward")[0]
    nb = nbformat.read(SOLUTIONS / A / f"{A}.ipynb", as_version=4)
    next(
        c for c in nb.cells if c.metadata.get("nbgrader", {}).get("grade_id") == "conv_forward"
    ).source = variant.source()
    (subs / "mistake").mkdir()
    nbformat.write(nb, subs / "mistake" / f"{A}.ipynb")

    local = grade(A, subs, tmp_path / "local", workers=2, progress=False)
    with LocalCluster(n_workers=2, threads_per_worker=1, processes=True, dashboard_address=None) as cluster:
        remote = grade(A, subs, tmp_path / "dask", scheduler=cluster.scheduler_address, progress=False)
    assert [(r.student_id, r.status, r.score) for r in remote] == [(r.student_id, r.status, r.score) for r in local]
    assert (tmp_path / "dask" / "grades.csv").read_text() == (tmp_path / "local" / "grades.csv").read_text()
    assert {r.student_id: r.score for r in remote}["solution"] == 14
    assert {r.student_id: r.points["test_conv_forward"] for r in remote}["mistake"] == 0
    for saved in (tmp_path / "dask" / ".nbgrader" / "results").glob("*.json"):
        outcome = json.loads(saved.read_text())
        assert outcome["phases"]["kernel_start"] > 0 and outcome["phases"]["test_cells"] > 0, saved.name
        assert sum(outcome["phases"].values()) <= outcome["seconds"] + 1e-6, saved.name
