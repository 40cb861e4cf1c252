"""Posting and reading figures through the API: the file import's rules (every bad item by
index and reason, nothing stored; the same figure again updates), quality marks, the frozen
picture's reason, Idempotency-Key, isolation between municipalities, pages, ETags, limits."""

from __future__ import annotations

from sqlalchemy import func, select

from portal.audit.models import AuditEvent
from portal.auth.models import Role
from portal.benefits.models import Measurement, Quality
from portal.benefits.recording import freeze
from portal.db import db
from tests.api.helpers import bearer, make_token, month, round_with_two


def post(client, secret, participation_id, items, **headers):
    return client.post(
        f"/api/v1/participations/{participation_id}/figures",
        headers=bearer(secret, **headers),
        json={"items": items},
    )


def measurements(participation_id):
    return db.session.scalar(
        select(func.count())
        .select_from(Measurement)
        .where(Measurement.participation_id == participation_id)
    )


def test_a_month_posted_is_stored_audited_with_the_token_and_its_progress_read_back(
    client, make_user
):
    _round, (mine, _other) = round_with_two()
    secret, token = make_token(make_user(Role.MUNICIPAL, 101), name="Omsorgssystem")
    response = post(client, secret, mine.id, month())
    assert response.status_code == 200, response.json
    assert response.json == {"items": 3, "created": 3, "updated": 0, "unchanged": 0}
    again = post(client, secret, mine.id, month(value=150))  # the same figures: updated
    assert again.json == {"items": 3, "created": 0, "updated": 1, "unchanged": 2}
    assert measurements(mine.id) == 1
    line = db.session.scalar(select(AuditEvent).where(AuditEvent.action == "api_figures_posted"))
    assert line.details["token"] == "Omsorgssystem" and line.municipality_id == mine.municipality_id
    progress = client.get(f"/api/v1/participations/{mine.id}/progress", headers=bearer(secret))
    screen = next(i for i in progress.json["indicators"] if i["indicator"] == "screen_visits")
    assert screen["latest"] == 150 and abs(screen["progress"] - 50 / 300) < 1e-9


def test_every_bad_item_by_index_and_reason_and_nothing_stored(client, make_user):
    _round, (mine, _other) = round_with_two()
    secret, _token = make_token(make_user(Role.MUNICIPAL, 101))
    items = [
        *month(),
        {"kind": "measurement", "indicator": "no_such", "date": "2025-11-01", "value": 1},
        {"kind": "measurement", "indicator": "screen_visits", "date": "2031-01-01", "value": 1},
        {"kind": "measurement", "indicator": "screen_visits", "date": "2025-10-15", "value": 2},
    ]
    response = post(client, secret, mine.id, items)
    assert response.status_code == 422 and response.mimetype == "application/problem+json"
    by_index = {e["index"]: e["reason"] for e in response.json["errors"]}
    assert set(by_index) == {3, 4, 5}
    assert "ukendt indikator 'no_such'" in by_index[3]
    assert "linje 2" in by_index[5] or "ligesom" in by_index[5]  # the same period as item 2
    assert measurements(mine.id) == 0
    shape = post(
        client, secret, mine.id, [{"kind": "guess", "indicator": "x", "date": "x", "value": 1}]
    )
    assert shape.status_code == 422 and {e["index"] for e in shape.json["errors"]} == {0}


def test_quality_marks_and_the_frozen_pictures_reason_as_in_the_import(client, make_user):
    _round, (mine, _other) = round_with_two()
    coordinator = make_user(Role.COORDINATOR)
    secret, _token = make_token(make_user(Role.MUNICIPAL, 101))
    marked = [{**month()[2], "quality": "provisional"}]
    assert post(client, secret, mine.id, month()[:2] + marked).status_code == 200
    stored = db.session.scalar(select(Measurement).where(Measurement.participation_id == mine.id))
    assert stored.quality == Quality.PROVISIONAL
    assert post(client, secret, mine.id, [month()[2]]).status_code == 200  # no mark: cleared
    db.session.refresh(stored)
    assert stored.quality is None
    mine.benefit_owner_name = "Ejer"
    db.session.commit()
    for key in ("punctuality", "satisfaction", "km_driven"):
        for kind, day, value in (("baseline", "2025-09-01", 10), ("target", "2027-03-01", 5)):
            assert (
                post(
                    client,
                    secret,
                    mine.id,
                    [{"kind": kind, "indicator": key, "date": day, "value": value}],
                ).status_code
                == 200
            )
    freeze.approve_target_picture(mine, actor=coordinator)
    db.session.commit()
    lowered = {"kind": "target", "indicator": "screen_visits", "date": "2027-03-01", "value": 300}
    refused = post(client, secret, mine.id, [lowered])
    assert refused.status_code == 422 and "begrundelse" in refused.json["errors"][0]["reason"]
    assert post(client, secret, mine.id, [{**lowered, "reason": "Ny norm"}]).status_code == 200


def test_idempotency_key_replays_the_first_answer_and_refuses_another_request(client, make_user):
    _round, (mine, _other) = round_with_two()
    secret, _token = make_token(make_user(Role.MUNICIPAL, 101))
    first = post(client, secret, mine.id, month(), **{"Idempotency-Key": "nov"})
    retry = post(client, secret, mine.id, month(), **{"Idempotency-Key": "nov"})
    assert retry.json == first.json and retry.headers["Idempotent-Replayed"] == "true"
    assert first.json["created"] == 3
    other = post(client, secret, mine.id, month(value=999), **{"Idempotency-Key": "nov"})
    assert other.status_code == 409 and other.mimetype == "application/problem+json"
    assert measurements(mine.id) == 1


def test_isolation_another_municipalitys_figures_by_any_id_list_or_filter(client, make_user):
    _round, (mine, theirs) = round_with_two()
    secret, _token = make_token(make_user(Role.MUNICIPAL, 101))
    other_secret, _t = make_token(make_user(Role.MUNICIPAL, 147))
    assert post(client, other_secret, theirs.id, month()).status_code == 200
    for path in ("", "/figures", "/progress"):
        response = client.get(f"/api/v1/participations/{theirs.id}{path}", headers=bearer(secret))
        assert response.status_code == 404, path
    assert post(client, secret, theirs.id, month()).status_code == 404
    for query in ("", "?municipality=147", f"?round={_round.slug}", "?limit=1"):
        listed = client.get(f"/api/v1/participations{query}", headers=bearer(secret)).json
        assert {p["municipality"]["code"] for p in listed["items"]} <= {101}, query
    assert measurements(theirs.id) == 1


def test_cursor_pages_and_etags(client, make_user):
    _round, (mine, _other) = round_with_two()
    secret, _token = make_token(make_user(Role.COORDINATOR))
    assert post(client, secret, mine.id, month()).status_code == 200
    seen, cursor = [], None
    while True:
        query = {"limit": 1, **({"cursor": cursor} if cursor else {})}
        page = client.get(
            f"/api/v1/participations/{mine.id}/figures", headers=bearer(secret), query_string=query
        ).json
        seen += page["items"]
        cursor = page["next_cursor"]
        if not cursor:
            break
    assert [f["kind"] for f in seen] == ["baseline", "target", "measurement"]
    forged = client.get(
        "/api/v1/participations", headers=bearer(secret), query_string={"cursor": "abc"}
    )
    assert forged.status_code == 400
    first = client.get("/api/v1/participations", headers=bearer(secret))
    etag = first.headers["ETag"]
    again = client.get("/api/v1/participations", headers=bearer(secret, **{"If-None-Match": etag}))
    assert again.status_code == 304


def test_rate_limit_with_retry_after_and_body_size_413(app, client, make_user):
    secret, _token = make_token(make_user(Role.MUNICIPAL, 101))
    limiter = app.extensions["api_limiter"]
    from limits import parse

    kept, limiter.limit = limiter.limit, parse("3/minute")
    try:
        statuses = [client.get("/api/v1/programmes", headers=bearer(secret)) for _ in range(4)]
    finally:
        limiter.limit = kept
    assert [r.status_code for r in statuses] == [200, 200, 200, 429]
    assert int(statuses[-1].headers["Retry-After"]) >= 1
    big = client.post(
        "/api/v1/participations/1/figures",
        headers=bearer(secret),
        data=b"x" * (app.config["API_MAX_BODY"] + 1),
        content_type="application/json",
    )
    assert big.status_code == 413 and big.mimetype == "application/problem+json"


def test_problems_in_danish_and_english(client):
    da = client.get("/api/v1/programmes")
    en = client.get("/api/v1/programmes", headers={"Accept-Language": "en"})
    assert da.json["title"] == "Mangler en gyldig API-nøgle"
    assert en.json["title"] != da.json["title"] and en.headers["Content-Language"] == "en"


def test_public_open_rounds_and_funding_as_far_as_amounts_may_be_read(client, make_user):
    round_, (mine, _other) = round_with_two()
    public = client.get("/api/v1/open-rounds")
    assert public.status_code == 200 and round_.slug in {r["slug"] for r in public.json["items"]}
    secret, _t = make_token(make_user(Role.MUNICIPAL, 101))
    funding = client.get(f"/api/v1/rounds/{round_.slug}/funding", headers=bearer(secret)).json
    assert {r["municipality"]["code"] for r in funding["rows"]} == {101}
    detail = client.get(f"/api/v1/rounds/{round_.slug}", headers=bearer(secret)).json
    assert "screen_visits" in {i["key"] for i in detail["indicators"]}


def test_kept_answers_are_let_go_after_the_keep_days(client, make_user):
    from datetime import timedelta

    from portal.api.models import IdempotentAnswer
    from portal.api.tasks import forget_old_answers
    from portal.db import utcnow

    _round, (mine, _other) = round_with_two()
    secret, _token = make_token(make_user(Role.MUNICIPAL, 101))
    post(client, secret, mine.id, month(), **{"Idempotency-Key": "old"})
    post(client, secret, mine.id, month(), **{"Idempotency-Key": "new"})
    old = db.session.scalar(select(IdempotentAnswer).where(IdempotentAnswer.key == "old"))
    old.created_at = utcnow() - timedelta(days=30)
    db.session.commit()
    assert forget_old_answers() == 1
    assert db.session.scalars(select(IdempotentAnswer.key)).all() == ["new"]
