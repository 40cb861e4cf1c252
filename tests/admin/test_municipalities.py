"""The admin's register page: list, upload (all or nothing, every bad row shown), export."""

import io

import pytest
from sqlalchemy import func, select

from portal.auth.models import Role
from portal.db import db
from portal.municipalities.models import Municipality


@pytest.fixture
def admin(make_user, login):
    user = make_user(Role.ADMIN)
    login(user)
    return user


def upload(client, text, country="DK", name="kommuner.csv"):
    data = {"file": (io.BytesIO(text.encode("utf-8")), name), "country": country}
    return client.post("/admin/kommuner/import", data=data, content_type="multipart/form-data")


def test_list_paginates_searches_and_sorts(client, admin):
    page = client.get("/admin/kommuner/").get_data(as_text=True)
    assert "98 kommuner" in page and "Side 1 af 4" in page
    found = client.get("/admin/kommuner/?q=751").get_data(as_text=True)
    assert "Aarhus Kommune" in found and "1 kommune" in found
    region = client.get("/admin/kommuner/?region=Region+Nordjylland").get_data(as_text=True)
    assert "11 kommuner" in region
    last = client.get("/admin/kommuner/?sort=-code").get_data(as_text=True)
    assert last.index("Hjørring") < last.index("Aalborg")


def test_bad_upload_lists_every_row_and_changes_nothing(client, admin):
    before = db.session.scalar(select(func.count(Municipality.id)))
    response = upload(
        client, "code,name,region\n101,København,Region Hovedstaden\nx1,,Region H\n9999,Ny,\n"
    )
    page = response.get_data(as_text=True)
    assert response.status_code == 400
    assert "Filen blev afvist: 2 fejl. Intet er gemt." in page
    assert "koden &#39;x1&#39; er ikke en kommunekode" in page
    assert "region mangler" in page
    assert db.session.scalar(select(func.count(Municipality.id))) == before


def test_good_upload_updates_and_reports(client, admin):
    response = upload(
        client,
        "code,name,region,population\n0101,København,Region Hovedstaden,667.099\n",
    )
    assert response.status_code == 302
    page = client.get("/admin/kommuner/?q=København").get_data(as_text=True)
    assert "1 ændret" in page and "667.099" in page


def test_norwegian_register_loads_beside_the_danish(client, admin):
    response = upload(
        client, "code,name,region\n0301,Oslo,Oslo\n4601,Bergen,Vestland\n", country="NO"
    )
    assert response.status_code == 302
    oslo = db.session.scalar(
        select(Municipality).where(Municipality.country == "NO", Municipality.code == 301)
    )
    assert oslo.code_display == "0301"
    assert (
        db.session.scalar(
            select(Municipality).where(Municipality.country == "DK", Municipality.code == 101)
        ).name
        == "København"
    )


def test_missing_file_is_refused_at_the_field(client, admin):
    response = client.post(
        "/admin/kommuner/import", data={"country": "DK"}, content_type="multipart/form-data"
    )
    assert response.status_code == 400
    assert "Vælg en fil." in response.get_data(as_text=True)


def test_export_reimports_without_change(client, admin):
    response = client.get("/admin/kommuner/eksport.csv")
    assert response.mimetype == "text/csv"
    text = response.get_data(as_text=True)
    assert text.splitlines()[0] == "code,name,full_name,region,population,country,active"
    assert "101,København,Københavns Kommune,Region Hovedstaden,,DK,ja" in text
    again = upload(client, text)
    assert again.status_code == 302
    assert "0 nye, 0 ændret, 98 uændret" in client.get("/admin/kommuner/").get_data(as_text=True)


def test_a_long_number_in_the_search_is_just_text(client, admin):
    response = client.get("/admin/kommuner/?q=99999999999999999999")
    assert response.status_code == 200
    assert "Ingen kommuner matcher søgningen." in response.get_data(as_text=True)
