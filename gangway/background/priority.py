"""Give the CPU and the disk to the process serving scans: for workers and `gangway backup`."""

from __future__ import annotations

import contextlib
import os
import subprocess

NICE = 10


def lower_priority() -> None:
    """Lower this process's CPU priority (nice 10) and, where Linux allows, its I/O to idle.

    Children (pg_dump) inherit both.
    """
    os.nice(NICE)
    with contextlib.suppress(OSError):  # no ioprio_set in the stdlib: util-linux's ionice
        subprocess.run(["ionice", "-c", "3", "-p", str(os.getpid())], check=False)
