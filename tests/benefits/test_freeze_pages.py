"""The target picture on the figures page: who approves (per role, other municipalities
404), a frozen target changed through the form only with a reason (the rejected form keeps
what was typed), the change shown with its reason, quality marks in the form and table."""

from datetime import date
from decimal import Decimal as D

import pytest
from sqlalchemy import select

from portal.auth.models import Role
from portal.benefits import recording
from portal.benefits.models import Measurement, Quality, Target
from portal.benefits.recording import costs, freeze
from portal.db import db
from tests.benefits.helpers import figures_round, indicator, participation_of
from tests.benefits.test_freeze import fill_picture


@pytest.fixture
def round_():
    return figures_round(codes=(101, 147))


@pytest.fixture
def own(round_):
    p = participation_of(round_, 101)
    fill_picture(round_, p)
    costs.set_benefit_owner(p, "Anne Ejer", "", actor=None)
    db.session.commit()
    return p


def url(p, rest=""):
    return f"/gevinster/deltagelse/{p.id}{rest}"


@pytest.mark.parametrize(
    "role, code, status",
    [
        (Role.COORDINATOR, None, 302),
        (Role.MUNICIPAL, 101, 403),  # the municipality hands in, the coordinator approves
        (Role.MUNICIPAL, 147, 403),
        (Role.LEADERSHIP, 101, 403),
        (Role.LEADERSHIP, None, 403),
        (Role.ADMIN, None, 403),
        (Role.REVIEWER, None, 403),
    ],
)
def test_only_the_coordinator_approves(client, login, make_user, own, role, code, status):
    login(make_user(role, code=code))
    assert client.post(url(own, "/godkend-maalbillede")).status_code == status
    db.session.refresh(own)
    assert freeze.is_frozen(own) == (status == 302)


def test_the_coordinator_sees_why_it_cannot_be_approved_yet(client, login, make_user, round_):
    p = participation_of(round_, 147)
    login(make_user(Role.COORDINATOR))
    html = client.get(url(p)).get_data(as_text=True)
    assert "gevinstejer" in html and "Godkend basislinje og målbillede" in html
    assert "disabled" in html
    response = client.post(url(p, "/godkend-maalbillede"), follow_redirects=True)
    assert "gevinstejer" in response.get_data(as_text=True)
    db.session.refresh(p)
    assert not freeze.is_frozen(p)


def test_the_municipality_does_not_get_the_approve_button(client, login, make_user, own):
    login(make_user(Role.MUNICIPAL, code=101))
    html = client.get(url(own)).get_data(as_text=True)
    assert "Godkendelse af målbilledet" in html
    assert "Godkend basislinje og målbillede" not in html


def test_a_frozen_target_is_changed_through_the_form_with_a_reason(
    client, login, make_user, round_, own
):
    freeze.approve_target_picture(own, actor=None)
    db.session.commit()
    visits = indicator(round_, "screen_visits")
    version = db.session.scalar(select(Target.version).where(Target.indicator_id == visits.id))
    login(make_user(Role.MUNICIPAL, code=101))
    prefix = f"t{visits.id}-"
    data = {
        prefix + "value": "30",
        prefix + "target_date": "2027-03-01",
        prefix + "note": "KL",
        prefix + "quality": "estimated",
        prefix + "version": str(version),
    }
    response = client.post(url(own, f"/indikator/{visits.id}/maal"), data=data)
    html = response.get_data(as_text=True)
    assert response.status_code == 400
    assert "skriv en begrundelse" in html and 'value="30"' in html
    assert '<option selected value="estimated">' in html
    data[prefix + "reason"] = "Færre borgere i målgruppen"
    response = client.post(url(own, f"/indikator/{visits.id}/maal"), data=data)
    assert response.status_code == 302
    html = client.get(url(own)).get_data(as_text=True)
    assert "mål ændret" in html and "40 → 30" in html and "Færre borgere i målgruppen" in html
    assert 'title="skønnet"' in html


def test_a_measurement_carries_its_quality_mark(client, login, make_user, round_, own):
    visits = indicator(round_, "screen_visits")
    login(make_user(Role.MUNICIPAL, code=101))
    prefix = f"m{visits.id}-"
    response = client.post(
        url(own, f"/indikator/{visits.id}/maaling"),
        data={
            prefix + "on": "2025-10-01",
            prefix + "value": "12",
            prefix + "quality": "provisional",
        },
    )
    assert response.status_code == 302
    assert db.session.scalar(select(Measurement.quality)) == Quality.PROVISIONAL
    html = client.get(url(own)).get_data(as_text=True)
    assert 'title="foreløbig"' in html
    measurement = db.session.scalar(select(Measurement))
    recording.update_measurement(measurement, D(13), actor=None, version=measurement.version)
    db.session.commit()
    assert measurement.quality is None  # saved again without a mark: measured


def test_another_municipality_never_sees_the_changes(client, login, make_user, round_, own):
    freeze.approve_target_picture(own, actor=None)
    visits = indicator(round_, "screen_visits")
    target = db.session.scalar(select(Target).where(Target.indicator_id == visits.id))
    recording.set_target(
        own, visits, D(30), date(2027, 3, 1), reason="Hemmelig grund", actor=None,
        version=target.version,
    )  # fmt: skip
    db.session.commit()
    login(make_user(Role.MUNICIPAL, code=147))
    assert client.get(url(own)).status_code == 404
    other = participation_of(round_, 147)
    assert "Hemmelig grund" not in client.get(url(other)).get_data(as_text=True)
