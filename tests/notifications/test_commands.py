"""``portal outbox send`` and ``portal outbox list``."""

from portal.db import db
from portal.notifications.models import OutboxMessage
from tests.notifications.test_delivery import queue


def run(app, *args):
    return app.test_cli_runner().invoke(args=["outbox", *args])


def test_send_reports_each_message_and_commits(app, smtp):
    first, second = queue("a@kk.dk", "b@kk.dk")
    result = run(app, "send")
    assert result.exit_code == 0, result.output
    assert f"sendt: #{first.id} til a@kk.dk – Emne 0" in result.output
    assert "Sendt: 2. Fejlet: 0. Skrevet i loggen (ingen mailserver): 0. Venter: 0." in (
        result.output
    )
    assert db.session.get(OutboxMessage, first.id).sent_at is not None


def test_send_with_the_server_down_exits_1_and_keeps_the_messages(app, smtp):
    [message] = queue("a@kk.dk")
    smtp.down = True
    result = run(app, "send")
    assert result.exit_code == 1
    assert f"fejlet: #{message.id} til a@kk.dk – Emne 0 (forsøg 1: " in result.output
    assert "Connection refused" in result.output and "Venter: 1." in result.output
    listed = run(app, "list")
    assert listed.exit_code == 0
    assert "a@kk.dk  Emne 0  [fejlet 1 gang: " in listed.output
    assert "1 e-mail venter." in listed.output


def test_send_without_a_server_writes_to_the_log(app):
    queue("a@kk.dk")
    result = run(app, "send", "--limit", "5")
    assert result.exit_code == 0
    assert "skrevet i loggen: #" in result.output and "Venter: 1." in result.output
    assert "[venter (ingen mailserver; skrevet i loggen)]" in run(app, "list").output


def test_list_of_an_empty_outbox(app):
    result = run(app, "list")
    assert result.exit_code == 0 and "Udbakken er tom." in result.output
