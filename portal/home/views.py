from flask import Blueprint, render_template
from flask_login import current_user, login_required

from portal.home.services import home_figures

bp = Blueprint("home", __name__)


@bp.route("/")
@login_required
def index():
    return render_template("home/index.html", figures=home_figures(current_user))


@bp.route("/tilgaengelighed")
def accessibility():
    """The accessibility statement and the privacy notice (what is kept, why, how long)."""
    from portal.privacy.retention import notice

    return render_template("home/accessibility.html", retention=notice())
