from flask import Blueprint, current_app, render_template, request

from portal.audit import services
from portal.auth.permissions import AUDIT_READERS, role_required
from portal.db import valid_id
from portal.pagination import Page, paginate

bp = Blueprint("audit", __name__, url_prefix="/logbog")


@bp.route("/")
@role_required(*AUDIT_READERS)
def index():
    action = request.args.get("action", "")
    municipality = request.args.get("municipality", type=int)
    stmt = services.listing(action, municipality if valid_id(municipality) else None)
    page: Page = paginate(
        stmt,
        request.args.get("page", 1, type=int),
        current_app.config["PAGE_SIZE"],
        request.args.to_dict(),
        rows=True,
    )
    return render_template("admin/audit.html", page=page, actions=services.actions(), action=action)
