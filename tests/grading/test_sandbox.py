"""The sandbox around a student's kernel: each attack sits in a solution cell beside a correct function.

The attack must be stopped (the cell fails, the row says why), the batch must finish, and the correct
function must still earn its points.
"""

import csv

import nbformat
import pytest

from autograder.course import REPO, SOLUTIONS
from autograder.grade.coordinator import grade
from autograder.sandbox.bubblewrap import bubblewrap
from autograder.sandbox.limits import Limits

pytestmark = [
    pytest.mark.slow,
    pytest.mark.skipif(bubblewrap() is None, reason="bubblewrap is not installed (make install installs it)"),
]
A = "w1a1_conv_numpy"
ZERO_PAD = """def zero_pad(X, pad):
    return np.pad(X, ((0, 0), (pad, pad), (pad, pad), (0, 0)))
"""
ATTACKS = {
    "network": "import socket\nsocket.create_connection(('1.1.1.1', 80), timeout=5)",
    "write_outside": f"open({str(REPO / 'escaped-by-a-student.txt')!r}, 'w').write('pwned')",
    "read_autograder": f"print(open({str(REPO / 'autograder' / A / 'reference.py')!r}).read())",
    "read_others": "import pathlib\nprint([p.read_text() for p in pathlib.Path(OTHERS).rglob('*.ipynb')])",
    "memory": "blocks = []\nwhile True:\n    blocks.append(bytearray(10**8))",
    "fork_bomb": "import os\nwhile True:\n    os.fork()",
    "print_forever": "while True:\n    print('spam ' * 1000)",
}
# Each attack is stopped one way or another: which way can depend on where the repository lies and on load.
EXPECTED = {
    "network": "OSError",
    "write_outside": "OSError|PermissionError",
    "read_autograder": "FileNotFoundError",
    "read_others": "PermissionError|FileNotFoundError|\\[\\]",
    "memory": "MemoryError",
    "fork_bomb": "ProcessesStopped|BlockingIOError|CellTimeoutError|made the kernel die|processes and threads",
    "print_forever": "printed more than",
}


@pytest.fixture(scope="module")
def graded(tmp_path_factory):
    root = tmp_path_factory.mktemp("sandbox")
    subs = root / "submissions"
    for name, attack in ATTACKS.items():
        nb = nbformat.read(SOLUTIONS / A / f"{A}.ipynb", as_version=4)
        cell = next(c for c in nb.cells if c.metadata.get("nbgrader", {}).get("grade_id") == "zero_pad")
        cell.source = ZERO_PAD + attack.replace("OTHERS", repr(str(subs)))
        (subs / name).mkdir(parents=True)
        nbformat.write(nb, subs / name / f"{A}.ipynb")
    # 128 processes: the fork bomb's copies (each dirties a few MB of the kernel it copies) meet the process cap
    # long before 3 GB of memory, so the cell ends in an error and its function keeps its points.
    limits = Limits(
        memory_bytes=3 * 1024**3, processes=128, cell_seconds=20, notebook_seconds=300, output_bytes=512 * 1024
    )
    rows = grade(A, subs, root / "out", limits=limits, progress=False)
    with (root / "out" / "grades.csv").open() as fh:
        return {
            "rows": {r.student_id: r for r in rows},
            "csv": {r["student_id"]: r for r in csv.DictReader(fh)},
            "out": root / "out",
        }


@pytest.mark.parametrize("attack", ATTACKS)
def test_the_attack_is_stopped_and_the_row_says_so(graded, attack):
    import re

    row = graded["csv"][attack]
    assert row["status"] == "graded", row["reason"]
    executed = nbformat.read(graded["out"] / ".nbgrader" / "autograded" / attack / A / f"{A}.ipynb", as_version=4)
    cell = next(c for c in executed.cells if c.metadata.get("nbgrader", {}).get("grade_id") == "zero_pad")
    shown = " ".join(
        o.get("ename", "") + " " + str(o.get("evalue", "")) + " " + str(o.get("text", "")) for o in cell.outputs
    )
    assert re.search(EXPECTED[attack], shown), shown[:500]
    if attack not in (
        "print_forever",
        "read_others",
    ):  # these are stopped without an error: cut short, or shown nothing
        # Stopped with an error, or (a fork bomb's copies slowing the kernel down under load) by the cell limit.
        assert "cell" in row["reason"] and ("raised an error" in row["reason"] or "ran past the" in row["reason"]), row[
            "reason"
        ]


@pytest.mark.parametrize("attack", ATTACKS)
def test_the_correct_function_keeps_its_points(graded, attack):
    assert float(graded["csv"][attack]["test_zero_pad"]) == 1


def test_nothing_was_written_outside_the_sandbox(graded):
    assert not (REPO / "escaped-by-a-student.txt").exists()


def test_no_reference_source_reached_the_kernel(graded):
    executed = (graded["out"] / ".nbgrader" / "autograded" / "read_autograder" / A / f"{A}.ipynb").read_text()
    assert "FileNotFoundError" in executed
    assert "sliding_window_view" not in executed  # the reference's own code


def test_the_history_of_a_git_worktree_is_hidden_too(tmp_path, monkeypatch):
    """In a git worktree .git is a file naming the main repository's .git folder: that folder is hidden instead."""
    from autograder.sandbox import bubblewrap as sandbox

    main_git = tmp_path / "main" / ".git"
    (main_git / "worktrees" / "w").mkdir(parents=True)
    worktree = tmp_path / "w"
    worktree.mkdir()
    (worktree / ".git").write_text(f"gitdir: {main_git / 'worktrees' / 'w'}\n")
    monkeypatch.setattr(sandbox, "REPO", worktree)
    assert sandbox.git_folder() == main_git and sandbox.hidden_paths() == [main_git]
    monkeypatch.setattr(sandbox, "REPO", tmp_path / "main")
    assert sandbox.git_folder() == main_git and sandbox.hidden_paths() == [main_git]
