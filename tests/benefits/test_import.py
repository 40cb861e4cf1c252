"""Importing figures: every error kind with its line, all or nothing, re-import, formats,
the export round trip, isolation and the CLI."""

import io
from datetime import date
from decimal import Decimal as D

import pandas as pd
import pytest
from sqlalchemy import func, select

from portal.audit.models import AuditEvent
from portal.auth.models import Role
from portal.benefits import recording
from portal.benefits.files import exporting
from portal.benefits.files.importing import import_figures
from portal.benefits.models import Baseline, Cost, CostKind, Measurement, Target
from portal.benefits.recording import rules
from portal.db import db
from portal.errors import NotAllowed, RowErrors
from tests.benefits.helpers import END, figures_round, indicator, participation_of

H = "municipality,indicator,kind,date,value,note\n"
FIGURES = (Baseline, Target, Measurement, Cost)


@pytest.fixture
def round_():
    return figures_round(codes=(101, 147))


def counts():
    return tuple(db.session.scalar(select(func.count(m.id))) for m in FIGURES)


def refused(data, round_, actor=None):
    db.session.commit()  # what came before stays; the refused import leaves no trace
    before = counts()
    with pytest.raises(RowErrors) as info:
        import_figures(data, round_, actor=actor)
    db.session.rollback()
    assert counts() == before
    return dict(info.value.errors)


GOOD = (
    H
    + "101,screen_visits,baseline,2025-06-01,120,Omsorgssystemet\n"
    + "101,screen_visits,target,2027-03-01,400,\n"
    + '101,screen_visits,measurement,2025-10-17,"1.234,5",\n'
    + "101,punctuality,measurement,2025-11-30,87.5,kvartal\n"
    + "0101,engangs:Licenser,cost,2025-09-15,45000,\n"
    + '101,årlig:Drift,cost,2026-01-01,"12000,50",\n'
    + "147,km_driven,measurement,2025-12-31,812,\n"
)


def test_a_file_stores_every_kind(round_):
    result = import_figures(GOOD, round_, actor=None)
    assert (result.created, result.updated, result.unchanged) == (7, 0, 0)
    assert counts() == (1, 1, 3, 2)
    measurement = db.session.scalar(
        select(Measurement).where(Measurement.indicator_id == indicator(round_, "punctuality").id)
    )
    assert measurement.period == date(2025, 10, 1) and measurement.value == D("87.5")
    assert measurement.note == "kvartal" and measurement.version == 1
    costs = {c.category: c for c in db.session.scalars(select(Cost))}
    assert costs["Licenser"].kind == CostKind.ONE_OFF and costs["Licenser"].amount == D(45000)
    assert costs["Drift"].kind == CostKind.YEARLY and costs["Drift"].amount == D("12000.5")
    assert {c.municipality_id for c in costs.values()} == {
        participation_of(round_, 101).municipality_id
    }
    assert db.session.scalar(select(Baseline.source_note)) == "Omsorgssystemet"


def test_every_error_kind_is_listed_with_its_line(round_, make_user):
    recording.set_baseline(
        participation_of(round_, 101),
        indicator(round_, "km_driven"),
        D(900),
        date(2025, 10, 15),
        actor=None,
    )
    errors = refused(
        H
        + "9999,screen_visits,measurement,2025-10-01,1,\n"  # 2 unknown municipality
        + "461,screen_visits,measurement,2025-10-01,1,\n"  # 3 not participating
        + "101,no_such_thing,measurement,2025-10-01,1,\n"  # 4 unknown indicator
        + "101,screen_visits,reading,2025-10-01,1,\n"  # 5 bad kind
        + "101,screen_visits,measurement,01-10-2025,1,\n"  # 6 bad date
        + "101,screen_visits,measurement,2025-02-30,1,\n"  # 7 no such day
        + "101,screen_visits,measurement,2027-04-01,1,\n"  # 8 outside the period
        + "101,screen_visits,measurement,2025-10-01,mange,\n"  # 9 not a number
        + "101,punctuality,measurement,2025-10-01,101,\n"  # 10 percent out of range
        + "101,km_driven,measurement,2025-09-01,1,\n"  # 11 before the baseline
        + "101,screen_visits,measurement,2025-11-01,1,\n"  # 12 fine
        + "101,screen_visits,measurement,2025-11-30,2,\n"  # 13 duplicate of 12
        + "101,Licenser,cost,2025-10-01,1,\n"  # 14 cost without engangs:/årlig:
        + "101,engangs:Udstyr,cost,2025-10-01,-5,\n"  # 15 negative cost
        + ",,,,,\n"  # a blank row is skipped
        + "101,screen_visits,baseline,2024-06-01,1,\n"  # 17 baseline over a year early
        + "101,screen_visits,measurement,,,\n",  # 18 missing date and value
        round_,
    )
    assert errors[2] == "ukendt kommunekode '9999'"
    assert errors[3] == "Odense (461) deltager ikke i forløbet"
    assert errors[4].startswith("ukendt indikator 'no_such_thing' (forløbets indikatorer: km_")
    assert errors[5] == "arten 'reading' er ikke baseline, target, measurement eller cost"
    assert errors[6] == "datoen '01-10-2025' er ikke en dato på formen ÅÅÅÅ-MM-DD"
    assert errors[7] == "datoen '2025-02-30' er ikke en dato på formen ÅÅÅÅ-MM-DD"
    assert errors[8] == (
        "målingen for april 2027 ligger uden for forløbets periode 01.09.2025–31.03.2027"
    )
    assert errors[9] == "værdien 'mange' er ikke et tal (skriv fx 1234,5 eller 1234.5)"
    assert errors[10] == "en procentværdi skal ligge mellem 0 og 100, ikke 101"
    assert errors[11] == "målingen for september 2025 ligger før basislinjens dato 15.10.2025"
    assert 12 not in errors
    assert errors[13] == (
        "Screen visits måles månedligt: 2025-11-30 hører til november 2025 ligesom linje 12"
    )
    assert "'engangs:kategori' eller 'årlig:kategori', ikke 'Licenser'" in errors[14]
    assert errors[15] == "en omkostning kan ikke være negativ"
    assert 16 not in errors
    assert "et år før forløbets start" in errors[17]
    assert 18 not in errors


def test_a_quarterly_indicator_dated_in_the_quarters_later_months_names_the_quarter(round_):
    db.session.commit()
    minutes = indicator(round_, "punctuality")
    minutes.name_da = "Sparede minutter pr. besøg"
    errors = refused(
        H
        + "101,punctuality,measurement,2025-10-01,20,\n"  # 2
        + "101,punctuality,measurement,2025-11-01,21,\n"  # 3 the same quarter
        + "101,punctuality,measurement,2025-10-01,20,\n"  # 4 the very same row
        + "147,punctuality,measurement,2025-12-01,19,\n",  # 5 another municipality: fine
        round_,
    )
    assert errors == {
        3: "Sparede minutter pr. besøg måles kvartalsvis: 2025-11-01 hører til 4. kvartal 2025"
        " ligesom linje 2",
        4: "rækken gentager linje 2",
    }


def test_a_file_baseline_counts_for_its_own_measurements(round_):
    errors = refused(
        H
        + "101,screen_visits,measurement,2025-09-01,1,\n"
        + "101,screen_visits,baseline,2025-10-02,1,\n",
        round_,
    )
    assert errors == {2: "målingen for september 2025 ligger før basislinjens dato 02.10.2025"}
    import_figures(H + "101,screen_visits,measurement,2025-09-01,1,\n", round_, actor=None)
    errors = refused(H + "101,screen_visits,baseline,2025-10-02,1,\n", round_)
    assert "allerede en måling for september 2025" in errors[2]


def test_header_problems(round_):
    assert refused("municipality,indicator,kind,date\n101,a,b,c\n", round_) == {
        1: "Mangler kolonne: value"
    }
    assert refused(b"", round_) == {1: "Filen er tom."}
    assert refused(H, round_) == {1: "Filen har ingen rækker under overskriften."}


def test_importing_again_updates_and_never_duplicates(round_):
    import_figures(GOOD, round_, actor=None)
    db.session.commit()
    result = import_figures(GOOD, round_, actor=None)
    assert (result.created, result.updated, result.unchanged) == (0, 0, 7)
    assert counts() == (1, 1, 3, 2)
    changed = GOOD.replace('2025-10-17,"1.234,5",', "2025-10-03,1300,rettet").replace(
        "2025-06-01,120,", "2025-06-01,125,"
    )
    result = import_figures(changed, round_, actor=None)
    assert (result.created, result.updated, result.unchanged) == (0, 2, 5)
    assert counts() == (1, 1, 3, 2)
    visits = db.session.scalar(
        select(Measurement).where(Measurement.indicator_id == indicator(round_, "screen_visits").id)
    )
    assert visits.value == D(1300) and visits.note == "rettet" and visits.version == 2
    line = db.session.scalars(
        select(AuditEvent)
        .where(AuditEvent.action == "figures_imported")
        .order_by(AuditEvent.id.desc())
    ).first()
    assert line.round_id == round_.id
    assert line.municipality_id == participation_of(round_, 101).municipality_id
    changes = line.details["changes"]
    assert changes["measurement screen_visits 2025-10-01"] == ["1234.5", "1300 · rettet"]
    assert changes["baseline screen_visits"] == [
        "120 · 2025-06-01 · Omsorgssystemet",
        "125 · 2025-06-01 · Omsorgssystemet",
    ]
    assert len(changes) == 2


def test_an_import_updates_what_was_recorded_by_hand(round_):
    p = participation_of(round_, 101)
    visits = indicator(round_, "screen_visits")
    m = recording.record_measurement(p, visits, date(2025, 10, 1), D(1), actor=None)
    import_figures(H + "101,screen_visits,measurement,2025-10-20,2,\n", round_, actor=None)
    db.session.refresh(m)
    assert m.value == D(2) and m.version == 2
    assert db.session.scalar(select(func.count(Measurement.id))) == 1


def test_semicolons_bom_and_danish_decimals(round_):
    data = (
        "\ufeffmunicipality;indicator;kind;date;value;note\n"
        "101;screen_visits;measurement;2025-10-01;1.234,5;\n"
        "101;punctuality;measurement;2025-10-01;87,25;\n"
    ).encode()
    result = import_figures(data, round_, actor=None)
    assert result.created == 2
    values = set(db.session.scalars(select(Measurement.value)))
    assert values == {D("1234.5"), D("87.25")}


def _xlsx(rows, header=("municipality", "indicator", "kind", "date", "value", "note")):
    buffer = io.BytesIO()
    pd.DataFrame(rows, columns=list(header)).to_excel(buffer, index=False)
    return buffer.getvalue()


def test_xlsx_with_numbers_and_dates_in_cells(round_):
    rows = [
        (101, "screen_visits", "measurement", date(2025, 10, 1), 1234.5, None),
        ("0101", "punctuality", "measurement", "2025-10-01", "87,5", "tekst"),
        (147, "km_driven", "baseline", pd.Timestamp("2025-06-01"), 900, None),
        (147, "km_driven", "measurement", date(2025, 10, 1), "x", None),
    ]
    errors = refused(_xlsx(rows), round_)
    assert errors == {5: "værdien 'x' er ikke et tal (skriv fx 1234,5 eller 1234.5)"}
    result = import_figures(_xlsx(rows[:3]), round_, actor=None)
    assert result.created == 3
    assert set(db.session.scalars(select(Measurement.value))) == {D("1234.5"), D("87.5")}


def test_export_then_import_changes_nothing(round_):
    import_figures(GOOD, round_, actor=None)
    p = participation_of(round_, 101)
    recording.set_target(
        p,
        indicator(round_, "punctuality"),
        D("92.125"),
        date(2027, 1, 1),
        pessimistic=D(88),
        note="KL's anbefaling, side 4",
        actor=None,
    )
    db.session.commit()
    participations = [participation_of(round_, 101), participation_of(round_, 147)]
    table = exporting.figures_table(round_, participations)
    assert list(table.columns) == [
        "municipality",
        "indicator",
        "kind",
        "date",
        "value",
        "note",
        "quality",
    ]
    assert len(table) == 8
    first = table.iloc[0]
    assert (first["municipality"], first["kind"]) == ("101", "baseline")
    for fmt in exporting.FORMATS:
        data = exporting.to_bytes(table, fmt)
        result = import_figures(data, round_, actor=None)
        assert (result.created, result.updated, result.unchanged) == (0, 0, 8), fmt
    target = db.session.scalar(select(Target).where(Target.value == D("92.125")))
    assert target.pessimistic == D(88) and target.version == 1  # kept, not in the format
    assert exporting.to_bytes(table, "csv").startswith("\ufeff".encode())


def test_an_english_reader_gets_english_cost_keys_that_import_back(app, round_):
    from flask_babel import force_locale

    import_figures(GOOD, round_, actor=None)
    db.session.commit()
    participations = [participation_of(round_, 101)]
    with app.test_request_context(), force_locale("en"):
        table = exporting.figures_table(round_, participations)
    costs = sorted(table[table["kind"] == "cost"]["indicator"])
    assert costs == ["one_off:Licenser", "yearly:Drift"]
    result = import_figures(exporting.to_bytes(table, "csv"), round_, actor=None)
    assert result.created == result.updated == 0
    with app.test_request_context(), force_locale("da"):
        table = exporting.figures_table(round_, participations)
    assert sorted(table[table["kind"] == "cost"]["indicator"]) == [
        "engangs:Licenser",
        "årlig:Drift",
    ]


def test_a_municipal_user_imports_only_for_their_own(round_, make_user):
    user = make_user(Role.MUNICIPAL, code=101)
    errors = refused(
        H
        + "101,screen_visits,measurement,2025-10-01,1,\n"
        + "147,screen_visits,measurement,2025-10-01,1,\n"
        + "461,screen_visits,measurement,2025-10-01,1,\n",
        round_,
        actor=user,
    )
    assert errors == {
        3: "rækken gælder kommune 147, men I kan kun indlæse tal for København",
        4: "rækken gælder kommune 461, men I kan kun indlæse tal for København",
    }
    result = import_figures(H + "101,screen_visits,measurement,2025-10-01,1,\n", round_, actor=user)
    assert result.created == 1
    with pytest.raises(NotAllowed):
        import_figures(GOOD, round_, actor=make_user(Role.LEADERSHIP, code=101))


def test_a_coordinator_imports_for_any(round_, make_user):
    result = import_figures(GOOD, round_, actor=make_user(Role.COORDINATOR))
    assert result.created == 7


def test_cli_import_and_exit_status(app, round_, tmp_path):
    db.session.commit()
    runner = app.test_cli_runner()
    bad = tmp_path / "bad.csv"
    bad.write_text(
        H + "101,screen_visits,measurement,2025-10-01,1,\n101,x,measurement,2025-10-01,1,\n"
    )
    result = runner.invoke(args=["import-measurements", str(bad), "--round", round_.slug])
    assert result.exit_code == 1
    assert "linje 3: ukendt indikator 'x'" in result.output
    assert "Intet er gemt: 1 fejl." in result.output
    assert db.session.scalar(select(func.count(Measurement.id))) == 0
    good = tmp_path / "good.csv"
    good.write_text(GOOD)
    result = runner.invoke(args=["import-measurements", str(good), "--round", round_.slug])
    assert result.exit_code == 0, result.output
    assert "7 rækker læst: 7 oprettet, 0 ændret, 0 uændret." in result.output
    result = runner.invoke(args=["import-measurements", str(good), "--round", "no-such-round"])
    assert result.exit_code == 1 and "intet forløb" in result.output


def test_import_queries_do_not_grow_with_rows(round_, count_queries, monkeypatch):
    monkeypatch.setattr(rules, "local_today", lambda: END)  # every month of the round has begun

    def file(months):
        return H + "".join(
            f"101,{key},measurement,{2025 + (8 + m) // 12}-{(8 + m) % 12 + 1:02d}-01,{m},\n"
            for m in range(months)
            for key in ("screen_visits", "km_driven")
        )

    db.session.commit()
    counts = []
    for months in (2, 19):
        db.session.refresh(round_)
        with count_queries() as counter:
            result = import_figures(file(months), round_, actor=None)
        db.session.rollback()
        assert result.created == 2 * months
        counts.append(counter.count)
    assert counts[0] == counts[1]
