"""The class's release made once per test session (`python -m autograder.dist`), shared by the tests of the student
tree, the leak check, the clean venv, Binder, nbgitpuller and the site.

The site (the book copied into dist/site) is built only when a test of this session reads it (`full_release`, the
slow tests of test_dist_site.py): `make test-fast` gets the student tree and the wheel alone (`--no-site`), and
`make test` gets the three from one run of the command instead of two.
"""

import subprocess
import sys
from pathlib import Path

import pytest

from autograder.course import REPO


def site_wanted(session: pytest.Session) -> bool:
    """Return whether a test selected in this session reads the release's site."""
    return any("full_release" in getattr(item, "fixturenames", ()) for item in session.items)


@pytest.fixture(scope="session")
def release(request, tmp_path_factory) -> Path:
    """Return the folder `python -m autograder.dist` wrote: student/ and wheels/, and site/ if a test reads it."""
    out = tmp_path_factory.mktemp("dist")
    options = [] if site_wanted(request.session) else ["--no-site"]
    proc = subprocess.run(
        [sys.executable, "-m", "autograder.dist", *options, "--out", str(out)],
        cwd=REPO,
        capture_output=True,
        text=True,
        timeout=1800,  # with the site: the book, built again only where it changed since `make book`
    )
    assert proc.returncode == 0, proc.stdout[-3000:] + proc.stderr[-3000:]
    return out


@pytest.fixture(scope="session")
def full_release(release) -> Path:
    """Return the release with its site (the whole command's output, as `make dist` writes it)."""
    assert (release / "site" / "index.html").is_file(), "the session's release was made without its site"
    return release


@pytest.fixture(scope="session")
def course_wheel(release) -> Path:
    """Return the course package's wheel built from the student tree."""
    (wheel,) = (release / "wheels").glob("cnn_course-*.whl")
    return wheel
