"""Every graded function of every assignment has a catalogue of at least five plausible mistakes and two correct
alternatives (tests/assignments/<id>/catalogue.py), which its hidden tests and visible checks are tested against."""

import importlib

import pytest

from autograder.course import assignment_names
from autograder.judging.cases import hidden_tests
from tests.support import variants

GRADED = [(a, test.function) for a in assignment_names() for test in hidden_tests(a).values()]


@pytest.mark.parametrize("assignment, function", GRADED, ids=[f"{a}-{f}" for a, f in GRADED])
def test_catalogue_has_enough_variants(assignment, function):
    catalogue = importlib.import_module(f"tests.assignments.{assignment}.catalogue")
    assert len(variants.mistakes_for(catalogue, function)) >= 5
    assert len(variants.alternatives_for(catalogue, function)) >= 2
