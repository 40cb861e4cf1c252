"""``examples/post_figures.py`` against the portal served by werkzeug on a free port: it
posts a month of figures with a token and reads back the progress they produce."""

from __future__ import annotations

import importlib.util
import threading
from pathlib import Path

import pytest
from werkzeug.serving import make_server

from portal.auth.models import Role
from portal.db import db
from tests.api.helpers import bearer, make_token, month, round_with_two
from tests.browser_fixtures import empty_database

EXAMPLE = Path(__file__).resolve().parents[2] / "examples" / "post_figures.py"


@pytest.fixture
def committed_database(app):
    db.session.remove()
    with app.app_context():
        yield
        db.session.remove()
        empty_database()


def _example():
    spec = importlib.util.spec_from_file_location("post_figures", EXAMPLE)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_the_example_posts_a_month_and_reads_back_its_progress(
    app, committed_database, make_user, capsys
):
    _round, (mine, _other) = round_with_two()
    secret, _token = make_token(make_user(Role.MUNICIPAL, 101))
    server = make_server("127.0.0.1", 0, app, threaded=True)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    url = f"http://127.0.0.1:{server.server_port}"
    try:
        example = _example()
        # the baseline and target first, as a municipality records them once
        status, _answer = example.call(
            url,
            secret,
            "POST",
            f"/api/v1/participations/{mine.id}/figures",
            {"items": month()[:2]},
        )
        assert status == 200
        args = [
            "--url",
            url,
            "--token",
            secret,
            "--month",
            "2025-10",
            "--value",
            "screen_visits=160",
        ]
        assert example.main(args) == 0
        out = capsys.readouterr().out
        assert "stored: 1 new" in out
        assert "screen_visits: latest 160.0 (2025-10-01), progress 20%" in out
        assert example.main(args) == 0  # the same month again: the first answer
        assert "stored: 1 new" in capsys.readouterr().out
        bad = ["--url", url, "--token", secret, "--month", "2025-10", "--value", "nope=1"]
        assert example.main(bad) == 1
        assert "item 0: ukendt indikator 'nope'" in capsys.readouterr().err
    finally:
        server.shutdown()
        thread.join(timeout=5)
    assert bearer(secret)  # the token was the example's only credential
