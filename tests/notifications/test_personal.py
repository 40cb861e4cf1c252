"""A personal notice (a user's file is ready) is that user's alone: not their colleagues',
not the national users' who read every municipality's notices; its user marks it read."""

from __future__ import annotations

from portal.auth.models import Role
from portal.db import db
from portal.notifications.services import mark_all_read, mark_read, notify_user, unread_count


def test_a_personal_notice_is_its_users_alone(client, make_user, login):
    owner = make_user(Role.MUNICIPAL, code=101)
    colleague = make_user(Role.MUNICIPAL, code=101)
    coordinator = make_user(Role.COORDINATOR)
    notice = notify_user(owner, "job_done", {"round": "Runde", "file": "a.zip"}, link="/filer/1")
    mine = notify_user(coordinator, "job_done", {"round": "Runde", "file": "b.zip"})
    db.session.commit()
    assert notice.municipality_id is None
    assert unread_count(owner) == 1 and unread_count(colleague) == 0
    assert unread_count(coordinator) == 1
    for other in (colleague, coordinator):
        login(other)
        page = client.get("/beskeder/").get_data(as_text=True)
        assert "a.zip" not in page
        assert client.post(f"/beskeder/{notice.id}/laest").status_code == 404
        client.post("/logout")
    login(coordinator)
    assert "b.zip" in client.get("/beskeder/").get_data(as_text=True)
    assert client.post(f"/beskeder/{mine.id}/laest").status_code == 302
    assert mine.read_at is not None and unread_count(coordinator) == 0
    client.post("/logout")
    login(owner)
    page = client.get("/beskeder/").get_data(as_text=True)
    assert '<a href="/filer/1">Din fil a.zip (Runde) er klar. Hent den her.</a>' in page
    assert client.post("/beskeder/laest").status_code == 302  # "mark all" takes it too
    assert notice.read_at is not None


def test_the_header_count_is_asked_once_a_request_and_afresh_after_a_change(app, make_user):
    """A page's ETag and its header both show the unread count: one query, and a notice
    made or marked read in the same request is counted again."""
    from sqlalchemy import event

    owner = make_user(Role.MUNICIPAL, code=101)
    notify_user(owner, "job_done", {"round": "Runde", "file": "a.zip"})
    db.session.commit()
    with app.test_request_context("/"):
        queries = []
        listen = lambda *args: queries.append(args[2])  # noqa: E731
        event.listen(db.engine, "before_cursor_execute", listen)
        try:
            assert unread_count(owner) == 1 and unread_count(owner) == 1
            assert sum("count(notifications.id)" in q for q in queries) == 1
        finally:
            event.remove(db.engine, "before_cursor_execute", listen)
        second = notify_user(owner, "job_done", {"round": "Runde", "file": "b.zip"})
        assert unread_count(owner) == 2
        mark_read(second, actor=owner)
        assert unread_count(owner) == 1
        mark_all_read(actor=owner)
        assert unread_count(owner) == 0
