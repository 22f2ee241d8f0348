"""The built book (`make book` writes _build/html): every page of the table of contents, figures, notebook links."""

import re
from pathlib import Path

import pytest
import yaml

from autograder.course import REPO, assignment_names
from autograder.quizzes.banks import is_quiz

pytestmark = pytest.mark.slow
HTML = REPO / "_build" / "html"


def toc_files() -> list[str]:
    toc = yaml.safe_load((REPO / "_toc.yml").read_text())
    files = [toc["root"]]

    def walk(entries):
        for entry in entries:
            files.append(entry["file"])
            walk(entry.get("sections", []))

    for part in toc.get("parts", []):
        walk(part["chapters"])
    return files


@pytest.fixture(scope="module")
def built() -> Path:
    if not (HTML / "index.html").is_file():
        pytest.fail("the book is not built: run `make book` (or `make test`, which builds it first)")
    return HTML


@pytest.mark.parametrize("page", toc_files())
def test_every_toc_page_is_built_and_its_images_exist(built, page):
    html_path = built / f"{page}.html"
    assert html_path.is_file(), f"{page} is in _toc.yml but was not built"
    html = html_path.read_text()
    for src in re.findall(r'<img[^>]+src="([^"]+)"', html):
        if not src.startswith(("http", "data:")):
            assert (html_path.parent / src).resolve().is_file(), f"{page}: missing image {src}"


@pytest.mark.parametrize("page", toc_files())
def test_every_image_has_alternative_text(built, page):
    """Figures from code cells get theirs from the cell's `mystnb: image: alt:` metadata; without it the
    HTML writer puts the file name in alt, which a screen reader would read out."""
    html = (built / f"{page}.html").read_text()
    for tag in re.findall(r"<img[^>]*>", html):
        src = re.search(r'src="([^"]*)"', tag)[1]
        alt = re.search(r'alt="([^"]*)"', tag)
        name = src.split("?")[0].rsplit("/", 1)[-1]
        assert alt and len(alt[1].strip()) >= 10 and name not in alt[1], (
            f"{page}: the image {name} has no alternative text; give its cell `mystnb: image: alt: ...`"
        )


@pytest.mark.parametrize("week", ["week1", "week2", "week3", "week4"])
def test_week_pages_show_figures_made_by_executed_code(built, week):
    pages = [p for p in toc_files() if p.startswith(f"book/{week}/0")]
    assert pages, f"_toc.yml lists no section of {week}"
    with_figures = [p for p in pages if re.search(r'<img[^>]+src="[^"]*_images/', (built / f"{p}.html").read_text())]
    assert len(with_figures) >= len(pages) // 2, f"only {with_figures} of {pages} show executed figures"


def offering_page(name: str) -> str:
    """Return the page that offers an assignment's notebook: its assignment page, or for a quiz the week's quiz page."""
    return f"book/week{name[1:-5]}/quiz" if is_quiz(name) else f"book/assignments/{name}"


@pytest.mark.parametrize("name", assignment_names())
def test_each_assignment_page_offers_its_student_notebook(built, name):
    page = built / f"{offering_page(name)}.html"
    html = page.read_text()
    links = re.findall(rf'href="([^"]*_downloads/[^"]*/{name}\.ipynb)"', html)
    assert links, f"the page of {name} does not link its notebook"
    downloaded = (page.parent / links[0]).resolve()
    released = REPO / "assignments" / name / f"{name}.ipynb"
    assert downloaded.read_bytes() == released.read_bytes(), "the book offers a stale copy of the notebook"
