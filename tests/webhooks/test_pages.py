"""The webhook pages: a municipal user registers their municipality's endpoint and sees the
secret once; the form keeps what was typed and lists its problems; another municipality's
endpoint is not found; deleting asks first; the buttons (new secret, test, send again)."""

from __future__ import annotations

import pytest
from sqlalchemy import func, select

from portal.audit.models import AuditEvent
from portal.auth.models import Role
from portal.db import db
from portal.webhooks import services
from portal.webhooks.models import DeliveryStatus, WebhookDelivery, WebhookEndpoint
from portal.webhooks.sealing import unseal
from tests.conftest import municipality

PUBLIC = "https://93.184.215.14/hook"


def _endpoint(actor, url=PUBLIC):
    endpoint, _secret = services.create_endpoint(
        services.EndpointData(url=url, events=["figures.changed"]), actor=actor
    )
    db.session.commit()
    return endpoint


def test_a_municipal_user_registers_an_endpoint_and_sees_the_secret_once(client, login, municipal):
    login(municipal)
    assert "Der er ingen webhooks endnu." in client.get("/webhooks/").get_data(as_text=True)
    response = client.post(
        "/webhooks/ny",
        data={"url": PUBLIC, "description": "Omsorgssystem", "events": ["figures.changed"]},
    )
    endpoint = db.session.scalar(select(WebhookEndpoint))
    # Post/Redirect/Get: the secret is on the page the form redirects to, shown once
    assert response.status_code == 303
    assert response.headers["Location"].endswith(f"/webhooks/{endpoint.id}/noegle")
    secret = unseal(endpoint.secret_encrypted)
    assert secret.startswith("whsec_") and secret not in endpoint.secret_encrypted
    first = client.get(response.headers["Location"])
    assert first.headers["Cache-Control"] == "no-store"
    page = first.get_data(as_text=True)
    assert secret in page and "vises kun denne ene gang" in page
    reloaded = client.get(response.headers["Location"])  # a reload: a GET, never a new POST
    assert reloaded.headers["Cache-Control"] == "no-store"
    again = reloaded.get_data(as_text=True)
    assert secret not in again and "allerede vist" in again
    assert db.session.scalar(select(func.count(WebhookEndpoint.id))) == 1
    assert endpoint.municipality_id == municipality(751).id
    assert endpoint.events == ["figures.changed"] and endpoint.active is False  # unticked
    listing = client.get("/webhooks/").get_data(as_text=True)
    assert PUBLIC in listing and "Omsorgssystem" in listing
    shown = client.get(f"/webhooks/{endpoint.id}").get_data(as_text=True)
    assert secret not in shown  # once only
    assert db.session.scalar(select(AuditEvent).where(AuditEvent.action == "webhook_created"))


def test_the_form_keeps_what_was_typed_and_lists_its_problems_in_danish(client, login, coordinator):
    login(coordinator)
    response = client.post("/webhooks/ny", data={"url": "http://93.184.215.14/x"})
    page = response.get_data(as_text=True)
    assert response.status_code == 200
    assert "Der er problemer med formularen" in page
    assert "Adressen skal begynde med https://." in page
    assert "Vælg mindst én hændelse." in page
    assert 'value="http://93.184.215.14/x"' in page
    private = client.post(
        "/webhooks/ny", data={"url": "https://10.1.2.3/x", "events": ["report.ready"]}
    ).get_data(as_text=True)
    assert "internt eller privat netværk (10.1.2.3)" in private
    assert db.session.scalar(select(WebhookEndpoint)) is None


def test_another_municipalitys_endpoint_and_deliveries_are_not_found(
    client, login, make_user, municipal
):
    theirs = _endpoint(make_user(Role.MUNICIPAL, 461))
    delivery = services.send_test(theirs, actor=make_user(Role.COORDINATOR))
    db.session.commit()
    login(municipal)
    for method, path in [
        ("GET", f"/webhooks/{theirs.id}"),
        ("GET", f"/webhooks/{theirs.id}/rediger"),
        ("GET", f"/webhooks/{theirs.id}/slet"),
        ("POST", f"/webhooks/{theirs.id}/slet"),
        ("POST", f"/webhooks/{theirs.id}/ny-noegle"),
        ("POST", f"/webhooks/{theirs.id}/test"),
        ("POST", f"/webhooks/leveringer/{delivery.id}/send-igen"),
    ]:
        assert client.open(path, method=method).status_code == 404, path
    assert theirs.url not in client.get("/webhooks/").get_data(as_text=True)
    assert db.session.get(WebhookEndpoint, theirs.id) is not None


@pytest.mark.parametrize("role", [Role.REGIONAL, Role.REVIEWER, Role.ADMIN])
def test_roles_without_webhooks_are_refused(client, login, make_user, role):
    login(make_user(role, 751) if role == Role.REGIONAL else make_user(role))
    assert client.get("/webhooks/").status_code == 403
    assert client.post("/webhooks/ny", data={"url": PUBLIC}).status_code == 403


def test_deleting_asks_first_then_deletes(client, login, municipal):
    endpoint = _endpoint(municipal)
    login(municipal)
    ask = client.get(f"/webhooks/{endpoint.id}/slet").get_data(as_text=True)
    assert "Vil du slette webhooken" in ask and "Ja, slet webhooken" in ask
    assert db.session.get(WebhookEndpoint, endpoint.id) is not None
    response = client.post(f"/webhooks/{endpoint.id}/slet")
    assert response.status_code == 302
    assert db.session.get(WebhookEndpoint, endpoint.id) is None


def test_edit_new_secret_test_event_and_send_again_from_the_page(client, login, municipal):
    endpoint = _endpoint(municipal)
    old = unseal(endpoint.secret_encrypted)
    login(municipal)
    edited = client.post(
        f"/webhooks/{endpoint.id}/rediger",
        data={"url": PUBLIC + "2", "events": ["report.ready", "figures.changed"], "active": "y"},
    )
    assert edited.status_code == 302
    assert endpoint.url == PUBLIC + "2" and endpoint.events == ["report.ready", "figures.changed"]

    rotated = client.post(f"/webhooks/{endpoint.id}/ny-noegle")
    assert rotated.status_code == 303 and rotated.headers["Cache-Control"] == "no-store"
    new = unseal(endpoint.secret_encrypted)
    assert new != old and unseal(endpoint.previous_secret_encrypted) == old
    shown = client.get(rotated.headers["Location"])
    assert shown.headers["Cache-Control"] == "no-store"
    assert new in shown.get_data(as_text=True) and "Den gamle nøgle" in shown.get_data(as_text=True)
    reloaded = client.get(rotated.headers["Location"]).get_data(as_text=True)
    assert new not in reloaded and unseal(endpoint.secret_encrypted) == new  # not rotated again

    assert client.post(f"/webhooks/{endpoint.id}/test").status_code == 302
    delivery = db.session.scalar(select(WebhookDelivery))
    assert delivery.event_type == "webhook.test"
    page = client.get(f"/webhooks/{endpoint.id}").get_data(as_text=True)
    assert "Testbesked" in page and "Venter" in page and "Send igen" not in page

    delivery.status, delivery.attempts, delivery.response_code = DeliveryStatus.FAILED, 8, 500
    db.session.commit()
    page = client.get(f"/webhooks/{endpoint.id}").get_data(as_text=True)
    assert "Fejlet" in page and "Send igen" in page and "500" in page
    client.post(f"/webhooks/leveringer/{delivery.id}/send-igen")
    assert (delivery.status, delivery.attempts) == (DeliveryStatus.PENDING, 0)
    actions = set(db.session.scalars(select(AuditEvent.action)))
    assert {
        "webhook_updated",
        "webhook_secret_rotated",
        "webhook_test_sent",
        "webhook_resent",
    } <= actions


def test_a_coordinator_sees_the_collaborations_and_every_municipalitys_endpoints(
    client, login, coordinator, municipal
):
    _endpoint(coordinator, url=PUBLIC + "/samarbejde")
    _endpoint(municipal, url=PUBLIC + "/aarhus")
    login(coordinator)
    page = client.get("/webhooks/").get_data(as_text=True)
    assert page.index("Hele samarbejdet") < page.index("Aarhus")
    assert PUBLIC + "/samarbejde" in page and PUBLIC + "/aarhus" in page
