"""The review pages on one blueprint: an application's review, the reviewer's assignments
and the dossier (``applications``); a round's overview, ranking, criteria, decisions and
export (``rounds``).
"""

from flask import Blueprint

bp = Blueprint("review", __name__, url_prefix="/vurdering")

# The modules register their routes on ``bp`` when imported; importing them here, after
# ``bp`` exists, is what makes the blueprint whole wherever it is registered.
from portal.review.views import applications, calibration, rounds  # noqa: E402, F401, I001
