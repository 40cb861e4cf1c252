"""The brochure's three review criteria: names, weights, and what a 1, 3 and 5 mean.

The portal ships default texts; a round's ``criteria_guide`` JSON (``{criterion: {"1": text,
"3": text, "5": text}}``) overrides any of them, so reviewers of one round score alike.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal

from flask_babel import format_decimal
from flask_babel import lazy_gettext as _l

from portal.audit import services as audit
from portal.db import db
from portal.errors import check_version
from portal.programmes.models import Round
from portal.review.models import Criterion

ANCHORS = (1, 3, 5)  # the scores the guide describes
SCORES = (1, 2, 3, 4, 5)


@dataclass(frozen=True)
class CriterionInfo:
    criterion: Criterion
    label: object  # lazy string

    @property
    def key(self) -> str:
        return self.criterion.value

    @property
    def weight_attr(self) -> str:
        return f"weight_{self.key}"

    @property
    def score_attr(self) -> str:
        return f"score_{self.key}"

    @property
    def comment_attr(self) -> str:
        return f"comment_{self.key}"


CRITERIA = (
    CriterionInfo(Criterion.EXPERIENCE, _l("Kommunens erfaring")),
    CriterionInfo(Criterion.LEADERSHIP, _l("Ledelsesmæssig forankring")),
    CriterionInfo(Criterion.READINESS, _l("Parathed til at arbejde strategisk med teknologien")),
)

DEFAULT_GUIDE = {
    Criterion.EXPERIENCE: {
        1: _l("Ingen eller meget få erfaringer med teknologien, og ingen plan for at opbygge dem."),
        3: _l(
            "Nogen erfaring med teknologien, fx en afprøvning, men den er ikke kommet i mål med"
            " at skabe værdi."
        ),
        5: _l(
            "Har afprøvet og/eller implementeret teknologien i mindre skala med dokumenterede"
            " resultater og er klar til at skalere den."
        ),
    },
    Criterion.LEADERSHIP: {
        1: _l("Ingen dokumenteret opbakning fra ledelsen; projektejer er ikke udpeget."),
        3: _l(
            "Opbakning på chefniveau og en udpeget projektejer, men ikke forankret i direktionen."
        ),
        5: _l(
            "Opbakning i direktion, på chefniveau og på politisk niveau, med en projektejer, der"
            " har ansvar for gevinsterne."
        ),
    },
    Criterion.READINESS: {
        1: _l(
            "Ingen klar motivation eller mål; teknologien ses som et enkeltstående projekt uden"
            " sammenhæng med kommunens strategi."
        ),
        3: _l(
            "Klare mål og en motivation, men uden plan for ressourcer, gevinstrealisering eller"
            " forankring i driften."
        ),
        5: _l(
            "Klare mål koblet til kommunens strategi, afsatte ressourcer og en plan for"
            " implementering, gevinstrealisering og varig drift."
        ),
    },
}


def weights(round_: Round) -> dict[Criterion, int]:
    return {info.criterion: getattr(round_, info.weight_attr) for info in CRITERIA}


def effective_guide(round_: Round) -> dict[Criterion, dict[int, str]]:
    """What a 1, 3 and 5 mean per criterion in this round: the round's own text where it has
    one, else the portal's default (in the user's language)."""
    stored = round_.criteria_guide or {}
    guide: dict[Criterion, dict[int, str]] = {}
    for info in CRITERIA:
        own = stored.get(info.key) or {}
        guide[info.criterion] = {
            score: (own.get(str(score)) or "").strip() or str(DEFAULT_GUIDE[info.criterion][score])
            for score in ANCHORS
        }
    return guide


def is_default(round_: Round, criterion: Criterion, score: int) -> bool:
    stored = (round_.criteria_guide or {}).get(criterion.value) or {}
    return not (stored.get(str(score)) or "").strip()


def update_criteria_guide(
    round_: Round, texts: dict[Criterion, dict[int, str]], *, actor, version: int | None = None
) -> None:
    """Store the round's own texts; an empty text (or the default's own words) falls back to
    the default. Audited with before and after."""
    check_version(round_, version, _l("Forløbet"))
    before = round_.criteria_guide or {}
    after: dict[str, dict[str, str]] = {}
    for info in CRITERIA:
        for score in ANCHORS:
            text = (texts.get(info.criterion, {}).get(score) or "").strip()
            if text and text != str(DEFAULT_GUIDE[info.criterion][score]).strip():
                after.setdefault(info.key, {})[str(score)] = text
    if after == before:
        return
    round_.criteria_guide = after or None  # a new object, so the JSON change is seen
    db.session.flush()
    audit.record(
        "criteria_guide_updated",
        actor=actor,
        obj=round_,
        round_id=round_.id,
        changes={"criteria_guide": [before, after]},
    )


def weighted_total(round_: Round, scores: dict[Criterion, int | None]) -> Decimal | None:
    """Σ weight × score ÷ Σ weights, exact; None until every criterion has a score."""
    if any(scores.get(info.criterion) is None for info in CRITERIA):
        return None
    w = weights(round_)
    total_weight = sum(w.values())
    if total_weight <= 0:
        return None
    return Decimal(sum(w[c] * scores[c] for c in w)) / Decimal(total_weight)


def round_score(value: Decimal | None) -> Decimal | None:
    """Two decimals, half up (the same rounding the page's live script uses)."""
    return None if value is None else value.quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)


def format_score(value: Decimal | None) -> str:
    """A weighted score with two decimals in the user's format (3,67)."""
    if value is None:
        return "–"
    return format_decimal(round_score(value), format="#,##0.00")


def criterion_label(criterion: Criterion) -> object:
    return next(info.label for info in CRITERIA if info.criterion == criterion)


def format_signed(value: Decimal | None) -> str:
    """A difference with its sign, two decimals (+1,50, −0,25, 0,00)."""
    if value is None:
        return "–"
    rounded = round_score(value)
    text = format_decimal(abs(rounded), format="#,##0.00")
    return text if rounded == 0 else ("+" if rounded > 0 else "−") + text
