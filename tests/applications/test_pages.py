"""The application pages: a municipality applies, co-applicants confirm, coordinators reopen
and extend deadlines; nobody reaches another municipality's application."""

from datetime import timedelta

import pytest
from sqlalchemy import select

from portal.applications.models import Application, ApplicationStatus, DeadlineExtension
from portal.auth.models import Role
from portal.db import db, utcnow
from portal.programmes.models import ProgrammeGoal
from tests.conftest import municipality
from tests.factories import create_application, create_programme, create_round


@pytest.fixture
def round_():
    programme = create_programme(name_da="Skærmbesøg")
    programme.goals = [ProgrammeGoal(position=0, text_da="At komme i gang med skærmbesøg")]
    db.session.flush()
    round_ = create_round(programme, name_da="Skærmbesøg 2027")
    db.session.commit()
    return round_


def form_data(round_, **overrides):
    data = {
        "role": "participant",
        "experience": "some",
        "goal_ids": [str(round_.programme.goals[0].id)],
        "motivation": "Vi vil frigøre tid i hjemmeplejen.",
        "project_lead_name": "Pia Projektleder",
        "project_lead_email": "pia@aarhus.dk",
        "project_owner_name": "Carsten Chef",
        "project_owner_title": "Ældrechef",
        "backing_board": "y",
        "backing_management": "y",
        "action": "save",
    }
    data.update(overrides)
    return {k: v for k, v in data.items() if v is not None}


def application_of(round_, code) -> Application | None:
    return db.session.scalar(
        select(Application).where(
            Application.round_id == round_.id,
            Application.municipality_id == municipality(code).id,
        )
    )


def test_a_municipality_applies_saves_a_draft_and_submits(client, make_user, login, round_):
    login(make_user(Role.MUNICIPAL, code=751))
    page = client.get(f"/indsatser/forloeb/{round_.slug}").get_data(as_text=True)
    assert "Ansøg om at deltage" in page
    form = client.get(f"/ansoegninger/ny/{round_.slug}").get_data(as_text=True)
    assert "At komme i gang med skærmbesøg" in form and "Deltagerkommune" in form
    response = client.post(f"/ansoegninger/ny/{round_.slug}", data=form_data(round_))
    assert response.status_code == 302
    application = application_of(round_, 751)
    assert application.status == ApplicationStatus.DRAFT
    detail = client.get(f"/ansoegninger/{application.id}").get_data(as_text=True)
    assert "Kladde" in detail and "Pia Projektleder" in detail
    response = client.post(
        f"/ansoegninger/{application.id}/indsend", data={"version": application.version}
    )
    assert response.status_code == 302
    db.session.refresh(application)
    assert application.status == ApplicationStatus.SUBMITTED
    detail = client.get(f"/ansoegninger/{application.id}").get_data(as_text=True)
    assert "er nu låst" in detail and "Redigér ansøgningen" not in detail
    # read-only: the edit page sends them back
    assert client.get(f"/ansoegninger/{application.id}/rediger").status_code == 302
    mine = client.get("/ansoegninger/").get_data(as_text=True)
    assert "Indsendt" in mine and "Skærmbesøg 2027" in mine


def test_submitting_an_incomplete_form_keeps_what_was_typed_and_marks_the_fields(
    client, make_user, login, round_
):
    login(make_user(Role.MUNICIPAL, code=751))
    response = client.post(
        f"/ansoegninger/ny/{round_.slug}",
        data=form_data(
            round_,
            action="submit",
            motivation="Min motivation",
            project_owner_name="",
            backing_management=None,
        ),
    )
    assert response.status_code == 400
    page = response.get_data(as_text=True)
    assert "Min motivation" in page
    assert "Angiv projektejerens navn." in page
    assert "Der skal være opbakning på chefniveau." in page
    assert 'id="project_owner_name-error"' in page
    # the draft itself was saved
    assert application_of(round_, 751).status == ApplicationStatus.DRAFT


def test_a_rejected_form_value_is_shown_at_its_field(client, make_user, login, round_):
    login(make_user(Role.MUNICIPAL, code=751))
    response = client.post(
        f"/ansoegninger/ny/{round_.slug}",
        data=form_data(round_, project_lead_email="ikke-en-mail"),
    )
    assert response.status_code == 400
    page = response.get_data(as_text=True)
    assert "Skriv en gyldig e-mailadresse." in page and 'value="ikke-en-mail"' in page
    assert application_of(round_, 751) is None


def test_a_second_visit_to_apply_goes_to_the_existing_application(client, make_user, login, round_):
    application = create_application(round_, municipality(751).id, status="draft")
    db.session.commit()
    login(make_user(Role.MUNICIPAL, code=751))
    response = client.get(f"/ansoegninger/ny/{round_.slug}")
    assert response.headers["Location"].endswith(f"/ansoegninger/{application.id}")


def test_joint_application_co_applicant_sees_and_confirms(client, make_user, login, round_):
    odense = municipality(461)
    application = create_application(
        round_, municipality(751).id, status="draft", members=[odense.id], confirmed=False
    )
    db.session.commit()
    login(make_user(Role.MUNICIPAL, code=461))
    assert "Venter på jeres bekræftelse" in client.get("/ansoegninger/").get_data(as_text=True)
    page = client.get(f"/ansoegninger/{application.id}").get_data(as_text=True)
    assert "Bekræft den fælles ansøgning" in page
    # a co-applicant reads, but does not edit or submit
    assert client.get(f"/ansoegninger/{application.id}/rediger").status_code == 302
    assert client.post(f"/ansoegninger/{application.id}/indsend").status_code == 403
    assert client.post(f"/ansoegninger/{application.id}/bekraeft").status_code == 302
    db.session.refresh(application)
    assert application.members[0].confirmed_at is not None


def test_the_form_says_before_saving_that_a_change_asks_the_co_applicant_again(
    client, make_user, login, round_
):
    odense = municipality(461)
    application = create_application(
        round_, municipality(751).id, status="draft", members=[odense.id], confirmed=True
    )
    db.session.commit()
    login(make_user(Role.MUNICIPAL, code=751))
    page = client.get(f"/ansoegninger/{application.id}/rediger").get_data(as_text=True)
    assert "Odense har bekræftet ansøgningen. Gemmer I en ændring" in page


@pytest.mark.parametrize(
    ("method", "suffix"),
    [
        ("get", ""),
        ("get", "/rediger"),
        ("post", "/rediger"),
        ("post", "/indsend"),
        ("post", "/traek-tilbage"),
        ("post", "/genoptag"),
        ("post", "/bekraeft"),
        ("post", "/afslaa"),
    ],
)
def test_another_municipality_gets_404_for_every_page_of_an_application(
    client, make_user, login, round_, method, suffix
):
    application = create_application(round_, municipality(751).id, status="draft")
    db.session.commit()
    login(make_user(Role.MUNICIPAL, code=461))
    response = getattr(client, method)(f"/ansoegninger/{application.id}{suffix}")
    assert response.status_code == 404
    db.session.refresh(application)
    assert application.status == ApplicationStatus.DRAFT


@pytest.mark.parametrize(("role", "code"), [(Role.LEADERSHIP, 461), (Role.REVIEWER, 461)])
def test_other_roles_of_another_municipality_get_404(client, make_user, login, round_, role, code):
    application = create_application(round_, municipality(751).id)
    db.session.commit()
    login(make_user(role, code=code))
    assert client.get(f"/ansoegninger/{application.id}").status_code == 404
    assert application.municipality.name not in client.get("/ansoegninger/").get_data(as_text=True)


def test_leadership_reads_its_own_municipality_but_changes_nothing(
    client, make_user, login, round_
):
    application = create_application(round_, municipality(751).id, status="draft")
    db.session.commit()
    login(make_user(Role.LEADERSHIP, code=751))
    page = client.get(f"/ansoegninger/{application.id}").get_data(as_text=True)
    assert "Pia Projektleder" in page and "Redigér ansøgningen" not in page
    assert client.post(f"/ansoegninger/{application.id}/indsend").status_code == 403
    assert client.post(f"/ansoegninger/{application.id}/traek-tilbage").status_code == 403
    assert client.get(f"/ansoegninger/ny/{round_.slug}").status_code == 403


def test_a_forged_application_id_in_a_url_is_not_found(client, make_user, login):
    login(make_user(Role.MUNICIPAL, code=751))
    assert client.get("/ansoegninger/999999").status_code == 404
    assert client.get(f"/ansoegninger/{10**20}").status_code == 404


def test_withdraw_with_version_and_stale_version_is_refused(client, make_user, login, round_):
    application = create_application(round_, municipality(751).id, status="submitted")
    db.session.commit()
    login(make_user(Role.MUNICIPAL, code=751))
    response = client.post(
        f"/ansoegninger/{application.id}/traek-tilbage",
        data={"version": application.version - 1},
        follow_redirects=True,
    )
    assert "ændret af en anden" in response.get_data(as_text=True)
    client.post(
        f"/ansoegninger/{application.id}/traek-tilbage", data={"version": application.version}
    )
    db.session.refresh(application)
    assert application.status == ApplicationStatus.WITHDRAWN


def test_the_coordinator_lists_reopens_and_extends(client, make_user, login, round_):
    application = create_application(round_, municipality(751).id, status="submitted")
    db.session.commit()
    login(make_user(Role.COORDINATOR))
    listing = client.get("/ansoegninger/?status=submitted").get_data(as_text=True)
    assert "Aarhus" in listing
    response = client.post(
        f"/ansoegninger/{application.id}/genaabn",
        data={"reason": "Budgettet mangler", "version": application.version},
    )
    assert response.status_code == 302
    db.session.refresh(application)
    assert application.status == ApplicationStatus.DRAFT
    until = (utcnow() + timedelta(days=40)).date()
    response = client.post(
        f"/ansoegninger/forloeb/{round_.slug}/frister",
        data={
            "municipality_id": str(municipality(751).id),
            "until_date": until.isoformat(),
            "until_time": "12:00",
            "reason": "Politisk behandling",
        },
    )
    assert response.status_code == 302
    extension = db.session.scalar(select(DeadlineExtension))
    assert extension.reason == "Politisk behandling"
    page = client.get(f"/ansoegninger/forloeb/{round_.slug}/frister").get_data(as_text=True)
    assert "Politisk behandling" in page
    client.post(f"/ansoegninger/frister/{extension.id}/slet")
    assert db.session.scalar(select(DeadlineExtension)) is None


def test_an_extension_before_the_deadline_is_refused_at_the_field(client, make_user, login, round_):
    login(make_user(Role.COORDINATOR))
    response = client.post(
        f"/ansoegninger/forloeb/{round_.slug}/frister",
        data={
            "municipality_id": str(municipality(751).id),
            "until_date": utcnow().date().isoformat(),
            "until_time": "00:00",
            "reason": "x",
        },
    )
    assert response.status_code == 400
    assert "skal ligge efter forløbets frist" in response.get_data(as_text=True)


@pytest.mark.parametrize("role", [Role.MUNICIPAL, Role.LEADERSHIP, Role.REVIEWER])
def test_coordinator_actions_are_forbidden_to_others(client, make_user, login, round_, role):
    application = create_application(round_, municipality(751).id, status="submitted")
    db.session.commit()
    login(make_user(role, code=751))
    assert client.post(f"/ansoegninger/{application.id}/genaabn").status_code == 403
    assert client.get(f"/ansoegninger/forloeb/{round_.slug}/frister").status_code == 403


def test_a_failed_first_submit_keeps_the_saved_draft_and_posts_to_it_next(
    client, make_user, login, round_
):
    login(make_user(Role.MUNICIPAL, code=751))
    response = client.post(
        f"/ansoegninger/ny/{round_.slug}",
        data=form_data(round_, action="submit", backing_board=None),
    )
    assert response.status_code == 400
    application = application_of(round_, 751)
    assert f'action="/ansoegninger/{application.id}/rediger"' in response.get_data(as_text=True)
    response = client.post(
        f"/ansoegninger/{application.id}/rediger",
        data=form_data(round_, action="submit", version=application.version),
    )
    assert response.status_code == 302
    db.session.refresh(application)
    assert application.status == ApplicationStatus.SUBMITTED


def test_the_page_offers_only_what_the_rules_allow(client, make_user, login, round_):
    from portal.applications.permissions import can_decline_membership, can_reopen, can_withdraw

    odense = municipality(461).id
    application = create_application(
        round_, municipality(751).id, status="submitted", members=[odense]
    )
    db.session.commit()
    aarhus_user, odense_user = (
        make_user(Role.MUNICIPAL, code=751),
        make_user(Role.MUNICIPAL, code=461),
    )
    coordinator = make_user(Role.COORDINATOR)
    assert can_withdraw(aarhus_user, application) and not can_withdraw(odense_user, application)
    assert not can_decline_membership(odense_user, application)  # no longer a draft
    assert can_reopen(coordinator, application) and not can_reopen(aarhus_user, application)
    login(aarhus_user)
    page = client.get(f"/ansoegninger/{application.id}").get_data(as_text=True)
    assert "Træk ansøgningen tilbage" in page and "Genåbn ansøgningen" not in page
    application.status = ApplicationStatus.APPROVED
    db.session.commit()
    assert not can_withdraw(aarhus_user, application) and not can_reopen(coordinator, application)
    page = client.get(f"/ansoegninger/{application.id}").get_data(as_text=True)
    assert "Træk ansøgningen tilbage" not in page
