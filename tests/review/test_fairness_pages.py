"""Fairness on the coordinator's pages: the ranked list sorted by either score with the
capacity line for both, the flag and "Kun markerede" on the overview and the ranked list, the
calibration page with its reasons, the threshold form, the XLSX columns, and who sees them."""

import re
from io import BytesIO

import pytest
from openpyxl import load_workbook
from sqlalchemy import select

from portal.audit.models import AuditEvent
from portal.auth.models import Role
from portal.db import db
from tests.review.conftest import AAL, AAR, LYN, ODE, mid, submitted


def _order(html: str, names) -> list[str]:
    """The given municipalities in the order their links appear in the participants' table."""
    table = html.split("Deltagerkommuner</h2>", 1)[1]
    found = [(table.index(f">{n}</a>"), n) for n in names if f">{n}</a>" in table]
    return [n for _i, n in sorted(found)]


NAMES = ("Aarhus", "Odense", "Aalborg", "Lyngby-Taarbæk")


def test_the_ranked_list_sorts_by_either_score_and_explains_the_line(
    client, login, strict_and_lenient
):
    round_, _apps, _strict, _lenient, coordinator = strict_and_lenient
    login(coordinator)
    url = f"/vurdering/forloeb/{round_.slug}/rangering"
    raw = client.get(url).get_data(as_text=True)
    assert _order(raw, NAMES) == ["Lyngby-Taarbæk", "Aarhus", "Aalborg", "Odense"]
    assert "sorteret efter gennemsnittet af bedømmernes vægtede scorer (rå score)" in raw
    assert "2 ansøgninger ligger på den anden side af kapacitetsgrænsen" in raw
    assert "Sådan er det beregnet" in raw
    # both scores side by side: Aalborg's raw 3,00 and normalised 4,81
    assert re.search(r">Aalborg</a>.*?3,00.*?4,81", raw, re.S)
    normalised = client.get(url + "?sort=normalised").get_data(as_text=True)
    assert _order(normalised, NAMES) == ["Aalborg", "Aarhus", "Lyngby-Taarbæk", "Odense"]
    assert "sorteret efter den normaliserede score" in normalised
    # the line falls after Aarhus either way; Lyngby is above it by the raw average
    line = normalised.index("ansøgningerne herunder er der ikke plads til")
    assert normalised.index(">Aarhus</a>") < line < normalised.index(">Lyngby-Taarbæk</a>")
    lyngby_row = normalised.split(">Lyngby-Taarbæk</a>", 1)[1].split("</tr>", 1)[0]
    assert "Over grænsen" in lyngby_row
    unknown = client.get(url + "?sort=nonsense").get_data(as_text=True)
    assert _order(unknown, NAMES) == _order(raw, NAMES)


def test_fewer_than_three_reviews_hide_the_normalised_score_and_say_why(
    client, login, strict_and_lenient, make_user
):
    round_, apps, _strict, _lenient, coordinator = strict_and_lenient
    two = make_user(Role.REVIEWER, name="Tove To")
    submitted(apps[AAR], two, coordinator, 3, 3, 3)
    submitted(apps[AAL], two, coordinator, 4, 4, 4)
    login(coordinator)
    ranking = client.get(f"/vurdering/forloeb/{round_.slug}/rangering").get_data(as_text=True)
    aarhus_row = ranking.split(">Aarhus</a>", 1)[1].split("</tr>", 1)[0]
    assert "Vises ikke" in aarhus_row and "Tove To har færre end 3 bedømmelser" in aarhus_row
    page = client.get(f"/vurdering/forloeb/{round_.slug}/kalibrering")
    assert page.status_code == 200
    html = page.get_data(as_text=True)
    assert "Den normaliserede score vises ikke for alle ansøgninger." in html
    assert "Tove To har færre end 3 indsendte bedømmelser" in html
    assert "kun 2 bedømmelser" in html
    assert "Sådan er det beregnet" in html
    sofie_row = html.split("Sofie Streng", 1)[1].split("</tr>", 1)[0]
    assert "strengere" in sofie_row


@pytest.fixture
def flagged_round(round_, coordinator, expert, reviewer, make_user):
    """Aarhus: experience 5 against 3 (flagged); Odense: one point apart at most."""
    from tests.review.conftest import apply

    aarhus, odense = apply(round_, AAR), apply(round_, ODE)
    submitted(aarhus, expert, coordinator, 5, 3, 3)
    submitted(aarhus, reviewer, coordinator, 3, 3, 4)
    submitted(odense, expert, coordinator, 4, 4, 4)
    submitted(odense, reviewer, coordinator, 3, 4, 5)
    return round_


def test_the_overview_and_the_ranked_list_flag_and_filter(
    client, login, coordinator, flagged_round
):
    login(coordinator)
    base = f"/vurdering/forloeb/{flagged_round.slug}"
    overview = client.get(base).get_data(as_text=True)
    assert "1 ansøgning er markeret til drøftelse" in overview
    aarhus = overview.split(">Aarhus</a>", 1)[1].split("</tr>", 1)[0]
    assert "Til drøftelse" in aarhus and "Uenige om: Kommunens erfaring" in aarhus
    assert "Kommunens erfaring: 2 (5, 3)" in aarhus
    odense = overview.split(">Odense</a>", 1)[1].split("</tr>", 1)[0]
    assert "Til drøftelse" not in odense
    only = client.get(base + "?flagged=1").get_data(as_text=True)
    assert ">Aarhus</a>" in only and ">Odense</a>" not in only
    assert 'id="f-flagged" name="flagged" value="1" checked' in only
    ranking = client.get(base + "/rangering?flagged=1").get_data(as_text=True)
    assert ">Aarhus</a>" in ranking and ">Odense</a>" not in ranking
    assert "rang og kapacitetsgrænse er de samme som i hele listen" in ranking
    full = client.get(base + "/rangering").get_data(as_text=True)
    assert ">Odense</a>" in full and "Til drøftelse" in full


def test_the_coordinator_sets_the_threshold_with_validation(
    client, login, coordinator, flagged_round
):
    login(coordinator)
    url = f"/vurdering/forloeb/{flagged_round.slug}/uenighed"
    page = client.get(f"/vurdering/forloeb/{flagged_round.slug}/kalibrering")
    version = re.search(r'name="version" type="hidden" value="(\d+)"', page.get_data(as_text=True))
    for bad, message in (("5", "Skriv et helt antal point fra 1 til 4."), ("to", "helt")):
        response = client.post(url, data={"threshold": bad, "version": version.group(1)})
        assert response.status_code == 400
        html = response.get_data(as_text=True)
        assert message in html and f'value="{bad}"' in html  # kept what was typed
    db.session.refresh(flagged_round)
    assert flagged_round.disagreement_threshold == 2
    response = client.post(url, data={"threshold": "3", "version": version.group(1)})
    assert response.status_code == 302
    db.session.refresh(flagged_round)
    assert flagged_round.disagreement_threshold == 3
    event = db.session.scalar(
        select(AuditEvent).where(AuditEvent.action == "disagreement_threshold_updated")
    )
    assert event.round_id == flagged_round.id
    overview = client.get(f"/vurdering/forloeb/{flagged_round.slug}").get_data(as_text=True)
    assert "0 ansøgninger er markeret til drøftelse" in overview
    stale = client.post(url, data={"threshold": "2", "version": version.group(1)})
    assert stale.status_code == 400 and "ændret af en anden" in stale.get_data(as_text=True)


def test_the_xlsx_carries_spread_flag_and_normalised_score(
    client, login, strict_and_lenient, make_user
):
    round_, apps, strict, _lenient, coordinator = strict_and_lenient
    submitted(apps[LYN], strict, coordinator, 2, 2, 2)  # Lars 4, Sofie 2: 2 apart → flagged
    login(coordinator)
    book = load_workbook(
        BytesIO(client.get(f"/vurdering/forloeb/{round_.slug}/bedoemmelser.xlsx").data)
    )
    sheet = book["Ansøgninger"]
    header = [c.value for c in sheet[1]]
    assert header[-5:] == [
        "Normaliseret score",
        "Spredning: Kommunens erfaring",
        "Spredning: Ledelsesmæssig forankring",
        "Spredning: Parathed til at arbejde strategisk med teknologien",
        "Til drøftelse",
    ]
    rows = {r[2].value: r for r in sheet.iter_rows(min_row=2)}
    by = {name: dict(zip(header, (c for c in cells), strict=True)) for name, cells in rows.items()}
    lyngby = by["Lyngby-Taarbæk"]
    assert lyngby["Til drøftelse"].value == "Ja"
    assert lyngby["Spredning: Kommunens erfaring"].value == 2
    assert by["Aalborg"]["Spredning: Kommunens erfaring"].value is None  # one review
    assert by["Aalborg"]["Til drøftelse"].value == "Nej"
    normalised = by["Aarhus"]["Normaliseret score"]
    assert isinstance(normalised.value, float) and normalised.number_format == "0.00"
    assert normalised.value != round(normalised.value, 2)  # full precision; the format rounds
    assert by["København"]["Normaliseret score"].value is None  # the lead: no review
    reviews = book["Bedømmelser"]
    header = [c.value for c in reviews[1]]
    assert header[-1] == "Normaliseret vægtet score"
    totals = [r[-1] for r in reviews.iter_rows(min_row=2, values_only=True)]
    assert all(isinstance(t, (int, float)) for t in totals) and len(totals) == 7, totals


@pytest.mark.parametrize(
    ("role", "code"), [(Role.REVIEWER, None), (Role.REVIEWER, 147), (Role.REGIONAL, 751)]
)
def test_only_coordinators_see_calibration(client, login, make_user, flagged_round, role, code):
    login(make_user(role, code=code))
    base = f"/vurdering/forloeb/{flagged_round.slug}"
    assert client.get(base + "/kalibrering").status_code == 403
    assert client.post(base + "/uenighed", data={"threshold": "1"}).status_code == 403
    assert client.get(base + "/rangering?sort=normalised").status_code == 403
    db.session.refresh(flagged_round)
    assert flagged_round.disagreement_threshold == 2


def test_a_reviewer_still_sees_no_other_scores_before_submitting(
    client, login, round_, coordinator, expert, reviewer
):
    from tests.review.conftest import apply, assign

    application = apply(round_, AAR)
    submitted(application, expert, coordinator, 5, 1, 1)
    assign(application, reviewer, coordinator)
    login(reviewer)
    response = client.get(f"/vurdering/ansoegning/{application.id}")
    assert response.status_code == 200
    html = response.get_data(as_text=True)
    assert "Erik Ekspert" not in html  # hidden until the reviewer's own review is submitted
    assert "Til drøftelse" not in html and "Normaliseret" not in html


def _disagreement(html: str) -> str:
    return html.split('id="disagreement"', 1)[1].split("</div>", 1)[0]


def test_the_coordinators_application_page_shows_the_spread_and_the_flag(
    client, login, coordinator, flagged_round
):
    from portal.applications.models import Application

    aarhus, odense = (
        db.session.scalar(
            select(Application).where(
                Application.round_id == flagged_round.id, Application.municipality_id == mid(code)
            )
        )
        for code in (AAR, ODE)
    )
    login(coordinator)
    page = client.get(f"/vurdering/ansoegning/{aarhus.id}").get_data(as_text=True)
    box = _disagreement(page)
    assert page.index('id="disagreement"') > page.index("Erik Ekspert")  # beside the scores
    assert "Til drøftelse" in box and "Uenige om: Kommunens erfaring" in box
    experience = box.split("Kommunens erfaring</dt>", 1)[1].split("</dd>", 1)[0]
    assert "Spredning 2 point (5, 3)" in experience and "til drøftelse" in experience
    leadership = box.split("Ledelsesmæssig forankring</dt>", 1)[1].split("</dd>", 1)[0]
    assert "Spredning 0 point (3, 3)" in leadership and "til drøftelse" not in leadership
    assert "2 point eller mere" in box  # the round's threshold, explained
    calm = _disagreement(client.get(f"/vurdering/ansoegning/{odense.id}").get_data(as_text=True))
    assert "Til drøftelse" not in calm and "Ikke til drøftelse" in calm
    assert "Spredning 1 point (4, 3)" in calm


def test_the_application_page_follows_the_rounds_threshold(
    client, login, coordinator, flagged_round
):
    from portal.applications.models import Application

    odense = db.session.scalar(
        select(Application).where(
            Application.round_id == flagged_round.id, Application.municipality_id == mid(ODE)
        )
    )
    flagged_round.disagreement_threshold = 1
    db.session.commit()
    login(coordinator)
    box = _disagreement(client.get(f"/vurdering/ansoegning/{odense.id}").get_data(as_text=True))
    assert "Til drøftelse" in box and "1 point eller mere" in box


def test_with_one_review_the_page_says_the_spread_comes_later(
    client, login, round_, coordinator, expert
):
    from tests.review.conftest import apply

    application = apply(round_, AAR)
    submitted(application, expert, coordinator, 5, 1, 1)
    login(coordinator)
    box = _disagreement(
        client.get(f"/vurdering/ansoegning/{application.id}").get_data(as_text=True)
    )
    assert "mindst to bedømmelser" in box and "Til drøftelse" not in box


def test_reviewers_never_see_the_spread_of_others_scores(
    client, login, coordinator, reviewer, expert, flagged_round
):
    """Even after submitting their own review (when they see the others' scores), the spread
    and the flag stay the coordinator's."""
    from portal.applications.models import Application

    aarhus = db.session.scalar(
        select(Application).where(
            Application.round_id == flagged_round.id, Application.municipality_id == mid(AAR)
        )
    )
    login(reviewer)
    html = client.get(f"/vurdering/ansoegning/{aarhus.id}").get_data(as_text=True)
    assert 'id="disagreement"' not in html and "Til drøftelse" not in html
    assert "Spredning" not in html
