"""`make dist`'s site: the book copied into dist/site, each assignment page's launch buttons pointing at the
student repository that dist/student is, and its download link handing out dist/student's notebook. Slow: the
command builds the book (`make test` has built it already, so only what changed is built again). The release is the
session's (tests/release/conftest.py: `full_release`), made once with its site for these tests and the others."""

import re
import sys
from html import unescape
from pathlib import Path

import pytest

from autograder.course import REPO, assignment_names
from autograder.course_package import launch_settings

sys.path.insert(0, str(REPO / "book" / "_ext"))
import assignment_launch as launch  # noqa: E402

pytestmark = pytest.mark.slow


def test_make_dist_writes_the_student_repository_the_wheel_and_the_site(full_release):
    assert (full_release / "student" / "pyproject.toml").is_file()
    assert list((full_release / "wheels").glob("cnn_course-*.whl"))
    assert (full_release / "site" / "index.html").is_file()
    assert not (full_release / "student.refused").exists()


def launch_page(name: str) -> Path:
    """Return the built page (relative to the site) whose assignment-launch directive names `name`: an assignment's
    own page, or a quiz's week page."""
    for source in sorted((REPO / "book").rglob("*.md")):
        if re.search(rf"```{{assignment-launch}} {name}\s", source.read_text()):
            return source.relative_to(REPO).with_suffix(".html")
    raise AssertionError(f"no book page launches {name}")


@pytest.mark.parametrize("name", assignment_names())
def test_each_assignment_page_launches_the_student_repositorys_notebook(full_release, name):
    page = full_release / "site" / launch_page(name)
    html = page.read_text()
    settings = launch.read_settings(launch_settings())
    expected = launch.launch_links(settings, launch.released_notebook(name))
    found = [(m[1], unescape(m[2])) for m in re.finditer(r'<a class="[^"]*launch-(\w+)[^"]*" href="([^"]+)"', html)]
    assert found == [(service, url) for service, _, url in expected] and found
    assert all(settings["repository_url"].rstrip("/").split("/")[-1] in url for _, url in found)
    download = re.search(rf'href="(\.\./\.\./_downloads/[^"]+/{name}\.ipynb)"', html)
    assert download, "no download link"
    notebook = (page.parent / download[1]).resolve()
    assert notebook.read_bytes() == (full_release / "student" / launch.released_notebook(name)).read_bytes()
