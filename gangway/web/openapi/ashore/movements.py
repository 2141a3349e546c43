"""OpenAPI 3.1 path item of GET /movements on the shore server (issue 17): a ship's access log,
the ship's filters and rows with a ship filter; it replaces the ship's own path item ashore."""

from __future__ import annotations

import copy

from gangway.web.openapi.access_log import PATHS as ON_BOARD
from gangway.web.openapi.common import ERROR_REF, json_content


def _get() -> dict:
    """Return the ship's GET /movements with the ship filter, the shore's readers and answers."""
    get = copy.deepcopy(ON_BOARD["/movements"]["get"])
    get["summary"] = (
        "A ship's access log ashore: movements and refusals of one port call (ISPS A/10.1). "
        "CSO: any ship's calls; PFSO: the calls at their facility, documents masked unless "
        "the ship shares them"
    )
    ship = {"name": "ship", "in": "query", "required": True, "description": "IMO number",
            "schema": {"type": "string", "pattern": "^[0-9]{7}$"}}  # fmt: skip
    get["parameters"] = [ship, *get["parameters"]]
    body = get["responses"]["200"]["content"]["application/json"]["schema"]
    # port_call: the same object as on board, as the ship sent it (null: none ashore yet)
    body["properties"]["ship"] = {
        "type": "object",
        "properties": {"imo": {"type": "string"}, "name": {"type": "string"}},
    }
    get["responses"]["400"]["description"] = "No ship named, or bad filters (`problems`)"
    get["responses"]["404"] = {
        "description": "No such ship, or no call of it the reader may read",
        **json_content(ERROR_REF),
    }
    return get


PATHS = {"/movements": {"get": _get()}}
