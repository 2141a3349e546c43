"""Register SQLAlchemy event listeners once: create_app runs many times in one process (tests)."""

from __future__ import annotations

from collections.abc import Callable

from sqlalchemy import event


def listen_once(target, name: str, fn: Callable, **kwargs) -> None:
    """Listen for an event with this function unless it already does."""
    if not event.contains(target, name, fn):
        event.listen(target, name, fn, **kwargs)
