"""A keyboard-wedge scanner for browser tests: real key events, a few milliseconds apart.

A hardware scanner types its code as keystrokes 1-30 ms apart and then Enter; the browser stamps
each key with the time the system produced it, so the page sees the burst as it was sent even
when the tablet is busy. Playwright's `keyboard.type` stamps each key when the browser handles
it, after a round trip per key: on a loaded test machine its keys come 100 ms apart and more,
which no scanner does. This sends the same trusted key events through the DevTools protocol
with the scanner's own time stamps (`Input.dispatchKeyEvent` `timestamp`), so a test sees what a
real scanner makes the page see, however busy the machine.
"""

from __future__ import annotations

import time
from weakref import WeakKeyDictionary

from playwright.sync_api import Page

KEY_GAP_S = 0.004  # a typical USB scanner's pace
ENTER = {"key": "Enter", "code": "Enter", "windowsVirtualKeyCode": 13, "text": "\r"}
CTRL = 2  # DevTools' modifier bit for Control


class Scanner:
    """Scans codes into a page the way a keyboard-wedge scanner types them."""

    def __init__(self, page: Page):
        self.cdp = page.context.new_cdp_session(page)

    def scan(self, code: str, *, enter: bool = True) -> None:
        """Type `code` at scanner pace into whatever has the focus, then Enter.

        A line break inside `code` (a licence's PDF417) is typed as Enter, as scanners do.
        """
        start = time.time()
        for i, char in enumerate(code):
            self._key(_typed(char), start + i * KEY_GAP_S)
        if enter:
            self._key(ENTER, start + len(code) * KEY_GAP_S)

    def _key(self, fields: dict, at: float) -> None:
        self.cdp.send("Input.dispatchKeyEvent", {"type": "keyDown", "timestamp": at, **fields})
        up = {k: v for k, v in fields.items() if k not in ("text", "unmodifiedText")}
        self.cdp.send("Input.dispatchKeyEvent", {"type": "keyUp", "timestamp": at, **up})


def _typed(char: str) -> dict:
    """Return the key event a scanner types for `char`: CR and LF as Enter (a licence's PDF417
    holds both), another control character as Ctrl+letter (RS is Ctrl+^), else the character."""
    if char in "\r\n":
        return ENTER
    if ord(char) < 0x20:
        letter = chr(ord(char) + 0x40)
        return {"key": letter, "modifiers": CTRL, "windowsVirtualKeyCode": ord(letter)}
    return {"key": char, "text": char, "unmodifiedText": char}


_SCANNERS: WeakKeyDictionary = WeakKeyDictionary()


def scan(page: Page, code: str) -> None:
    """Scan one code into the page, wherever its focus is (one Scanner per page, reused)."""
    if page not in _SCANNERS:
        _SCANNERS[page] = Scanner(page)
    _SCANNERS[page].scan(code)


def scan_with_caps_lock(page: Page, code: str, *, scanner_minds_caps_lock: bool = False) -> None:
    """Scan `code` on a tablet whose Caps Lock is on (then Enter).

    A scanner presses Shift for a capital; under Caps Lock the system makes it small. One set to
    mind Caps Lock presses no Shift for a capital instead. DevTools key events cannot turn Caps
    Lock on, so these are page-made key events carrying its state, a scanner's pace apart.
    """
    page.evaluate(
        """([code, minds]) => {
          const fire = (key, shiftKey) => (document.activeElement || document.body).dispatchEvent(
            new KeyboardEvent("keydown", {key, shiftKey, modifierCapsLock: true,
                                          bubbles: true, cancelable: true}));
          for (const ch of code) {
            const letter = ch.toLowerCase() !== ch.toUpperCase();
            const capital = letter && ch === ch.toUpperCase();
            const shift = letter ? capital !== minds : ch === ":";
            fire(letter ? (shift ? ch.toLowerCase() : ch.toUpperCase()) : ch, shift);
          }
          fire("Enter", false);
        }""",
        [code, scanner_minds_caps_lock],
    )
