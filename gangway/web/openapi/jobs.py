"""OpenAPI 3.1 path item for a long job's state (merged into openapi.py)."""

from __future__ import annotations

from gangway.web.openapi.common import error, json_content
from gangway.web.openapi.lists import JOB

PATHS: dict = {
    "/jobs/{job_id}": {
        "get": {
            "summary": "The state of a job one started (a list import that answered 202)",
            "parameters": [
                {"name": "job_id", "in": "path", "required": True, "schema": {"type": "integer"}}
            ],
            "responses": {
                "200": {"description": "Done (with its result) or failed", **json_content(JOB)},
                "202": {"description": "Queued or running: ask again", **json_content(JOB)},
                "404": error("No such job of yours"),
            },
        }
    },
}
