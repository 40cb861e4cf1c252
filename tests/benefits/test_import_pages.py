"""Upload pages, exports and templates per role: a municipality sees and sends only its own."""

import io
from datetime import date
from decimal import Decimal as D

import pandas as pd
import pytest
from sqlalchemy import func, select

from portal.audit.models import AuditEvent
from portal.auth.models import Role
from portal.benefits import recording
from portal.benefits.files.importing import import_figures
from portal.benefits.models import Measurement
from portal.db import db
from tests.benefits.helpers import figures_round, indicator, participation_of

H = "municipality,indicator,kind,date,value,note\n"


@pytest.fixture
def round_():
    round_ = figures_round(codes=(101, 147))
    visits = indicator(round_, "screen_visits")
    for code, value in ((101, 11), (147, 22)):
        recording.record_measurement(
            participation_of(round_, code), visits, date(2025, 10, 1), D(value), actor=None
        )
    db.session.commit()
    return round_


def upload(client, path, text, name="tal.csv"):
    return client.post(
        path,
        data={"file": (io.BytesIO(text.encode()), name)},
        content_type="multipart/form-data",
    )


def read(response) -> pd.DataFrame:
    """A file as written (Danish headers for a Danish reader), by the columns' codes."""
    from portal.benefits.files.importing.parsing import HEADER_WORDS

    data = response.get_data()
    if data[:4] == b"PK\x03\x04":
        frame = pd.read_excel(io.BytesIO(data), dtype=str, keep_default_na=False)
    else:
        frame = pd.read_csv(
            io.BytesIO(data), dtype=str, keep_default_na=False, encoding="utf-8-sig"
        )
    return frame.rename(columns=HEADER_WORDS)


def test_municipal_upload_of_their_own_participation(client, login, make_user, round_):
    own = participation_of(round_, 101)
    login(make_user(Role.MUNICIPAL, code=101))
    path = f"/gevinster/deltagelse/{own.id}/indlaes"
    page = client.get(path)
    assert page.status_code == 200 and "kun indlæse tal for København" in page.get_data(
        as_text=True
    )
    response = upload(
        client,
        path,
        H
        + '101,screen_visits,measurement,2025-11-01,"12,5",\n'
        + "147,screen_visits,measurement,2025-11-01,99,\n",
    )
    html = response.get_data(as_text=True)
    assert response.status_code == 400
    assert "rækken gælder kommune 147, men I kan kun indlæse tal for København" in html
    assert "Intet er gemt" in html
    assert db.session.scalar(select(func.count(Measurement.id))) == 2
    response = upload(client, path, H + '101,screen_visits,measurement,2025-11-01,"12,5",\n')
    assert response.status_code == 302
    assert response.headers["Location"].endswith(f"/gevinster/deltagelse/{own.id}")
    assert db.session.scalar(select(func.count(Measurement.id))) == 3


def test_a_file_of_the_wrong_type_is_refused_at_the_field(client, login, make_user, round_):
    own = participation_of(round_, 101)
    login(make_user(Role.MUNICIPAL, code=101))
    response = upload(client, f"/gevinster/deltagelse/{own.id}/indlaes", "x", name="tal.pdf")
    assert response.status_code == 400
    assert ".csv- eller .xlsx-fil" in response.get_data(as_text=True)


def test_coordinator_uploads_for_the_round(client, login, make_user, round_):
    login(make_user(Role.COORDINATOR))
    path = f"/gevinster/forloeb/{round_.slug}/indlaes"
    assert client.get(path).status_code == 200
    response = upload(
        client,
        path,
        H
        + "101,screen_visits,measurement,2025-11-01,1,\n"
        + "147,screen_visits,measurement,2025-11-01,2,\n",
    )
    assert response.status_code == 302
    assert db.session.scalar(select(func.count(Measurement.id))) == 4


@pytest.mark.parametrize(
    "role, code", [(Role.MUNICIPAL, 101), (Role.LEADERSHIP, None), (Role.ADMIN, None)]
)
def test_only_coordinators_upload_for_a_round(client, login, make_user, round_, role, code):
    login(make_user(role, code=code))
    assert client.get(f"/gevinster/forloeb/{round_.slug}/indlaes").status_code == 403


def test_leadership_cannot_upload(client, login, make_user, round_):
    own = participation_of(round_, 101)
    login(make_user(Role.LEADERSHIP, code=101))
    assert client.get(f"/gevinster/deltagelse/{own.id}/indlaes").status_code == 403


@pytest.mark.parametrize("fmt", ["csv", "xlsx"])
def test_a_municipality_exports_only_its_own_figures(client, login, make_user, round_, fmt):
    own, other = participation_of(round_, 101), participation_of(round_, 147)
    login(make_user(Role.LEADERSHIP, code=101))
    response = client.get(f"/gevinster/deltagelse/{own.id}/tal.{fmt}")
    assert response.status_code == 200
    table = read(response)
    assert list(table["municipality"]) == ["101"] and list(table["value"]) == ["11"]
    assert client.get(f"/gevinster/deltagelse/{other.id}/tal.{fmt}").status_code == 404
    assert client.get(f"/gevinster/forloeb/{round_.slug}/tal.{fmt}").status_code == 403
    line = db.session.scalars(
        select(AuditEvent).where(AuditEvent.action == "figures_exported")
    ).one()
    assert line.municipality_id == own.municipality_id and line.details["format"] == fmt


def test_round_export_for_national_users(client, login, make_user, round_):
    login(make_user(Role.COORDINATOR))
    table = read(client.get(f"/gevinster/forloeb/{round_.slug}/tal.csv"))
    assert list(table["municipality"]) == ["101", "147"]
    assert client.get(f"/gevinster/forloeb/{round_.slug}/tal.pdf").status_code == 404


def test_templates_per_role(client, login, make_user, round_):
    login(make_user(Role.MUNICIPAL, code=101))
    table = read(client.get(f"/gevinster/forloeb/{round_.slug}/skabelon.xlsx"))
    assert set(table["municipality"]) == {"101"}
    assert set(table["indicator"]) >= {"screen_visits", "punctuality", "engangs:Licenser"}
    assert set(table["value"]) == {""}
    client.post("/logout")
    login(make_user(Role.MUNICIPAL, code=461))  # Odense does not participate
    assert client.get(f"/gevinster/forloeb/{round_.slug}/skabelon.csv").status_code == 404
    client.post("/logout")
    login(make_user(Role.COORDINATOR))
    table = read(client.get(f"/gevinster/forloeb/{round_.slug}/skabelon.csv"))
    assert set(table["municipality"]) == {"101", "147"}
    assert list(table["indicator"]).count("engangs:Licenser") == 2  # one per municipality


def test_a_file_of_blank_values_says_nothing_was_imported(client, login, make_user, round_):
    own = participation_of(round_, 101)
    login(make_user(Role.MUNICIPAL, code=101))
    path = f"/gevinster/deltagelse/{own.id}/indlaes"
    response = upload(client, path, H + "101,screen_visits,measurement,2025-11-01,,\n")
    assert response.status_code == 302
    page = client.get(response.location).get_data(as_text=True)
    assert "Intet blev indlæst: filen havde ingen udfyldte værdier." in page
    assert "flash-warning" in page


def test_danish_headers_and_words_in_the_template_and_on_import_the_codes_still_read(
    client, login, make_user, round_
):
    """The template speaks Danish (kommunekode, indikator, art …; måling), the upload page
    explains every column and names the quality values, and both Danish and English files
    are read."""
    login(make_user(Role.MUNICIPAL, code=101))
    raw = client.get(f"/gevinster/forloeb/{round_.slug}/skabelon.csv").get_data()
    header = raw.decode("utf-8-sig").splitlines()[0]
    assert header.startswith("kommunekode,indikator,navn,enhed,hyppighed,art,dato,værdi,note")
    assert ",måling," in raw.decode("utf-8-sig")
    own = participation_of(round_, 101)
    page = client.get(f"/gevinster/deltagelse/{own.id}/indlaes").get_data(as_text=True)
    for column in ("kommunekode", "indikator", "art", "dato", "værdi", "note", "kvalitet"):
        assert f"<dt>{column}</dt>" in page
    assert "skønnet" in page and "foreløbig" in page and "revideret" in page
    visits = indicator(round_, "screen_visits")
    danish = "kommunekode,indikator,art,dato,værdi,kvalitet\n101,screen_visits,måling,2025-11-03,7,foreløbig\n"
    result = import_figures(danish, round_, actor=None)
    english = "municipality,indicator,kind,date,value\n101,screen_visits,measurement,2025-12-03,8\n"
    result2 = import_figures(english, round_, actor=None)
    assert result.created == result2.created == 1
    values = db.session.scalars(
        select(Measurement.value).where(Measurement.indicator_id == visits.id)
    ).all()
    assert {7, 8} <= {int(v) for v in values}
