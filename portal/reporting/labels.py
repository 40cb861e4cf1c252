"""What the reporting items are called, in the reader's language (and in Danish for e-mails)."""

from __future__ import annotations

from flask_babel import force_locale
from flask_babel import lazy_gettext as _l

from portal.reporting.models import GainsKept, ReportingRequirement, ReportKind
from portal.reporting.schedule import quarter_start

KIND_LABELS = {
    ReportKind.BASELINE_TARGET: _l("Basislinje og målbillede"),
    ReportKind.STATUS: _l("Statusrapport"),
    ReportKind.FINAL: _l("Slutrapport"),
    ReportKind.FOLLOW_UP: _l("Gevinstopfølgning et år efter"),
}
GAINS_KEPT_LABELS = {
    GainsKept.YES: _l("Ja, gevinsterne er fastholdt"),
    GainsKept.PARTLY: _l("Delvist"),
    GainsKept.NO: _l("Nej, gevinsterne er ikke fastholdt"),
}

STATE_LABELS = {
    "submitted": _l("Afleveret"),
    "fulfilled": _l("Opfyldt"),
    "overdue": _l("Overskredet"),
    "open": _l("Kan afleveres"),
    "upcoming": _l("Senere"),
}


def kind_label(kind: ReportKind | str) -> str:
    return str(KIND_LABELS[ReportKind(kind)])


def quarter_label(item: ReportingRequirement) -> str:
    start = quarter_start(item.period_start)
    return str(_l("%(q)d. kvartal %(year)d", q=(start.month - 1) // 3 + 1, year=start.year))


def item_label(item: ReportingRequirement) -> str:
    """ "Statusrapport, 3. kvartal 2025"; the other kinds by their name."""
    if item.kind == ReportKind.STATUS:
        return str(_l("Statusrapport, %(quarter)s", quarter=quarter_label(item)))
    return kind_label(item.kind)


def danish_item_label(item: ReportingRequirement) -> str:
    """The label inside a Danish sentence of an e-mail: "statusrapporten for 3. kvartal 2025"."""
    with force_locale("da"):
        if item.kind == ReportKind.STATUS:
            return str(_l("statusrapporten for %(quarter)s", quarter=quarter_label(item)))
        if item.kind == ReportKind.FINAL:
            return str(_l("slutrapporten"))
        if item.kind == ReportKind.FOLLOW_UP:
            return str(_l("gevinstopfølgningen et år efter forløbet"))
        return str(_l("basislinje og målbillede"))


def gains_kept_label(value) -> str:
    return str(GAINS_KEPT_LABELS[GainsKept(value)]) if value else ""


def state_label(state: str) -> str:
    return str(STATE_LABELS[state])
