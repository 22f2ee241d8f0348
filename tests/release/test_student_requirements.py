"""requirements-student.txt: the pinned subset of requirements.txt that the released notebooks' kernel needs,
closed under dependencies, and enough for the course package's own declared dependencies."""

import importlib.metadata
import re
import tomllib

from packaging.requirements import Requirement

from autograder.course import REPO

# What the released notebooks and the course package import (tests/release/test_dist.py runs them on it).
ROOTS = ["tensorflow-cpu", "keras", "numpy", "matplotlib", "pillow", "scikit-image", "scipy", "ipykernel"]
# A fresh venv brings these itself (Python 3.11's venv: pip and setuptools).
VENV_OWN = {"pip", "setuptools"}


def canonical(name: str) -> str:
    return re.sub(r"[-_.]+", "-", name).lower()


def pins(path) -> dict[str, str]:
    """Return {canonical name: version} of a requirements file's `name==version` lines; fail on any other line."""
    found = {}
    for line in path.read_text().splitlines():
        if line.strip() and not line.startswith("#"):
            name, sep, version = line.partition("==")
            assert sep and version.strip(), f"{path.name}: {line!r} is not pinned with =="
            found[canonical(name)] = version.strip()
    return found


def dependency_closure(roots: list[str]) -> set[str]:
    """Return the canonical names of `roots` and everything they need, as installed in this venv."""
    seen, todo = set(), list(roots)
    while todo:
        name = canonical(todo.pop())
        if name in seen or name in VENV_OWN:
            continue
        seen.add(name)
        for text in importlib.metadata.distribution(name).requires or []:
            requirement = Requirement(text)
            if requirement.marker is None or requirement.marker.evaluate({"extra": ""}):
                todo.append(requirement.name)
    return seen


def test_student_pins_are_requirements_pins():
    student, course = pins(REPO / "requirements-student.txt"), pins(REPO / "requirements.txt")
    assert {name: version for name, version in student.items() if course.get(name) != version} == {}


def test_student_requirements_are_exactly_the_closure_of_what_the_notebooks_import():
    assert set(pins(REPO / "requirements-student.txt")) == dependency_closure(ROOTS)


def test_student_requirements_meet_the_packages_declared_dependencies():
    project = tomllib.loads((REPO / "pyproject.toml").read_text())["project"]
    student = pins(REPO / "requirements-student.txt")
    declared = project["dependencies"] + project["optional-dependencies"]["cpu"]
    unmet = [d for d in declared if not Requirement(d).specifier.contains(student.get(canonical(Requirement(d).name)))]
    assert unmet == []
