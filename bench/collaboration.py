"""The collaboration's pages at national scale: the open demo round as the baseline (three
applications), then every active Danish municipality applying to it, reviewed, approved
and placed — query counts and times as ratios against the baseline, and the time of the
work a coordinator starts (deciding every application, the community suggestion, a PDF
dossier)."""

from __future__ import annotations

import time

from sqlalchemy import select

from portal.applications.models import ApplicantRole, Application, ApplicationStatus, Experience
from portal.auth.models import User
from portal.db import db, utcnow
from portal.municipalities.models import Municipality
from portal.programmes.models import Round
from portal.review import decisions
from portal.review.models import Review, ReviewStatus

ROUND = "skaermbesoeg-demo-aaben"
PAGES = {
    "review_overview": f"/vurdering/forloeb/{ROUND}",
    "review_ranking": f"/vurdering/forloeb/{ROUND}/rangering",
    "applications_list": "/ansoegninger/?status=submitted",
    "communities": f"/deltagere/forloeb/{ROUND}/faellesskaber",
    "grants": f"/deltagere/forloeb/{ROUND}/tilskud",
}
LEADS = 9  # every ninth applicant applies as lead, as a national call would see


def everyone_applies(round_: Round) -> list[Application]:
    """Every active municipality without an application submits one, scored by the expert."""
    taken = {
        m
        for a in db.session.scalars(select(Application).where(Application.round_id == round_.id))
        for m in a.municipality_ids
    }
    reviewer = db.session.scalar(select(User).where(User.email == "ekspert@demo.dk"))
    made = []
    municipalities = db.session.scalars(
        select(Municipality).where(Municipality.active, Municipality.country == "DK")
    )
    for n, municipality in enumerate(m for m in municipalities if m.id not in taken):
        lead = n % LEADS == 0
        application = Application(
            round=round_,
            municipality_id=municipality.id,
            role=ApplicantRole.LEAD if lead else ApplicantRole.PARTICIPANT,
            status=ApplicationStatus.SUBMITTED,
            experience=None if lead else Experience.SOME,
            competence_statement="Erfaren." if lead else "",
            capacity_statement="Et team." if lead else "",
            motivation="Frigøre tid.",
            project_lead_name="P",
            project_lead_email="p@example.dk",
            project_owner_name="C",
            project_owner_title="Chef",
            backing_board=True,
            backing_management=True,
            submitted_at=utcnow(),
        )
        application.goals = list(round_.programme.goals[:1])
        score = 1 + n % 5
        application_review = Review(
            application=application,
            reviewer=reviewer,
            status=ReviewStatus.SUBMITTED,
            score_experience=score,
            score_leadership=6 - score,
            score_readiness=3,
            submitted_at=utcnow(),
        )
        db.session.add_all([application, application_review])
        made.append(application)
    db.session.flush()
    return made


def run(app, client, measure, bench) -> None:
    baseline = {name: measure(client, path) for name, path in PAGES.items()}
    with app.app_context():
        round_ = db.session.scalar(select(Round).where(Round.slug == ROUND))
        coordinator = db.session.scalar(select(User).where(User.email == "koordinator@demo.dk"))
        made = everyone_applies(round_)
        db.session.commit()
        bench("collaboration_applications", len(made) + 3)  # and Vejle joint with Aalborg
        start = time.perf_counter()
        decisions.decide_many(
            [(a, a.version) for a in made],
            ApplicationStatus.APPROVED,
            "Godkendt.",
            actor=coordinator,
        )
        db.session.commit()
        bench("decide_all_seconds", time.perf_counter() - start)
    grown = {name: measure(client, path) for name, path in PAGES.items()}
    for name in PAGES:
        (base_ms, base_q), (big_ms, big_q) = baseline[name], grown[name]
        bench(f"{name}_queries", base_q)
        bench(f"{name}_queries_national_ratio", big_q / base_q)
        bench(f"{name}_ms", base_ms)
        bench(f"{name}_national_time_ratio", big_ms / base_ms)
    with app.app_context():
        from portal.participations.suggestion import suggest

        round_ = db.session.scalar(select(Round).where(Round.slug == ROUND))
        start = time.perf_counter()
        suggestion = suggest(round_)
        bench("suggest_national_ms", (time.perf_counter() - start) * 1000)
        bench("suggest_national_placed", len(suggestion.placements))
        application_id = made[0].id if made else None
    if application_id:
        client.get(f"/vurdering/ansoegning/{application_id}/dossier.pdf")  # warm WeasyPrint
        start = time.perf_counter()
        response = client.get(f"/vurdering/ansoegning/{application_id}/dossier.pdf")
        assert response.status_code == 200 and response.data.startswith(b"%PDF")
        bench("dossier_pdf_ms", (time.perf_counter() - start) * 1000)
