"""The webhooks' words in the audit log, registered with it (``audit.words``)."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l

from portal.audit import words

words.ACTIONS.update(
    {
        "webhook_created": _l("Webhook oprettet"),
        "webhook_updated": _l("Webhook ændret"),
        "webhook_deleted": _l("Webhook slettet"),
        "webhook_secret_rotated": _l("Ny hemmelig nøgle til webhook"),
        "webhook_test_sent": _l("Testbesked sendt til webhook"),
        "webhook_resent": _l("Webhook-levering sendt igen"),
    }
)
words.OBJECTS.update(
    {
        "WebhookEndpoint": _l("Webhook nr. %(id)s"),
        "WebhookDelivery": _l("Webhook-levering nr. %(id)s"),
    }
)
