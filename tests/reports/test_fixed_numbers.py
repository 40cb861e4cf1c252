"""``formatting.fixed`` writes what Babel's ``format_decimal`` writes (it is six times faster,
for a round's report of 750 municipalities): grouping, decimal symbol, minus, rounding half
up, in Danish and English."""

from __future__ import annotations

import random
from decimal import ROUND_HALF_UP, Decimal

import pytest
from flask_babel import force_locale, format_decimal

from portal.reports.formatting import fixed

EDGES = [Decimal("-0.4"), Decimal("-0"), 0, Decimal("0.5"), Decimal("-0.5"), 1234567, -1,
         Decimal("1E+3"), Decimal("123456789012.123456"), Decimal("10.5"), Decimal("-2.25")]  # fmt: skip


def _babel(value, digits: int) -> str:
    pattern = "#,##0" if digits <= 0 else "#,##0." + "0" * digits
    exact = Decimal(value).quantize(Decimal(1).scaleb(-max(digits, 0)), rounding=ROUND_HALF_UP)
    return format_decimal(exact, format=pattern)


@pytest.mark.parametrize("locale", ["da", "en"])
def test_fixed_is_babels_number(app, locale):
    rng = random.Random(19)
    values = EDGES + [
        Decimal(rng.randint(-(10**9), 10**9)) / Decimal(10 ** rng.randint(0, 6)) for _ in range(500)
    ]
    with app.test_request_context(), force_locale(locale):
        for value in values:
            for digits in (0, 1, 2, 3):
                assert fixed(value, digits) == _babel(value, digits), (value, digits)
        assert fixed(Decimal("1234.5"), 1) == ("1.234,5" if locale == "da" else "1,234.5")
