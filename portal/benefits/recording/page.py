"""What the participation's figures page shows: the figures, and a form for each thing that
can be recorded (the posted one, rejected, keeps what was typed and its errors)."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from portal.benefits.recording import freeze
from portal.benefits.recording.entry import IndicatorDue, due_periods, entry_overview
from portal.benefits.recording.figures import (
    IndicatorFigures,
    ParticipationFigures,
    participation_figures,
)
from portal.benefits.recording.forms import (
    BaselineForm,
    CostForm,
    HourlyCostForm,
    MeasurementForm,
    OwnerForm,
    TargetForm,
)
from portal.benefits.recording.rules import period_label
from portal.i18n import local_today
from portal.participations.models import Participation
from portal.programmes.models import Indicator
from portal.programmes.services import hourly_cost


@dataclass
class IndicatorForms:
    baseline: BaselineForm
    target: TargetForm
    measurement: MeasurementForm
    open: str | None  # the form that came back with errors


@dataclass
class IndicatorPage:
    """One indicator's figures, what is due, and its three forms (``forms`` None: read only)."""

    participation: Participation
    item: IndicatorDue
    forms: IndicatorForms | None
    histories: dict  # (kind, indicator id) → freeze.History of a frozen figure

    period_label = staticmethod(period_label)
    step_text = staticmethod(freeze.step_text)

    @property
    def frozen(self) -> bool:
        return freeze.is_frozen(self.participation)

    def history(self, kind: str):
        return self.histories.get((kind, self.item.indicator.id))

    @property
    def figures(self) -> IndicatorFigures:
        return self.item.figures


@dataclass
class Page:
    participation: Participation
    figures: ParticipationFigures
    indicators: list[IndicatorDue]
    editable: bool
    round_hourly_cost: Decimal | None
    cost_form: CostForm | None
    owner_form: OwnerForm | None
    hourly_form: HourlyCostForm | None
    open: str | None
    histories: dict  # (kind, indicator id) → freeze.History of a frozen figure
    approval_problems: list  # why the picture cannot be approved yet (before approval)
    can_approve: bool = False

    period_label = staticmethod(period_label)
    step_text = staticmethod(freeze.step_text)

    @property
    def frozen(self) -> bool:
        return freeze.is_frozen(self.participation)

    def history(self, kind: str, indicator_id: int):
        return self.histories.get((kind, indicator_id))

    @property
    def one_off_total(self) -> Decimal:
        return sum((c.amount for c in self.figures.costs if c.kind.value == "one_off"), Decimal(0))

    @property
    def yearly_total(self) -> Decimal:
        return sum((c.amount for c in self.figures.costs if c.kind.value == "yearly"), Decimal(0))


def _blank(cls, prefix: str, **data):
    form = cls(formdata=None, prefix=prefix, data=data or None)
    return form


def participation_page(
    participation: Participation, *, editable: bool, posted=None, can_approve: bool = False
) -> Page:
    """``posted``: ``{(what, indicator id or None): form}`` for a form sent back with errors."""
    posted = posted or {}
    figures = participation_figures(participation)
    today = local_today()
    parts = [
        IndicatorDue(f, due_periods(f, participation.round, today)) for f in figures.indicators
    ]
    version = str(participation.version)
    return Page(
        participation=participation,
        figures=figures,
        indicators=parts,
        editable=editable,
        round_hourly_cost=hourly_cost(participation.round),
        cost_form=(posted.get(("cost", None)) or _blank(CostForm, "cost")) if editable else None,
        owner_form=(
            posted.get(("owner", None))
            or _blank(
                OwnerForm,
                "owner",
                name=participation.benefit_owner_name,
                title=participation.benefit_owner_title,
                version=version,
            )
        )
        if editable
        else None,
        hourly_form=(
            posted.get(("hourly", None))
            or _blank(
                HourlyCostForm,
                "hourly",
                amount=participation.hourly_cost_override,
                version=version,
            )
        )
        if editable
        else None,
        open=next((what for (what, ident) in posted if ident is None), None),
        histories=freeze.histories([participation.id]).get(participation.id, {}),
        approval_problems=[]
        if freeze.is_frozen(participation)
        else [message for _field, message in freeze.approval_problems(participation)],
        can_approve=can_approve,
    )


def indicator_forms(item: IndicatorDue, posted=None) -> IndicatorForms:
    """The baseline, target and measurement forms of one indicator: the posted one as it came
    back, the others filled with what is stored (a new measurement with the first period due)."""
    posted = posted or {}
    f, i = item.figures, item.indicator.id
    b, t = f.baseline, f.target
    return IndicatorForms(
        baseline=posted.get("baseline")
        or _blank(
            BaselineForm,
            f"b{i}",
            value=b.value if b else None,
            measured_on=b.measured_on if b else None,
            source_note=b.source_note if b else "",
            quality=b.quality if b else None,
            version=str(b.version if b else 0),
        ),
        target=posted.get("target")
        or _blank(
            TargetForm,
            f"t{i}",
            value=t.value if t else None,
            target_date=t.target_date if t else None,
            pessimistic=t.pessimistic if t else None,
            optimistic=t.optimistic if t else None,
            note=t.note if t else "",
            quality=t.quality if t else None,
            version=str(t.version if t else 0),
        ),
        measurement=posted.get("measurement")
        or _blank(MeasurementForm, f"m{i}", on=item.due[0] if item.due else None),
        open=next(iter(posted), None),
    )


def indicator_page(
    participation: Participation, indicator: Indicator, *, editable: bool, posted=None
) -> IndicatorPage:
    """``posted``: ``{"baseline" | "target" | "measurement": form}`` sent back with errors."""
    item = next(
        d for d in entry_overview([participation])[participation.id] if d.indicator == indicator
    )
    return IndicatorPage(
        participation,
        item,
        indicator_forms(item, posted) if editable else None,
        freeze.histories([participation.id]).get(participation.id, {}),
    )
