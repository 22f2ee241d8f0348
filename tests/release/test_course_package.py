"""The first cell of every notebook (autograder.course_package): the source of the course package it installs,
read from _config.yml, and how the release writes it into a notebook."""

import tomllib

import nbformat
import pytest

from autograder.course import REPO
from autograder.course_package import (
    CELL_ID,
    CELL_SOURCE,
    DISTRIBUTION,
    UNSET,
    launch_settings,
    package_source,
    stamp_notebook,
)


def notebook_with_the_cell() -> nbformat.NotebookNode:
    cell = nbformat.v4.new_code_cell(CELL_SOURCE)
    cell.metadata = {"nbgrader": {"grade_id": CELL_ID, "locked": True, "checksum": "stale"}}
    return nbformat.v4.new_notebook(cells=[cell, nbformat.v4.new_markdown_cell("# Title")])


def test_the_cell_installs_the_distribution_pyproject_builds():
    assert DISTRIBUTION == tomllib.loads((REPO / "pyproject.toml").read_text())["project"]["name"]


def test_the_source_is_the_student_repository_on_its_branch():
    settings = {"repository_url": "https://github.com/some-org/cnn-course-student", "branch": "fall"}
    assert package_source(settings) == "cnn-course @ git+https://github.com/some-org/cnn-course-student@fall"
    assert package_source({"repository_url": "", "branch": "main"}) is None
    assert package_source({}) is None


def test_the_configured_settings_are_read_from_config_yml(tmp_path):
    config = tmp_path / "_config.yml"
    config.write_text("sphinx:\n  config:\n    assignment_launch:\n      repository_url: file:///srv/course.git\n")
    assert package_source(launch_settings(config)) == "cnn-course @ git+file:///srv/course.git@main"
    config.write_text("title: no launch settings\n")
    assert launch_settings(config) == {}
    config.write_text("sphinx: [unclosed\n")
    with pytest.raises(ValueError, match="_config.yml cannot be read"):
        launch_settings(config)


def test_stamping_writes_the_line_and_a_fresh_checksum():
    nb = notebook_with_the_cell()
    stamp_notebook(nb, "cnn-course @ git+https://example.test/r@main")
    source = nb.cells[0].source
    assert 'COURSE_PACKAGE = "cnn-course @ git+https://example.test/r@main"' in source and UNSET not in source
    assert nb.cells[0].metadata.nbgrader.checksum != "stale"
    stamp_notebook(nb, None)
    assert nb.cells[0].source == CELL_SOURCE


def test_a_notebook_without_the_cell_or_a_quoted_source_is_refused():
    nb = notebook_with_the_cell()
    with pytest.raises(ValueError, match="quote"):
        stamp_notebook(nb, 'x"; import os')
    nb.cells.pop(0)
    with pytest.raises(ValueError, match="no 'course-package' cell"):
        stamp_notebook(nb, "cnn-course")
