"""Single sign-on: one mapping layer (``mapping``) and the protocol adapters that feed it.

An adapter (SAML in ``saml``, OpenID Connect in ``oidc``) verifies the provider's answer,
builds an ``identity.ExternalIdentity`` and hands it to ``views.finish_login``. It registers
its button on the login page here with ``register(Provider(...))``; a provider whose
``configured(config)`` is false shows no button, and its routes answer 404.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any


@dataclass(frozen=True)
class Provider:
    key: str  # "saml", "oidc"
    endpoint: str  # the route that starts the login, for url_for
    configured: Callable[[Mapping], bool]  # from the app's config
    hint: Callable[[Mapping], Any] = lambda config: None  # a line under the button, or None


_PROVIDERS: dict[str, Provider] = {}


def register(provider: Provider) -> None:
    _PROVIDERS[provider.key] = provider


def configured_providers(config: Mapping) -> list[Provider]:
    """The providers set up in this configuration, SAML (Context Handler) first."""
    order = {"saml": 0, "oidc": 1}
    found = [p for p in _PROVIDERS.values() if p.configured(config)]
    return sorted(found, key=lambda p: (order.get(p.key, 9), p.key))
