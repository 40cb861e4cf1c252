"""The API's contract as pydantic (v2) models: the OpenAPI 3.1 document is generated from
them (``flask-openapi3``), and the requests are read through them."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field


class Strict(BaseModel):
    model_config = ConfigDict(extra="forbid")


# --- problems -----------------------------------------------------------------------------


class ErrorDetail(BaseModel):
    """One thing wrong with the request, in the language of `Accept-Language`."""

    detail: str = Field(description="What is wrong, in Danish or English")
    pointer: str | None = Field(
        None, description="Where in the body, as a JSON Pointer fragment: `#/items/3/value`"
    )
    parameter: str | None = Field(None, description="The path, query or header parameter")
    in_: Literal["path", "query", "header"] | None = Field(None, alias="in")
    type: str | None = Field(None, description="pydantic's error type, e.g. `missing`")
    index: int | None = Field(None, description="The item's place in `items`, from 0")
    reason: str | None = Field(None, description="For an item: its field and `detail`")


class Problem(BaseModel):
    """RFC 9457 problem details, titled in the language of `Accept-Language` (da, en)."""

    type: str
    title: str
    status: int
    detail: str | None = None
    instance: str | None = None
    errors: list[ErrorDetail] | None = Field(
        None, description="Every error; for bad items, every one of them: nothing is stored"
    )
    retry_after: int | None = None
    max_bytes: int | None = None


# --- paths and queries --------------------------------------------------------------------


class RoundPath(Strict):
    slug: str = Field(max_length=64)


class ParticipationPath(Strict):
    participation_id: int = Field(ge=1, le=2_147_483_647)


class PageQuery(Strict):
    cursor: str | None = Field(
        None, max_length=500, description="The cursor the previous page ended with"
    )
    limit: int = Field(50, ge=1, le=500)


class ParticipationQuery(PageQuery):
    round: str | None = Field(None, max_length=64, description="Only this round (slug)")
    municipality: int | None = Field(
        None, ge=0, le=9999, description="Only this municipality (official code)"
    )


class FigureQuery(PageQuery):
    kind: Literal["baseline", "target", "measurement", "cost"] | None = None
    since: dt.date | None = Field(None, description="Only figures dated on or after this day")


class IdempotencyHeader(BaseModel):
    idempotency_key: str | None = Field(
        None,
        alias="Idempotency-Key",
        max_length=200,
        description="A retried request with the same key gets the first answer again",
    )


# --- catalogue ----------------------------------------------------------------------------


class IndicatorOut(BaseModel):
    key: str
    name: str
    unit: str
    direction: Literal["higher", "lower"]
    frequency: Literal["monthly", "quarterly", "yearly"]
    block: str


class RoundOut(BaseModel):
    slug: str
    name: str
    programme: str = Field(description="The programme's slug")
    status: Literal["draft", "open", "closed"]
    opens_at: dt.datetime
    deadline_at: dt.datetime
    period_start: dt.date
    period_end: dt.date


class RoundDetail(RoundOut):
    indicators: list[IndicatorOut]


class RoundPage(BaseModel):
    items: list[RoundOut]
    next_cursor: str | None = None


class ProgrammeOut(BaseModel):
    slug: str
    name: str
    description: str
    rounds: list[str] = Field(description="Slugs of the rounds the token may see")


class ProgrammeList(BaseModel):
    items: list[ProgrammeOut]


# --- participations -----------------------------------------------------------------------


class MunicipalityOut(BaseModel):
    code: int
    name: str


class ParticipationOut(BaseModel):
    id: int
    round: str
    municipality: MunicipalityOut
    role: Literal["lead", "participant"]
    community: str | None = None


def _first_item_links(*operations: str) -> dict:
    """OpenAPI links from a page to what its first item's id opens (schemathesis follows
    them in its stateful run; a client learns the way)."""
    return {
        name[0].upper() + name[1:]: {
            "operationId": name,
            "parameters": {"participation_id": "$response.body#/items/0/id"},
        }
        for name in operations
    }


class ParticipationPage(BaseModel):
    model_config = ConfigDict(
        openapi_extra={
            "links": _first_item_links(
                "getParticipation", "getProgress", "listFigures", "postFigures"
            )
        }
    )

    items: list[ParticipationOut]
    next_cursor: str | None = None


# --- figures ------------------------------------------------------------------------------

Kind = Literal["baseline", "target", "measurement", "cost"]
QualityMark = Literal["estimated", "provisional", "revised"]


class FigureIn(Strict):
    """One figure, as one row of the file import (`kind`, `indicator`, `date`, `value`,
    `note`, `quality`, `reason`)."""

    kind: Kind
    indicator: str = Field(
        max_length=200,
        description="The indicator's key; for a cost `engangs:<category>` or `årlig:<category>`",
    )
    date: dt.date = Field(
        description="A baseline's measuring day, a target's date, any day of a "
        "measurement's period, a cost's date"
    )
    value: Decimal = Field(allow_inf_nan=False, description="Kroner for a cost")
    note: str = Field("", max_length=1000)
    quality: QualityMark | None = Field(None, description="Empty for a measured figure")
    reason: str = Field("", max_length=1000, description="Why an approved figure changes")


class FiguresIn(Strict):
    items: list[FigureIn] = Field(min_length=1, max_length=5000)


class FigureOut(BaseModel):
    kind: Kind
    indicator: str
    date: dt.date
    value: float
    note: str
    quality: QualityMark | None = None


class FigurePage(BaseModel):
    items: list[FigureOut]
    next_cursor: str | None = None


class WriteResult(BaseModel):
    items: int
    created: int
    updated: int
    unchanged: int


# --- results ------------------------------------------------------------------------------


class IndicatorProgressOut(BaseModel):
    indicator: str
    status: Literal["on_track", "at_risk", "off_track", "no_data"] | None = None
    progress: float | None = Field(None, description="0 at the baseline, 1 at the target")
    baseline: float | None = None
    target: float | None = None
    latest: float | None = None
    latest_date: dt.date | None = None
    missing: list[str] = Field(default_factory=list)


class BenefitsOut(BaseModel):
    hours: float
    fte_12m: float
    gross: float
    costs: float
    net: float


class ProgressOut(BaseModel):
    participation: int
    indicators: list[IndicatorProgressOut]
    benefits: BenefitsOut | None = None


# --- funding ------------------------------------------------------------------------------


class FundingRowOut(BaseModel):
    municipality: MunicipalityOut
    role: Literal["lead", "participant"]
    grant: int
    disbursed: int
    remaining: int


class FundingOut(BaseModel):
    round: str
    rows: list[FundingRowOut]
    granted: int
    disbursed: int
