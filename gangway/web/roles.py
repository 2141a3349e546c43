"""The checks views and templates make against the one permission table.

The table itself is pure data in gangway.domain.accounts.permissions (services read it too).
Every route names a permission (`permission_required("lists.import")`); pages and templates ask
`can(user, "plan.edit")`. A role appears nowhere else in the views or templates: to change who
may do something, change its line in the table (and the meanings in tests/integration/test_roles).
"""

from __future__ import annotations

from functools import wraps

from flask import abort, jsonify, request
from flask_login import current_user

from gangway.domain.accounts.permissions import holds, roles_for
from gangway.extensions import login_manager


def can(user, permission: str) -> bool:
    """Tell whether a user (logged in) holds a permission."""
    return bool(user is not None and user.is_authenticated and holds(user.role, permission))


def permission_required(permission: str):
    """Allow the view only to logged-in users whose role holds the permission."""
    roles = roles_for(permission)  # a misspelt name fails when the module loads

    def decorator(view):
        @wraps(view)
        def wrapped(*args, **kwargs):
            if not current_user.is_authenticated:
                return login_manager.unauthorized()
            if current_user.role not in roles:
                if request.path.startswith("/api/"):
                    return jsonify(error="forbidden", message="Your role may not do this."), 403
                abort(403)
            return view(*args, **kwargs)

        wrapped.permission = permission  # read by the route-permission test
        wrapped.allowed_roles = roles  # read by the API's CSRF check and the fuzz tests
        return wrapped

    return decorator


def init_app(app):
    """Offer `can(user, permission)` to every template."""
    app.jinja_env.globals["can"] = can
