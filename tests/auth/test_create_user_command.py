"""``portal create-user``: the same rules as the admin's page; a refusal exits 1 on stderr."""

import pytest
from sqlalchemy import func, select

from portal.auth import services
from portal.auth.models import Role, User
from portal.db import db


def run(app, *args, password="en-god-kode-123", **kwargs):
    extra = ["--password", password] if password is not None else []
    return app.test_cli_runner().invoke(args=["create-user", *args, *extra], **kwargs)


def user_count():
    return db.session.scalar(select(func.count(User.id)))


def test_create_user_command(app):
    result = run(
        app,
        "--email",
        "Chef@Aarhus.dk",
        "--name",
        "Chef",
        "--role",
        "leadership",
        "--municipality",
        "751",
    )
    assert result.exit_code == 0, result.output
    assert "Oprettet: chef@aarhus.dk (leadership)" in result.stdout
    user = db.session.scalar(select(User).where(User.email == "chef@aarhus.dk"))
    assert user.role == Role.LEADERSHIP and user.municipality.code == 751 and user.active
    assert services.authenticate("chef@aarhus.dk", "en-god-kode-123") is user


def test_the_password_can_be_typed_at_the_prompt(app):
    result = run(
        app,
        "--email",
        "admin@example.dk",
        "--name",
        "Admin",
        "--role",
        "admin",
        password=None,
        input="hemmelig-kode-99\nhemmelig-kode-99\n",
    )
    assert result.exit_code == 0, result.output
    assert "hemmelig-kode-99" not in result.output  # hidden input is not echoed
    user = db.session.scalar(select(User).where(User.email == "admin@example.dk"))
    assert services.check_password(user.password_hash, "hemmelig-kode-99")


@pytest.mark.parametrize(
    ("args", "password", "message"),
    [
        (
            ["--email", "x@y.dk", "--name", "X", "--role", "municipal"],
            "en-god-kode-123",
            "Fejl: En kommunal bruger skal høre til en kommune.",
        ),
        (
            ["--email", "x@y.dk", "--name", "X", "--role", "municipal", "--municipality", "999"],
            "en-god-kode-123",
            "Fejl: Ingen kommune med koden 999 i DK.",
        ),
        (
            ["--email", "x@y.dk", "--name", "X", "--role", "coordinator", "--municipality", "101"],
            "en-god-kode-123",
            "Fejl: Koordinatorer og administratorer hører ikke til en kommune.",
        ),
        (
            ["--email", "x@y.dk", "--name", "X", "--role", "admin"],
            "kort",
            "Fejl: Adgangskoden skal være på mindst 10 tegn.",
        ),
        (
            ["--email", "ikke-en-adresse", "--name", "X", "--role", "admin"],
            "en-god-kode-123",
            "Fejl: Angiv en gyldig e-mailadresse.",
        ),
        (
            ["--email", "x@y.dk", "--name", "  ", "--role", "admin"],
            "en-god-kode-123",
            "Fejl: Angiv et navn.",
        ),
    ],
)
def test_bad_input_is_refused_with_exit_1(app, args, password, message):
    before = user_count()
    result = run(app, *args, password=password)
    assert result.exit_code == 1
    assert message in result.stderr and result.stdout == ""
    assert user_count() == before


def test_an_unknown_role_is_refused_by_click(app):
    result = run(app, "--email", "x@y.dk", "--name", "X", "--role", "superuser")
    assert result.exit_code == 2 and "superuser" in result.stderr
    assert db.session.scalar(select(User).where(User.email == "x@y.dk")) is None


def test_a_taken_email_is_refused_whatever_its_case(app, make_user):
    make_user(Role.COORDINATOR, email="koordinator@kl.dk")
    before = user_count()
    result = run(app, "--email", "Koordinator@KL.dk", "--name", "Igen", "--role", "coordinator")
    assert result.exit_code == 1
    assert "Der findes allerede en bruger med denne e-mailadresse." in result.stderr
    assert user_count() == before


def test_the_country_picks_between_equal_codes(app):
    from portal.municipalities.services import import_register

    import_register("code,name,region\n0101,Halden,Østfold\n", default_country="NO")
    db.session.commit()
    danish = run(
        app, "--email", "a@kbh.dk", "--name", "A", "--role", "municipal", "--municipality", "101"
    )
    norwegian = run(
        app,
        "--email",
        "b@halden.no",
        "--name",
        "B",
        "--role",
        "municipal",
        "--municipality",
        "101",
        "--country",
        "no",
    )
    assert danish.exit_code == 0 and norwegian.exit_code == 0, (danish.output, norwegian.output)
    by_email = {u.email: u.municipality.name for u in db.session.scalars(select(User))}
    assert by_email["a@kbh.dk"] == "København" and by_email["b@halden.no"] == "Halden"
