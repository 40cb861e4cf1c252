from flask import Blueprint, render_template

from portal.auth.models import Role
from portal.auth.permissions import role_required

bp = Blueprint("municipalities", __name__, url_prefix="/admin/kommuner")


@bp.route("/")
@role_required(Role.ADMIN)
def index():
    return render_template("admin/municipalities.html")
