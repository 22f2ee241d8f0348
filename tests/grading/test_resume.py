"""A grading run killed midway finishes when run again, grades nothing twice, and gives the same gradebook."""

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import nbformat
import pytest

from autograder.course import ASSIGNMENTS, REPO, SOLUTIONS
from tests.assignments.w1a1_conv_numpy import catalogue
from tests.support.variants import mistakes_for

pytestmark = pytest.mark.slow
A = "w1a1_conv_numpy"


def command(subs: Path, out: Path, *extra: str) -> list[str]:
    # One seed for every run, so runs can be compared (by default each output folder draws its own).
    return [
        sys.executable,
        "-m",
        "autograder.grade",
        A,
        str(subs),
        "--out",
        str(out),
        "--workers",
        "1",
        "--seed",
        "7",
        *extra,
    ]


def make_batch(folder: Path) -> None:
    solution = nbformat.read(SOLUTIONS / A / f"{A}.ipynb", as_version=4)
    for k, variant in enumerate(mistakes_for(catalogue)[:4]):
        nb = nbformat.read(SOLUTIONS / A / f"{A}.ipynb", as_version=4)
        next(
            c for c in nb.cells if c.metadata.get("nbgrader", {}).get("grade_id") == variant.function
        ).source = variant.source()
        (folder / f"s{k}").mkdir(parents=True)
        nbformat.write(nb, folder / f"s{k}" / f"{A}.ipynb")
    (folder / "s8").mkdir()
    nbformat.write(solution, folder / "s8" / f"{A}.ipynb")
    (folder / "s9").mkdir()
    (folder / "s9" / f"{A}.ipynb").write_bytes((ASSIGNMENTS / A / f"{A}.ipynb").read_bytes())


def saved(out: Path) -> dict[str, int]:
    return {p.name: p.stat().st_mtime_ns for p in (out / ".nbgrader" / "results").glob("*.json")}


@pytest.fixture(scope="module")
def runs(tmp_path_factory):
    root = tmp_path_factory.mktemp("resume")
    make_batch(root / "subs")
    subprocess.run(command(root / "subs", root / "whole"), check=True, capture_output=True, cwd=REPO)

    proc = subprocess.Popen(
        command(root / "subs", root / "killed"),
        cwd=REPO,
        start_new_session=True,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    deadline = time.monotonic() + 300
    while len(saved(root / "killed")) < 2 and time.monotonic() < deadline and proc.poll() is None:
        time.sleep(0.2)
    os.killpg(proc.pid, signal.SIGKILL)
    proc.wait()
    before = saved(root / "killed")
    subprocess.run(command(root / "subs", root / "killed"), check=True, capture_output=True, cwd=REPO)
    return {"root": root, "before": before, "after": saved(root / "killed")}


def test_the_run_was_killed_midway(runs):
    assert 2 <= len(runs["before"]) < 6


def test_the_second_run_finishes_the_batch_without_regrading(runs):
    assert len(runs["after"]) == 6
    for name, mtime in runs["before"].items():
        assert runs["after"][name] == mtime, f"{name} was graded again"


def test_the_gradebook_is_the_same_as_an_uninterrupted_run(runs):
    root = runs["root"]
    assert (root / "killed" / "grades.csv").read_text() == (root / "whole" / "grades.csv").read_text()


def test_regrade_one_student_is_a_flag(runs):
    root = runs["root"]
    first = saved(root / "whole")
    subprocess.run(command(root / "subs", root / "whole", "--regrade", "s8"), check=True, capture_output=True, cwd=REPO)
    again = saved(root / "whole")
    assert again["s8.json"] != first["s8.json"]
    assert {k: v for k, v in again.items() if k != "s8.json"} == {k: v for k, v in first.items() if k != "s8.json"}


def test_regrade_one_question_judges_it_again_without_running_anything(runs, monkeypatch):
    import csv

    from autograder.grade import coordinator
    from autograder.judging.cases import HiddenTest, hidden_tests

    root = runs["root"]
    out = root / "whole"

    def table():
        with (out / "grades.csv").open() as fh:
            return {r["student_id"]: r for r in csv.DictReader(fh)}

    before = table()
    monkeypatch.setattr(coordinator, "run_local", lambda *a, **k: pytest.fail("a notebook was run again"))
    monkeypatch.setattr(coordinator, "start_pool", lambda *a, **k: pytest.fail("workers started with nothing to run"))
    tests = hidden_tests(A)
    real = tests["test_zero_pad"]
    monkeypatch.setitem(
        tests, "test_zero_pad", HiddenTest(real.function, real.make_cases, lambda cases, results: "too strict")
    )
    coordinator.grade(A, root / "subs", out, workers=1, seed=7, regrade_question="test_zero_pad", progress=False)
    strict = table()
    for student, row in before.items():
        if row["status"] != "graded":
            continue
        assert float(strict[student]["test_zero_pad"]) == 0
        others = {k: v for k, v in row.items() if k not in ("test_zero_pad", "score", "reason")}
        assert others == {k: v for k, v in strict[student].items() if k not in ("test_zero_pad", "score", "reason")}
    monkeypatch.setitem(tests, "test_zero_pad", real)
    coordinator.grade(A, root / "subs", out, workers=1, seed=7, regrade_question="test_zero_pad", progress=False)
    assert table() == before
