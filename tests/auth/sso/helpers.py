"""Shared pieces of the single sign-on tests: the role table and identities."""

from __future__ import annotations

from portal.auth.sso.identity import ExternalIdentity

ROLES = "http://kombit.dk/roles/usersystemrole/skaleringsportalen"
PROJECT_LEAD = f"{ROLES}/projektleder/1"
LEADERSHIP = f"{ROLES}/direktion/1"
REGIONAL = f"{ROLES}/kkr/1"
REGIONAL_MIDT = f"{ROLES}/kkr-midtjylland/1"
COORDINATOR = f"{ROLES}/koordinator/1"
ROLE_MAP = {
    COORDINATOR: "coordinator",
    PROJECT_LEAD: "municipal",
    LEADERSHIP: "leadership",
    REGIONAL: "regional",
    REGIONAL_MIDT: {"role": "regional", "region": "Region Midtjylland"},
}
NATIONAL_CVR = "12345674"  # KL's in these tests
AARHUS_CVR, ODENSE_CVR = "55133018", "35209115"


def identity(
    subject: str = "person-1",
    cvr: str | None = AARHUS_CVR,
    roles: tuple[str, ...] = (PROJECT_LEAD,),
    *,
    issuer: str = "https://idp.example/",
    email: str | None = "anna@aarhus.example",
    name: str | None = "Anna Andersen",
) -> ExternalIdentity:
    return ExternalIdentity(
        protocol="oidc",
        issuer=issuer,
        subject=subject,
        cvr=cvr,
        roles=roles,
        email=email,
        name=name,
    )


CLIENT_ID = "skaleringsportalen"  # the portal at the OpenID Connect provider
