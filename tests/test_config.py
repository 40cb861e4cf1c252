import pytest

from portal.config import ConfigError, load_config


def test_production_refuses_to_start_without_secret_key(tmp_path):
    with pytest.raises(ConfigError):
        load_config(tmp_path, {"PORTAL_ENV": "production"})


def test_production_cookies_are_secure(tmp_path):
    config = load_config(
        tmp_path,
        {"PORTAL_ENV": "production", "SECRET_KEY": "s" * 40, "DATABASE_URL": "postgresql://x/y"},
    )
    assert config["SESSION_COOKIE_SECURE"] is True
    assert config["SESSION_COOKIE_HTTPONLY"] is True
    assert config["SESSION_COOKIE_SAMESITE"] == "Lax"


def test_development_secret_is_generated_once_and_kept(tmp_path):
    first = load_config(tmp_path, {})["SECRET_KEY"]
    second = load_config(tmp_path, {})["SECRET_KEY"]
    assert first == second and len(first) >= 32
    assert (tmp_path / "secret_key").stat().st_mode & 0o077 == 0


def test_database_defaults_to_sqlite_in_the_instance_folder(tmp_path):
    config = load_config(tmp_path, {})
    assert config["DATABASE_URL"] == f"sqlite:///{tmp_path / 'portal.sqlite3'}"
    assert load_config(tmp_path, {"DATABASE_URL": "postgresql://x/y"})["DATABASE_URL"] == (
        "postgresql://x/y"
    )


def test_redis_is_optional(tmp_path):
    assert load_config(tmp_path, {})["REDIS_URL"] is None
    assert load_config(tmp_path, {"REDIS_URL": "redis://127.0.0.1:6379/0"})["REDIS_URL"] == (
        "redis://127.0.0.1:6379/0"
    )


def test_mail_settings_default_to_no_server(tmp_path):
    config = load_config(tmp_path, {})
    assert config["SMTP_HOST"] == "" and config["PORTAL_BASE_URL"] == ""
    assert (config["SMTP_PORT"], config["SMTP_STARTTLS"]) == (587, True)
    assert config["MAIL_FROM"] == "skaleringsportalen@localhost"


def test_mail_settings_from_the_environment(tmp_path):
    config = load_config(
        tmp_path,
        {
            "SMTP_HOST": "smtp.kl.dk",
            "SMTP_PORT": "25",
            "SMTP_USER": "portal",
            "SMTP_PASSWORD": "hemmelig",
            "SMTP_STARTTLS": "false",
            "MAIL_FROM": "noreply@kl.dk",
            "PORTAL_BASE_URL": "https://skalering.kl.dk/",
        },
    )
    assert (config["SMTP_HOST"], config["SMTP_PORT"], config["SMTP_STARTTLS"]) == (
        "smtp.kl.dk",
        25,
        False,
    )
    assert (config["SMTP_USER"], config["SMTP_PASSWORD"]) == ("portal", "hemmelig")
    assert config["MAIL_FROM"] == "noreply@kl.dk"
    assert config["PORTAL_BASE_URL"] == "https://skalering.kl.dk"


@pytest.mark.parametrize(("name", "value"), [("SMTP_PORT", "abc"), ("SMTP_STARTTLS", "måske")])
def test_bad_mail_settings_stop_the_app(tmp_path, name, value):
    with pytest.raises(ConfigError, match=name):
        load_config(tmp_path, {name: value})


def test_production_refuses_to_start_without_database_url(tmp_path):
    """No silent SQLite file in production."""
    with pytest.raises(ConfigError, match="DATABASE_URL"):
        load_config(tmp_path, {"PORTAL_ENV": "production", "SECRET_KEY": "s" * 40})
