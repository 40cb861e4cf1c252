"""An application's dossier as plain values: the application, its reviews and the decision.

Built first, then rendered (the review page shows the same facts, the PDF prints them), so
the templates get strings already in the user's formats and never touch the database.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from flask_babel import gettext as _

from portal.applications.labels import experience_label, role_label, status_label
from portal.applications.models import ApplicantRole, Application
from portal.applications.versions import changes_between, versions_of
from portal.db import utcnow
from portal.i18n import local_date, local_datetime
from portal.review.criteria import CRITERIA, format_score, weights
from portal.review.labels import review_status_label
from portal.review.overview import ReviewRow, average, review_row
from portal.review.services import progress, reviews_of


@dataclass
class Fact:
    label: str
    value: str
    long: bool = False  # a free text, shown as a paragraph


@dataclass
class ApplicationFacts:
    id: int
    title: str
    round_name: str
    programme_name: str
    municipality: str
    region: str
    role: str
    status: str
    co_applicants: list[str]
    goals: list[str]
    facts: list[Fact]
    backing: list[tuple[str, bool]]


def _yes_no(value: bool) -> str:
    return _("Ja") if value else _("Nej")


def application_facts(application: Application) -> ApplicationFacts:
    round_ = application.round
    facts = [
        Fact(
            _("Kommune"),
            f"{application.municipality.name} ({application.municipality.code_display})",
        ),
        Fact(_("Region"), application.municipality.region),
        Fact(_("Rolle"), role_label(application.role)),
        Fact(_("Status"), status_label(application.status)),
        Fact(_("Indsendt"), local_datetime(application.submitted_at)),
    ]
    if application.role == ApplicantRole.PARTICIPANT or application.experience:
        facts.append(Fact(_("Erfaring med teknologien"), experience_label(application.experience)))
    if application.role == ApplicantRole.LEAD:
        facts += [
            Fact(_("Kompetencer"), application.competence_statement or "–", long=True),
            Fact(_("Kapacitet"), application.capacity_statement or "–", long=True),
        ]
    facts += [
        Fact(_("Motivation"), application.motivation or "–", long=True),
        Fact(
            _("Projektleder"),
            ", ".join(
                x for x in (application.project_lead_name, application.project_lead_email) if x
            )
            or "–",
        ),
        Fact(
            _("Projektejer"),
            ", ".join(
                x for x in (application.project_owner_name, application.project_owner_title) if x
            )
            or "–",
        ),
    ]
    co_applicants = [
        m.municipality.name
        if m.confirmed_at
        else _("%(name)s (har ikke bekræftet)", name=m.municipality.name)
        for m in application.members
    ]
    return ApplicationFacts(
        id=application.id,
        title=_("Ansøgning fra %(name)s", name=application.municipality.name),
        round_name=round_.name_da,
        programme_name=round_.programme.name_da,
        municipality=application.municipality.name,
        region=application.municipality.region,
        role=role_label(application.role),
        status=status_label(application.status),
        co_applicants=co_applicants,
        goals=[g.text_da for g in application.goals],
        facts=facts,
        backing=[
            (_("Opbakning i direktionen"), application.backing_board),
            (_("Opbakning på chefniveau"), application.backing_management),
            (_("Opbakning på politisk niveau"), application.backing_political),
        ],
    )


@dataclass
class ScoreLine:
    criterion: str
    weight: int
    score: str
    comment: str


@dataclass
class ReviewFacts:
    reviewer: str
    status: str
    lines: list[ScoreLine]
    total: str
    conflict_note: str
    submitted_at: str


def review_facts(row: ReviewRow, round_) -> ReviewFacts:
    w = weights(round_)
    return ReviewFacts(
        reviewer=row.reviewer
        + (f" ({row.reviewer_municipality})" if row.reviewer_municipality else ""),
        status=review_status_label(row.status),
        lines=[
            ScoreLine(
                str(info.label),
                w[info.criterion],
                str(row.scores[info.criterion] or "–"),
                row.comments[info.criterion],
            )
            for info in CRITERIA
        ],
        total=format_score(row.total),
        conflict_note=row.conflict_note,
        submitted_at=local_datetime(row.submitted_at),
    )


@dataclass
class MessageFacts:
    """A message of the application's thread as the dossier prints it: attachments by name
    and size only, never their contents."""

    author: str
    side: str
    at: str
    text: str
    attachments: list[str]
    asks_correction: bool


@dataclass
class VersionFacts:
    number: int
    submitted_at: str
    submitted_by: str


def thread_facts(application: Application) -> list[MessageFacts]:
    from portal.conversations.attachments import readable_size
    from portal.conversations.models import ThreadKind
    from portal.conversations.services import Subject, thread_of

    thread = thread_of(Subject(ThreadKind.APPLICATION, application))
    return [
        MessageFacts(
            author=m.author.name if m.author else _("Slettet bruger"),
            side=_("kommunen") if m.from_municipality else _("koordinator"),
            at=local_datetime(m.created_at),
            text=m.body,
            attachments=[f"{a.filename} ({readable_size(a.size)})" for a in m.attachments],
            asks_correction=m.asks_correction,
        )
        for m in (thread.messages if thread else [])
    ]


@dataclass
class Dossier:
    application: ApplicationFacts
    reviews: list[ReviewFacts]
    progress: str
    average: str
    decision: str
    decision_reason: str
    decided_at: str
    decided_by: str
    generated_at: str
    weights: list[tuple[str, int]] = field(default_factory=list)
    messages: list[MessageFacts] = field(default_factory=list)
    versions: list[VersionFacts] = field(default_factory=list)
    # What each submission changed, newest first (``applications.versions.VersionChanges``).
    changes: list = field(default_factory=list)


def build_dossier(application: Application) -> Dossier:
    round_ = application.round
    reviews = reviews_of(application)
    rows = [review_row(r, round_) for r in reviews]
    done = progress(reviews)
    decided = application.decided_at is not None
    w = weights(round_)
    kept = versions_of(application.id)
    return Dossier(
        application=application_facts(application),
        reviews=[review_facts(r, round_) for r in rows],
        progress=_("%(done)d/%(total)d bedømmelser færdige", done=done.done, total=done.total),
        average=format_score(average([r.total for r in rows if r.total is not None])),
        decision=status_label(application.status) if decided else _("Ikke afgjort"),
        decision_reason=application.decision_reason if decided else "",
        decided_at=local_date(application.decided_at) if decided else "",
        decided_by=application.decided_by.name if application.decided_by else "",
        generated_at=local_datetime(utcnow()),
        weights=[(str(info.label), w[info.criterion]) for info in CRITERIA],
        messages=thread_facts(application),
        versions=[
            VersionFacts(
                v.number,
                local_datetime(v.submitted_at),
                v.submitted_by.name if v.submitted_by else "",
            )
            for v in kept
        ],
        changes=changes_between(kept),
    )
