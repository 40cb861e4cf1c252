"""Skaleringsportalen: the app factory, as a list of small named steps."""

from __future__ import annotations

import hmac
from pathlib import Path

from flask import Flask, render_template
from flask_login import AnonymousUserMixin
from flask_wtf.csrf import CSRFError

from portal import i18n
from portal.config import load_config
from portal.db import db
from portal.extensions import babel, csrf, login_manager
from portal.resilience import register_resilience
from portal.security import register_security_headers

ROOT = Path(__file__).resolve().parent.parent


def create_app(config: dict | None = None) -> Flask:
    app = Flask(
        __name__,
        template_folder=str(ROOT / "templates"),
        static_folder=str(ROOT / "static"),
        instance_relative_config=True,
    )
    app.config.update(load_config(app.instance_path))
    if config:
        app.config.update(config)
    app.wsgi_app = behind_proxies(app.wsgi_app, app.config["TRUSTED_PROXIES"])
    register_extensions(app)
    register_blueprints(app)
    register_resilience(app)
    register_errorhandlers(app)
    register_security_headers(app)
    register_template_helpers(app)
    register_cli(app)
    register_signals()
    return app


def register_extensions(app: Flask) -> None:
    from portal import files
    from portal.api import tasks as _api  # noqa: F401 (its periodic task)
    from portal.auth.throttle import LoginThrottle
    from portal.benefits.files import import_job as _import  # noqa: F401 (its job)
    from portal.conversations import cleanup as conversation_files
    from portal.dashboards import tasks as dashboard_tasks
    from portal.jobs import queue, tasks
    from portal.notifications import tasks as _outbox  # noqa: F401 (its periodic task)
    from portal.openresults import tasks as _opendata  # noqa: F401 (its periodic tasks)
    from portal.openresults.versions import watch_participations as watch_open_data
    from portal.privacy import jobs as _privacy_jobs  # noqa: F401 (its jobs)
    from portal.privacy import tasks as _retention  # noqa: F401 (its periodic task)
    from portal.reporting import tasks as _reminders  # noqa: F401 (its periodic task)
    from portal.reports import jobs as _reports  # noqa: F401 (its jobs)
    from portal.webhooks import events as webhook_events
    from portal.webhooks import tasks as _webhooks  # noqa: F401 (its tasks)

    db.init_app(app)
    files.init_app(app)
    app.config.setdefault("JOBS_IMMEDIATE", app.testing)
    queue.init_app(app)
    tasks.watch_figures()
    watch_open_data()
    dashboard_tasks.watch_figures()  # the round summaries stored soon after a save
    webhook_events.listen()
    conversation_files.listen()
    csrf.init_app(app)
    babel.init_app(
        app,
        locale_selector=i18n.select_locale,
        default_translation_directories=str(i18n.TRANSLATIONS),
    )
    i18n.init_app(app)
    login_manager.init_app(app)
    login_manager.login_view = "auth.login"
    login_manager.login_message = None
    login_manager.session_protection = "strong"
    login_manager.anonymous_user = AnonymousUserMixin
    storage = app.config.get("RATELIMIT_STORAGE_URI") or app.config["REDIS_URL"] or "memory://"
    app.extensions["login_throttle"] = LoginThrottle(
        storage,
        app.config["LOGIN_FAILURE_LIMIT"],
        app.config["LOGIN_ACCOUNT_LIMIT"],
        app.config["LOGIN_ADDRESS_LIMIT"],
    )

    @login_manager.user_loader
    def load_user(session_id: str):
        from portal.auth.models import User
        from portal.db import valid_id

        user_id, _, token = session_id.partition(":")
        ident = int(user_id) if user_id.isascii() and user_id.isdigit() else None
        user = db.session.get(User, ident) if valid_id(ident) else None
        if user is None or not user.active:
            return None
        return user if hmac.compare_digest(token, user.session_token) else None


def behind_proxies(wsgi_app, count: int):
    """Honour X-Forwarded-For/-Proto from exactly ``count`` trusted proxies (werkzeug's
    ProxyFix takes the address the last of them saw); with none, the headers are ignored."""
    if count <= 0:
        return wsgi_app
    from werkzeug.middleware.proxy_fix import ProxyFix

    return ProxyFix(wsgi_app, x_for=count, x_proto=count)


def register_blueprints(app: Flask) -> None:
    from portal.applications.views import bp as applications_bp
    from portal.audit.views import bp as audit_bp
    from portal.auth.sso.oidc import bp as sso_oidc_bp
    from portal.auth.sso.saml.views import bp as saml_bp
    from portal.auth.sso.views import bp as sso_bp
    from portal.auth.user_views import bp as users_bp
    from portal.auth.views import bp as auth_bp
    from portal.benefits.views import bp as benefits_bp
    from portal.conversations.views import bp as conversations_bp
    from portal.dashboards.views import bp as dashboards_bp
    from portal.health import bp as health_bp
    from portal.home.views import bp as home_bp
    from portal.jobs.views import bp as jobs_bp
    from portal.municipalities.views import bp as municipalities_bp
    from portal.notifications.views import bp as notifications_bp
    from portal.openresults.views import bp as openresults_bp
    from portal.participations.views import bp as participations_bp
    from portal.privacy.views import bp as privacy_bp
    from portal.programmes.views import bp as programmes_bp
    from portal.reporting.views import bp as reporting_bp
    from portal.reports.views import bp as reports_bp
    from portal.review.views import bp as review_bp
    from portal.webhooks.views import bp as webhooks_bp

    app.register_blueprint(health_bp)
    app.register_blueprint(auth_bp)
    app.register_blueprint(sso_bp)
    app.register_blueprint(sso_oidc_bp)
    app.register_blueprint(saml_bp)
    app.register_blueprint(home_bp)
    app.register_blueprint(programmes_bp)
    app.register_blueprint(users_bp)
    app.register_blueprint(municipalities_bp)
    app.register_blueprint(audit_bp)
    app.register_blueprint(applications_bp)
    app.register_blueprint(review_bp)
    app.register_blueprint(participations_bp)
    app.register_blueprint(notifications_bp)
    app.register_blueprint(benefits_bp)
    app.register_blueprint(reporting_bp)
    app.register_blueprint(dashboards_bp)
    app.register_blueprint(reports_bp)
    app.register_blueprint(jobs_bp)
    app.register_blueprint(privacy_bp)
    app.register_blueprint(openresults_bp)
    app.register_blueprint(conversations_bp)
    app.register_blueprint(webhooks_bp)
    from portal import api

    api.init_app(app)


def register_errorhandlers(app: Flask) -> None:
    from portal.api import is_api_request
    from portal.api import problems as api_problems

    def render_error(error):
        code = getattr(error, "code", 500)
        if is_api_request():  # the API answers problem documents, never a page
            return api_problems.of_http(code)
        return render_template("errors/error.html", code=code), code

    for code in (400, 403, 404, 405, 413, 429, 500):
        app.register_error_handler(code, render_error)

    def render_csrf_error(error):
        return render_template("errors/error.html", code=400, csrf=True), 400

    app.register_error_handler(CSRFError, render_csrf_error)


def register_template_helpers(app: Flask) -> None:
    from portal.applications import labels
    from portal.applications.permissions import TEMPLATE_PERMISSIONS as application_permissions
    from portal.auth.permissions import template_globals
    from portal.benefits.calculation.disclosure import too_few_text
    from portal.benefits.permissions import TEMPLATE_PERMISSIONS as benefits_permissions
    from portal.notifications.permissions import can_manage_outbox
    from portal.notifications.services import unread_count
    from portal.participations.permissions import TEMPLATE_PERMISSIONS as participation_permissions
    from portal.reporting.permissions import TEMPLATE_PERMISSIONS as reporting_permissions
    from portal.reports.permissions import TEMPLATE_PERMISSIONS as reports_permissions
    from portal.webhooks.permissions import can_manage_webhooks

    app.jinja_env.globals.update(template_globals())
    app.jinja_env.globals.update(
        application_status_label=labels.status_label,
        applicant_role_label=labels.role_label,
        experience_label=labels.experience_label,
        too_few_text=too_few_text,
        unread_notices=unread_count,
        can_manage_outbox=can_manage_outbox,
        can_manage_webhooks=can_manage_webhooks,
        **benefits_permissions,
        **application_permissions,
        **participation_permissions,
        **reporting_permissions,
        **reports_permissions,
    )


def register_signals() -> None:
    """Domains that react to another's events without it importing them (blinker keeps one
    connection per receiver, so several apps in one process connect once)."""
    from portal.reporting.schedule import connect_signals
    from portal.results.refresh import connect_signals as connect_results
    from portal.review.changes import connect_signals as connect_review_changes

    connect_signals()
    connect_results()
    connect_review_changes()


def register_cli(app: Flask) -> None:
    from portal.cli import register_commands

    register_commands(app)
