"""Reading submitted notebooks in the encodings and versions students hand in, and naming what is wrong."""

import codecs
import json

import nbformat
from nbformat.v4 import new_code_cell, new_notebook

from autograder.intake.notebook_files import read_notebook


def notebook_text() -> str:
    return nbformat.writes(new_notebook(cells=[new_code_cell("x = 'café'")]))


def test_utf8_with_and_without_bom_and_utf16(tmp_path):
    for name, raw in [
        ("plain", notebook_text().encode()),
        ("bom", codecs.BOM_UTF8 + notebook_text().encode()),
        ("utf16", notebook_text().encode("utf-16")),
    ]:
        path = tmp_path / f"{name}.ipynb"
        path.write_bytes(raw)
        text, problem = read_notebook(path)
        assert problem is None, name
        assert nbformat.reads(text, as_version=4).cells[0].source == "x = 'café'"


def test_an_nbformat_3_notebook_is_converted(tmp_path):
    v3 = {
        "nbformat": 3,
        "nbformat_minor": 0,
        "metadata": {"name": ""},
        "worksheets": [
            {
                "cells": [
                    {"cell_type": "code", "input": "print(1)", "language": "python", "outputs": [], "metadata": {}}
                ],
                "metadata": {},
            }
        ],
    }
    path = tmp_path / "old.ipynb"
    path.write_text(json.dumps(v3))
    text, problem = read_notebook(path)
    assert problem is None
    nb = nbformat.reads(text, as_version=4)
    assert nb.nbformat == 4 and nb.cells[0].source == "print(1)"


def test_problems_are_named(tmp_path):
    cases = {
        "latin1.ipynb": notebook_text().encode("latin-1"),
        "cut.ipynb": b'{"cells": [',
        "list.ipynb": b"[1, 2, 3]",
        "nocells.ipynb": b'{"nbformat": 4, "nbformat_minor": 5}',
    }
    expected = {
        "latin1.ipynb": "not UTF-8",
        "cut.ipynb": "not valid JSON (line 1",
        "list.ipynb": "not a Jupyter notebook",
        "nocells.ipynb": "not a valid Jupyter notebook",
    }
    for name, raw in cases.items():
        (tmp_path / name).write_bytes(raw)
        text, problem = read_notebook(tmp_path / name)
        assert text is None and expected[name] in problem and name in problem, (name, problem)
