"""A cursor over a boarding pass's text that reads its fixed-size and hex-sized items.

Rule source: IATA Resolution 792, BCBP Implementation Guide (versions 6 to 8): items have fixed
sizes, variable ones are preceded by their size as two hexadecimal digits, and only printable
ASCII is allowed. The layout of a pass (which items, in which order) is in `bcbp`.
"""

from __future__ import annotations

import string

_HEX = frozenset(string.hexdigits)


class InvalidBoardingPass(ValueError):
    """Raised when a text breaks the Resolution 792 layout; the message says where."""


class BcbpReader:
    """A cursor that refuses to read past the end of the text or outside printable ASCII."""

    def __init__(self, text: str) -> None:
        self.text = text
        self.pos = 0

    def remaining(self) -> str:
        """Return the text not read yet."""
        return self.text[self.pos :]

    def take(self, size: int, what: str) -> str:
        """Return the next `size` characters, which hold the item called `what`."""
        chunk = self.text[self.pos : self.pos + size]
        if len(chunk) < size:
            raise InvalidBoardingPass(f"Boarding pass is cut short in the {what}.")
        bad = next((c for c in chunk if not " " <= c <= "~"), None)
        if bad is not None:
            raise InvalidBoardingPass(
                f"Boarding pass has an unreadable character (U+{ord(bad):04X}) in the {what}."
            )
        self.pos += size
        return chunk

    def take_sized(self, what: str) -> str:
        """Read a two-hex-digit size, then exactly that many characters of `what`."""
        raw = self.take(2, f"size of the {what}")
        if not set(raw) <= _HEX:
            raise InvalidBoardingPass(
                f"Boarding pass size of the {what} ({raw!r}) is not a hexadecimal number."
            )
        size, left = int(raw, 16), len(self.remaining())
        if size > left:
            raise InvalidBoardingPass(
                f"Boarding pass declares {size} characters of {what} but only {left} follow."
            )
        return self.take(size, what)
