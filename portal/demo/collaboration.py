"""The demo's collaboration: applications, reviews, decisions, communities and grants, made
through the same services as the pages, so the demo shows what the portal really does.

- Shift planning 2026 (``vagtplanlaegning-2026``): a closed, oversubscribed round that has
  been reviewed and decided — 2 leads and 12 participant municipalities applied for places
  for 10; two reviewers scored (one strictly, one application flagged for discussion), the
  coordinator approved, wait-listed and rejected, the communities were formed from the
  portal's suggestion and the first grants paid out.
- Screen visits 2025 (``skaermbesoeg-2025``): a collaboration that began before the portal,
  registered with the participant import.
- The open screen-visit round: Aarhus approved early as lead with its community formed,
  Odense's application submitted (corrected after a conversation with the coordinator,
  ``portal.demo.conversation``), Aalborg's joint draft waiting for Vejle to confirm.
- Figures for the two running rounds (``portal.demo.figures``): baselines, targets,
  measurements up to today and costs, through the file import.
- An ended route-planning collaboration with Helsingør's follow-up a year after, with
  figures (``portal.demo.ended``).

Each part is skipped when its round already has applications or participants, so loading
the demo again changes nothing.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from pathlib import Path

from sqlalchemy import func, select

from portal import access
from portal.applications import services as applications
from portal.applications.data import ApplicationData
from portal.applications.models import (
    ApplicantRole,
    Application,
    ApplicationMember,
    ApplicationStatus,
    Experience,
)
from portal.auth.models import User
from portal.db import db
from portal.municipalities.models import Municipality
from portal.participations import communities, grants
from portal.participations.importing import import_participants
from portal.participations.models import Participation
from portal.participations.suggestion import accept_suggestion, suggest
from portal.programmes.models import Round
from portal.review import decisions
from portal.review import services as review
from portal.review.models import Criterion, Review

SAMPLE_DIR = Path(__file__).resolve().parent.parent / "data" / "participants"


@dataclass(frozen=True)
class DemoApplication:
    code: int
    role: ApplicantRole
    experience: Experience | None
    scores: tuple[int, int, int]  # experience, leadership, readiness (first reviewer)
    decision: ApplicationStatus
    members: tuple[int, ...] = ()


LEAD, PARTICIPANT = ApplicantRole.LEAD, ApplicantRole.PARTICIPANT
APPROVED, WAITLISTED, REJECTED = (
    ApplicationStatus.APPROVED,
    ApplicationStatus.WAITLISTED,
    ApplicationStatus.REJECTED,
)

SHIFT_PLANNING = [
    DemoApplication(751, LEAD, None, (5, 5, 4), APPROVED),  # Aarhus
    DemoApplication(461, LEAD, None, (4, 5, 5), APPROVED),  # Odense
    DemoApplication(851, PARTICIPANT, Experience.SOME, (4, 4, 4), APPROVED),  # Aalborg
    DemoApplication(217, PARTICIPANT, Experience.SMALL_SCALE, (5, 4, 5), APPROVED),  # Helsingør
    DemoApplication(760, PARTICIPANT, Experience.SOME, (4, 5, 4), APPROVED),  # Ringkøbing-Skj.
    DemoApplication(573, PARTICIPANT, Experience.NONE, (3, 4, 4), APPROVED, (561,)),  # Varde+E.
    DemoApplication(630, PARTICIPANT, Experience.SOME, (4, 3, 4), APPROVED),  # Vejle
    DemoApplication(615, PARTICIPANT, Experience.NONE, (3, 4, 3), APPROVED),  # Horsens
    DemoApplication(657, PARTICIPANT, Experience.SMALL_SCALE, (4, 3, 3), APPROVED),  # Herning
    DemoApplication(740, PARTICIPANT, Experience.NONE, (3, 3, 4), APPROVED),  # Silkeborg
    DemoApplication(621, PARTICIPANT, Experience.NONE, (2, 3, 3), WAITLISTED),  # Kolding
    DemoApplication(730, PARTICIPANT, Experience.NONE, (2, 2, 1), REJECTED),  # Randers
]

# Bent is a strict reviewer: one point below Eva on every criterion (the calibration page
# shows it, and his normalised scores lie above his raw ones) — except Horsens' readiness,
# which he rates 5 against Eva's 3: flagged for discussion.
STRICT_EXCEPTIONS = {615: (2, 3, 5)}


def _strict(scores: tuple[int, int, int]) -> tuple[int, int, int]:
    return tuple(max(1, s - 1) for s in scores)  # type: ignore[return-value]


REASONS = {
    APPROVED: "Godkendt: stærk ledelsesmæssig forankring og en klar plan for udbredelsen.",
    WAITLISTED: (
        "Sat på venteliste: forløbet er overansøgt, og ansøgningen blev rangeret lige under"
        " kapacitetsgrænsen. I rykker ind, hvis en plads bliver ledig."
    ),
    REJECTED: (
        "Afvist: forløbet er overansøgt, og ansøgningen viser endnu ikke opbakning til at"
        " arbejde strategisk med vagtplanlægning. I er velkomne til at søge næste runde."
    ),
}

MOTIVATION = (
    "Vi vil bruge datadrevet planlægning til at fordele medarbejderressourcerne bedre,"
    " nedbringe brugen af vikarer og overholde hviletidsreglerne."
)


def _by_code(codes) -> dict[int, Municipality]:
    return {
        m.code: m
        for m in db.session.scalars(
            select(Municipality).where(Municipality.country == "DK", Municipality.code.in_(codes))
        )
    }


def _has_applications(round_: Round) -> bool:
    return bool(
        db.session.scalar(
            select(func.count(Application.id)).where(Application.round_id == round_.id)
        )
    )


def _historic_application(
    round_: Round,
    municipality: Municipality,
    spec: DemoApplication,
    *,
    submitted_at: datetime,
    members: list[Municipality],
) -> Application:
    """An application as the municipality submitted it before the portal's demo began (the
    round is closed now, so it is written as it stood at the deadline)."""
    lead = spec.role == LEAD
    application = Application(
        round=round_,
        municipality_id=municipality.id,
        role=spec.role,
        status=ApplicationStatus.SUBMITTED,
        experience=spec.experience,
        competence_statement=(
            f"{municipality.name} har planlagt vagter datadrevet i hele ældreplejen siden 2024"
            " og har hentet gevinsterne hjem."
            if lead
            else ""
        ),
        capacity_statement=(
            "Et fast team på fire planlæggere og en dataanalytiker, der kan hjælpe andre."
            if lead
            else ""
        ),
        motivation=MOTIVATION,
        project_lead_name=f"Projektleder {municipality.name}",
        project_lead_email=f"projektleder@{_domain(municipality)}",
        project_owner_name=f"Chef {municipality.name}",
        project_owner_title="Ældrechef",
        backing_board=True,
        backing_management=True,
        backing_political=spec.scores[1] >= 4,
        submitted_at=submitted_at,
    )
    application.goals = list(round_.programme.goals[:2])
    for member in members:
        application.members.append(
            ApplicationMember(municipality_id=member.id, confirmed_at=submitted_at)
        )
    db.session.add(application)
    db.session.flush()
    return application


def _domain(municipality: Municipality) -> str:
    plain = municipality.name.lower().translate(str.maketrans({"æ": "ae", "ø": "oe", "å": "aa"}))
    return "".join(c for c in plain if c.isalnum()) + ".dk"


def _score(application: Application, reviewer: User, scores: tuple[int, int, int]) -> None:
    review_row = db.session.scalar(
        select(Review).where(
            Review.application_id == application.id, Review.reviewer_id == reviewer.id
        )
    )
    data = review.ScoreData(
        scores=dict(zip(Criterion, scores, strict=True)),
        comments={
            Criterion.EXPERIENCE: "Beskrevet konkret i ansøgningen.",
            Criterion.LEADERSHIP: "Opbakning i direktion og på chefniveau.",
            Criterion.READINESS: "Klar plan for de første måneder.",
        },
    )
    review.save_review(review_row, data, actor=reviewer, submit=True)


def load_shift_planning(round_: Round, users: dict[str, User]) -> None:
    """The decided round: applications, two reviewers' scores, decisions, communities and
    the first disbursements."""
    if _has_applications(round_):
        return
    coordinator = users["koordinator@demo.dk"]
    bent, eva = users["bedoemmer@demo.dk"], users["ekspert@demo.dk"]
    codes = {s.code for s in SHIFT_PLANNING} | {m for s in SHIFT_PLANNING for m in s.members}
    by_code = _by_code(codes)
    submitted_at = round_.deadline_at - timedelta(days=3)
    made: list[tuple[DemoApplication, Application]] = []
    for n, spec in enumerate(SHIFT_PLANNING):
        application = _historic_application(
            round_,
            by_code[spec.code],
            spec,
            submitted_at=submitted_at + timedelta(hours=n),
            members=[by_code[c] for c in spec.members],
        )
        made.append((spec, application))
    for spec, application in made:
        reviewers = [eva] if bent.municipality_id in application.municipality_ids else [eva, bent]
        review.assign_reviewers([application], reviewers, actor=coordinator)
        _score(application, eva, spec.scores)
        if bent in reviewers and spec.code == 621:  # a neighbour: Bent declares a conflict
            own = db.session.scalar(
                select(Review).where(
                    Review.application_id == application.id, Review.reviewer_id == bent.id
                )
            )
            review.declare_conflict(
                own, "Jeg har tidligere arbejdet i Koldings ældrepleje.", actor=bent
            )
        elif bent in reviewers:
            _score(application, bent, STRICT_EXCEPTIONS.get(spec.code) or _strict(spec.scores))
    for spec, application in made:
        decisions.decide(application, spec.decision, REASONS[spec.decision], actor=coordinator)
    suggestion = suggest(round_)
    accept_suggestion(round_, suggestion.fingerprint, actor=coordinator)
    _pay_first_rates(round_, coordinator)


def _pay_first_rates(round_: Round, coordinator: User) -> None:
    """Half of each lead's grant and 100.000 kr. to each participant, early in the period."""
    participations = db.session.scalars(
        select(Participation).where(Participation.round_id == round_.id)
    )
    for participation in participations:
        grant = participation.grant or 0
        amount = grant // 2 if participation.role == LEAD else min(grant, 100_000)
        if amount:
            grants.record_disbursement(
                participation,
                round_.period_start + timedelta(days=14),
                amount,
                "1. rate",
                actor=coordinator,
            )


def load_running_collaboration(round_: Round, coordinator: User) -> None:
    """A collaboration that began before the portal, registered with the participant import."""
    exists = db.session.scalar(
        select(func.count(Participation.id)).where(Participation.round_id == round_.id)
    )
    if exists:
        return
    sample = SAMPLE_DIR / f"{round_.slug}.csv"
    import_participants(sample.read_bytes(), round_, actor=coordinator)


def load_open_round(round_: Round, users: dict[str, User], now: datetime) -> None:
    """Live work in the open round: Aarhus approved early as lead with its community,
    Odense submitted, Aalborg's joint draft waiting for Vejle."""
    if _has_applications(round_):
        return
    coordinator = users["koordinator@demo.dk"]
    by_code = _by_code([751, 461, 851, 630])
    goal = [round_.programme.goals[0].id]

    def data(**extra) -> ApplicationData:
        values = dict(
            role="participant",
            experience="some",
            goal_ids=goal,
            motivation="Vi vil udbrede skærmbesøg i sygeplejen og frigøre tid.",
            project_lead_name="Demo Projektleder",
            project_lead_email="projektleder@demo.dk",
            project_owner_name="Demo Chef",
            project_owner_title="Sundhedschef",
            backing_board=True,
            backing_management=True,
        )
        values.update(extra)
        return ApplicationData(**values)

    aarhus_user = users["projektleder.aarhus@demo.dk"]
    aarhus = applications.start_application(
        round_,
        by_code[751],
        data(
            role="lead",
            experience="",
            competence_statement="Skærmbesøg i hele hjemme- og sygeplejen siden 2022.",
            capacity_statement="Et implementeringsteam på fem, der har hjulpet tre kommuner.",
        ),
        actor=aarhus_user,
        now=now,
    )
    applications.submit(aarhus, actor=aarhus_user, now=now)
    decisions.decide(
        aarhus,
        APPROVED,
        "Godkendt som skaleringsleder allerede nu, så fællesskabet kan planlægges.",
        actor=coordinator,
    )
    lead = db.session.scalar(
        select(Participation).where(
            Participation.round_id == round_.id,
            access.belonging_to(Participation, aarhus.municipality_id),
        )
    )
    communities.create_community(round_, "Fællesskab Aarhus", actor=coordinator, lead=lead)
    odense_user = users["projektleder.odense@demo.dk"]
    odense_data = data(experience="none")
    odense = applications.start_application(
        round_, by_code[461], odense_data, actor=odense_user, now=now
    )
    applications.submit(odense, actor=odense_user, now=now)
    from portal.demo.conversation import load_conversation

    load_conversation(odense, odense_data, odense_user, coordinator, now)
    applications.start_application(
        round_,
        by_code[851],
        data(member_ids=[by_code[630].id], motivation="Sammen med Vejle vil vi skalere."),
        actor=users["projektleder.aalborg@demo.dk"],
        now=now,
    )


def load_collaboration(users: dict[str, User], now: datetime) -> None:
    rounds = {
        r.slug: r
        for r in db.session.scalars(
            select(Round).where(
                Round.slug.in_(
                    ["vagtplanlaegning-2026", "skaermbesoeg-2025", "skaermbesoeg-demo-aaben"]
                )
            )
        )
    }
    if "vagtplanlaegning-2026" in rounds:
        load_shift_planning(rounds["vagtplanlaegning-2026"], users)
    if "skaermbesoeg-2025" in rounds:
        load_running_collaboration(rounds["skaermbesoeg-2025"], users["koordinator@demo.dk"])
    if "skaermbesoeg-demo-aaben" in rounds:
        load_open_round(rounds["skaermbesoeg-demo-aaben"], users, now)
    db.session.flush()
    from portal.demo.figures import load_figures, load_reports
    from portal.demo.promise import load_promises
    from portal.i18n import COPENHAGEN

    today = now.astimezone(COPENHAGEN).date()
    for slug in ("skaermbesoeg-2025", "vagtplanlaegning-2026"):
        if slug in rounds:
            load_figures(rounds[slug], users["koordinator@demo.dk"], today)
            load_reports(rounds[slug], today)
            load_promises(rounds[slug], users["koordinator@demo.dk"])
    from portal.demo.ended import load_ended

    load_ended(users, today)
    from portal.openresults.demo import load_consents

    load_consents(users)
    db.session.flush()
