"""Pure decision core: plain data in, decisions out.

Stdlib only, plus `cryptography` for badge signatures.

Nothing here reads the clock, the configuration, the request or the database; callers pass `now`,
the policy and the keys. That keeps every rule testable as a table and reusable on the tablet.
"""
