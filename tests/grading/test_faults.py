"""Grading survives faults injected during a real batch, and loses nothing: a worker killed with SIGKILL midway,
the PostgreSQL gradebook's server stopped and started again midway, the output folder's disk full.

(The grading command itself killed and run again is tests/grading/test_resume.py: the rerun grades nothing
twice and its grades.csv equals an uninterrupted run's.)
"""

import csv
import json
import os
import signal
import sqlite3
import subprocess
import sys
import threading
import time
from pathlib import Path

import psutil
import pytest
from sqlalchemy.exc import OperationalError

from autograder import similarity, similarity_report
from autograder.course import ASSIGNMENTS, REPO, SOLUTIONS
from autograder.grade.coordinator import grade
from autograder.gradebook import GradebookUnavailable, patiently
from autograder.output_files import OutputFolderFull, naming_a_full_folder, write_whole
from autograder.sandbox.bubblewrap import bubblewrap
from autograder.sandbox.cgroups import cap_support
from tests.support.postgres import BINARIES, PostgresServer

A = "w1a1_conv_numpy"
SCORES = {"s1": 14.0, "s2": 14.0, "s4": 0.0}  # two instructor notebooks, then the untouched release


def write_batch(folder: Path, students=tuple(SCORES)) -> None:
    """Write one notebook per student: the instructor's for a full score, the release for zero."""
    for student in students:
        (folder / student).mkdir(parents=True)
        source = SOLUTIONS if SCORES[student] else ASSIGNMENTS
        (folder / student / f"{A}.ipynb").write_bytes((source / A / f"{A}.ipynb").read_bytes())


def command(subs: Path, out: Path, *extra: str) -> list[str]:
    base = [sys.executable, "-m", "autograder.grade", A, str(subs), "--out", str(out), "--workers", "1"]
    return [*base, "--seed", "7", *extra]


def saved(out: Path) -> dict[str, int]:
    """Return {saved result: its modification time}."""
    return {p.name: p.stat().st_mtime_ns for p in (out / ".nbgrader" / "results").glob("*.json")}


def wait_for(condition, seconds: float = 300) -> None:
    """Wait until `condition()` holds (or fail the test after `seconds`)."""
    deadline = time.monotonic() + seconds
    while not condition():
        if time.monotonic() > deadline:
            pytest.fail(f"waited {seconds} s in vain")
        time.sleep(0.2)


def stop_group(proc: subprocess.Popen) -> None:
    """Kill what is left of a grading command started in a session of its own (its pool of workers included)."""
    try:
        os.killpg(proc.pid, signal.SIGKILL)
    except ProcessLookupError:
        pass
    proc.wait()


def scores_in(out: Path) -> dict[str, float]:
    with (out / "grades.csv").open() as fh:
        return {r["student_id"]: float(r["score"]) for r in csv.DictReader(fh)}


# --- The parts, without a batch ---------------------------------------------------------------------------------


def test_a_database_that_stays_away_gives_a_clear_error_without_its_password():
    def refuse():
        raise OperationalError("connect", {}, Exception("could not connect to server: Connection refused"))

    with pytest.raises(GradebookUnavailable) as caught:
        patiently(refuse, "postgresql://grader:secret@db.example/course", seconds=1)
    message = str(caught.value)
    assert "postgresql://grader:***@db.example/course" in message and "secret" not in message
    assert "Connection refused" in message and "run the same command again" in message


def test_a_query_error_is_not_waited_out():
    calls = []

    def fail():
        calls.append(1)
        raise OperationalError("select", {}, Exception("no such table: grade"))

    with pytest.raises(OperationalError):
        patiently(fail, "sqlite:///gradebook.db", seconds=30)
    assert len(calls) == 1


def test_a_file_that_cannot_be_written_whole_is_not_written_at_all(tmp_path, monkeypatch):
    target = tmp_path / "grades.csv"
    target.write_text("the old grades\n")

    def no_room(*args):
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(os, "replace", no_room)
    with pytest.raises(OutputFolderFull) as caught, naming_a_full_folder(tmp_path):
        write_whole(target, "half of the new grades")
    assert f"the output folder {tmp_path} is full" in str(caught.value)
    assert target.read_text() == "the old grades\n" and sorted(tmp_path.iterdir()) == [target]


def sqlite_io_error() -> OperationalError:
    """The error SQLite gives, through SQLAlchemy, when a write to its log or shared-memory file fails."""
    return OperationalError("insert", {}, sqlite3.OperationalError("disk I/O error"))


def test_a_database_io_error_on_a_full_folder_names_the_folder(small_folder):
    fill(small_folder)
    with pytest.raises(OutputFolderFull) as caught, naming_a_full_folder(small_folder):
        raise sqlite_io_error()
    assert f"the output folder {small_folder} is full" in str(caught.value)


def test_a_database_io_error_with_room_left_is_not_called_full(tmp_path):
    with pytest.raises(OperationalError), naming_a_full_folder(tmp_path):
        raise sqlite_io_error()


WRITERS = {  # the run's other output files, each written by its own module: (file in OUT, how to write it)
    "similarity.html": lambda out: similarity_report.write_html(out / "similarity.html", A, []),
    "similarity.csv": lambda out: similarity_report.write_csv(out / "similarity.csv", A, []),
    ".nbgrader/answers.json": lambda out: similarity.save_answers(out, A, {}),
}


@pytest.mark.parametrize("name", WRITERS)
def test_the_similarity_files_are_written_whole_or_not_at_all(tmp_path, monkeypatch, name):
    target = tmp_path / name
    target.parent.mkdir(parents=True, exist_ok=True)
    target.write_text("the last run's\n")

    def no_room(*args):
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(os, "replace", no_room)
    with pytest.raises(OutputFolderFull), naming_a_full_folder(tmp_path):
        WRITERS[name](tmp_path)
    assert target.read_text() == "the last run's\n" and sorted(target.parent.iterdir()) == [target]


# --- Faults injected during a real batch --------------------------------------------------------------------------


@pytest.mark.slow
@pytest.mark.skipif(bubblewrap() is None, reason="bubblewrap is not installed (make install installs it)")
def test_a_worker_killed_midway_is_replaced_and_its_submission_graded_again(tmp_path):
    write_batch(tmp_path / "subs")
    killed, done = [], threading.Event()

    def kill_a_worker_while_it_runs_a_kernel():
        while not done.wait(0.2) and not killed:
            for proc in psutil.Process().children(recursive=True):
                try:
                    worker = proc.parent() if proc.name() == "bwrap" else None
                    if worker is not None and worker.pid != os.getpid():
                        worker.kill()
                        killed.append(worker.pid)
                        return
                except psutil.Error:
                    continue

    killer = threading.Thread(target=kill_a_worker_while_it_runs_a_kernel, daemon=True)
    killer.start()
    try:
        rows = grade(A, tmp_path / "subs", tmp_path / "out", workers=2, seed=7, progress=False)
    finally:
        done.set()
        killer.join()
    assert killed, "no worker was caught running a kernel"
    assert [(r.student_id, r.status, r.score) for r in rows] == [(s, "graded", SCORES[s]) for s in SCORES]
    # The killed worker's cgroup went with the next submission that made one.
    for _, parent in cap_support().roots:
        assert not list(parent.glob(f"{killed[0]}-*")), f"the killed worker's cgroup is still in {parent}"


@pytest.fixture
def postgres():
    if not BINARIES:
        pytest.fail("PostgreSQL's server is not installed: run `make install` (scripts/install-system-packages.sh)")
    with PostgresServer(port=55433) as server:
        yield server


@pytest.mark.slow
def test_the_database_restarted_midway_loses_no_row_and_doubles_none(tmp_path, postgres):
    from nbgrader.api import Gradebook

    subs, out = tmp_path / "subs", tmp_path / "out"
    write_batch(subs)
    log = (tmp_path / "grading.log").open("w")
    proc = subprocess.Popen(
        command(subs, out, "--db", postgres.url), cwd=REPO, stdout=log, stderr=log, start_new_session=True
    )
    try:
        wait_for(lambda: len(saved(out)) >= 1 or proc.poll() is not None)
        # Stopped as the first result is being recorded: the grader must wait for the database, not lose the result
        # (the workers go on meanwhile).
        postgres.stop()
        time.sleep(10)
        postgres.start()
        assert proc.wait(timeout=600) == 0, (tmp_path / "grading.log").read_text()[-3000:]
    finally:
        stop_group(proc)
    first = saved(out)
    subprocess.run(command(subs, out, "--db", postgres.url), cwd=REPO, check=True, capture_output=True)
    assert saved(out) == first, "the rerun graded a submission again"
    assert scores_in(out) == SCORES
    with Gradebook(postgres.url) as gb:
        assert sorted(s.id for s in gb.students) == sorted(SCORES)
        assert sorted(s.student.id for s in gb.assignment_submissions(A)) == sorted(SCORES)
        assert {s: gb.find_submission(A, s).score for s in SCORES} == SCORES


@pytest.fixture
def small_folder(tmp_path):
    """A folder on a tmpfs of 64 MB of its own, so that filling it fills no other disk."""
    if os.geteuid() != 0:
        pytest.skip("mounting a small file system for the output folder needs root")
    folder = tmp_path / "out"
    folder.mkdir()
    subprocess.run(["mount", "-t", "tmpfs", "-o", "size=64m", "tmpfs", str(folder)], check=True)
    try:
        yield folder
    finally:
        subprocess.run(["umount", "--lazy", str(folder)], check=False)


def fill(folder: Path) -> Path:
    """Fill the disk of `folder` with one file, up to the last byte; return the file."""
    ballast = folder / "ballast"
    with ballast.open("wb", buffering=0) as fh:  # unbuffered: nothing is left to write when it is closed
        for size in (1 << 20, 4096, 1):
            try:
                while True:
                    fh.write(b"\0" * size)
            except OSError:
                continue
    return ballast


@pytest.mark.slow
def test_a_full_output_folder_stops_with_a_clear_error_and_a_rerun_completes(tmp_path, small_folder):
    subs, out = tmp_path / "subs", small_folder
    write_batch(subs)
    proc = subprocess.Popen(
        command(subs, out), cwd=REPO, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, start_new_session=True
    )
    try:
        wait_for(lambda: len(saved(out)) >= 1 or proc.poll() is not None)
        ballast = fill(out)
        _, stderr = proc.communicate(timeout=600)
    finally:
        stop_group(proc)
    assert proc.returncode == 3, stderr[-3000:]
    assert f"error: the output folder {out} is full" in stderr and "run the same command again" in stderr, stderr
    assert "Traceback" not in stderr
    assert not [p for p in out.rglob("*") if p.name.endswith(".part")], "a file was left half-written"
    kept = saved(out)
    for name in kept:
        json.loads((out / ".nbgrader" / "results" / name).read_text())  # whole, or not there at all
    assert 1 <= len(kept) < len(SCORES)
    ballast.unlink()
    subprocess.run(command(subs, out), cwd=REPO, check=True, capture_output=True)
    assert scores_in(out) == SCORES
    after = saved(out)
    assert {name: after[name] for name in kept} == kept, "the rerun graded a saved submission again"
