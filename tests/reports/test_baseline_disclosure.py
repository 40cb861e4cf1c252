"""A baseline is disclosed like the latest value (issue 20, item 8: a mutant that showed
another municipality's small baseline count went unnoticed): in a community's progress
report a fellow member's baseline count of 1–4 reads "< 5", on the page, in the CSV and in
the report's table; the municipality's own stays exact."""

from __future__ import annotations

from datetime import date

from portal.auth.models import Role
from portal.db import db
from portal.reports.progress import progress_report
from portal.reports.scope import ReportScope
from tests.dashboards.helpers import baseline, stored
from tests.reports.conftest import FRB
from tests.reports.test_funding import by_title, rows


def test_a_small_baseline_count_is_suppressed_in_the_community_report(
    client, make_user, login, progress_round
):
    baseline(progress_round.kbh, "citizens_screen", 2, date(2025, 8, 15))
    baseline(progress_round.frb, "citizens_screen", 3, date(2025, 8, 15))
    stored()
    db.session.commit()
    scope = ReportScope(round=progress_round.round, community=progress_round.community)
    viewer = progress_round.frb.municipality_id
    citizens = rows(
        by_title(
            progress_report(scope, viewer_municipality_id=viewer), "Citizens screen pr. kommune"
        )
    )
    kbh = next(row for row in citizens if row[0] == "København")
    frb = next(row for row in citizens if row[0] == "Frederiksberg")
    assert kbh[1] == "< 5" and kbh[3] == "< 5"  # baseline and latest alike
    assert frb[1] == 3  # its own, exact

    login(make_user(Role.MUNICIPAL, code=FRB))
    url = f"/rapporter/fremdrift/{progress_round.round.slug}?faellesskab={progress_round.community.id}"
    csv_text = client.get(f"{url}&format=csv").data.decode("utf-8-sig")
    line = next(
        row
        for row in csv_text.splitlines()
        if row.startswith("København;") and "Citizens screen" in row
    )
    cells = line.split(";")
    assert cells[5] == "< 5" and "2" not in cells[5:8], line
