from flask import Blueprint, abort, render_template
from flask_login import login_required
from sqlalchemy import select

from portal.db import db
from portal.programmes import services
from portal.programmes.models import Round

bp = Blueprint("programmes", __name__, url_prefix="/indsatser")


@bp.route("/")
@login_required
def index():
    return render_template("programmes/index.html", programmes=services.list_programmes())


@bp.route("/forloeb/<slug>")
@login_required
def round_detail(slug: str):
    round_ = db.session.scalar(select(Round).where(Round.slug == slug))
    if round_ is None:
        abort(404)
    return render_template("programmes/round.html", round=round_)
