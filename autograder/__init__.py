"""Instructor side of the course: hidden tests, nbgrader configuration and the grading pipeline."""

import sys

# jsonschema (under nbformat) checks the "iri" string format with rfc3987_syntax when that is installed (it
# comes with jupyter-events), and importing it builds a parser grammar: about 2 s of every grader process's
# start, before any notebook runs. No notebook schema uses that format, so the grader goes without it.
# (A module set to None in sys.modules makes its import raise ImportError, which jsonschema expects.)
sys.modules.setdefault("rfc3987_syntax", None)
