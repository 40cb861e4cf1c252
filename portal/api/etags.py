"""Reads answer with an ``ETag`` of their body; ``If-None-Match`` with it gets 304."""

from __future__ import annotations

import hashlib

from flask import Response, request
from pydantic import BaseModel


def answer(model: BaseModel, status: int = 200, headers=None) -> Response:
    body = model.model_dump_json()
    response = Response(body, status=status, mimetype="application/json", headers=headers)
    if request.method == "GET" and status == 200:
        response.set_etag(hashlib.sha256(body.encode()).hexdigest()[:32])
        response.headers["Cache-Control"] = "private, no-cache"
        return response.make_conditional(request)
    return response
