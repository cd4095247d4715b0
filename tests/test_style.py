"""House style of a corpus: month names and the plural of مليار follow the articles; one count-agreement function."""
from __future__ import annotations

import pytest

from policybrief import style


@pytest.mark.parametrize("n, noun, expected", [
    pytest.param(0, "initiative", "0 مبادرة", id="zero"),
    pytest.param(1, "initiative", "مبادرة واحدة", id="one"),
    pytest.param(1, "article", "مقال واحد", id="one-masculine"),
    pytest.param(2, "initiative", "مبادرتين", id="dual"),
    pytest.param(2, "organization", "هيئتين", id="dual-organization"),
    pytest.param(3, "initiative", "3 مبادرات", id="three"),
    pytest.param(10, "article", "10 مقالات", id="ten"),
    pytest.param(11, "article", "11 مقالا", id="eleven"),
    pytest.param(99, "figure", "99 رقما", id="ninety-nine"),
    pytest.param(100, "article", "100 مقال", id="hundred"),
    pytest.param(102, "figure", "102 رقم", id="hundred-and-two"),
    pytest.param(105, "article", "105 مقالات", id="hundred-and-five"),
    pytest.param(111, "figure", "111 رقما", id="hundred-and-eleven"),
    pytest.param(500, "article", "500 مقال", id="five-hundred"),
    pytest.param(1000, "row", "1000 سطر", id="thousand"),
])
def test_count_phrase(n, noun, expected):
    assert style.count_phrase(n, noun) == expected


@pytest.mark.parametrize("texts, name, billions", [
    pytest.param(["الرباط - 22 يوليوز 2025", "في شتنبر 2024 رصدت 5 ملايير درهم"], "maghreb", "ملايير", id="moroccan"),
    pytest.param(["القاهرة - 3 سبتمبر 2025", "في أغسطس 2024 استثمارات بقيمة 3 مليارات جنيه"], "mashriq", "مليارات", id="egyptian"),
    pytest.param(["بيروت - 4 تموز 2025", "في 12 أيلول 2024 أعلنت الوزارة"], "levant", "مليارات", id="levantine"),
    pytest.param(["تونس في 5 جويلية 2025", "منذ أوت 2024"], "maghreb_central", "مليارات", id="tunisian"),
    pytest.param(["قال المدير إن العمل مستمر"], "mashriq", "مليارات", id="no-month-default"),
    pytest.param(["نهاية مايو (أيار) 2015", "في يونيو (حزيران) 2015", "مارس (آذار) 2014"], "mashriq", "مليارات",
                 id="pan-arab-glosses-do-not-vote"),
    pytest.param(["شركة «نيسان» للسيارات", "القاهرة - 3 سبتمبر 2025"], "mashriq", "مليارات", id="brand-is-no-month"),
])
def test_detect_house_style(texts, name, billions):
    detected = style.detect_house_style(texts)
    assert (detected.name, detected.billions_few) == (name, billions)


def test_the_corpus_plural_of_billion_wins_over_the_region_default():
    detected = style.detect_house_style(["الرباط - 22 يوليوز 2025: رصد 3 مليارات درهم", "ثم 4 مليارات درهم"])
    assert (detected.name, detected.billions_few) == ("maghreb", "مليارات")


@pytest.mark.parametrize("name, iso, expected", [
    pytest.param("maghreb", "2025-08-05", "5 غشت 2025", id="maghreb-day"),
    pytest.param("mashriq", "2025-08", "أغسطس 2025", id="mashriq-month"),
    pytest.param("levant", "2025-08-05", "5 آب 2025", id="levant-day"),
    pytest.param("maghreb_central", "2025-07", "جويلية 2025", id="tunisia-month"),
    pytest.param("mashriq", "2030", "2030", id="year"),
    pytest.param("mashriq", "2025-13-01", "2025-13-01", id="bad-month-kept-as-is"),
])
def test_date_text(name, iso, expected):
    assert style.date_text(iso, style.house_style(name)) == expected


@pytest.mark.parametrize("name, value, unit, expected", [
    pytest.param("maghreb", 5e9, "MAD", "5 ملايير درهم", id="maghreb-plural"),
    pytest.param("mashriq", 5e9, "USD", "5 مليارات دولار", id="mashriq-plural"),
    pytest.param("mashriq", 1.2e9, "USD", "1.2 مليار دولار", id="singular-unchanged"),
    pytest.param("mashriq", 3e6, "USD", "3 ملايين دولار", id="millions"),
])
def test_value_text_follows_the_style(name, value, unit, expected):
    assert style.value_text(value, unit, style=style.house_style(name)) == expected
