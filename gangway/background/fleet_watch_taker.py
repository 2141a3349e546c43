"""The sender's ask for the CSO's fleet watch list, each round (issue 17 point 6).

Asked before the records are sent and even when they cannot be (a chain diverged): the list
protects the gangway whatever the state of the records. A failure here is logged and the round
goes on; the version held does not move, so the next round asks for the same changes again.
"""

from __future__ import annotations

import logging

from gangway.background.shore_client import ShoreError, request_shore
from gangway.db.types import utcnow
from gangway.services.errors import BadInput
from gangway.services.shore_link.fleet_watch import PATH, held_version, take_changes
from gangway.services.shore_link.settings import Link, check_url

log = logging.getLogger(__name__)


def take_fleet_watch(session, link: Link) -> str | None:
    """Ask the shore for the fleet list's changes since the version held and take them."""
    try:
        check_url(link.url, insecure=link.allow_http)
        since = held_version(session)
        session.rollback()  # no read stays open while the shore is asked
        answer = request_shore(link, "GET", f"{PATH}?since={since}")
        taken = take_changes(session, answer, utcnow())
    except (ShoreError, BadInput) as exc:
        session.rollback()
        message = getattr(exc, "message", str(exc))
        log.warning("Fleet watch list not taken: %s", message)
        return f"Fleet watch list not taken: {message}"
    if taken.added or taken.removed:
        log.info(
            "Fleet watch list v%d: %d added, %d lifted", taken.version, taken.added, taken.removed
        )
    return None
