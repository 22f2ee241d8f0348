"""Instructor side of the course: hidden tests, nbgrader configuration and the grading pipeline."""
