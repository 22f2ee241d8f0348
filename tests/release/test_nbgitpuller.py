"""The JupyterHub launch link, for real and offline: a local Jupyter server with nbgitpuller (pinned in
requirements.txt) opens the link the book generates, pulls the student repository (dist/student, committed to a
bare git repository and given as a file:// URL), and JupyterLab opens the assignment's notebook in the course's
kernel.

A hub's link reads {hub}/hub/user-redirect/git-pull?...; the hub redirects it to the user's server. Here the
server itself is mounted at /hub/user-redirect/, so the very link the book prints reaches nbgitpuller. Headless
Chromium follows it (nbgitpuller's page pulls through its own API, then redirects); every request that leaves
127.0.0.1 is refused. JupyterLab takes its time on a busy two-core machine, hence the
generous waits.
"""

import json
import os
import shutil
import socket
import subprocess
import sys
import time
import urllib.request
from contextlib import contextmanager
from pathlib import Path
from urllib.parse import urlsplit

import playwright.sync_api as playwright
import pytest

from autograder.course import REPO
from tests.support.browser import launch_chromium

sys.path.insert(0, str(REPO / "book" / "_ext"))
import assignment_launch as launch  # noqa: E402

pytestmark = pytest.mark.slow
ASSIGNMENT = "w2a1_resnets"
PREFIX = "/hub/user-redirect/"
SCREENSHOT = REPO / "_build" / "screenshots" / "nbgitpuller.png"


def git(*args: str, cwd: Path) -> None:
    """Run git quietly as a course author would; AssertionError with its output when it fails."""
    env = {**os.environ, "GIT_AUTHOR_NAME": "course", "GIT_COMMITTER_NAME": "course"}
    env |= {"GIT_AUTHOR_EMAIL": "course@127.0.0.1", "GIT_COMMITTER_EMAIL": "course@127.0.0.1"}
    proc = subprocess.run(["git", *args], cwd=cwd, env=env, capture_output=True, text=True, timeout=120)
    assert proc.returncode == 0, proc.stdout + proc.stderr


@pytest.fixture(scope="module")
def student_repository(release, tmp_path_factory) -> Path:
    """Return a bare git repository holding the student tree on branch main."""
    work = shutil.copytree(release / "student", tmp_path_factory.mktemp("student-git") / "student")
    git("init", "--quiet", "--initial-branch=main", cwd=work)
    git("add", "--all", cwd=work)
    git("commit", "--quiet", "--message", "student release", cwd=work)
    bare = work.parent / "cnn-course-student.git"
    git("clone", "--quiet", "--bare", str(work), str(bare), cwd=work.parent)
    return bare


def free_port() -> int:
    """Return a TCP port free on 127.0.0.1."""
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def get_json(url: str):
    """Return the JSON a local URL answers."""
    with urllib.request.urlopen(url, timeout=10) as response:
        return json.loads(response.read())


@contextmanager
def jupyter_server(root: Path, home: Path):
    """Run JupyterLab's server on 127.0.0.1 under PREFIX, without a token, serving `root`; yield its base URL."""
    port = free_port()
    env = {**os.environ, "HOME": str(home), "JUPYTER_CONFIG_DIR": str(home / ".jupyter")}
    env.pop("JUPYTER_DATA_DIR", None)
    log = (home / "server.log").open("w")
    command = [sys.executable, "-m", "jupyterlab", "--no-browser", f"--port={port}", "--ServerApp.ip=127.0.0.1"]
    command += [f"--ServerApp.root_dir={root}", f"--ServerApp.base_url={PREFIX}", "--IdentityProvider.token="]
    command += ["--ServerApp.port_retries=0", "--LabApp.news_url=None"]
    command += ["--allow-root"] if os.geteuid() == 0 else []  # CI runs as root
    server = subprocess.Popen(command, cwd=root, env=env, stdout=log, stderr=subprocess.STDOUT)
    base = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 120
        while True:
            try:
                get_json(f"{base}{PREFIX}api/status")
                break
            except OSError:
                if server.poll() is not None or time.monotonic() > deadline:
                    pytest.fail(f"the Jupyter server did not start: {(home / 'server.log').read_text()[-3000:]}")
                time.sleep(0.5)
        yield base
    finally:
        server.terminate()
        try:
            server.wait(timeout=30)
        except subprocess.TimeoutExpired:
            server.kill()
        log.close()


def refuse_remote(route) -> None:
    """Let requests to 127.0.0.1 through; refuse every other address."""
    if urlsplit(route.request.url).hostname == "127.0.0.1":
        route.continue_()
    else:
        route.abort("internetdisconnected")


def wait_for_session(page, base: str, path: str, timeout: float = 300) -> dict:
    """Return the server's session of the notebook at `path` once its kernel is up."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        for session in get_json(f"{base}{PREFIX}api/sessions"):
            if session["path"] == path and session["kernel"]["execution_state"] in ("idle", "busy"):
                return session
        page.wait_for_timeout(1000)  # not time.sleep: the page's requests pass through refuse_remote only meanwhile
    pytest.fail(f"no running kernel for {path}: sessions {get_json(f'{base}{PREFIX}api/sessions')}")


def test_the_jupyterhub_link_pulls_the_student_repository_and_opens_the_notebook_in_the_course_kernel(
    student_repository, tmp_path
):
    root, home = tmp_path / "user", tmp_path / "home"
    root.mkdir()
    home.mkdir()
    notebook = launch.released_notebook(ASSIGNMENT)
    folder = launch.repository_folder(student_repository.as_uri())
    with jupyter_server(root, home) as base:
        link = launch.nbgitpuller_url(base, student_repository.as_uri(), "main", notebook, "lab")
        assert urlsplit(link).path == f"{PREFIX}git-pull"  # the hub's path, unchanged
        with playwright.sync_playwright() as driver:
            browser = launch_chromium(driver)
            page = browser.new_context().new_page()
            page.route("**/*", refuse_remote)
            page.goto(link)
            page.wait_for_url(f"**{PREFIX}lab/tree/{folder}/{notebook}", timeout=120_000)
            session = wait_for_session(page, base, f"{folder}/{notebook}")
            page.get_by_text("Python 3 (CNN course) | Idle").wait_for(timeout=60_000)  # the status bar's kernel
            SCREENSHOT.parent.mkdir(parents=True, exist_ok=True)
            page.screenshot(path=str(SCREENSHOT))
            browser.close()
        print(f"screenshot: {SCREENSHOT}")
    pulled = root / folder / notebook
    assert pulled.read_bytes() == (student_repository.parent / "student" / notebook).read_bytes()
    assert session["kernel"]["name"] == "cnnbook"
    assert json.loads(pulled.read_text())["metadata"]["kernelspec"]["name"] == "cnnbook"
