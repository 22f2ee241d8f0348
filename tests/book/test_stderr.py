"""The book build and TensorFlow's start-up notice: a page whose kernel prints it still builds, a real warning still
fails.

TensorFlow writes its oneDNN notice to file descriptor 2 at import (on any CPU with TF_ENABLE_ONEDNN_OPTS=1,
on CPUs with AVX-512 without it). The course's kernel spec keeps such native lines out of cell outputs
(share/jupyter/kernels/cnnbook/README.md), while `print(..., file=sys.stderr)` and Python warnings still
reach them, and the book's `stderr_output: remove-warn` with `--warningiserror` turns those into a failure.
"""

import json
import os
import subprocess
import sys
from pathlib import Path

import nbformat
import pytest
import yaml
from nbclient import NotebookClient

from autograder.course import REPO

pytestmark = pytest.mark.slow
JUPYTER_BOOK = Path(sys.executable).parent / "jupyter-book"
ONEDNN_NOTICE = "oneDNN custom operations are on"
KERNEL_SPEC = REPO / "share" / "jupyter" / "kernels" / "cnnbook"

TF_PAGE = "import tensorflow as tf\nprint(tf.constant([1.0, 2.0]).numpy().sum())\n"
WARNING_PAGE = "import warnings\nwarnings.warn('a genuine problem in this page')\nprint('after the warning')\n"


def with_notice(env: dict | None = None) -> dict:
    """Return this environment with TensorFlow's notice on, as a kernel outside pytest has it (ipykernel does not
    forward native output at all when it sees PYTEST_CURRENT_TEST, which would hide what is tested here)."""
    return {**without_pytest(os.environ), "TF_ENABLE_ONEDNN_OPTS": "1", **(env or {})}


def without_pytest(env) -> dict:
    return {k: v for k, v in env.items() if k != "PYTEST_CURRENT_TEST"}


def write_book(root: Path, pages: dict[str, str]) -> Path:
    """Write a book of MyST notebook pages (name -> code of its one cell) with the course's execution settings."""
    root.mkdir(parents=True)
    course = yaml.safe_load((REPO / "_config.yml").read_text())
    config = {
        "title": "stderr check",
        "execute": course["execute"] | {"execute_notebooks": "force"},
        "only_build_toc_files": True,
    }
    (root / "_config.yml").write_text(yaml.safe_dump(config))
    names = list(pages)
    (root / "_toc.yml").write_text(
        yaml.safe_dump({"format": "jb-book", "root": names[0], "chapters": [{"file": n} for n in names[1:]]})
    )
    for name, code in pages.items():
        (root / f"{name}.md").write_text(
            "---\njupytext:\n  text_representation:\n    format_name: myst\nkernelspec:\n  name: cnnbook\n"
            f"  display_name: Python 3 (CNN course)\n  language: python\n---\n\n# {name}\n\n"
            f"```{{code-cell}} ipython3\n{code}```\n"
        )
    return root


def build(root: Path) -> subprocess.CompletedProcess:
    return subprocess.run(
        [str(JUPYTER_BOOK), "build", str(root), "--warningiserror", "--keep-going", "--quiet"],
        capture_output=True,
        text=True,
        env=with_notice(),
        timeout=600,
    )


def test_tensorflow_prints_its_notice_when_asked():
    """The premise of the next tests: with TF_ENABLE_ONEDNN_OPTS=1 the import writes the notice to stderr."""
    proc = subprocess.run(
        [sys.executable, "-c", "import tensorflow"],
        capture_output=True,
        text=True,
        env=with_notice({"TF_CPP_MIN_LOG_LEVEL": "2"}),
        timeout=300,
    )
    assert ONEDNN_NOTICE in proc.stderr


def test_a_kernel_that_forwards_native_output_would_show_the_notice_in_the_cell(monkeypatch, tmp_path):
    """Without the course kernel spec's option the notice lands in the cell's outputs (what broke the build)."""
    spec = json.loads((KERNEL_SPEC / "kernel.json").read_text())
    spec["argv"] = [arg for arg in spec["argv"] if not arg.startswith("--IPKernelApp.capture_fd_output")]
    forwarding = tmp_path / "kernels" / "cnnbook-forwarding"
    forwarding.mkdir(parents=True)
    (forwarding / "kernel.json").write_text(json.dumps(spec))
    monkeypatch.setenv("JUPYTER_PATH", str(tmp_path))  # where this process looks for kernel specs first
    nb = nbformat.v4.new_notebook(cells=[nbformat.v4.new_code_cell(TF_PAGE)])
    NotebookClient(nb, kernel_name="cnnbook-forwarding", timeout=300).execute(env=with_notice())
    stderr = "".join(o.get("text", "") for o in nb.cells[0].outputs if o.get("name") == "stderr")
    assert ONEDNN_NOTICE in stderr


def test_the_course_kernel_keeps_the_notice_out_of_the_cell():
    nb = nbformat.v4.new_notebook(cells=[nbformat.v4.new_code_cell(TF_PAGE)])
    NotebookClient(nb, kernel_name="cnnbook", timeout=300).execute(env=with_notice())
    outputs = nb.cells[0].outputs
    assert [o.get("name") for o in outputs] == ["stdout"] and outputs[0]["text"].strip() == "3.0"


def test_a_page_importing_tensorflow_builds_and_a_genuine_warning_fails_the_build(tmp_path):
    quiet = build(write_book(tmp_path / "quiet", {"intro": "print('hello')\n", "tensorflow_page": TF_PAGE}))
    assert quiet.returncode == 0, quiet.stdout[-3000:] + quiet.stderr[-3000:]

    noisy = build(
        write_book(
            tmp_path / "noisy", {"intro": "print('hello')\n", "tensorflow_page": TF_PAGE, "warning_page": WARNING_PAGE}
        )
    )
    log = noisy.stdout + noisy.stderr
    assert noisy.returncode != 0
    assert "warning_page.md" in log and "stderr was found in the cell outputs" in log
    assert "tensorflow_page.md" not in log, log[-3000:]
