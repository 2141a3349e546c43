"""Blueprints, one per kind of user; each view parses, calls one service, renders."""


def register(app):
    """Register every blueprint on the app, pages and API area by area."""
    from gangway.web.api import badges, jobs, offline, scans
    from gangway.web.api import plan as api_plan
    from gangway.web.api import port_calls as api_port_calls
    from gangway.web.api import refusals as api_refusals
    from gangway.web.api import reports as api_reports
    from gangway.web.api import security as api_security
    from gangway.web.pages.admin import (
        account,
        admin,
        tokens,  # noqa: F401  (its routes are on admin.bp)
    )
    from gangway.web.pages.admin import audit as admin_audit  # noqa: F401  (its routes are on admin.bp)
    from gangway.web.pages.people import crew, document_fill, lists, visitors, watch_list
    from gangway.web.pages.records import pfso, reports
    from gangway.web.pages.ship import muster, plan, port_calls, refusals, security, sso, voyages
    from gangway.web.pages.watch import check_id, manual, watch

    for blueprint in (
        watch.bp,
        sso.bp,
        watch_list.bp,
        manual.bp,
        check_id.bp,  # issue 18: Check ID from a photo
        manual.api_bp,
        visitors.bp,
        document_fill.bp,  # issue 18: the visitor form filled from a document photo
        voyages.bp,
        crew.bp,
        scans.bp,
        badges.bp,
        plan.bp,
        muster.bp,
        api_plan.bp,
        security.bp,
        security.band_bp,
        api_security.bp,
        refusals.bp,
        api_refusals.bp,
        port_calls.bp,
        api_port_calls.bp,
        pfso.bp,
        reports.bp,
        api_reports.bp,
        jobs.bp,
        offline.bp,
        admin.bp,
        account.bp,
    ):
        app.register_blueprint(blueprint)
    lists.register(app)
    app.context_processor(_chrome_context)


def _chrome_context():
    """Give every page the ship's name and the security level for the band at the top."""
    from flask import current_app

    from gangway.extensions import db
    from gangway.services.ship.ship import current_ship

    ship = current_ship(db.session)
    return {
        "ship_name": ship.name if ship else current_app.config["SHIP_NAME"],
        "security_level": ship.security_level if ship else 1,
    }
