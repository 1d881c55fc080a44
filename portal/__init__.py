"""The web portal: ``create_app()`` builds everything; nothing happens at import time."""

import hashlib

from flask import Flask, g, request

from kinerja import clock, passwords
from kinerja.db import database, open_database
from kinerja.enums import (
    Direction,
    EvaluationStatus,
    JenisJabatan,
    Predikat,
    RhkKind,
    Role,
    SkpApproach,
    SkpStatus,
)
from kinerja.models.evaluation import ObjectionDecision
from kinerja.permissions import is_admin, reads_all_internal
from kinerja.queries.service_figures import LinkedFigure
from kinerja.services import notifications
from portal import errors, formatting
from portal.compression import compress
from portal.config import ROOT, https_warnings, load_config
from portal.security import (
    SessionInterface,
    apply_security_headers,
    csrf,
    current_actor,
    login_manager,
    make_session_permanent,
)


class PortalFlask(Flask):
    """Flask whose static files carry an opaque ETag.

    Werkzeug's own static ETag spells out the file's modification time, size and checksum
    (when and what was deployed); this one is a digest of them, so caching and ``304`` work
    the same without revealing anything.
    """

    def send_static_file(self, filename: str):
        response = super().send_static_file(filename)
        etag, weak = response.get_etag()
        if etag:
            opaque = hashlib.sha256(etag.encode()).hexdigest()[:32]
            response.set_etag(opaque, weak=weak)
            if response.status_code == 200 and request.if_none_match.contains(opaque):
                response.close()
                unchanged = self.response_class(status=304)
                unchanged.set_etag(opaque, weak=weak)
                for name in ("Cache-Control", "Last-Modified"):
                    if name in response.headers:
                        unchanged.headers[name] = response.headers[name]
                return unchanged
        return response


def create_app(config=None) -> Flask:
    """Build the Flask app from the environment and an optional config mapping."""
    app = PortalFlask(
        __name__,
        template_folder=str(ROOT / "templates"),
        static_folder=str(ROOT / "static"),
        instance_path=str(ROOT / "instance"),
    )
    app.config.update(load_config(config))
    for warning in https_warnings(app.config):
        app.logger.warning(warning)
    clock.configure()
    if app.config["PASSWORD_COST"] == "fast":
        passwords.configure(time_cost=1, memory_cost=1024)

    open_database(app.config["DATABASE_URL"])
    app.session_interface = SessionInterface()
    csrf.init_app(app)
    login_manager.init_app(app)
    login_manager.session_protection = "basic"
    formatting.register(app)
    errors.register(app)
    # Templates test permissions through the shared predicates and statuses through enum
    # members or model properties, never through role or status strings.
    app.jinja_env.globals.update(
        is_admin=is_admin,
        reads_all_internal=reads_all_internal,
        Direction=Direction,
        EvaluationStatus=EvaluationStatus,
        JenisJabatan=JenisJabatan,
        LinkedFigure=LinkedFigure,
        ObjectionDecision=ObjectionDecision,
        Predikat=Predikat,
        RhkKind=RhkKind,
        Role=Role,
        SkpApproach=SkpApproach,
        SkpStatus=SkpStatus,
    )

    @app.before_request
    def _connect():
        database.connect(reuse_if_open=True)

    @app.teardown_request
    def _close(exc):
        if not database.is_closed():
            database.close()

    app.after_request(apply_security_headers)
    app.after_request(make_session_permanent)
    app.after_request(compress)

    @app.context_processor
    def _inject():
        return {
            "actor": current_actor(),
            "demo_banner": _demo_banner(app),
            "unread_notifications": _unread_notifications,
        }

    from portal import admin, auth, cli, guide, kiosk, public, staff, supervisor, survey

    blueprints = (
        auth.bp,
        staff.bp,
        supervisor.bp,
        kiosk.bp,
        public.bp,
        survey.bp,
        admin.bp,
        guide.bp,
    )
    for blueprint in blueprints:
        app.register_blueprint(blueprint)
    cli.register(app)
    return app


def _unread_notifications() -> int:
    """The person's unread notifications for the bell: one COUNT, only where the menu shows."""
    if "unread_notifications" not in g:
        actor = current_actor()
        g.unread_notifications = (
            notifications.unread_count(actor.employee_id) if actor is not None else 0
        )
    return g.unread_notifications


def _demo_banner(app) -> bool:
    """Whether the demo banner shows (the database holds the Sibolga demo data)."""
    if "demo_banner" in g:
        return g.demo_banner
    forced = app.config.get("DEMO_BANNER")
    if forced is not None:
        g.demo_banner = forced not in ("0", False, "false")
        return g.demo_banner
    from kinerja.demo import is_demo_database

    try:
        g.demo_banner = is_demo_database()
    except Exception:  # noqa: BLE001 - a missing table must not break an error page
        g.demo_banner = False
    return g.demo_banner
