"""Caps that hold for all of one submission's processes together: a control group (cgroup) per submission.

The kernel's cgroups cap what a group of processes holds in all: memory (with the pages of the
submission's tmpfs folders, which are charged to the group that wrote them), processes and threads,
and CPU time per wall second. Every process the kernel starts stays in its group, a daemon that leaves
its session included, so the group is also how everything is found and stopped. When the memory cap is
reached, the kernel's own out-of-memory killer picks a process inside the group: never the grader.

Chosen at run time, by what this machine lets us use:
- cgroup v2 (the unified hierarchy) when its memory, pids and cpu controllers can be enabled below our
  own group;
- else cgroup v1, with the memory, pids and cpu hierarchies (and cpuacct, to measure CPU, when mounted);
- else none: only the limits per process (prlimit) hold, and the grader says so loudly (cap_support()).
Groups are made below the grader's own group, under `cnnbook-grading/`, so whatever bounds the grader
bounds its submissions too.

Written by hand: cgroups are a few files under /sys/fs/cgroup, and the well-kept tools around them
(systemd-run, libcgroup's cgexec) need a service manager or a configuration this machine lacks; the
Python packages for them are unmaintained and know only v1.
"""

import functools
import os
import shlex
import signal
import time
from dataclasses import dataclass
from pathlib import Path

from autograder.sandbox.limits import Limits

GROUP_PARENT = "cnnbook-grading"
V1_NEEDED = ("memory", "pids", "cpu")
V2_NEEDED = ("memory", "pids", "cpu")
CPU_PERIOD_US = 100_000


@dataclass(frozen=True)
class Support:
    """What caps this machine allows: `kind` is "cgroup v2", "cgroup v1" or None, with `reason` when None."""

    kind: str | None
    reason: str = ""
    roots: tuple[tuple[str, Path], ...] = ()  # (controller, folder under which submission groups are made)


@dataclass(frozen=True)
class Mount:
    """One mounted cgroup hierarchy: where it is, the group path it shows as its root, and its controllers."""

    point: Path
    root: str
    version: int
    controllers: frozenset[str]


def read_mounts(mountinfo: str) -> list[Mount]:
    """Return the cgroup hierarchies listed in the text of /proc/self/mountinfo."""
    mounts = []
    for line in mountinfo.splitlines():
        fields = line.split()
        if " - " not in line or len(fields) < 5:
            continue
        after = line.split(" - ", 1)[1].split()
        fstype, options = after[0], after[2].split(",") if len(after) > 2 else []
        if fstype == "cgroup2":
            mounts.append(Mount(Path(fields[4]), fields[3], 2, frozenset()))
        elif fstype == "cgroup":
            mounts.append(Mount(Path(fields[4]), fields[3], 1, frozenset(options) - {"rw", "ro"}))
    return mounts


def read_own_groups(proc_cgroup: str) -> dict[str, str]:
    """Return {controller: our group's path} from /proc/self/cgroup; the key "" is the unified (v2) hierarchy."""
    groups = {}
    for line in proc_cgroup.splitlines():
        parts = line.split(":", 2)
        if len(parts) != 3:
            continue
        for controller in parts[1].split(",") if parts[1] else [""]:
            groups[controller] = parts[2]
    return groups


def group_folder(mount: Mount, own: str) -> Path:
    """Return the folder of group `own` in `mount` (a mount may show a sub-tree: its root is then not "/")."""
    relative = own[len(mount.root) :] if own.startswith(mount.root) and mount.root != "/" else own
    return mount.point / relative.lstrip("/")


def find_support(mountinfo: str, proc_cgroup: str) -> Support:
    """Return what caps the hierarchies in `mountinfo` allow for a process in the groups of `proc_cgroup`."""
    mounts, own = read_mounts(mountinfo), read_own_groups(proc_cgroup)
    reasons = []
    unified = next((m for m in mounts if m.version == 2), None)
    if unified is not None and "" in own:
        found = v2_roots(group_folder(unified, own[""]))
        if isinstance(found, Support):
            return found
        reasons.append(found)
    found = v1_roots(mounts, own)
    if isinstance(found, Support):
        return found
    reasons.append(found)
    return Support(None, "; ".join(reasons))


def v2_roots(own: Path) -> Support | str:
    """Return the v2 support below group folder `own`, or why there is none."""
    available = set(read_text(own / "cgroup.controllers").split())
    missing = [c for c in V2_NEEDED if c not in available]
    if missing:
        return f"cgroup v2 lacks the {', '.join(missing)} controller{'s' if len(missing) > 1 else ''}"
    parent = own / GROUP_PARENT
    try:
        enable_controllers(own)
        parent.mkdir(exist_ok=True)
        enable_controllers(parent)
    except OSError as exc:
        return f"cgroup v2 groups cannot be made below {own} ({exc.strerror or exc})"
    return Support("cgroup v2", roots=(("", parent),))


def enable_controllers(folder: Path) -> None:
    """Let the groups below `folder` use the needed v2 controllers (raises OSError where the kernel refuses)."""
    enabled = set(read_text(folder / "cgroup.subtree_control").split())
    wanted = [c for c in V2_NEEDED if c not in enabled]
    if wanted:
        (folder / "cgroup.subtree_control").write_text(" ".join(f"+{c}" for c in wanted))


def v1_roots(mounts: list[Mount], own: dict[str, str]) -> Support | str:
    """Return the v1 support given the mounted hierarchies and our groups in them, or why there is none."""
    roots, missing = [], []
    for controller in (*V1_NEEDED, "cpuacct"):
        mount = next((m for m in mounts if m.version == 1 and controller in m.controllers), None)
        if mount is None or controller not in own:
            if controller != "cpuacct":  # cpuacct only measures: grading goes on without it
                missing.append(controller)
            continue
        # Controllers mounted together (cpu,cpuacct) get the same folder: it is made, joined and removed once.
        roots.append((controller, group_folder(mount, own[controller]) / GROUP_PARENT))
    if missing:
        return f"no cgroup v1 hierarchy for {', '.join(missing)}"
    for _, parent in roots:
        try:
            parent.mkdir(exist_ok=True)
        except OSError as exc:
            return f"cgroup v1 groups cannot be made in {parent.parent} ({exc.strerror or exc})"
    return Support("cgroup v1", roots=tuple(roots))


@functools.cache
def cap_support() -> Support:
    """Return what caps this machine allows this process (see the module's docstring); cached per process."""
    if os.geteuid() != 0:
        return Support(None, "the grader is not running as root")
    try:
        return find_support(Path("/proc/self/mountinfo").read_text(), Path("/proc/self/cgroup").read_text())
    except OSError as exc:
        return Support(None, f"the cgroup hierarchies cannot be read ({exc})")


def read_text(path: Path) -> str:
    """Return the text of a cgroup file, or "" when it is not there."""
    try:
        return path.read_text()
    except OSError:
        return ""


def read_key(path: Path, key: str) -> int:
    """Return the number after `key` in a flat-keyed cgroup file (memory.events, oom_control, cpu.stat), or 0."""
    for line in read_text(path).splitlines():
        name, _, value = line.partition(" ")
        if name == key and value.strip().isdigit():
            return int(value)
    return 0


def read_number(path: Path) -> int:
    """Return the number in a one-value cgroup file, or 0."""
    text = read_text(path).strip()
    return int(text) if text.isdigit() else 0


class SubmissionGroup:
    """The cgroup of one submission: made with its caps, joined by the kernel's command, measured, then removed."""

    def __init__(self, support: Support, name: str, limits: Limits):
        self.kind = support.kind
        self.limits = limits
        self.folders = {controller: parent / name for controller, parent in support.roots}
        for parent in {p for _, p in support.roots}:
            remove_stale_groups(parent)
        for folder in dict.fromkeys(self.folders.values()):
            folder.mkdir(exist_ok=True)
        self.write_caps()

    def folder(self, controller: str) -> Path:
        """Return the folder holding `controller`'s files (v2: the one folder)."""
        return self.folders.get(controller) or self.folders[""]

    def write_caps(self) -> None:
        """Write the memory, process and CPU caps of `limits` into the group."""
        memory, cpu = self.limits.total_memory_bytes, max(1000, int(self.limits.cpu_cores * CPU_PERIOD_US))
        if self.kind == "cgroup v2":
            folder = self.folders[""]
            (folder / "memory.max").write_text(str(memory))
            if (folder / "memory.swap.max").exists():
                (folder / "memory.swap.max").write_text("0")  # the cap is on memory, not memory plus swap
            (folder / "pids.max").write_text(str(self.limits.processes))
            (folder / "cpu.max").write_text(f"{cpu} {CPU_PERIOD_US}")
            return
        (self.folder("memory") / "memory.limit_in_bytes").write_text(str(memory))
        if (self.folder("memory") / "memory.memsw.limit_in_bytes").exists():
            (self.folder("memory") / "memory.memsw.limit_in_bytes").write_text(str(memory))
        (self.folder("pids") / "pids.max").write_text(str(self.limits.processes))
        (self.folder("cpu") / "cpu.cfs_period_us").write_text(str(CPU_PERIOD_US))
        (self.folder("cpu") / "cpu.cfs_quota_us").write_text(str(cpu))

    def join_command(self) -> list[str]:
        """Return an argv prefix that moves the command into this group, then runs it (so all it starts is in)."""
        procs = " ".join(shlex.quote(str(f / "cgroup.procs")) for f in dict.fromkeys(self.folders.values()))
        return ["sh", "-c", f'for f in {procs}; do echo $$ > "$f" || exit 111; done; exec "$@"', "sh"]

    def members(self) -> list[int]:
        """Return the ids of the processes in the group now."""
        text = read_text(self.folder("memory") / "cgroup.procs")
        return [int(pid) for pid in text.split() if pid.isdigit()]

    def memory_bytes(self) -> int:
        """Return the memory the group holds now (its processes and its tmpfs pages)."""
        name = "memory.current" if self.kind == "cgroup v2" else "memory.usage_in_bytes"
        return read_number(self.folder("memory") / name)

    def memory_peak_bytes(self) -> int:
        """Return the most memory the group has held, as the kernel counts it (0 where the kernel does not)."""
        name = "memory.peak" if self.kind == "cgroup v2" else "memory.max_usage_in_bytes"
        return read_number(self.folder("memory") / name)

    def process_count(self) -> int:
        """Return the processes and threads in the group now."""
        return read_number(self.folder("pids") / "pids.current")

    def process_peak_count(self) -> int:
        """Return the most processes and threads the group has had, as the kernel counts it (0 where it does not)."""
        return read_number(self.folder("pids") / "pids.peak")

    def cpu_seconds(self) -> float | None:
        """Return the CPU time the group has used, or None where it is not measured (v1 without cpuacct)."""
        if self.kind == "cgroup v2":
            return read_key(self.folders[""] / "cpu.stat", "usage_usec") / 1e6
        if "cpuacct" not in self.folders:
            return None
        return read_number(self.folders["cpuacct"] / "cpuacct.usage") / 1e9

    def oom_kills(self) -> int:
        """Return how many processes of the group the out-of-memory killer has stopped."""
        if self.kind == "cgroup v2":
            return read_key(self.folders[""] / "memory.events", "oom_kill")
        return read_key(self.folder("memory") / "memory.oom_control", "oom_kill")

    def process_cap_refusals(self) -> int:
        """Return how many forks or new threads the process cap has refused."""
        return read_key(self.folder("pids") / "pids.events", "max")

    def hit_process_cap(self) -> bool:
        """Return whether a fork or a new thread was refused by the process cap."""
        return self.process_cap_refusals() > 0

    def kill_all(self, rounds: int = 100) -> None:
        """Kill every process in the group (the process cap bounds a fork bomb, so this ends)."""
        kill_members(self.folder("memory"), rounds)

    def remove(self) -> None:
        """Kill what is left and remove the group."""
        self.kill_all()
        for folder in dict.fromkeys(self.folders.values()):
            remove_group(folder)


def kill_members(folder: Path, rounds: int = 100) -> None:
    """Kill every process of the group at `folder` (cgroup.kill where the kernel has it)."""
    if (folder / "cgroup.kill").exists():
        try:
            (folder / "cgroup.kill").write_text("1")
        except OSError:
            pass
    for _ in range(rounds):
        pids = [int(p) for p in read_text(folder / "cgroup.procs").split() if p.isdigit()]
        if not pids:
            return
        for pid in pids:
            try:
                os.kill(pid, signal.SIGKILL)
            except OSError:
                continue
        time.sleep(0.02)


def remove_group(folder: Path, seconds: float = 5.0) -> None:
    """Remove an emptied group's folder (its last processes may take a moment to go)."""
    deadline = time.monotonic() + seconds
    while folder.exists():
        try:
            folder.rmdir()
        except FileNotFoundError:
            return
        except OSError:
            if time.monotonic() > deadline:
                return  # left for remove_stale_groups of a later submission
            time.sleep(0.05)


def remove_stale_groups(parent: Path) -> None:
    """Remove the groups of grader processes that are gone (a worker killed midway leaves its group behind)."""
    for folder in parent.iterdir() if parent.is_dir() else ():
        owner = folder.name.split("-", 1)[0]
        if folder.is_dir() and owner.isdigit() and not process_alive(int(owner)):
            kill_members(folder)
            remove_group(folder, seconds=1.0)


def process_alive(pid: int) -> bool:
    """Return whether process `pid` exists."""
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


def submission_group(name: str, limits: Limits) -> SubmissionGroup | None:
    """Return a new group with the caps of `limits` for the submission called `name`, or None where none can be
    made (cap_support() says why)."""
    support = cap_support()
    if support.kind is None:
        return None
    return SubmissionGroup(support, f"{os.getpid()}-{name}", limits)
