"""When what owns a thread is deleted, its attachments' files leave the file store too (the
rows go by the database's cascade); a rollback keeps rows and files together."""

from __future__ import annotations

import io

from sqlalchemy import func, select

from portal import files
from portal.applications.models import ApplicationStatus
from portal.conversations import services
from portal.conversations.models import Attachment, ThreadKind
from portal.db import db
from portal.participations.services import remove_for_application
from tests.conversations.helpers import PDF, PNG


def _with_file(case, kind, obj, name="bilag.pdf", data=PDF) -> str:
    message = services.post_message(
        services.Subject(kind, obj),
        "Bilag vedhæftet",
        [services.Upload(io.BytesIO(data), name)],
        actor=case.coordinator,
    )
    db.session.commit()
    return message.attachments[0].key


def _stored(key: str) -> bool:
    return files.store().exists(key)


def _attachments() -> int:
    return db.session.scalar(select(func.count(Attachment.id)))


def test_an_approval_taken_back_removes_the_participations_and_reports_files(case):
    kept = _with_file(case, ThreadKind.APPLICATION, case.application)
    of_participation = _with_file(case, ThreadKind.PARTICIPATION, case.participation)
    of_report = _with_file(case, ThreadKind.REPORT, case.report, "skærm.png", PNG)
    assert all(_stored(k) for k in (kept, of_participation, of_report))
    case.application.status = ApplicationStatus.APPROVED
    remove_for_application(case.application, actor=case.coordinator)
    db.session.commit()
    assert not _stored(of_participation) and not _stored(of_report)
    assert _stored(kept)  # the application and its thread stay
    assert _attachments() == 1


def test_a_deleted_application_takes_its_threads_files(case):
    key = _with_file(case, ThreadKind.APPLICATION, case.application)
    other = _with_file(case, ThreadKind.PARTICIPATION, case.participation)
    db.session.delete(case.application)
    db.session.commit()
    assert not _stored(key) and _stored(other)


def test_a_rollback_keeps_the_rows_and_the_files(case):
    key = _with_file(case, ThreadKind.PARTICIPATION, case.participation)
    db.session.delete(case.participation)
    db.session.flush()
    db.session.rollback()
    assert _stored(key) and _attachments() == 1
    db.session.commit()  # nothing left over to remove at a later commit
    assert _stored(key)


def test_deleting_what_owns_no_thread_asks_nothing(case, count_queries):
    from portal.participations.models import Community

    _with_file(case, ThreadKind.APPLICATION, case.application)
    community = Community(round=case.round, name="Midlertidigt")
    db.session.add(community)
    db.session.commit()
    with count_queries() as counter:
        db.session.delete(community)
        db.session.commit()
    assert not [s for s in counter.statements if "conversation_attachments" in s]
    assert _attachments() == 1
