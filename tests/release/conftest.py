"""The class's release made once per test session (`python -m autograder.dist --no-site`), shared by the tests of
the student tree, the leak check, the clean venv, Binder and nbgitpuller."""

import subprocess
import sys
from pathlib import Path

import pytest

from autograder.course import REPO


@pytest.fixture(scope="session")
def release(tmp_path_factory) -> Path:
    """Return the folder `python -m autograder.dist --no-site` wrote (student/ and wheels/)."""
    out = tmp_path_factory.mktemp("dist")
    proc = subprocess.run(
        [sys.executable, "-m", "autograder.dist", "--no-site", "--out", str(out)],
        cwd=REPO,
        capture_output=True,
        text=True,
        timeout=600,
    )
    assert proc.returncode == 0, proc.stdout + proc.stderr
    return out


@pytest.fixture(scope="session")
def course_wheel(release) -> Path:
    """Return the course package's wheel built from the student tree."""
    (wheel,) = (release / "wheels").glob("cnn_course-*.whl")
    return wheel
