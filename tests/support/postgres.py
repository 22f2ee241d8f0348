"""A throwaway PostgreSQL server for the gradebook tests, in a temporary folder, on a Unix socket only.

`make install` installs PostgreSQL's server (scripts/install-system-packages.sh). The server listens on no
network address, so nothing reaches the network; it can be stopped and started again midway (the fault tests
restart it under a grading run).
"""

import glob
import os
import shutil
import subprocess
import tempfile
from pathlib import Path

__all__ = ["PostgresServer", "BINARIES"]

BINARIES = sorted(glob.glob("/usr/lib/postgresql/*/bin/initdb"))


def as_server_user(cmd: list[str]) -> list[str]:
    """PostgreSQL refuses to run as root: run it as the postgres user then."""
    return ["runuser", "-u", "postgres", "--", *cmd] if os.geteuid() == 0 else cmd


class PostgresServer:
    """A new database cluster with one database, `course`, owned by the user `grader`; a context manager."""

    def __init__(self, port: int):
        self.port = port
        self.bindir = Path(BINARIES[-1]).parent
        # Directly in the temporary folder: the postgres user cannot enter pytest's own (0700) folders.
        self.root = Path(tempfile.mkdtemp(prefix="cnnbook-postgres-"))
        self.data, self.sockets = self.root / "data", self.root / "sockets"

    @property
    def url(self) -> str:
        return f"postgresql+psycopg2://grader@/course?host={self.sockets}&port={self.port}"

    def run(self, tool: str, *args: str) -> None:
        """Run one of the server's tools as the server's user."""
        subprocess.run(as_server_user([str(self.bindir / tool), *args]), check=True, capture_output=True)

    def __enter__(self) -> "PostgresServer":
        self.sockets.mkdir()
        if os.geteuid() == 0:
            shutil.chown(self.root, "postgres")
            shutil.chown(self.sockets, "postgres")
        self.run("initdb", "-D", str(self.data), "-A", "trust", "-U", "grader")
        self.start()
        self.run("createdb", "-h", str(self.sockets), "-p", str(self.port), "-U", "grader", "course")
        return self

    def start(self) -> None:
        """Start the server and wait until it takes connections."""
        options = f"-c listen_addresses='' -k {self.sockets} -p {self.port}"
        self.run("pg_ctl", "-D", str(self.data), "-o", options, "-w", "-l", str(self.root / "server.log"), "start")

    def stop(self) -> None:
        """Stop the server at once, cutting every connection."""
        self.run("pg_ctl", "-D", str(self.data), "-m", "immediate", "-w", "stop")

    def __exit__(self, *exc) -> None:
        subprocess.run(
            as_server_user([str(self.bindir / "pg_ctl"), "-D", str(self.data), "-m", "immediate", "stop"]),
            capture_output=True,
        )
        shutil.rmtree(self.root, ignore_errors=True)
