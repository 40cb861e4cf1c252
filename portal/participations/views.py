from flask import Blueprint

bp = Blueprint("participations", __name__, url_prefix="/deltagere")
