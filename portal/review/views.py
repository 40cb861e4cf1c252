from flask import Blueprint

bp = Blueprint("review", __name__, url_prefix="/vurdering")
