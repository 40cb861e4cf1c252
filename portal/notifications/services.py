"""Telling municipalities what happened: a notice in the portal and an e-mail in the outbox,
written in the caller's transaction so nothing is lost when the mail server is down."""

from __future__ import annotations

from typing import Any


def notify(
    municipality_ids: list[int],
    kind: str,
    params: dict[str, Any] | None = None,
    *,
    link: str = "",
    extra_emails: list[str] | None = None,
) -> None:
    """A notice for each municipality's users and an outbox e-mail to its active municipal
    users (and ``extra_emails``, e.g. the application's project lead). ``kind`` is one of
    ``notifications.texts.KINDS``: application_submitted, application_decided,
    community_placed, joint_invitation, application_reopened, application_withdrawn."""
    # STUB: the notifications work replaces this (notices, outbox, e-mail).
    return None
