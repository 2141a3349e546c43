"""The tablet reads a badge in one spelling: scanned in lower case it is refused in plain words."""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from playwright.sync_api import expect

from tests.browser import scanner
from tests.browser.conftest import SCREENS

pytestmark = pytest.mark.browser

SHOTS = os.environ.get("GANGWAY_SHOTS")  # a folder to keep screenshots in, for a person to look


@pytest.mark.parametrize("screen", list(SCREENS), indirect=True)
def test_a_badge_scanned_in_lower_case_is_refused_as_altered_then_read_as_printed(
    watch, badge, screen
):
    code = badge(kind="crew", family="HANSEN", given="Erik", rank="Master")
    result = watch.locator("#watch-result")
    watch.locator("#code").focus()

    scanner.scan(watch, code.lower())  # a tablet with Caps Lock on turns the scanner's capitals

    expect(result).to_have_attribute("data-verdict", "refused")
    reason = result.locator("li.reason[data-code=forged]")
    expect(reason).to_have_text("Badge signature is invalid: the code was altered or forged.")
    if SHOTS:
        watch.screenshot(path=str(Path(SHOTS) / f"lower-case-badge-{screen}.png"))

    scanner.scan(watch, code)
    expect(result).to_have_attribute("data-verdict", "allowed")
    expect(result).to_contain_text("HANSEN")
