"""The privacy pages' words in the audit log, registered with it (``audit.words``)."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l

from portal.audit import words

words.ACTIONS.update(
    {
        "person_erased": _l("Persondata slettet"),
        "person_exported": _l("Persondata udleveret"),
    }
)
