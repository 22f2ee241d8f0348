"""The cgroup of a submission: which hierarchy is chosen, the files its caps are written to, and (where this
machine lets us) that the kernel holds a small group to its caps.

The choice and the files are tested on hierarchies laid out in a temporary folder, since a machine has only
the one kind it has; the caps themselves on the real hierarchy, with small caps and bounded attempts.
"""

import subprocess
import sys
import time

import pytest

from autograder.sandbox import cgroups
from autograder.sandbox.cgroups import SubmissionGroup, Support, cap_support, find_support, submission_group
from autograder.sandbox.limits import Limits

V1_MOUNTS = """\
31 23 0:28 / /sys/fs/cgroup rw,relatime - tmpfs tmpfs rw,mode=755
32 31 0:29 / /sys/fs/cgroup/cpu,cpuacct rw,relatime - cgroup cgroup rw,cpu,cpuacct
35 31 0:32 / /sys/fs/cgroup/memory rw,relatime - cgroup cgroup rw,memory
39 31 0:36 / /sys/fs/cgroup/pids rw,relatime - cgroup cgroup rw,pids
41 31 0:38 / /sys/fs/cgroup/unified rw,relatime - cgroup2 cgroup2 rw
"""
V1_OWN = "8:pids:/\n4:memory:/jobs/42\n1:cpu,cpuacct:/\n0::/\n"


def test_v1_is_chosen_when_v2_has_no_memory_controller(tmp_path, monkeypatch):
    mounts = V1_MOUNTS.replace("/sys/fs/cgroup", str(tmp_path))
    for folder in ("cpu,cpuacct", "memory/jobs/42", "pids", "unified"):
        (tmp_path / folder).mkdir(parents=True)
    (tmp_path / "unified" / "cgroup.controllers").write_text("hugetlb\n")
    support = find_support(mounts, V1_OWN)
    assert support.kind == "cgroup v1", support.reason
    roots = dict(support.roots)
    assert roots["memory"] == tmp_path / "memory" / "jobs" / "42" / "cnnbook-grading"  # below our own group
    assert roots["cpu"] == roots["cpuacct"] == tmp_path / "cpu,cpuacct" / "cnnbook-grading"  # co-mounted: one folder
    assert all(folder.is_dir() for folder in roots.values())


def test_no_caps_when_a_v1_controller_is_missing_and_the_reason_says_which(tmp_path):
    mounts = "\n".join(line for line in V1_MOUNTS.splitlines() if "pids" not in line).replace(
        "/sys/fs/cgroup", str(tmp_path)
    )
    (tmp_path / "unified").mkdir()
    support = find_support(mounts, V1_OWN)
    assert support.kind is None
    assert "no cgroup v1 hierarchy for pids" in support.reason and "cgroup v2 lacks the memory" in support.reason


def fake_v2(tmp_path):
    """Lay out a unified hierarchy whose root offers the three controllers (plain files: the kernel is not here)."""
    (tmp_path / "cgroup.controllers").write_text("cpuset cpu io memory hugetlb pids\n")
    (tmp_path / "cgroup.subtree_control").write_text("\n")
    return f"41 23 0:38 / {tmp_path} rw,relatime - cgroup2 cgroup2 rw\n", "0::/\n"


def test_v2_is_chosen_where_it_has_the_controllers_and_caps_go_to_its_files(tmp_path, monkeypatch):
    mounts, own = fake_v2(tmp_path)
    support = find_support(mounts, own)
    assert support.kind == "cgroup v2", support.reason
    parent = tmp_path / "cnnbook-grading"
    assert (tmp_path / "cgroup.subtree_control").read_text() == "+memory +pids +cpu"
    (parent / "cgroup.subtree_control").write_text("")  # what the kernel would have made
    (parent / "cgroup.controllers").write_text("memory pids cpu\n")
    group = SubmissionGroup(support, "123-61001", Limits(total_memory_bytes=2 * 1024**3, processes=64, cpu_cores=0.5))
    folder = parent / "123-61001"
    assert (folder / "memory.max").read_text() == str(2 * 1024**3)
    assert (folder / "pids.max").read_text() == "64"
    assert (folder / "cpu.max").read_text() == "50000 100000"
    (folder / "memory.events").write_text("low 0\nhigh 0\nmax 3\noom 1\noom_kill 1\n")
    (folder / "cpu.stat").write_text("usage_usec 2500000\nuser_usec 2000000\n")
    assert group.oom_kills() == 1 and group.cpu_seconds() == 2.5
    assert group.join_command()[:2] == ["sh", "-c"] and str(folder / "cgroup.procs") in group.join_command()[2]


def test_the_groups_of_grader_processes_that_are_gone_are_removed(tmp_path):
    (tmp_path / "999999999-61000").mkdir()  # no process has this id
    (tmp_path / "1-61001").mkdir()  # process 1 is alive
    cgroups.remove_stale_groups(tmp_path)
    assert sorted(p.name for p in tmp_path.iterdir()) == ["1-61001"]


needs_caps = pytest.mark.skipif(cap_support().kind is None, reason=f"no caps here: {cap_support().reason}")


def run_in(group: SubmissionGroup, code: str, seconds: float = 60) -> subprocess.CompletedProcess:
    """Run Python `code` inside `group`, bounded in time."""
    return subprocess.run(
        [*group.join_command(), sys.executable, "-c", code], capture_output=True, text=True, timeout=seconds
    )


@needs_caps
def test_the_memory_cap_holds_for_all_processes_together_and_the_kill_lands_inside():
    group = submission_group("test-memory", Limits(total_memory_bytes=128 * 1024**2))
    try:
        # Two processes of 96 MB each: each is under the cap, both together are not.
        code = (
            "import os, time\npid = os.fork()\nblock = b'x' * (96 << 20)\ntime.sleep(2)\n"
            "os._exit(0) if pid == 0 else os.waitpid(pid, 0)"
        )
        run_in(group, code)
        assert group.oom_kills() >= 1
        assert group.memory_peak_bytes() <= 128 * 1024**2
    finally:
        group.remove()
    assert not any(folder.exists() for folder in group.folders.values())


@needs_caps
def test_the_process_cap_refuses_forks_past_it():
    group = submission_group("test-processes", Limits(processes=8))
    try:
        code = (
            "import os, time\nmade = 0\nfor _ in range(20):\n    try:\n        pid = os.fork()\n"
            "    except OSError:\n        break\n    if pid == 0:\n        time.sleep(5)\n        os._exit(0)\n"
            "    made += 1\nprint(made)"
        )
        made = int(run_in(group, code).stdout.strip())
        assert made < 8 and group.hit_process_cap()
        assert group.process_peak_count() in (0, 8)  # 0: a kernel that keeps no peak
    finally:
        group.remove()


@needs_caps
def test_the_cpu_cap_holds_two_busy_processes_to_half_a_core():
    group = submission_group("test-cpu", Limits(cpu_cores=0.5))
    if group.cpu_seconds() is None:
        group.remove()
        pytest.skip("CPU time is not measured here (cgroup v1 without cpuacct)")
    try:
        started = time.monotonic()
        code = "import os, time\nos.fork()\nend = time.time() + 2\nwhile time.time() < end:\n    pass"
        run_in(group, code)
        cores = group.cpu_seconds() / (time.monotonic() - started)
        assert cores <= 0.5 * 1.15, f"two busy processes used {cores:.2f} cores on a cap of 0.5"
    finally:
        group.remove()


def test_without_root_there_are_no_caps_and_the_reason_says_so(monkeypatch):
    monkeypatch.setattr(cgroups.os, "geteuid", lambda: 1000)
    cap_support.cache_clear()
    try:
        assert cap_support() == Support(None, "the grader is not running as root")
    finally:
        cap_support.cache_clear()
