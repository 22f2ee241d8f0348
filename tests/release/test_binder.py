"""The student repository's Binder configuration, checked with repo2docker (pinned in requirements.txt) without
building: the Dockerfile it would build installs the student requirements and runs postBuild in one Python 3.11
environment, the one Jupyter runs in, so the kernel spec the package installs is Jupyter's. (That postBuild
installs the package and registers the course kernel is run for real in test_clean_venv.py.)"""

import re
import subprocess
import sys
from pathlib import Path

import pytest

REPO2DOCKER = Path(sys.executable).parent / "repo2docker"


@pytest.fixture(scope="module")
def rendered(release) -> subprocess.CompletedProcess:
    """Return repo2docker's run that renders the student repository's Dockerfile (no Docker needed, no network)."""
    if not REPO2DOCKER.is_file():
        pytest.fail("repo2docker is not installed in this venv: run `make install`")
    proc = subprocess.run(
        [str(REPO2DOCKER), "--no-build", "--no-run", "--user-id", "1000", "--user-name", "jovyan", "."],
        cwd=release / "student",
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert proc.returncode == 0, proc.stderr[-3000:]
    return proc


@pytest.fixture(scope="module")
def dockerfile(rendered) -> str:
    """Return the Dockerfile repo2docker would build."""
    return rendered.stdout


def test_binder_builds_one_python_311_environment_for_jupyter_and_the_kernel(rendered, dockerfile):
    assert "Building conda environment for python=3.11" in rendered.stderr  # what repo2docker says it builds
    assert re.search(r"^ENV KERNEL_PYTHON_PREFIX=\$\{NB_PYTHON_PREFIX\}$", dockerfile, re.MULTILINE)


def test_binder_installs_the_student_requirements_then_runs_post_build(dockerfile, release):
    install = dockerfile.index('pip install --no-cache-dir -r "binder/requirements.txt"')
    assert install < dockerfile.index("RUN ./binder/postBuild")
    binder = release / "student" / "binder"
    assert (binder / "requirements.txt").read_text() == (release / "student" / "requirements.txt").read_text()
    post_build = (binder / "postBuild").read_text()
    assert post_build.startswith("#!/bin/bash") and "python -m pip install --no-cache-dir --no-deps ." in post_build
    assert (binder / "postBuild").stat().st_mode & 0o111
