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
        "code,name,region,population,population_date\n"
        "0101,København,Region Hovedstaden,667.099,2025-07-01\n",
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
    assert response.headers["Content-Disposition"] == "attachment; filename=kommuneregister.csv"
    assert text.splitlines()[0] == (
        "\ufeffcode,name,full_name,region,cvr,population,population_date,population_source,"
        "country,active"
    )
    assert len(text.splitlines()) == 99
    assert "101,København,Københavns Kommune,Region Hovedstaden,64942212,,,,DK,ja" in text
    again = upload(client, text)
    assert again.status_code == 302
    assert (
        "Registeret er indlæst. 98 kommuner læst: 0 oprettet, 0 ændret, 98 uændret."
        in client.get("/admin/kommuner/").get_data(as_text=True)
    )


def test_a_long_number_in_the_search_is_just_text(client, admin):
    response = client.get("/admin/kommuner/?q=99999999999999999999")
    assert response.status_code == 200
    assert "Ingen kommuner matcher søgningen." in response.get_data(as_text=True)


def count():
    return db.session.scalar(select(func.count(Municipality.id)))


REGISTER_URLS = [
    ("GET", "/admin/kommuner/"),
    ("GET", "/admin/kommuner/eksport.csv"),
    ("POST", "/admin/kommuner/import"),
]


@pytest.mark.parametrize("role", [Role.MUNICIPAL, Role.COORDINATOR, Role.REVIEWER, Role.LEADERSHIP])
def test_every_other_role_is_refused_the_register(client, make_user, login, role):
    login(make_user(role, code=101 if role == Role.MUNICIPAL else None))
    before = count()
    for method, url in REGISTER_URLS:
        response = (
            upload(client, "code,name,region\n0301,Oslo,Oslo\n101,Hacket,R\n", country="NO")
            if method == "POST"
            else client.get(url)
        )
        assert response.status_code == 403, (role, method, url)
    assert count() == before
    kbh = db.session.scalar(
        select(Municipality).where(Municipality.country == "DK", Municipality.code == 101)
    )
    assert kbh.name == "København"


def test_anonymous_is_sent_to_login_from_the_register(client):
    before = count()
    for method, url in REGISTER_URLS:
        response = (
            upload(client, "code,name,region\n999,X,R\n") if method == "POST" else (client.get(url))
        )
        assert response.status_code == 302 and response.headers["Location"].startswith("/login")
    assert count() == before


def test_upload_of_a_non_utf8_file_is_refused_on_the_page(client, admin):
    data = {
        "file": (io.BytesIO("code,name,region\n101,København,R\n".encode("latin-1")), "k.csv"),
        "country": "DK",
    }
    response = client.post("/admin/kommuner/import", data=data, content_type="multipart/form-data")
    page = response.get_data(as_text=True)
    assert response.status_code == 400
    assert "Filen er ikke UTF-8." in page and "Intet er gemt." in page


def test_every_bad_row_is_shown_with_its_line(client, admin):
    text = "code,name,region\n" + "".join(f"x{n},Navn,R\n" for n in range(30))
    page = upload(client, text).get_data(as_text=True)
    assert "Filen blev afvist: 30 fejl. Intet er gemt." in page
    for line in range(2, 32):
        assert f'<td class="num">{line}</td>' in page


def test_a_register_of_another_country_can_be_filtered(client, admin):
    upload(client, "code,name,region\n0301,Oslo,Oslo\n4601,Bergen,Vestland\n", country="NO")
    norway = client.get("/admin/kommuner/?country=NO").get_data(as_text=True)
    assert "2 kommuner" in norway and "Bergen" in norway and "København" not in norway
    assert '<option value="Vestland">' in norway and "Region Hovedstaden" not in norway
    both = client.get("/admin/kommuner/").get_data(as_text=True)
    assert "100 kommuner" in both and "Norge" in both


def test_odd_searches_are_just_text(client, admin):
    for query in ("²", "%", "_"):
        response = client.get("/admin/kommuner/", query_string={"q": query})
        assert response.status_code == 200
        assert "Ingen kommuner matcher søgningen." in response.get_data(as_text=True)
    ærø = client.get("/admin/kommuner/", query_string={"q": "Ærø"}).get_data(as_text=True)
    assert "1 kommune" in ærø and "Ærø Kommune" in ærø


def test_register_pages_through_all_98_without_repeats(client, admin):
    seen = []
    for number in range(1, 5):
        page = client.get(f"/admin/kommuner/?sort=region&page={number}").get_data(as_text=True)
        seen += [line.split("</td>")[0] for line in page.split("<tr>\n      <td>")[1:]]
    assert len(seen) == len(set(seen)) == 98


def test_the_sorted_column_header_says_so(client, admin):
    page = client.get("/admin/kommuner/?sort=-name").get_data(as_text=True)
    header = page.split('aria-sort="descending"')[1].split("</th>")[0]
    assert "Navn" in header
    assert page.count("aria-sort=") == 1
