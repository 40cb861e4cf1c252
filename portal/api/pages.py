"""The portal's pages for API tokens (``/api-noegler/``): make one (name, scopes, expiry;
its secret shown once), list them with their last use and address, revoke one (confirmed);
and how to post a month of figures with curl."""

from __future__ import annotations

from flask import Blueprint, flash, redirect, render_template, request, url_for
from flask_babel import lazy_gettext as _l
from flask_login import current_user
from flask_wtf import FlaskForm
from wtforms import SelectField, SelectMultipleField, StringField, widgets
from wtforms.validators import Length

from portal import access
from portal.access import admits
from portal.api import tokens
from portal.api.models import ApiToken
from portal.db import db
from portal.errors import PortalError

bp = Blueprint("api_tokens", __name__, url_prefix="/api-noegler")


class TokenForm(FlaskForm):
    name = StringField(_l("Navn"), validators=[Length(max=tokens.MAX_NAME)])
    scopes = SelectMultipleField(
        _l("Adgang"),
        widget=widgets.ListWidget(prefix_label=False),
        option_widget=widgets.CheckboxInput(),
    )
    expires = SelectField(
        _l("Udløber"),
        choices=[
            ("30", _l("om 30 dage")),
            ("90", _l("om 90 dage")),
            ("365", _l("om et år")),
            ("", _l("aldrig (men efter et år uden brug)")),
        ],
        default="365",
    )


def _form() -> TokenForm:
    form = TokenForm()
    form.scopes.choices = [(s, tokens.SCOPE_LABELS[s]) for s in tokens.allowed_scopes(current_user)]
    return form


def _page(form: TokenForm, issued=None, status: int = 200):
    rows = [(t, tokens.state(t), tokens.expires_on(t)) for t in tokens.listing(current_user)]
    return render_template("api/tokens.html", form=form, rows=rows, issued=issued), status


@bp.route("/", methods=["GET", "POST"])
@admits(ApiToken, "change")
def index():
    form = _form()
    if request.method == "GET":
        form.scopes.data = [c[0] for c in form.scopes.choices][:1]
        return _page(form)
    if form.validate_on_submit():
        try:
            issued = tokens.issue(
                current_user,
                form.name.data,
                form.scopes.data,
                int(form.expires.data) if form.expires.data else None,
            )
        except PortalError as error:
            db.session.rollback()
            target = getattr(form, error.field or "", None)
            if target is not None:
                target.errors = [*target.errors, error.message]
            else:
                form.form_errors.append(error.message)
        else:
            db.session.commit()
            return _page(_form(), issued, 201)
    return _page(form, status=400)


@bp.route("/<int:token_id>/tilbagekald", methods=["POST"])
@admits(ApiToken, "change")
def revoke(token_id: int):
    token = access.get_visible_or_404(ApiToken, token_id, current_user, "change")
    tokens.revoke(token, actor=current_user)
    db.session.commit()
    flash(_l("Nøglen %(name)s er tilbagekaldt.", name=token.name), "success")
    return redirect(url_for(".index"), code=303)


@bp.route("/vejledning")
@admits(ApiToken, "change")
def guide():
    return render_template("api/guide.html")
