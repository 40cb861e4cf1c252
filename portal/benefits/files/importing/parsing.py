"""Reading a figures file's rows: the words it may use for kinds, quality marks and cost
kinds, and each row's municipality, indicator, kind, date and value checked."""

from __future__ import annotations

import pandas as pd
from flask_babel import gettext as _

from portal.benefits.files.importing.checks import ImportRound, Problems
from portal.benefits.models import CostKind, Quality
from portal.benefits.recording.costs import AMOUNT_QUANTUM
from portal.benefits.recording.rules import Kind
from portal.forms import EARLIEST_DATE, LATEST_DATE
from portal.tabular import parse_decimals

QUALITY_WORDS = {
    **{q.value: q.value for q in Quality},
    "skønnet": Quality.ESTIMATED.value,
    "skoennet": Quality.ESTIMATED.value,
    "foreløbig": Quality.PROVISIONAL.value,
    "foreloebig": Quality.PROVISIONAL.value,
    "revideret": Quality.REVISED.value,
}
KIND_WORDS = {
    "baseline": Kind.BASELINE,
    "basislinje": Kind.BASELINE,
    "target": Kind.TARGET,
    "mål": Kind.TARGET,
    "maal": Kind.TARGET,
    "målbillede": Kind.TARGET,
    "measurement": Kind.MEASUREMENT,
    "måling": Kind.MEASUREMENT,
    "maaling": Kind.MEASUREMENT,
    "cost": Kind.COST,
    "omkostning": Kind.COST,
}
COST_PREFIXES = {
    "engangs": CostKind.ONE_OFF,
    "one_off": CostKind.ONE_OFF,
    "årlig": CostKind.YEARLY,
    "aarlig": CostKind.YEARLY,
    "yearly": CostKind.YEARLY,
}
# A file's headers in Danish, as the template and the exports write them for a Danish reader;
# the English codes (municipality, indicator, …) are read as well.
DANISH_HEADERS = {
    "municipality": "kommunekode",
    "indicator": "indikator",
    "name": "navn",
    "unit": "enhed",
    "frequency": "hyppighed",
    "kind": "art",
    "date": "dato",
    "value": "værdi",
    "note": "note",
    "quality": "kvalitet",
    "reason": "begrundelse",
}
HEADER_WORDS = {
    **{danish: code for code, danish in DANISH_HEADERS.items()},
    "kommune": "municipality",
    "vaerdi": "value",
}
# The words the template and the exports write for a kind and a quality mark (Danish).
DANISH_KINDS = {
    Kind.BASELINE.value: "basislinje",
    Kind.TARGET.value: "målbillede",
    Kind.MEASUREMENT.value: "måling",
    Kind.COST.value: "omkostning",
}
DANISH_QUALITIES = {
    Quality.ESTIMATED.value: "skønnet",
    Quality.PROVISIONAL.value: "foreløbig",
    Quality.REVISED.value: "revideret",
}
_COST_PATTERN = r"^(?P<prefix>[^:]+?)\s*:\s*(?P<category>.*)$"


def parse(frame: pd.DataFrame, ctx: ImportRound, own: int | None, problems: Problems):
    """The file's texts as ids, dates and numbers; a reason for every cell that is not."""
    rows = pd.DataFrame(index=frame.index)

    kinds = frame["kind"].str.lower().map(KIND_WORDS)
    rows["kind"] = kinds
    problems.add(frame.index[frame["kind"] == ""], _("arten mangler"))
    problems.add(
        frame.index[kinds.isna() & (frame["kind"] != "")],
        lambda i: _(
            "arten '%(kind)s' er ikke baseline, target, measurement eller cost",
            kind=frame["kind"][i],
        ),
    )

    text = frame["municipality"]
    is_code = text.str.fullmatch(r"\d{1,4}")
    codes = pd.to_numeric(text.where(is_code), errors="coerce")
    known = codes.isin(list(ctx.register))
    problems.add(frame.index[text == ""], _("kommunekoden mangler"))
    problems.add(
        frame.index[(text != "") & ~known],
        lambda i: _("ukendt kommunekode '%(code)s'", code=text[i]),
    )
    if own is not None:
        own_code = ctx.codes[own]
        foreign = known & (codes != own_code)
        problems.add(
            frame.index[foreign],
            lambda i: _(
                "rækken gælder kommune %(code)s, men I kan kun indlæse tal for %(own)s",
                code=text[i],
                own=ctx.register.get(own_code, own_code),
            ),
        )
        known &= ~foreign
    participant = codes.map(ctx.participations)
    absent = known & participant.isna()
    problems.add(
        frame.index[absent],
        lambda i: _(
            "%(name)s (%(code)s) deltager ikke i forløbet",
            name=ctx.register[int(codes[i])],
            code=text[i],
        ),
    )
    ambiguous = codes.isin(list(ctx.ambiguous))
    problems.add(
        frame.index[ambiguous],
        lambda i: _("kommunekoden %(code)s passer på flere deltagere", code=text[i]),
    )
    participant = participant.where(~ambiguous & known)
    rows["participation_id"] = participant.map(lambda p: p[0], na_action="ignore")
    rows["municipality_id"] = participant.map(lambda p: p[1], na_action="ignore")

    is_cost = kinds == Kind.COST
    names = frame["indicator"]
    rows["indicator_id"] = names.str.lower().map(ctx.by_key).where(~is_cost & kinds.notna())
    problems.add(frame.index[kinds.notna() & ~is_cost & (names == "")], _("indikatoren mangler"))
    problems.add(
        frame.index[kinds.notna() & ~is_cost & (names != "") & rows["indicator_id"].isna()],
        lambda i: _(
            "ukendt indikator '%(key)s' (forløbets indikatorer: %(keys)s)",
            key=names[i],
            keys=", ".join(sorted(ctx.by_key)),
        ),
    )
    parts = names.str.extract(_COST_PATTERN)
    cost_kinds = parts["prefix"].str.strip().str.lower().map(COST_PREFIXES).where(is_cost)
    rows["cost_kind"] = cost_kinds
    category = parts["category"].fillna(names)  # no prefix: only that reason is given
    rows["category"] = category.str.split().str.join(" ").where(is_cost)
    problems.add(
        frame.index[is_cost & cost_kinds.isna()],
        lambda i: _(
            "en omkostning skrives 'engangs:kategori' eller 'årlig:kategori', ikke '%(text)s'",
            text=names[i],
        ),
    )

    dates = frame["date"]
    is_iso = dates.str.fullmatch(r"\d{4}-\d{2}-\d{2}")
    years = pd.to_numeric(dates.str[:4].where(is_iso), errors="coerce")
    in_range = years.between(EARLIEST_DATE.year, LATEST_DATE.year)
    days = pd.to_datetime(dates.where(is_iso & in_range), format="%Y-%m-%d", errors="coerce")
    rows["date"] = days
    problems.add(frame.index[dates == ""], _("datoen mangler"))
    problems.add(
        frame.index[is_iso & ~in_range],
        lambda i: _("datoen '%(date)s' ligger ikke mellem år 1900 og 2199", date=dates[i]),
    )
    problems.add(
        frame.index[(dates != "") & days.isna() & ~(is_iso & ~in_range)],
        lambda i: _("datoen '%(date)s' er ikke en dato på formen ÅÅÅÅ-MM-DD", date=dates[i]),
    )

    values = frame["value"]
    numbers = parse_decimals(values)
    numbers[is_cost & numbers.notna()] = [
        d.quantize(AMOUNT_QUANTUM) for d in numbers[is_cost & numbers.notna()]
    ]
    rows["value"] = numbers
    problems.add(
        frame.index[(values != "") & numbers.isna()],
        lambda i: _(
            "værdien '%(value)s' er ikke et tal (skriv fx 1234,5 eller 1234.5)", value=values[i]
        ),
    )
    rows["note"] = frame["note"]

    words = frame["quality"].str.lower()
    qualities = words.map(QUALITY_WORDS)
    rows["quality"] = qualities.fillna("")
    problems.add(
        frame.index[(words != "") & qualities.isna()],
        lambda i: _(
            "kvaliteten '%(quality)s' er ikke estimated, provisional eller revised"
            " (tom for en målt værdi)",
            quality=frame["quality"][i],
        ),
    )
    problems.add(
        frame.index[is_cost & (words != "")], _("en omkostning har ingen kvalitetsmarkering")
    )
    rows["reason"] = frame["reason"]
    return rows
