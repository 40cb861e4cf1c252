"""The audit log page: coordinators and admins read it; nobody else."""

import pytest

from portal.audit import services as audit
from portal.audit.display import detail_lines
from portal.auth.models import Role
from portal.db import db
from tests.conftest import municipality
from tests.factories import create_application, create_programme, create_round


@pytest.mark.parametrize("role", [Role.ADMIN, Role.COORDINATOR])
def test_readers_see_logins_and_changes(client, make_user, login, role):
    reader = make_user(role, name="Læser")
    target = make_user(Role.MUNICIPAL, code=751)
    client.post("/login", data={"email": target.email, "password": "forkert-kode-123"})
    login(reader)
    page = client.get("/logbog/").get_data(as_text=True)
    assert "Mislykket login" in page and "Bruger oprettet" in page and "Aarhus" in page
    assert f"<td>{target.name}</td>" in page  # the user a line is about, by name
    filtered = client.get("/logbog/?action=login_failed").get_data(as_text=True)
    rows = filtered.split("<tbody>")[1]
    assert "Mislykket login" in rows and "Bruger oprettet" not in rows


@pytest.mark.parametrize(
    ("role", "code"), [(Role.MUNICIPAL, 751), (Role.LEADERSHIP, None), (Role.REVIEWER, None)]
)
def test_others_are_refused(client, make_user, login, role, code):
    login(make_user(role, code=code))
    assert client.get("/logbog/").status_code == 403
    assert "Logbog" not in client.get("/").get_data(as_text=True)


# The log of one round and of one application ---------------------------------------------


@pytest.fixture
def two_rounds(make_user):
    coordinator = make_user(Role.COORDINATOR, name="Karen Koordinator")
    programme = create_programme()
    first = create_round(programme, name_da="Skærmbesøg 2025–2027")
    other = create_round(programme, name_da="Andet forløb")
    kk = create_application(first, municipality(101).id)
    aarhus = create_application(first, municipality(751).id)
    elsewhere = create_application(other, municipality(101).id)
    for application, after in ((kk, "approved"), (aarhus, "rejected"), (elsewhere, "waitlisted")):
        audit.record(
            "application_decided",
            actor=coordinator,
            obj=application,
            municipality_id=application.municipality_id,
            round_id=application.round_id,
            application_id=application.id,
            changes={"status": ["submitted", after], "decision_reason": [None, "Godt"]},
        )
    audit.record("community_created", actor=coordinator, round_id=first.id, name="Nord")
    db.session.commit()
    return {"coordinator": coordinator, "round": first, "kk": kk, "aarhus": aarhus}


def test_the_log_of_one_round(client, login, two_rounds):
    login(two_rounds["coordinator"])
    page = client.get(f"/logbog/?round={two_rounds['round'].id}").get_data(as_text=True)
    assert "Logbog: Forløbet Skærmbesøg 2025–2027" in page
    assert "Status ændret fra Indsendt til Godkendt af Karen Koordinator" in page
    assert "Status ændret fra Indsendt til Afvist af Karen Koordinator" in page
    assert "Begrundelse sat til Godt af Karen Koordinator" in page and "Navn: Nord" in page
    assert "På venteliste" not in page  # another round's decision
    assert f'<input type="hidden" name="round" value="{two_rounds["round"].id}">' in page
    assert "Vis hele logbogen" in page


def test_the_log_of_one_application(client, login, two_rounds):
    login(two_rounds["coordinator"])
    application = two_rounds["aarhus"]
    page = client.get(f"/logbog/?application={application.id}").get_data(as_text=True)
    assert f"Logbog: Ansøgning nr. {application.id} fra Aarhus til Skærmbesøg 2025–2027" in page
    assert "fra Indsendt til Afvist" in page and "fra Indsendt til Godkendt" not in page
    assert "Afgørelse truffet af Karen Koordinator" in page


def test_filters_combine_and_page_links_keep_them(client, login, two_rounds, app, monkeypatch):
    login(two_rounds["coordinator"])
    round_id = two_rounds["round"].id
    page = client.get(f"/logbog/?round={round_id}&action=community_created").get_data(as_text=True)
    assert "Navn: Nord" in page and "fra Indsendt" not in page
    monkeypatch.setitem(app.config, "PAGE_SIZE", 1)
    page = client.get(f"/logbog/?round={round_id}").get_data(as_text=True)
    assert f"round={round_id}" in page.split('rel="next"')[1].split(">")[0]


def test_gone_or_bad_ids(client, login, two_rounds):
    login(two_rounds["coordinator"])
    page = client.get("/logbog/?round=999999").get_data(as_text=True)
    assert "Logbog: Forløb nr. 999999" in page and "Ingen hændelser." in page
    page = client.get("/logbog/?application=999999").get_data(as_text=True)
    assert "Logbog: Ansøgning nr. 999999" in page
    for bad in ("abc", "-1", str(2**40)):
        page = client.get(f"/logbog/?round={bad}").get_data(as_text=True)
        assert "<h1>Logbog</h1>" in page and "På venteliste" in page  # the whole log


@pytest.mark.parametrize(
    ("role", "code"), [(Role.MUNICIPAL, 101), (Role.LEADERSHIP, 101), (Role.REVIEWER, None)]
)
def test_round_and_application_logs_are_refused_to_others(
    client, make_user, login, two_rounds, role, code
):
    login(make_user(role, code=code))
    assert client.get(f"/logbog/?round={two_rounds['round'].id}").status_code == 403
    assert client.get(f"/logbog/?application={two_rounds['kk'].id}").status_code == 403


def test_the_log_reads_as_sentences_with_names_labels_and_danish_formats(app):
    with app.test_request_context():
        assert detail_lines(
            {"changes": {"grant_amount": [1000000, 666666]}}, "Koordinator Jensen"
        ) == ["Tilskud ændret fra 1.000.000 kr. til 666.666 kr. af Koordinator Jensen"]
        assert detail_lines(
            {
                "changes": {"active": [True, False], "goals": [["a", "b"], []], "odd": 5},
                "values": {"grant": 100000},
                "paid_on": "2026-01-15",
                "disbursed": [0, 450000],
                "email": "x@kk.dk",
                "some_new_field": "x",
            }
        ) == [
            "Aktiv ændret fra ja til nej",
            "Målsætninger fjernet (var a, b)",
            "Odd: 5",
            "Tilskud: 100.000 kr.",
            "Udbetalt den: 15.01.2026",
            "Udbetalt i alt ændret fra 0 kr. til 450.000 kr.",
            "E-mail: x@kk.dk",
            "Some new field: x",
        ]
        decided = {
            "before": {"status": "submitted", "reason": ""},
            "after": {"status": "approved", "reason": "Fin"},
        }
        assert detail_lines(decided, "Karen") == [
            "Status ændret fra Indsendt til Godkendt af Karen",
            "Begrundelse sat til Fin af Karen",
        ]
        assert detail_lines(None) == [] and detail_lines({}) == []


def test_a_figure_reads_with_its_indicators_name_unit_and_quality_in_danish(
    client, make_user, login
):
    """Not "measurement_recorded … Value: 440.5, Quality: provisional, Indicator:
    planning_hours": the action, the indicator and the value in Danish words and formats."""
    from datetime import date
    from decimal import Decimal

    from portal.benefits import recording
    from portal.benefits.models import Quality
    from tests.benefits.helpers import figures_round, indicator, participation_of

    coordinator = make_user(Role.COORDINATOR, name="Karen Koordinator")
    round_ = figures_round()
    p, visits = participation_of(round_, 101), indicator(round_, "screen_visits")
    visits.name_da = "Skærmbesøg pr. måned"
    m = recording.record_measurement(
        p,
        visits,
        date(2025, 10, 1),
        Decimal("440.5"),
        actor=coordinator,
        quality=Quality.PROVISIONAL,
    )
    recording.update_measurement(m, Decimal("452"), actor=coordinator, quality=None)
    db.session.commit()
    login(coordinator)
    page = client.get("/logbog/").get_data(as_text=True)
    assert "Måling registreret af Karen Koordinator" in page
    assert "Indikator: Skærmbesøg pr. måned" in page
    assert "Værdi: 440,5 besøg pr. måned" in page and "Kvalitet: foreløbig" in page
    assert "Værdi ændret fra 440,5 besøg pr. måned til 452 besøg pr. måned" in page
    assert "Kvalitet ændret fra foreløbig til målt" in page
    lines = page.split("<tbody>")[1]  # (the filter's option values are the codes)
    for code in ("measurement_", "screen_visits", "provisional", "Value", "Quality", "440.5"):
        assert code not in lines, code


def test_a_download_or_a_job_says_whose_figures_it_holds(app, make_user):
    from portal.audit.display import LogNames

    names = LogNames(rounds={7: "Skærmbesøg 2025"}, municipalities={3: "Aarhus"})
    with app.test_request_context():
        one_round = {
            "job": "progress_zip",
            "round_id": 7,
            "municipality_id": None,
            "scope": "national",
            "community_id": None,
        }
        assert detail_lines(one_round, names=names) == [
            "Omfang: alle kommuner i Skærmbesøg 2025",
            "Job: fremdriftsrapporter, én pr. kommune (ZIP)",
        ]
        every_round = {
            "report": "progress",
            "format": "pdf",
            "round_id": None,
            "municipality_id": 3,
            "scope": "municipality",
            "community_id": None,
        }
        assert detail_lines(every_round, names=names) == [
            "Omfang: Aarhus i alle forløb",
            "Rapport: fremdriftsrapport",
            "Format: PDF",
        ]


def test_every_action_the_portal_records_has_danish_words():
    """Read from the code, so a new action without words fails here, not in front of a user."""
    import pathlib
    import re

    from portal.audit.words import ACTIONS

    source = "\n".join(p.read_text() for p in pathlib.Path("portal").rglob("*.py"))
    recorded = set(re.findall(r'(?:audit\.record|_audit)\(\s*"([a-z_]+)"', source))
    assert len(recorded) > 40
    assert sorted(recorded - set(ACTIONS)) == []


def test_the_domains_register_their_coded_words_and_the_log_imports_no_domain(app):
    """A status, a role and a quality are words their domains own: each registers them with
    the audit log, which reads them without importing a domain back."""
    import ast
    import pathlib

    from portal.audit import words

    tree = ast.parse(pathlib.Path(words.__file__).read_text())
    imported = {n.module for n in ast.walk(tree) if isinstance(n, ast.ImportFrom) and n.module}
    assert not {m for m in imported if m.startswith("portal.")}
    with app.test_request_context():
        assert words.value_word("status", "approved") == "Godkendt"
        assert words.value_word("status", "abstained") == "Inhabil"
        assert words.value_word("role", "lead") == "Skaleringsleder"
        assert words.value_word("role", Role.ADMIN.value) == "Administrator"
        assert words.value_word("quality", None) == "målt"
        assert words.value_word("status", "no_such_status") is None
