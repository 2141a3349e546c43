"""Imperative shell: load facts, call the pure core once, persist the outcome, commit.

Services take a `session` and `now`; they never touch the request. Views and the JSON API call the
same functions, so a scan from the tablet and one from the API are recorded alike.
"""

from gangway.services.errors import BadInput

__all__ = ["BadInput"]
