"""Coordinator forms for programmes, indicators and rounds.

Amounts accept Danish writing (``900.000``, ``3,79``); times are entered in
Europe/Copenhagen and turned into UTC by ``round_data``.
"""

from __future__ import annotations

from datetime import UTC, datetime, time

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from flask_wtf.file import FileAllowed, FileField, FileRequired
from wtforms import (
    IntegerField,
    RadioField,
    SelectField,
    StringField,
    TextAreaField,
    TimeField,
)
from wtforms.fields.choices import SelectChoice
from wtforms.validators import (
    DataRequired,
    InputRequired,
    Length,
    NumberRange,
    Optional,
    Regexp,
    ValidationError,
)

from portal.forms import AmountField, DateField, VersionedForm
from portal.i18n import COPENHAGEN
from portal.programmes import rules
from portal.programmes.benefit_lines import BENEFIT_FIELDS, BenefitLineData
from portal.programmes.formulas import MAX_LENGTH as FORMULA_MAX_LENGTH
from portal.programmes.models import (
    MAX_DESCRIPTION,
    MAX_GOAL,
    MAX_METHOD,
    MAX_SOURCE,
    BenefitKind,
    Block,
    Direction,
    Frequency,
    Round,
    RoundStatus,
)
from portal.programmes.services import INDICATOR_FIELDS, IndicatorData, ProgrammeData

DIRECTIONS = [
    SelectChoice(Direction.HIGHER.value, _l("Højere er bedre")),
    SelectChoice(Direction.LOWER.value, _l("Lavere er bedre")),
]
FREQUENCIES = [
    SelectChoice(Frequency.MONTHLY.value, _l("Månedlig")),
    SelectChoice(Frequency.QUARTERLY.value, _l("Kvartalsvis")),
    SelectChoice(Frequency.YEARLY.value, _l("Årlig")),
]
BLOCKS = [
    SelectChoice(Block.TIME_ECONOMY.value, _l("Tid og økonomi")),
    SelectChoice(Block.CITIZEN.value, _l("Borgere")),
    SelectChoice(Block.EMPLOYEE.value, _l("Medarbejdere")),
    SelectChoice(Block.CONTEXT.value, _l("Kontekst")),
]
BENEFIT_KINDS = [
    SelectChoice(BenefitKind.HOURS.value, _l("Timer (værdisat til timeprisen)")),
    SelectChoice(BenefitKind.KRONER.value, _l("Kroner")),
]
STATUSES = [
    SelectChoice(RoundStatus.DRAFT.value, _l("Kladde (ikke synlig for ansøgning)")),
    SelectChoice(RoundStatus.OPEN.value, _l("Åben for ansøgning i ansøgningsperioden")),
    SelectChoice(RoundStatus.CLOSED.value, _l("Lukket")),
]


MAX_GOALS_TEXT = 10 * MAX_GOAL  # the goals of a programme, one a line
MAX_PARAMETERS_TEXT = 2000


def _check_goal_lines(field) -> None:
    if any(len(line.strip()) > MAX_GOAL for line in (field.data or "").splitlines()):
        raise ValidationError(_l("En målsætning må højst være %(n)d tegn.", n=MAX_GOAL))


class ProgrammeForm(VersionedForm):
    name_da = StringField(
        _l("Navn (dansk)"), validators=[DataRequired(_l("Angiv et dansk navn.")), Length(max=200)]
    )
    name_en = StringField(_l("Navn (engelsk)"), validators=[Length(max=200)])
    description_da = TextAreaField(
        _l("Beskrivelse (dansk)"), validators=[Length(max=MAX_DESCRIPTION)]
    )
    description_en = TextAreaField(
        _l("Beskrivelse (engelsk)"), validators=[Length(max=MAX_DESCRIPTION)]
    )
    goals_da = TextAreaField(
        _l("Målsætninger (dansk), én pr. linje"), validators=[Length(max=MAX_GOALS_TEXT)]
    )
    goals_en = TextAreaField(
        _l("Målsætninger (engelsk), én pr. linje i samme rækkefølge"),
        validators=[Length(max=MAX_GOALS_TEXT)],
    )

    def fill_goals(self, programme) -> None:
        self.goals_da.data = "\n".join(g.text_da for g in programme.goals)
        self.goals_en.data = "\n".join(g.text_en for g in programme.goals)
        self.version.data = str(programme.version)

    def programme_data(self) -> ProgrammeData:
        return ProgrammeData(
            self.name_da.data,
            self.name_en.data or "",
            self.description_da.data or "",
            self.description_en.data or "",
            self.goals(),
        )

    def goals(self) -> list[tuple[str, str]]:
        da = [line.strip() for line in (self.goals_da.data or "").splitlines() if line.strip()]
        en = [line.strip() for line in (self.goals_en.data or "").splitlines() if line.strip()]
        return [(text, en[i] if i < len(en) else "") for i, text in enumerate(da)]

    def validate_goals_da(self, field):
        _check_goal_lines(field)

    def validate_goals_en(self, field):
        _check_goal_lines(field)
        da = [x for x in (self.goals_da.data or "").splitlines() if x.strip()]
        en = [x for x in (field.data or "").splitlines() if x.strip()]
        if en and len(en) != len(da):
            raise ValidationError(
                _l("Der skal være lige så mange engelske som danske målsætninger (eller ingen).")
            )


class IndicatorForm(VersionedForm):
    key = StringField(
        _l("Nøgle"),
        validators=[
            DataRequired(_l("Angiv en nøgle.")),
            Length(max=64),
            Regexp(
                rules.KEY_PATTERN.pattern,
                message=_l("Nøglen skal starte med et bogstav og må kun indeholde a-z, 0-9 og _."),
            ),
        ],
    )
    name_da = StringField(
        _l("Navn (dansk)"), validators=[DataRequired(_l("Angiv et dansk navn.")), Length(max=200)]
    )
    name_en = StringField(_l("Navn (engelsk)"), validators=[Length(max=200)])
    unit = StringField(_l("Enhed"), validators=[Length(max=50)])
    unit_en = StringField(_l("Enhed (engelsk)"), validators=[Length(max=50)])
    direction = SelectField(_l("Retning"), choices=DIRECTIONS)
    frequency = SelectField(_l("Hyppighed"), choices=FREQUENCIES)
    block = SelectField(_l("Gevinstområde"), choices=BLOCKS)
    method_da = TextAreaField(_l("Målemetode (dansk)"), validators=[Length(max=MAX_METHOD)])
    method_en = TextAreaField(_l("Målemetode (engelsk)"), validators=[Length(max=MAX_METHOD)])
    source_da = StringField(_l("Datakilde (dansk)"), validators=[Length(max=MAX_SOURCE)])
    source_en = StringField(_l("Datakilde (engelsk)"), validators=[Length(max=MAX_SOURCE)])

    def indicator_data(self) -> IndicatorData:
        return IndicatorData(**{name: self[name].data or "" for name in INDICATOR_FIELDS})


class BenefitLineForm(VersionedForm):
    key = StringField(
        _l("Nøgle"),
        validators=[
            DataRequired(_l("Angiv en nøgle.")),
            Length(max=64),
            Regexp(
                rules.KEY_PATTERN.pattern,
                message=_l("Nøglen skal starte med et bogstav og må kun indeholde a-z, 0-9 og _."),
            ),
        ],
    )
    name_da = StringField(
        _l("Navn (dansk)"), validators=[DataRequired(_l("Angiv et dansk navn.")), Length(max=200)]
    )
    name_en = StringField(_l("Navn (engelsk)"), validators=[Length(max=200)])
    kind = SelectField(_l("Art"), choices=BENEFIT_KINDS)
    formula = TextAreaField(
        _l("Formel"),
        validators=[
            DataRequired(_l("Angiv en formel.")),
            Length(
                max=FORMULA_MAX_LENGTH,
                message=_l("Formlen må højst være %(n)d tegn.", n=FORMULA_MAX_LENGTH),
            ),
        ],
    )

    def benefit_line_data(self) -> BenefitLineData:
        return BenefitLineData(**{name: self[name].data or "" for name in BENEFIT_FIELDS})


class RoundForm(VersionedForm):
    slug = StringField(
        _l("Kortnavn (i adressen)"),
        validators=[DataRequired(_l("Angiv et kortnavn.")), Length(max=64)],
    )
    name_da = StringField(
        _l("Navn (dansk)"), validators=[DataRequired(_l("Angiv et dansk navn.")), Length(max=200)]
    )
    name_en = StringField(_l("Navn (engelsk)"), validators=[Length(max=200)])
    opens_date = DateField(
        _l("Åbner for ansøgning (dato)"), validators=[InputRequired(_l("Angiv en dato."))]
    )
    opens_time = TimeField(_l("Åbner (klokkeslæt)"), default=time(0, 0), validators=[Optional()])
    deadline_date = DateField(
        _l("Ansøgningsfrist (dato)"), validators=[InputRequired(_l("Angiv en dato."))]
    )
    deadline_time = TimeField(
        _l("Ansøgningsfrist (klokkeslæt)"), default=time(12, 0), validators=[Optional()]
    )
    period_start = DateField(
        _l("Samarbejdsforløbet starter"), validators=[InputRequired(_l("Angiv en dato."))]
    )
    period_end = DateField(
        _l("Samarbejdsforløbet slutter"), validators=[InputRequired(_l("Angiv en dato."))]
    )
    lead_grant = AmountField(
        _l("Tilskud til skaleringsleder (kr.)"), validators=[DataRequired(_l("Angiv et beløb."))]
    )
    grant_kind = RadioField(
        _l("Tilskud til deltagerkommuner"),
        choices=[
            SelectChoice("fixed", _l("Fast beløb pr. deltagerkommune")),
            SelectChoice("pool", _l("Pulje, der deles mellem de godkendte deltagerkommuner")),
        ],
        default="fixed",
    )
    grant_amount = AmountField(_l("Beløb (kr.)"), validators=[DataRequired(_l("Angiv et beløb."))])
    community_min = IntegerField(
        _l("Mindste antal deltagerkommuner pr. fællesskab"),
        validators=[InputRequired(_l("Angiv et helt tal."))],
    )
    community_max = IntegerField(
        _l("Største antal deltagerkommuner pr. fællesskab"),
        validators=[InputRequired(_l("Angiv et helt tal."))],
    )
    weight_experience = IntegerField(
        _l("Vægt: erfaring"),
        default=1,
        validators=[InputRequired(_l("Angiv et helt tal.")), NumberRange(min=0, max=100)],
    )
    weight_leadership = IntegerField(
        _l("Vægt: ledelsesmæssig forankring"),
        default=1,
        validators=[InputRequired(_l("Angiv et helt tal.")), NumberRange(min=0, max=100)],
    )
    weight_readiness = IntegerField(
        _l("Vægt: parathed til at arbejde strategisk"),
        default=1,
        validators=[InputRequired(_l("Angiv et helt tal.")), NumberRange(min=0, max=100)],
    )
    parameters = TextAreaField(
        _l("Parametre til gevinstberegning, én pr. linje: navn = tal"),
        validators=[Length(max=MAX_PARAMETERS_TEXT)],
    )
    status = SelectField(_l("Status"), choices=STATUSES, default=RoundStatus.DRAFT.value)

    # Which form field shows a rule's message (the rules speak of RoundData's fields).
    FIELD_FOR_RULE = {
        "opens_at": "opens_date",
        "deadline_at": "deadline_date",
        "participant_grant": "grant_amount",
        "participant_pool": "grant_amount",
    }

    def parsed_parameters(self) -> dict[str, str]:
        """``name = value`` lines as a dict; a malformed line is a validation error."""
        result: dict[str, str] = {}
        for number, line in enumerate((self.parameters.data or "").splitlines(), start=1):
            if not line.strip():
                continue
            name, sep, value = line.partition("=")
            if not sep or not name.strip() or not value.strip():
                raise ValidationError(
                    _l("Linje %(n)d: skriv navn = tal, fx annual_cost = 450000.", n=number)
                )
            result[name.strip()] = value.strip()
        return result

    def validate_parameters(self, field):
        self.parsed_parameters()

    def round_data(self) -> rules.RoundData:
        def local(day, moment):
            return datetime.combine(day, moment or time(0), COPENHAGEN)

        amount = self.grant_amount.amount
        return rules.RoundData(
            slug=self.slug.data.strip(),
            name_da=self.name_da.data.strip(),
            name_en=(self.name_en.data or "").strip(),
            opens_at=local(self.opens_date.data, self.opens_time.data).astimezone(UTC),
            deadline_at=local(self.deadline_date.data, self.deadline_time.data).astimezone(UTC),
            period_start=self.period_start.data,
            period_end=self.period_end.data,
            lead_grant=self.lead_grant.amount,
            participant_grant=amount if self.grant_kind.data == "fixed" else None,
            participant_pool=amount if self.grant_kind.data == "pool" else None,
            community_min=self.community_min.data,
            community_max=self.community_max.data,
            weight_experience=self.weight_experience.data,
            weight_leadership=self.weight_leadership.data,
            weight_readiness=self.weight_readiness.data,
            parameters={
                k: str(rules.parse_parameter(v)) if _is_number(v) else v
                for k, v in self.parsed_parameters().items()
            },
            status=RoundStatus(self.status.data),
        )

    def fill_from(self, round_: Round) -> None:
        opens = round_.opens_at.astimezone(COPENHAGEN)
        deadline = round_.deadline_at.astimezone(COPENHAGEN)
        self.slug.data, self.name_da.data, self.name_en.data = (
            round_.slug,
            round_.name_da,
            round_.name_en,
        )
        self.opens_date.data, self.opens_time.data = opens.date(), opens.time()
        self.deadline_date.data, self.deadline_time.data = deadline.date(), deadline.time()
        self.period_start.data, self.period_end.data = round_.period_start, round_.period_end
        self.lead_grant.data = f"{round_.lead_grant:,}".replace(",", ".")
        pool = round_.participant_pool is not None
        self.grant_kind.data = "pool" if pool else "fixed"
        amount = round_.participant_pool if pool else round_.participant_grant
        self.grant_amount.data = f"{amount:,}".replace(",", ".")
        self.community_min.data, self.community_max.data = (
            round_.community_min,
            round_.community_max,
        )
        self.weight_experience.data = round_.weight_experience
        self.weight_leadership.data = round_.weight_leadership
        self.weight_readiness.data = round_.weight_readiness
        self.parameters.data = "\n".join(f"{k} = {v}" for k, v in round_.parameters.items())
        self.status.data = round_.status.value
        self.version.data = str(round_.version)


def _is_number(value: str) -> bool:
    try:
        rules.parse_parameter(value)
    except Exception:
        return False
    return True


class ProgrammeFileForm(FlaskForm):
    file = FileField(
        _l("Programfil (TOML)"),
        validators=[
            FileRequired(_l("Vælg en fil.")),
            FileAllowed(["toml"], _l("Filen skal være en .toml-fil.")),
        ],
    )
