"""The demo: an anonymous visitor reads the screen-visit round's results and downloads them
as CSV (Aarhus's and Odense's leadership agreed to publish)."""

from __future__ import annotations

import csv
import io

from portal.db import db
from portal.demo import load_demo


def test_an_anonymous_visitor_reads_and_downloads_the_screen_visit_round(client):
    load_demo()
    db.session.commit()
    page = client.get("/resultater/skaermbesoeg-2025")
    assert page.status_code == 200
    html = page.get_data(as_text=True)
    assert 'id="kommune-751"' in html and 'id="kommune-461"' in html
    rows = list(
        csv.DictReader(
            io.StringIO(client.get("/aabne-data/indikatorer.csv").get_data(as_text=True))
        )
    )
    published = {r["kommune"] for r in rows if r["forloeb"] == "skaermbesoeg-2025"}
    assert published == {"Aarhus", "Odense"}
    assert {r["forloeb"] for r in rows} == {"skaermbesoeg-2025"}  # no other round agreed
    # and today's version is stored and listed by date, downloadable as it was
    from portal.openresults import versions

    version = db.session.scalars(versions.available()).one()
    path = f"/aabne-data/{version.day.isoformat()}/indikatorer.csv"
    assert path in client.get("/aabne-data/").get_data(as_text=True)
    assert client.get(path).data == client.get("/aabne-data/indikatorer.csv").data
