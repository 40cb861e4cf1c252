"""Attachments are let in by their bytes, never their names; refused ones store nothing and
are not read past the size limit."""

from __future__ import annotations

import io

import pytest
from sqlalchemy import func, select

from portal.conversations import attachments as checks
from portal.conversations import services
from portal.conversations.models import Attachment, Message, ThreadKind
from portal.db import db
from portal.errors import InvalidInput
from portal.xlsx_reading import Limits
from tests.conversations.helpers import (
    EXE,
    PDF,
    PNG,
    CountingStream,
    docx,
    xlsx,
    zip_bomb_docx,
)


def _post(case, name: str, data, actor=None):
    stream = data if hasattr(data, "read") else io.BytesIO(data)
    return services.post_message(
        services.Subject(ThreadKind.APPLICATION, case.application),
        "Bilag vedhæftet",
        [services.Upload(stream, name)],
        actor=actor or case.lead,
    )


def _nothing_stored(puts) -> None:
    db.session.rollback()
    assert puts == []
    assert db.session.scalar(select(func.count(Attachment.id))) == 0
    assert db.session.scalar(select(func.count(Message.id))) == 0


@pytest.mark.parametrize(
    ("data", "name", "content_type"),
    [
        (PDF, "referat.pdf", checks.PDF),
        (PNG, "skærm.png", checks.PNG),
        (b"\xff\xd8\xff\xe0" + b"\x00" * 20, "foto.jpeg", checks.JPEG),
        (docx(), "notat.docx", checks.DOCX),
        (xlsx(), "budget.xlsx", checks.XLSX),
        (PDF, "uden-endelse", checks.PDF),
    ],
)
def test_the_allowed_kinds_are_found_in_their_bytes(app, data, name, content_type):
    checked = checks.check_upload(
        io.BytesIO(data), name, max_bytes=1 << 20, limits=Limits.from_config(app.config)
    )
    assert checked.content_type == content_type
    assert checked.data == data
    assert checked.filename.endswith(checks.SUFFIX[content_type]) or checked.filename.endswith(
        ".jpeg"
    )


def test_an_attachment_is_stored_and_kept_with_its_name_and_size(case, puts):
    message = _post(case, "../../etc/referat.pdf", PDF)
    db.session.commit()
    (attachment,) = message.attachments
    assert attachment.filename == "referat.pdf"
    assert attachment.size == len(PDF) and attachment.content_type == checks.PDF
    assert puts == [attachment.key]
    from portal import files

    assert files.read(attachment.key) == PDF


def test_a_program_named_pdf_is_refused_and_nothing_is_stored(case, puts):
    with pytest.raises(InvalidInput) as refused:
        _post(case, "faktura.pdf", EXE)
    assert refused.value.field == "attachments"
    assert "faktura.pdf" in refused.value.message
    _nothing_stored(puts)


def test_a_zip_that_is_no_office_file_is_refused(case, puts):
    plain = io.BytesIO()
    import zipfile

    with zipfile.ZipFile(plain, "w") as archive:
        archive.writestr("hej.txt", "hej")
    with pytest.raises(InvalidInput):
        _post(case, "notat.docx", plain.getvalue())
    _nothing_stored(puts)


def test_a_zip_bomb_disguised_as_docx_is_refused_without_unpacking(case, puts):
    bomb = zip_bomb_docx(16 << 20)
    assert len(bomb) < 100_000  # 16 MB of zeros in a few kilobytes
    with pytest.raises(InvalidInput) as refused:
        _post(case, "kontrakt.docx", bomb)
    assert "pakkes ud" in refused.value.message
    _nothing_stored(puts)


def test_a_file_over_the_limit_is_refused_without_reading_it_whole(case, puts, app, monkeypatch):
    monkeypatch.setitem(app.config, "ATTACHMENT_MAX_BYTES", 1 << 20)
    huge = CountingStream(200 << 20)
    with pytest.raises(InvalidInput) as refused:
        _post(case, "stor.pdf", huge)
    assert "1 MB" in refused.value.message
    assert huge.read_bytes == (1 << 20) + 1
    _nothing_stored(puts)


def test_one_refused_file_among_good_ones_stores_none_of_them(case, puts):
    with pytest.raises(InvalidInput):
        services.post_message(
            services.Subject(ThreadKind.APPLICATION, case.application),
            "To bilag",
            [services.Upload(io.BytesIO(PDF), "a.pdf"), services.Upload(io.BytesIO(EXE), "b.pdf")],
            actor=case.lead,
        )
    _nothing_stored(puts)


def test_more_files_than_allowed_are_refused(case, puts, app, monkeypatch):
    monkeypatch.setitem(app.config, "ATTACHMENTS_PER_MESSAGE", 2)
    with pytest.raises(InvalidInput):
        services.post_message(
            services.Subject(ThreadKind.APPLICATION, case.application),
            "Tre bilag",
            [services.Upload(io.BytesIO(PDF), f"{n}.pdf") for n in range(3)],
            actor=case.lead,
        )
    _nothing_stored(puts)
