"""Logging in through the fixture Context Handler, the whole way: the signed AuthnRequest,
the answer verified and mapped, the user created just in time for a known municipality and
a mapped role and seeing only that municipality; refusals with nothing created; single
logout; and nothing of it without the SAML settings."""

from __future__ import annotations

import pytest
from signxml import XMLVerifier
from sqlalchemy import func, select

from portal.audit.models import AuditEvent
from portal.auth.models import Role, User
from portal.auth.sso.saml.xml import SAML
from portal.db import db
from tests.auth.sso.helpers import AARHUS_CVR, LEADERSHIP, ODENSE_CVR, PROJECT_LEAD
from tests.auth.sso.saml_browser import check_query_signature, inflate, post_answer, start_login
from tests.auth.sso.saml_idp import IDP_SLO_URL, SP_ENTITY_ID, Login
from tests.benefits.helpers import figures_round, participation_of

ACS = "http://localhost/sso/saml/acs"


@pytest.fixture
def saml_app(app, saml_settings, sso_config, monkeypatch):
    """The app as the SAML settings would make it (the session's app has none)."""
    for name, value in {
        "SAML_SP_ENTITY_ID": SP_ENTITY_ID,
        "SAML_SP_CERT": "set",
        "SAML_SP_KEY": "set",
        "SAML_IDP_METADATA": "set",
    }.items():
        monkeypatch.setitem(app.config, name, value)
    monkeypatch.setitem(app.extensions, "saml", saml_settings)
    return app


def users() -> int:
    return db.session.scalar(select(func.count()).select_from(User))


def log_in(client, saml_keys, fixture_idp, next_path=None, **fields):
    request = start_login(client, saml_keys["sp"][1], next_path)
    assert request.get("AssertionConsumerServiceURL") == ACS
    fields.setdefault("cvr", AARHUS_CVR)
    fields.setdefault("privileges", {fields["cvr"]: [PROJECT_LEAD]} if fields["cvr"] else {})
    login = Login(in_response_to=request.get("ID"), acs_url=ACS, **fields)
    return post_answer(client, fixture_idp.response(login)), login


def last_refusal() -> str:
    line = db.session.scalar(
        select(AuditEvent).where(AuditEvent.action == "sso_refused").order_by(AuditEvent.id.desc())
    )
    return line.details["code"]


def test_a_project_lead_logs_in_and_sees_only_their_own_municipality(
    saml_app, client, saml_keys, fixture_idp
):
    round_ = figures_round(codes=(751, 461))  # Aarhus and Odense take part
    own, other = participation_of(round_, 751), participation_of(round_, 461)
    response, login = log_in(client, saml_keys, fixture_idp, next_path="/oversigt/")
    assert response.status_code == 302 and response.headers["Location"] == "/oversigt/"
    user = db.session.scalar(select(User).where(User.email == login.email))
    assert (user.role, user.municipality.code) == (Role.MUNICIPAL, 751)
    assert client.get(f"/oversigt/deltagelse/{own.id}").status_code == 200
    assert client.get(f"/oversigt/deltagelse/{other.id}").status_code in (403, 404)


def test_leadership_of_another_municipality_sees_theirs_and_not_the_first(
    saml_app, client, saml_keys, fixture_idp
):
    round_ = figures_round(codes=(751, 461))
    response, _login = log_in(
        client,
        saml_keys,
        fixture_idp,
        cvr=ODENSE_CVR,
        privileges={ODENSE_CVR: [LEADERSHIP]},
        subject="odense-direktion",
        email="direktion@odense.example",
    )
    assert response.status_code == 302
    user = db.session.scalar(select(User).where(User.email == "direktion@odense.example"))
    assert (user.role, user.municipality.code) == (Role.LEADERSHIP, 461)
    assert client.get(f"/oversigt/deltagelse/{participation_of(round_, 461).id}").status_code == 200
    assert client.get(f"/oversigt/deltagelse/{participation_of(round_, 751).id}").status_code in (
        403,
        404,
    )


def test_a_changed_role_at_the_provider_applies_at_the_next_login(
    saml_app, client, saml_keys, fixture_idp
):
    log_in(client, saml_keys, fixture_idp)
    client.post("/logout")
    response, login = log_in(client, saml_keys, fixture_idp, privileges={AARHUS_CVR: [LEADERSHIP]})
    assert response.status_code == 302
    user = db.session.scalar(select(User).where(User.email == login.email))
    assert user.role == Role.LEADERSHIP


@pytest.mark.parametrize(
    ("fields", "code"),
    [
        ({"cvr": "87654321"}, "unknown_cvr"),
        (
            {"privileges": {AARHUS_CVR: ["http://kombit.dk/roles/usersystemrole/andet/1"]}},
            "unmapped_role",
        ),
        ({"privileges": {ODENSE_CVR: [PROJECT_LEAD]}}, "no_role"),  # another CVR's privilege
        ({"audience": "https://another.example/sp"}, "saml_audience"),
        ({"lifetime": __import__("datetime").timedelta(seconds=-300)}, "saml_expired"),
        ({"in_response_to": "_a-request-never-sent"}, "saml_in_response_to"),
    ],
)
def test_refused_logins_create_nothing_and_are_audited(
    saml_app, client, saml_keys, fixture_idp, fields, code
):
    before = users()
    request = start_login(client, saml_keys["sp"][1])
    fields = {"cvr": AARHUS_CVR, "privileges": {AARHUS_CVR: [PROJECT_LEAD]}, **fields}
    fields.setdefault("in_response_to", request.get("ID"))
    response = post_answer(client, fixture_idp.response(Login(acs_url=ACS, **fields)))
    assert response.status_code == 403
    assert "Du kan ikke logge ind" in response.get_data(as_text=True)
    assert users() == before
    assert last_refusal() == code
    assert client.get("/oversigt/").status_code == 302  # not logged in


def test_a_missing_level_of_assurance_is_refused_when_one_is_required(
    saml_app, saml_settings, client, saml_keys, fixture_idp, monkeypatch
):
    from dataclasses import replace

    monkeypatch.setitem(
        saml_app.extensions, "saml", replace(saml_settings, required_loa="Substantial")
    )
    request = start_login(client, saml_keys["sp"][1])
    context = request.find(f".//{{{SAML}}}AuthnContextClassRef")
    assert context.text == "https://data.gov.dk/concept/core/nsis/loa/Substantial"
    login = Login(
        in_response_to=request.get("ID"),
        acs_url=ACS,
        cvr=AARHUS_CVR,
        privileges={AARHUS_CVR: [PROJECT_LEAD]},
        loa=None,
    )
    before = users()
    assert post_answer(client, fixture_idp.response(login)).status_code == 403
    assert users() == before and last_refusal() == "saml_loa"


def test_a_replayed_answer_is_refused_after_the_login(saml_app, client, saml_keys, fixture_idp):
    request = start_login(client, saml_keys["sp"][1])
    login = Login(
        in_response_to=request.get("ID"),
        acs_url=ACS,
        cvr=AARHUS_CVR,
        privileges={AARHUS_CVR: [PROJECT_LEAD]},
    )
    answer = fixture_idp.response(login)
    assert post_answer(client, answer).status_code == 302
    client.post("/logout")
    assert post_answer(client, answer).status_code == 403
    assert last_refusal() == "saml_replayed"


def test_logout_goes_through_the_provider_s_single_logout(saml_app, client, saml_keys, fixture_idp):
    _response, login = log_in(client, saml_keys, fixture_idp)
    response = client.post("/logout")
    location = response.headers["Location"]
    assert location.startswith(IDP_SLO_URL + "?")
    request = inflate(check_query_signature(location, saml_keys["sp"][1])["SAMLRequest"])
    assert request.findtext(f"{{{SAML}}}NameID") == login.subject
    assert client.get("/oversigt/").status_code == 302


def test_the_provider_s_logout_request_ends_the_session_here_and_is_answered(
    saml_app, client, saml_keys, fixture_idp
):
    from portal.auth.sso.saml import messages

    _response, login = log_in(client, saml_keys, fixture_idp)
    idp_key, idp_certificate = saml_keys["idp"]
    # the provider's LogoutRequest, signed as the provider with its own key
    as_idp = replace_settings(saml_app, key=idp_key)
    request = messages.logout_request(as_idp, login.subject, None)
    request = request.replace(SP_ENTITY_ID.encode(), login.issuer.encode())
    forged = messages.redirect_url(
        replace_settings(saml_app, key=saml_keys["stranger"][0]), "/sso/saml/logout", request
    )
    assert client.get(forged).status_code == 302
    assert client.get("/oversigt/").status_code == 200  # a request signed by another key: ignored
    genuine = messages.redirect_url(as_idp, "/sso/saml/logout", request)
    response = client.get(genuine)
    assert response.headers["Location"].startswith(IDP_SLO_URL + "?SAMLResponse=")
    assert client.get("/oversigt/").status_code == 302  # logged out


def replace_settings(app, **fields):
    from dataclasses import replace

    return replace(app.extensions["saml"], **fields)


def test_the_metadata_is_signed_and_names_the_endpoints(saml_app, client, saml_keys):
    response = client.get("/sso/saml/metadata")
    assert response.status_code == 200
    assert response.mimetype == "application/samlmetadata+xml"
    signed = XMLVerifier().verify(response.data, x509_cert=saml_keys["sp"][1]).signed_xml
    assert signed.get("entityID") == SP_ENTITY_ID
    md = "{urn:oasis:names:tc:SAML:2.0:metadata}"
    assert signed.find(f".//{md}AssertionConsumerService").get("Location") == ACS
    assert {k.get("use") for k in signed.iter(f"{md}KeyDescriptor")} == {"signing", "encryption"}


def test_the_login_page_offers_context_handler_only_when_configured(app, saml_app, client):
    assert "/sso/saml/login" in client.get("/login").get_data(as_text=True)


def test_without_the_settings_there_is_no_saml(app, client):
    for path in ("/sso/saml/metadata", "/sso/saml/login", "/sso/saml/logout"):
        assert client.get(path).status_code == 404
    assert client.post("/sso/saml/acs").status_code == 404
    assert "/sso/saml/" not in client.get("/login").get_data(as_text=True)


def test_starting_a_login_or_reading_the_metadata_writes_nothing(saml_app, client, saml_keys):
    """The sweep's rule for GET, with SAML set up: the pending request lives in the
    browser's signed cookie, so an anonymous stream of logins started costs no rows."""
    from sqlalchemy import event
    from sqlalchemy.orm import Session

    written = []

    def before_flush(session, _context, _instances):
        written.extend(type(o).__name__ for o in (*session.new, *session.dirty, *session.deleted))

    event.listen(Session, "before_flush", before_flush)
    try:
        start_login(client, saml_keys["sp"][1])
        client.get("/sso/saml/metadata")
        client.get("/sso/saml/logout")
    finally:
        event.remove(Session, "before_flush", before_flush)
    assert written == []


def test_an_answer_without_a_response_is_refused_not_an_error(saml_app, client):
    saml_app.config["WTF_CSRF_ENABLED"] = True
    try:
        response = client.post("/sso/saml/acs", data={})
    finally:
        saml_app.config["WTF_CSRF_ENABLED"] = False
    assert response.status_code == 403  # the CSRF check lets it through; the verification not
    assert last_refusal() == "saml_malformed"
