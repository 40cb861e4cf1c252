from flask import Blueprint, render_template

from portal.auth.models import Role
from portal.auth.permissions import role_required

bp = Blueprint("users", __name__, url_prefix="/admin/brugere")


@bp.route("/")
@role_required(Role.ADMIN)
def index():
    return render_template("admin/users.html")
