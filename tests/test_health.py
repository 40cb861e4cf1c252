"""``/healthz``: 200 with the database reachable, 503 without it; no login, no cookie."""

from portal.db import db, make_engine


def test_healthz_answers_ok_without_a_login(client):
    response = client.get("/healthz")
    assert response.status_code == 200
    assert response.data == b"ok\n"
    assert "Set-Cookie" not in response.headers
    assert response.headers["Cache-Control"] == "no-store"


def test_healthz_is_503_when_the_database_does_not_answer(client, monkeypatch, tmp_path):
    broken = make_engine(f"sqlite:///{tmp_path / 'no' / 'such' / 'folder.sqlite3'}")
    monkeypatch.setattr(db, "engine", broken)
    response = client.get("/healthz")
    assert response.status_code == 503
    assert response.data == b"database unavailable\n"
