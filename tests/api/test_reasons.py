"""The API's validation reasons in the request's language: pydantic's error types become
Danish (or English) texts in problem details, each with where it is (``pointer`` into the
body, or the parameter) and its index when it is an item's."""

from __future__ import annotations

import pytest

from portal.auth.models import Role
from tests.api.helpers import bearer, make_token, round_with_two

GOOD = {"kind": "measurement", "indicator": "screen_visits", "date": "2025-10-01", "value": 1}
BAD_ITEMS = [
    {**GOOD, "value": "mange"},  # 0: decimal_parsing
    {**GOOD, "date": "i går"},  # 1: date_from_datetime_parsing
    {**GOOD, "kind": "gæt"},  # 2: literal_error
    {**GOOD, "note": "x" * 1001},  # 3: string_too_long
    {k: v for k, v in GOOD.items() if k != "indicator"},  # 4: missing
    {**GOOD, "colour": "blå"},  # 5: extra_forbidden
]
DANISH = {
    "#/items/0/value": "Skriv et tal med punktum som decimaltegn, f.eks. 12.5.",
    "#/items/1/date": "Skriv en dato som ÅÅÅÅ-MM-DD.",
    "#/items/2/kind": "Vælg en af disse værdier: 'baseline', 'target', 'measurement' eller 'cost'.",
    "#/items/3/note": "Teksten er for lang (højst 1000 tegn).",
    "#/items/4/indicator": "Feltet mangler.",
    "#/items/5/colour": "Feltet kendes ikke og må ikke være med.",
}
ENGLISH = {
    "#/items/0/value": "Write a number with a point as the decimal separator, e.g. 12.5.",
    "#/items/1/date": "Write a date as YYYY-MM-DD.",
    "#/items/2/kind": "Choose one of these values: 'baseline', 'target', 'measurement' or 'cost'.",
    "#/items/3/note": "The text is too long (at most 1000 characters).",
    "#/items/4/indicator": "This field is required.",
    "#/items/5/colour": "This field is not known and is not allowed.",
}


@pytest.fixture
def posting(client, make_user):
    _round, (mine, _other) = round_with_two()
    secret, _token = make_token(make_user(Role.MUNICIPAL, 101))

    def post(body, language):
        return client.post(
            f"/api/v1/participations/{mine.id}/figures",
            headers=bearer(secret, **{"Accept-Language": language}),
            json=body,
        )

    return post


@pytest.mark.parametrize(("language", "texts"), [("da", DANISH), ("en", ENGLISH)])
def test_each_bad_field_in_the_requests_language_with_its_pointer(posting, language, texts):
    response = posting({"items": [*BAD_ITEMS, GOOD]}, language)
    assert response.status_code == 422 and response.mimetype == "application/problem+json"
    assert response.headers["Content-Language"] == language
    errors = response.json["errors"]
    assert {e["pointer"]: e["detail"] for e in errors} == texts
    assert {e["index"] for e in errors} == {0, 1, 2, 3, 4, 5}  # the good item 6 is not named
    by_index = {e["index"]: e for e in errors}
    assert by_index[4]["type"] == "missing" and by_index[0]["type"] == "decimal_parsing"
    assert by_index[3]["reason"] == "note: " + texts["#/items/3/note"]


def test_a_body_that_is_no_object_and_a_missing_list(posting):
    not_json = posting(None, "da")
    assert not_json.status_code == 422
    (only,) = not_json.json["errors"]
    assert only["pointer"] == "#" and only["detail"] == "Skriv et JSON-objekt ({…})."
    empty = posting({"items": []}, "en")
    (short,) = empty.json["errors"]
    assert short["pointer"] == "#/items" and short["type"] == "too_short"
    assert short["detail"] == "The list must have at least 1 item(s)."


@pytest.mark.parametrize(
    ("language", "detail"), [("da", "Skriv et helt tal."), ("en", "Write a whole number.")]
)
def test_a_bad_query_parameter_is_named_as_a_parameter(client, make_user, language, detail):
    secret, _token = make_token(make_user(Role.MUNICIPAL, 101))
    response = client.get(
        "/api/v1/participations?limit=mange",
        headers=bearer(secret, **{"Accept-Language": language}),
    )
    assert response.status_code == 422
    (error,) = response.json["errors"]
    assert error == {"detail": detail, "type": "int_parsing", "parameter": "limit", "in": "query"}


def test_an_error_type_without_a_text_falls_back(app):
    from flask_babel import force_locale

    from portal.api.reasons import text_of

    error = {"type": "uuid_parsing", "msg": "Input should be a valid UUID"}
    with app.test_request_context(), force_locale("da"):
        assert text_of(error) == "Værdien kan ikke bruges her."
    with app.test_request_context(), force_locale("en"):
        assert text_of(error) == "Input should be a valid UUID"
    with app.test_request_context(), force_locale("da"):  # a context lacking its value
        assert text_of({"type": "string_too_long", "msg": "x"}) == "Værdien kan ikke bruges her."
