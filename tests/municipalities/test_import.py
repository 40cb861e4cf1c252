"""The register import rules, at the service level and through the CLI."""

import pytest
from sqlalchemy import func, select

from portal.audit.models import AuditEvent
from portal.db import db
from portal.errors import RowErrors
from portal.municipalities.models import Municipality
from portal.municipalities.services import import_register, load_shipped_register

HEADER = "code,name,region\n"


def count():
    return db.session.scalar(select(func.count(Municipality.id)))


def refused(data, **kwargs):
    before = count()
    with pytest.raises(RowErrors) as info:
        import_register(data, **kwargs)
    db.session.rollback()
    assert count() == before
    return info.value.errors


@pytest.mark.parametrize(
    ("data", "expected"),
    [
        ("", [(1, "Filen er tom.")]),
        ("code,name\n101,København\n", [(1, "Mangler kolonne: region")]),
        ("code,name,region,colour\n101,Kbh,Region H,blå\n", [(1, "Ukendt kolonne: colour")]),
        (HEADER, [(1, "Filen har ingen rækker under overskriften.")]),
        (HEADER + "abc,X,Region H\n", [(2, "koden 'abc' er ikke en kommunekode (1–4 cifre)")]),
        (HEADER + "0,X,Region H\n", [(2, "koden '0' er ikke en kommunekode (1–4 cifre)")]),
        (HEADER + "²,X,Region H\n", [(2, "koden '²' er ikke en kommunekode (1–4 cifre)")]),
        (HEADER + "01010,X,Region H\n", [(2, "koden '01010' er ikke en kommunekode (1–4 cifre)")]),
        (HEADER + ",X,Region H\n", [(2, "kode mangler")]),
        (HEADER + "101,,Region H\n", [(2, "navn mangler")]),
        (HEADER + "101,X,\n", [(2, "region mangler")]),
        (HEADER + "101,,\n", [(2, "navn mangler; region mangler")]),
        (HEADER + "101,A,R\n0101,B,R\n", [(3, "koden 0101 står også i linje 2")]),
        (
            "code,name,region,population,population_date\n101,A,R,mange,2025-07-01\n",
            [(2, "indbyggertallet 'mange' er ikke et helt tal")],
        ),
        (
            "code,name,region,population,population_date\n101,A,R,99999999999,2025-07-01\n",
            [(2, "indbyggertallet '99999999999' er urealistisk stort")],
        ),
        (
            "code,name,region,country\n101,A,R,XX\n",
            [(2, "ukendt land 'XX' (brug DK, NO, SE, FI, IS)")],
        ),
        (
            "code,name,region,active\n101,A,R,måske\n",
            [(2, "aktiv skal være ja eller nej, ikke 'måske'")],
        ),
    ],
)
def test_every_kind_of_bad_file(data, expected):
    assert refused(data) == expected


def test_not_utf8_is_refused():
    assert refused("code,name,region\n101,København,R\n".encode("latin-1"))[0][0] == 1


def test_every_bad_row_is_listed_at_once():
    errors = refused(HEADER + "101,A,R\nx,B,R\n102,,R\n103,C,\n")
    assert [line for line, _ in errors] == [3, 4, 5]


def test_semicolon_and_bom_are_accepted_and_four_digit_codes_match():
    data = (
        "\ufeffcode;name;region;population;population_date\n"
        "0101;København;Region Hovedstaden;667.099;2025-07-01\n"
    )
    result = import_register(data.encode("utf-8"))
    assert (result.created, result.updated) == (0, 1)
    kbh = db.session.scalar(select(Municipality).where(Municipality.code == 101))
    assert kbh.population == 667_099
    again = import_register(HEADER + "101,København,Region Hovedstaden\n")
    assert again.unchanged == 1
    assert kbh.population == 667_099  # a file without population keeps the known figure


def test_reimport_of_the_register_is_idempotent():
    before = count()
    result = load_shipped_register()
    assert (result.created, result.updated, result.unchanged) == (0, 0, 98)
    assert count() == before == 98


def test_a_swedish_register_loads_the_same_way():
    result = import_register(
        HEADER + "0180,Stockholm,Stockholms län\n1480,Göteborg,Västra Götaland\n",
        default_country="SE",
    )
    assert result.created == 2
    assert count() == 100


def test_cli_refusal_exit_status_and_lines(app, tmp_path):
    bad = tmp_path / "bad.csv"
    bad.write_text(HEADER + "abc,X,R\n101,,R\n", encoding="utf-8")
    before = count()
    result = app.test_cli_runner().invoke(args=["municipalities", "import", str(bad)])
    assert result.exit_code == 1
    # Click 8.2+ keeps stderr apart (result.stderr) while result.output mixes both streams.
    assert "linje 2: koden 'abc' er ikke en kommunekode" in result.stderr
    assert "linje 3: navn mangler" in result.stderr
    assert "Intet er gemt: 2 fejl." in result.stderr
    assert result.stdout == ""
    assert count() == before
    good = tmp_path / "good.csv"
    good.write_text(HEADER + "0301,Oslo,Oslo\n", encoding="utf-8")
    result = app.test_cli_runner().invoke(
        args=["municipalities", "import", "--country", "NO", str(good)]
    )
    assert (
        result.exit_code == 0
        and "1 kommune læst: 1 oprettet, 0 ændret, 0 uændret." in result.output
    )


def test_a_duplicate_names_both_lines():
    errors = refused(HEADER + "101,A,R\n147,B,R\n101,C,R\n")
    assert errors == [(4, "koden 101 står også i linje 2")]


def test_the_same_code_in_two_countries_is_two_municipalities():
    errors = refused(
        "code,name,region,country\n0101,Halden,Østfold,NO\n0101,Halden igen,Østfold,NO\n"
    )
    assert errors == [(3, "koden 0101 står også i linje 2")]
    result = import_register(
        "code,name,region,country\n0101,Halden,Østfold,NO\n0101,København,Region Hovedstaden,DK\n"
    )
    assert (result.created, result.unchanged) == (1, 1)
    halden = db.session.scalar(
        select(Municipality).where(Municipality.country == "NO", Municipality.code == 101)
    )
    assert halden.name == "Halden" and halden.code_display == "0101"


def test_a_norwegian_register_loads_alongside_the_danish():
    result = import_register(
        HEADER + "0301,Oslo,Oslo\n4601,Bergen,Vestland\n5001,Trondheim,Trøndelag\n",
        default_country="NO",
    )
    assert (result.created, result.updated, result.unchanged) == (3, 0, 0)
    by_country = dict(
        db.session.execute(
            select(Municipality.country, func.count()).group_by(Municipality.country)
        ).all()
    )
    assert by_country == {"DK": 98, "NO": 3}
    assert import_register(HEADER + "301,Oslo,Oslo\n", default_country="no").unchanged == 1


def test_unknown_default_country_is_refused_on_every_row():
    errors = refused(HEADER + "101,A,R\n147,B,R\n", default_country="XX")
    assert [line for line, _ in errors] == [2, 3]
    assert all("ukendt land 'XX'" in reason for _, reason in errors)


def test_a_good_file_after_a_refused_one_is_counted_right():
    refused(HEADER + "0101,Kbh,\n")
    result = import_register(
        "code,name,region,population,population_date\n"
        "0101,København,Region Hovedstaden,667 099,2025-07-01\n"
        "999,Ny Kommune,Region Sjælland,,\n"
    )
    assert (result.created, result.updated, result.unchanged) == (1, 1, 0)
    assert count() == 99
    kbh = db.session.scalar(
        select(Municipality).where(Municipality.country == "DK", Municipality.code == 101)
    )
    assert (kbh.population, kbh.full_name) == (667_099, "Københavns Kommune")


def test_import_is_audited_with_its_counts():
    import_register(HEADER + "101,København,Region Hovedstaden\n999,Ny,Region Sjælland\n")
    event = db.session.scalar(
        select(AuditEvent)
        .where(AuditEvent.action == "municipalities_imported")
        .order_by(AuditEvent.id.desc())
    )
    assert (event.details["created"], event.details["unchanged"]) == (1, 1)


def test_active_column_deactivates_and_a_file_without_it_leaves_it_alone():
    import_register("code,name,region,active\n101,København,Region Hovedstaden,nej\n")
    kbh = db.session.scalar(
        select(Municipality).where(Municipality.country == "DK", Municipality.code == 101)
    )
    assert kbh.active is False
    assert import_register(HEADER + "101,København,Region Hovedstaden\n").unchanged == 1
    assert kbh.active is False


def test_a_file_without_full_names_keeps_the_known_ones():
    result = import_register(HEADER + "101,København,Region Hovedstaden\n")
    assert (result.updated, result.unchanged) == (0, 1)
    kbh = db.session.scalar(
        select(Municipality).where(Municipality.country == "DK", Municipality.code == 101)
    )
    assert kbh.full_name == "Københavns Kommune"
    import_register(
        "code,name,full_name,region\n101,København,Københavns Stad,Region Hovedstaden\n"
    )
    assert kbh.full_name == "Københavns Stad"


def test_the_shipped_register_carries_every_cvr_number():
    rows = db.session.scalars(select(Municipality).where(Municipality.country == "DK")).all()
    assert len(rows) == 98 and all(m.cvr and len(m.cvr) == 8 for m in rows)
    kbh = next(m for m in rows if m.code == 101)
    assert (kbh.cvr, kbh.population) == ("64942212", None)  # no population is shipped


@pytest.mark.parametrize(
    ("cvr", "reason"),
    [
        ("6494221", "CVR-nummeret '6494221' skal have 8 cifre"),
        ("64942213", "CVR-nummeret '64942213' består ikke modulus 11-kontrollen (tastefejl?)"),
        ("6494221x", "CVR-nummeret '6494221x' må kun have cifre"),
    ],
)
def test_a_bad_cvr_number_is_refused(cvr, reason):
    assert refused(f"code,name,region,cvr\n101,København,Region Hovedstaden,{cvr}\n") == [
        (2, reason)
    ]


def test_a_cvr_number_is_updated_and_a_file_without_it_keeps_it():
    kbh = db.session.scalar(select(Municipality).where(Municipality.code == 101))
    kbh.cvr = None
    import_register("code,name,region,cvr\n101,København,Region Hovedstaden,64942212\n")
    assert kbh.cvr == "64942212"
    import_register(HEADER + "101,København,Region Hovedstaden\n")
    assert kbh.cvr == "64942212"


def test_one_cvr_number_for_two_municipalities_is_refused():
    # 55133018 is Aarhus Kommune's.
    assert refused("code,name,region,cvr\n101,København,Region Hovedstaden,55133018\n") == [
        (2, "CVR-nummeret 55133018 tilhører også kommune 751")
    ]
    assert refused("code,name,region,cvr\n999,A,R,12345674\n998,B,R,12345674\n") == [
        (3, "CVR-nummeret 12345674 tilhører også linje 2")
    ]


def test_a_population_needs_its_date():
    assert refused("code,name,region,population\n101,København,Region Hovedstaden,667099\n") == [
        (2, "indbyggertallet mangler sin dato (kolonnen population_date, fx 2025-07-01)")
    ]


# StatBank's CSV for FOLK1A (api.statbank.dk/v1/data/FOLK1A/CSV, semicolons), with the
# country and a region, which are skipped. The figures are made up for the test.
FOLK1A = (
    "OMRÅDE;KØN;ALDER;CIVILSTAND;TID;INDHOLD\n"
    "Hele landet;I alt;Alder i alt;I alt;2025K3;6000000\n"
    "Region Hovedstaden;I alt;Alder i alt;I alt;2025K3;1900000\n"
    "101 København;I alt;Alder i alt;I alt;2025K3;600000\n"
    "Frederiksberg;I alt;Alder i alt;I alt;2025K3;100000\n"
)


def test_a_folk1a_export_sets_populations_with_their_quarter_and_credit(app):
    from portal.municipalities.services import population_credit

    result = import_register(FOLK1A.encode("utf-8"))
    assert (result.updated, result.unchanged) == (2, 0)
    kbh, frb = (
        db.session.scalar(select(Municipality).where(Municipality.code == code))
        for code in (101, 147)
    )
    assert (kbh.population, frb.population) == (600_000, 100_000)
    assert str(kbh.population_date) == "2025-07-01"  # FOLK1A counts on the quarter's first day
    assert kbh.population_source == "Danmarks Statistik, FOLK1A 2025K3"
    with app.test_request_context():
        assert population_credit([kbh, frb]) == "Kilde: Danmarks Statistik, FOLK1A 2025K3"
    # The names and CVR stay; loading it again changes nothing.
    assert kbh.cvr == "64942212" and kbh.name == "København"
    assert import_register(FOLK1A.encode("utf-8")).unchanged == 2


@pytest.mark.parametrize(
    ("data", "expected"),
    [
        (
            FOLK1A.replace("101 København;I alt", "101 København;Mænd"),
            [(4, "ikke hele befolkningen: køn er 'Mænd'")],
        ),
        (
            FOLK1A + "Aarhus;I alt;Alder i alt;I alt;2025K2;360000\n",
            [(1, "filen har flere kvartaler (2025K2, 2025K3); vælg ét")],
        ),
        (
            FOLK1A + "Atlantis;I alt;Alder i alt;I alt;2025K3;10\n",
            [(6, "området 'Atlantis' er ikke en kommune i registeret")],
        ),
        (
            FOLK1A.replace("2025K3;600000", "2025K3;mange"),
            [(4, "indbyggertallet 'mange' er ikke et helt tal")],
        ),
    ],
)
def test_a_bad_folk1a_file_changes_nothing(data, expected):
    assert refused(data.encode("utf-8")) == expected
    kbh = db.session.scalar(select(Municipality).where(Municipality.code == 101))
    assert kbh.population is None
