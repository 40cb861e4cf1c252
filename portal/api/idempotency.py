"""``Idempotency-Key``: the first answer to a write is kept per token and key; the same
request again gets it back (``Idempotent-Replayed: true``) and writes nothing, the same key
with another request is a conflict (409)."""

from __future__ import annotations

import hashlib

from flask import Response, json, request
from sqlalchemy import select
from sqlalchemy.exc import IntegrityError

from portal.api.models import IdempotentAnswer
from portal.api.problems import MEDIA_TYPE, Problem
from portal.db import db

HEADER = "Idempotency-Key"


def fingerprint() -> str:
    digest = hashlib.sha256(f"{request.method} {request.path}\n".encode())
    digest.update(request.get_data())
    return digest.hexdigest()


def _replay(found: IdempotentAnswer) -> Response:
    mimetype = MEDIA_TYPE if found.status >= 400 else "application/json"
    response = Response(json.dumps(found.body, ensure_ascii=False), found.status, mimetype=mimetype)
    response.headers["Idempotent-Replayed"] = "true"
    return response


def kept(token_id: int, key: str | None) -> Response | None:
    """The first answer to this key, when the request is the same; 409 when it is not."""
    if not key:
        return None
    found = db.session.scalar(
        select(IdempotentAnswer).where(
            IdempotentAnswer.token_id == token_id, IdempotentAnswer.key == key
        )
    )
    if found is None:
        return None
    if found.fingerprint != fingerprint():
        raise Problem("conflict")
    return _replay(found)


def keep_and_commit(token_id: int, key: str | None, status: int, body: dict) -> Response | None:
    """Store the answer with the write and commit both. Another request with the same key
    that committed first wins: this one's write is rolled back and its answer given."""
    if key:
        db.session.add(
            IdempotentAnswer(
                token_id=token_id, key=key, fingerprint=fingerprint(), status=status, body=body
            )
        )
    try:
        db.session.commit()
    except IntegrityError:
        db.session.rollback()
        return kept(token_id, key)
    return None
