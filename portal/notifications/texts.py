"""What each kind of notification says: a short notice for the portal, and an e-mail subject
and body. Danish msgids through gettext; a notice is rendered when shown, in the reader's
language, from its ``kind`` and ``params`` (the e-mail is rendered once, in Danish).

Every kind takes ``round`` (the round's Danish name) and the params named in ``KINDS``.
An unknown kind, or a missing param, is a programming error: it raises under ``TESTING`` or
``DEBUG`` so a test catches it, and in production shows a generic text (and logs it) so a
page or a decision never fails over a notice.
"""

from __future__ import annotations

import logging
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any

from flask import current_app, has_app_context
from flask_babel import LazyString, get_locale
from flask_babel import lazy_gettext as _l

from portal.i18n import bare_community, local_date, local_datetime

log = logging.getLogger(__name__)


class UnknownNotification(ValueError):
    """A kind that is not in ``KINDS``, or params it needs are missing."""


@dataclass(frozen=True)
class Texts:
    notice: LazyString
    subject: LazyString
    body: LazyString


@dataclass(frozen=True)
class Kind:
    """``texts`` is one set, or one per value of the param ``variant`` (e.g. the decision)."""

    params: tuple[str, ...]
    texts: Texts | None = None
    variant: str = ""
    variants: Mapping[str, Texts] = field(default_factory=dict)
    # Params shown after the body when present (e.g. the reason for a decision).
    extra: Mapping[str, LazyString] = field(default_factory=dict)

    def texts_for(self, params: Mapping[str, Any]) -> Texts:
        if not self.variant:
            return self.texts
        return self.variants[params[self.variant]]


_DECISION_SUBJECT = _l("Afgørelse om jeres ansøgning: %(round)s")

KINDS: dict[str, Kind] = {
    "application_submitted": Kind(
        params=("round",),
        texts=Texts(
            notice=_l("Ansøgningen til %(round)s er indsendt."),
            subject=_l("Ansøgning indsendt: %(round)s"),
            body=_l(
                "Jeres ansøgning til %(round)s er indsendt og modtaget. I får besked, når der"
                " er truffet en afgørelse."
            ),
        ),
    ),
    "application_decided": Kind(
        params=("round", "decision"),
        variant="decision",
        variants={
            "approved": Texts(
                notice=_l("Ansøgningen til %(round)s er godkendt."),
                subject=_DECISION_SUBJECT,
                body=_l("Jeres ansøgning til %(round)s er godkendt."),
            ),
            "waitlisted": Texts(
                notice=_l("Ansøgningen til %(round)s er sat på venteliste."),
                subject=_DECISION_SUBJECT,
                body=_l(
                    "Jeres ansøgning til %(round)s er sat på venteliste. I får besked, hvis der"
                    " bliver plads."
                ),
            ),
            "rejected": Texts(
                notice=_l("Ansøgningen til %(round)s er afvist."),
                subject=_DECISION_SUBJECT,
                body=_l("Jeres ansøgning til %(round)s er desværre afvist."),
            ),
        },
        extra={"reason": _l("Begrundelse: %(reason)s")},
    ),
    "community_placed": Kind(
        params=("round", "community"),
        texts=Texts(
            notice=_l("I er placeret i fællesskabet %(community)s i %(round)s."),
            subject=_l("Placering i fællesskab: %(round)s"),
            body=_l(
                "I er placeret i fællesskabet %(community)s i %(round)s. I portalen kan I se"
                " fællesskabets skaleringsleder og de andre deltagerkommuner."
            ),
        ),
    ),
    "joint_invitation": Kind(
        params=("round", "applicant"),
        texts=Texts(
            notice=_l(
                "%(applicant)s har skrevet jer på en fælles ansøgning til %(round)s."
                " Bekræft den, før den tæller."
            ),
            subject=_l("Bekræft fælles ansøgning: %(round)s"),
            body=_l(
                "%(applicant)s har skrevet jeres kommune på som medansøger i en fælles"
                " ansøgning til %(round)s. Ansøgningen tæller først for jer, når I har"
                " bekræftet den i portalen."
            ),
        ),
    ),
    "joint_confirmed": Kind(
        params=("round", "municipality"),
        texts=Texts(
            notice=_l("%(municipality)s har bekræftet den fælles ansøgning til %(round)s."),
            subject=_l("Fælles ansøgning bekræftet: %(round)s"),
            body=_l(
                "%(municipality)s har bekræftet, at kommunen er med i jeres fælles ansøgning"
                " til %(round)s."
            ),
        ),
    ),
    "joint_reconfirm": Kind(
        params=("round", "applicant"),
        texts=Texts(
            notice=_l(
                "%(applicant)s har ændret den fælles ansøgning til %(round)s. Bekræft den igen,"
                " før den kan indsendes."
            ),
            subject=_l("Bekræft den fælles ansøgning igen: %(round)s"),
            body=_l(
                "%(applicant)s har ændret den fælles ansøgning til %(round)s, som I havde"
                " bekræftet. Læs den igen i portalen og bekræft den, før den kan indsendes."
            ),
        ),
    ),
    "joint_declined": Kind(
        params=("round", "municipality"),
        texts=Texts(
            notice=_l("%(municipality)s har trukket sig fra den fælles ansøgning til %(round)s."),
            subject=_l("Medansøger trukket sig: %(round)s"),
            body=_l(
                "%(municipality)s har meldt, at kommunen ikke er med i jeres fælles ansøgning"
                " til %(round)s. I kan indsende ansøgningen uden kommunen eller rette den."
            ),
        ),
    ),
    "application_reopened": Kind(
        params=("round",),
        texts=Texts(
            notice=_l("Ansøgningen til %(round)s er genåbnet og kan redigeres igen."),
            subject=_l("Ansøgning genåbnet: %(round)s"),
            body=_l(
                "Koordinatoren har genåbnet jeres ansøgning til %(round)s. Den kan redigeres"
                " igen og skal indsendes på ny."
            ),
        ),
        extra={"reason": _l("Begrundelse: %(reason)s")},
    ),
    "application_withdrawn": Kind(
        params=("round",),
        texts=Texts(
            notice=_l("Ansøgningen til %(round)s er trukket tilbage."),
            subject=_l("Ansøgning trukket tilbage: %(round)s"),
            body=_l("Jeres ansøgning til %(round)s er trukket tilbage."),
        ),
    ),
    "deadline_extended": Kind(
        params=("round", "until"),
        texts=Texts(
            notice=_l("Ansøgningsfristen for %(round)s er forlænget for jer til %(until)s."),
            subject=_l("Forlænget ansøgningsfrist: %(round)s"),
            body=_l(
                "Koordinatoren har forlænget jeres ansøgningsfrist for %(round)s til %(until)s."
            ),
        ),
    ),
    "report_due_soon": Kind(
        params=("round", "due", "report"),
        texts=Texts(
            notice=_l("Husk at aflevere %(report)s for %(round)s senest %(due)s."),
            subject=_l("Påmindelse: aflevering senest %(due)s – %(round)s"),
            body=_l(
                "Husk at aflevere %(report)s for %(round)s i Skaleringsportalen senest %(due)s."
            ),
        ),
    ),
    "report_overdue": Kind(
        params=("round", "due", "report"),
        texts=Texts(
            notice=_l("Fristen for %(report)s for %(round)s var %(due)s. Aflever snarest."),
            subject=_l("Fristen er overskredet – %(round)s"),
            body=_l(
                "Fristen for at aflevere %(report)s for %(round)s var %(due)s, og vi har ikke"
                " modtaget noget endnu. Aflever i Skaleringsportalen så snart som muligt, eller"
                " kontakt koordinatoren, hvis I har brug for hjælp."
            ),
        ),
    ),
    # A personal notice (``notify_user``): no e-mail is sent, so subject and body are spare.
    "job_done": Kind(
        params=("round", "file"),
        texts=Texts(
            notice=_l("Din fil %(file)s (%(round)s) er klar. Hent den her."),
            subject=_l("Din fil er klar: %(file)s (%(round)s)"),
            body=_l(
                "Din fil %(file)s (%(round)s) er klar til at blive hentet i Skaleringsportalen."
            ),
        ),
    ),
    "job_failed": Kind(
        params=("round", "file"),
        texts=Texts(
            notice=_l(
                "Din fil %(file)s (%(round)s) kunne ikke laves: arbejderen stoppede undervejs."
                " Start den igen."
            ),
            subject=_l("Din fil kunne ikke laves: %(file)s (%(round)s)"),
            body=_l(
                "Din fil %(file)s (%(round)s) kunne ikke laves, fordi arbejderen stoppede"
                " undervejs. Start den igen i Skaleringsportalen."
            ),
        ),
    ),
    "import_done": Kind(
        params=("round", "summary"),
        texts=Texts(
            notice=_l("Tallene til %(round)s er indlæst: %(summary)s"),
            subject=_l("Tallene er indlæst: %(round)s"),
            body=_l("Tallene til %(round)s er indlæst i Skaleringsportalen: %(summary)s"),
        ),
    ),
}

GENERIC = Texts(
    notice=_l("Der er nyt i Skaleringsportalen."),
    subject=_l("Nyt fra Skaleringsportalen"),
    body=_l("Der er nyt til jer i Skaleringsportalen."),
)

# Params holding a point in time, stored as ISO text and shown in the reader's format.
DATE_PARAMS = ("until", "due")


def round_names(round_) -> dict[str, str]:
    """A round's names as params: ``round`` in Danish (the e-mail's language) and
    ``round_en`` for a notice read in English."""
    return {"round": round_.name_da, "round_en": round_.name_en or round_.name_da}


def storable(params: Mapping[str, Any] | None) -> dict[str, Any]:
    """Params as JSON can hold them: dates and times as ISO text, the rest as given."""
    out: dict[str, Any] = {}
    for key, value in (params or {}).items():
        out[key] = value.isoformat() if isinstance(value, date | datetime) else value
    return out


def check(kind: str, params: Mapping[str, Any]) -> None:
    """Raise ``UnknownNotification`` when the kind is unknown or a param it needs is missing."""
    spec = KINDS.get(kind)
    if spec is None:
        raise UnknownNotification(f"unknown notification kind {kind!r}")
    missing = [p for p in spec.params if params.get(p) in (None, "")]
    if missing:
        raise UnknownNotification(f"{kind}: missing params {', '.join(missing)}")
    if spec.variant and params[spec.variant] not in spec.variants:
        raise UnknownNotification(f"{kind}: unknown {spec.variant} {params[spec.variant]!r}")


def _strict() -> bool:
    return has_app_context() and (current_app.testing or current_app.debug)


def _texts(kind: str, params: Mapping[str, Any]) -> Texts | None:
    """The kind's texts, or None (after logging) when it cannot be rendered in production."""
    try:
        check(kind, params)
    except UnknownNotification:
        if _strict():
            raise
        log.exception("notification %r cannot be rendered; showing a generic text", kind)
        return None
    return KINDS[kind].texts_for(params)


def _shown(params: Mapping[str, Any]) -> dict[str, Any]:
    out = dict(params)
    if out.get("round_en") and str(get_locale()) == "en":
        out["round"] = out["round_en"]
    if isinstance(out.get("community"), str):  # "i fællesskabet Odense", not "… Fællesskab Odense"
        out["community"] = bare_community(out["community"])
    for key in DATE_PARAMS:
        value = out.get(key)
        if isinstance(value, str):
            try:
                value = datetime.fromisoformat(value) if "T" in value else date.fromisoformat(value)
            except ValueError:
                continue
        if isinstance(value, datetime):
            out[key] = local_datetime(value)
        elif isinstance(value, date):
            out[key] = local_date(value)
    return out


def _format(text: LazyString, params: Mapping[str, Any]) -> str:
    return str(text) % params


def ensure(kind: str, params: Mapping[str, Any]) -> None:
    """Fail loudly under ``TESTING``/``DEBUG`` when ``kind`` cannot be rendered; in
    production do nothing (the texts fall back to the generic ones when shown)."""
    if _strict():
        check(kind, params)


def notice_text(kind: str, params: Mapping[str, Any]) -> str:
    texts = _texts(kind, params)
    return str(GENERIC.notice) if texts is None else _format(texts.notice, _shown(params))


def email_texts(kind: str, params: Mapping[str, Any]) -> tuple[str, str]:
    """The subject (one line) and the body's paragraphs (without the link), in the current
    language."""
    texts = _texts(kind, params)
    if texts is None:
        return str(GENERIC.subject), str(GENERIC.body)
    shown = _shown(params)
    subject = " ".join(_format(texts.subject, shown).split())  # a header has no line break
    paragraphs = [_format(texts.body, shown)]
    for key, text in KINDS[kind].extra.items():
        if shown.get(key):
            paragraphs.append(_format(text, shown))
    return subject, "\n\n".join(paragraphs)
