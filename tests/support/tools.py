"""External tools some tests drive (poppler-utils for PDFs)."""

from __future__ import annotations

import os
import shutil

import pytest


def require_tool(name: str) -> str:
    """Return the path of a command; fail under CI=true if it is missing, skip otherwise."""
    path = shutil.which(name)
    if path is None:
        message = f"{name} (poppler-utils) is missing: run scripts/setup.sh --test"
        if os.environ.get("CI") == "true":
            pytest.fail(message)
        pytest.skip(message)  # only outside CI: under CI=true a missing tool fails above
    return path
