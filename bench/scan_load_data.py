"""Build the scan load benchmark's instance: 2,000 crew with badges, a token, 1,000,000 movements.

The instance is tests.support.scan_instance's (shared with bench/scan_bench.py and the crash tests):
ten port calls of 12 days, the movements spread over them; facts.json tells the clients the
token and the badge codes.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))  # the repo: gangway and tests

from tests.support.scan_instance import build_scan_instance  # noqa: E402

CALLS = 10


def build_database(folder: Path, *, movements: int, crew: int) -> None:
    """Write gangway.sqlite, the instance's keys and facts.json (token, badge codes) in folder."""
    instance = build_scan_instance(folder, crew=crew, port_calls=CALLS, movements=movements)
    facts = {"token": instance.token, "codes": list(instance.codes), "movements": movements}
    (folder / "facts.json").write_text(json.dumps(facts))
