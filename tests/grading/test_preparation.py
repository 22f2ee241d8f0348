"""What the grader prepares once rather than per submission: the instructor notebook's gradebook, and the
hidden tests' cases, drawn while the kernel starts and written where the kernel cannot redirect them."""

import json
import os
import sqlite3

import pytest

from autograder.course import SOLUTIONS
from autograder.grade import case_drawing, workspace
from autograder.judging.cases import draw_cases


@pytest.fixture()
def gradebook_cache(tmp_path, monkeypatch):
    """A gradebook cache of this test's own, and a record of every nbgrader command run."""
    monkeypatch.setattr(workspace, "GRADEBOOK_CACHE", tmp_path / "cache")
    commands = []
    real = workspace.run_nbgrader

    def recording(*args, **kwargs):
        commands.append(args)
        return real(*args, **kwargs)

    monkeypatch.setattr(workspace, "run_nbgrader", recording)
    return commands


def new_workspace(folder):
    folder.mkdir(parents=True)
    return workspace.Workspace(folder, f"sqlite:///{folder / 'gradebook.db'}")


def notebook_names(db):
    with sqlite3.connect(db) as connection:
        return [row[0] for row in connection.execute("SELECT name FROM notebook")]


@pytest.mark.slow
def test_the_gradebook_is_generated_once_per_version_of_the_instructor_notebook(tmp_path, monkeypatch, gradebook_cache):
    first, second = tmp_path / "first.db", tmp_path / "second.db"
    workspace.generate_source_gradebook("w1a1_conv_numpy", new_workspace(tmp_path / "a"), first)
    workspace.generate_source_gradebook("w1a1_conv_numpy", new_workspace(tmp_path / "b"), second)
    assert [c[0] for c in gradebook_cache] == ["generate_assignment"]  # the second came from the cache
    assert notebook_names(first) == notebook_names(second) == ["w1a1_conv_numpy"]
    cached = list((tmp_path / "cache").iterdir())
    assert len(cached) == 1 and oct(cached[0].stat().st_mode & 0o777) == "0o600"  # the grader's alone

    # Another version of the instructor notebook: generated again, and the stale copy goes.
    monkeypatch.setattr(workspace, "source_key", lambda assignment: "another-version")
    workspace.generate_source_gradebook("w1a1_conv_numpy", new_workspace(tmp_path / "c"), tmp_path / "third.db")
    assert len(gradebook_cache) == 2
    assert [p.name for p in (tmp_path / "cache").iterdir()] == ["w1a1_conv_numpy-another-version.db"]


def test_the_key_changes_with_the_instructor_notebook(tmp_path, monkeypatch):
    before = workspace.source_key("w1a1_conv_numpy")
    copy = tmp_path / "solutions" / "w1a1_conv_numpy"
    copy.mkdir(parents=True)
    text = (SOLUTIONS / "w1a1_conv_numpy" / "w1a1_conv_numpy.ipynb").read_text()
    (copy / "w1a1_conv_numpy.ipynb").write_text(text.replace("zero_pad", "zero_pad ", 1))
    monkeypatch.setattr(workspace, "SOLUTIONS", tmp_path / "solutions")
    assert workspace.source_key("w1a1_conv_numpy") != before


def test_cases_are_written_for_the_probe_and_returned_to_the_judge(tmp_path):
    probes = tmp_path / ".probe"
    probes.mkdir()
    drawing = case_drawing.CaseDrawing("w1a1_conv_numpy", 5, probes)
    drawing.start()
    cases = drawing.result()
    assert set(cases) == set(draw_cases("w1a1_conv_numpy", 5))
    for grade_id, drawn in cases.items():
        written = json.loads((probes / f"{grade_id}.json").read_text())["cases"]
        assert len(written) == len(drawn)


def test_cases_go_to_the_folder_made_for_them_even_if_the_kernel_moves_it(tmp_path):
    work = tmp_path / "work"
    work.mkdir()
    probes = work / ".probe"
    probes.mkdir()
    drawing = case_drawing.CaseDrawing("w1a1_conv_numpy", 5, probes)  # opens the folder now
    os.rename(probes, work / "moved")  # what a kernel could do before the files exist
    decoy = work / ".probe"
    decoy.mkdir()
    target = tmp_path / "outside.json"
    os.symlink(target, decoy / "test_zero_pad.json")
    drawing.start()
    drawing.result()
    assert (work / "moved" / "test_zero_pad.json").is_file()
    assert not target.exists()


def test_a_failure_to_draw_reaches_the_caller(tmp_path, monkeypatch):
    def broken(assignment, seed):
        raise RuntimeError("no reference for this test")

    monkeypatch.setattr(case_drawing, "cases_of", broken)
    drawing = case_drawing.CaseDrawing("w1a1_conv_numpy", 5, tmp_path)
    drawing.start()
    with pytest.raises(RuntimeError, match="no reference"):
        drawing.result()


def test_waiting_for_the_cases_starts_the_drawing_once(tmp_path):
    probes = tmp_path / ".probe"
    probes.mkdir()
    drawing = case_drawing.CaseDrawing("w1a1_conv_numpy", 5, probes)
    drawing.start_once()  # the kernel answered
    drawing.start_once()  # a kernel started again after a crash: the same drawing goes on
    drawing.wait()  # before the first test cell
    assert {p.stem for p in probes.iterdir()} == set(draw_cases("w1a1_conv_numpy", 5))


def test_a_drawing_that_never_started_gives_up_its_folder(tmp_path):
    drawing = case_drawing.CaseDrawing("w1a1_conv_numpy", 5, tmp_path)  # the kernel then never answers
    folder = drawing.folder
    drawing.finish()
    with pytest.raises(OSError):
        os.fstat(folder)  # closed, not leaked
    with pytest.raises(RuntimeError, match="never started"):
        drawing.result()


def test_workers_draw_early_only_while_the_coordinator_runs_nbgrader(tmp_path, monkeypatch):
    monkeypatch.setattr(workspace, "GRADEBOOK_CACHE", tmp_path / "cache")
    out = tmp_path / "out"
    out.mkdir()
    assert workspace.coordinator_runs_nbgrader("w1a1_conv_numpy", out, None)  # no cached gradebook yet
    workspace.cached_gradebook("w1a1_conv_numpy").parent.mkdir()
    workspace.cached_gradebook("w1a1_conv_numpy").write_bytes(b"")
    assert not workspace.coordinator_runs_nbgrader("w1a1_conv_numpy", out, None)
    assert workspace.coordinator_runs_nbgrader("w1a1_conv_numpy", out, "postgresql://example/gradebook")
    (out / "gradebook.db").write_bytes(b"")  # a resumed run registers the assignment again
    assert workspace.coordinator_runs_nbgrader("w1a1_conv_numpy", out, None)
