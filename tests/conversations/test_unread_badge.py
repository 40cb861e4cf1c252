"""The menu's "Samtaler" link says how many messages are unread, in words for a screen
reader, from one count asked together with the header's unread notices; users who have no
conversations ask nothing."""

from __future__ import annotations

import re

from sqlalchemy import select

from portal.auth.models import Role
from portal.conversations import services
from portal.conversations.models import ThreadKind


def _say(case, actor, text="Hej", kind=ThreadKind.APPLICATION, obj=None):
    return services.post_message(
        services.Subject(kind, obj or case.application), text, [], actor=actor
    )


def _link(html: str) -> str:
    return re.search(r'<a href="/samtaler/"[^>]*>(.*?)</a>', html, re.S).group(1)


def _words(html: str) -> str:
    return " ".join(re.sub(r"<[^>]+>", " ", _link(html)).split())


def test_the_link_counts_unread_messages_in_words(client, login, case):
    from portal.db import db

    _say(case, case.coordinator, "Et spørgsmål")
    _say(case, case.coordinator, "Og et til", ThreadKind.PARTICIPATION, case.participation)
    _say(case, case.coordinator, "Rapporten?", ThreadKind.REPORT, case.report)
    _say(case, case.lead, "Mit eget svar")  # one's own messages are never unread
    db.session.commit()
    login(case.colleague)
    page = client.get("/").get_data(as_text=True)
    assert _words(page) == "Samtaler 4 ulæste"  # the lead's answer is unread to a colleague
    assert 'class="visually-hidden"> ulæste' in _link(page)
    client.post("/logout")
    login(case.lead)  # answering marked the application's thread read for the lead
    assert _words(client.get("/").get_data(as_text=True)) == "Samtaler 2 ulæste"


def test_reading_a_thread_lowers_the_count(client, login, case):
    from portal.db import db

    _say(case, case.coordinator, "Et spørgsmål")
    _say(case, case.coordinator, "Rapporten?", ThreadKind.REPORT, case.report)
    db.session.commit()
    login(case.lead)
    assert _words(client.get("/").get_data(as_text=True)) == "Samtaler 2 ulæste"
    from portal.conversations.models import Thread

    threads = {t.kind: t.id for t in db.session.scalars(select(Thread))}
    marked = client.post(
        f"/samtaler/{threads[ThreadKind.APPLICATION]}/laest", follow_redirects=True
    )
    assert _words(marked.get_data(as_text=True)) == "Samtaler 1 ulæst"
    client.post(f"/samtaler/{threads[ThreadKind.REPORT]}/laest")
    assert _words(client.get("/").get_data(as_text=True)) == "Samtaler"


def test_the_coordinator_counts_the_municipalities_messages(client, login, case, make_user):
    from portal.db import db

    _say(case, case.lead, "Vi har et spørgsmål")
    db.session.commit()
    login(case.coordinator)
    assert _words(client.get("/").get_data(as_text=True)) == "Samtaler 1 ulæst"
    client.post("/logout")
    login(case.odense)  # another municipality's thread is not theirs to count
    assert _words(client.get("/").get_data(as_text=True)) == "Samtaler"


def test_one_query_asks_both_counts_and_does_not_grow(
    client, login, case, count_queries, make_user
):
    from portal.db import db

    login(case.lead)
    _say(case, case.coordinator, "Et spørgsmål")
    db.session.commit()
    with count_queries() as counter:
        client.get("/")
    counted = [s for s in counter.statements if "conversation_messages" in s]
    assert len(counted) == 1 and "notifications" in counted[0]  # one trip for both
    # more threads and messages: the same statements
    for text in ("a", "b", "c"):
        _say(case, case.coordinator, text, ThreadKind.PARTICIPATION, case.participation)
        _say(case, case.coordinator, text, ThreadKind.REPORT, case.report)
    db.session.commit()
    with count_queries() as more:
        client.get("/")
    assert more.count == counter.count, more.statements


def test_users_without_conversations_ask_nothing(client, login, make_user, count_queries):
    login(make_user(Role.REVIEWER))
    with count_queries() as counter:
        page = client.get("/").get_data(as_text=True)
    assert not [s for s in counter.statements if "conversation_messages" in s]
    assert 'href="/samtaler/"' not in page


def test_a_new_message_changes_a_kept_pages_etag(client, login, case):
    """A page the browser keeps (an ETag, answered 304) is drawn afresh when a message comes,
    so its menu never shows an old count."""
    from portal.db import db

    login(case.lead)
    url = f"/oversigt/deltagelse/{case.participation.id}"
    first = client.get(url)
    etag = first.headers.get("ETag")
    assert first.status_code == 200 and etag
    assert client.get(url, headers={"If-None-Match": etag}).status_code == 304
    _say(case, case.coordinator, "Et spørgsmål")
    db.session.commit()
    changed = client.get(url, headers={"If-None-Match": etag})
    assert changed.status_code == 200 and changed.headers["ETag"] != etag
    assert _words(changed.get_data(as_text=True)) == "Samtaler 1 ulæst"
