"""Configuration defaults and load order.

Defaults, then instance/config.py, then GANGWAY_* environment variables, then test_config.
"""

from __future__ import annotations

import json
import os
import secrets
from pathlib import Path

REPO_ROOT = Path(__file__).resolve().parent.parent
KNOWN_WEAK_SECRETS = {"dev", "secret", "changeme", "change-me", "development"}


class Defaults:
    """Settings every deployment starts from."""

    SECRET_KEY = None  # read from instance/secret_key (created once) unless configured
    DATABASE_URL = None  # None means SQLite in the instance folder
    SQLALCHEMY_ENGINE_OPTIONS: dict = {}
    BADGES_DIR = str(REPO_ROOT / "badges")
    SHIP_NAME = "MV Example"
    DOCUMENT_WARM = False  # `gangway serve` sets it: its workers load the OCR model at start
    MAX_UPLOAD_BYTES = 10 * 1024 * 1024  # tablet photos are 2-6 MB; anything bigger is refused
    MAX_IMAGE_PIXELS = 40_000_000  # decompression-bomb guard for uploads
    VERDICT_RESET_SECONDS = 4
    # Failed logins wait 0, 1, 2, 4 ... s per account and client (gangway/web/login_throttle.py).
    LOGIN_PAIR_CAP_SECONDS = 30  # the longest wait of one client at one account
    LOGIN_ACCOUNT_FREE_FAILURES = 10  # per account in 15 min from unknown clients, then waits
    LOGIN_ACCOUNT_CAP_SECONDS = 60  # ... of at most this long: never a lock
    LOGIN_FAILURES_PER_ADDRESS = 20  # per address in 15 min under any names, then waits
    LOGIN_DEVICE_DAYS = 400  # a tablet that logged in is known to the account this long
    PURPOSES = [
        "Ship's agent",
        "Stores delivery",
        "Repair / contractor",
        "Surveyor / class",
        "Port state control",
        "Pilot",
        "Customs / immigration",
        "Crew family visit",
    ]
    SESSION_COOKIE_HTTPONLY = True
    SESSION_COOKIE_SAMESITE = "Lax"
    SESSION_COOKIE_SECURE = False  # True forces it; it is Secure anyway on a request over HTTPS
    TRUSTED_PROXIES = 0  # behind a reverse proxy: how many set X-Forwarded-Proto/-For (1 = one)
    WATCH_IDLE_MINUTES = 15  # a watch session unused this long is closed (0: never)
    WTF_CSRF_TIME_LIMIT = None  # the watch's session, not the token, bounds a form's life
    # Mail to the SSO about refused entries (B/9.12). MAIL_SERVER None turns mail off.
    MAIL_SERVER = None
    MAIL_PORT = 25
    MAIL_SECURITY = "none"  # "none", "starttls" or "tls" (implicit TLS, usually port 465)
    MAIL_USERNAME = None
    MAIL_PASSWORD = None
    MAIL_FROM = "gangway@localhost"
    SSO_EMAIL: list[str] = []  # or a comma-separated string, e.g. from GANGWAY_SSO_EMAIL
    MAIL_TIMEOUT = 10  # seconds per SMTP operation; only the background sender waits
    MAIL_CSO = None  # the Company Security Officer's address for end-of-port-call reports
    # A boarding pass dated more than this many days before the port call's arrival or after its
    # departure is refused (pass_wrong_date); whole days, 0 or more.
    BOARDING_PASS_DATE_MARGIN_DAYS = 1
    # Refuse a pass whose from/to codes do not name this port (the UN/LOCODE location part,
    # e.g. RTM of NLRTM) when the port call has a UN/LOCODE: pass_wrong_route. False: not checked.
    BOARDING_PASS_CHECK_ROUTE = True
    INSPECTION_HOURS = 4  # a port state control officer's access is valid this long
    # The shore server (issue 17): the same app ashore, on PostgreSQL (GANGWAY_SHORE=1).
    SHORE = False
    SHORE_NAME = "Fleet ashore"  # shown in the title bar instead of a ship's name
    SHORE_CSO_MAIL = None  # told when a ship's chain diverges (needs MAIL_SERVER)
    SHORE_MAX_BATCH_BYTES = 8 * 1024 * 1024  # a batch as sent (gzip); 413 beyond
    SHORE_MAX_UNPACKED_BYTES = 64 * 1024 * 1024  # ... and once unpacked
    SHORE_MAX_PHOTO_BYTES = 2 * 1024 * 1024  # a photo the SSO sent (ID 800 px, document 300 kB)
    RETENTION_DAYS = 730  # keep port call records this long at least (33 CFR 104.235: 2 years)


def env_overrides(environ: os._Environ | dict) -> dict:
    """Map GANGWAY_* environment variables onto settings (JSON values where they parse)."""
    out = {}
    for name, raw in environ.items():
        if not name.startswith("GANGWAY_") or name == "GANGWAY_INSTANCE_PATH":
            continue
        try:
            value = json.loads(raw)
        except ValueError:
            value = raw
        out[name.removeprefix("GANGWAY_")] = value
    return out


def default_instance_path() -> Path:
    """Return GANGWAY_INSTANCE_PATH or <repo>/instance (never Flask's venv-relative default)."""
    return Path(os.environ.get("GANGWAY_INSTANCE_PATH") or REPO_ROOT / "instance").resolve()


def read_or_create_secret(instance_path: Path) -> str:
    """Return the instance's secret key, creating it (mode 0600) on first use."""
    path = instance_path / "secret_key"
    try:
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    except FileExistsError:
        return path.read_text().strip()
    with os.fdopen(fd, "w") as fh:
        fh.write(secrets.token_urlsafe(48))
    return path.read_text().strip()
