"""Compile each URL rule's builder once per test process, not once per app.

Werkzeug compiles a Python function per URL rule to build its URLs (`Rule._compile_builder`:
an AST, then `compile()`), twice per rule, each time an app registers its blueprints: with ~160
rules that was nine tenths of `create_app`, and the suite makes an app per test. The function
is the same for the same rule (it reaches the rule's converters through its `self` argument),
so it is kept by what it is made from. Tests only: the app itself is made once per process.
"""

from __future__ import annotations

from werkzeug.routing.rules import Rule

_made: dict[tuple, object] = {}
_compile_builder = Rule._compile_builder  # fails here, loudly, if Werkzeug renames it


def _cached_builder(self: Rule, append_unknown: bool = True):
    defaults = tuple(sorted((k, repr(v)) for k, v in (self.defaults or {}).items()))
    key = (self.rule, tuple(self._trace), defaults, append_unknown)
    if key not in _made:
        _made[key] = _compile_builder(self, append_unknown)
    return _made[key]


def compile_rules_once() -> None:
    """Keep each rule's URL builder for the process (idempotent)."""
    Rule._compile_builder = _cached_builder
