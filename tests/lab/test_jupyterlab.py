"""The student's day in JupyterLab, in a real browser (headless Chromium, offline; tests/support/browser.py).

`make lab` starts the course's JupyterLab as a student starts it (on 127.0.0.1, with a token and a work folder of
the test's own), with nbgrader's Assignments tab pointed at an exchange in a temporary folder. In the released
w1a1 notebook the student runs the cells from the top in the course kernel, types a wrong zero_pad and reads
the check's diagnosis, types a right one and reads the check's message, saves, and presses Validate; then the
real grader (autograder.grade.coordinator.grade) grades the saved notebook. One session, made once (the fixture);
each test reads what it left. Screenshots of the notebook and the message go to _build/screenshots/.
"""

import csv
import json
import os
import secrets
import shutil
import signal
import socket
import subprocess
import time
import urllib.request
from dataclasses import dataclass, field
from pathlib import Path

import pytest

from autograder.course import ASSIGNMENTS, REPO
from autograder.grade.coordinator import grade
from tests.assignments.w1a1_conv_numpy import catalogue
from tests.support.browser import SCREENSHOTS, OfflineBrowser, chromium_browser
from tests.support.exchange import Exchange
from tests.support.grading import points_per_test
from tests.support.variants import mistakes_for

pytestmark = pytest.mark.slow
A = "w1a1_conv_numpy"
WRONG = next(v for v in mistakes_for(catalogue, "zero_pad") if v.name == "pads_channels_too").source()
RIGHT = 'def zero_pad(X, pad):\n    return np.pad(X, ((0, 0), (pad, pad), (pad, pad), (0, 0)), mode="constant")\n'
STUDENT_PLUGINS = ["@jupyter/nbgrader:validate-assignment", "@jupyter/nbgrader:assignment-list"]
INSTRUCTOR_PLUGINS = [
    "@jupyter/nbgrader:create-assignment",
    "@jupyter/nbgrader:formgrader",
    "@jupyter/nbgrader:course-list",
    "@jupyterlab/apputils-extension:announcements",  # the "Jupyter news" prompt
]
EARLIER_WORK = "the student's own work, from an earlier session\n"


@dataclass
class Session:
    """What the student's session showed and left."""

    work: Path
    kernel: str = ""
    plugins: dict[str, bool] = field(default_factory=dict)
    menu: list[str] = field(default_factory=list)
    toolbar: str = ""
    diagnosis: str = ""
    message: str = ""
    validation: str = ""
    assignments: str = ""
    page_text: str = ""
    events: list[str] = field(default_factory=list)
    server_log: str = ""
    grades: dict = field(default_factory=dict)


def free_port() -> int:
    """Return a TCP port free on 127.0.0.1 right now."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def wait_for_server(url: str, proc: subprocess.Popen, log: Path, seconds: float = 120) -> None:
    """Wait until the server answers at `url`; fail with its log if it stops or takes longer than `seconds`."""
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            pytest.fail(f"`make lab` stopped (exit {proc.returncode}):\n{log.read_text()[-4000:]}")
        try:
            urllib.request.urlopen(url, timeout=2)
            return
        except OSError:
            time.sleep(0.5)
    pytest.fail(f"JupyterLab did not answer within {seconds} s:\n{log.read_text()[-4000:]}")


def start_lab(tmp: Path, work: Path, config: Path) -> tuple[subprocess.Popen, str, str]:
    """Start `make lab` on `work`, in a session of its own (stopped as a group); return (process, base URL, token)."""
    port, token = free_port(), secrets.token_hex(16)
    flags = [
        "--no-browser",
        "--ServerApp.ip=127.0.0.1",
        f"--ServerApp.port={port}",
        "--ServerApp.port_retries=0",
        f"--IdentityProvider.token={token}",
        "--LabApp.expose_app_in_browser=True",  # lets the test ask JupyterLab which plugins it runs
    ] + (["--allow-root"] if os.geteuid() == 0 else [])
    env = {
        **os.environ,
        # A fresh user: no settings, layout or configuration of the machine's user; the exchange's settings.
        "JUPYTER_CONFIG_DIR": str(tmp / "user-config"),
        "JUPYTER_RUNTIME_DIR": str(tmp / "runtime"),
        "JUPYTERLAB_SETTINGS_DIR": str(tmp / "user-settings"),
        "JUPYTERLAB_WORKSPACES_DIR": str(tmp / "workspaces"),
        "JUPYTER_CONFIG_PATH": str(config),
    }
    log = tmp / "lab.log"
    proc = subprocess.Popen(
        ["make", "lab", f"LAB_DIR={work}", f"LAB_FLAGS={' '.join(flags)}"],
        cwd=REPO,
        env=env,
        stdout=log.open("w"),
        stderr=subprocess.STDOUT,
        start_new_session=True,
    )
    base = f"http://127.0.0.1:{port}/"
    wait_for_server(f"{base}api/status?token={token}", proc, log)
    return proc, base, token


def stop(proc: subprocess.Popen) -> None:
    """Stop `make lab` and JupyterLab (the process group the test started), as Ctrl-C in its terminal would."""
    if proc.poll() is None:
        os.killpg(proc.pid, signal.SIGTERM)
        try:
            proc.wait(timeout=30)
        except subprocess.TimeoutExpired:
            os.killpg(proc.pid, signal.SIGKILL)
            proc.wait(timeout=10)


def cell_index(notebook: Path, grade_id: str) -> int:
    """Return the position of the cell `grade_id` in the notebook file."""
    cells = json.loads(notebook.read_text())["cells"]
    return [c["metadata"].get("nbgrader", {}).get("grade_id") for c in cells].index(grade_id)


def wait_until_saved(page, notebook: Path, index: int, source: str, seconds: float = 30) -> None:
    """Wait until the notebook file on disk holds `source` in its cell `index` (JupyterLab saved it)."""
    deadline, saved = time.monotonic() + seconds, None
    while time.monotonic() < deadline:
        saved = "".join(json.loads(notebook.read_text())["cells"][index]["source"])
        if saved.strip() == source.strip():
            return
        # Playwright's own wait, not time.sleep: the browser's requests pass through this process's route
        # handler (tests/support/browser.py), which only runs while Playwright is called.
        page.wait_for_timeout(200)
    pytest.fail(f"JupyterLab did not save {notebook.name} within {seconds} s; its cell {index} holds:\n{saved}")


def answer(page, cells, solution: int, check: int, source: str, expect: str) -> str:
    """Type `source` into the solution cell, run it and its check cell, and return the check's output once it
    shows `expect`."""
    cells.nth(solution).locator(".jp-InputArea-editor").click()
    page.keyboard.press("Control+A")
    page.keyboard.insert_text(source)  # as a paste: the editor adds no indentation or brackets of its own
    page.keyboard.press("Shift+Enter")
    page.keyboard.press("Shift+Enter")
    output = cells.nth(check).locator(".jp-OutputArea-output")
    output.filter(has_text=expect).first.wait_for(timeout=120_000)
    return "\n".join(output.all_inner_texts())


def work_in_jupyterlab(page, session: Session, base: str, token: str) -> None:
    """The student's session in the browser (see the module's docstring); what it shows goes into `session`."""
    notebook = session.work / A / f"{A}.ipynb"
    solution, check = cell_index(notebook, "zero_pad"), cell_index(notebook, "test_zero_pad")
    page.goto(f"{base}lab/tree/{A}/{A}.ipynb?token={token}")
    cells = page.locator(".jp-Notebook .jp-Cell")
    cells.first.wait_for(timeout=60_000)
    page.get_by_text("Python 3 (CNN course) | Idle").wait_for(timeout=120_000)
    session.kernel = page.locator(".jp-NotebookPanel-toolbar .jp-Toolbar-kernelName").first.inner_text()
    session.toolbar = page.locator(".jp-NotebookPanel-toolbar").first.inner_text()
    session.plugins = page.evaluate(
        "(ids) => Object.fromEntries(ids.map((id) => [id, window.jupyterapp.isPluginActivated(id)]))",
        STUDENT_PLUGINS + INSTRUCTOR_PLUGINS,
    )
    cells.first.click()
    for _ in range(solution):  # run every cell above the exercise, as the notebook asks
        page.keyboard.press("Shift+Enter")
    session.diagnosis = answer(page, cells, solution, check, WRONG, "zero_pad")
    session.message = answer(page, cells, solution, check, RIGHT, "all visible checks passed")
    page.keyboard.press("Control+S")
    wait_until_saved(page, notebook, solution, RIGHT)
    cells.nth(solution - 1).evaluate("(cell) => cell.scrollIntoView({block: 'start'})")  # the exercise's heading
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=SCREENSHOTS / "jupyterlab-notebook.png")
    cells.nth(check).screenshot(path=SCREENSHOTS / "jupyterlab-message.png")

    page.locator(".jp-NotebookPanel-toolbar").get_by_text("Validate", exact=True).click()
    dialog = page.locator(".jp-Dialog")
    dialog.get_by_text("Validation Results").wait_for(timeout=300_000)
    session.validation = dialog.inner_text()
    page.screenshot(path=SCREENSHOTS / "jupyterlab-validate.png")
    page.keyboard.press("Escape")

    page.locator(".lm-MenuBar").get_by_text("Nbgrader", exact=True).click()
    menu = page.locator(".lm-Menu").last
    session.menu = [item.strip() for item in menu.locator(".lm-Menu-itemLabel").all_inner_texts() if item.strip()]
    menu.get_by_text("Assignment List", exact=True).click()
    released = page.locator("#nbgrader-assignment-list")
    released.get_by_text(A).first.wait_for(timeout=60_000)
    session.assignments = released.inner_text()
    page.screenshot(path=SCREENSHOTS / "jupyterlab-assignments.png")
    session.page_text = page.locator("body").inner_text()


@pytest.fixture(scope="module")
def session(tmp_path_factory) -> Session:
    tmp = tmp_path_factory.mktemp("jupyterlab")
    exchange = Exchange.create(tmp / "exchange")
    exchange.release(A)
    work = tmp / "my-work"
    (work / "w1a2_keras_apis").mkdir(parents=True)
    (work / "w1a2_keras_apis" / "w1a2_keras_apis.ipynb").write_text(EARLIER_WORK)
    session = Session(work)
    proc, base, token = start_lab(tmp, work, exchange.listing_config(tmp / "exchange-config"))
    try:
        with chromium_browser() as chromium:
            browser = OfflineBrowser(chromium, base, root=work)
            work_in_jupyterlab(browser.page, session, base, token)
            session.events = list(browser.events)
            browser.close()
    finally:
        stop(proc)
        session.server_log = (tmp / "lab.log").read_text()
    submissions = tmp / "submissions" / "student"
    submissions.mkdir(parents=True)
    shutil.copy(work / A / f"{A}.ipynb", submissions / f"{A}.ipynb")
    grade(A, submissions.parent, tmp / "graded", progress=False)
    with (tmp / "graded" / "grades.csv").open() as fh:
        session.grades = next(csv.DictReader(fh))
    print(f"\nscreenshots: {SCREENSHOTS}/jupyterlab-*.png")
    return session


def test_make_lab_opens_the_released_notebooks_in_the_course_kernel(session):
    assert (session.work / A / f"{A}.ipynb").is_file()
    assert session.kernel == "Python 3 (CNN course)"


def test_make_lab_never_overwrites_a_students_work(session):
    assert (session.work / "w1a2_keras_apis" / "w1a2_keras_apis.ipynb").read_text() == EARLIER_WORK


def test_the_student_reads_the_diagnosis_then_the_friendly_message(session):
    assert "CheckFailure" in session.diagnosis and "zero_pad:" in session.diagnosis
    assert "the channel axis (axis 3) was padded" in session.diagnosis
    assert session.message.strip() == "zero_pad: all visible checks passed"
    for shot in ("jupyterlab-notebook.png", "jupyterlab-message.png"):
        assert (SCREENSHOTS / shot).stat().st_size > 5_000, f"screenshot {shot} is missing or blank"


def test_jupyterlab_shows_the_students_tools_and_not_the_instructors(session):
    assert all(session.plugins[plugin] for plugin in STUDENT_PLUGINS), session.plugins
    assert not any(session.plugins[plugin] for plugin in INSTRUCTOR_PLUGINS), session.plugins
    assert "Validate" in session.toolbar.split()
    assert session.menu == ["Assignment List"]
    assert "Jupyter news" not in session.page_text and "Formgrader" not in session.page_text
    assert "nbgrader.server_extensions.formgrader" not in session.server_log
    assert "Loading the validate_assignment nbgrader serverextension" in session.server_log


def test_validate_reports_the_visible_checks_of_the_saved_notebook(session):
    """zero_pad is right and the other exercises are not done yet: Validate names their check cells only."""
    report = session.validation
    assert "check_conv_single_step(conv_single_step)" in report and "NotImplementedError" in report
    assert "check_zero_pad(zero_pad)" not in report
    assert "probe" not in report and "HIDDEN" not in report and "autograder" not in report


def test_the_assignments_tab_lists_the_exchange_s_released_assignment(session):
    assert "Released assignments" in session.assignments and A in session.assignments
    assert "exchange directory does not exist" not in session.assignments


def test_nothing_leaves_the_machine_and_nothing_fails_in_the_page(session):
    """No request outside 127.0.0.1, no script or console error, no local request that failed."""
    assert session.events == [], "\n".join(session.events)


def test_the_saved_notebook_gets_exactly_zero_pads_points(session):
    row, points = session.grades, points_per_test(A)
    assert row["status"] == "graded", row["reason"]
    assert float(row["test_zero_pad"]) == points["test_zero_pad"]
    assert float(row["score"]) == points["test_zero_pad"]
    assert all(float(row[name]) == 0 for name in points if name != "test_zero_pad")


def test_the_repositorys_release_is_untouched(session):
    assert not list(ASSIGNMENTS.rglob(".ipynb_checkpoints")), "JupyterLab wrote next to the released notebooks"
    changed = subprocess.run(
        ["git", "status", "--porcelain", "--", "assignments"], cwd=REPO, capture_output=True, text=True, check=True
    )
    assert changed.stdout == ""
