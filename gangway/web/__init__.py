"""Blueprints, one per kind of user; each view parses, calls one service, renders."""


def register(app):
    """Register every blueprint on the app, pages and API area by area."""
    from gangway.web.api import badges, jobs, offline, scans
    from gangway.web.api import documents as api_documents
    from gangway.web.api import plan as api_plan
    from gangway.web.api import port_calls as api_port_calls
    from gangway.web.api import refusals as api_refusals
    from gangway.web.api import reports as api_reports
    from gangway.web.api import security as api_security
    from gangway.web.api import security_report as api_security_report
    from gangway.web.pages.admin import (
        account,
        admin,
        tokens,  # noqa: F401  (its routes are on admin.bp)
    )
    from gangway.web.pages.admin import audit as admin_audit  # noqa: F401  (its routes are on admin.bp)
    from gangway.web.pages.inspect import inspector
    from gangway.web.pages.people import (
        crew,
        document_fill,
        document_photos,  # issue 18: kept on the record
        lists,
        photo_ashore,  # issue 17: the SSO sends a photo ashore
        visitors,
        watch_list,
    )
    from gangway.web.pages.records import pfso, reports, security_report
    from gangway.web.pages.ship import (
        inspections,
        muster,
        particulars,
        plan,
        port_calls,
        refusals,
        security,
        sso,
        sts,
        voyages,
    )
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
        document_photos.bp,
        photo_ashore.bp,
        voyages.bp,
        crew.bp,
        scans.bp,
        api_documents.bp,
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
        particulars.bp,  # issue 19: the Security Report and what it needs
        sts.bp,
        security_report.bp,
        api_security_report.bp,
        inspections.bp,  # issue 19: a port state control officer's read-only access
        inspector.bp,
    ):
        app.register_blueprint(blueprint)
    lists.register(app)
    if app.config.get("SHORE"):  # the shore server (issue 17): only it takes ships' batches
        from gangway.web.api.ashore import facility as api_facility
        from gangway.web.api.ashore import fleet as api_fleet
        from gangway.web.api.ashore import fleet_search as api_fleet_search
        from gangway.web.api.ashore import link as api_shore
        from gangway.web.api.ashore import movements as api_shore_log
        from gangway.web.api.ashore import watch_list as api_fleet_watch
        from gangway.web.pages.shore import facility, fleet, fleet_search, fleet_watch, ship_log
        from gangway.web.pages.shore import photos as shore_photos

        for blueprint in (api_shore.bp, api_fleet.bp, fleet.bp):
            app.register_blueprint(blueprint)
        for blueprint in (
            api_fleet_watch.bp,
            api_fleet_watch.link_bp,
            fleet_watch.bp,
            facility.bp,
            api_facility.bp,
            fleet_search.bp,  # issue 17 point 4
            api_fleet_search.bp,
            ship_log.bp,  # issue 17 point 4: any call's log and report
            shore_photos.bp,  # issue 17 point 2: the photos an SSO sent, the CSO's only
        ):
            app.register_blueprint(blueprint)
        # Ashore GET /api/v1/movements is the fleet's log, with a ship filter (issue 17).
        app.view_functions["api_port_calls.movements"] = api_shore_log.movements
    app.context_processor(_chrome_context)


def _chrome_context():
    """Give every page the ship's name and the security level for the band at the top; ashore,
    the fleet server's name (each ship's level is on the fleet page)."""
    from flask import current_app

    from gangway.extensions import db
    from gangway.services.ship.ship import current_ship

    if current_app.config.get("SHORE"):
        return {"ship_name": current_app.config["SHORE_NAME"], "security_level": None}
    ship = current_ship(db.session)
    return {
        "ship_name": ship.name if ship else current_app.config["SHIP_NAME"],
        "security_level": ship.security_level if ship else 1,
    }
