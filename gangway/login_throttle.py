"""Failed logins per client address: past a limit, the login form answers 429 for a while.

The per-account lockout (services/accounts.py) stops guessing one account's password; it does
not stop a client trying many names, and every failure is a permanent audit chain entry and a
durable commit. So each process also counts failures per address over a sliding minute and
refuses further attempts from a noisy address before they reach the database.

Tries of an account that is locked already are counted against the account instead
(`account_key`): they guess nothing, and a watch retrying at the gangway must not get the
tablet's address refused to everyone else.
"""

from __future__ import annotations

import threading
import time
from collections import deque


def account_key(username: str) -> str:
    """Return the throttle key that counts tries of one (locked) account, apart from addresses."""
    return "account:" + username.strip()


class LoginThrottle:
    """Sliding-window failure counts per client address (in memory, per process)."""

    def __init__(self, limit: int, window_s: float = 60.0, clock=time.monotonic):
        self.limit, self.window_s, self.clock = limit, window_s, clock
        self.failures: dict[str, deque[float]] = {}
        self.lock = threading.Lock()

    def blocked(self, address: str) -> bool:
        """Tell whether the address has failed `limit` times within the window."""
        with self.lock:
            recent = self._recent(address)
            return recent is not None and len(recent) >= self.limit

    def failed(self, address: str) -> None:
        with self.lock:
            recent = self._recent(address)
            if recent is None:
                if len(self.failures) > 10_000:  # a spoofing flood: forget the quiet ones
                    self.failures = {a: d for a, d in self.failures.items() if d}
                recent = self.failures[address] = deque()
            recent.append(self.clock())

    def _recent(self, address: str) -> deque[float] | None:
        recent = self.failures.get(address)
        if recent is not None:
            cutoff = self.clock() - self.window_s
            while recent and recent[0] < cutoff:
                recent.popleft()
        return recent


def throttle_for(app) -> LoginThrottle:
    """Return the app's failed-login counter (one per app and process)."""
    if "gangway.login_throttle" not in app.extensions:
        limit = app.config["LOGIN_FAILURES_PER_ADDRESS"]
        app.extensions["gangway.login_throttle"] = LoginThrottle(limit)
    return app.extensions["gangway.login_throttle"]
