from flask import (
    Blueprint,
    current_app,
    flash,
    make_response,
    redirect,
    render_template,
    request,
    url_for,
)
from flask_babel import gettext as _
from flask_login import current_user

from portal import access
from portal.access import admits
from portal.auth import services
from portal.auth.admin_forms import (
    NewUserForm,
    PasswordForm,
    UserFilterForm,
    UserForm,
    municipality_choices,
    region_choices,
)
from portal.auth.models import User
from portal.auth.sso.mapping import logins_of
from portal.municipalities.services import active_municipalities, regions
from portal.pagination import apply_sort, paginate
from portal.web import commit_or_flash, commit_or_show

bp = Blueprint("users", __name__, url_prefix="/admin/brugere")


LIST_ARGS = ("q", "role", "municipality", "sort")


def _with_municipalities(form, user: User | None = None):
    form.municipality_id.choices = municipality_choices(
        active_municipalities(), _("Ingen kommune"), current=user.municipality if user else None
    )
    form.region.choices = region_choices(regions(), _("Ingen region"))
    return form


def _password_set(user: User, typed: bool, password: str, back: str):
    """A typed password is never echoed. A generated one is shown on this response page only
    (not in a flash message, which would travel in the readable session cookie), and the user
    must choose a new one at first login."""
    if typed:
        flash(_("Adgangskoden til %(email)s er sat.", email=user.email), "success")
        return redirect(back)
    response = make_response(
        render_template("admin/temporary_password.html", user=user, password=password, back=back)
    )
    response.headers["Cache-Control"] = "no-store"
    return response


@bp.route("/")
@admits(User)
def index():
    filters = UserFilterForm(request.args)
    filters.municipality.choices = municipality_choices(active_municipalities(), _("Alle kommuner"))
    stmt = access.visible(
        services.user_listing(
            filters.q.data or "",
            filters.role.data or "",
            request.args.get("municipality", type=int),
        ),
        current_user,
    )
    stmt, sort = apply_sort(stmt, request.args.get("sort"), services.user_sorts(), "name")
    page = paginate(
        stmt,
        request.args.get("page", 1, type=int),
        current_app.config["PAGE_SIZE"],
        request.args.to_dict(),
        keep=LIST_ARGS,
    )
    return render_template("admin/users.html", page=page, filters=filters, sort=sort)


@bp.route("/ny", methods=["GET", "POST"])
@admits(User, "change")
def new():
    form = _with_municipalities(NewUserForm())
    if form.validate_on_submit():
        typed = bool(form.password.data)
        password = form.password.data or services.temporary_password()
        ok, user = commit_or_show(
            form,
            lambda: services.create_user(
                form.user_data(), password, actor=current_user, temporary=not typed
            ),
        )
        if ok:
            flash(_("Brugeren %(email)s er oprettet.", email=user.email), "success")
            return _password_set(user, typed, password, url_for(".index"))
    return render_template("admin/user_form.html", form=form, user=None)


@bp.route("/<int:user_id>", methods=["GET", "POST"])
@admits(User, "change")
def edit(user_id: int):
    user = access.get_visible_or_404(User, user_id, current_user, "change")
    form = _with_municipalities(UserForm(obj=user), user)
    if request.method == "GET":
        form.fill_from(user)
    elif form.validate():
        ok, _saved = commit_or_show(
            form,
            lambda: services.update_user(
                user,
                form.user_data(active=user.active),
                actor=current_user,
                version=form.loaded_version(),
            ),
        )
        if ok:
            flash(_("Ændringerne er gemt."), "success")
            return redirect(url_for(".index"))
    return render_template(
        "admin/user_form.html",
        form=form,
        user=user,
        password_form=PasswordForm(),
        external_logins=logins_of(user),
    )


@bp.route("/<int:user_id>/adgangskode", methods=["POST"])
@admits(User, "change")
def reset_password(user_id: int):
    user = access.get_visible_or_404(User, user_id, current_user, "change")
    form = PasswordForm()
    if form.validate_on_submit():
        typed = bool(form.password.data)
        password = form.password.data or services.temporary_password()
        if commit_or_flash(
            lambda: services.set_password(user, password, actor=current_user, temporary=not typed)
        ):
            return _password_set(user, typed, password, url_for(".edit", user_id=user.id))
    return redirect(url_for(".edit", user_id=user.id))


@bp.route("/<int:user_id>/aktiv", methods=["POST"])
@admits(User, "change")
def set_active(user_id: int):
    user = access.get_visible_or_404(User, user_id, current_user, "change")
    active = request.form.get("active") == "1"
    if commit_or_flash(lambda: services.set_active(user, active, actor=current_user)):
        if active:
            flash(_("%(email)s kan nu logge ind.", email=user.email), "success")
        else:
            flash(
                _("%(email)s er deaktiveret og kan ikke længere logge ind.", email=user.email),
                "success",
            )
    return redirect(url_for(".edit", user_id=user.id))
