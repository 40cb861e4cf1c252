"""A person erased on request (GDPR article 17), by an admin or by the retention rule for
inactive users: their name and e-mail replaced wherever they appear — in their user, in
applications' contact fields, in the audit log's details, in e-mails kept in the outbox, in
any text a later table keeps — by a stand-in naming their role ("Slettet person
(Koordinator)"). What they decided and recorded stays, signed by the stand-in: a figure or a
grant decision does not disappear because the person who typed it left."""

from __future__ import annotations

import re
import secrets
from dataclasses import dataclass
from typing import Any

from flask_babel import force_locale
from flask_babel import lazy_gettext as _l
from sqlalchemy import Table, and_, select, update

from portal.audit import services as audit
from portal.auth.labels import role_label
from portal.auth.models import User
from portal.auth.services import hash_password
from portal.db import db
from portal.errors import NotAllowed
from portal.privacy.scan import (
    USERS,
    OnTable,
    Trace,
    needles_of,
    tables,
    text_columns,
    traces,
)

ERASED_DOMAIN = "slettet.invalid"


def is_erased(user: User) -> bool:
    return user.email.endswith("@" + ERASED_DOMAIN)


def stand_in(user: User) -> str:
    """The words that take the person's place: their role, never their name (Danish, as
    stored text is)."""
    with force_locale("da"):
        return f"Slettet person ({role_label(user.role)})"


@dataclass(frozen=True)
class Erased:
    rows: int  # rows changed outside the person's own user row
    tables: tuple[str, ...]


def erase_person(
    user: User, *, actor: User | None, reason: str = "request", on_table: OnTable | None = None
) -> Erased:
    """Erase ``user``'s personal data everywhere; flushes, the caller commits. ``actor`` None
    is the retention job. Searching every table of a national database takes seconds: the
    admin's erasure runs as a job (``privacy.jobs``), ``on_table`` moving its bar."""
    if actor is not None and actor.id == user.id:
        raise NotAllowed(_l("Du kan ikke slette dine egne persondata."))
    if is_erased(user):
        raise NotAllowed(_l("Personens data er allerede slettet."))
    needles = needles_of(user)
    words = stand_in(user)
    replacements = {needles[0]: f"slettet-{user.id}@{ERASED_DOMAIN}"}
    replacements.update({n: words for n in needles[1:]})
    every = traces(user, needles, on_table)
    found = [t for t in every if t.table != USERS.name]
    _replace_everywhere(every, replacements)
    db.session.expire_all()
    user = db.session.get(User, user.id)
    user.email = replacements[needles[0]]
    user.name = words
    user.password_hash = hash_password(secrets.token_urlsafe(32))  # nobody knows it
    user.active = False
    user.language = None
    user.last_login_at = None
    user.session_generation = (user.session_generation or 0) + 1  # every session ends
    db.session.flush()
    audit.record(
        "person_erased",
        actor=actor,
        obj=user,
        municipality_id=user.municipality_id,
        reason=reason,
        rows=len(found),
    )
    return Erased(len(found), tuple(sorted({t.table for t in found})))


def _replace_everywhere(every: list[Trace], replacements: dict[str, str]) -> None:
    """Each trace's text columns rewritten with the needles replaced (case-insensitively);
    JSON values walked, keys and values alike."""
    pattern = _pattern(replacements)
    found = {(t.table, t.key) for t in every}
    for table in tables():
        keys = [key for name, key in found if name == table.name]
        if not keys:
            continue
        columns = text_columns(table)
        for key in keys:
            row = db.session.execute(select(table).where(_by_key(table, key))).mappings().one()
            new = {c.name: _replaced(row[c.name], pattern, replacements) for c in columns}
            changed = {name: v for name, v in new.items() if v != row[name]}
            if changed:
                db.session.execute(update(table).where(_by_key(table, key)).values(**changed))


def _by_key(table: Table, key: tuple[Any, ...]):
    return and_(*(c == v for c, v in zip(table.primary_key.columns, key, strict=True)))


def _pattern(replacements: dict[str, str]) -> re.Pattern[str]:
    forms = sorted(replacements, key=len, reverse=True)  # the e-mail before a name inside it
    return re.compile("|".join(re.escape(f) for f in forms), re.IGNORECASE)


def _replaced(value: Any, pattern: re.Pattern[str], replacements: dict[str, str]) -> Any:
    lowered = {k.lower(): v for k, v in replacements.items()}
    if isinstance(value, str):
        return pattern.sub(lambda m: lowered[m.group(0).lower()], value)
    if isinstance(value, dict):
        return {
            _replaced(k, pattern, replacements): _replaced(v, pattern, replacements)
            for k, v in value.items()
        }
    if isinstance(value, list):
        return [_replaced(v, pattern, replacements) for v in value]
    return value


__all__ = ["Erased", "erase_person", "is_erased", "stand_in"]
