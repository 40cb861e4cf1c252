"""Only public https addresses are called (SSRF): private, loopback, link-local and
metadata addresses are refused with a Danish reason, at registration and before each
attempt; this machine is reachable only with the tests' and development's flag, which the
production configuration refuses."""

from __future__ import annotations

import socket

import pytest

from portal.config import ConfigError, load_config
from portal.db import db
from portal.errors import RuleViolations
from portal.webhooks import services
from portal.webhooks.models import DeliveryStatus, WebhookEndpoint
from portal.webhooks.sending import send_due
from portal.webhooks.targets import RefusedTarget, addresses_of, check_url, pinned

PRIVATE = [
    "https://10.0.0.7/hook",
    "https://172.16.4.1/hook",
    "https://192.168.1.1/hook",
    "https://169.254.169.254/latest/meta-data",  # a cloud's metadata service
    "https://100.64.0.1/hook",  # carrier-grade NAT
    "https://0.0.0.0/hook",
    "https://[fd00::1]/hook",
    "https://[::ffff:10.0.0.1]/hook",  # IPv4 inside IPv6
]


@pytest.mark.parametrize("url", PRIVATE)
def test_private_network_addresses_are_refused_with_a_danish_reason(url):
    with pytest.raises(RefusedTarget) as refused:
        check_url(url)
    assert "internt eller privat netværk" in refused.value.message


@pytest.mark.parametrize(
    "url", ["https://127.0.0.1/hook", "https://localhost/hook", "https://[::1]/hook"]
)
def test_this_machine_is_refused_without_the_flag(app, url):
    app.config["WEBHOOKS_ALLOW_LOCALHOST"] = False
    with pytest.raises(RefusedTarget) as refused:
        check_url(url)
    assert "privat netværk" in refused.value.message


def test_http_is_refused_except_to_this_machine_with_the_flag(app):
    with pytest.raises(RefusedTarget, match="https://"):
        check_url("http://93.184.215.14/hook")
    assert check_url(" http://127.0.0.1:8080/hook ") == "http://127.0.0.1:8080/hook"
    with pytest.raises(RefusedTarget):  # the flag opens this machine, no other network
        check_url("https://10.0.0.7/hook")
    app.config["WEBHOOKS_ALLOW_LOCALHOST"] = False
    with pytest.raises(RefusedTarget, match="https://"):
        check_url("http://127.0.0.1:8080/hook")


@pytest.mark.parametrize(
    "url", ["ftp://93.184.215.14/x", "https://", "https://user:pw@93.184.215.14/", "hook"]
)
def test_malformed_addresses_are_refused(url):
    with pytest.raises(RefusedTarget):
        check_url(url)


def test_a_public_address_is_taken():
    assert check_url("https://93.184.215.14/hook") == "https://93.184.215.14/hook"


def test_registering_a_private_address_is_refused_and_stores_nothing(coordinator):
    data = services.EndpointData(url="https://192.168.0.10/hook", events=["figures.changed"])
    with pytest.raises(RuleViolations) as refused:
        services.create_endpoint(data, actor=coordinator)
    assert refused.value.problems[0][0] == "url"
    assert db.session.query(WebhookEndpoint).count() == 0


def test_an_address_checked_again_before_each_attempt_is_not_called(receiver, coordinator, app):
    endpoint, _secret = services.create_endpoint(
        services.EndpointData(url=receiver.url, events=["figures.changed"]), actor=coordinator
    )
    delivery = services.send_test(endpoint, actor=coordinator)
    db.session.commit()
    app.config["WEBHOOKS_ALLOW_LOCALHOST"] = False  # as if the name now pointed inside

    send_due()

    assert receiver.received == []
    assert delivery.status == DeliveryStatus.PENDING and delivery.attempts == 1
    assert delivery.last_error == "Adressen skal begynde med https://."


def test_the_production_configuration_refuses_the_local_flag(tmp_path):
    env = {
        "PORTAL_ENV": "production",
        "SECRET_KEY": "s",
        "DATABASE_URL": "sqlite:///x.db",
        "WEBHOOKS_ALLOW_LOCALHOST": "true",
    }
    with pytest.raises(ConfigError, match="WEBHOOKS_ALLOW_LOCALHOST"):
        load_config(tmp_path, env)
    assert (
        load_config(tmp_path, {**env, "WEBHOOKS_ALLOW_LOCALHOST": ""})["WEBHOOKS_ALLOW_LOCALHOST"]
        is False
    )


def _resolving(monkeypatch, address: str) -> None:
    def getaddrinfo(host, port, *args, **kwargs):
        assert host == "hooks.kommune.dk"
        return [(socket.AF_INET, socket.SOCK_STREAM, 6, "", (address, port))]

    monkeypatch.setattr(socket, "getaddrinfo", getaddrinfo)


def test_a_name_that_resolves_inside_the_network_is_refused(monkeypatch):
    _resolving(monkeypatch, "10.20.30.40")
    with pytest.raises(RefusedTarget, match=r"privat netværk \(10\.20\.30\.40\)"):
        check_url("https://hooks.kommune.dk/skalering")


def test_an_attempt_connects_to_the_address_that_was_checked(monkeypatch):
    """No second lookup between the check and the connection (DNS rebinding): the request
    goes to the checked address, with the name in the Host header and in TLS."""
    _resolving(monkeypatch, "93.184.215.14")
    target = pinned("https://hooks.kommune.dk:8443/skalering?k=1")
    assert target.url == "https://93.184.215.14:8443/skalering?k=1"
    assert (target.host, target.sni) == ("hooks.kommune.dk:8443", "hooks.kommune.dk")


def test_a_delivery_by_name_reaches_the_receiver_with_its_host_header(receiver, coordinator):
    url = receiver.url.replace("127.0.0.1", "localhost")
    endpoint, receiver.secret = services.create_endpoint(
        services.EndpointData(url=url, events=["figures.changed"]), actor=coordinator
    )
    services.send_test(endpoint, actor=coordinator)
    db.session.commit()
    if addresses_of("localhost", 80)[0].version != 4:
        pytest.skip("localhost is IPv6 first here; the receiver listens on IPv4")
    assert send_due().delivered
    (got,) = receiver.received
    assert got.headers["host"] == url.split("/")[2]
