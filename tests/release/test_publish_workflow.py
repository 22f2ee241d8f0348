"""The publishing workflow (.github/workflows/): actionlint (pinned in requirements.txt, a binary shipped in its
wheel: it runs offline) finds nothing wrong, and the workflow builds and publishes what `make dist` writes."""

import shutil
import subprocess
import sys
from pathlib import Path

import pytest
import yaml

from autograder.course import REPO

WORKFLOWS = sorted((REPO / ".github" / "workflows").glob("*.yml"))
ACTIONLINT = shutil.which("actionlint", path=str(Path(sys.executable).parent))


def actionlint(*paths: Path) -> subprocess.CompletedProcess:
    """Run actionlint on workflow files; return the process."""
    if ACTIONLINT is None:
        pytest.fail("actionlint is not installed in this venv: run `make install`")
    return subprocess.run(
        [ACTIONLINT, "-no-color", *map(str, paths)], cwd=REPO, capture_output=True, text=True, timeout=120
    )


def test_actionlint_passes_every_workflow():
    assert WORKFLOWS
    proc = actionlint(*WORKFLOWS)
    assert proc.returncode == 0, proc.stdout + proc.stderr


def test_actionlint_catches_a_broken_workflow(tmp_path):
    broken = tmp_path / ".github" / "workflows" / "broken.yml"
    broken.parent.mkdir(parents=True)
    text = WORKFLOWS[0].read_text().replace("runs-on: ubuntu-24.04", "runs-on: ubuntu-24.04\n    tiemout-minutes: 5", 1)
    broken.write_text(text.replace("${{ github.sha }}", "${{ github.shaa }}"))
    proc = actionlint(broken)
    assert proc.returncode == 1 and "tiemout-minutes" in proc.stdout and "shaa" in proc.stdout


def test_the_workflow_builds_the_release_and_publishes_the_site():
    workflow = yaml.safe_load((REPO / ".github" / "workflows" / "publish.yml").read_text())
    steps = workflow["jobs"]["build"]["steps"]
    assert any(step.get("run") == "make dist" for step in steps)
    upload = next(step for step in steps if step.get("uses", "").startswith("actions/upload-pages-artifact@"))
    assert upload["with"]["path"] == "dist/site"
    push = next(step for step in steps if "push --quiet origin HEAD:main" in step.get("run", ""))
    assert "cp -a dist/student/. student-repository/" in push["run"] and "--force" not in push["run"]
    assert any(step.get("uses", "").startswith("actions/deploy-pages@") for step in workflow["jobs"]["deploy"]["steps"])
