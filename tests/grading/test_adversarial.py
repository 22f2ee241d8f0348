"""Submissions that try to cheat or to break grading: none gains a point, the batch completes, every one has a row.

The attacks are in tests/grading/adversarial/: w1a1_attacks.py on an assignment (with the attacks on the caps per
submission), quiz_attacks.py on a weekly quiz (answers that are plain values), each with the score it deserves; each
suite is graded in one batch, beside an honest control (the instructor's notebook). The two tables in the README's
"Grading integrity" section are checked against this run: the attacks' results, and for each cap per submission
its value and the most a submission of w1a1's batch held, measured from outside the sandbox (the worker's watchdog
samples the submission's cgroup and working folder).

Each batch runs under a MemoryGuard: should a cap be broken, the guard kills the batch's kernels before the machine
runs short, and the tests fail saying so.
"""

import json
import re

import nbformat
import pytest

from autograder.course import ASSIGNMENTS, REPO, SOLUTIONS
from autograder.grade.coordinator import grade
from autograder.sandbox.bubblewrap import bubblewrap
from autograder.sandbox.cgroups import cap_support
from autograder.sandbox.disk_cap import FULL_MARGIN
from autograder.sandbox.limits import GIB, Limits
from tests.grading.adversarial import quiz_attacks, w1a1_attacks
from tests.grading.adversarial.w1a1_attacks import DAEMON_MARK
from tests.support.attacks import Context
from tests.support.memory_guard import MemoryGuard

pytestmark = [
    pytest.mark.slow,
    pytest.mark.skipif(bubblewrap() is None, reason="bubblewrap is not installed (make install installs it)"),
]
LIMITS = Limits(
    memory_bytes=3 * GIB,
    total_memory_bytes=2 * GIB,
    processes=256,
    cpu_cores=1.0,
    disk_bytes=512 * 1024**2,
    cell_seconds=15,
    notebook_seconds=300,
    output_bytes=512 * 1024,
)
WORKERS = 2  # two attacks graded at once, as on the two-core machines the course is graded on
CONTROL = "cpu_hog_control"  # the instructor's notebook, graded beside the attacks (beside the CPU hog, by name)
# Each cap: its value in the suite, how the measure is shown, and how far a measure may pass the cap (the CPU cap
# is a share of time, so a sample over a short window can pass it a little; the others are hard).
# The README's figure of a measure may differ from this run's by `near` times the cap: the processes are sampled
# (a peak can fall between two samples), and the CPU a hog gets depends on how busy the machine is.
CAPS = {
    "memory_bytes": ("memory, all processes and tmpfs pages", LIMITS.total_memory_bytes, "{:.1f} GB", GIB, 1.0, 0.1),
    "processes": ("processes and threads", LIMITS.processes, "{:.0f}", 1, 1.0, 0.1),
    "cpu_cores": ("CPU cores", LIMITS.cpu_cores, "{:.1f}", 1, 1.1, 0.6),
    "disk_bytes": ("disk, working folder", LIMITS.disk_bytes, "{:.0f} MB", 1024**2, 1.0, 0.1),
}
A = w1a1_attacks.A

# Each suite: its assignment, its attacks, and the notebook of a base of its own (the quiz's "wrong").
SUITES = {
    A: (w1a1_attacks.ATTACKS, None),
    quiz_attacks.Q: (quiz_attacks.ATTACKS, quiz_attacks.base_notebook),
}
PAIRS = [(assignment, attack) for assignment, (attacks, _) in SUITES.items() for attack in attacks]


def results_table(batches: dict) -> str:
    """Return the README's table: per suite, the attacks tried, points gained and submissions without a row."""
    lines = [
        "| assignment | attacks tried | points gained | batches crashed | submissions without a row |",
        "|---|---|---|---|---|",
    ]
    for assignment, (attacks, _) in SUITES.items():
        rows, expected = batches[assignment]["rows"], {a.name: a.expected for a in attacks}
        gained = sum(max(0.0, rows[n].score - expected[n]) for n in expected if n in rows)
        lines.append(f"| {assignment} | {len(expected)} | {gained:g} | 0 | {len(set(expected) - set(rows))} |")
    return "\n".join(lines)


def caps_table(held: dict[str, float]) -> str:
    """Return the README's table of caps: each cap's value in the suite and the most a submission held."""
    lines = ["| cap per submission | value | most held in the suite |", "|---|---|---|"]
    for name, (words, cap, shown, unit, _, _) in CAPS.items():
        lines.append(f"| {words} | {shown.format(cap / unit)} | {shown.format(held.get(name, 0) / unit)} |")
    return "\n".join(lines)


def base_notebook(assignment: str, base: str, own_base):
    """Return the notebook an attack edits: the release, the instructor notebook, or a base of its suite's own."""
    if base in ("release", "solution"):
        folder = ASSIGNMENTS if base == "release" else SOLUTIONS
        return nbformat.read(folder / assignment / f"{assignment}.ipynb", as_version=4)
    return own_base(base)


def grade_suite(assignment: str, root) -> dict:
    """Grade one suite's attacks and the control in one batch, two at once, under a MemoryGuard; return the rows by
    student, what each submission held at the most (from its saved result) and the guard."""
    attacks, own_base = SUITES[assignment]
    subs, out = root / "subs", root / "out"
    context = Context(out=str(out))
    for attack in attacks:
        made = attack.edit(base_notebook(assignment, attack.base, own_base), context)
        (subs / attack.name).mkdir(parents=True)
        target = subs / attack.name / f"{assignment}.ipynb"
        target.write_text(made) if isinstance(made, str) else nbformat.write(made, target)
    (subs / CONTROL).mkdir()
    nbformat.write(base_notebook(assignment, "solution", own_base), subs / CONTROL / f"{assignment}.ipynb")
    # Two submissions at their caps hold 2 x 2 GB: the guard stops the batch long before the machine is short.
    with MemoryGuard(floor_bytes=4 * GIB) as guard:
        rows = grade(assignment, subs, out, limits=LIMITS, workers=WORKERS, progress=False)  # returning: it completed
    held = {}
    for path in (out / ".nbgrader" / "results").glob("*.json"):
        held[path.stem] = json.loads(path.read_text()).get("held") or {}
    return {"rows": {r.student_id: r for r in rows}, "held": held, "guard": guard}


class Batches(dict):
    """{assignment: grade_suite's result}, each suite graded once, when a test first asks for it (a -k selection of one
    suite grades only that one)."""

    def __init__(self, tmp_path_factory):
        super().__init__()
        self.tmp_path_factory = tmp_path_factory

    def __missing__(self, assignment: str) -> dict:
        self[assignment] = grade_suite(assignment, self.tmp_path_factory.mktemp(f"adversarial-{assignment}"))
        return self[assignment]


@pytest.fixture(scope="module")
def batches(tmp_path_factory):
    return Batches(tmp_path_factory)


@pytest.fixture(scope="module")
def batch(batches):
    """w1a1's batch: the attacks on the caps are in its suite."""
    return batches[A]


def test_there_are_enough_attacks():
    assert len(w1a1_attacks.ATTACKS) >= 25 and len(quiz_attacks.ATTACKS) >= 10
    for attacks, _ in SUITES.values():
        assert len({a.name for a in attacks}) == len(attacks)


@pytest.mark.parametrize("assignment, attack", PAIRS, ids=[f"{s}-{a.name}" for s, a in PAIRS])
def test_no_attack_gains_a_point(batches, assignment, attack):
    row = batches[assignment]["rows"][attack.name]
    assert row.score == attack.expected, f"{attack.what}: scored {row.score}, deserves {attack.expected} ({row.reason})"


def test_the_correct_solution_still_gets_full_marks_through_the_same_path(tmp_path):
    (tmp_path / "subs" / "honest").mkdir(parents=True)
    nbformat.write(
        nbformat.read(SOLUTIONS / A / f"{A}.ipynb", as_version=4), tmp_path / "subs" / "honest" / f"{A}.ipynb"
    )
    rows = grade(A, tmp_path / "subs", tmp_path / "out", limits=LIMITS, progress=False)
    assert [(r.student_id, r.status, r.score) for r in rows] == [("honest", "graded", 14.0)]


def test_the_readme_table_reports_this_run(batches):
    table = results_table(batches)
    readme = (REPO / "README.md").read_text()
    assert table in readme, f"update the adversarial results table in README.md to:\n{table}"
    assert len(re.findall(r"\| \d+ \| 0 \| 0 \| 0 \|", table)) == len(SUITES)


def most_held(batch) -> dict[str, float]:
    """Return, for each measure, the most any submission of the batch held."""
    held: dict[str, float] = {}
    for measures in batch["held"].values():
        for name, value in measures.items():
            held[name] = max(held.get(name, 0), value)
    return held


needs_caps = pytest.mark.skipif(cap_support().kind is None, reason=f"no caps per submission: {cap_support().reason}")


@needs_caps
def test_the_machine_kept_its_memory(batch):
    guard = batch["guard"]
    assert not guard.tripped, f"a cap was broken: the guard stopped the batch; {guard.describe()}"
    # Two attacks at once hold at most their two caps; the grader and its workers take a little more.
    assert guard.start_available - guard.least_available <= WORKERS * LIMITS.total_memory_bytes + 3 * GIB, (
        guard.describe()
    )


@needs_caps
@pytest.mark.parametrize("name", CAPS)
def test_no_submission_held_more_than_a_cap(batch, name):
    words, cap, shown, unit, slack, _ = CAPS[name]
    held = {student: measures.get(name, 0) for student, measures in batch["held"].items()}
    worst = max(held, key=held.get)
    assert held[worst] > 0, f"{words} was never measured"
    assert held[worst] <= cap * slack, f"{worst} held {shown.format(held[worst] / unit)} of {words}"


@needs_caps
def test_the_attacks_reached_the_caps_they_aim_at(batch):
    """Attacks that aim at a cap reach it: otherwise the suite would not show that the cap holds. (Not the CPU hog:
    how much CPU it gets depends on the machine's load; the CPU cap is tested on its own in test_cgroups.py.)"""
    held = batch["held"]
    assert held["memory_across_processes"]["memory_bytes"] >= 0.95 * LIMITS.total_memory_bytes
    assert held["fill_the_working_folder"]["disk_bytes"] >= LIMITS.disk_bytes - FULL_MARGIN
    assert held["fork_without_end"]["processes"] >= 0.9 * LIMITS.processes
    assert held["cpu_hog"]["cpu_cores"] > 0


@needs_caps
def test_the_readme_caps_table_reports_this_run(batch):
    """The README's caps table has this suite's caps, and most-held figures near this run's (measures vary from run
    to run: see CAPS)."""
    readme = (REPO / "README.md").read_text()
    measured = most_held(batch)
    assert "| cap per submission | value | most held in the suite |" in readme, caps_table(measured)
    for name, (words, cap, shown, unit, _, near) in CAPS.items():
        found = re.search(rf"\| {re.escape(words)} \| ([0-9.]+)[^|]*\| ([0-9.]+)[^|]*\|", readme)
        assert found, f"README.md has no caps row for {words}; this run's table:\n{caps_table(measured)}"
        assert found.group(1) == shown.format(cap / unit).split()[0], f"the README's cap of {words} is not the suite's"
        assert abs(float(found.group(2)) * unit - measured.get(name, 0)) <= near * cap, (
            f"update the caps table in README.md to this run's:\n{caps_table(measured)}"
        )


@needs_caps
def test_a_submission_that_reaches_a_cap_has_a_reason_that_names_it(batch):
    rows = batch["rows"]
    assert "used more than 2 GB of memory in all" in rows["memory_across_processes"].reason
    # A fork bomb's copies each dirty some pages of the kernel they copy: which of its two caps it meets first
    # depends on how fast they run, and its row names that one.
    fork_bomb = rows["fork_without_end"].reason
    assert f"more than {LIMITS.processes} processes and threads" in fork_bomb or "of memory in all" in fork_bomb, (
        fork_bomb
    )
    assert "filled its working folder (a cap of 512 MB)" in rows["fill_the_working_folder"].reason
    for name in ("fill_the_tmp_folder", "fill_shared_memory"):
        assert "No space left on device" in rows[name].reason, rows[name].reason


def test_the_uninterruptible_loop_costs_only_its_cell(batch):
    row = batch["rows"]["loop_that_ignores_interrupts"]
    assert row.status == "graded" and row.score == 14, row.reason
    assert "went on after it was interrupted" in row.reason and "it was skipped" in row.reason, row.reason
    # Its cell's limit and grace, then the notebook once more without it: far from the limit per notebook.
    assert row.seconds < LIMITS.notebook_seconds / 2, f"the notebook took {row.seconds:.0f} s"


def test_the_honest_submission_beside_the_cpu_hog_gets_full_marks(batch):
    row = batch["rows"][CONTROL]
    assert (row.status, row.score, row.reason) == ("graded", 14.0, "all tests ran")


def test_no_daemon_outlives_grading(batch):
    import psutil

    left = [p.pid for p in psutil.process_iter(["cmdline"]) if DAEMON_MARK in " ".join(p.info["cmdline"] or [])]
    assert not left, f"the daemon started by a submission still runs: {left}"
