"""The conversations' words: what their notices and e-mails say, and what the audit log
calls their actions — registered with the notifications and the audit log, which do not
import the domains above them."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l

from portal.audit.words import ACTIONS, FIELDS, OBJECTS
from portal.conversations.models import ThreadKind
from portal.notifications.texts import KINDS, Kind, Texts

THREAD_TITLES = {
    ThreadKind.APPLICATION: _l("Ansøgningen"),
    ThreadKind.PARTICIPATION: _l("Deltagelsen"),
    ThreadKind.REPORT: _l("Rapporten"),
}


def thread_title(kind) -> str:
    return str(THREAD_TITLES[ThreadKind(kind)])


_TO_MUNICIPALITY = {
    "application": Texts(
        notice=_l("Ny besked fra koordinatoren om jeres ansøgning til %(round)s."),
        subject=_l("Ny besked om jeres ansøgning: %(round)s"),
        body=_l(
            "Koordinatoren har skrevet til jer om jeres ansøgning til %(round)s. Læs beskeden"
            " og svar i Skaleringsportalen."
        ),
    ),
    "participation": Texts(
        notice=_l("Ny besked fra koordinatoren om jeres deltagelse i %(round)s."),
        subject=_l("Ny besked om jeres deltagelse: %(round)s"),
        body=_l(
            "Koordinatoren har skrevet til jer om jeres deltagelse i %(round)s. Læs beskeden"
            " og svar i Skaleringsportalen."
        ),
    ),
    "report": Texts(
        notice=_l("Ny besked fra koordinatoren om en rapport i %(round)s."),
        subject=_l("Ny besked om en rapport: %(round)s"),
        body=_l(
            "Koordinatoren har skrevet til jer om en af jeres rapporter i %(round)s. Læs"
            " beskeden og svar i Skaleringsportalen."
        ),
    ),
}
_TO_COORDINATORS = Texts(
    notice=_l("Ny besked fra %(municipality)s (%(round)s)."),
    subject=_l("Ny besked fra %(municipality)s: %(round)s"),
    body=_l(
        "%(municipality)s har skrevet i samtalen om %(round)s. Læs beskeden og svar i"
        " Skaleringsportalen."
    ),
)

KINDS["message_to_municipality"] = Kind(
    params=("round", "thread"),
    variant="thread",
    variants=_TO_MUNICIPALITY,
    extra={"correction": _l("Koordinatoren beder jer rette og indsende igen.")},
)
KINDS["message_to_coordinators"] = Kind(
    params=("round", "thread", "municipality"),
    texts=_TO_COORDINATORS,
)

ACTIONS.update(
    {
        "message_posted": _l("Besked sendt"),
        "attachment_downloaded": _l("Bilag hentet"),
        "correction_requested": _l("Rettelse bedt om"),
    }
)
FIELDS.update(
    {
        "thread_id": _l("Samtale nr."),
        "attachments": _l("Bilag"),
        "correction": _l("Beder om rettelse"),
        "filename": _l("Fil"),
    }
)
OBJECTS.update(
    {
        "Thread": _l("Samtale nr. %(id)s"),
        "Message": _l("Besked nr. %(id)s"),
        "Attachment": _l("Bilag nr. %(id)s"),
    }
)
