"""The {assignment-launch} directive of the assignment pages (book/_ext/assignment_launch.py): its links,
its settings, a small Sphinx build with it, and the built book's assignment pages."""

import re
import subprocess
import sys
from html import unescape
from pathlib import Path
from urllib.parse import parse_qs, urlsplit

import pytest
import yaml

from autograder.course import REPO, assignment_names

sys.path.insert(0, str(REPO / "book" / "_ext"))
import assignment_launch as launch  # noqa: E402

REPO_URL = "https://github.com/some-org/cnn-course"
SETTINGS = {
    **launch.DEFAULTS,
    "repository_url": REPO_URL,
    "jupyterhub_url": "https://hub.example.edu/",
    "binderhub_url": "https://mybinder.org",
    "colab": True,
}
PATH = "assignments/w1a1_conv_numpy/w1a1_conv_numpy.ipynb"


def test_nbgitpuller_link_pulls_the_repository_and_opens_the_notebook():
    url = urlsplit(launch.nbgitpuller_url("https://hub.example.edu/", REPO_URL + ".git", "main", PATH))
    assert (url.scheme, url.netloc, url.path) == ("https", "hub.example.edu", "/hub/user-redirect/git-pull")
    query = parse_qs(url.query)
    assert query == {
        "repo": [REPO_URL + ".git"],
        "branch": ["main"],
        "targetpath": ["cnn-course"],
        "urlpath": [f"lab/tree/cnn-course/{PATH}"],
    }


def test_the_classic_interface_opens_tree():
    url = launch.nbgitpuller_url("https://hub.example.edu", REPO_URL, "dev", PATH, interface="tree")
    assert parse_qs(urlsplit(url).query)["urlpath"] == [f"tree/cnn-course/{PATH}"]


def test_repository_folder_is_the_last_part_of_the_url():
    assert launch.repository_folder("https://gitlab.example.org/group/course-site.git/") == "course-site"
    assert launch.repository_folder("https://github.com/a/b") == "b"


def test_binder_links_for_github_and_for_any_git_host():
    github = urlsplit(launch.binder_url("https://mybinder.org/", REPO_URL, "main", PATH))
    assert github.path == "/v2/gh/some-org/cnn-course/main" and parse_qs(github.query)["urlpath"] == [
        f"lab/tree/{PATH}"
    ]
    other = urlsplit(launch.binder_url("https://mybinder.org", "https://gitlab.com/g/course.git", "main", PATH))
    assert other.path == "/v2/git/https%3A%2F%2Fgitlab.com%2Fg%2Fcourse.git/main"


def test_colab_opens_github_notebooks_only():
    assert (
        launch.colab_url(REPO_URL, "main", PATH)
        == f"https://colab.research.google.com/github/some-org/cnn-course/blob/main/{PATH}"
    )
    with pytest.raises(ValueError, match="GitHub only"):
        launch.colab_url("https://gitlab.com/g/course", "main", PATH)


def test_a_service_appears_only_when_configured_and_chosen():
    assert [s for s, _, _ in launch.launch_links(SETTINGS, PATH)] == ["jupyterhub", "binder", "colab"]
    assert [s for s, _, _ in launch.launch_links(SETTINGS, PATH, ("jupyterhub",))] == ["jupyterhub"]
    assert launch.launch_links({**SETTINGS, "repository_url": ""}, PATH) == []
    no_hub = {**SETTINGS, "jupyterhub_url": "", "binderhub_url": "", "colab": False}
    assert launch.launch_links(no_hub, PATH) == []


def test_bad_settings_are_named():
    with pytest.raises(ValueError, match="hub_ulr"):
        launch.read_settings({"hub_ulr": "https://hub"})
    with pytest.raises(ValueError, match="interface"):
        launch.read_settings({"interface": "notebook"})
    with pytest.raises(ValueError, match="unknown service"):
        launch.parse_services("jupyterhub kaggle")


def sphinx_build(tmp_path: Path, page: str, settings: dict) -> subprocess.CompletedProcess:
    """Build a one-page site with the extension, warnings as errors; return the process."""
    src = tmp_path / "src"
    src.mkdir(exist_ok=True)
    (src / "conf.py").write_text(
        f"import sys\nsys.path.insert(0, {str(REPO / 'book' / '_ext')!r})\n"
        f"extensions = ['myst_parser', 'sphinx_design', 'assignment_launch']\nassignment_launch = {settings!r}\n"
    )
    (src / "index.md").write_text(page)
    return subprocess.run(
        [sys.executable, "-m", "sphinx", "-W", "-q", "-b", "html", str(src), str(tmp_path / "out")],
        capture_output=True,
        text=True,
        timeout=300,
    )


def test_a_page_with_the_directive_builds_with_its_link_and_buttons(tmp_path):
    notebook = tmp_path / "src" / "assignments" / "w9a1_demo" / "w9a1_demo.ipynb"
    notebook.parent.mkdir(parents=True)
    notebook.write_text('{"cells": [], "metadata": {}, "nbformat": 4, "nbformat_minor": 5}')
    proc = sphinx_build(
        tmp_path, "# Demo\n\n```{assignment-launch} w9a1_demo\n:services: jupyterhub binder\n```\n", SETTINGS
    )
    assert proc.returncode == 0, proc.stderr
    html = (tmp_path / "out" / "index.html").read_text()
    download = re.search(r'href="(_downloads/[^"]+/w9a1_demo\.ipynb)"', html)
    assert download and (tmp_path / "out" / download[1]).read_bytes() == notebook.read_bytes()
    assert "launch-jupyterhub" in html and "launch-binder" in html and "launch-colab" not in html
    assert f'href="{REPO_URL}"' in html and "follow its README" in html  # on one's own computer


def test_without_a_student_repository_the_page_says_how_to_open_the_notebook_from_the_course(tmp_path):
    notebook = tmp_path / "src" / "assignments" / "w9a1_demo" / "w9a1_demo.ipynb"
    notebook.parent.mkdir(parents=True)
    notebook.write_text('{"cells": [], "metadata": {}, "nbformat": 4, "nbformat_minor": 5}')
    proc = sphinx_build(
        tmp_path, "# Demo\n\n```{assignment-launch} w9a1_demo\n```\n", {**SETTINGS, "repository_url": ""}
    )
    assert proc.returncode == 0, proc.stderr
    html = (tmp_path / "out" / "index.html").read_text()
    assert "clone of the course repository" in html and '<span class="pre">lab</span>' in html
    assert not re.search(r"launch-(jupyterhub|binder|colab)", html)


@pytest.mark.parametrize(
    "page, error",
    [
        ("```{assignment-launch} w9a9_missing\n```\n", "download file not readable"),
        ("```{assignment-launch} Week1-conv\n```\n", "is not an assignment id"),
        ("```{assignment-launch} w1_quizzes\n```\n", "is not an assignment id"),
    ],
)
def test_a_wrong_assignment_fails_the_build(tmp_path, page, error):
    proc = sphinx_build(tmp_path, "# Demo\n\n" + page, SETTINGS)
    assert proc.returncode != 0 and error in proc.stderr, proc.stderr


def test_every_assignment_page_uses_the_directive_for_itself():
    pages = sorted((REPO / "book" / "assignments").glob("*.md"))
    assert pages
    for page in pages:
        uses = re.findall(r"```\{assignment-launch\} (\S+)", page.read_text())
        assert uses == [page.stem], f"{page.name} must contain exactly one ```{{assignment-launch}} {page.stem}"


def offering_pages(name: str) -> list[str]:
    """Return the pages that offer `name` with {assignment-launch}: assignment pages and the weeks' quiz pages."""
    pages = sorted([*(REPO / "book" / "assignments").glob("*.md"), *(REPO / "book").glob("week*/quiz.md")])
    return [
        p.relative_to(REPO).with_suffix("").as_posix()
        for p in pages
        if re.search(rf"^```\{{assignment-launch\}} {name}$", p.read_text(), flags=re.M)
    ]


def test_every_assignment_and_quiz_is_offered_on_exactly_one_page():
    for name in assignment_names():
        assert len(offering_pages(name)) == 1, f"{name} is offered on {offering_pages(name)}"


@pytest.mark.slow
@pytest.mark.parametrize("name", assignment_names())
def test_the_built_page_has_the_configured_buttons(name):
    built = REPO / "_build" / "html" / f"{offering_pages(name)[0]}.html"
    if not built.is_file():
        pytest.fail("the book is not built: run `make book` (or `make test`, which builds it first)")
    configured = yaml.safe_load((REPO / "_config.yml").read_text())["sphinx"]["config"]["assignment_launch"]
    expected = launch.launch_links(launch.read_settings(configured), launch.released_notebook(name))
    html = built.read_text()
    found = [(m[1], unescape(m[2])) for m in re.finditer(r'<a class="[^"]*launch-(\w+)[^"]*" href="([^"]+)"', html)]
    assert found == [(service, url) for service, _, url in expected]
