from __future__ import annotations

from urllib.parse import urlsplit

from flask import (
    Blueprint,
    current_app,
    flash,
    redirect,
    render_template,
    request,
    session,
    url_for,
)
from flask_babel import gettext as _
from flask_babel import ngettext
from flask_login import current_user, login_required, login_user, logout_user

from portal.auth import services
from portal.auth.forms import ChangePasswordForm, LoginForm
from portal.auth.models import Role
from portal.auth.sso.views import password_login_for_admins_only
from portal.db import db
from portal.i18n import LOCALES
from portal.web import commit_or_show

bp = Blueprint("auth", __name__)


def safe_next(target: str | None) -> str | None:
    """``target`` when it is a path on this site, else None (no open redirects)."""
    if not target or "\\" in target or any(ord(c) < 32 for c in target):
        return None
    parts = urlsplit(target)
    if parts.scheme or parts.netloc or not target.startswith("/") or target.startswith("//"):
        return None
    return target


def _throttle():
    return current_app.extensions["login_throttle"]


def _password_roles() -> frozenset | None:
    """Who may log in with a password: everyone, or operators only (``PASSWORD_LOGIN=admins``,
    where everyone else signs on with their organisation)."""
    return frozenset({Role.ADMIN}) if password_login_for_admins_only() else None


def _too_many(form, template: str, wait: int):
    form.form_errors.append(
        ngettext(
            "For mange mislykkede forsøg. Prøv igen om %(num)d sekund.",
            "For mange mislykkede forsøg. Prøv igen om %(num)d sekunder.",
            wait,
        )
    )
    return render_template(template, form=form), 429


@bp.route("/login", methods=["GET", "POST"])
def login():
    if current_user.is_authenticated:
        return redirect(url_for("home.index"))
    form = LoginForm()
    if form.validate_on_submit():
        address = request.remote_addr  # the client's, behind TRUSTED_PROXIES proxies
        wait = _throttle().attempt(form.email.data, address)
        if wait:
            return _too_many(form, "auth/login.html", wait)
        try:
            user = services.authenticate(
                form.email.data, form.password.data, ip=address, only_roles=_password_roles()
            )
        except services.PasswordLoginClosed as closed:
            db.session.commit()
            _throttle().failed(address)
            form.form_errors.append(closed.message)
            form.password.data = ""
            return render_template("auth/login.html", form=form), 403
        db.session.commit()
        if user is None:
            _throttle().failed(address)
            form.form_errors.append(_("Forkert e-mail eller adgangskode."))
            form.password.data = ""
            return render_template("auth/login.html", form=form), 200
        _throttle().succeeded(form.email.data, address)
        lang = services.language_at_login(user, session.get("lang"))
        db.session.commit()
        session.clear()  # a fresh session at login: nothing carried over from before
        if lang:
            session["lang"] = lang
        login_user(user, remember=form.remember.data)
        return redirect(safe_next(request.args.get("next")) or url_for("home.index"))
    return render_template("auth/login.html", form=form)


# What a user with a generated password may reach before choosing their own.
BEFORE_OWN_PASSWORD = {"auth.change_password", "auth.logout", "auth.set_language", "static"}


@bp.before_app_request
def _own_password_first():
    """A generated password is changed before anything else (it was handed over by someone)."""
    if (
        current_user.is_authenticated
        and current_user.must_change_password
        and request.endpoint not in BEFORE_OWN_PASSWORD
    ):
        flash(_("Vælg din egen adgangskode, før du går videre."), "info")
        return redirect(url_for("auth.change_password"))
    return None


@bp.route("/logout", methods=["POST"])
@login_required
def logout():
    from portal.auth.sso.oidc_logout import end_session_url
    from portal.auth.sso.saml.views import single_logout_url

    services.end_sessions(current_user)  # a copy of this session's cookie dies with it
    db.session.commit()
    kept = dict(session)
    logout_user()
    session.clear()
    flash(_("Du er logget ud."), "info")
    # came by SAML: the identity provider's single logout ends the other systems' sessions;
    # by OpenID Connect: the provider's end-session endpoint, where it has one
    return redirect(single_logout_url(kept) or end_session_url(kept) or url_for("auth.login"))


@bp.route("/konto/adgangskode", methods=["GET", "POST"])
@login_required
def change_password():
    form = ChangePasswordForm()
    if form.validate_on_submit():
        wait = _throttle().attempt_password_check(current_user.id)
        if wait:
            return _too_many(form, "auth/change_password.html", wait)
        ok, _saved = commit_or_show(
            form,
            lambda: services.change_own_password(current_user, form.current.data, form.new.data),
        )
        if ok:
            _throttle().password_check_succeeded(current_user.id)
            login_user(current_user._get_current_object())  # this session goes on, the others end
            flash(_("Din adgangskode er skiftet."), "success")
            return redirect(url_for("home.index"))
    return render_template("auth/change_password.html", form=form)


@bp.route("/sprog", methods=["POST"])
def set_language():
    lang = request.form.get("lang")
    if lang in LOCALES:
        session["lang"] = lang
        if current_user.is_authenticated:  # kept for the user's next login
            services.remember_language(current_user, lang)
            db.session.commit()
    return redirect(safe_next(request.form.get("next")) or url_for("home.index"))
