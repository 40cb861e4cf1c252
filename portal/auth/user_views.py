from flask import Blueprint, current_app, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user

from portal.auth import services
from portal.auth.admin_forms import (
    NewUserForm,
    PasswordForm,
    UserFilterForm,
    UserForm,
    municipality_choices,
)
from portal.auth.models import Role, User
from portal.auth.permissions import role_required
from portal.db import db
from portal.errors import PortalError
from portal.municipalities.services import active_municipalities
from portal.pagination import apply_sort, paginate
from portal.web import show_error

bp = Blueprint("users", __name__, url_prefix="/admin/brugere")


def _user_or_404(user_id: int) -> User:
    return db.get_or_404(User, user_id)


def _with_municipalities(form, empty: str):
    form.municipality_id.choices = municipality_choices(active_municipalities(), empty)
    return form


def _user_data(form: UserForm, active: bool | None = None) -> services.UserData:
    """The form's user; ``active`` only changes through the (de)activate buttons once created."""
    return services.UserData(
        email=form.email.data,
        name=form.name.data,
        role=Role(form.role.data),
        municipality_id=form.selected_municipality(),
        active=form.active.data if active is None else active,
    )


@bp.route("/")
@role_required(Role.ADMIN)
def index():
    filters = UserFilterForm(request.args)
    municipalities = active_municipalities()
    filters.municipality.choices = municipality_choices(municipalities, _("Alle kommuner"))
    municipality = request.args.get("municipality", type=int)
    stmt = services.user_listing(filters.q.data or "", filters.role.data or "", municipality)
    stmt, sort = apply_sort(stmt, request.args.get("sort"), services.USER_SORTS, "name")
    page = paginate(
        stmt,
        request.args.get("page", 1, type=int),
        current_app.config["PAGE_SIZE"],
        request.args.to_dict(),
    )
    return render_template("admin/users.html", page=page, filters=filters, sort=sort)


@bp.route("/ny", methods=["GET", "POST"])
@role_required(Role.ADMIN)
def new():
    form = _with_municipalities(NewUserForm(), _("Ingen kommune"))
    if form.validate_on_submit():
        password = form.password.data or services.temporary_password()
        try:
            user = services.create_user(_user_data(form), password, actor=current_user)
        except PortalError as error:
            db.session.rollback()
            show_error(form, error)
        else:
            db.session.commit()
            if form.password.data:
                flash(_("Brugeren %(email)s er oprettet.", email=user.email), "success")
            else:
                flash(
                    _(
                        "Brugeren %(email)s er oprettet med den midlertidige adgangskode %(password)s – giv den videre nu; den vises ikke igen.",
                        email=user.email,
                        password=password,
                    ),
                    "success",
                )
            return redirect(url_for(".index"))
    return render_template("admin/user_form.html", form=form, user=None)


@bp.route("/<int:user_id>", methods=["GET", "POST"])
@role_required(Role.ADMIN)
def edit(user_id: int):
    user = _user_or_404(user_id)
    form = _with_municipalities(UserForm(obj=user), _("Ingen kommune"))
    if request.method == "GET":
        form.role.data = user.role.value
        form.municipality_id.data = str(user.municipality_id or "")
        form.version.data = str(user.version)
    elif form.validate():
        try:
            services.update_user(
                user,
                _user_data(form, user.active),
                actor=current_user,
                version=form.loaded_version(),
            )
        except PortalError as error:
            db.session.rollback()
            show_error(form, error)
        else:
            db.session.commit()
            flash(_("Ændringerne er gemt."), "success")
            return redirect(url_for(".index"))
    return render_template(
        "admin/user_form.html", form=form, user=user, password_form=PasswordForm()
    )


@bp.route("/<int:user_id>/adgangskode", methods=["POST"])
@role_required(Role.ADMIN)
def reset_password(user_id: int):
    user = _user_or_404(user_id)
    form = PasswordForm()
    if form.validate_on_submit():
        password = form.password.data or services.temporary_password()
        try:
            services.set_password(user, password, actor=current_user)
        except PortalError as error:
            db.session.rollback()
            flash(error.message, "error")
        else:
            db.session.commit()
            if form.password.data:
                flash(_("Adgangskoden til %(email)s er skiftet.", email=user.email), "success")
            else:
                flash(
                    _(
                        "Ny midlertidig adgangskode til %(email)s: %(password)s – giv den videre nu; den vises ikke igen.",
                        email=user.email,
                        password=password,
                    ),
                    "success",
                )
    return redirect(url_for(".edit", user_id=user.id))


@bp.route("/<int:user_id>/aktiv", methods=["POST"])
@role_required(Role.ADMIN)
def set_active(user_id: int):
    user = _user_or_404(user_id)
    active = request.form.get("active") == "1"
    try:
        services.set_active(user, active, actor=current_user)
    except PortalError as error:
        db.session.rollback()
        flash(error.message, "error")
    else:
        db.session.commit()
        message = (
            _("%(email)s kan nu logge ind.")
            if active
            else _("%(email)s er deaktiveret og kan ikke længere logge ind.")
        )
        flash(message % {"email": user.email}, "success")
    return redirect(url_for(".edit", user_id=user.id))
