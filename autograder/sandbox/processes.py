"""The processes of a sandboxed kernel: an unprivileged uid of its own, and how to stop everything it started.

Kernels run as uids from SANDBOX_UID_BASE on, one per kernel, so a process limit is per kernel and a
kernel's processes (a fork bomb's copies included) can be found and stopped by their uid alone.
"""

import os
import random
import signal
import time

SANDBOX_UID_BASE = 61000  # kernels run as uids from here on, one per kernel, so process limits are per kernel


SANDBOX_UID_SPAN = 4000


def free_uid() -> int:
    """Return an unprivileged uid that no process uses now: each kernel gets its own, so process limits are its own."""
    import psutil

    busy = set()
    for proc in psutil.process_iter(["uids"]):
        try:
            busy.add(proc.info["uids"].real)
        except (psutil.Error, AttributeError, TypeError):
            continue
    uid = SANDBOX_UID_BASE + random.randrange(SANDBOX_UID_SPAN)
    while uid in busy:
        uid = SANDBOX_UID_BASE + random.randrange(SANDBOX_UID_SPAN)
    return uid


def user_processes(uid: int, zombies: bool = True) -> list:
    """Return the processes whose real uid is `uid`, oldest first (with the dead ones not yet reaped, or not)."""
    import psutil

    found = []
    for proc in psutil.process_iter(["uids", "create_time", "status"]):
        try:
            if proc.info["uids"].real == uid and (zombies or proc.info["status"] != psutil.STATUS_ZOMBIE):
                found.append(proc)
        except (psutil.Error, AttributeError, TypeError):
            continue
    return sorted(found, key=lambda proc: proc.info["create_time"] or 0.0)


def signal_all_as(uid: int, sig: int) -> None:
    """Send `sig` to every process of `uid` at once, from a child of ours that becomes `uid` (root only).

    kill(-1) reaches all of a user's processes in one step, while the kernel holds new forks back, so a
    fork bomb cannot outrun it the way it outruns killing one process at a time.
    """
    pid = os.fork()
    if pid == 0:  # the child: become the user, signal, leave without running any clean-up of ours
        try:
            os.setresgid(uid, uid, uid)
            os.setresuid(uid, uid, uid)
            os.kill(-1, sig)
        finally:
            os._exit(0)
    os.waitpid(pid, 0)


def _check_sandbox_uid(uid: int) -> None:
    if uid < SANDBOX_UID_BASE:
        raise ValueError(f"refusing to signal the processes of uid {uid}, which is not a sandbox uid")


def kill_user_processes(uid: int, rounds: int = 50) -> None:
    """Kill every process of `uid` (only sandboxed kernels run as these uids), fork bombs included."""
    import psutil

    _check_sandbox_uid(uid)
    for _ in range(rounds):
        left = user_processes(uid)
        if not left:
            return
        if os.geteuid() == 0:
            signal_all_as(uid, signal.SIGKILL)
        else:  # kernels run as our own uid only when we are root; kill what can be killed one by one
            for proc in left:
                try:
                    proc.kill()
                except psutil.Error:
                    continue
        time.sleep(0.05)


def kill_strays(uid: int, rounds: int = 50) -> int:
    """Kill every process of `uid` but the oldest, the kernel (what a cell left behind: a fork bomb's copies,
    a server it started); return how many there were. The kernel is paused meanwhile, so nothing new starts.
    """
    import psutil

    _check_sandbox_uid(uid)
    found = user_processes(uid, zombies=False)  # a killed child stays a zombie until the kernel reaps it
    if len(found) <= 1 or os.geteuid() != 0:
        return 0
    kernel = found[0]
    signal_all_as(uid, signal.SIGSTOP)  # a stopped process cannot fork; a fork in progress is undone
    try:
        for _ in range(rounds):
            strays = [proc for proc in user_processes(uid, zombies=False) if proc.pid != kernel.pid]
            if not strays:
                break
            for proc in strays:
                try:
                    proc.kill()
                except psutil.Error:
                    continue
    finally:
        try:
            kernel.send_signal(signal.SIGCONT)
        except psutil.Error:
            pass
    return len(found) - 1
