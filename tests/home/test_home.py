import pytest

from portal.auth.models import Role
from portal.db import db
from tests.factories import create_programme, create_round


@pytest.mark.parametrize(
    ("role", "code", "expected"),
    [
        (Role.MUNICIPAL, 751, "Du arbejder for Aarhus Kommune."),
        (Role.LEADERSHIP, 461, "Du følger Odense Kommune som ledelse."),
        (Role.LEADERSHIP, None, "Du følger samarbejdet som national ledelse."),
        (Role.COORDINATOR, None, "Du er national koordinator."),
        (Role.REVIEWER, 630, "Du hører til Vejle Kommune"),
        (Role.ADMIN, None, "Du administrerer brugere og kommuneregisteret."),
    ],
)
def test_each_role_gets_its_home_page(client, make_user, login, role, code, expected):
    login(make_user(role, code=code))
    page = client.get("/").get_data(as_text=True)
    assert expected in page


def test_home_lists_open_rounds_with_deadline_in_copenhagen_time(client, make_user, login):
    from datetime import UTC, datetime

    programme = create_programme(name_da="Skærmbesøg")
    create_round(
        programme,
        name_da="Åben runde",
        deadline_at=datetime(2099, 10, 1, 10, 0, tzinfo=UTC),  # 12:00 summer time
    )
    create_round(programme, name_da="Kladde-runde", status="draft")
    db.session.commit()
    login(make_user(Role.MUNICIPAL))
    page = client.get("/").get_data(as_text=True)
    assert "Åben runde" in page
    assert "01.10.2099 12:00" in page
    assert "Kladde-runde" not in page.split("<h2>Åbne for ansøgning</h2>")[1].split("</table>")[0]


def test_empty_state_when_nothing_is_open(client, make_user, login):
    login(make_user(Role.MUNICIPAL))
    assert "Ingen forløb er åbne for ansøgning lige nu." in client.get("/").get_data(as_text=True)


def test_national_figures_for_the_coordinator(client, make_user, login):
    login(make_user(Role.COORDINATOR))
    page = client.get("/").get_data(as_text=True)
    assert '<div class="figure">98</div>aktive kommuner' in page


def test_municipal_home_shows_no_national_figures(client, make_user, login):
    login(make_user(Role.MUNICIPAL))
    assert "aktive kommuner" not in client.get("/").get_data(as_text=True)


@pytest.mark.parametrize("role", [Role.MUNICIPAL, Role.COORDINATOR])
def test_home_queries_do_not_grow_with_rounds(client, make_user, login, count_queries, role):
    login(make_user(role))
    programme = create_programme()
    create_round(programme)
    db.session.commit()
    client.get("/")
    db.session.expunge_all()  # every request loads what it needs, as in production
    with count_queries() as few:
        client.get("/")
    for _ in range(3):
        extra = create_programme()
        for _ in range(3):
            create_round(extra)
            create_round(extra, open_now=False)
    db.session.commit()
    db.session.expunge_all()  # every request loads what it needs, as in production
    with count_queries() as many:
        client.get("/")
    assert many.count == few.count


def test_municipal_home_lists_its_applications_and_confirmations_waiting(
    client, make_user, login, count_queries
):
    from tests.conftest import municipality
    from tests.factories import create_application

    programme = create_programme()
    rounds = [create_round(programme, name_da=f"Runde {n}") for n in range(4)]
    last_round_id = rounds[3].id
    odense, aarhus = municipality(461).id, municipality(751).id
    create_application(rounds[0], odense, status="submitted")
    create_application(rounds[1], aarhus, status="draft", members=[odense], confirmed=False)
    create_application(rounds[2], municipality(851).id, status="submitted")  # not Odense's
    db.session.commit()
    login(make_user(Role.MUNICIPAL, code=461))
    page = client.get("/").get_data(as_text=True)
    assert "Jeres ansøgninger" in page
    mine = page.split("<h2>Jeres ansøgninger</h2>")[1].split("</table>")[0]
    assert "Runde 0" in mine and "Runde 1" in mine and "Runde 2" not in mine
    assert "fælles ansøgning fra Aarhus" in mine and "venter på jeres bekræftelse" in mine
    db.session.expunge_all()
    with count_queries() as few:
        client.get("/")
    from portal.programmes.models import Round

    create_application(db.session.get(Round, last_round_id), odense, members=[aarhus])
    db.session.commit()
    db.session.expunge_all()
    with count_queries() as more:
        client.get("/")
    assert more.count == few.count


def test_a_municipality_sees_only_rounds_it_takes_part_in_or_may_apply_to(client, make_user, login):
    from datetime import date, timedelta

    from portal.applications.models import DeadlineExtension
    from portal.db import utcnow
    from portal.participations.models import Participation
    from tests.conftest import municipality

    programme = create_programme()
    running = dict(
        opens_at=utcnow() - timedelta(days=300),
        deadline_at=utcnow() - timedelta(days=200),
        period_start=date.today() - timedelta(days=100),
        period_end=date.today() + timedelta(days=100),
        status="closed",
    )
    ours = create_round(programme, name_da="Vores samarbejde", **running)
    create_round(programme, name_da="Andres samarbejde", **running)
    create_round(programme, name_da="Åben for alle")
    late = create_round(
        programme,
        name_da="Forlænget for os",
        deadline_at=utcnow() - timedelta(days=1),
    )
    create_round(programme, name_da="Lukket for os", deadline_at=utcnow() - timedelta(days=1))
    aarhus = municipality(751).id
    db.session.add(Participation(round=ours, municipality_id=aarhus, role="participant"))
    db.session.add(
        DeadlineExtension(
            round_id=late.id, municipality_id=aarhus, until_at=utcnow() + timedelta(days=2)
        )
    )
    db.session.commit()
    login(make_user(Role.MUNICIPAL, code=751))
    page = client.get("/").get_data(as_text=True)
    assert "Vores samarbejde" in page and "Andres samarbejde" not in page
    assert "Åben for alle" in page and "Lukket for os" not in page
    assert "Forlænget for os" in page and "forlænget for jer" in page
    client.post("/logout")
    login(make_user(Role.COORDINATOR))  # the coordinator sees every running round
    assert "Andres samarbejde" in client.get("/").get_data(as_text=True)


def test_every_page_links_the_favicon_and_it_is_served(client):
    page = client.get("/login").get_data(as_text=True)
    assert 'rel="icon"' in page and "/static/favicon.svg" in page
    icon = client.get("/static/favicon.svg")
    assert icon.status_code == 200 and b"<svg" in icon.data


def test_a_reviewers_home_lists_the_reviews_waiting(client, make_user, login):
    from portal.review.models import Review, ReviewStatus
    from tests.conftest import municipality
    from tests.factories import create_application

    reviewer = make_user(Role.REVIEWER, name="Rikke")
    other = make_user(Role.REVIEWER, name="Ole")
    round_ = create_round(create_programme(), name_da="Skærmbesøg 2026")
    waiting = create_application(round_, municipality(751).id, status="submitted")
    done = create_application(round_, municipality(461).id, status="submitted")
    withdrawn = create_application(round_, municipality(851).id, status="withdrawn")
    for application, status, who in (
        (waiting, ReviewStatus.ASSIGNED, reviewer),
        (done, ReviewStatus.SUBMITTED, reviewer),
        (withdrawn, ReviewStatus.ASSIGNED, reviewer),
        (done, ReviewStatus.ASSIGNED, other),
    ):
        db.session.add(Review(application=application, reviewer_id=who.id, status=status))
    db.session.commit()
    login(reviewer)
    page = client.get("/").get_data(as_text=True)
    assert "Bedømmelser der venter på dig" in page and "Du har 1 ansøgning at bedømme." in page
    listed = page.split("Bedømmelser der venter på dig")[1].split("</table>")[0]
    assert f"/vurdering/ansoegning/{waiting.id}" in listed
    assert f"/vurdering/ansoegning/{done.id}" not in listed  # given already; Ole's is his
    assert f"/vurdering/ansoegning/{withdrawn.id}" not in listed
