"""Programme definition files: the shipped four, create/update by slug, and every refusal."""

from datetime import UTC, datetime

import pytest
from sqlalchemy import func, select

from portal.db import db
from portal.errors import RowErrors
from portal.programmes.loading import (
    SHIPPED_PROGRAMMES,
    load_programme_file,
    load_shipped_programmes,
)
from portal.programmes.models import Indicator, Programme, ProgrammeGoal, Round

CATALOGUE = {
    "skaermbesoeg": {
        "citizens_screen",
        "screen_visits",
        "conversion_share",
        "minutes_saved_per_visit",
        "km_avoided",
        "punctuality",
        "citizen_satisfaction",
        "staff_satisfaction",
    },
    "digital_traening": {
        "citizens_started",
        "citizens_completed",
        "completion_rate",
        "help_minutes_change",
        "control_help_minutes_change",
        "therapist_minutes_per_course",
        "sessions_per_week",
    },
    "ruteplanlaegning": {
        "planning_hours",
        "delivery_rate",
        "paid_hours",
        "transport_minutes_per_visit",
        "km_driven",
        "time_window_compliance",
        "continuity",
        "temp_hours",
    },
    "vagtplanlaegning": {
        "planning_hours",
        "overtime_hours",
        "temp_hours",
        "temp_cost",
        "understaffed_shift_share",
        "rest_rule_breaches",
        "sick_leave_rate",
        "wishes_met",
    },
}

MINIMAL = """\
slug = "sensor"
name = { da = "Sensorteknologi", en = "Sensor technology" }
goals = [ { da = "Færre natlige tilsyn", en = "Fewer night checks" } ]

[[indicators]]
key = "night_visits"
name = { da = "Natlige tilsyn", en = "Night checks" }
unit = "antal"
direction = "lower"
frequency = "monthly"
block = "time_economy"

[[rounds]]
slug = "sensor-2027"
name = { da = "Sensorer 2027" }
opens = 2027-01-01
deadline = 2027-03-01T12:00:00
period_start = 2027-04-01
period_end = 2028-09-30
lead_grant = 900000
participant_pool = 2000000
community_size = [3, 5]
"""


def counts():
    return tuple(
        db.session.scalar(select(func.count()).select_from(model))
        for model in (Programme, Indicator, ProgrammeGoal, Round)
    )


def refused(text):
    before = counts()
    with pytest.raises(RowErrors) as info:
        load_programme_file(text)
    db.session.rollback()
    assert counts() == before
    return info.value.errors


def test_shipped_programmes_carry_the_starting_catalogue():
    load_shipped_programmes()
    programmes = {p.slug: p for p in db.session.scalars(select(Programme))}
    assert set(programmes) == set(CATALOGUE)
    for slug, keys in CATALOGUE.items():
        assert keys <= {i.key for i in programmes[slug].indicators}, slug
        assert programmes[slug].goals and programmes[slug].benefits and programmes[slug].rounds
    screen = programmes["skaermbesoeg"]
    assert {b.formula for b in screen.benefits} == {
        "screen_visits * minutes_saved_per_visit / 60",
        "km_avoided * km_rate",
    }
    round_ = screen.rounds[0]
    assert round_.deadline_at == datetime(2025, 10, 1, 10, 0, tzinfo=UTC)  # 12:00 CEST
    assert (round_.lead_grant, round_.participant_grant) == (900_000, 100_000)
    assert (round_.community_min, round_.community_max) == (5, 10)
    assert "hourly_cost" not in round_.parameters
    route = programmes["ruteplanlaegning"].rounds[0]
    assert (route.participant_grant, route.community_min, route.community_max) == (400_000, 3, 5)
    shift = programmes["vagtplanlaegning"].rounds[0]
    assert shift.participant_grant is None and shift.participant_pool == 2_000_000


def test_seed_twice_duplicates_nothing_and_keeps_edits():
    load_shipped_programmes()
    before = counts()
    screen = db.session.scalar(select(Programme).where(Programme.slug == "skaermbesoeg"))
    screen.name_da = "Skærmbesøg (redigeret)"
    db.session.flush()
    assert load_shipped_programmes() == []
    assert counts() == before
    assert screen.name_da == "Skærmbesøg (redigeret)"


def test_load_creates_then_updates_by_slug_keeping_ids():
    first = load_programme_file(MINIMAL)
    assert first.created and first.rounds_created == 1
    indicator_id = first.programme.indicators[0].id
    goal_id = first.programme.goals[0].id
    changed = MINIMAL.replace('unit = "antal"', 'unit = "tilsyn"').replace(
        "lead_grant = 900000", "lead_grant = 850000"
    )
    second = load_programme_file(changed)
    assert not second.created and second.rounds_updated == 1
    assert second.programme is first.programme
    assert second.programme.indicators[0].id == indicator_id
    assert second.programme.indicators[0].unit == "tilsyn"
    assert second.programme.goals[0].id == goal_id
    assert second.programme.rounds[0].lead_grant == 850_000
    assert counts()[0] == 1


def test_indicators_missing_from_a_new_version_are_removed():
    load_programme_file(MINIMAL)
    extra = MINIMAL.replace(
        "[[rounds]]",
        '[[indicators]]\nkey = "falls"\nname = { da = "Fald" }\ndirection = "lower"\n'
        'frequency = "monthly"\nblock = "citizen"\n\n[[rounds]]',
    )
    assert {i.key for i in load_programme_file(extra).programme.indicators} == {
        "night_visits",
        "falls",
    }
    assert {i.key for i in load_programme_file(MINIMAL).programme.indicators} == {"night_visits"}


def test_toml_syntax_error_names_its_line():
    errors = refused(MINIMAL.replace('unit = "antal"', 'unit = "antal'))
    assert errors[0][0] == 8
    assert "TOML" in errors[0][1]


def test_deadline_before_opening_is_refused_at_the_deadline_line():
    errors = refused(
        MINIMAL.replace("deadline = 2027-03-01T12:00:00", "deadline = 2026-12-01T12:00:00")
    )
    assert errors == [(17, "forløb 'sensor-2027': Ansøgningsfristen skal ligge efter åbningen.")]


@pytest.mark.parametrize(
    ("old", "new", "line", "fragment"),
    [
        (
            'direction = "lower"',
            'direction = "down"',
            9,
            "indikator 'night_visits': 'down' er ikke en af",
        ),
        ('key = "night_visits"', 'key = "Night Visits"', 6, "indikator 'Night Visits': Nøglen"),
        ('unit = "antal"', 'unit = "antal"\ncolour = "red"', 9, "ukendt nøgle 'colour'"),
        ("community_size = [3, 5]", "community_size = [5, 3]", 22, "Største antal"),
        ("participant_pool = 2000000", "", 13, "enten et fast tilskud"),
        ('slug = "sensor"', 'slug = "Sensor!"', 1, "Kortnavnet"),
        ("lead_grant = 900000", 'lead_grant = "mange"', 20, "helt antal kroner"),
        ("period_end = 2028-09-30", "period_end = 2027-01-01", 19, "slutte efter"),
        (
            'name = { da = "Sensorer 2027" }',
            'name = { da = "Sensorer", fr = "x" }',
            15,
            "ukendt sprog fr",
        ),
        ("[[rounds]]", "[rounds.parameters]\nhourly_cost = 200\n[[rounds]]", 14, "hourly_cost"),
    ],
)
def test_each_problem_is_refused_with_line_and_reason(old, new, line, fragment):
    text = MINIMAL.replace(old, new)
    if "hourly_cost" in new:
        text = MINIMAL + "[rounds.parameters]\nhourly_cost = 200\n"
        line = 23
    errors = refused(text)
    assert any(fragment in reason for _, reason in errors), errors
    assert line in [n for n, _ in errors], errors


def test_all_problems_are_listed_at_once():
    text = MINIMAL.replace('direction = "lower"', 'direction = "x"').replace(
        "community_size = [3, 5]", "community_size = 4"
    )
    errors = refused(text)
    assert len(errors) == 2


def test_duplicate_indicator_key_is_refused():
    text = MINIMAL.replace(
        "[[rounds]]",
        '[[indicators]]\nkey = "night_visits"\nname = { da = "Igen" }\ndirection = "lower"\n'
        'frequency = "monthly"\nblock = "citizen"\n\n[[rounds]]',
    )
    errors = refused(text)
    assert any("står to gange (også linje 6)" in reason for _, reason in errors)


def test_a_round_slug_of_another_programme_is_refused():
    load_programme_file(MINIMAL)
    db.session.commit()
    other = MINIMAL.replace('slug = "sensor"', 'slug = "sensor-two"', 1)
    errors = refused(other)
    assert any("hører allerede til indsatsen 'sensor'" in reason for _, reason in errors)


def test_every_shipped_file_is_valid_toml_of_the_format():
    files = sorted(SHIPPED_PROGRAMMES.glob("*.toml"))
    assert len(files) == 4
    for path in files:
        load_programme_file(path.read_bytes())


def test_cli_load_and_refusal(app, tmp_path):
    good = tmp_path / "sensor.toml"
    good.write_text(MINIMAL, encoding="utf-8")
    runner = app.test_cli_runner()
    result = runner.invoke(args=["programme", "load", str(good)])
    assert result.exit_code == 0, result.output
    assert "Indsatsen 'sensor' er oprettet" in result.output
    bad = tmp_path / "bad.toml"
    bad.write_text(
        MINIMAL.replace('frequency = "monthly"', 'frequency = "daily"'), encoding="utf-8"
    )
    result = runner.invoke(args=["programme", "load", str(bad)])
    assert result.exit_code == 1
    assert "linje 10: indikator 'night_visits': 'daily' er ikke en af" in result.output
    assert "Intet er gemt" in result.output


def test_cli_seed_twice(app):
    runner = app.test_cli_runner()
    assert runner.invoke(args=["seed"]).exit_code == 0
    result = runner.invoke(args=["seed"])
    assert result.exit_code == 0
    assert "98 kommuner læst: 0 oprettet, 0 ændret, 98 uændret." in result.output
    assert counts()[0] == 4 and counts()[3] == 4


@pytest.mark.parametrize("word", ["indlaes", "forloeb", "rediger"])
def test_a_slug_the_portals_own_urls_use_is_refused(word):
    """/indsatser/indlaes is the upload page: a programme of that name could never be shown."""
    errors = refused(MINIMAL.replace('slug = "sensor"', f'slug = "{word}"', 1))
    assert errors == [(1, f"Kortnavnet '{word}' bruges i portalens egne adresser. Vælg et andet.")]
    errors = refused(MINIMAL.replace('slug = "sensor-2027"', 'slug = "indlaes"'))
    assert any("portalens egne adresser" in reason for _, reason in errors)


def test_the_reserved_words_come_from_the_url_map(app):
    from portal.programmes.rules import reserved_words

    words = reserved_words()
    assert {"indlaes", "forloeb", "indsatser", "rediger", "gevinster"} <= words
    assert "skaermbesoeg" not in words
