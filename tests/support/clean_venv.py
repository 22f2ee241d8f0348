"""A clean venv that holds only what a student's environment holds, and notebooks run in a kernel of it.

The venv is made from the base interpreter (not this checkout's .venv) and filled from the wheelhouse that `make`
downloads (.venv/wheelhouse: the student requirements and the build backend), with pip's configuration ignored and
no index: nothing reaches the network. A kernel of the venv runs its own interpreter, in a folder of the test's,
with a small environment of the test's making (no PYTHONPATH), so the checkout cannot leak into it.
"""

import json
import os
import subprocess
import sys
from pathlib import Path

import nbformat
from jupyter_client.kernelspec import KernelSpecManager
from jupyter_client.manager import KernelManager
from nbclient import NotebookClient

from autograder.course import REPO

__all__ = ["WHEELHOUSE", "make_venv", "pip", "venv_kernel_specs", "run_notebook", "read_notebook", "kernel_env"]

WHEELHOUSE = REPO / ".venv" / "wheelhouse"
PIP_OFFLINE = {
    "PIP_CONFIG_FILE": os.devnull,  # the machine's pip configuration adds indexes and constraints of its own
    "PIP_NO_INDEX": "1",
    "PIP_FIND_LINKS": str(WHEELHOUSE),
    "PIP_DISABLE_PIP_VERSION_CHECK": "1",
}


def kernel_env(venv: Path, home: Path, extra: dict | None = None) -> dict:
    """Return the environment of a process of the venv: its bin/ first on PATH, a home of its own, pip offline."""
    keep = {k: v for k, v in os.environ.items() if k in ("LANG", "LC_ALL", "OPENBLAS_CORETYPE", "OPENBLAS_L2_SIZE")}
    home.mkdir(parents=True, exist_ok=True)
    return {
        **keep,
        **PIP_OFFLINE,
        "PATH": f"{venv / 'bin'}{os.pathsep}/usr/bin{os.pathsep}/bin",
        "HOME": str(home),
        "MPLBACKEND": "agg",
        **(extra or {}),
    }


def make_venv(venv: Path) -> Path:
    """Create a venv with the base interpreter of this one (the venv module: pip, and setuptools on 3.11)."""
    subprocess.run([sys._base_executable, "-m", "venv", str(venv)], check=True, timeout=300)
    return venv


def pip(venv: Path, *args: str, home: Path, timeout: float = 900) -> subprocess.CompletedProcess:
    """Run the venv's pip offline; AssertionError with its log when it fails."""
    proc = subprocess.run(
        [str(venv / "bin" / "python"), "-m", "pip", *args],
        capture_output=True,
        text=True,
        env=kernel_env(venv, home),
        timeout=timeout,
    )
    assert proc.returncode == 0, f"pip {' '.join(args)} failed:\n{proc.stdout[-3000:]}\n{proc.stderr[-3000:]}"
    return proc


def venv_kernel_specs(venv: Path) -> dict:
    """Return {name: kernel.json} of the kernel specs installed into the venv's own share/jupyter/kernels."""
    folder = venv / "share" / "jupyter" / "kernels"
    return {p.parent.name: json.loads(p.read_text()) for p in folder.glob("*/kernel.json")}


def kernel_manager(venv: Path, name: str, scratch: Path) -> KernelManager:
    """Return a manager for the venv's installed kernel `name`, with "python" meaning the venv's interpreter.

    Jupyter replaces a spec's leading "python" with the interpreter Jupyter itself runs in; a Jupyter of the venv
    would run the venv's. This process is not the venv's, so the spec is copied with that one word made explicit.
    """
    spec = venv_kernel_specs(venv)[name]
    if spec["argv"][0] in ("python", "python3"):
        spec["argv"][0] = str(venv / "bin" / "python")
    folder = scratch / "kernels" / name
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "kernel.json").write_text(json.dumps(spec))
    return KernelManager(kernel_name=name, kernel_spec_manager=KernelSpecManager(kernel_dirs=[str(folder.parent)]))


def run_notebook(nb, venv: Path, kernel: str, cwd: Path, env: dict, timeout: int = 600):
    """Execute `nb` (a NotebookNode) in the venv's kernel `kernel`, in `cwd`; return it with its outputs."""
    km = kernel_manager(venv, kernel, cwd.parent / f".{cwd.name}-kernel")
    client = NotebookClient(nb, km=km, timeout=timeout, allow_errors=False, record_timing=False)
    client.execute(cwd=str(cwd), env=env)
    return nb


def read_notebook(path: Path):
    """Return the notebook at `path` as a NotebookNode."""
    return nbformat.read(path, as_version=4)
