"""Number formats and currencies of the whole Arab press: values and units as a reader means them."""
from __future__ import annotations

from decimal import Decimal

import pytest

from policybrief.extract import currencies
from policybrief.extract.figures import extract_figures


def values(text: str, published: str = "") -> list[tuple]:
    df = extract_figures("t", text, published)
    return [(r["value"], r["unit"], r["quote"]) for r in df.to_dict("records")]


@pytest.mark.parametrize(
    "text, expected",
    [
        pytest.param("بلغت الصادرات 3.482 مليار دولار.", [(3.482e9, "USD", "3.482 مليار دولار")],
                     id="point-before-three-digits-and-scale-is-decimal"),
        pytest.param("نقلت الشركة 2.315 مليون طن.", [(2.315e6, "t", "2.315 مليون طن")],
                     id="decimal-million-tonnes"),
        pytest.param("يشغل المصنع 1.250 عاملا.", [(1250, "count", "1.250 عاملا")],
                     id="point-without-scale-groups-thousands"),
        pytest.param("بلغت القدرة 2.400 ميغاواط.", [(2400, "MW", "2.400 ميغاواط")], id="grouped-megawatts"),
        pytest.param("وصل المخزون إلى 3,750 مليار ريال سعودي بينما نما الإنتاج 2.5%.",
                     [(3.75e12, "SAR", "3,750 مليار ريال سعودي"), (2.5, "percent", "2.5%")],
                     id="comma-groups-thousands-where-decimals-use-a-point"),
        pytest.param("بلغ الدعم 1,250 مليار درهم مغربي بعدما كان 0,9 مليار.",
                     [(1.25e9, "MAD", "1,250 مليار درهم مغربي"), (0.9e9, "MAD", "0,9 مليار")],
                     id="comma-is-decimal-where-decimals-use-a-comma"),
        pytest.param("ارتفعت المبيعات 3ر14 بالمائة.", [(14.3, "percent", "3ر14 بالمائة")], id="ra-decimal-glued"),
        pytest.param("سجلت الودائع 4 ر 2 مليار دولار.", [(2.4e9, "USD", "4 ر 2 مليار دولار")],
                     id="ra-decimal-spaced-with-scale"),
        pytest.param("خصصت الحكومة (85) مليار ريال قطري.", [(85e9, "QAR", "(85) مليار ريال قطري")],
                     id="bracketed-number-and-scale"),
        pytest.param("تبلغ الأصول نحو (6.4) تريليونات دولار.", [(6.4e12, "USD", "(6.4) تريليونات دولار")],
                     id="bracketed-decimal-trillions-plural"),
        pytest.param("تمثل الضرائب (31) في المائة من الإيرادات.", [(31, "percent", "(31) في المائة")],
                     id="bracketed-percent"),
        pytest.param("بلغت القروض 2 بليون دولار.", [(2e9, "USD", "2 بليون دولار")], id="billion-as-bilyun"),
        pytest.param("تراجع قطاع النسيج بـ2.7 – في المائة.", [(-2.7, "percent", "2.7 – في المائة")],
                     id="minus-after-the-number"),
        pytest.param("سجل النمو -0.8 في المائة.", [(-0.8, "percent", "-0.8 في المائة")], id="minus-before-the-number"),
        pytest.param("تراجعت البطالة بـ1.2 نقطة مئوية.", [(1.2, "pp", "1.2 نقطة مئوية")], id="percentage-points"),
        pytest.param("تقدم المؤشر بـ9 نقاط.", [(9, "points", "9 نقاط")], id="index-points"),
        pytest.param("أنتجت المحطة ٣٬٢٠٠ غيغاواط ساعة.", [(3.2e6, "MWh", "٣٬٢٠٠ غيغاواط ساعة")],
                     id="arabic-indic-thousands-and-gigawatt-hours"),
        pytest.param("بقدرة ۴۵۰ ميغاواط", [(450, "MW", "۴۵۰ ميغاواط")], id="persian-digits"),
        pytest.param("تمتد على ۱۲٫۵ كيلومترا", [(12.5, "km", "۱۲٫۵ كيلومترا")], id="persian-digits-decimal"),
        pytest.param("سقي مليونين و300 ألف هكتار", [(2.3e6, "ha", "مليونين و300 ألف هكتار")], id="dual-and-thousands"),
        pytest.param("تشغل سبع عشرة محطة", [(17, "count", "سبع عشرة محطة")], id="teen-in-words"),
        pytest.param("تمتد المنطقة على 45 كيلومترا مربعا", [(45, "km2", "45 كيلومترا مربعا")], id="square-km"),
        pytest.param("تشرح معادلة $x^2$ Lab النتائج وتكلف 7 مشاريع.", [(7, "count", "7 مشاريع")],
                     id="formula-exponent-is-no-amount"),
        pytest.param("يرمز المتغير a_3 إلى 12 شركة.", [(12, "count", "12 شركة")], id="subscript-is-no-number"),
    ],
)
def test_formats(text, expected):
    assert values(text) == expected


@pytest.mark.parametrize(
    "text, expected",
    [
        pytest.param("الرياض – 3 مارس 2026\nبلغت الإيرادات 40 مليار ريال.", "SAR", id="riyal-from-dateline"),
        pytest.param("الدوحة – 3 مارس 2026\nرصدت الوزارة 40 مليار ريال.", "QAR", id="riyal-in-doha"),
        pytest.param("القاهرة – 3 مارس 2026\nخصصت الوزارة 40 مليار جنيه.", "EGP", id="pound-in-cairo"),
        pytest.param("عمان – 3 مارس 2026\nبلغ العجز 40 مليون دينار.", "JOD", id="dinar-in-amman"),
        pytest.param("الجزائر – 3 مارس 2026\nبلغ الدعم 40 مليار دينار.", "DZD", id="dinar-in-algiers"),
        pytest.param("دبي – 3 مارس 2026\nبكلفة 40 مليار درهم.", "AED", id="dirham-in-dubai"),
        pytest.param("طنجة – 3 مارس 2026\nبكلفة 40 مليار درهم.", "MAD", id="dirham-in-tangier"),
        pytest.param("عمان – 3 مارس 2026\nوفي لبنان بلغت الكتلة النقدية 40 تريليون ليرة.", "LBP",
                     id="lira-from-its-sentence"),
        pytest.param("بلغت قيمة الصفقة 40 مليون دينار.", "dinar", id="nothing-decides-stays-the-family"),
        pytest.param("بيعت السندات بـ40 مليون دينار كويتي.", "KWD", id="named-currency-anywhere"),
    ],
)
def test_bare_currency_words_resolve_from_the_article(text, expected):
    (row,) = extract_figures("t", text).to_dict("records")
    assert row["unit"] == expected


def test_subunit_is_a_fraction_of_the_local_currency():
    text = "فاس – 3 مارس 2026\nخصص المجلس 320 مليون سنتيم لتجهيز المكتبات."
    (row,) = extract_figures("t", text).to_dict("records")
    assert (row["value"], row["unit"]) == (3.2e6, "MAD")


def test_piastres_in_egypt():
    (row,) = extract_figures("t", "القاهرة – 3 مارس 2026\nارتفع سعر التذكرة إلى 75 قرشا.").to_dict("records")
    assert (row["value"], row["unit"]) == (0.75, "EGP")


def test_money_words_together_decide_the_country():
    # "درهم" is Moroccan or Emirati, "سنتيم" Moroccan or Algerian: together only Morocco fits.
    text = "رصد المجلس 120 مليون سنتيم للملعب و30 مليون درهم للمسبح."
    units = [r["unit"] for r in extract_figures("t", text).to_dict("records")]
    assert units == ["MAD", "MAD"]


def test_ambiguous_currency_has_low_confidence():
    clear, ambiguous = (extract_figures("t", text).confidence.iloc[0]
                        for text in ("بيعت الأسهم بـ40 مليون دولار.", "بيعت الأسهم بـ40 مليون دينار."))
    assert ambiguous < clear


def test_every_arab_currency_and_the_majors_are_listed():
    codes = set(currencies.tables().family_of)
    assert {"MAD", "DZD", "TND", "LYD", "EGP", "SDG", "MRU", "SAR", "AED", "QAR", "KWD", "BHD", "OMR", "JOD",
            "IQD", "LBP", "SYP", "YER", "USD", "EUR", "GBP", "CNY", "JPY"} <= codes


@pytest.mark.parametrize(
    "token, sentence, expected",
    [
        pytest.param("family:pound", "في مصر", ("EGP", Decimal(1), "sentence"), id="pound-by-sentence"),
        pytest.param("family:lira", "في سوريا", ("SYP", Decimal(1), "sentence"), id="lira-by-sentence"),
        pytest.param("sub:سنتيم", "في الجزائر", ("DZD", Decimal("0.01"), "sentence"), id="centime-in-algeria"),
        pytest.param("EUR", "", ("EUR", Decimal(1), "named"), id="named-code"),
    ],
)
def test_resolve(token, sentence, expected):
    from collections import Counter

    from policybrief.textnorm import match_key

    assert currencies.resolve(token, match_key(sentence), currencies.Countries("", Counter())) == expected


@pytest.mark.parametrize(
    "text, quote, value",
    [
        pytest.param("حلت الجامعة ضمن أفضل 30 جامعة إفريقية.", "أفضل 30 جامعة", 30, id="best-n"),
        pytest.param("جاءت المدينة من بين العشرة الأوائل عربيا.", "العشرة الأوائل", 10, id="first-ten"),
        pytest.param("صنفت الشركة ضمن الخمسين الأوائل.", "الخمسين الأوائل", 50, id="first-fifty"),
    ],
)
def test_top_n_is_a_threshold_not_a_rank(text, quote, value):
    (row,) = extract_figures("t", text).to_dict("records")
    assert (row["value"], row["unit"], row["qualifier"], row["quote"]) == (value, "rank", "top_n", quote)


def test_first_months_are_not_a_top_n():
    assert extract_figures("t", "خلال الأشهر الثلاثة الأولى من السنة.").empty


def test_ordinal_written_with_digits_is_no_count():
    assert extract_figures("t", "أصدرت الهيئة تقريرها السنوي الـ25 حول المناخ.").empty


def test_part_of_an_amount_takes_its_unit():
    text = "بلغت الودائع نحو (9.1) تريليونات دولار، منها (2.2) تريليونات تعود إلى المصارف."
    units = [(r["value"], r["unit"]) for r in extract_figures("t", text).to_dict("records")]
    assert units == [(9.1e12, "USD"), (2.2e12, "USD")]
