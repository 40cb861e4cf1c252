"""What a round's benefit parameters are called on a page. The formulas name them by code
(``annual_cost``); a reader sees the Danish words. A parameter not named here is shown by its
code made readable ("Overtime factor"), so a new one is never hidden."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l

PARAMETERS = {
    "annual_cost": _l("Årlig lønomkostning pr. medarbejder (kr.)"),
    "annual_hours": _l("Årlige arbejdstimer pr. medarbejder"),
    "km_rate": _l("Kørselstakst (kr. pr. km)"),
    "overtime_factor": _l("Faktor for overarbejde"),
    "hourly_cost": _l("Timepris (kr.)"),
}


def parameter_label(name: str) -> str:
    label = PARAMETERS.get(name)
    return str(label) if label is not None else name.replace("_", " ").capitalize()
