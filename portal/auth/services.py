"""Accounts: creating and changing users, checking passwords, recording logins."""

from __future__ import annotations

import secrets
from dataclasses import dataclass

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError
from flask_babel import lazy_gettext as _l
from sqlalchemy import Select, case, func, select, update
from sqlalchemy.orm.attributes import set_committed_value

from portal import access
from portal.audit import services as audit
from portal.auth.labels import ROLE_LABELS
from portal.auth.models import (
    MUNICIPALITY_OPTIONAL,
    MUNICIPALITY_REQUIRED,
    REGION_REQUIRED,
    Role,
    User,
)
from portal.db import db, utcnow, valid_id
from portal.errors import Conflict, InvalidInput, PortalError
from portal.i18n import LOCALES
from portal.municipalities.models import Municipality

_hasher = PasswordHasher()
MIN_PASSWORD_LENGTH = 10
# Verified against when the e-mail is unknown, so both failures take the same time.
_DUMMY_HASH = _hasher.hash(secrets.token_hex(16))


def use_fast_hashing() -> None:
    """Cheap Argon2 parameters, for the test suite only: every login there hashes."""
    global _hasher, _DUMMY_HASH
    _hasher = PasswordHasher(time_cost=1, memory_cost=1024, parallelism=1)
    _DUMMY_HASH = _hasher.hash(secrets.token_hex(16))


def hash_password(password: str) -> str:
    return _hasher.hash(password)


def check_password(user_hash: str, password: str) -> bool:
    try:
        return _hasher.verify(user_hash, password)
    except (VerificationError, InvalidHashError):
        return False


def normalise_email(email: str) -> str:
    return email.strip().lower()


def find_user_by_email(email: str) -> User | None:
    return db.session.scalar(select(User).where(User.email == normalise_email(email)))


class PasswordLoginClosed(PortalError):
    """The password was right, but passwords are for operators only (``PASSWORD_LOGIN=admins``)."""


def authenticate(
    email: str, password: str, *, ip: str | None = None, only_roles: frozenset | None = None
) -> User | None:
    """The active user with this e-mail and password, or None; both outcomes are audited.

    An unknown e-mail, a wrong password and a deactivated account look the same to the
    caller, so the login page cannot be used to find out which accounts exist. With
    ``only_roles`` a right password of another role raises ``PasswordLoginClosed``.
    """
    user = find_user_by_email(email)
    ok = check_password(user.password_hash if user else _DUMMY_HASH, password)
    if user is None or not ok or not user.active:
        audit.record(
            "login_failed",
            actor=user,
            ip=ip,
            email=normalise_email(email)[:254],
            municipality_id=getattr(user, "municipality_id", None),
        )
        return None
    if only_roles is not None and user.role not in only_roles:
        audit.record(
            "login_failed",
            actor=user,
            ip=ip,
            email=user.email,
            municipality_id=user.municipality_id,
            code="password_login_admins",
        )
        raise PasswordLoginClosed(
            _l(
                "Adgangskoder bruges kun af portalens administratorer. "
                "Log ind med din organisation i stedet."
            )
        )
    _record_login_time(user)
    audit.record("login", actor=user, obj=user, ip=ip, municipality_id=user.municipality_id)
    return user


def end_sessions(user: User) -> None:
    """Logging out ends the session on the server: every session token of the user changes,
    so a cookie copied before the logout no longer works. Not an edit: no version bump."""
    db.session.execute(
        update(User)
        .where(User.id == user.id)
        .values(session_generation=User.session_generation + 1)
    )


def _record_login_time(user: User) -> None:
    """A login is not an edit: the time is written without the version lock, so parallel
    logins of one account (and an admin editing it meanwhile) never conflict."""
    now = utcnow()
    db.session.execute(update(User).where(User.id == user.id).values(last_login_at=now))
    set_committed_value(user, "last_login_at", now)


def language_at_login(user: User, chosen: str | None) -> str | None:
    """The language to use after login: one chosen just now on the login page (kept for next
    time), else the one the user chose last. Flushes only."""
    if chosen in LOCALES:
        remember_language(user, chosen)
        return chosen
    return user.language if user.language in LOCALES else None


def remember_language(user: User, language: str) -> None:
    """Keep the user's language choice for their next login. Flushes only."""
    if language in LOCALES and user.language != language:
        # like the login time: a preference, not an edit, so no version lock to trip
        db.session.execute(update(User).where(User.id == user.id).values(language=language))
        set_committed_value(user, "language", language)


@dataclass
class UserData:
    email: str
    name: str
    role: Role
    municipality_id: int | None = None
    active: bool = True
    region: str | None = None


def _check_user_data(data: UserData, *, existing: User | None = None) -> None:
    email = normalise_email(data.email)
    if not email or "@" not in email:
        raise InvalidInput(_l("Angiv en gyldig e-mailadresse."), field="email")
    other = find_user_by_email(email)
    if other is not None and other is not existing:
        raise InvalidInput(
            _l("Der findes allerede en bruger med denne e-mailadresse."), field="email"
        )
    if not data.name.strip():
        raise InvalidInput(_l("Angiv et navn."), field="name")
    if data.role in MUNICIPALITY_REQUIRED and data.municipality_id is None:
        raise InvalidInput(
            _l("En kommunal bruger skal høre til en kommune."), field="municipality_id"
        )
    if (
        data.role not in MUNICIPALITY_REQUIRED | MUNICIPALITY_OPTIONAL
        and data.municipality_id is not None
    ):
        raise InvalidInput(
            _l("Koordinatorer og administratorer hører ikke til en kommune."),
            field="municipality_id",
        )
    if (
        data.municipality_id is not None
        and db.session.get(Municipality, data.municipality_id) is None
    ):
        raise InvalidInput(_l("Ukendt kommune."), field="municipality_id")
    _check_region(data)


def _check_region(data: UserData) -> None:
    """A regional consultant follows one region of the register; no other role has one."""
    if data.role not in REGION_REQUIRED:
        data.region = None
        return
    if not data.region:
        raise InvalidInput(_l("En regional konsulent skal have en region."), field="region")
    known = db.session.scalar(
        select(Municipality.id).where(Municipality.region == data.region).limit(1)
    )
    if known is None:
        raise InvalidInput(_l("Ukendt region."), field="region")


def check_password_strength(password: str, field: str = "password") -> None:
    if len(password) < MIN_PASSWORD_LENGTH:
        raise InvalidInput(
            _l("Adgangskoden skal være på mindst %(n)d tegn.", n=MIN_PASSWORD_LENGTH), field=field
        )


def create_user(
    data: UserData, password: str, *, actor: User | None = None, temporary: bool = False
) -> User:
    """A new account; a ``temporary`` (generated) password must be changed at first login."""
    _check_user_data(data)
    check_password_strength(password)
    user = User(
        email=normalise_email(data.email),
        name=data.name.strip(),
        role=data.role,
        municipality_id=data.municipality_id,
        region=data.region,
        active=data.active,
        password_hash=hash_password(password),
        must_change_password=temporary,
    )
    db.session.add(user)
    db.session.flush()
    audit.record(
        "user_created",
        actor=actor,
        obj=user,
        municipality_id=user.municipality_id,
        role=str(user.role),
        email=user.email,
    )
    return user


def _snapshot(user: User) -> dict:
    return {
        "email": user.email,
        "name": user.name,
        "role": str(user.role),
        "municipality_id": user.municipality_id,
        "region": user.region,
        "active": user.active,
    }


def update_user(user: User, data: UserData, *, actor: User, version: int | None = None) -> User:
    """Change a user's details; ``version`` is the one the editor loaded (optimistic lock)."""

    if version is not None and version != user.version:
        raise Conflict(
            _l("Brugeren er ændret af en anden, siden du åbnede den. Indlæs siden igen.")
        )
    _check_user_data(data, existing=user)
    if user.id == actor.id and (data.role != user.role or not data.active):
        raise InvalidInput(
            _l("Du kan ikke ændre din egen rolle eller deaktivere dig selv."), field="role"
        )
    before = _snapshot(user)
    user.email = normalise_email(data.email)
    user.name = data.name.strip()
    user.role = data.role
    user.municipality_id = data.municipality_id
    user.region = data.region
    user.active = data.active
    db.session.flush()
    diff = audit.changes(before, _snapshot(user))
    if diff:
        audit.record(
            "user_updated",
            actor=actor,
            obj=user,
            municipality_id=user.municipality_id,
            changes=diff,
        )
    return user


def set_password(user: User, password: str, *, actor: User | None, temporary: bool = False) -> None:
    """An admin sets a user's password; a ``temporary`` one must be changed at next login."""
    check_password_strength(password)
    user.password_hash = hash_password(password)
    user.must_change_password = temporary
    audit.record("password_reset", actor=actor, obj=user, municipality_id=user.municipality_id)


def user_listing(search: str = "", role: str = "", municipality_id: int | None = None) -> Select:
    """Users matching a free-text search on name and e-mail, a role and a municipality.

    The municipality is outer-joined so the list can sort by its name; ``%`` and ``_`` in
    the search are plain characters, not wildcards.
    """
    stmt = select(User).outerjoin(Municipality, User.municipality_id == Municipality.id)
    typed = search.strip()
    if typed:
        # SQLite's lower() knows only ASCII, so "Ærø" is also looked for as typed.
        stmt = stmt.where(
            func.lower(User.name).contains(typed.lower(), autoescape=True)
            | User.name.contains(typed, autoescape=True)
            | User.email.contains(typed.lower(), autoescape=True)
        )
    if role in {r.value for r in Role}:
        stmt = stmt.where(User.role == Role(role))
    if valid_id(municipality_id):
        stmt = stmt.where(access.belonging_to(User, municipality_id))
    return stmt


def user_sorts() -> dict:
    """The list's sort keys; roles sort by their label in the user's language, not the code."""
    by_label = sorted(ROLE_LABELS, key=lambda r: str(ROLE_LABELS[r]).lower())
    return {
        "name": func.lower(User.name),
        "email": User.email,
        "role": case({r: n for n, r in enumerate(by_label)}, value=User.role),
        "municipality": Municipality.name,
        "active": User.active,
        "last_login": User.last_login_at,
    }


def temporary_password() -> str:
    """A password to hand over once; the user changes it (14 characters, no look-alikes)."""
    alphabet = "abcdefghjkmnpqrstuvwxyzABCDEFGHJKLMNPQRSTUVWXYZ23456789"
    return "".join(secrets.choice(alphabet) for _ in range(14))


def set_active(user: User, active: bool, *, actor: User) -> None:
    if user.id == actor.id and not active:
        raise InvalidInput(_l("Du kan ikke deaktivere dig selv."))
    if user.active != active:
        user.active = active
        audit.record(
            "user_activated" if active else "user_deactivated",
            actor=actor,
            obj=user,
            municipality_id=user.municipality_id,
        )


def change_own_password(user: User, current: str, new: str) -> None:
    """A user changes their own password, proving the current one first."""
    if not check_password(user.password_hash, current):
        raise InvalidInput(_l("Den nuværende adgangskode er forkert."), field="current")
    if current == new:
        raise InvalidInput(
            _l("Den nye adgangskode skal være en anden end den nuværende."), field="new"
        )
    check_password_strength(new, field="new")
    user.password_hash = hash_password(new)
    user.must_change_password = False
    audit.record("password_changed", actor=user, obj=user, municipality_id=user.municipality_id)
