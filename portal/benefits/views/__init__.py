"""The benefits pages on one blueprint: recording a participation's figures (``figures``)
and the files of figures, exports, templates and uploads (``files``).
"""

from flask import Blueprint

bp = Blueprint("benefits", __name__, url_prefix="/gevinster")

# The modules register their routes on ``bp`` when imported; importing them here, after
# ``bp`` exists, is what makes the blueprint whole wherever it is registered.
from portal.benefits.views import figures, files  # noqa: E402, F401, I001
