from sqlalchemy import select

from portal.auth.models import Role, User
from portal.db import db


def test_create_user_command(app):
    runner = app.test_cli_runner()
    result = runner.invoke(
        args=[
            "create-user",
            "--email",
            "Chef@Aarhus.dk",
            "--name",
            "Chef",
            "--role",
            "leadership",
            "--municipality",
            "751",
            "--password",
            "en-god-kode-123",
        ]
    )
    assert result.exit_code == 0, result.output
    user = db.session.scalar(select(User).where(User.email == "chef@aarhus.dk"))
    assert user.role == Role.LEADERSHIP and user.municipality.code == 751


def test_create_user_command_refuses_bad_input(app):
    runner = app.test_cli_runner()
    missing = runner.invoke(
        args=[
            "create-user",
            "--email",
            "x@y.dk",
            "--name",
            "X",
            "--role",
            "municipal",
            "--password",
            "en-god-kode-123",
        ]
    )
    assert missing.exit_code == 1
    assert "En kommunal bruger skal høre til en kommune." in missing.output
    unknown = runner.invoke(
        args=[
            "create-user",
            "--email",
            "x@y.dk",
            "--name",
            "X",
            "--role",
            "municipal",
            "--municipality",
            "999",
            "--password",
            "en-god-kode-123",
        ]
    )
    assert unknown.exit_code == 1 and "Ingen kommune med koden 999." in unknown.output
    short = runner.invoke(
        args=[
            "create-user",
            "--email",
            "x@y.dk",
            "--name",
            "X",
            "--role",
            "admin",
            "--password",
            "kort",
        ]
    )
    assert short.exit_code == 1 and "mindst 10 tegn" in short.output
    assert db.session.scalar(select(User).where(User.email == "x@y.dk")) is None
