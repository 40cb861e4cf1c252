"""Everything the portal holds about a person, as a ZIP (GDPR articles 15 and 20): their user
row, every row whose text names them and every row that points at them, as JSON, and the
files they sent (the attachment sources the domains register). Built from the same scan the
erasure uses, so what is handed over is what would be erased."""

from __future__ import annotations

import io
import json
import zipfile
from collections.abc import Callable, Iterable
from datetime import UTC, datetime

from sqlalchemy import select

from portal import files
from portal.auth.models import User
from portal.db import db
from portal.privacy.scan import USERS, OnTable, linked, plain_row, traces

# A domain that keeps files a person sent registers where they are: ``(user) -> [(name,
# key)]`` pairs of a file's name in the ZIP and its key in the file store.
AttachmentSource = Callable[[User], Iterable[tuple[str, str]]]
ATTACHMENT_SOURCES: list[AttachmentSource] = []


def register_attachments(source: AttachmentSource) -> AttachmentSource:
    ATTACHMENT_SOURCES.append(source)
    return source


@register_attachments
def _message_attachments(user: User) -> Iterable[tuple[str, str]]:
    """The files the person attached to their messages (``portal.conversations``)."""
    from portal.conversations.models import Attachment, Message

    rows = db.session.execute(
        select(Attachment.id, Attachment.filename, Attachment.key)
        .join(Message, Message.id == Attachment.message_id)
        .where(Message.author_id == user.id)
        .order_by(Attachment.id)
    )
    return [(f"{id_}-{name}", key) for id_, name, key in rows]


def person_data(user: User, on_table: OnTable | None = None) -> dict:
    own = db.session.execute(select(USERS).where(USERS.c.id == user.id)).mappings().one()
    return {
        "exported_at": datetime.now(UTC).isoformat(),
        "person": plain_row(USERS, own),
        "mentions": _grouped(t for t in traces(user, on_table=on_table) if t.table != USERS.name),
        "linked": _grouped(linked(user)),
    }


def _grouped(found) -> dict[str, list[dict]]:
    grouped: dict[str, list[dict]] = {}
    for trace in found:
        grouped.setdefault(trace.table, []).append(trace.row)
    return dict(sorted(grouped.items()))


def person_zip(user: User, on_table: OnTable | None = None) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr(
            "persondata.json",
            json.dumps(person_data(user, on_table), ensure_ascii=False, indent=2, default=str),
        )
        archive.writestr("LÆS MIG.txt", README)
        store = files.store()
        for source in ATTACHMENT_SOURCES:
            for name, key in source(user):
                try:
                    archive.writestr(f"bilag/{name}", b"".join(store.chunks(key)))
                except FileNotFoundError:
                    continue
    return buffer.getvalue()


README = """Skaleringsportalen: dine persondata (databeskyttelsesforordningen art. 15 og 20)

persondata.json indeholder:
- person: din brugerprofil (uden adgangskode);
- mentions: hver række i portalen, hvor dit navn eller din e-mail står, pr. tabel;
- linked: hver række, der peger på din bruger (det du har gjort: indtastninger, afgørelser,
  notifikationer, job).
bilag/ indeholder de filer, du har sendt.
"""
