"""Programme and round pages for every role; the coordinator's editing, with its refusals."""

from datetime import UTC, date, datetime

import pytest
from sqlalchemy import select

from portal.audit.models import AuditEvent
from portal.auth.models import Role
from portal.db import db
from portal.programmes.loading import load_shipped_programmes
from portal.programmes.models import Indicator, Programme, Round
from tests.factories import create_programme, create_round

ROLES = [
    (Role.MUNICIPAL, 751),
    (Role.REVIEWER, None),
    (Role.LEADERSHIP, 461),
    (Role.LEADERSHIP, None),
    (Role.COORDINATOR, None),
    (Role.ADMIN, None),
]


@pytest.fixture
def shipped():
    load_shipped_programmes()
    db.session.commit()
    return {p.slug: p for p in db.session.scalars(select(Programme))}


@pytest.fixture
def coordinator(make_user, login):
    user = make_user(Role.COORDINATOR)
    login(user)
    return user


def round_form(**overrides):
    data = {
        "slug": "skaermbesoeg-2027",
        "name_da": "Skærmbesøg 2027",
        "name_en": "Screen visits 2027",
        "opens_date": "2027-01-04",
        "opens_time": "09:00",
        "deadline_date": "2027-03-01",
        "deadline_time": "12:00",
        "period_start": "2027-04-01",
        "period_end": "2028-09-30",
        "lead_grant": "900.000",
        "grant_kind": "pool",
        "grant_amount": "2.000.000",
        "community_min": "5",
        "community_max": "10",
        "weight_experience": "2",
        "weight_leadership": "1",
        "weight_readiness": "1",
        "parameters": "annual_cost = 450000\nannual_hours = 1924\nkm_rate = 3,79",
        "status": "draft",
    }
    data.update(overrides)
    return data


@pytest.mark.parametrize(("role", "code"), ROLES)
def test_every_role_reads_programmes_and_rounds(client, make_user, login, shipped, role, code):
    login(make_user(role, code=code))
    index = client.get("/indsatser/").get_data(as_text=True)
    assert "Datadrevet vagtplanlægning" in index and "01.10.2025 12:00" in index
    detail = client.get("/indsatser/skaermbesoeg").get_data(as_text=True)
    assert "screen_visits * minutes_saved_per_visit / 60" in detail
    assert "Gennemførte skærmbesøg" in detail and "Højere er bedre" in detail
    page = client.get("/indsatser/forloeb/vagtplanlaegning-2026").get_data(as_text=True)
    assert "2.000.000 kr." in page and "deles mellem de godkendte deltagerkommuner" in page
    assert "233,89" in page  # hourly cost 450.000 / 1.924, derived
    # the parameters in words, not the formulas' names (annual_cost, hourly_cost)
    assert "Årlig lønomkostning pr. medarbejder (kr.)" in page and "Timepris (kr.)" in page
    assert "annual_cost" not in page and "hourly_cost" not in page
    editing = "Redigér forløbet" in page
    assert editing == (role == Role.COORDINATOR)


def test_unknown_programme_and_round_are_404(client, coordinator):
    assert client.get("/indsatser/findes-ikke").status_code == 404
    assert client.get("/indsatser/forloeb/findes-ikke").status_code == 404


@pytest.mark.parametrize(("role", "code"), [r for r in ROLES if r[0] != Role.COORDINATOR])
def test_only_coordinators_edit(client, make_user, login, shipped, role, code):
    login(make_user(role, code=code))
    indicator = shipped["skaermbesoeg"].indicators[0]
    urls = [
        "/indsatser/skaermbesoeg/rediger",
        "/indsatser/skaermbesoeg/indikatorer/ny",
        f"/indsatser/skaermbesoeg/indikatorer/{indicator.id}",
        "/indsatser/skaermbesoeg/forloeb/nyt",
        "/indsatser/forloeb/skaermbesoeg-2025/rediger",
    ]
    for url in urls:
        assert client.get(url).status_code == 403, url
        assert client.post(url, data={}).status_code == 403, url
    slet = f"/indsatser/skaermbesoeg/indikatorer/{indicator.id}/slet"
    assert client.post(slet).status_code == 403
    assert db.session.get(Indicator, indicator.id) is not None


def test_coordinator_creates_a_round_with_danish_amounts(client, coordinator, shipped):
    response = client.post("/indsatser/skaermbesoeg/forloeb/nyt", data=round_form())
    assert response.status_code == 302
    round_ = db.session.scalar(select(Round).where(Round.slug == "skaermbesoeg-2027"))
    assert round_.deadline_at == datetime(2027, 3, 1, 11, 0, tzinfo=UTC)  # 12:00 winter time
    assert round_.opens_at == datetime(2027, 1, 4, 8, 0, tzinfo=UTC)
    assert (round_.lead_grant, round_.participant_pool, round_.participant_grant) == (
        900_000,
        2_000_000,
        None,
    )
    assert round_.parameters == {"annual_cost": "450000", "annual_hours": "1924", "km_rate": "3.79"}
    assert round_.weight_experience == 2
    audit = db.session.scalar(select(AuditEvent).where(AuditEvent.action == "round_created"))
    assert audit.actor_id == coordinator.id


def test_deadline_before_opening_is_refused_at_the_field_and_input_kept(
    client, coordinator, shipped
):
    response = client.post(
        "/indsatser/skaermbesoeg/forloeb/nyt",
        data=round_form(deadline_date="2026-12-01", name_da="Mit nye forløb"),
    )
    assert response.status_code == 200
    page = response.get_data(as_text=True)
    deadline_block = page.split('id="deadline_date"')[1].split("</div>")[0]
    assert "Ansøgningsfristen skal ligge efter åbningen." in deadline_block
    assert 'value="Mit nye forløb"' in page
    assert 'value="2026-12-01"' in page
    assert 'value="900.000"' in page
    assert db.session.scalar(select(Round).where(Round.slug == "skaermbesoeg-2027")) is None


@pytest.mark.parametrize(
    ("overrides", "field", "message"),
    [
        ({"lead_grant": "mange penge"}, "lead_grant", "Skriv et helt antal kroner"),
        ({"community_min": "6", "community_max": "3"}, "community_max", "Største antal"),
        ({"slug": "Med Mellemrum"}, "slug", "Kortnavnet"),
        ({"slug": "skaermbesoeg-2025"}, "slug", "Et andet forløb har allerede dette kortnavn."),
        ({"parameters": "annual_cost 450000"}, "parameters", "skriv navn = tal"),
        ({"parameters": "hourly_cost = 250"}, "parameters", "beregnes altid"),
        ({"period_end": "2027-01-01"}, "period_end", "Forløbet skal slutte efter det starter."),
        ({"deadline_date": ""}, "deadline_date", "Angiv en dato."),
    ],
)
def test_round_refusals_at_their_field(client, coordinator, shipped, overrides, field, message):
    response = client.post("/indsatser/skaermbesoeg/forloeb/nyt", data=round_form(**overrides))
    assert response.status_code == 200
    page = response.get_data(as_text=True)
    assert f'id="{field}-error"' in page
    assert message in page.split(f'id="{field}-error"')[1].split("</p>")[0]


def test_editing_a_round_and_a_stale_form_conflicts(client, coordinator, shipped):
    url = "/indsatser/forloeb/skaermbesoeg-2025/rediger"
    page = client.get(url).get_data(as_text=True)
    assert 'value="900.000"' in page and 'value="2025-10-01"' in page and 'value="12:00"' in page
    round_ = db.session.scalar(select(Round).where(Round.slug == "skaermbesoeg-2025"))
    version = round_.version
    form = round_form(
        slug="skaermbesoeg-2025",
        lead_grant="950.000",
        grant_kind="fixed",
        grant_amount="100.000",
        version=str(version),
    )
    assert client.post(url, data=form).status_code == 302
    db.session.refresh(round_)
    assert round_.lead_grant == 950_000 and round_.version == version + 1
    stale = client.post(url, data={**form, "lead_grant": "1.000.000"})
    assert stale.status_code == 200
    assert "ændret af en anden" in stale.get_data(as_text=True)
    db.session.refresh(round_)
    assert round_.lead_grant == 950_000


def test_programme_goals_are_edited_and_ids_kept(client, coordinator, shipped):
    programme = shipped["ruteplanlaegning"]
    first_goal_id = programme.goals[0].id
    goals_da = "\n".join(g.text_da for g in programme.goals) + "\nEt nyt mål"
    goals_en = "\n".join(g.text_en for g in programme.goals) + "\nA new goal"
    response = client.post(
        "/indsatser/ruteplanlaegning/rediger",
        data={
            "name_da": programme.name_da,
            "name_en": programme.name_en,
            "description_da": "Ny beskrivelse",
            "description_en": "",
            "goals_da": goals_da,
            "goals_en": goals_en,
            "version": str(programme.version),
        },
    )
    assert response.status_code == 302
    db.session.refresh(programme)
    assert programme.description_da == "Ny beskrivelse"
    assert programme.goals[-1].text_en == "A new goal"
    assert programme.goals[0].id == first_goal_id
    mismatch = client.post(
        "/indsatser/ruteplanlaegning/rediger",
        data={
            "name_da": programme.name_da,
            "goals_da": "a\nb",
            "goals_en": "only one",
            "version": str(programme.version),
        },
    )
    assert "lige så mange engelske" in mismatch.get_data(as_text=True)


def test_indicator_add_edit_and_delete(client, coordinator, shipped):
    programme = shipped["vagtplanlaegning"]
    base = "/indsatser/vagtplanlaegning/indikatorer"
    data = {
        "key": "night_shifts",
        "name_da": "Nattevagter",
        "unit": "antal",
        "direction": "lower",
        "frequency": "monthly",
        "block": "employee",
        "version": str(programme.version),
    }
    assert client.post(f"{base}/ny", data=data).status_code == 302
    indicator = db.session.scalar(select(Indicator).where(Indicator.key == "night_shifts"))
    assert indicator.programme_id == programme.id
    db.session.refresh(programme)
    duplicate = client.post(f"{base}/ny", data={**data, "version": str(programme.version)})
    assert "Der findes allerede en indikator med denne nøgle." in duplicate.get_data(as_text=True)
    # without the version the page was loaded at, the save is a conflict, not unchecked
    unversioned = client.post(f"{base}/ny", data={**data, "key": "other", "version": ""})
    assert "ændret af en anden" in unversioned.get_data(as_text=True)
    assert db.session.scalar(select(Indicator).where(Indicator.key == "other")) is None
    edit = client.post(
        f"{base}/{indicator.id}",
        data={
            **data,
            "key": "sneaky_new_key",
            "name_da": "Nattevagter i alt",
            "version": str(programme.version),
        },
    )
    assert edit.status_code == 302
    db.session.refresh(indicator)
    assert (indicator.key, indicator.name_da) == ("night_shifts", "Nattevagter i alt")
    db.session.refresh(programme)
    assert (
        client.post(
            f"{base}/{indicator.id}/slet", data={"version": str(programme.version)}
        ).status_code
        == 302
    )
    assert db.session.get(Indicator, indicator.id) is None


def test_an_indicator_of_another_programme_is_404(client, coordinator, shipped):
    other = shipped["skaermbesoeg"].indicators[0]
    assert client.get(f"/indsatser/vagtplanlaegning/indikatorer/{other.id}").status_code == 404


def test_english_names_after_choosing_english(client, coordinator, shipped):
    client.post("/sprog", data={"lang": "en"})
    page = client.get("/indsatser/").get_data(as_text=True)
    assert "Data-driven shift planning" in page


def test_index_query_count_does_not_grow_with_programmes(client, coordinator, count_queries):
    create_round(create_programme())
    db.session.commit()
    client.get("/indsatser/")
    db.session.expunge_all()  # every request loads what it needs, as in production
    with count_queries() as one:
        client.get("/indsatser/")
    for _ in range(3):
        programme = create_programme()
        for _ in range(3):
            create_round(programme, period_start=date(2030, 1, 1), period_end=date(2031, 1, 1))
    db.session.commit()
    db.session.expunge_all()  # every request loads what it needs, as in production
    with count_queries() as four:
        client.get("/indsatser/")
    assert four.count == one.count


@pytest.mark.parametrize(
    ("role", "code", "sees"),
    [
        (Role.MUNICIPAL, 751, False),
        (Role.LEADERSHIP, None, False),
        (Role.REVIEWER, None, False),
        (Role.COORDINATOR, None, True),
        (Role.ADMIN, None, True),
    ],
)
def test_draft_rounds_are_for_coordinators_and_admins(client, make_user, login, role, code, sees):
    programme = create_programme(slug="sensor", name_da="Sensorteknologi")
    create_round(programme, slug="sensor-kladde", name_da="Sensor-kladde", status="draft")
    create_round(programme, slug="sensor-aaben", name_da="Sensor-åben")
    db.session.commit()
    login(make_user(role, code=code))
    for url in ("/", "/indsatser/", "/indsatser/sensor"):
        page = client.get(url).get_data(as_text=True)
        assert ("Sensor-kladde" in page) == (sees and url != "/"), url
        assert "Sensor-åben" in page, url
    assert client.get("/indsatser/forloeb/sensor-kladde").status_code == (200 if sees else 404)


def test_the_deadline_minute_still_counts_as_open(client, make_user, login):
    from portal.db import utcnow

    programme = create_programme()
    create_round(
        programme, name_da="Frist nu", deadline_at=utcnow().replace(second=0, microsecond=0)
    )
    db.session.commit()
    login(make_user(Role.MUNICIPAL))
    page = client.get("/").get_data(as_text=True)
    assert "Frist nu" in page.split("<h2>Åbne for ansøgning</h2>")[1].split("</table>")[0]


@pytest.mark.parametrize(
    ("now", "accepts"),
    [
        (datetime(2025, 10, 1, 9, 59, 59, tzinfo=UTC), True),
        (datetime(2025, 10, 1, 10, 0, 0, tzinfo=UTC), True),
        (datetime(2025, 10, 1, 10, 0, 59, 999999, tzinfo=UTC), True),  # 12:00:59 in Copenhagen
        (datetime(2025, 10, 1, 10, 1, 0, tzinfo=UTC), False),
        (datetime(2025, 4, 30, 21, 59, 59, tzinfo=UTC), False),  # before it opens
    ],
)
def test_deadline_is_inclusive_to_the_minute(now, accepts):
    programme = create_programme()
    round_ = create_round(
        programme,
        opens_at=datetime(2025, 4, 30, 22, 0, tzinfo=UTC),
        deadline_at=datetime(2025, 10, 1, 10, 0, tzinfo=UTC),
    )
    assert round_.accepts_applications(now) is accepts
    round_.status = "closed"
    assert round_.accepts_applications(now) is False


def test_coordinator_uploads_a_programme_file(client, coordinator):
    import io

    from tests.programmes.test_loader import MINIMAL

    def send(text):
        data = {"file": (io.BytesIO(text.encode("utf-8")), "sensor.toml")}
        return client.post("/indsatser/indlaes", data=data, content_type="multipart/form-data")

    refused = send(MINIMAL.replace('block = "time_economy"', 'block = "økonomi"'))
    assert refused.status_code == 400
    assert "Filen blev afvist: 1 fejl. Intet er gemt." in refused.get_data(as_text=True)
    assert db.session.scalar(select(Programme).where(Programme.slug == "sensor")) is None
    response = send(MINIMAL)
    assert response.status_code == 302 and response.headers["Location"] == "/indsatser/sensor"
    assert db.session.scalar(select(Programme).where(Programme.slug == "sensor")).rounds


def test_only_coordinators_upload_programme_files(client, make_user, login):
    login(make_user(Role.ADMIN))
    assert client.get("/indsatser/indlaes").status_code == 403
    assert client.post("/indsatser/indlaes").status_code == 403


@pytest.mark.parametrize(
    ("overrides", "field", "message"),
    [
        ({"lead_grant": "99.999.999.999"}, "lead_grant", "urealistisk stort"),
        ({"community_max": "5000"}, "community_max", "højst have 100"),
    ],
)
def test_absurd_numbers_are_refused_not_crashed(
    client, coordinator, shipped, overrides, field, message
):
    response = client.post("/indsatser/skaermbesoeg/forloeb/nyt", data=round_form(**overrides))
    assert response.status_code == 200
    assert (
        message in response.get_data(as_text=True).split(f'id="{field}-error"')[1].split("</p>")[0]
    )


def test_rule_messages_follow_the_chosen_language(client, coordinator, shipped):
    client.post("/sprog", data={"lang": "en"})
    response = client.post(
        "/indsatser/skaermbesoeg/forloeb/nyt", data=round_form(deadline_date="2026-12-01")
    )
    block = response.get_data(as_text=True).split('id="deadline_date-error"')[1].split("</p>")[0]
    assert "The application deadline must come after the opening." in block


def test_a_round_named_like_a_portal_page_is_refused_at_the_field(client, coordinator, shipped):
    response = client.post("/indsatser/skaermbesoeg/forloeb/nyt", data=round_form(slug="indlaes"))
    assert "bruges i portalens egne adresser" in response.get_data(as_text=True)
    assert db.session.scalar(select(Round).where(Round.slug == "indlaes")) is None
