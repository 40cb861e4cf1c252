"""A median of fewer than three municipalities is withheld ("færre end 3 kommuner") in pages,
reports and exports: in a community of two, a member could otherwise derive the other's value
from its own and the median."""

from __future__ import annotations

import io
from decimal import Decimal as D

from openpyxl import load_workbook

from portal.auth.models import Role
from portal.benefits.display import Median, median_of
from tests.dashboards.helpers import many_municipalities, two_municipalities

TOO_FEW = "færre end 3 kommuner"


class _Result:
    def __init__(self, value):
        self.latest = type("Latest", (), {"value": D(value)})()
        self.progress_value = D(value) / 100


def test_the_median_needs_three_municipalities():
    assert median_of([_Result(10), _Result(30)]) == Median(None, None, 2, 2)
    three = median_of([_Result(10), _Result(30), _Result(50)])
    assert three.latest == 30 and not three.latest_withheld


def test_a_community_of_two_sees_no_median_in_pages_and_files(client, make_user, login):
    round_, community, kbh, frb = two_municipalities()
    login(make_user(Role.MUNICIPAL, code=147))
    own = client.get(f"/oversigt/deltagelse/{frb.id}").get_data(as_text=True)
    assert TOO_FEW in own
    side_by_side = client.get(f"/oversigt/faellesskab/{community.id}").get_data(as_text=True)
    assert TOO_FEW in side_by_side
    report = client.get(f"/rapporter/fremdrift/{round_.slug}?kommune=147&format=xlsx")
    assert report.status_code == 200
    book = load_workbook(io.BytesIO(report.data))
    medians = [
        row
        for sheet in book
        for row in sheet.iter_rows(values_only=True)
        if row and str(row[0]).startswith("Median")
    ]
    assert medians and all(TOO_FEW in row for row in medians)


def test_three_municipalities_show_the_median(client, make_user, login):
    round_, community, kbh, frb = two_municipalities()
    many_municipalities(round_, community, 1, 3)
    login(make_user(Role.MUNICIPAL, code=147))
    side_by_side = client.get(f"/oversigt/faellesskab/{community.id}").get_data(as_text=True)
    median_row = side_by_side.split(">Median<")[1].split("</tr>")[0]
    assert TOO_FEW not in median_row
