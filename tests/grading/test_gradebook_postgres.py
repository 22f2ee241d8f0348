"""The gradebook on a real PostgreSQL server: the tests start a throwaway one in a temporary folder.

`make install` installs PostgreSQL's server (scripts/install-system-packages.sh); the server here
listens on a Unix socket only, so nothing reaches the network.
"""

import nbformat
import pytest
from nbgrader.api import Gradebook

from autograder.course import ASSIGNMENTS, SOLUTIONS
from autograder.grade.coordinator import grade
from tests.support.postgres import BINARIES, PostgresServer

pytestmark = pytest.mark.slow
A = "w1a1_conv_numpy"


@pytest.fixture(scope="module")
def postgres_url():
    if not BINARIES:
        pytest.fail("PostgreSQL's server is not installed: run `make install` (scripts/install-system-packages.sh)")
    with PostgresServer(port=55432) as server:
        yield server.url


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
