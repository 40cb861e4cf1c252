"""Every submission keeps a version; a reopened application submitted again shows what
changed side by side, and the reviewers who had scored it are told."""

from __future__ import annotations

from dataclasses import replace

import pytest
from sqlalchemy import select

from portal.applications import services, versions
from portal.applications.models import ApplicationVersion
from portal.auth.models import Role
from portal.db import db
from portal.notifications.models import Notification, OutboxMessage
from portal.review.models import Review, ReviewStatus
from tests.applications.test_services import BEFORE, DEADLINE, complete
from tests.conftest import municipality


@pytest.fixture
def round_():
    from datetime import timedelta

    from portal.programmes.models import ProgrammeGoal
    from tests.factories import create_programme, create_round

    programme = create_programme()
    programme.goals = [
        ProgrammeGoal(position=0, text_da="At komme i gang"),
        ProgrammeGoal(position=1, text_da="At udbrede til flere borgere"),
    ]
    db.session.flush()
    return create_round(programme, opens_at=DEADLINE - timedelta(days=60), deadline_at=DEADLINE)


@pytest.fixture
def aarhus():
    return municipality(751)


def _submitted(round_, aarhus, data):
    application = services.start_application(round_, aarhus, data, actor=None, now=BEFORE)
    services.submit(application, actor=None, now=BEFORE)
    db.session.commit()
    return application


def _resubmit(application, data, coordinator):
    services.reopen(application, "Ret motivationen", actor=coordinator)
    services.save_draft(application, data, actor=None)
    services.submit(application, actor=None, now=BEFORE)
    db.session.commit()


def test_word_diff_keeps_whitespace_and_marks_what_went_and_came():
    segments = versions.word_diff(
        "Vi vil frigøre tid i hjemmeplejen.", "Vi vil frigøre mere tid i plejen."
    )
    assert [(s.op, s.text) for s in segments] == [
        ("equal", "Vi vil frigøre "),
        ("insert", "mere "),
        ("equal", "tid i "),
        ("delete", "hjemmeplejen."),
        ("insert", "plejen."),
    ]
    old = "".join(s.text for s in segments if s.op != "insert")
    new = "".join(s.text for s in segments if s.op != "delete")
    assert (
        old == "Vi vil frigøre tid i hjemmeplejen." and new == "Vi vil frigøre mere tid i plejen."
    )


def test_each_submission_keeps_a_version_and_the_second_shows_what_changed(
    round_,
    aarhus,
    make_user,
):
    coordinator = make_user(Role.COORDINATOR)
    data = complete(round_)
    application = _submitted(round_, aarhus, data)
    first = versions.versions_of(application.id)
    assert [v.number for v in first] == [1]
    assert first[0].fields["motivation"] == "Vi vil frigøre tid."
    assert first[0].fields["goals"] == ["At komme i gang"]
    assert versions.latest_changes(first) is None

    changed = replace(
        data,
        motivation="Vi vil frigøre tid og styrke borgernes selvhjulpenhed.",
        backing_political=True,
        goal_ids=[g.id for g in round_.programme.goals],
        project_owner_title="Direktør",
    )
    _resubmit(application, changed, coordinator)
    kept = versions.versions_of(application.id)
    assert [v.number for v in kept] == [1, 2]
    latest = versions.latest_changes(kept)
    by_name = {c.name: c for c in latest.changes}
    assert set(by_name) == {"motivation", "backing_political", "goals", "project_owner_title"}
    motivation = by_name["motivation"]
    assert motivation.prose
    assert [s.text for s in motivation.segments if s.op == "insert"] == [
        "tid og styrke borgernes selvhjulpenhed."
    ]
    assert [s.text for s in motivation.segments if s.op == "delete"] == ["tid."]
    assert (by_name["backing_political"].old, by_name["backing_political"].new) == ("Nej", "Ja")
    assert by_name["goals"].new == "At komme i gang; At udbrede til flere borgere"
    assert (by_name["project_owner_title"].old, by_name["project_owner_title"].new) == (
        "Ældrechef",
        "Direktør",
    )


def test_reviewers_who_had_scored_are_told_that_it_changed(round_, aarhus, make_user):
    coordinator = make_user(Role.COORDINATOR)
    scored = make_user(Role.REVIEWER, name="Sofie Scorede")
    pending = make_user(Role.REVIEWER, name="Per Pending")
    data = complete(round_)
    application = _submitted(round_, aarhus, data)
    db.session.add_all(
        [
            Review(application=application, reviewer_id=scored.id, status=ReviewStatus.SUBMITTED),
            Review(application=application, reviewer_id=pending.id),
        ]
    )
    db.session.commit()
    _resubmit(application, replace(data, motivation="Ny motivation."), coordinator)
    notices = db.session.scalars(
        select(Notification).where(Notification.kind == "application_changed")
    ).all()
    assert [n.user_id for n in notices] == [scored.id]
    assert notices[0].params["version"] == 2
    assert notices[0].link == f"/ansoegninger/{application.id}/versioner"
    assert db.session.scalars(
        select(OutboxMessage.to_address).where(OutboxMessage.subject.like("Ansøgning ændret%"))
    ).all() == [scored.email]


def test_the_versions_page_side_by_side_for_the_coordinator_and_the_assigned_reviewer(
    round_,
    aarhus,
    make_user,
    client,
    login,
):
    coordinator = make_user(Role.COORDINATOR)
    reviewer = make_user(Role.REVIEWER)
    data = complete(round_)
    application = _submitted(round_, aarhus, data)
    db.session.add(Review(application=application, reviewer_id=reviewer.id))
    db.session.commit()
    _resubmit(application, replace(data, motivation="Vi vil frigøre meget tid nu."), coordinator)
    path = f"/ansoegninger/{application.id}/versioner"
    for user in (coordinator, reviewer):
        client.post("/logout")
        login(user)
        page = client.get(path).get_data(as_text=True)
        assert "<ins>" in page and "meget" in page and "<del>" in page
        assert "Fra version 1 til version 2" in page
    review_page = client.get(f"/vurdering/ansoegning/{application.id}").get_data(as_text=True)
    assert "Ændret siden sidste indsendelse" in review_page
    client.post("/logout")
    login(make_user(Role.MUNICIPAL, code=461))
    assert client.get(path).status_code == 404
    client.post("/logout")
    login(make_user(Role.REVIEWER))  # not assigned to it
    assert client.get(path).status_code == 404


def test_the_dossier_holds_the_versions_and_the_thread_without_attachment_contents(
    round_,
    aarhus,
    make_user,
):
    import io

    from portal.conversations import services as conversations
    from portal.conversations.models import ThreadKind
    from portal.review.dossier import build_dossier
    from tests.conversations.helpers import PDF

    coordinator = make_user(Role.COORDINATOR, name="Karen Koordinator")
    lead = make_user(Role.MUNICIPAL, code=751, name="Peter Projektleder")
    data = complete(round_)
    application = _submitted(round_, aarhus, data)
    subject = conversations.Subject(ThreadKind.APPLICATION, application)
    conversations.post_message(
        subject,
        "Her er budgettet.",
        [conversations.Upload(io.BytesIO(PDF), "budget.pdf")],
        actor=lead,
    )
    conversations.post_message(subject, "Ret motivationen.", actor=coordinator, ask_correction=True)
    services.save_draft(application, replace(data, motivation="Bedre motivation."), actor=None)
    services.submit(application, actor=None, now=BEFORE)
    db.session.commit()
    dossier = build_dossier(application)
    assert [(m.author, m.text) for m in dossier.messages] == [
        ("Peter Projektleder", "Her er budgettet."),
        ("Karen Koordinator", "Ret motivationen."),
    ]
    assert dossier.messages[0].attachments == [f"budget.pdf ({len(PDF)} B)"]
    assert dossier.messages[1].asks_correction
    assert [v.number for v in dossier.versions] == [1, 2]
    assert [c.name for c in dossier.changes[0].changes] == ["motivation"]
    from flask import render_template

    html = render_template("review/dossier.html", dossier=dossier)
    assert "budget.pdf" in html and "Her er budgettet." in html and "Bedre" in html
    assert "%PDF-1.4" not in html  # the attachment's contents are not in it


@pytest.mark.parametrize("count", [1])
def test_versions_are_kept_per_application(round_, aarhus, count):
    application = _submitted(round_, aarhus, complete(round_))
    other = _submitted(round_, municipality(461), complete(round_))
    numbers = db.session.execute(
        select(ApplicationVersion.application_id, ApplicationVersion.number).order_by(
            ApplicationVersion.application_id
        )
    ).all()
    assert numbers == [(application.id, count), (other.id, count)]
