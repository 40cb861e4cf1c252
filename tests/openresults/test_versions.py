"""The open data's versions by date: a snapshot stored and listed, downloaded byte for byte;
the same content makes no new version; a withdrawn consent withdraws the versions that held
the municipality's figures; the catalogue lists the versions; retention keeps the monthly
firsts and the recent days."""

from __future__ import annotations

import csv
import io
from datetime import date, timedelta

import pytest
from rdflib import Graph, Literal, Namespace
from rdflib.namespace import DCAT, DCTERMS, RDF, XSD
from sqlalchemy import func, select

from portal import files
from portal.auth.models import Role
from portal.db import db, utcnow
from portal.openresults import figures, versions
from portal.openresults.consent import set_published
from portal.openresults.models import OpenDataVersion
from tests.openresults.conftest import AAR, FRB, KBH

DAY1 = date(2026, 12, 1)
DCAT_NS = Namespace("http://www.w3.org/ns/dcat#")  # DCAT 3 terms rdflib's DCAT lacks
DCAT_VERSION = DCAT_NS["version"]
FILES = ("alle.zip", "indikatorer.csv", "indikatorer.json", "noegletal.csv", "noegletal.json")


@pytest.fixture
def today(monkeypatch):
    """The day as the versions and the data's version see it; ``today.set(day)``."""
    state = {"day": DAY1}

    def set_(day):
        state["day"] = day

    for module in (versions, figures):
        monkeypatch.setattr(module, "local_today", lambda: state["day"])
    return type("Today", (), {"set": staticmethod(set_)})


def _snapshot(origin="job"):
    outcome = versions.snapshot(origin=origin)
    db.session.commit()
    return outcome


def _count() -> int:
    return db.session.scalar(select(func.count(OpenDataVersion.id)))


def _kommuner(data: bytes) -> set[str]:
    return {r["kommune"] for r in csv.DictReader(io.StringIO(data.decode()))}


def test_a_snapshot_is_stored_listed_and_downloaded_byte_identical(client, published, today):
    live = {
        "indikatorer.csv": client.get("/aabne-data/indikatorer.csv").data,
        "indikatorer.json": client.get("/aabne-data/indikatorer.json").data,
        "noegletal.csv": client.get("/aabne-data/noegletal.csv").data,
        "noegletal.json": client.get("/aabne-data/noegletal.json").data,
        "alle.zip": client.get("/aabne-data/alle.zip").data,
    }
    outcome = _snapshot()
    assert outcome.reason == "made"
    version = outcome.version
    assert version.day == DAY1 and {f.name for f in version.files} == set(FILES)
    page = client.get("/aabne-data/").get_data(as_text=True)
    assert 'datetime="2026-12-01"' in page
    for f in version.files:
        assert f.key.startswith("opendata/2026-12-01/") and files.store().exists(f.key)
        response = client.get(f"/aabne-data/2026-12-01/{f.name}")
        assert response.status_code == 200, f.name
        assert response.data == files.read(f.key) == live[f.name], f.name
        assert len(response.data) == f.size
        assert "2026-12-01" in response.headers["Content-Disposition"]
        assert response.headers["Cache-Control"].startswith("public")
    rows = {f.name: f.rows for f in version.files}
    assert rows["indikatorer.csv"] == len(
        list(csv.DictReader(io.StringIO(live["indikatorer.csv"].decode())))
    )
    assert rows["alle.zip"] == rows["indikatorer.csv"] + rows["noegletal.csv"]
    assert client.get("/aabne-data/2026-12-02/alle.zip").status_code == 404
    assert client.get("/aabne-data/2026-12-01/andet.csv").status_code == 404
    assert client.get("/aabne-data/ikke-en-dato/alle.zip").status_code == 404


def test_the_same_content_twice_is_one_version(progress_round, make_user, today):
    leaders = {code: make_user(Role.LEADERSHIP, code) for code in (KBH, FRB, AAR)}
    set_published(progress_round.kbh, True, actor=leaders[KBH])
    db.session.commit()
    assert _snapshot().reason == "made"
    assert _snapshot().reason == "unchanged"  # the data's version: nothing to build
    day2 = DAY1 + timedelta(days=1)
    today.set(day2)  # the daily run: the files are built again …
    assert _snapshot().reason == "same-content"  # … and found unchanged
    assert _count() == 1
    set_published(progress_round.aar, True, actor=leaders[AAR])
    db.session.commit()
    first = _snapshot()
    assert first.reason == "made" and first.version.day == day2
    replaced = [f.key for f in first.version.files]
    # new content again the same day replaces that day's version (one a day)
    set_published(progress_round.frb, True, actor=leaders[FRB])
    db.session.commit()
    second = _snapshot()
    assert second.reason == "made" and second.version.day == day2
    assert not any(files.store().exists(k) for k in replaced)
    assert [v.day for v in db.session.scalars(versions.available())] == [day2, DAY1]
    assert _count() == 2


def test_a_withdrawn_consent_withdraws_the_versions_that_held_it(
    client, progress_round, make_user, today
):
    kbh, aar = make_user(Role.LEADERSHIP, KBH), make_user(Role.LEADERSHIP, AAR)
    set_published(progress_round.kbh, True, actor=kbh)
    db.session.commit()
    only_kbh = _snapshot().version
    today.set(DAY1 + timedelta(days=1))
    set_published(progress_round.aar, True, actor=aar)
    db.session.commit()
    with_aar = _snapshot().version
    assert "Aarhus" in _kommuner(client.get("/aabne-data/2026-12-02/indikatorer.csv").data)
    held = [f.key for f in with_aar.files]

    set_published(progress_round.aar, False, actor=aar)
    db.session.commit()

    # the live files at once, and every version that held Aarhus's figures
    assert "Aarhus" not in _kommuner(client.get("/aabne-data/indikatorer.csv").data)
    assert client.get("/aabne-data/2026-12-02/indikatorer.csv").status_code == 410
    assert not any(files.store().exists(k) for k in held)
    db.session.refresh(with_aar)
    assert with_aar.withdrawn_at is not None  # the record stays, without files
    page = client.get("/aabne-data/").get_data(as_text=True)
    assert 'datetime="2026-12-02"' not in page and 'datetime="2026-12-01"' in page
    catalogue = client.get("/aabne-data/katalog.jsonld").get_data(as_text=True)
    assert "2026-12-02" not in catalogue
    # a version without it stays; the next snapshot has the same content as it: no new one
    assert only_kbh.withdrawn_at is None
    assert _kommuner(client.get("/aabne-data/2026-12-01/indikatorer.csv").data) == {"København"}
    assert _snapshot().reason == "same-content"
    assert [v.day for v in db.session.scalars(versions.available())] == [DAY1]


def test_the_catalogue_lists_the_versions_as_versions_of_each_data_set(
    client, published, today, make_user, progress_round
):
    _snapshot()
    today.set(DAY1 + timedelta(days=1))
    set_published(progress_round.frb, True, actor=make_user(Role.LEADERSHIP, 147))
    db.session.commit()
    _snapshot()
    graph = Graph().parse(data=client.get("/aabne-data/katalog.jsonld").data, format="json-ld")
    catalog = next(graph.subjects(RDF.type, DCAT.Catalog))
    datasets = list(graph.objects(catalog, DCAT.dataset))
    assert len(datasets) == 2  # the live data sets; their versions hang off them
    for dataset in datasets:
        found = list(graph.objects(dataset, DCTERMS.hasVersion))
        assert len(found) == 2
        assert set(graph.objects(dataset, DCAT_NS["hasVersion"])) == set(found)
        issued = set()
        for v in found:
            assert (v, RDF.type, DCAT.Dataset) in graph
            assert graph.value(v, DCTERMS.isVersionOf) == dataset
            day = graph.value(v, DCAT_VERSION)
            assert graph.value(v, DCTERMS.issued) == Literal(str(day), datatype=XSD.date)
            issued.add(str(day))
            for prop in (DCTERMS.title, DCTERMS.description, DCTERMS.publisher):
                assert graph.value(v, prop) is not None
            distributions = list(graph.objects(v, DCAT.distribution))
            assert len(distributions) == 3
            for d in distributions:
                url = str(graph.value(d, DCAT.downloadURL))
                assert f"/aabne-data/{day}/" in url
                path = "/" + url.split("://", 1)[1].split("/", 1)[1]
                response = client.get(path)
                assert response.status_code == 200 and len(response.data) == int(
                    graph.value(d, DCAT.byteSize)
                )
        assert issued == {"2026-12-01", "2026-12-02"}


def _version(day: date, withdrawn: bool = False) -> OpenDataVersion:
    v = OpenDataVersion(
        day=day,
        content_hash=f"{day}",
        data_version=f"{day}",
        modified_on=day,
        withdrawn_at=utcnow() if withdrawn else None,
    )
    db.session.add(v)
    return v


def test_retention_keeps_every_monthly_first_and_the_recent_days(app):
    now = date(2026, 6, 30)
    app.config["OPEN_DATA_KEEP_DAYS"] = 90  # → kept from 2026-04-01
    kept = [
        date(2026, 1, 3),
        date(2026, 2, 1),
        date(2026, 3, 5),
        date(2026, 4, 1),
        date(2026, 6, 29),
    ]
    gone = [date(2026, 1, 4), date(2026, 2, 27), date(2026, 3, 31)]
    for day in kept + gone + [date(2026, 4, 2), date(2026, 5, 17)]:
        _version(day)
    # a withdrawn row goes after the time too, and is no month's first
    _version(date(2026, 3, 1), withdrawn=True)
    db.session.commit()
    planned = {v.day for v in versions.to_prune(now)}
    assert planned == set(gone) | {date(2026, 3, 1)}
    removed = {v.day for v in versions.prune(now)}
    db.session.commit()
    assert removed == planned
    left = {v.day for v in db.session.scalars(versions.available())}
    assert left == set(kept) | {date(2026, 4, 2), date(2026, 5, 17)}
    # the newest is kept even past the time (the data did not change for long)
    app.config["OPEN_DATA_KEEP_DAYS"] = 1
    assert date(2026, 6, 29) not in {v.day for v in versions.to_prune(date(2026, 12, 1))}


def test_the_list_is_newest_first_and_paginated(client):
    for n in range(versions_per_page() + 1):
        _version(DAY1 - timedelta(days=n))
    db.session.commit()
    first = client.get("/aabne-data/").get_data(as_text=True)
    assert first.index('datetime="2026-12-01"') < first.index('datetime="2026-11-30"')
    oldest = (DAY1 - timedelta(days=versions_per_page())).isoformat()
    assert f'datetime="{oldest}"' not in first and 'rel="next"' in first
    second = client.get("/aabne-data/?page=2").get_data(as_text=True)
    assert f'datetime="{oldest}"' in second and 'datetime="2026-12-01"' not in second


def versions_per_page() -> int:
    from portal.openresults.views import VERSIONS_PER_PAGE

    return VERSIONS_PER_PAGE


def test_the_operators_command_makes_and_lists_a_version(app, published, today):
    runner = app.test_cli_runner()
    made = runner.invoke(args=["opendata", "snapshot"])
    assert made.exit_code == 0, made.output
    assert "Version 2026-12-01 made" in made.output and "alle.zip" in made.output
    again = runner.invoke(args=["opendata", "snapshot"])
    assert "No new version" in again.output
    listed = runner.invoke(args=["opendata", "versions"])
    assert listed.output.startswith("2026-12-01") and _count() == 1
    dry = runner.invoke(args=["opendata", "prune", "--dry-run"])
    assert "0 versions would be removed." in dry.output


def test_the_worker_makes_the_daily_version(published, today):
    from portal.openresults import tasks

    tasks.snapshot_open_data()
    tasks.snapshot_open_data()
    today.set(DAY1 + timedelta(days=1))
    tasks.snapshot_open_data()
    assert [v.day for v in db.session.scalars(versions.available())] == [DAY1]
    tasks.prune_open_data_versions()
    assert _count() == 1


def test_the_versions_read_in_english(client, published, today):
    _snapshot()
    page = client.get("/aabne-data/?lang=en").get_data(as_text=True)
    assert "Versions by date" in page and "rows" in page
    assert "No versions have been kept yet." not in page


def test_a_deleted_participation_withdraws_the_versions_that_held_it(client, published, today):
    version = _snapshot().version
    keys = [f.key for f in version.files]
    db.session.delete(published.aar)  # an approval taken back: its consent goes with it
    db.session.commit()
    db.session.refresh(version)
    assert version.withdrawn_at is not None
    assert not any(files.store().exists(k) for k in keys)
    assert client.get("/aabne-data/2026-12-01/alle.zip").status_code == 410


def test_a_portal_with_nothing_public_makes_no_version(client, today):
    assert _snapshot().reason == "empty" and _count() == 0
    assert "Der er endnu ingen gemte udgaver." in client.get("/aabne-data/").get_data(as_text=True)
