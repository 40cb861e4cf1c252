"""Who keeps webhooks: the gate's policies for ``WebhookEndpoint`` (a municipality's own
staff for its own, coordinators for the collaboration's)."""

from __future__ import annotations

from portal import access
from portal.webhooks.models import WebhookEndpoint


def can_manage_webhooks(user) -> bool:
    return access.can(user, WebhookEndpoint, "change")
