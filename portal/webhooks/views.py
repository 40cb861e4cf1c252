from flask import Blueprint, current_app, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user
from sqlalchemy import select

from portal import access
from portal.access import admits
from portal.db import db, utcnow
from portal.municipalities.models import Municipality
from portal.pagination import paginate
from portal.web import commit_or_flash, commit_or_show
from portal.webhooks import reveal, services
from portal.webhooks import words as _words  # noqa: F401 (the audit log's words)
from portal.webhooks.events import EVENT_LABELS
from portal.webhooks.forms import EndpointForm
from portal.webhooks.models import WebhookDelivery, WebhookEndpoint

bp = Blueprint("webhooks", __name__, url_prefix="/webhooks")


def _endpoint(endpoint_id: int, action: str = "read") -> WebhookEndpoint:
    return access.get_visible_or_404(WebhookEndpoint, endpoint_id, current_user, action)


def _no_store(response):
    response.headers["Cache-Control"] = "no-store"  # shown once: never kept by a browser
    return response


def _to_secret_page(endpoint: WebhookEndpoint):
    """Post/Redirect/Get: reloading the secret's page never posts the form again."""
    return _no_store(redirect(url_for(".secret", endpoint_id=endpoint.id), 303))


@bp.route("/")
@admits(WebhookEndpoint)
def index():
    stmt = (
        select(WebhookEndpoint, Municipality.name)
        .outerjoin(Municipality, Municipality.id == WebhookEndpoint.municipality_id)
        .order_by(
            WebhookEndpoint.municipality_id.is_not(None), Municipality.name, WebhookEndpoint.id
        )
    )
    endpoints = db.session.execute(access.visible(stmt, current_user, model=WebhookEndpoint)).all()
    return render_template("webhooks/index.html", endpoints=endpoints, event_labels=EVENT_LABELS)


@bp.route("/ny", methods=["GET", "POST"])
@admits(WebhookEndpoint, "change")
def create():
    form = EndpointForm()
    if form.validate_on_submit():

        def create_and_offer() -> WebhookEndpoint:
            endpoint, _secret = services.create_endpoint(
                form.data_for_service(), actor=current_user
            )
            reveal.offer(endpoint, rotated=False)
            return endpoint

        ok, endpoint = commit_or_show(form, create_and_offer)
        if ok:
            return _to_secret_page(endpoint)
    return render_template("webhooks/form.html", form=form, endpoint=None)


@bp.route("/<int:endpoint_id>")
@admits(WebhookEndpoint)
def show(endpoint_id: int):
    endpoint = _endpoint(endpoint_id)
    stmt = access.visible(
        select(WebhookDelivery)
        .where(WebhookDelivery.endpoint_id == endpoint.id)
        .order_by(WebhookDelivery.created_at.desc(), WebhookDelivery.id.desc()),
        current_user,
    )
    page = paginate(
        stmt,
        request.args.get("page", 1, type=int),
        current_app.config["PAGE_SIZE"],
        {"endpoint_id": endpoint.id},
    )
    until = endpoint.previous_secret_until
    return render_template(
        "webhooks/show.html",
        endpoint=endpoint,
        page=page,
        event_labels=EVENT_LABELS,
        grace_until=until
        if endpoint.previous_secret_encrypted and until and until > utcnow()
        else None,
        may_change=access.allows(current_user, endpoint, "change"),
    )


@bp.route("/<int:endpoint_id>/rediger", methods=["GET", "POST"])
@admits(WebhookEndpoint, "change")
def edit(endpoint_id: int):
    endpoint = _endpoint(endpoint_id, "change")
    form = EndpointForm(obj=endpoint)
    if form.validate_on_submit():
        ok, _made = commit_or_show(
            form,
            lambda: services.update_endpoint(endpoint, form.data_for_service(), actor=current_user),
        )
        if ok:
            flash(_("Webhooken er gemt."), "success")
            return redirect(url_for(".show", endpoint_id=endpoint.id))
    return render_template("webhooks/form.html", form=form, endpoint=endpoint)


@bp.route("/<int:endpoint_id>/slet", methods=["GET", "POST"])
@admits(WebhookEndpoint, "change")
def delete(endpoint_id: int):
    endpoint = _endpoint(endpoint_id, "change")
    if request.method == "POST" and commit_or_flash(
        lambda: services.delete_endpoint(endpoint, actor=current_user)
    ):
        flash(_("Webhooken er slettet."), "success")
        return redirect(url_for(".index"))
    return render_template("webhooks/delete.html", endpoint=endpoint)


@bp.route("/<int:endpoint_id>/ny-noegle", methods=["POST"])
@admits(WebhookEndpoint, "change")
def rotate(endpoint_id: int):
    endpoint = _endpoint(endpoint_id, "change")
    services.rotate_secret(endpoint, actor=current_user)
    reveal.offer(endpoint, rotated=True)
    db.session.commit()
    return _to_secret_page(endpoint)


@bp.route("/<int:endpoint_id>/noegle")
@admits(WebhookEndpoint, "change")
def secret(endpoint_id: int):
    """The new secret, on this session's first view only; afterwards, that it was shown."""
    endpoint = _endpoint(endpoint_id, "change")
    shown, rotated = reveal.take(endpoint)
    db.session.commit()  # the one-time code is used up
    page = render_template("webhooks/secret.html", endpoint=endpoint, secret=shown, rotated=rotated)
    return _no_store(current_app.make_response(page))


@bp.route("/<int:endpoint_id>/test", methods=["POST"])
@admits(WebhookEndpoint, "change")
def send_test(endpoint_id: int):
    endpoint = _endpoint(endpoint_id, "change")
    if commit_or_flash(lambda: services.send_test(endpoint, actor=current_user)):
        flash(_("En testbesked er lagt i kø og sendes om et øjeblik."), "success")
    return redirect(url_for(".show", endpoint_id=endpoint.id))


@bp.route("/leveringer/<int:delivery_id>/send-igen", methods=["POST"])
@admits(WebhookDelivery, "change")
def send_again(delivery_id: int):
    delivery = access.get_visible_or_404(WebhookDelivery, delivery_id, current_user, "change")
    if commit_or_flash(lambda: services.send_again(delivery, actor=current_user)):
        flash(_("Leveringen sendes igen om et øjeblik."), "success")
    return redirect(url_for(".show", endpoint_id=delivery.endpoint_id))
