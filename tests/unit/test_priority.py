"""Workers and backups run at low CPU and I/O priority, so scans win the machine."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys

import pytest

CHILD = """
import os, subprocess
from gangway.background.priority import lower_priority
before = os.getpriority(os.PRIO_PROCESS, 0)
lower_priority()
print(os.getpriority(os.PRIO_PROCESS, 0) - before)
print(subprocess.run(["ionice", "-p", str(os.getpid())], capture_output=True, text=True).stdout)
"""


@pytest.mark.skipif(
    not shutil.which("ionice") and not os.environ.get("CI"),  # under CI a missing tool fails
    reason="util-linux's ionice is not installed",
)
def test_lower_priority_is_nice_10_and_idle_io():
    out = subprocess.run([sys.executable, "-c", CHILD], capture_output=True, text=True, check=True)
    lines = out.stdout.split("\n")
    assert lines[0] == "10"
    assert lines[1] == "idle"
