from flask import Blueprint, current_app, render_template, request
from flask_babel import gettext as _
from flask_login import current_user

from portal import access
from portal.access import admits
from portal.audit import services
from portal.audit.display import action_label, describe
from portal.audit.models import AuditEvent
from portal.db import db, valid_id
from portal.i18n import localized
from portal.pagination import Page, paginate

bp = Blueprint("audit", __name__, url_prefix="/logbog")


def _id_arg(name: str) -> int | None:
    value = request.args.get(name, type=int)
    return value if valid_id(value) else None


@bp.route("/")
@admits(AuditEvent)
def index():
    action = request.args.get("action", "")
    municipality = _id_arg("municipality")
    round_id, application_id = _id_arg("round"), _id_arg("application")
    stmt = access.visible(
        services.listing(action, municipality, round_id=round_id, application_id=application_id),
        current_user,
        model=AuditEvent,
    )
    page: Page = paginate(
        stmt,
        request.args.get("page", 1, type=int),
        current_app.config["PAGE_SIZE"],
        request.args.to_dict(),
        rows=True,
    )
    return render_template(
        "admin/audit.html",
        page=page,
        actions=services.actions(),
        action=action,
        scope_heading=_scope_heading(round_id, application_id),
        kept={"municipality": municipality, "round": round_id, "application": application_id},
        describe=describe,
        names=services.log_names(event for event, *_ in page.items),
        action_label=action_label,
    )


def _scope_heading(round_id: int | None, application_id: int | None) -> str:
    """What the log is narrowed to, by name where the round or application still exists
    (the log outlives what it describes, so a bare id is shown otherwise)."""
    from portal.applications.models import Application
    from portal.programmes.models import Round

    if application_id:
        application = db.session.get(Application, application_id)
        if application is None:
            return _("Ansøgning nr. %(id)d", id=application_id)
        return _(
            "Ansøgning nr. %(id)d fra %(municipality)s til %(round)s",
            id=application.id,
            municipality=application.municipality.name,
            round=localized(application.round, "name"),
        )
    if round_id:
        round_ = db.session.get(Round, round_id)
        if round_ is None:
            return _("Forløb nr. %(id)d", id=round_id)
        return _("Forløbet %(round)s", round=localized(round_, "name"))
    return ""
