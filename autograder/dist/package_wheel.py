"""Build the course package's wheel (cnnbook, its weights and checksums, the kernel spec) from a source tree.

pip builds it with the backend pyproject.toml names (hatchling, pinned in requirements.txt), without build
isolation so that no index is asked: the backend of this environment is the pinned one.
"""

import subprocess
import sys
from pathlib import Path

__all__ = ["build_wheel"]


def build_wheel(source: Path, wheel_dir: Path) -> Path:
    """Build the wheel of the project in `source` into `wheel_dir` and return its path; RuntimeError with pip's log."""
    wheel_dir.mkdir(parents=True, exist_ok=True)
    for old in wheel_dir.glob("cnn_course-*.whl"):  # an earlier build's, maybe of another version
        old.unlink()
    proc = subprocess.run(
        [sys.executable, "-m", "pip", "wheel", "--quiet", "--no-deps", "--no-build-isolation", "--no-index"]
        + ["--disable-pip-version-check", "--wheel-dir", str(wheel_dir), str(source)],
        capture_output=True,
        text=True,
    )
    if proc.returncode != 0:
        raise RuntimeError(f"building the course package's wheel from {source} failed:\n{proc.stdout}\n{proc.stderr}")
    (wheel,) = wheel_dir.glob("cnn_course-*.whl")
    return wheel
