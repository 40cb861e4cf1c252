"""A reopened application submitted again: the reviewers who had already scored it are told
that it changed (a notice and an e-mail), so they can read what changed and score again if
they want. Connected to ``applications.signals.application_resubmitted``."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from sqlalchemy import select

from portal.auth.models import User
from portal.db import db
from portal.links import path_for
from portal.notifications.services import notify_users
from portal.notifications.texts import KINDS, Kind, Texts, round_names
from portal.review.models import Review, ReviewStatus

KINDS["application_changed"] = Kind(
    params=("round", "municipality", "version"),
    texts=Texts(
        notice=_l(
            "%(municipality)s har ændret og indsendt sin ansøgning til %(round)s igen"
            " (version %(version)s), efter du bedømte den. Se, hvad der er ændret."
        ),
        subject=_l("Ansøgning ændret efter din bedømmelse: %(round)s"),
        body=_l(
            "%(municipality)s har ændret sin ansøgning til %(round)s og indsendt den igen"
            " (version %(version)s), efter du bedømte den. Se ændringerne side om side i"
            " Skaleringsportalen."
        ),
    ),
)


def scored_by(application_id: int) -> list[User]:
    """The reviewers who had submitted their scores for the application."""
    return list(
        db.session.scalars(
            select(User)
            .join(Review, Review.reviewer_id == User.id)
            .where(
                Review.application_id == application_id,
                Review.status == ReviewStatus.SUBMITTED,
            )
            .order_by(User.id)
        )
    )


def _on_resubmitted(application, *, version, previous, **_extra) -> None:
    reviewers = scored_by(application.id)
    if reviewers:
        notify_users(
            reviewers,
            "application_changed",
            {
                **round_names(application.round),
                "municipality": application.municipality.name,
                "version": version.number,
            },
            link=path_for("applications.version_history", application_id=application.id),
        )


def connect_signals() -> None:
    from portal.applications.signals import application_resubmitted

    application_resubmitted.connect(_on_resubmitted)
