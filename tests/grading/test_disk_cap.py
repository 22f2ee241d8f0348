"""The working folder's disk cap (autograder.sandbox.disk_cap): a file system of the cap's size, which a write
cannot pass, with the grader's data sets and the hidden tests' folder outside the cap."""

import os
import subprocess
from pathlib import Path

import pytest

from autograder.grade.work_folder import prepare_work_dir, share_data
from autograder.sandbox.disk_cap import (
    FULL_MARGIN,
    can_mount,
    is_full,
    make_working_folder,
    remove_working_folder,
    unmount_stale,
    used_bytes,
)

pytestmark = pytest.mark.skipif(not can_mount(), reason="mounting a tmpfs needs root (the grader falls back)")
CAP = 8 * 1024**2
UID = 61_999  # an unprivileged uid of the tests' own, as the grader's sandbox users are


@pytest.fixture
def data_cache(tmp_path):
    cache = tmp_path / "cache"
    cache.mkdir()
    (cache / "shapes.npz").write_bytes(os.urandom(3 * CAP))  # larger than the cap: it must not count against it
    return cache


@pytest.fixture
def folder(data_cache):
    made = make_working_folder("student/../x", CAP)
    prepare_work_dir(made.path, "w1a1_conv_numpy", UID)
    share_data(made, data_cache, UID)
    yield made
    remove_working_folder(made)


def write_as(uid: int, path: Path, n_bytes: int) -> subprocess.CompletedProcess:
    """Write `n_bytes` to `path` as user `uid`, as the kernel writes a data set: a new file renamed over `path`."""
    command = 'head -c "$1" /dev/zero > "$2.part" && mv -f "$2.part" "$2"'  # not Python: the venv may be closed to uid
    return subprocess.run(
        [
            "setpriv",
            f"--reuid={uid}",
            f"--regid={uid}",
            "--clear-groups",
            "sh",
            "-c",
            command,
            "sh",
            str(n_bytes),
            str(path),
        ],
        capture_output=True,
        text=True,
        check=False,
    )


def test_the_folder_is_a_file_system_of_the_caps_size(folder):
    assert folder.capped
    stats = os.statvfs(folder.path)
    assert stats.f_blocks * stats.f_frsize == CAP
    assert "student" in folder.base.name and "/" not in folder.base.name.removeprefix("cnnbook-work-")


def test_a_write_past_the_cap_fails_and_the_folder_reads_full(folder):
    done = write_as(UID, folder.path / "filler", 2 * CAP)
    assert done.returncode != 0 and "No space left on device" in done.stderr
    assert is_full(folder.path)
    assert CAP - FULL_MARGIN <= used_bytes(folder.path) <= CAP


def test_the_data_sets_are_read_without_counting_against_the_cap(folder, data_cache):
    shared = folder.path / ".cache" / "cnnbook" / "shapes.npz"
    assert shared.read_bytes() == (data_cache / "shapes.npz").read_bytes()
    assert used_bytes(folder.path) < CAP // 8


def test_a_data_set_the_kernel_rebuilds_counts_and_leaves_the_graders_copy(folder, data_cache):
    original = (data_cache / "shapes.npz").read_bytes()
    rebuilt = folder.path / ".cache" / "cnnbook" / "shapes.npz"
    done = write_as(UID, rebuilt, 2 * 1024**2)
    assert done.returncode == 0, done.stderr
    assert (data_cache / "shapes.npz").read_bytes() == original
    assert used_bytes(folder.path) >= 2 * 1024**2


def test_the_hidden_tests_folder_is_outside_the_cap_and_not_the_kernels(folder):
    assert write_as(UID, folder.path / "filler", 2 * CAP).returncode != 0  # the folder is full
    (folder.path / ".probe" / "inputs.npz").write_bytes(b"y" * (2 * CAP))  # the grader still writes its inputs
    assert (folder.probe_source / "inputs.npz").stat().st_size == 2 * CAP
    refused = write_as(UID, folder.path / ".probe" / "forged.npz", 10)
    assert refused.returncode != 0 and "Permission denied" in refused.stderr


def test_removing_the_folder_unmounts_everything(data_cache):
    made = make_working_folder("s1", CAP)
    prepare_work_dir(made.path, "w1a1_conv_numpy", UID)
    share_data(made, data_cache, UID)
    remove_working_folder(made)
    assert not made.base.exists() and not made.probe_source.exists()
    assert str(made.base) not in Path("/proc/self/mounts").read_text()
    assert (data_cache / "shapes.npz").stat().st_size == 3 * CAP


def folder_left_by_an_ended_process(setup: str = "") -> Path:
    """Return the working folder a process made (after running `setup`) and left behind as it ended."""
    repo = str(Path(__file__).resolve().parents[2])
    code = f"from autograder.sandbox import disk_cap; {setup}print(disk_cap.make_working_folder('killed', {CAP}).base)"
    child = subprocess.run(
        ["python3", "-c", code],
        capture_output=True,
        text=True,
        check=True,
        cwd=repo,
        env={**os.environ, "PYTHONPATH": repo},
    )
    return Path(child.stdout.strip())


def test_a_killed_workers_folders_are_unmounted_by_the_next(data_cache):
    """A worker killed mid-submission leaves its folder mounted; the next worker's unmount_stale removes it."""
    left = str(folder_left_by_an_ended_process())
    assert left in Path("/proc/self/mounts").read_text()  # its process has ended: nothing unmounted it
    assert unmount_stale() >= 1
    assert left not in Path("/proc/self/mounts").read_text() and not Path(left).exists()


def test_a_killed_workers_plain_folder_is_removed_by_the_next():
    """Where the folder is not mounted (the fallback, or a mount already gone), unmount_stale removes it too."""
    left = folder_left_by_an_ended_process("disk_cap.can_mount = lambda: False; ")
    assert left.is_dir() and not os.path.ismount(left)
    assert unmount_stale() >= 1
    assert not left.exists()


def test_without_mounting_the_folder_is_plain_and_measured(monkeypatch, data_cache):
    from autograder.sandbox import disk_cap

    monkeypatch.setattr(disk_cap, "can_mount", lambda: False)
    made = disk_cap.make_working_folder("plain", CAP)
    try:
        assert not made.capped and made.path == made.base
        prepare_work_dir(made.path, "w1a1_conv_numpy", UID)
        shared = share_data(made, data_cache, UID)
        assert (shared / "shapes.npz").stat().st_ino == (data_cache / "shapes.npz").stat().st_ino  # a link
    finally:
        disk_cap.remove_working_folder(made)
