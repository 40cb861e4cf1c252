"""Inputs that once answered 500: each is now refused with a reason, or simply ignored."""

from __future__ import annotations

import io

import pytest

from portal.auth.models import Role
from portal.benefits.files.importing import import_figures
from portal.errors import RowErrors
from portal.programmes.loading import check_programme_file
from tests.benefits.helpers import figures_round, indicator, participation_of

EXTREME_DATES = ["0001-01-01", "9999-12-31", "1677-09-21", "2262-04-12"]


@pytest.mark.parametrize(
    "query", ["endpoint=x", "slug=y", "_method=POST", "_external=1", "_anchor=x"]
)
def test_url_for_words_in_the_report_query_are_ignored(client, make_user, login, query):
    login(make_user(Role.COORDINATOR))
    response = client.get(f"/rapporter/tilskud?{query}")
    assert response.status_code == 200
    assert "javascript" not in response.get_data(as_text=True)


@pytest.mark.parametrize("day", EXTREME_DATES)
def test_extreme_dates_are_refused_at_the_field(client, make_user, login, day):
    round_ = figures_round(codes=(101,))
    own = participation_of(round_, 101)
    visits = indicator(round_, "screen_visits")
    login(make_user(Role.MUNICIPAL, code=101))
    response = client.post(
        f"/gevinster/deltagelse/{own.id}/indikator/{visits.id}/maaling",
        data={f"m{visits.id}-on": day, f"m{visits.id}-value": "5"},
    )
    assert response.status_code == 400
    response = client.post(
        f"/gevinster/deltagelse/{own.id}/indikator/{visits.id}/basislinje",
        data={f"b{visits.id}-measured_on": day, f"b{visits.id}-value": "5"},
    )
    assert response.status_code in (400, 404)


@pytest.mark.parametrize("day", EXTREME_DATES)
def test_extreme_dates_are_refused_at_the_import_row(day):
    round_ = figures_round(codes=(101,))
    text = f"municipality,indicator,kind,date,value,note\n101,screen_visits,measurement,{day},5,\n"
    with pytest.raises(RowErrors) as caught:
        import_figures(text.encode(), round_, actor=None)
    assert [line for line, _ in caught.value.errors] == [2]


def test_a_programme_file_nested_thousands_deep_is_refused():
    with pytest.raises(RowErrors) as caught:
        check_programme_file(("x = " + "[" * 5000 + "]" * 5000).encode())
    assert "dybt" in caught.value.errors[0][1]


def test_a_programme_upload_nested_deep_gets_the_row_errors_page(client, make_user, login):
    login(make_user(Role.COORDINATOR))
    data = ("x = " + "[" * 5000 + "]" * 5000).encode()
    response = client.post(
        "/indsatser/indlaes",
        data={"file": (io.BytesIO(data), "indsats.toml")},
        content_type="multipart/form-data",
    )
    assert response.status_code == 400
    assert "dybt" in response.get_data(as_text=True)
