"""Single sign-on settings from the environment, checked when the app starts.

Nothing set means no single sign-on: no buttons, the routes answer 404, passwords as before.

- ``SSO_NATIONAL_CVR``: KL's own CVR; a person of that organisation gets a national role.
- ``SSO_ROLE_MAP``: the provider's role names → portal roles, as JSON in the variable or the
  path of a ``.json`` or ``.toml`` file. A value is a role (``"municipal"``) or a table with a
  role and a region (``{"role": "regional", "region": "Region Midtjylland"}``). When a person
  holds several mapped roles, the first in the table wins.
- ``PASSWORD_LOGIN``: ``all`` (the default) or ``admins`` (passwords for operators only).
- ``OIDC_*``: the OpenID Connect provider (``portal/auth/sso/oidc.py``).
"""

from __future__ import annotations

import json
import tomllib
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path

from portal.auth.models import Role
from portal.config import ConfigError

# Roles a provider may hand out; an operator (admin) keeps a password and is never made by one.
MAPPABLE = frozenset(Role) - {Role.ADMIN}


@dataclass(frozen=True)
class Grant:
    """What one of the provider's role names gives in the portal."""

    role: Role
    region: str | None = None


def parse_role_map(value: str | Mapping | None) -> dict[str, Grant]:
    """The role table, in its order; ``value`` is JSON text, a file path or a parsed table."""
    if not value:
        return {}
    if isinstance(value, str):
        value = _load(value.strip())
    if not isinstance(value, Mapping):
        raise ConfigError("SSO_ROLE_MAP must be a table of role names")
    table = {}
    for name, target in value.items():
        if isinstance(target, Grant):  # parsed already (the app's config)
            table[name] = target
            continue
        if isinstance(target, str):
            target = {"role": target}
        if not isinstance(target, Mapping) or target.get("role") not in {r.value for r in MAPPABLE}:
            raise ConfigError(
                f"SSO_ROLE_MAP: {name!r} must map to one of "
                f"{', '.join(sorted(r.value for r in MAPPABLE))}, not {target!r}"
            )
        region = target.get("region") or None
        if region is not None and not isinstance(region, str):
            raise ConfigError(f"SSO_ROLE_MAP: the region of {name!r} must be a text")
        table[str(name).strip()] = Grant(Role(target["role"]), region)
    return table


def _load(text: str) -> Mapping:
    if text.startswith("{"):
        try:
            return json.loads(text)
        except json.JSONDecodeError as exc:
            raise ConfigError(f"SSO_ROLE_MAP is not valid JSON: {exc}") from exc
    path = Path(text)
    try:
        raw = path.read_bytes()
    except OSError as exc:
        raise ConfigError(f"SSO_ROLE_MAP: cannot read {text!r} ({exc.strerror})") from exc
    try:
        if path.suffix == ".toml":
            return tomllib.loads(raw.decode())
        return json.loads(raw)
    except (ValueError, UnicodeDecodeError) as exc:
        raise ConfigError(f"SSO_ROLE_MAP: {text!r} is not valid: {exc}") from exc


def sso_settings(env: Mapping[str, str]) -> dict:
    """The settings for ``load_config``."""
    password_login = env.get("PASSWORD_LOGIN", "").strip().lower() or "all"
    if password_login not in ("all", "admins"):
        raise ConfigError(f"PASSWORD_LOGIN must be all or admins, not {password_login!r}")
    national = env.get("SSO_NATIONAL_CVR", "").strip()
    if national and not national.isdigit():
        raise ConfigError(f"SSO_NATIONAL_CVR must be digits, not {national!r}")
    issuer, client_id = env.get("OIDC_ISSUER", "").strip(), env.get("OIDC_CLIENT_ID", "").strip()
    if bool(issuer) != bool(client_id):
        raise ConfigError("OpenID Connect needs both OIDC_ISSUER and OIDC_CLIENT_ID")
    production = env.get("PORTAL_ENV", "development") == "production"
    if issuer and production and not issuer.startswith("https://"):
        raise ConfigError("OIDC_ISSUER must be an https:// address when PORTAL_ENV=production")
    return {
        "PASSWORD_LOGIN": password_login,
        "SSO_NATIONAL_CVR": national,
        "SSO_ROLE_MAP": parse_role_map(env.get("SSO_ROLE_MAP", "")),
        "OIDC_ISSUER": issuer,
        "OIDC_CLIENT_ID": client_id,
        "OIDC_CLIENT_SECRET": env.get("OIDC_CLIENT_SECRET", "").strip(),
        "OIDC_SCOPES": env.get("OIDC_SCOPES", "").strip() or "openid email profile",
        "OIDC_CVR_CLAIM": env.get("OIDC_CVR_CLAIM", "").strip(),
        "OIDC_CVR": env.get("OIDC_CVR", "").strip(),
        "OIDC_ROLES_CLAIM": env.get("OIDC_ROLES_CLAIM", "").strip() or "roles",
        "OIDC_DISPLAY_NAME": env.get("OIDC_DISPLAY_NAME", "").strip(),
    }
