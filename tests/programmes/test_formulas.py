"""Benefit formulas: the whitelist, the Danish reasons, Decimal evaluation and its failures."""

import tomllib
from decimal import Decimal

import pytest

from portal.programmes.formulas import (
    MAX_LENGTH,
    DivisionByZero,
    Formula,
    FormulaError,
    InvalidFormula,
    MissingValues,
    check_formula,
    compile_formula,
    evaluate,
    names_used,
    parse_formula,
)
from portal.programmes.loading import SHIPPED_PROGRAMMES

ROUTE = {"planning_hours", "delivery_rate", "paid_hours", "km_driven"}


def reasons(text, indicators=ROUTE, parameters=("annual_cost", "annual_hours", "km_rate")):
    return check_formula(text, indicators, parameters)


def test_every_shipped_formula_is_accepted_against_its_own_file():
    files = sorted(SHIPPED_PROGRAMMES.glob("*.toml"))
    checked = 0
    for path in files:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
        keys = {i["key"] for i in data["indicators"]}
        parameters = {name for r in data["rounds"] for name in r.get("parameters", {})}
        for benefit in data["benefits"]:
            assert check_formula(benefit["formula"], keys, parameters) == [], benefit["key"]
            checked += 1
    assert checked >= 9


def test_names_used_separates_baselines():
    formula = parse_formula("(baseline.km_driven - km_driven) * km_rate")
    assert names_used(formula) == {"baseline.km_driven", "km_driven", "km_rate"}
    assert formula.baseline_keys == {"km_driven"}
    assert formula.bare_names == {"km_driven", "km_rate"}
    assert formula.indicators(ROUTE) == {"km_driven"}
    assert names_used("min(a, 2) + max(b, c)") == {"a", "b", "c"}


@pytest.mark.parametrize(
    ("text", "values", "expected"),
    [
        (
            "screen_visits * minutes_saved_per_visit / 60",
            {"screen_visits": 1200, "minutes_saved_per_visit": 25},
            "500",
        ),
        ("km_avoided * 3.79", {"km_avoided": Decimal("1000")}, "3790.00"),
        ("km_avoided * km_rate", {"km_avoided": 3, "km_rate": "3.79"}, "11.37"),
        ("-a + +b", {"a": 2, "b": 5}, "3"),
        ("-(a - b)", {"a": 2, "b": 5}, "3"),
        ("min(a, b, 4) - max(a, b)", {"a": 2, "b": 5}, "-3"),
        (
            "(baseline.x - x) / 100 * y",
            {"baseline.x": 60, "x": Decimal("64.3"), "y": 1000},
            "-43.000",
        ),
        ("1_000 * 0.1", {}, "100.0"),
        ("1e3 / 4", {}, "250"),
        ("0 * -a", {"a": 1}, "0"),
    ],
)
def test_evaluates_with_decimal(text, values, expected):
    result = evaluate(parse_formula(text), values)
    assert isinstance(result, Decimal)
    assert result == Decimal(expected)
    assert str(result) == expected or result == Decimal(expected)


def test_decimal_literal_is_exact_not_a_float():
    result = evaluate(parse_formula("0.1 + 0.2"), {})
    assert result == Decimal("0.3") and str(result) == "0.3"


def test_the_hourly_cost_of_seed_004():
    result = evaluate(
        parse_formula("annual_cost / annual_hours"), {"annual_cost": 450000, "annual_hours": 1924}
    )
    assert result.quantize(Decimal("0.01")) == Decimal("233.89")
    assert str(result).startswith("233.88773388773")


def test_division_by_zero_is_reported_not_raised_as_a_crash():
    formula = parse_formula("(baseline.x - x) / (y - z)")
    with pytest.raises(DivisionByZero) as info:
        evaluate(formula, {"baseline.x": 1, "x": 0, "y": 3, "z": 3})
    assert info.value.kind == "division_by_zero"
    assert info.value.reason == "division med nul (y - z er 0)"
    assert isinstance(info.value, FormulaError)
    with pytest.raises(DivisionByZero):
        evaluate(parse_formula("0 / 0"), {})


def test_missing_values_are_all_named():
    formula = parse_formula("baseline.planning_hours - planning_hours + km_rate")
    with pytest.raises(MissingValues) as info:
        evaluate(formula, {"planning_hours": 3, "km_rate": None})
    assert info.value.names == ("baseline.planning_hours", "km_rate")
    assert info.value.kind == "missing"
    assert info.value.reason == "mangler værdi for baseline.planning_hours, km_rate"


def test_floats_are_refused_as_values_and_overflow_is_an_error():
    with pytest.raises(TypeError):
        evaluate(parse_formula("a * 2"), {"a": 1.5})
    with pytest.raises(FormulaError, match="ikke et tal"):
        evaluate(parse_formula("a * 2"), {"a": "mange"})
    huge = {"a": Decimal("1e999990")}
    with pytest.raises(FormulaError, match="for store"):
        evaluate(parse_formula("a * a * a"), huge)


@pytest.mark.parametrize(
    ("text", "reason"),
    [
        ("planning_hours * foo", "ukendt navn 'foo'"),
        ("baseline.foo - planning_hours", "ukendt indikator 'foo' i baseline.foo"),
        (
            "planning_hours.__class__",
            "'planning_hours.__class__' er ikke tilladt; punktum bruges kun i baseline.NØGLE",
        ),
        ("().__class__.__bases__", "er ikke tilladt; punktum bruges kun i baseline.NØGLE"),
        ("baseline.__class__", "'baseline.__class__' er ikke en indikatornøgle"),
        ("pow(planning_hours, 2)", "funktionen 'pow' er ikke tilladt"),
        ("__import__('os').system('ls')", "er ikke tilladt"),
        ("abs(planning_hours)", "funktionen 'abs' er ikke tilladt"),
        ("planning_hours ** 2", "potensopløftning (**) er ikke tilladt"),
        ("planning_hours % 7", "operatoren '%' er ikke tilladt"),
        ("planning_hours // 7", "operatoren '//' er ikke tilladt"),
        ("'tekst'", "tekst er ikke tilladt i en formel"),
        ("planning_hours[0]", "indeksering med [ ] er ikke tilladt"),
        ("[x for x in planning_hours]", "comprehensions er ikke tilladt"),
        ("lambda: 1", "lambda er ikke tilladt"),
        ("1 if planning_hours else 2", "'if … else' er ikke tilladt"),
        ("planning_hours < 2", "sammenligninger er ikke tilladt"),
        ("planning_hours and 2", "'and' og 'or' er ikke tilladt"),
        ("not planning_hours", "operatoren 'not' er ikke tilladt"),
        ("3,79", "komma er kun tilladt mellem argumenterne til min og max"),
        ("min(planning_hours)", "min skal have mindst to argumenter"),
        ("max(*planning_hours)", "max tager kun tal"),
        ("min", "'min' skal kaldes som min(a, b)"),
        ("baseline", "'baseline' skal efterfølges af en indikatornøgle"),
        ("True + 1", "'True' er ikke et tal"),
        ("0x10", "'0x10' er ikke et decimaltal"),
        ("1e40", "tallet '1e40' er for stort"),
        ("(planning_hours + 1", "syntaksfejl ved tegn 1: en '(' er ikke lukket"),
        ("planning_hours + 1)", "syntaksfejl ved tegn 19: en parentes passer ikke"),
        ("planning_hours paid_hours", "syntaksfejl ved tegn 16: ugyldigt udtryk"),
        ("planning_hours = 2", "syntaksfejl"),
        ("", "formlen er tom"),
        ("   ", "formlen er tom"),
        ("a" * (MAX_LENGTH + 1), f"formlen er for lang (højst {MAX_LENGTH} tegn)"),
        ("+".join(["paid_hours"] * 40), "formlen er for dybt indlejret"),
        ("-" * 40 + "paid_hours", "formlen er for dybt indlejret"),
        ("(" * 210 + "1" + ")" * 210, "syntaksfejl ved tegn 201: for mange parenteser"),
    ],
)
def test_refusals_with_danish_reasons(text, reason):
    found = reasons(text)
    assert found, text
    assert any(reason in r for r in found), found


def test_a_name_that_is_both_indicator_and_parameter_is_ambiguous():
    assert reasons("km_rate * 2", ROUTE | {"km_rate"}) == [
        "'km_rate' er både en indikator og en parameter; omdøb den ene"
    ]


def test_hourly_cost_is_always_known_and_every_problem_is_listed():
    assert reasons("planning_hours * hourly_cost", parameters=()) == []
    assert reasons("foo + bar * baseline.baz") == [
        "ukendt navn 'bar'",
        "ukendt navn 'foo'",
        "ukendt indikator 'baz' i baseline.baz",
    ]
    with pytest.raises(InvalidFormula) as info:
        parse_formula("a ** 2 + pow(b, 2) + 'x'")
    assert len(info.value.reasons) == 3


def test_compile_formula_checks_names_too():
    compiled = compile_formula(" planning_hours * km_rate ", ROUTE, {"km_rate"})
    assert isinstance(compiled, Formula) and compiled.text == "planning_hours * km_rate"
    with pytest.raises(InvalidFormula, match="ukendt navn 'km_rat'"):
        compile_formula("planning_hours * km_rat", ROUTE, {"km_rate"})
