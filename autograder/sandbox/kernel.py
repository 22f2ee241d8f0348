"""A Jupyter kernel manager that starts the kernel inside the course's sandbox (see autograder.sandbox)."""

import os
import shutil
import subprocess
import tempfile
from pathlib import Path

from jupyter_client.manager import AsyncKernelManager
from traitlets import Any, Integer, Unicode

from autograder.sandbox.bubblewrap import sandbox_prefix
from autograder.sandbox.limits import Limits
from autograder.sandbox.processes import SANDBOX_UID_BASE

CAPTURE_FD_OPTION = "--IPKernelApp.capture_fd_output"


class SandboxedKernelManager(AsyncKernelManager):
    """Start the kernel in a sandbox, talking over Unix sockets (the sandbox has no network)."""

    work_dir = Unicode(help="the kernel's private writable working folder").tag(config=True)
    limits = Any(Limits(), help="resource limits (autograder.sandbox.Limits)")
    hide = Any((), help="further folders the kernel must not see")
    uid = Integer(SANDBOX_UID_BASE, help="the unprivileged uid the kernel runs as")
    join = Any((), help="argv prefix that moves the kernel into its submission's cgroup (none: no caps)")

    def __init__(self, **kwargs):
        sockets = Path(tempfile.mkdtemp(prefix="cnnbook-kernel-"))
        sockets.chmod(0o777)  # the kernel's unprivileged user creates its sockets here
        kwargs.setdefault("transport", "ipc")
        kwargs.setdefault("ip", str(sockets / "kernel"))
        super().__init__(**kwargs)
        self.sockets_dir = sockets
        self.connection_file = str(sockets / "connection.json")
        # A signal would reach bwrap, not the kernel, and end the sandbox: interrupt through the kernel's control
        # channel.
        self.kernel_spec.interrupt_mode = "message"

    def format_kernel_cmd(self, extra_arguments=None):
        cmd = super().format_kernel_cmd(extra_arguments)
        # The course's kernel spec leaves output written below Python (os.write, native code) out of the
        # notebook; while grading it must come through, so that it counts against the output limit.
        cmd = [arg for arg in cmd if not arg.startswith(CAPTURE_FD_OPTION)] + [f"{CAPTURE_FD_OPTION}=True"]
        os.chmod(self.connection_file, 0o644)  # readable by the kernel's unprivileged user
        work = Path(self.work_dir)
        return sandbox_prefix(work, self.sockets_dir, self.limits, self.uid, tuple(self.hide), tuple(self.join)) + cmd

    async def _async_launch_kernel(self, kernel_cmd, **kw):
        # The kernel's own chatter goes to a log beside its sockets, not into the grader's output.
        log = open(self.sockets_dir / "kernel.log", "wb")
        kw.update(stdout=log, stderr=subprocess.STDOUT, stdin=subprocess.DEVNULL)
        return await super()._async_launch_kernel(kernel_cmd, **kw)

    async def _async_cleanup_resources(self, restart: bool = False) -> None:
        await super()._async_cleanup_resources(restart=restart)
        if not restart:
            shutil.rmtree(self.sockets_dir, ignore_errors=True)
