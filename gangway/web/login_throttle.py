"""Failed logins slow down per account and client; nothing locks an account for everyone.

Each (account, client) pair waits longer after each failure: 0, 1, 2, 4 ... s, capped at
`pair_cap_s`. A client is the tablet's device cookie when that device logged in to the account
before (gangway/web/login_devices.py), else its address. Tries from clients the account does not
know also share a smaller budget per account (after `account_free` failures in `window_s`,
growing waits capped at `account_cap_s`), so many addresses guess no faster than one; and one
address failing under many names waits too (a spraying client). A known device skips both
shared budgets: a watch mistyping at the gangway waits only for their own mistakes, and no one
elsewhere can keep the tablet out. Every wait is capped: an account is never locked.

Unknown names are counted exactly like real ones, so the waits tell nothing about which exist.
Counts live in memory, per process (each granian worker keeps its own).
"""

from __future__ import annotations

import threading
import time
from collections import deque
from dataclasses import dataclass

MAX_KEYS = 10_000  # past this many counted keys, forget the ones gone quiet (a spoofing flood)


@dataclass(frozen=True)
class Client:
    """Who tries a login: a device known to the account (by its cookie), or an address."""

    key: str
    address: str
    is_known_device: bool


def growing_wait(failures: int, start: int, cap: float) -> float:
    """Return the wait after `failures`: none below `start`, then 1, 2, 4 ... s up to `cap`."""
    over = failures - start
    return 0.0 if over < 0 else float(min(2**over, cap))


class LoginThrottle:
    """Growing waits after failed logins, per (account, client), per account and per address."""

    def __init__(
        self,
        *,
        pair_cap_s: float = 30.0,
        account_free: int = 10,
        account_cap_s: float = 60.0,
        address_free: int = 20,
        window_s: float = 900.0,
        clock=time.monotonic,
    ):
        self.pair_cap_s, self.account_cap_s = pair_cap_s, account_cap_s
        self.account_free, self.address_free = account_free, address_free
        self.window_s, self.clock = window_s, clock
        self.pairs: dict[tuple[str, str], tuple[int, float]] = {}  # -> (failures, last at)
        self.shared: dict[str, deque[float]] = {}  # "account:" / "address:" -> failure times
        self.lock = threading.Lock()

    def wait_s(self, account: str, client: Client) -> float:
        """Return how many seconds this client must still wait before trying this account."""
        now = self.clock()
        with self.lock:
            failures, last = self.pairs.get((account, client.key), (0, now))
            waits = [last + growing_wait(failures, 2, self.pair_cap_s) - now]
            if not client.is_known_device:
                waits.append(self._shared_wait("account:" + account, self.account_free, now))
                waits.append(self._shared_wait("address:" + client.address, self.address_free, now))
        return max(0.0, *waits)

    def failed(self, account: str, client: Client) -> None:
        """Count a failed login of the account by the client."""
        now = self.clock()
        with self.lock:
            if len(self.pairs) + len(self.shared) > MAX_KEYS:
                self._forget_quiet(now)
            failures, _ = self.pairs.get((account, client.key), (0, now))
            self.pairs[account, client.key] = (failures + 1, now)
            if not client.is_known_device:
                for key in ("account:" + account, "address:" + client.address):
                    self.shared.setdefault(key, deque()).append(now)

    def succeeded(self, account: str, client: Client) -> None:
        """Forget the pair's failures: the right password came from this client."""
        with self.lock:
            self.pairs.pop((account, client.key), None)

    def _shared_wait(self, key: str, free: int, now: float) -> float:
        times = self.shared.get(key)
        if not times:
            return 0.0
        while times and times[0] < now - self.window_s:
            times.popleft()
        if not times:
            return 0.0
        return times[-1] + growing_wait(len(times), free, self.account_cap_s) - now

    def _forget_quiet(self, now: float) -> None:
        cutoff = now - self.window_s
        self.pairs = {k: v for k, v in self.pairs.items() if v[1] >= cutoff}
        self.shared = {k: d for k, d in self.shared.items() if d and d[-1] >= cutoff}


def throttle_for(app) -> LoginThrottle:
    """Return the app's failed-login counter (one per app and process)."""
    if "gangway.web.login_throttle" not in app.extensions:
        cfg = app.config
        app.extensions["gangway.web.login_throttle"] = LoginThrottle(
            pair_cap_s=cfg["LOGIN_PAIR_CAP_SECONDS"],
            account_free=cfg["LOGIN_ACCOUNT_FREE_FAILURES"],
            account_cap_s=cfg["LOGIN_ACCOUNT_CAP_SECONDS"],
            address_free=cfg["LOGIN_FAILURES_PER_ADDRESS"],
        )
    return app.extensions["gangway.web.login_throttle"]
