"""The SAML response as the service provider verifies it: a fixture Context Handler's login
is accepted, and each way of bending it is refused with its reason."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from portal.auth.sso.saml.response import SamlRefused, verify_response
from tests.auth.sso.conftest import ACS_URL
from tests.auth.sso.saml_idp import ROLE_BASE, Login, encode

CVR = "29189803"
LEAD = ROLE_BASE + "projektleder"


def login_for(request_id: str, **fields) -> Login:
    fields.setdefault("privileges", {CVR: [LEAD]})
    return Login(in_response_to=request_id, acs_url=ACS_URL, cvr=CVR, **fields)


def test_a_signed_login_is_accepted_with_the_person_s_cvr_roles_and_level(
    saml_settings, fixture_idp, sent_request
):
    request_id, browser = sent_request("/oversigt/")
    login = login_for(request_id, privileges={CVR: [LEAD], "11111111": [ROLE_BASE + "direktion"]})
    verified = verify_response(saml_settings, encode(fixture_idp.response(login)), ACS_URL, browser)
    assert verified.subject == login.subject
    assert verified.issuer == login.issuer
    assert verified.cvr == CVR
    assert verified.roles == (LEAD,)  # the other organisation's privilege does not count
    assert verified.loa == "Substantial"
    assert verified.email == "anne.projektleder@aarhus.dk"
    assert verified.name == "Anne Projektleder"
    assert verified.next_path == "/oversigt/"


def refused(settings, response, browser, now=None) -> str:
    with pytest.raises(SamlRefused) as caught:
        verify_response(settings, encode(response), ACS_URL, browser, now=now)
    return caught.value.code


def test_a_response_signed_as_a_whole_is_accepted_too(saml_settings, fixture_idp, sent_request):
    request_id, browser = sent_request()
    response = fixture_idp.sign_response(fixture_idp.response(login_for(request_id)))
    assert verify_response(saml_settings, encode(response), ACS_URL, browser).cvr == CVR


@pytest.mark.parametrize("mode", ["gcm", "cbc"])
def test_an_encrypted_assertion_is_accepted(saml_settings, fixture_idp, sent_request, mode):
    request_id, browser = sent_request()
    login = login_for(request_id)
    encrypted = fixture_idp.encrypt(fixture_idp.signed_assertion(login), mode)
    verified = verify_response(
        saml_settings, encode(fixture_idp.response(login, encrypted)), ACS_URL, browser
    )
    assert verified.subject == login.subject and verified.roles == (LEAD,)


def test_the_same_response_twice_is_refused_as_replayed(saml_settings, fixture_idp, sent_request):
    request_id, browser = sent_request()
    response = fixture_idp.response(login_for(request_id))
    verify_response(saml_settings, encode(response), ACS_URL, browser)
    assert refused(saml_settings, response, browser) == "replayed"


def test_an_answer_to_a_request_never_sent_or_sent_by_another_browser_is_refused(
    saml_settings, fixture_idp, sent_request
):
    _request_id, browser = sent_request()
    assert refused(saml_settings, fixture_idp.response(login_for("_never")), browser) == (
        "in_response_to"
    )
    request_id, _browser = sent_request()
    _other_id, other_browser = sent_request()
    response = fixture_idp.response(login_for(request_id))
    assert refused(saml_settings, response, other_browser) == "in_response_to"


def test_a_request_is_answered_once_even_by_a_second_assertion(
    saml_settings, fixture_idp, sent_request
):
    request_id, browser = sent_request()
    verify_response(
        saml_settings, encode(fixture_idp.response(login_for(request_id))), ACS_URL, browser
    )
    again = fixture_idp.response(login_for(request_id))  # a new assertion, the same request
    assert refused(saml_settings, again, browser) == "in_response_to"


@pytest.mark.parametrize(
    ("fields", "code"),
    [
        ({"audience": "https://another.example/sp"}, "audience"),
        ({"issuer": "https://another-idp.example"}, "issuer"),
        ({"recipient": "https://evil.example/acs"}, "recipient"),
        ({"destination": "https://evil.example/acs"}, "destination"),
        ({"issued": datetime.now(UTC) - timedelta(minutes=10)}, "expired"),
        ({"issued": datetime.now(UTC) + timedelta(minutes=10)}, "expired"),
    ],
)
def test_a_login_for_another_audience_endpoint_issuer_or_time_is_refused(
    saml_settings, fixture_idp, sent_request, fields, code
):
    request_id, browser = sent_request()
    assert (
        refused(saml_settings, fixture_idp.response(login_for(request_id, **fields)), browser)
        == code
    )


def test_a_small_clock_skew_is_allowed(saml_settings, fixture_idp, sent_request):
    request_id, browser = sent_request()
    response = fixture_idp.response(login_for(request_id))
    later = datetime.now(UTC) + timedelta(minutes=5, seconds=30)  # 30 s past NotOnOrAfter
    assert verify_response(saml_settings, encode(response), ACS_URL, browser, now=later)


def test_a_missing_or_too_low_level_of_assurance_is_refused_when_one_is_required(
    saml_settings, fixture_idp, sent_request
):
    from dataclasses import replace

    strict = replace(saml_settings, required_loa="Substantial")
    for loa in (None, "Low"):
        request_id, browser = sent_request()
        response = fixture_idp.response(login_for(request_id, loa=loa))
        assert refused(strict, response, browser) == "loa"
    request_id, browser = sent_request()
    high = fixture_idp.response(login_for(request_id, loa="High"))
    assert verify_response(strict, encode(high), ACS_URL, browser).loa == "High"


def test_during_a_certificate_renewal_either_certificate_of_the_metadata_verifies(
    saml_settings, fixture_idp, saml_keys, sent_request
):
    from dataclasses import replace

    renewed = replace(
        saml_settings,
        idp=replace(
            saml_settings.idp, certificates=(saml_keys["stranger"][1], fixture_idp.certificate)
        ),
    )
    request_id, browser = sent_request()
    response = fixture_idp.response(login_for(request_id))
    assert verify_response(renewed, encode(response), ACS_URL, browser).cvr == CVR
