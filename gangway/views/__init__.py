"""Blueprints, one per kind of user; each view parses, calls one service, renders."""


def register(app):
    """Register every blueprint on the app."""
    from gangway.views import (
        account,
        admin,
        admin_audit,  # noqa: F401  (its routes are on admin.bp)
        admin_tokens,  # noqa: F401  (its routes are on admin.bp)
        api,
        api_badges,
        api_jobs,
        api_offline,
        api_plan,
        api_port_calls,
        api_refusals,
        api_reports,
        api_security,
        crew,
        lists,
        manual,
        muster,
        pfso,
        plan,
        port_calls,
        refusals,
        reports,
        security,
        sso,
        visitors,
        voyages,
        watch,
        watch_list,
    )

    app.register_blueprint(watch.bp)
    app.register_blueprint(sso.bp)
    app.register_blueprint(watch_list.bp)
    app.register_blueprint(manual.bp)
    app.register_blueprint(manual.api_bp)
    app.register_blueprint(visitors.bp)
    app.register_blueprint(voyages.bp)
    app.register_blueprint(crew.bp)
    app.register_blueprint(api.bp)
    app.register_blueprint(api_badges.bp)
    app.register_blueprint(plan.bp)
    app.register_blueprint(muster.bp)
    app.register_blueprint(api_plan.bp)
    app.register_blueprint(security.bp)
    app.register_blueprint(security.band_bp)
    app.register_blueprint(api_security.bp)
    app.register_blueprint(refusals.bp)
    app.register_blueprint(api_refusals.bp)
    app.register_blueprint(port_calls.bp)
    app.register_blueprint(api_port_calls.bp)
    app.register_blueprint(pfso.bp)
    app.register_blueprint(reports.bp)
    app.register_blueprint(api_reports.bp)
    app.register_blueprint(api_jobs.bp)
    app.register_blueprint(api_offline.bp)
    app.register_blueprint(admin.bp)
    app.register_blueprint(account.bp)
    lists.register(app)
    app.context_processor(_chrome_context)


def _chrome_context():
    """Give every page the ship's name and the security level for the band at the top."""
    from flask import current_app

    from gangway.extensions import db
    from gangway.services.ship import current_ship

    ship = current_ship(db.session)
    return {
        "ship_name": ship.name if ship else current_app.config["SHIP_NAME"],
        "security_level": ship.security_level if ship else 1,
    }
