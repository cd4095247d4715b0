"""Numbers written the Arabic press way."""
from __future__ import annotations

import pytest

from policybrief.formatting import format_number, format_value_ar, is_money


@pytest.mark.parametrize(
    "value, unit, what, qualifier, expected",
    [
        pytest.param(10_800_000_000, "USD", "", "", "10.8 مليار دولار", id="billions-dollars"),
        pytest.param(1_200_000_000, "MAD", "", "", "1.2 مليار درهم", id="billions-dirhams"),
        pytest.param(5_000_000_000, "MAD", "", "", "5 ملايير درهم", id="plural-billions"),
        pytest.param(12_000_000_000, "MAD", "", "", "12 مليار درهم", id="eleven-plus-singular"),
        pytest.param(3_500_000, "EUR", "", "", "3.5 مليون يورو", id="fraction-millions-singular"),
        pytest.param(4_000_000, "count", "مستفيد", "", "4 ملايين مستفيد", id="plural-millions-count"),
        pytest.param(750_000, "MAD", "", "", "750 ألف درهم", id="below-a-million-in-thousands"),
        pytest.param(1e12, "USD", "", "more_than", "أكثر من 1 تريليون دولار", id="trillion"),
        pytest.param(12_345, "count", "متدرب", "", "12345 متدرب", id="inexact-thousands-stay-plain"),
        pytest.param(1_500, "count", "فرصة عمل", "", "1500 فرصة عمل", id="below-ten-thousand-plain"),
        pytest.param(500, "count", "فرصة شغل", "", "500 فرصة شغل", id="count-with-what"),
        pytest.param(500, "count", "فرصة شغل", "more_than", "أكثر من 500 فرصة شغل", id="qualifier-before"),
        pytest.param(10_800_000_000, "USD", "", "approx", "نحو 10.8 مليار دولار", id="approx"),
        pytest.param(40, "percent", "", "", "40 في المائة", id="percent"),
        pytest.param(2.5, "percent", "نمو", "", "2.5 في المائة", id="percent-ignores-what"),
        pytest.param(2000, "MW", "", "", "2 جيغاواط", id="megawatts-to-gigawatts"),
        pytest.param(800, "MW", "", "", "800 ميغاواط", id="megawatts"),
        pytest.param(8, "rank", "", "", "المرتبة 8", id="rank-prefix"),
        pytest.param(20, "rank", "", "up_to", "حتى المرتبة 20", id="rank-qualified"),
        pytest.param(1500, "ha", "", "", "1500 هكتار", id="hectares"),
        pytest.param(7, "XYZ", "", "", "7 XYZ", id="unknown-unit-kept"),
        pytest.param(float("nan"), "MAD", "", "", "", id="missing-value"),
    ],
)
def test_format_value_ar(value, unit, what, qualifier, expected):
    assert format_value_ar(value, unit, what, qualifier) == expected


@pytest.mark.parametrize(
    "value, expected",
    [
        pytest.param(10.8, "10.8", id="one-decimal"),
        pytest.param(2000.0, "2000", id="whole-float"),
        pytest.param(1.005, "1", id="rounded-two-decimals"),
        pytest.param(-0.001, "0", id="negative-zero"),
        pytest.param(1234567.0, "1234567", id="no-grouping"),
    ],
)
def test_format_number(value, expected):
    assert format_number(value) == expected


@pytest.mark.parametrize("unit, expected", [
    pytest.param("MAD", True, id="dirham"), pytest.param("CHF", True, id="any-iso-code"),
    pytest.param("percent", False, id="percent"), pytest.param("MW", False, id="si-unit"),
])
def test_is_money(unit, expected):
    assert is_money(unit) is expected
