"""Open data: only published municipalities, the reports' figures and disclosure, a licence
with every file, a DCAT-AP-DK record that parses as RDF with the required properties."""

from __future__ import annotations

import csv
import io
import json
import zipfile

import pytest
from rdflib import Graph, Namespace
from rdflib.namespace import DCAT, DCTERMS, RDF

from portal.auth.models import Role
from portal.db import db
from portal.openresults.consent import set_published
from portal.reports.model import RowKind
from portal.reports.progress import progress_report
from portal.reports.scope import ReportScope
from tests.openresults.conftest import AAR, FRB, KBH


def _csv(client, path):
    response = client.get(path)
    assert response.status_code == 200, path
    return list(csv.DictReader(io.StringIO(response.get_data(as_text=True))))


def test_only_published_municipalities_with_units_quality_and_licence(client, published):
    rows = _csv(client, "/aabne-data/indikatorer.csv")
    assert {r["kommune"] for r in rows} == {"København", "Aarhus"}
    assert {r["type"] for r in rows} == {"basislinje", "maal", "maaling"}
    assert all(
        r["enhed"] and r["licens"].startswith("https://creativecommons.org/licenses/by/4.0")
        for r in rows
    )
    citizens = [r for r in rows if r["kommune"] == "København" and r["enhed"] == "borgere"]
    assert citizens and all(
        r["vaerdi"] == "< 5" and r["undertrykt"] == "true" for r in citizens if r["type"] != "maal"
    )
    document = json.loads(client.get("/aabne-data/indikatorer.json").data)
    assert document["licens"] == "CC BY 4.0" and len(document["raekker"]) == len(rows)


def _report_rows(round_):
    """The round's progress report as a national reader gets it (no municipality's own)."""
    report = progress_report(ReportScope(round=round_))
    main = report.main_table
    names = [c.label for c in main.columns]
    indicators = [dict(zip(names, r.values, strict=True)) for r in main.rows]
    benefits = next(
        t for s in report.sections for t in s.tables if t.title == "Gevinster pr. kommune"
    )
    labels = [c.label for c in benefits.columns]
    money = {
        r.values[0]: dict(zip(labels, r.values, strict=True))
        for r in benefits.rows
        if r.kind == RowKind.ROW
    }
    return indicators, money


def _text(value):
    from decimal import Decimal

    return (
        None
        if value is None
        else value
        if isinstance(value, str)
        else f"{Decimal(value).normalize():f}"
    )


def test_the_open_data_equals_the_reports_figures_for_published_municipalities(client, published):
    indicators, money = _report_rows(published.round)
    rows = _csv(client, "/aabne-data/indikatorer.csv")
    compared = 0
    for r in indicators:
        if r["Kommune"] not in ("København", "Aarhus"):
            continue
        mine = [
            x for x in rows if x["kommune"] == r["Kommune"] and x["indikator"] == r["Indikator"]
        ]
        by_type = {
            t: [x for x in mine if x["type"] == t] for t in ("basislinje", "maal", "maaling")
        }
        if r["Basislinje"] is not None:
            assert by_type["basislinje"][0]["vaerdi"] == _text(r["Basislinje"])
        if r["Målbillede"] is not None:
            assert by_type["maal"][0]["vaerdi"] == _text(r["Målbillede"])
        if r["Seneste værdi"] is not None:
            latest = max(by_type["maaling"], key=lambda x: x["periode"])
            assert latest["vaerdi"] == _text(r["Seneste værdi"]), r
            compared += 1
    assert compared >= 3
    keys = {
        r["navn"]: r for r in _csv(client, "/aabne-data/noegletal.csv") if r["niveau"] == "kommune"
    }
    assert set(keys) == {"København", "Aarhus"}
    for name, row in keys.items():
        report = money[name]
        for field, column in (
            ("timer", "Timer"),
            ("aarsvaerk_12m", "Årsværk"),
            ("brutto_kr", "Brutto"),
            ("omkostninger_kr", "Omkostninger"),
            ("netto_kr", "Netto"),
        ):
            assert row[field] == _text(report[column]), (name, field)


@pytest.mark.parametrize(
    ("published", "round_shown"),
    [
        ((), True),  # nobody's own figures: the total of 3 is the reports' rule
        ((KBH,), False),  # the 2 others' sum would be the total less København's
        ((KBH, AAR), False),  # Frederiksberg's would be the total less the two
        ((KBH, FRB, AAR), True),  # everyone's own figures are public anyway
    ],
)
def test_a_total_is_withheld_below_three_or_when_its_unpublished_part_is(
    client, progress_round, make_user, published, round_shown
):
    by_code = {KBH: progress_round.kbh, FRB: progress_round.frb, AAR: progress_round.aar}
    for code in published:
        set_published(by_code[code], True, actor=make_user(Role.LEADERSHIP, code))
    db.session.commit()
    rows = _csv(client, "/aabne-data/noegletal.csv")
    whole = next(r for r in rows if r["niveau"] == "forloeb")
    assert whole["kommuner"] == "3"
    assert (whole["tilbageholdt"] == "false") is round_shown
    assert bool(whole["netto_kr"]) is round_shown
    # the community of two (København, Frederiksberg) is never shown
    community = next(r for r in rows if r["niveau"] == "faellesskab" and r["navn"] == "Hovedstaden")
    assert community["tilbageholdt"] == "true" and community["netto_kr"] == ""
    html = client.get(f"/resultater/{progress_round.round.slug}").get_data(as_text=True)
    assert ("Nettogevinst" in html.split("Indikatorer i hele")[0]) is round_shown
    medians = html.split("Indikatorer i hele forløbet", 1)[1].split("</table>", 1)[0]
    rows = medians.split("<tbody>", 1)[1].split("<tr>")[1:]
    # withheld: both medians and the four status counts of every indicator
    withheld = [r.count("færre end 3 kommuner") == 6 for r in rows]
    assert rows and all(withheld) is not round_shown and any(withheld) is not round_shown


def test_the_zip_holds_every_file_and_the_licence(client, published):
    response = client.get("/aabne-data/alle.zip")
    assert response.mimetype == "application/zip"
    archive = zipfile.ZipFile(io.BytesIO(response.data))
    names = set(archive.namelist())
    assert names == {
        "indikatorer.csv",
        "indikatorer.json",
        "noegletal.csv",
        "noegletal.json",
        "LICENS.txt",
    }
    assert "CC BY 4.0" in archive.read("LICENS.txt").decode()
    assert archive.read("indikatorer.csv") == client.get("/aabne-data/indikatorer.csv").data


def test_files_are_public_cacheable_with_a_version_and_answer_304(client, login, published):
    first = client.get("/aabne-data/indikatorer.csv")
    assert first.headers["Cache-Control"].startswith("public, max-age=")
    assert 'rel="license"' in first.headers["Link"]
    again = client.get(
        "/aabne-data/indikatorer.csv", headers={"If-None-Match": first.headers["ETag"]}
    )
    assert again.status_code == 304
    login(published.leaders[101])  # the same file for a logged-in user, cacheable alike
    assert client.get("/aabne-data/indikatorer.csv").headers["Cache-Control"].startswith("public")


ADMS = Namespace("http://www.w3.org/ns/adms#")
VCARD = Namespace("http://www.w3.org/2006/vcard/ns#")


def test_the_dcat_record_parses_as_rdf_with_the_required_properties(client, published):
    response = client.get("/aabne-data/katalog.jsonld")
    assert response.mimetype == "application/ld+json"
    graph = Graph().parse(data=response.get_data(as_text=True), format="json-ld")
    catalogs = list(graph.subjects(RDF.type, DCAT.Catalog))
    assert len(catalogs) == 1
    catalog = catalogs[0]
    for prop in (DCTERMS.title, DCTERMS.description, DCTERMS.publisher, DCAT.dataset):
        assert graph.value(catalog, prop) is not None, prop
    datasets = list(graph.objects(catalog, DCAT.dataset))
    assert len(datasets) == 2
    for dataset in datasets:
        assert (dataset, RDF.type, DCAT.Dataset) in graph
        languages = {t.language for t in graph.objects(dataset, DCTERMS.title)}
        assert languages == {"da", "en"}
        assert {t.language for t in graph.objects(dataset, DCTERMS.description)} == {"da", "en"}
        for prop in (
            DCTERMS.publisher,
            DCTERMS.issued,
            DCTERMS.modified,
            DCAT.contactPoint,
            DCTERMS.spatial,
            DCAT.theme,
        ):
            assert graph.value(dataset, prop) is not None, (dataset, prop)
        contact = graph.value(dataset, DCAT.contactPoint)
        assert str(graph.value(contact, VCARD.hasEmail)).startswith("mailto:")
        distributions = list(graph.objects(dataset, DCAT.distribution))
        assert len(distributions) == 3
        for d in distributions:
            for prop in (
                DCAT.accessURL,
                DCAT.downloadURL,
                DCTERMS.format,
                DCAT.mediaType,
                DCTERMS.license,
            ):
                assert graph.value(d, prop) is not None, (d, prop)
            url = str(graph.value(d, DCAT.downloadURL))
            path = url.split("://", 1)[1].split("/", 1)[1]
            assert client.get("/" + path).status_code == 200, url
