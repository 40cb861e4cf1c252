"""Settings from the environment.

Nothing here has a fallback secret: in production a missing ``SECRET_KEY`` stops the app;
in development one is generated once and kept in the instance folder.
"""

from __future__ import annotations

import logging
import os
import secrets
from pathlib import Path


class ConfigError(RuntimeError):
    pass


def _development_secret(instance_path: Path) -> str:
    path = instance_path / "secret_key"
    if path.exists():
        return path.read_text().strip()
    instance_path.mkdir(parents=True, exist_ok=True)
    key = secrets.token_hex(32)
    path.write_text(key)
    path.chmod(0o600)
    return key


def load_config(instance_path: str | Path, environ: dict[str, str] | None = None) -> dict:
    env = os.environ if environ is None else environ
    instance = Path(instance_path)
    production = env.get("PORTAL_ENV", "development") == "production"
    secret = env.get("SECRET_KEY")
    if not secret:
        if production:
            raise ConfigError("SECRET_KEY must be set when PORTAL_ENV=production")
        secret = _development_secret(instance)
    database_url = env.get("DATABASE_URL", "").strip()
    if production and not database_url:
        # no silent SQLite file in production: several processes need one real database
        raise ConfigError("DATABASE_URL must be set when PORTAL_ENV=production")
    instance.mkdir(parents=True, exist_ok=True)
    from portal.auth.sso.saml.settings import saml_config  # SAML: see that module
    from portal.auth.sso.settings import sso_settings  # single sign-on: see that module

    return {
        **sso_settings(env),
        **saml_config(env),
        "PORTAL_ENV": "production" if production else "development",
        "SECRET_KEY": secret,
        "DATABASE_URL": database_url or f"sqlite:///{instance / 'portal.sqlite3'}",
        "REDIS_URL": env.get("REDIS_URL") or None,
        "SESSION_COOKIE_HTTPONLY": True,
        "SESSION_COOKIE_SAMESITE": "Lax",
        "SESSION_COOKIE_SECURE": production,
        "REMEMBER_COOKIE_HTTPONLY": True,
        "REMEMBER_COOKIE_SAMESITE": "Lax",
        "REMEMBER_COOKIE_SECURE": production,
        "WTF_CSRF_TIME_LIMIT": None,
        "BABEL_DEFAULT_LOCALE": "da",
        "BABEL_DEFAULT_TIMEZONE": "Europe/Copenhagen",
        "LOGIN_FAILURE_LIMIT": "5/minute",  # per account and address (see auth/throttle.py)
        "LOGIN_ACCOUNT_LIMIT": "20/minute",  # per account from any address
        "LOGIN_ADDRESS_LIMIT": "100/minute",  # failures per address, any account
        # How many proxies in front of the app set X-Forwarded-For (and -Proto); 0 trusts
        # none, so a client cannot pick the address the login throttle counts.
        "TRUSTED_PROXIES": _int(env, "TRUSTED_PROXIES", 0),
        "MAX_CONTENT_LENGTH": 16 * 1024 * 1024,
        # The integration API (portal/api): requests per token (a moving window, shared
        # through Redis when set) and the largest body it reads (bytes; more is 413).
        "API_RATE_LIMIT": env.get("API_RATE_LIMIT", "120/minute"),
        "API_MAX_BODY": _int(env, "API_MAX_BODY", 2 * 1024 * 1024),
        # What an uploaded Excel workbook may unpack to (portal/xlsx_reading.py): members in
        # its zip, each member's and all members' uncompressed bytes, how tightly a large
        # member may be packed (uncompressed ÷ compressed), shared strings and cells.
        # A message's attachment (``portal.conversations.attachments``): at most this many
        # bytes, and at most ATTACHMENTS_PER_MESSAGE files to a message.
        "ATTACHMENT_MAX_BYTES": _int(env, "ATTACHMENT_MAX_BYTES", 10 * 1024 * 1024),
        "ATTACHMENTS_PER_MESSAGE": _int(env, "ATTACHMENTS_PER_MESSAGE", 5),
        "XLSX_MAX_MEMBERS": _int(env, "XLSX_MAX_MEMBERS", 1000),
        "XLSX_MAX_MEMBER_BYTES": _int(env, "XLSX_MAX_MEMBER_BYTES", 64 * 1024 * 1024),
        "XLSX_MAX_TOTAL_BYTES": _int(env, "XLSX_MAX_TOTAL_BYTES", 128 * 1024 * 1024),
        "XLSX_MAX_RATIO": _int(env, "XLSX_MAX_RATIO", 100),
        "XLSX_MAX_SHARED_STRINGS": _int(env, "XLSX_MAX_SHARED_STRINGS", 200_000),
        "XLSX_MAX_CELLS": _int(env, "XLSX_MAX_CELLS", 2_000_000),
        "PAGE_SIZE": 25,
        # Links in e-mails are absolute when this is set (e.g. https://skalering.example.dk).
        "PORTAL_BASE_URL": env.get("PORTAL_BASE_URL", "").strip().rstrip("/"),
        # Outgoing mail: no SMTP_HOST means no mail server; the outbox keeps every message
        # and writes it to the log (logger ``portal.mail``) instead.
        "SMTP_HOST": env.get("SMTP_HOST", "").strip(),
        "SMTP_PORT": _int(env, "SMTP_PORT", 587),
        "SMTP_USER": env.get("SMTP_USER", ""),
        "SMTP_PASSWORD": env.get("SMTP_PASSWORD", ""),
        "SMTP_STARTTLS": _flag(env, "SMTP_STARTTLS", True),
        "MAIL_FROM": env.get("MAIL_FROM", "").strip() or "skaleringsportalen@localhost",
        # The open data's catalogue record (DCAT-AP-DK): who publishes it and where to write.
        "OPEN_DATA_PUBLISHER": env.get("OPEN_DATA_PUBLISHER", "").strip()
        or "Kommunernes skaleringssamarbejde",
        "OPEN_DATA_CONTACT": env.get("OPEN_DATA_CONTACT", "").strip()
        or env.get("MAIL_FROM", "").strip()
        or "skaleringsportalen@localhost",
        # The open data's dated versions (``openresults.versions``): the first of each month
        # is kept for ever, the others OPEN_DATA_KEEP_DAYS days.
        "OPEN_DATA_KEEP_DAYS": _int(env, "OPEN_DATA_KEEP_DAYS", 90),
        # Each municipality's own dashboard sections, drawn once per version of its figures
        # and kept for every app process (``portal dashboards draw``); empty keeps none.
        "SECTIONS_FOLDER": env.get("SECTIONS_FOLDER", str(instance / "sections")).strip(),
        # Background jobs (portal.jobs): their queue (SQLite here unless REDIS_URL is set),
        # their files and the stored reports live in this folder; a job's file is kept
        # JOBS_KEEP_DAYS days; an import of more rows than JOBS_IMPORT_ROWS runs as a job.
        "JOBS_FOLDER": env.get("JOBS_FOLDER", "").strip() or str(instance / "jobs"),
        "JOBS_QUEUE_NAME": env.get("JOBS_QUEUE_NAME", "").strip() or "portal",
        "JOBS_KEEP_DAYS": _int(env, "JOBS_KEEP_DAYS", 7),
        "JOBS_IMPORT_ROWS": _int(env, "JOBS_IMPORT_ROWS", 5000),
        # A running job's worker renews its lease every third of JOBS_LEASE_SECONDS; a job
        # whose lease lapsed (its worker was killed) is run again by a live worker, at most
        # JOBS_MAX_ATTEMPTS times in all, then marked failed. Locks of periodic work expire
        # after the same time unless their holder renews them.
        "JOBS_LEASE_SECONDS": _int(env, "JOBS_LEASE_SECONDS", 30),
        "JOBS_MAX_ATTEMPTS": _int(env, "JOBS_MAX_ATTEMPTS", 3),
        # Where job files, stored reports and waiting uploads live (``portal.files``): in the
        # shared database on PostgreSQL, in a folder on SQLite, or in an S3 bucket.
        # Empty: the database on PostgreSQL, else the folder (FILE_STORE_FOLDER, empty:
        # JOBS_FOLDER/store).
        "FILE_STORE": _file_store(env),
        "FILE_STORE_FOLDER": env.get("FILE_STORE_FOLDER", "").strip(),
        "S3_BUCKET": env.get("S3_BUCKET", "").strip(),
        "S3_ENDPOINT_URL": env.get("S3_ENDPOINT_URL", "").strip(),
        "S3_PREFIX": env.get("S3_PREFIX", "").strip(),
        # How many days each kind of personal data is kept (``portal.privacy.retention``
        # applies it every night); RETENTION_<KIND>_DAYS overrides one kind, e.g.
        # RETENTION_INACTIVE_USERS_DAYS=1095.
        "RETENTION": {
            kind: _int(env, f"RETENTION_{kind.upper()}_DAYS", days)
            for kind, days in RETENTION_DAYS.items()
        },
        # Signed webhooks (portal.webhooks): a request's timeout, how many attempts, the
        # pause after the first failure (doubling each time, up to the max), and how long a
        # rotated secret keeps signing beside the new one. WEBHOOKS_ALLOW_LOCALHOST lets
        # webhooks reach http(s)://127.0.0.1 / localhost: for tests and development only.
        "WEBHOOKS_TIMEOUT_SECONDS": _int(env, "WEBHOOKS_TIMEOUT_SECONDS", 10),
        "WEBHOOKS_MAX_ATTEMPTS": _int(env, "WEBHOOKS_MAX_ATTEMPTS", 8),
        "WEBHOOKS_BACKOFF_SECONDS": _int(env, "WEBHOOKS_BACKOFF_SECONDS", 30),
        "WEBHOOKS_BACKOFF_MAX_SECONDS": _int(env, "WEBHOOKS_BACKOFF_MAX_SECONDS", 6 * 3600),
        "WEBHOOKS_SECRET_GRACE_HOURS": _int(env, "WEBHOOKS_SECRET_GRACE_HOURS", 24),
        "WEBHOOKS_ALLOW_LOCALHOST": _local_webhooks(env, production),
        # The keys webhook secrets are encrypted under (``portal.webhooks.sealing``):
        # WEBHOOKS_SECRET_KEY, Fernet keys separated by commas (the first encrypts), else
        # one derived from SECRET_KEY by HKDF.
        "WEBHOOKS_SECRET_KEYS": _webhook_keys(env, secret, production),
    }


# The retention table's defaults, in days: a rejected application's contact details three
# years after the decision; a user who has not logged in for two years; the outbox's copy of
# a sent e-mail after half a year; messages five years after their collaboration ended; the
# audit log's actors and addresses after five years.
RETENTION_DAYS = {
    "rejected_application_contacts": 3 * 365,
    "inactive_users": 2 * 365,
    "sent_emails": 183,
    "messages": 5 * 365,
    "audit_log": 5 * 365,
}


def _local_webhooks(env, production: bool) -> bool:
    allowed = _flag(env, "WEBHOOKS_ALLOW_LOCALHOST", False)
    if allowed and production:
        # a webhook to the portal's own host is a request into its own network
        raise ConfigError("WEBHOOKS_ALLOW_LOCALHOST is for tests and development only")
    return allowed


def _webhook_keys(env, secret: str, production: bool) -> list[str]:
    """WEBHOOKS_SECRET_KEY's Fernet keys, then the one HKDF derives from SECRET_KEY (the
    only one when none is set). Never a built-in default: SECRET_KEY itself is required in
    production; deriving from it is said at start, since changing it would make the stored
    webhook secrets unreadable."""
    from portal.webhooks.sealing import SecretKeyError, keys_for, parse_keys

    try:
        explicit = parse_keys(env.get("WEBHOOKS_SECRET_KEY"))
    except SecretKeyError as error:
        raise ConfigError(str(error)) from None
    if not explicit and production:
        logging.getLogger("portal.config").warning(
            "WEBHOOKS_SECRET_KEY is not set: webhook secrets are encrypted under a key derived "
            "from SECRET_KEY; set WEBHOOKS_SECRET_KEY before ever changing SECRET_KEY"
        )
    return keys_for(explicit, secret)


def _file_store(env) -> str:
    kind = env.get("FILE_STORE", "").strip().lower()
    if kind not in ("", "database", "s3", "folder"):
        raise ConfigError(f"FILE_STORE must be database, s3 or folder, not {kind!r}")
    if kind == "s3" and not env.get("S3_BUCKET", "").strip():
        raise ConfigError("FILE_STORE=s3 needs S3_BUCKET")
    return kind


def _int(env, name: str, default: int) -> int:
    value = env.get(name, "").strip()
    if not value:
        return default
    try:
        return int(value)
    except ValueError as exc:
        raise ConfigError(f"{name} must be a whole number, not {value!r}") from exc


def _flag(env, name: str, default: bool) -> bool:
    value = env.get(name, "").strip().lower()
    if not value:
        return default
    if value in ("1", "true", "yes", "on"):
        return True
    if value in ("0", "false", "no", "off"):
        return False
    raise ConfigError(f"{name} must be true or false, not {value!r}")
