"""Attacks on the SAML service provider, each refused for its own reason: unsigned or
wrongly signed assertions, the XML signature-wrapping variants, a comment in the NameID,
tampering with encrypted assertions, XML bombs."""

from __future__ import annotations

import base64
import copy

import pytest
from lxml import etree

from portal.auth.sso.saml.response import SamlRefused, verify_response
from portal.auth.sso.saml.xml import DS, SAML, SAMLP
from tests.auth.sso.conftest import ACS_URL
from tests.auth.sso.saml_idp import ROLE_BASE, Login, encode

CVR = "29189803"


def login_for(request_id: str, **fields) -> Login:
    fields.setdefault("privileges", {CVR: [ROLE_BASE + "projektleder"]})
    return Login(in_response_to=request_id, acs_url=ACS_URL, cvr=CVR, **fields)


def refusal(settings, response, pending) -> str:
    with pytest.raises(SamlRefused) as caught:
        verify_response(settings, encode(response), ACS_URL, pending)
    return caught.value.code


def forged(login: Login, subject: str = "forged-admin") -> etree._Element:
    """An assertion the attacker wrote: another subject, no signature of the provider."""
    from tests.auth.sso.saml_idp import FixtureIdP

    unsigned = FixtureIdP(None, None, None).assertion(
        Login(**{**login.__dict__, "subject": subject, "cvr": "11111111"})
    )
    return unsigned


def test_an_unsigned_assertion_is_refused_even_in_a_signed_response(
    saml_settings, fixture_idp, sent_request
):
    request_id, pending = sent_request()
    login = login_for(request_id)
    response = fixture_idp.response(login, fixture_idp.assertion(login))
    assert refusal(saml_settings, response, pending) == "unsigned"
    signed_response = fixture_idp.sign_response(
        fixture_idp.response(login, fixture_idp.assertion(login))
    )
    assert refusal(saml_settings, signed_response, pending) == "unsigned"


def test_a_signature_by_another_key_is_refused_though_it_carries_its_certificate(
    saml_settings, fixture_idp, saml_keys, sent_request
):
    request_id, pending = sent_request()
    login = login_for(request_id)
    key, certificate = saml_keys["stranger"]
    assertion = fixture_idp.signed_assertion(login, key=key, certificate=certificate)
    assert refusal(saml_settings, fixture_idp.response(login, assertion), pending) == "signature"


def test_a_changed_signed_assertion_is_refused(saml_settings, fixture_idp, sent_request):
    request_id, pending = sent_request()
    login = login_for(request_id)
    assertion = fixture_idp.signed_assertion(login)
    assertion.find(f".//{{{SAML}}}NameID").text = "someone-else"
    assert refusal(saml_settings, fixture_idp.response(login, assertion), pending) == "signature"


def test_wrapping_a_second_assertion_beside_the_signed_one_is_refused(
    saml_settings, fixture_idp, sent_request
):
    request_id, pending = sent_request()
    login = login_for(request_id)
    # (in a signed response the insertion breaks the response's signature first)
    for response, code in (
        (fixture_idp.response(login), "assertions"),
        (fixture_idp.sign_response(fixture_idp.response(login)), "signature"),
    ):
        signed = response.find(f"{{{SAML}}}Assertion")
        signed.addprevious(forged(login))  # before the signed one …
        assert refusal(saml_settings, response, pending) == code
    response = fixture_idp.response(login)
    response.append(forged(login))  # … and after it
    assert refusal(saml_settings, response, pending) == "assertions"


def test_wrapping_the_signed_assertion_inside_a_forged_one_is_refused(
    saml_settings, fixture_idp, sent_request
):
    request_id, pending = sent_request()
    login = login_for(request_id)
    original = fixture_idp.signed_assertion(login)
    # (a) the forged assertion holds the signed one (in its Advice), and no signature of its own
    outer = forged(login)
    etree.SubElement(outer, f"{{{SAML}}}Advice").append(copy.deepcopy(original))
    assert refusal(saml_settings, fixture_idp.response(login, outer), pending) == "unsigned"
    # (b) … and the provider's signature moved up to be the forged one's own
    outer = forged(login)
    inner = copy.deepcopy(original)
    signature = inner.find(f"{{{DS}}}Signature")
    inner.remove(signature)
    outer.find(f"{{{SAML}}}Issuer").addnext(signature)
    etree.SubElement(outer, f"{{{SAML}}}Advice").append(inner)
    assert refusal(saml_settings, fixture_idp.response(login, outer), pending) == "signature"
    # (c) the same with the forged assertion wearing the signed one's ID
    outer.set("ID", original.get("ID"))
    assert refusal(saml_settings, fixture_idp.response(login, outer), pending) == "signature"


def test_moving_the_signed_assertion_into_the_extensions_is_refused(
    saml_settings, fixture_idp, sent_request
):
    request_id, pending = sent_request()
    login = login_for(request_id)
    response = fixture_idp.response(login, forged(login))
    extensions = etree.Element(f"{{{SAMLP}}}Extensions")
    response.find(f"{{{SAML}}}Issuer").addnext(extensions)
    extensions.append(fixture_idp.signed_assertion(login))
    assert refusal(saml_settings, response, pending) == "unsigned"
    # with the provider's signature copied onto the forged assertion
    response = fixture_idp.response(login, forged(login))
    extensions = etree.Element(f"{{{SAMLP}}}Extensions")
    response.find(f"{{{SAML}}}Issuer").addnext(extensions)
    original = fixture_idp.signed_assertion(login)
    extensions.append(original)
    outer = response.find(f"{{{SAML}}}Assertion")
    outer.find(f"{{{SAML}}}Issuer").addnext(copy.deepcopy(original.find(f"{{{DS}}}Signature")))
    assert refusal(saml_settings, response, pending) == "signature"


def test_a_comment_inside_the_name_id_does_not_change_the_subject(
    saml_settings, fixture_idp, sent_request
):
    request_id, pending = sent_request()
    login = login_for(request_id, subject="admin@evil")
    raw = etree.tostring(fixture_idp.response(login))
    commented = raw.replace(b">admin@evil<", b">admin<!---->@evil<")
    assert commented != raw  # the comment is in, and the signature still holds (c14n drops it)
    verified = verify_response(saml_settings, encode(commented), ACS_URL, pending)
    assert verified.subject == "admin@evil"


def test_a_failed_status_is_refused(saml_settings, fixture_idp, sent_request):
    request_id, pending = sent_request()
    response = fixture_idp.response(login_for(request_id))
    response.find(f"{{{SAMLP}}}Status/{{{SAMLP}}}StatusCode").set(
        "Value", "urn:oasis:names:tc:SAML:2.0:status:Responder"
    )
    assert refusal(saml_settings, response, pending) == "status"


def test_a_tampered_or_unsigned_encrypted_assertion_is_refused(
    saml_settings, fixture_idp, sent_request
):
    request_id, pending = sent_request()
    login = login_for(request_id)
    encrypted = fixture_idp.encrypt(fixture_idp.signed_assertion(login))
    value = encrypted.find(
        ".//{http://www.w3.org/2001/04/xmlenc#}EncryptedData/"
        "{http://www.w3.org/2001/04/xmlenc#}CipherData/"
        "{http://www.w3.org/2001/04/xmlenc#}CipherValue"
    )
    data = bytearray(base64.b64decode(value.text))
    data[20] ^= 1
    value.text = base64.b64encode(bytes(data)).decode()
    assert refusal(saml_settings, fixture_idp.response(login, encrypted), pending) == "decryption"
    unsigned = fixture_idp.encrypt(fixture_idp.assertion(login))
    assert refusal(saml_settings, fixture_idp.response(login, unsigned), pending) == "unsigned"


def test_a_document_type_declaration_or_entities_are_refused(saml_settings, sent_request):
    _request_id, pending = sent_request()
    bomb = (
        b'<?xml version="1.0"?><!DOCTYPE r [<!ENTITY a "aaaaaaaaaa">'
        b'<!ENTITY b "&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;">]>'
        b'<samlp:Response xmlns:samlp="urn:oasis:names:tc:SAML:2.0:protocol">&b;</samlp:Response>'
    )
    assert refusal(saml_settings, bomb, pending) == "malformed"
    with pytest.raises(SamlRefused):
        verify_response(saml_settings, "not base64!", ACS_URL, pending)


def test_a_privilege_for_another_organisation_gives_no_role(
    saml_settings, fixture_idp, sent_request
):
    request_id, pending = sent_request()
    login = login_for(request_id, privileges={"11111111": [ROLE_BASE + "projektleder"]})
    verified = verify_response(saml_settings, encode(fixture_idp.response(login)), ACS_URL, pending)
    assert verified.cvr == CVR and verified.roles == ()
