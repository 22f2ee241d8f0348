"""The gradebook on a real PostgreSQL server: the tests start a throwaway one in a temporary folder.

`make install` installs PostgreSQL's server (scripts/install-system-packages.sh); the server here
listens on a Unix socket only, so nothing reaches the network.
"""

import glob
import os
import shutil
import subprocess
import tempfile
from pathlib import Path

import nbformat
import pytest
from nbgrader.api import Gradebook

from autograder.course import ASSIGNMENTS, SOLUTIONS
from autograder.grade.coordinator import grade

pytestmark = pytest.mark.slow
A = "w1a1_conv_numpy"
BINARIES = sorted(glob.glob("/usr/lib/postgresql/*/bin/initdb"))


def as_server_user(cmd: list[str]) -> list[str]:
    """PostgreSQL refuses to run as root: run it as the postgres user then."""
    return ["runuser", "-u", "postgres", "--", *cmd] if os.geteuid() == 0 else cmd


@pytest.fixture(scope="module")
def postgres_url():
    if not BINARIES:
        pytest.fail("PostgreSQL's server is not installed: run `make install` (scripts/install-system-packages.sh)")
    bindir = Path(BINARIES[-1]).parent
    # Directly in the temporary folder: the postgres user cannot enter pytest's own (0700) folders.
    root = Path(tempfile.mkdtemp(prefix="cnnbook-postgres-"))
    data, sockets = root / "data", root / "sockets"
    sockets.mkdir()
    if os.geteuid() == 0:
        shutil.chown(root, "postgres")
        shutil.chown(sockets, "postgres")
    subprocess.run(
        as_server_user([str(bindir / "initdb"), "-D", str(data), "-A", "trust", "-U", "grader"]),
        check=True,
        capture_output=True,
    )
    options = f"-c listen_addresses='' -k {sockets} -p 55432"
    subprocess.run(
        as_server_user(
            [str(bindir / "pg_ctl"), "-D", str(data), "-o", options, "-w", "-l", str(root / "server.log"), "start"]
        ),
        check=True,
        capture_output=True,
    )
    try:
        subprocess.run(
            as_server_user([str(bindir / "createdb"), "-h", str(sockets), "-p", "55432", "-U", "grader", "course"]),
            check=True,
            capture_output=True,
        )
        yield f"postgresql+psycopg2://grader@/course?host={sockets}&port=55432"
    finally:
        subprocess.run(
            as_server_user([str(bindir / "pg_ctl"), "-D", str(data), "-m", "immediate", "stop"]), capture_output=True
        )
        shutil.rmtree(root, ignore_errors=True)


def test_grades_are_recorded_in_postgresql(tmp_path, postgres_url):
    subs = tmp_path / "subs"
    (subs / "ada").mkdir(parents=True)
    nbformat.write(nbformat.read(SOLUTIONS / A / f"{A}.ipynb", as_version=4), subs / "ada" / f"{A}.ipynb")
    (subs / "bob").mkdir()
    (subs / "bob" / f"{A}.ipynb").write_bytes((ASSIGNMENTS / A / f"{A}.ipynb").read_bytes())
    rows = grade(A, subs, tmp_path / "out", db_url=postgres_url, progress=False)
    assert [(r.student_id, r.score) for r in rows] == [("ada", 14.0), ("bob", 0.0)]
    assert not (tmp_path / "out" / "gradebook.db").exists(), "the SQLite gradebook was used instead"
    with Gradebook(postgres_url) as gb:
        assert gb.find_submission(A, "ada").score == 14
        assert gb.find_submission(A, "bob").score == 0
        assert {s.id for s in gb.students} == {"ada", "bob"}
