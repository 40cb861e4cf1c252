from flask import (
    Blueprint,
    Response,
    current_app,
    flash,
    redirect,
    render_template,
    request,
    url_for,
)
from flask_babel import gettext as _
from flask_login import current_user

from portal.access import admits
from portal.audit import services as audit
from portal.db import db
from portal.errors import RowErrors
from portal.municipalities import services
from portal.municipalities.forms import RegisterFilterForm, RegisterUploadForm, country_label
from portal.municipalities.models import Municipality
from portal.pagination import apply_sort, paginate

bp = Blueprint("municipalities", __name__, url_prefix="/admin/kommuner")

LIST_ARGS = ("q", "region", "country", "sort")


def _listing(upload: RegisterUploadForm, errors=None, status: int = 200):
    filters = RegisterFilterForm(request.args)
    country = filters.country.data or ""
    countries = services.countries()
    filters.country.choices = [("", _("Alle lande"))] + [(c, country_label(c)) for c in countries]
    filters.region.choices = [("", _("Alle regioner"))] + [
        (r, r) for r in services.regions(country)
    ]
    stmt = services.register_listing(filters.q.data or "", filters.region.data or "", country)
    stmt, sort = apply_sort(stmt, request.args.get("sort"), services.REGISTER_SORTS, "code")
    page = paginate(
        stmt,
        request.args.get("page", 1, type=int),
        current_app.config["PAGE_SIZE"],
        request.args.to_dict(),
        keep=LIST_ARGS,
    )
    return render_template(
        "admin/municipalities.html",
        page=page,
        filters=filters,
        upload=upload,
        errors=errors,
        several_countries=len(countries) > 1,
        population_credit=services.population_credit(page.items),
    ), status


@bp.route("/")
@admits(Municipality, "change")
def index():
    return _listing(RegisterUploadForm())


@bp.route("/import", methods=["POST"])
@admits(Municipality, "change")
def upload():
    form = RegisterUploadForm()
    if not form.validate_on_submit():
        return _listing(form, status=400)
    try:
        result = services.import_register(
            form.file.data.read(), default_country=form.country.data, actor=current_user
        )
    except RowErrors as error:
        db.session.rollback()
        return _listing(form, errors=error.errors, status=400)
    db.session.commit()
    flash(
        _("Registeret er indlæst. %(summary)s", summary=result.summary()),
        "success",
    )
    return redirect(url_for(".index"))


@bp.route("/eksport.csv")
@admits(Municipality, "change")
def export():
    audit.record("municipalities_exported", actor=current_user)
    db.session.commit()
    # The BOM makes Excel read the file as UTF-8 (æøå); the import accepts it.
    return Response(
        "\ufeff" + services.export_register(),
        mimetype="text/csv",
        headers={"Content-Disposition": "attachment; filename=kommuneregister.csv"},
    )
