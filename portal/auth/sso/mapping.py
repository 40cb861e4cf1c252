"""The one mapping from a verified external identity to a portal user (SAML and OpenID
Connect alike).

- The organisation is the CVR: KL's own (``SSO_NATIONAL_CVR``) gives national roles, any
  other must be an active municipality of the register (its CVR column).
- The role comes from the provider's role names through ``SSO_ROLE_MAP`` (the first mapped
  name in the table's order wins); where the provider sends none, the role an admin gave an
  existing user stays. Roles the provider sends that the table does not know refuse the
  login: the municipality assigned something the portal cannot honour.
- A role must fit the organisation: coordinators are KL's, a municipal user needs a
  municipality, a regional consultant a region (from the table, else the municipality's).
- The first login creates the user (just in time) only for a known organisation and a
  mapped role; every later login applies what the provider says now, and each change is
  audited. A deactivated user stays out. Every refusal is audited and creates nothing.

``admit`` flushes; the caller commits (also after a refusal, so its audit line is kept).
"""

from __future__ import annotations

import secrets
from dataclasses import dataclass

from flask import current_app
from flask_babel import lazy_gettext as _l
from sqlalchemy import select, update
from sqlalchemy.orm.attributes import set_committed_value

from portal.audit import services as audit
from portal.auth.models import Role, User
from portal.auth.services import find_user_by_email, normalise_email
from portal.auth.sso.identity import ExternalIdentity, Refused
from portal.auth.sso.models import ExternalLogin
from portal.auth.sso.settings import Grant, parse_role_map
from portal.db import db, utcnow
from portal.municipalities.models import Municipality

# Roles that belong to KL (national) and never to a municipality.
NATIONAL_ONLY = frozenset({Role.COORDINATOR, Role.ADMIN})


@dataclass(frozen=True)
class Placement:
    """Where the provider puts the person: role, municipality and region."""

    role: Role
    municipality_id: int | None
    region: str | None


def admit(identity: ExternalIdentity, *, ip: str | None = None) -> User:
    """The portal user this identity is, created or brought up to date; raises ``Refused``
    (after recording it in the audit log) when the person may not log in."""
    try:
        return _admit(identity, ip)
    except Refused as refused:
        record_refusal(refused, identity, ip=ip)
        raise


def record_refusal(
    refused: Refused, identity: ExternalIdentity | None = None, *, ip: str | None = None
) -> None:
    """The audit line of a refused single sign-on (from the mapping or a protocol check)."""
    who = {}
    if identity is not None:
        who = {
            "protocol": identity.protocol,
            "issuer": identity.issuer[:500],
            "subject": identity.subject[:500],
            "cvr": identity.cvr,
            "roles": list(identity.roles)[:20],
        }
        if identity.email:
            who["email"] = normalise_email(identity.email)[:254]
    audit.record(
        "sso_refused",
        ip=ip,
        municipality_id=refused.details.get("municipality_id"),
        code=refused.code,
        **who,
        **{k: v for k, v in refused.details.items() if k != "municipality_id"},
    )


def _admit(identity: ExternalIdentity, ip: str | None) -> User:
    link = db.session.scalar(
        select(ExternalLogin).where(
            ExternalLogin.issuer == identity.issuer, ExternalLogin.subject == identity.subject
        )
    )
    user = link.user if link is not None else None
    if user is not None and not user.active:
        raise Refused(
            code="deactivated",
            reason=_l("Din bruger i portalen er deaktiveret. Kontakt portalens administrator."),
            municipality_id=user.municipality_id,
        )
    if user is None:
        # an existing user (made by an admin) with this e-mail may be this person
        known = find_user_by_email(identity.email) if identity.email else None
        placement = place(identity, current=known)
        if known is not None:
            user = _linkable(known, identity, placement)
        else:
            user = _create(identity, placement)
        link = ExternalLogin(
            user=user,
            protocol=identity.protocol,
            issuer=identity.issuer,
            subject=identity.subject,
        )
        db.session.add(link)
        db.session.flush()
        audit.record(
            "sso_linked",
            obj=user,
            ip=ip,
            municipality_id=user.municipality_id,
            protocol=identity.protocol,
            issuer=identity.issuer,
        )
    else:
        placement = place(identity, current=user)
    _bring_up_to_date(user, identity, placement, ip)
    now = utcnow()
    link.last_login_at = now
    # a login is not an edit: no version lock (as for passwords, auth.services)
    db.session.execute(update(User).where(User.id == user.id).values(last_login_at=now))
    set_committed_value(user, "last_login_at", now)
    db.session.flush()
    return user


def logins_of(user: User) -> list[ExternalLogin]:
    """The provider identities a user logs in with (for the admin's user page)."""
    return list(
        db.session.scalars(
            select(ExternalLogin)
            .where(ExternalLogin.user_id == user.id)
            .order_by(ExternalLogin.created_at)
        )
    )


def role_map() -> dict[str, Grant]:
    return parse_role_map(current_app.config.get("SSO_ROLE_MAP"))


def place(identity: ExternalIdentity, *, current: User | None = None) -> Placement:
    """Role, municipality and region for this identity, or ``Refused`` saying what is missing."""
    cvr = (identity.cvr or "").strip()
    if not cvr:
        raise Refused(
            code="missing_cvr",
            reason=_l("Din organisation har ikke oplyst sit CVR-nummer ved login."),
        )
    national = cvr == current_app.config.get("SSO_NATIONAL_CVR")
    municipality = None
    if not national:
        municipality = db.session.scalar(
            select(Municipality).where(Municipality.cvr == cvr, Municipality.active)
        )
        if municipality is None:
            raise Refused(
                code="unknown_cvr",
                reason=_l(
                    "Din organisation (CVR %(cvr)s) er ikke en kommune i portalens kommuneregister.",
                    cvr=cvr,
                ),
            )
    grant = _grant(identity, current, municipality)
    return _fit(grant, municipality, national)


def _grant(identity: ExternalIdentity, current: User | None, municipality) -> Grant:
    table = role_map()
    held = set(identity.roles)
    for name, grant in table.items():
        if name in held:
            return grant
    where = {"municipality_id": getattr(municipality, "id", None)}
    if identity.roles:
        raise Refused(
            code="unmapped_role",
            reason=_l(
                "Din organisation har givet dig roller, som portalen ikke kender: %(roles)s. "
                "Bed din organisations administrator om en af portalens roller.",
                roles=", ".join(identity.roles[:5]),
            ),
            **where,
        )
    if current is None:
        raise Refused(
            code="no_role",
            reason=_l(
                "Du har ingen rolle i Skaleringsportalen. Bed din organisations administrator "
                "om at tildele dig en af portalens roller (brugersystemroller)."
            ),
            **where,
        )
    return Grant(current.role, current.region)  # none came: the role an admin gave stays


def _fit(grant: Grant, municipality: Municipality | None, national: bool) -> Placement:
    where = {"municipality_id": getattr(municipality, "id", None)}
    if national and grant.role == Role.MUNICIPAL:
        raise Refused(
            code="role_needs_municipality",
            reason=_l("Rollen som kommunal projektleder kræver, at du logger ind fra en kommune."),
        )
    if not national and grant.role in NATIONAL_ONLY:
        raise Refused(
            code="role_is_national",
            reason=_l("Rollen som koordinator gives kun til KL's egne medarbejdere."),
            **where,
        )
    if grant.role != Role.REGIONAL:
        return Placement(grant.role, getattr(municipality, "id", None), None)
    region = grant.region or getattr(municipality, "region", None)
    known = region and db.session.scalar(
        select(Municipality.id).where(Municipality.region == region).limit(1)
    )
    if not known:
        raise Refused(
            code="no_region",
            reason=_l("Rollen som regional konsulent kræver en region, som portalen kender."),
            **where,
        )
    return Placement(Role.REGIONAL, None, region)


def _linkable(user: User, identity: ExternalIdentity, placement: Placement) -> User:
    """The existing user with this identity's e-mail, when it may be linked to it: same
    organisation, not an operator, and not yet linked at this provider; else ``Refused``."""
    where = {"municipality_id": placement.municipality_id}
    if not user.active:
        raise Refused(
            code="deactivated",
            reason=_l("Din bruger i portalen er deaktiveret. Kontakt portalens administrator."),
            **where,
        )
    linked_here = db.session.scalar(
        select(ExternalLogin.id).where(
            ExternalLogin.user_id == user.id, ExternalLogin.issuer == identity.issuer
        )
    )
    if user.role == Role.ADMIN or linked_here or user.municipality_id != placement.municipality_id:
        raise Refused(
            code="email_in_use",
            reason=_l(
                "E-mailadressen %(email)s bruges allerede af en anden bruger i portalen. "
                "Kontakt portalens administrator.",
                email=user.email,
            ),
            **where,
        )
    return user


def _create(identity: ExternalIdentity, placement: Placement) -> User:
    email = normalise_email(identity.email or "")
    if not email or "@" not in email or len(email) > 254:
        raise Refused(
            code="missing_email",
            reason=_l("Din organisation har ikke oplyst din e-mailadresse ved login."),
            municipality_id=placement.municipality_id,
        )
    user = User(
        email=email,
        name=(identity.name or "").strip()[:150] or email.split("@")[0],
        role=placement.role,
        municipality_id=placement.municipality_id,
        region=placement.region,
        active=True,
        # no password: "!" is no Argon2 hash, so no password ever matches it
        password_hash=f"!sso:{secrets.token_hex(16)}",
    )
    db.session.add(user)
    db.session.flush()
    audit.record(
        "user_created",
        obj=user,
        municipality_id=user.municipality_id,
        role=str(user.role),
        email=user.email,
        protocol=identity.protocol,
    )
    return user


def _bring_up_to_date(
    user: User, identity: ExternalIdentity, placement: Placement, ip: str | None
) -> None:
    """What the provider says now wins: role, municipality and region (and the name)."""
    before = _snapshot(user)
    user.role = placement.role
    user.municipality_id = placement.municipality_id
    user.region = placement.region
    name = (identity.name or "").strip()[:150]
    if name:
        user.name = name
    diff = audit.changes(before, _snapshot(user))
    if diff:
        db.session.flush()
        db.session.expire(user, ["municipality"])
        audit.record(
            "user_updated",
            obj=user,
            ip=ip,
            municipality_id=user.municipality_id,
            changes=diff,
            protocol=identity.protocol,
        )


def _snapshot(user: User) -> dict:
    return {
        "name": user.name,
        "role": str(user.role),
        "municipality_id": user.municipality_id,
        "region": user.region,
    }
