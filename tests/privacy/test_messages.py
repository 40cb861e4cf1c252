"""Messages leave five years after their collaboration ended, with their attachments' files;
a person's access export carries the files they attached."""

from __future__ import annotations

import io
import json
import zipfile
from datetime import UTC, datetime, time, timedelta

from portal import files
from portal.conversations import services
from portal.conversations.models import Attachment, Message, Thread, ThreadKind
from portal.db import db
from portal.privacy import retention
from portal.privacy.export import person_zip
from tests.conversations.conftest import case  # noqa: F401 (the fixture)
from tests.conversations.helpers import PDF


def _message_with_file(case) -> Message:  # noqa: F811
    message = services.post_message(
        services.Subject(ThreadKind.APPLICATION, case.application),
        "Budgettet er vedhæftet.",
        [services.Upload(io.BytesIO(PDF), "budget.pdf")],
        actor=case.lead,
    )
    db.session.commit()
    return message


def test_messages_go_five_years_after_the_end_with_their_files(case):  # noqa: F811
    message = _message_with_file(case)
    key = message.attachments[0].key
    message_id, thread_id = message.id, message.thread_id
    ended = datetime.combine(case.round.period_end, time(), UTC)

    assert ("messages", message_id) not in {
        (i.kind, i.row_id) for i in retention.plan(ended + timedelta(days=4 * 365))
    }
    later = ended + timedelta(days=5 * 365 + 2)
    assert ("messages", message_id) in {(i.kind, i.row_id) for i in retention.plan(later)}
    retention.run(dry_run=False, origin="cli", now=later)
    db.session.commit()

    db.session.expire_all()
    assert db.session.get(Message, message_id) is None
    assert db.session.query(Attachment).filter_by(message_id=message_id).count() == 0
    assert not files.store().exists(key)
    assert db.session.get(Thread, thread_id) is not None  # the thread stays, empty


def test_the_access_export_carries_the_persons_attachments(case):  # noqa: F811
    message = _message_with_file(case)
    with zipfile.ZipFile(io.BytesIO(person_zip(case.lead))) as archive:
        attachment = message.attachments[0]
        assert archive.read(f"bilag/{attachment.id}-budget.pdf") == PDF
        data = json.loads(archive.read("persondata.json"))
    bodies = [m["body"] for m in data["linked"]["conversation_messages"]]
    assert bodies == ["Budgettet er vedhæftet."]
