"""Review pages per role: who gets 403/404, the reviewer's score form, the coordinator's
overview, assignment and decisions, with their refusals."""

import re

import pytest
from sqlalchemy import select

from portal.applications.models import Application, ApplicationStatus
from portal.auth.models import Role
from portal.db import db
from portal.errors import NotAllowed
from portal.review import decisions
from portal.review.models import Review, ReviewStatus
from tests.review.conftest import AAL, AAR, CPH, FRB, ODE, apply, assign, mid, submitted


def _review_routes(app, only=None):
    for rule in app.url_map.iter_rules():
        if not rule.rule.startswith("/vurdering"):
            continue
        if only is not None and rule.endpoint not in only:
            continue
        values = {arg: ("x" if arg == "slug" else 1) for arg in rule.arguments}
        path = rule.build(values)[1]
        for method in sorted(rule.methods - {"HEAD", "OPTIONS"}):
            yield rule.endpoint, method, path


@pytest.mark.parametrize(
    ("role", "code"),
    [(Role.MUNICIPAL, CPH), (Role.LEADERSHIP, AAR), (Role.LEADERSHIP, None), (Role.ADMIN, None)],
)
def test_municipal_leadership_and_admin_users_get_403_everywhere(
    app, client, make_user, login, role, code
):
    login(make_user(role, code=code))
    routes = list(_review_routes(app))
    assert len(routes) >= 13
    for endpoint, method, path in routes:
        response = client.open(path, method=method)
        assert response.status_code == 403, (endpoint, method, path, response.status_code)


COORDINATOR_ONLY = {
    "review.round_overview",
    "review.ranking",
    "review.criteria_guide",
    "review.export_xlsx",
    "review.bulk_assign",
    "review.bulk_decide",
    "review.assign",
    "review.unassign",
    "review.decide",
    "review.dossier",
}


def test_reviewers_get_403_on_the_coordinators_pages(app, client, reviewer, login, round_):
    login(reviewer)
    routes = list(_review_routes(app, COORDINATOR_ONLY))
    assert {r[0] for r in routes} == COORDINATOR_ONLY
    for endpoint, method, path in routes:
        response = client.open(path.replace("/x", f"/{round_.slug}"), method=method)
        assert response.status_code == 403, (endpoint, method, path, response.status_code)


def test_an_unassigned_reviewer_gets_404(client, login, round_, reviewer, expert, coordinator):
    application = apply(round_, AAR)
    assign(application, expert, coordinator)
    login(reviewer)
    url = f"/vurdering/ansoegning/{application.id}"
    assert client.get(url).status_code == 404
    assert client.post(url, data={"save": "1", "score_experience": "3"}).status_code == 404
    assert client.post(url + "/inhabil", data={"conflict-note": "x"}).status_code == 404
    assert client.get("/vurdering/ansoegning/999999").status_code == 404
    assert client.get(f"/vurdering/ansoegning/{10**20}").status_code == 404
    assert "Aarhus" not in client.get("/vurdering/").get_data(as_text=True)


def test_a_reviewer_never_sees_their_own_municipality_even_if_assigned_in_the_database(
    client, login, round_, reviewer, coordinator
):
    own = apply(round_, FRB)
    joint = apply(round_, AAL, members=[mid(FRB)])
    for application in (own, joint):
        db.session.add(Review(application=application, reviewer=reviewer))
    db.session.commit()
    login(reviewer)
    for application in (own, joint):
        assert client.get(f"/vurdering/ansoegning/{application.id}").status_code == 404
    listing = client.get("/vurdering/").get_data(as_text=True)
    assert "Aalborg" not in listing
    assert "Du har ingen ansøgninger at bedømme" in listing


def _score_form(version, **scores):
    data = {"version": str(version)}
    for criterion in ("experience", "leadership", "readiness"):
        if criterion in scores:
            data[f"score_{criterion}"] = str(scores[criterion])
        data[f"comment_{criterion}"] = f"Kommentar om {criterion}"
    return data


def test_a_reviewer_scores_saves_a_draft_and_submits(
    client, login, round_, reviewer, expert, coordinator
):
    application = apply(round_, AAR, motivation="Vi vil frigøre tid til borgerne.")
    theirs = submitted(application, expert, coordinator, 1, 1, 1)
    theirs.comment_experience = "Ekspertens hemmelige kommentar"
    db.session.commit()
    review = assign(application, reviewer, coordinator)
    login(reviewer)
    url = f"/vurdering/ansoegning/{application.id}"
    page = client.get(url).get_data(as_text=True)
    assert "Vi vil frigøre tid til borgerne." in page and "Kommunens erfaring" in page
    assert "Ekspertens hemmelige kommentar" not in page
    assert "review.js" in page and "1/2 bedømmelser færdige" in page

    saved = client.post(
        url,
        data={**_score_form(review.version, experience=5, leadership=3, readiness=1), "save": "1"},
    )
    assert saved.status_code == 302
    db.session.refresh(review)
    assert review.status == ReviewStatus.ASSIGNED and review.score_readiness == 1
    page = client.get(url).get_data(as_text=True)
    assert 'aria-live="polite">3,50</output>' in page  # (2×5 + 3 + 1) / 4, after saving
    assert "Ekspertens hemmelige kommentar" not in page

    missing = client.post(
        url, data={**_score_form(review.version, experience=4), "submit_review": "1"}
    )
    assert missing.status_code == 400
    text = missing.get_data(as_text=True)
    assert "Vælg en score, før du indsender bedømmelsen." in text
    assert 'id="score_leadership" class="score has-error"' in text
    assert "Kommentar om readiness" in text  # what was typed is kept
    assert re.search(r'value="4"[^>]*checked|checked[^>]*value="4"', text)

    done = client.post(
        url,
        data={
            **_score_form(review.version, experience=4, leadership=4, readiness=4),
            "submit_review": "1",
        },
    )
    assert done.status_code == 302
    page = client.get(url).get_data(as_text=True)
    assert "Ekspertens hemmelige kommentar" in page  # others' scores after one's own
    assert "kan ikke længere ændres" in page and 'name="submit_review"' not in page
    again = client.post(url, data={**_score_form(review.version + 5, experience=1), "save": "1"})
    assert again.status_code == 400


def test_a_reviewer_declares_a_conflict(client, login, round_, expert, coordinator):
    application = apply(round_, AAR)
    review = assign(application, expert, coordinator)
    login(expert)
    url = f"/vurdering/ansoegning/{application.id}/inhabil"
    refused = client.post(url, data={"conflict-note": "", "conflict-version": str(review.version)})
    assert refused.status_code == 400
    assert "Skriv kort, hvorfor du er inhabil." in refused.get_data(as_text=True)
    ok = client.post(
        url,
        data={
            "conflict-note": "Min søster er projektleder.",
            "conflict-version": str(review.version),
        },
    )
    assert ok.status_code == 302
    db.session.refresh(review)
    assert review.status == ReviewStatus.ABSTAINED
    assert "Inhabil" in client.get("/vurdering/").get_data(as_text=True)


@pytest.fixture
def as_coordinator(client, login, coordinator):
    login(coordinator)
    return coordinator


def test_the_coordinator_overview_filters_and_explains_capacity(
    client, as_coordinator, round_, expert, count_queries
):
    apply(round_, CPH, role="lead")
    for code in (AAR, ODE, AAL, FRB):
        application = apply(round_, code)
    submitted(application, expert, as_coordinator, 5, 5, 5)
    apply(round_, 265, status="draft")
    url = f"/vurdering/forloeb/{round_.slug}"
    page = client.get(url).get_data(as_text=True)
    assert "Forløbet er overansøgt" in page
    assert "Deltagerkommuner, der har søgt: 4." in page
    assert "Pladser i fællesskaberne: 3 = 1 × 3" in page
    assert "Fællesskaber, deltagerkommunerne kan fylde: 2 = 4 ÷ 2" in page
    assert "Roskilde" not in page  # a draft
    assert "1/1 bedømmelser færdige" in page and "5,00" in page
    assert "1/1 bedømmelser færdige i forløbet" in page
    filtered = client.get(url + "?role=lead&sort=name").get_data(as_text=True)
    assert "København" in filtered and "Aarhus" not in filtered
    assert "1 ansøgning" in filtered
    region = client.get(url + "?region=Region+Midtjylland").get_data(as_text=True)
    assert "Aarhus" in region and "Odense" not in region
    with count_queries() as few:
        client.get(url)
    for code in (151, 157, 173, 169, 159, 161):
        apply(round_, code)
    with count_queries() as many:
        assert client.get(url).status_code == 200
    assert many.count == few.count
    assert client.get("/vurdering/forloeb/findes-ikke").status_code == 404


def test_the_coordinator_sees_rounds_and_the_ranked_list(client, as_coordinator, round_, expert):
    apply(round_, CPH, role="lead")
    for code, points in ((AAR, 5), (ODE, 4), (AAL, 3), (FRB, 2)):
        submitted(apply(round_, code), expert, as_coordinator, points, points, points)
    index = client.get("/vurdering/").get_data(as_text=True)
    assert round_.name_da in index and "4/4 bedømmelser færdige" in index
    page = client.get(f"/vurdering/forloeb/{round_.slug}/rangering").get_data(as_text=True)
    participants = page.split("<h2>Deltagerkommuner</h2>")[1]
    # Aarhus, Odense and Aalborg fit (one lead × 3); the line comes before Frederiksberg
    line = participants.index('class="capacity-line"')
    assert participants.index("Aalborg") < line < participants.index("Frederiksberg")
    assert "<strong>Kapacitetsgrænse</strong>" in participants[line:]


def test_assigning_by_hand_refuses_a_reviewer_of_a_party(
    client, as_coordinator, round_, reviewer, expert
):
    application = apply(round_, CPH, members=[mid(FRB)])
    url = f"/vurdering/ansoegning/{application.id}/tildel"
    refused = client.post(url, data={"reviewers": [str(reviewer.id)]})
    assert refused.status_code == 400
    assert "fordi Frederiksberg" in refused.get_data(as_text=True)
    assert db.session.scalar(select(Review)) is None
    assert client.post(url, data={"reviewers": [str(expert.id)]}).status_code == 302
    assert client.post(url, data={"reviewers": ["999999"]}).status_code == 400
    (review,) = db.session.scalars(select(Review)).all()
    assert review.reviewer_id == expert.id
    page = client.get(f"/vurdering/ansoegning/{application.id}").get_data(as_text=True)
    assert "Erik Ekspert" in page and "0/1 bedømmelser færdige" in page
    assert (
        client.post(
            f"/vurdering/bedoemmelse/{review.id}/fjern", data={"version": str(review.version)}
        ).status_code
        == 302
    )
    assert db.session.scalar(select(Review)) is None


def test_bulk_assignment_from_the_overview_is_all_or_nothing(
    client, as_coordinator, round_, reviewer, expert
):
    aarhus, frederiksberg, odense = apply(round_, AAR), apply(round_, FRB), apply(round_, ODE)
    url = f"/vurdering/forloeb/{round_.slug}/tildel?role=participant"
    data = {
        "application": [str(aarhus.id), str(frederiksberg.id)],
        "reviewers": [str(reviewer.id), str(expert.id)],
    }
    refused = client.post(url, data=data)
    assert refused.status_code == 400
    text = refused.get_data(as_text=True)
    assert "Rikke Bedømmer kan ikke bedømme ansøgningen fra Frederiksberg" in text
    assert f'value="{aarhus.id}" form="bulk" id="pick-{aarhus.id}" checked' in text
    assert db.session.scalar(select(Review)) is None
    data["application"] = [str(aarhus.id), str(odense.id)]
    done = client.post(url, data=data)
    assert done.status_code == 302 and "role=participant" in done.headers["Location"]
    assert len(db.session.scalars(select(Review)).all()) == 4


def test_deciding_on_the_application_page(client, as_coordinator, round_, monkeypatch):
    application = apply(round_, AAR)
    url = f"/vurdering/ansoegning/{application.id}/afgoerelse"
    loaded = application.version
    missing = client.post(url, data={"decision": "approved", "reason": "", "version": loaded})
    assert missing.status_code == 400
    assert "Skriv en begrundelse" in missing.get_data(as_text=True)
    ok = client.post(
        url, data={"decision": "approved", "reason": "Velbegrundet.", "version": loaded}
    )
    assert ok.status_code == 302
    db.session.refresh(application)
    assert application.status == ApplicationStatus.APPROVED
    page = client.get(f"/vurdering/ansoegning/{application.id}").get_data(as_text=True)
    assert "Velbegrundet." in page and "Karen Koordinator" in page


def test_the_coordinator_is_warned_before_and_after_approving_early(client, as_coordinator, round_):
    application = apply(round_, AAR)  # the round's deadline is weeks away; nobody reviewed
    url = f"/vurdering/ansoegning/{application.id}"
    page = client.get(url).get_data(as_text=True)
    assert "Før du godkender:" in page and "Ansøgningsfristen er ikke udløbet" in page
    assert "1 ansøgning har ingen bedømmere." in page
    overview = client.get(f"/vurdering/forloeb/{round_.slug}").get_data(as_text=True)
    assert "1 ansøgning har ingen bedømmere." in overview
    data = {"decision": "approved", "reason": "Godt.", "version": application.version}
    client.post(f"{url}/afgoerelse", data=data)
    page = client.get(url).get_data(as_text=True)
    assert "Godkendt, men bemærk: 1 ansøgning har ingen bedømmere." in page
    assert "Før du godkender:" not in page


def test_a_second_coordinator_deciding_at_once_gets_the_conflict_message(
    client, app, make_user, login, round_, as_coordinator
):
    application = apply(round_, AAR)
    loaded = application.version  # both coordinators opened the page now
    url = f"/vurdering/ansoegning/{application.id}/afgoerelse"
    first = client.post(url, data={"decision": "approved", "reason": "Ja.", "version": loaded})
    assert first.status_code == 302
    other = app.test_client()
    other.post(
        "/login",
        data={"email": make_user(Role.COORDINATOR).email, "password": "korrekt-hest-batteri"},
    )
    second = other.post(url, data={"decision": "rejected", "reason": "Nej.", "version": loaded})
    assert second.status_code == 400
    assert "ændret af en anden" in second.get_data(as_text=True)
    db.session.refresh(application)
    assert application.status == ApplicationStatus.APPROVED
    assert application.decision_reason == "Ja."


def test_a_refusal_from_the_participations_rolls_the_decision_back(
    client, as_coordinator, round_, monkeypatch
):
    def refuse(application, *, actor):
        raise NotAllowed("Intet tilskud uden opbakning i direktionen.")

    monkeypatch.setattr(decisions.participations, "create_for_application", refuse)
    application = apply(round_, AAR)
    response = client.post(
        f"/vurdering/ansoegning/{application.id}/afgoerelse",
        data={"decision": "approved", "reason": "Ja.", "version": application.version},
    )
    assert response.status_code == 400
    assert "Intet tilskud uden opbakning" in response.get_data(as_text=True)
    db.session.expire_all()
    stored = db.session.get(Application, application.id)
    assert stored.status == ApplicationStatus.SUBMITTED and stored.decided_at is None


def test_bulk_decision_from_the_ranked_list(client, as_coordinator, round_):
    aarhus, odense, withdrawn = (
        apply(round_, AAR),
        apply(round_, ODE),
        apply(round_, AAL, status="withdrawn"),
    )
    url = f"/vurdering/forloeb/{round_.slug}/afgoer"
    data = {
        "application": [str(aarhus.id), str(odense.id), str(withdrawn.id)],
        f"version-{aarhus.id}": str(aarhus.version),
        f"version-{odense.id}": str(odense.version),
        "decision": "waitlisted",
        "reason": "Venteliste, indtil der er plads.",
        "back": "ranking",
    }
    refused = client.post(url, data=data)
    assert refused.status_code == 400
    text = refused.get_data(as_text=True)
    assert "Aalborg:" in text and "Prioriteret liste" in text
    assert "Venteliste, indtil der er plads." in text  # the reason is kept
    db.session.expire_all()
    assert db.session.get(Application, aarhus.id).status == ApplicationStatus.SUBMITTED
    data["application"] = [str(aarhus.id), str(odense.id)]
    done = client.post(url, data=data)
    assert done.status_code == 302 and "/rangering" in done.headers["Location"]
    db.session.expire_all()
    assert db.session.get(Application, odense.id).status == ApplicationStatus.WAITLISTED


def test_the_criteria_page_edits_the_round_texts(client, login, as_coordinator, round_, expert):
    url = f"/vurdering/forloeb/{round_.slug}/kriterier"
    page = client.get(url).get_data(as_text=True)
    assert "Standard: Opbakning i direktion" in page and "Vægtene ændres" in page
    data = {"version": str(round_.version), "guide_readiness_5": "En plan for varig drift."}
    assert client.post(url, data=data).status_code == 302
    stale = client.post(url, data=data)
    assert stale.status_code == 400 and "ændret af en anden" in stale.get_data(as_text=True)
    application = apply(round_, AAR)
    assign(application, expert, as_coordinator)
    client.post("/logout")
    login(expert)
    page = client.get(f"/vurdering/ansoegning/{application.id}").get_data(as_text=True)
    assert "En plan for varig drift." in page


def test_empty_states(client, as_coordinator, round_, reviewer):
    base = f"/vurdering/forloeb/{round_.slug}"
    assert "Forløbet har ingen indsendte ansøgninger endnu." in client.get(base).get_data(
        as_text=True
    )
    assert "Ingen ansøgninger." in client.get(base + "/rangering").get_data(as_text=True)
    assert client.get(base + "/bedoemmelser.xlsx").status_code == 200
    assert "Ingen ansøgninger matcher filteret." in client.get(base + "?role=lead").get_data(
        as_text=True
    )
    application = apply(round_, AAR)
    page = client.get(f"/vurdering/ansoegning/{application.id}").get_data(as_text=True)
    assert "Ingen bedømmere er tildelt endnu." in page


def test_a_coordinator_assigns_themselves_and_scores(client, make_user, login):
    from tests.conftest import municipality
    from tests.factories import create_application, create_programme, create_round

    round_ = create_round(create_programme(), weight_experience=2)
    application = create_application(round_, municipality(751).id)
    db.session.commit()
    coordinator = make_user(Role.COORDINATOR)
    login(coordinator)
    response = client.post(
        f"/vurdering/ansoegning/{application.id}/tildel", data={"reviewers": [coordinator.id]}
    )
    assert response.status_code == 302
    assert "Aarhus" in client.get("/vurdering/").get_data(as_text=True).split("Dine egne")[1]
    review = db.session.scalar(select(Review))
    response = client.post(
        f"/vurdering/ansoegning/{application.id}",
        data={
            "score_experience": "5",
            "score_leadership": "3",
            "score_readiness": "4",
            "comment_experience": "Lang erfaring",
            "submit_review": "y",
            "version": review.version,
        },
    )
    assert response.status_code == 302
    db.session.refresh(review)
    assert review.status == ReviewStatus.SUBMITTED and review.score_experience == 5
