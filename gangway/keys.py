"""The ship's badge signing key: Ed25519, private key in the instance folder, created once."""

from __future__ import annotations

import os
import tempfile
from pathlib import Path

from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey, Ed25519PublicKey
from flask import current_app

KEY_ID = 1
KEY_FILE = "badge_signing_key.pem"


def load_or_create_private_key(instance_path: Path) -> Ed25519PrivateKey:
    """Return the ship's signing key, writing a new one (mode 0600) if none exists yet."""
    path = Path(instance_path) / KEY_FILE
    pem = Ed25519PrivateKey.generate().private_bytes(
        serialization.Encoding.PEM,
        serialization.PrivateFormat.PKCS8,
        serialization.NoEncryption(),
    )
    if not path.exists():
        # Written whole under a temporary name, then linked into place: a reader in another
        # thread or process never sees a half-written key, and link() fails if one won the race.
        fd, temp = tempfile.mkstemp(dir=path.parent, prefix=".key-")  # mode 0600
        try:
            with os.fdopen(fd, "wb") as fh:
                fh.write(pem)
                fh.flush()
                os.fsync(fh.fileno())
            os.link(temp, path)
        except FileExistsError:
            pass  # another process won the race: use the stored key
        finally:
            os.unlink(temp)
    key = serialization.load_pem_private_key(path.read_bytes(), password=None)
    if not isinstance(key, Ed25519PrivateKey):
        raise RuntimeError(f"{path} is not an Ed25519 private key")
    return key


def signing_key() -> Ed25519PrivateKey:
    """Return the current app's signing key (cached per app)."""
    cache = current_app.extensions.setdefault("gangway.keys", {})
    if "private" not in cache:
        cache["private"] = load_or_create_private_key(Path(current_app.instance_path))
    return cache["private"]


def public_keys() -> dict[int, Ed25519PublicKey]:
    """Return the verification keys by key id (one today; rotation adds more), cached per app:
    the same key objects each time, so a verified badge can be remembered (services/credentials)."""
    cache = current_app.extensions.setdefault("gangway.keys", {})
    if "public" not in cache:
        cache["public"] = {KEY_ID: signing_key().public_key()}
    return cache["public"]


def public_key_pem() -> str:
    """Return the public key as PEM, for devices that verify badges offline."""
    return (
        signing_key()
        .public_key()
        .public_bytes(serialization.Encoding.PEM, serialization.PublicFormat.SubjectPublicKeyInfo)
        .decode("ascii")
    )
