"""The public results pages and open data (no login), and the leadership's consent page.

Public pages and files read as the anonymous reader (``access.PUBLIC``) whoever asks, carry
an ETag of the data's version (``figures.public_version``) and may be kept by any proxy
(``Cache-Control: public``). The pages, whose header names a logged-in user, are still
``no-store`` for a logged-in user (``portal.security``); the files are the same for
everyone and are exempt (``same_for_everyone``)."""

from __future__ import annotations

import json
from datetime import date

from flask import (
    Blueprint,
    Response,
    abort,
    current_app,
    flash,
    redirect,
    render_template,
    request,
    url_for,
)
from flask_babel import force_locale
from flask_babel import gettext as _
from flask_login import current_user

from portal import access, files
from portal.access import admits
from portal.db import db
from portal.errors import NotAllowed
from portal.i18n import LOCALES
from portal.openresults import consent, dcat, figures, opendata, page, versions
from portal.openresults.models import PublicationConsent
from portal.pagination import paginate
from portal.participations.models import Participation
from portal.web import run_and_commit

bp = Blueprint("openresults", __name__)


@bp.record_once
def _template_helpers(state) -> None:
    state.app.jinja_env.globals["can_decide_publication"] = lambda user: access.can(
        user, PublicationConsent, "change"
    )


MAX_AGE = 300  # seconds a proxy or browser may keep a public page or file unasked


def same_for_everyone(view):
    """A file that is the same whoever asks: public caching even for a logged-in user."""
    view.same_for_everyone = True
    return view


def _cached(etag: str, make: callable, **headers) -> Response:
    response = Response(status=304) if request.if_none_match.contains(etag) else make()
    response.set_etag(etag)
    response.headers["Cache-Control"] = f"public, max-age={MAX_AGE}"
    response.vary.add("Cookie")
    response.headers.update(headers)
    return response


def _language() -> str:
    """The page's language: ``?lang=en`` (a URL of its own, so a proxy keeps both), or the
    visitor's choice."""
    from flask_babel import get_locale

    chosen = request.args.get("lang")
    return chosen if chosen in LOCALES else str(get_locale())


def _page(template: str, name: str, context) -> Response:
    """The page drawn from ``context()`` (called only when the reader lacks this version)."""
    lang = _language()

    def make() -> Response:
        with force_locale(lang):
            return Response(render_template(template, lang=lang, **context()))

    if current_user.is_authenticated:  # the header names the user: theirs alone (no-store)
        return make()
    return _cached(f"{name}.{lang}.{figures.public_version()}", make)


@bp.get("/resultater/")
def index():
    return _page(
        "openresults/index.html",
        "index",
        lambda: {"rounds": [(r, figures.public_round_figures(r)) for r in figures.public_rounds()]},
    )


@bp.get("/resultater/<slug>")
def round_page(slug: str):
    round_ = figures.public_round(slug) or abort(404)

    def context() -> dict:
        found = figures.public_round_figures(round_)
        return {
            "found": found,
            "indicators": page.indicators_table(found),
            "communities": page.communities_table(found),
            "municipalities": [(m, page.municipality_table(m)) for m in found.published],
            "method": page.method(found),
        }

    return _page("openresults/round.html", f"round.{round_.id}", context)


VERSIONS_PER_PAGE = 20


@bp.get("/aabne-data/")
def open_data():
    number = request.args.get("page", 1, type=int)

    def context() -> dict:
        return {
            "modified": figures.modified_on(),
            "licence_url": opendata.LICENCE_URL,
            "versions": paginate(
                versions.available(), number, VERSIONS_PER_PAGE, request.args, keep=("lang",)
            ),
        }

    return _page("openresults/open_data.html", f"open_data.{versions.stamp()}.{number}", context)


@bp.get("/aabne-data/<day>/<file>")
@same_for_everyone
def version_file(day: str, file: str):
    """A file of the day's version, as stored (410 when the version was withdrawn)."""
    try:
        on = date.fromisoformat(day)
    except ValueError:
        abort(404)
    version = versions.of_day(on) or abort(404)
    if version.withdrawn_at is not None:
        abort(410)
    stored = next((f for f in version.files if f.name == file), None) or abort(404)
    stem, ext = file.rsplit(".", 1)

    def make() -> Response:
        response = files.send(
            stored.key, mimetype=versions.MEDIA_TYPES[ext], download_name=f"{stem}-{day}.{ext}"
        )
        response.headers["Link"] = f'<{opendata.LICENCE_URL}>; rel="license"'
        return response

    return _cached(f"v.{stored.sha256[:32]}", make)


def _file(body: bytes, mimetype: str, filename: str) -> Response:
    response = Response(body, mimetype=mimetype)
    response.headers["Content-Disposition"] = f'attachment; filename="{filename}"'
    response.headers["Link"] = f'<{opendata.LICENCE_URL}>; rel="license"'
    return response


def _data_file(name: str, fmt: str) -> Response:
    modified = figures.modified_on()
    return _cached(
        f"{name}.{fmt}.{figures.public_version()}",
        lambda: _file(
            opendata.render(name, fmt, modified),
            opendata.FORMATS[fmt],
            f"{name}-{modified.isoformat()}.{fmt}",
        ),
    )


@bp.get("/aabne-data/indikatorer.<any(csv, json):fmt>")
@same_for_everyone
def indicators_file(fmt: str):
    return _data_file("indikatorer", fmt)


@bp.get("/aabne-data/noegletal.<any(csv, json):fmt>")
@same_for_everyone
def key_figures_file(fmt: str):
    return _data_file("noegletal", fmt)


@bp.get("/aabne-data/alle.zip")
@same_for_everyone
def open_data_zip():
    modified = figures.modified_on()
    return _cached(
        f"zip.{figures.public_version()}",
        lambda: _file(
            opendata.zip_all(modified),
            "application/zip",
            f"skaleringsportalen-aabne-data-{modified.isoformat()}.zip",
        ),
    )


def _absolute(endpoint: str, **values) -> str:
    base = current_app.config.get("PORTAL_BASE_URL")
    if base:
        return base + url_for(endpoint, **values)
    return url_for(endpoint, _external=True, **values)


@bp.get("/aabne-data/katalog.jsonld")
@same_for_everyone
def catalogue():
    modified = figures.modified_on()

    def make() -> Response:
        record = dcat.catalogue(
            _absolute,
            publisher=current_app.config["OPEN_DATA_PUBLISHER"],
            contact=current_app.config["OPEN_DATA_CONTACT"],
            issued=figures.first_published_on() or modified,
            modified=modified,
            versions=list(db.session.scalars(versions.available())),
        )
        body = json.dumps(record, ensure_ascii=False, indent=1)
        return Response(body, mimetype="application/ld+json")

    return _cached(f"dcat.{figures.public_version()}.{versions.stamp()}", make)


@bp.route("/resultater/offentliggoerelse", methods=["GET", "POST"])
@admits(PublicationConsent, "change")
def publication():
    if request.method == "POST":
        participation = access.get_visible_or_404(
            Participation, request.form.get("participation_id", type=int), current_user
        )
        published = request.form.get("published") == "1"
        try:
            run_and_commit(
                lambda: consent.set_published(participation, published, actor=current_user)
            )
        except NotAllowed:
            abort(403)
        flash(
            _("Resultaterne offentliggøres nu.")
            if published
            else _("Resultaterne offentliggøres ikke længere."),
            "success",
        )
        return redirect(url_for("openresults.publication"))
    return render_template(
        "openresults/publication.html", participations=consent.decidable(current_user)
    )
