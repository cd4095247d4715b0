"""Dates extractor and named years: one case per phenomenon, on sentences written for these tests."""
from __future__ import annotations

import pytest

from policybrief.extract.dates import extract_dates
from policybrief.extract.named_years import named_year_spans
from policybrief.schemas import column_names


def _dates(text: str, published: str = "") -> list[tuple[str, str]]:
    df = extract_dates("t", text, published)
    return list(zip(df["iso"], df["precision"]))


def _whats(text: str, published: str = "") -> list[tuple[str, str]]:
    df = extract_dates("t", text, published)
    return list(zip(df["iso"], df["what"]))


CASES = [
    # Moroccan month names
    pytest.param("انعقد اللقاء في 22 يوليوز 2025 بمدينة طنجة", "", [("2025-07-22", "day")], id="moroccan-july-day"),
    pytest.param("وقع الاتفاق في 5 غشت 2024", "", [("2024-08-05", "day")], id="moroccan-august"),
    pytest.param("ستنطلق الدورة في شتنبر 2026", "", [("2026-09", "month")], id="moroccan-september-month"),
    pytest.param("صدر التقرير في 14 نونبر 2023 ثم في 3 دجنبر 2023", "",
                 [("2023-11-14", "day"), ("2023-12-03", "day")], id="moroccan-november-december"),
    pytest.param("أعلن عن البرنامج خلال شهر يوليوز 2025", "", [("2025-07", "month")], id="moroccan-month-with-shahr"),
    pytest.param("الدورة المقبلة في ماي 2026", "", [("2026-05", "month")], id="moroccan-may"),
    # Mashriq month names
    pytest.param("أطلقت المنصة في سبتمبر 2025", "", [("2025-09", "month")], id="mashriq-september"),
    pytest.param("عقد الاجتماع يوم 9 أغسطس 2024", "", [("2024-08-09", "day")], id="mashriq-august"),
    pytest.param("بدأ العمل في 1 يوليو 2025", "", [("2025-07-01", "day")], id="mashriq-july"),
    pytest.param("في 12 تموز/يوليو 2025 انتهت المشاورات", "", [("2025-07-12", "day")], id="levant-slash-month"),
    # Algerian / Tunisian month names
    pytest.param("افتتح المعرض في 10 جانفي 2026", "", [("2026-01-10", "day")], id="maghreb-january"),
    pytest.param("تم التوقيع في جويلية 2024", "", [("2024-07", "month")], id="maghreb-july"),
    pytest.param("موعد الإطلاق 15 أوت 2025", "", [("2025-08-15", "day")], id="maghreb-august"),
    pytest.param("صدر المرسوم في فيفري 2023", "", [("2023-02", "month")], id="maghreb-february"),
    # digits and day shapes
    pytest.param("وقعت الاتفاقية في ٣ مارس ٢٠٢٤", "", [("2024-03-03", "day")], id="arabic-indic-digits"),
    pytest.param("نظم الحفل يوم الاثنين 12 يناير 2026", "", [("2026-01-12", "day")], id="weekday-day-month-year"),
    pytest.param("وذلك في الـ3 من شهر مارس سنة 2024", "", [("2024-03-03", "day")], id="al-day-of-month-of-year"),
    pytest.param("يدخل القرار حيز التنفيذ بفاتح يناير 2027", "", [("2027-01-01", "day")], id="fatih-first-day"),
    pytest.param("في 31 فبراير 2024 لا شيء", "", [], id="impossible-day-skipped"),
    # day-month without a year
    pytest.param("سينعقد المنتدى يوم 14 مارس", "2025-02-01", [("2025-03-14", "day")], id="day-month-published-year"),
    pytest.param("سينعقد المنتدى يوم 14 مارس", "", [], id="day-month-no-year-no-published"),
    pytest.param("صادق عليه المجلس في 30 أكتوبر الماضي", "2025-03-04", [("2024-10-30", "day")], id="day-month-past"),
    pytest.param("في 30 أكتوبر الماضي", "2025-11-19", [("2025-10-30", "day")], id="day-month-past-same-year"),
    pytest.param("بين 20 و22 دجنبر الماضي", "2026-02-04", [("2025-12-20", "day"), ("2025-12-22", "day")],
                 id="day-range-past"),
    pytest.param("مارس 2000 شخص نشاطهم", "", [], id="verb-marasa-not-month"),
    pytest.param("تنعقد الدورة في 2 فبراير المقبل", "2025-03-04", [("2026-02-02", "day")], id="day-month-next"),
    pytest.param("وجدة – 4 مارس 2025\nصادق عليه المجلس في 3 فبراير", "",
                 [("2025-03-04", "day"), ("2025-02-03", "day")], id="day-month-dateline-year"),
    pytest.param("في حدود 2000 منصب", "", [], id="count-fi-hudud"),
    pytest.param("ما بين 2000 و3000 منصب", "", [], id="count-listed-numbers"),
    pytest.param("صدر القرار بتاريخ 22/07/2025 في الجريدة", "", [("2025-07-22", "day")], id="numeric-dmy"),
    pytest.param("نشر في 2025-07-22 على الموقع", "", [("2025-07-22", "day")], id="numeric-iso"),
    pytest.param("نسبة 12.5.2025 غير ممكنة 31/02/2025", "", [("2025-05-12", "day")], id="numeric-impossible-skipped"),
    pytest.param("من 28 يونيو إلى 2 يوليوز 2025", "",
                 [("2025-06-28", "day"), ("2025-07-02", "day")], id="day-month-borrows-range-year"),
    # ranges
    pytest.param("تمتد الخطة 2025-2030 على ست سنوات", "", [("2025", "year"), ("2030", "year")], id="year-range-dash"),
    pytest.param("في الفترة بين 2025 و2030", "", [("2025", "year"), ("2030", "year")], id="year-range-bayna"),
    pytest.param("من 2020 إلى 2024 تضاعف الاستثمار", "", [("2020", "year"), ("2024", "year")], id="year-range-min-ila"),
    pytest.param("أيام 12 و13 يوليوز 2025", "", [("2025-07-12", "day"), ("2025-07-13", "day")], id="day-range"),
    pytest.param("بين يناير ومارس 2025", "", [("2025-01", "month"), ("2025-03", "month")], id="month-range"),
    # years as time
    pytest.param("حققت الشركة أرباحا سنة 2024", "", [("2024", "year")], id="year-after-sana"),
    pytest.param("وفي عام 2023 تغير الوضع", "", [("2023", "year")], id="year-after-aam"),
    pytest.param("ارتفعت الصادرات خلال 2023", "", [("2023", "year")], id="year-after-khilal"),
    pytest.param("يعمل المختبر منذ 2019 في الرباط", "", [("2019", "year")], id="year-after-mundhu"),
    pytest.param("أطلق المشروع في 2025، ثم توسع", "", [("2025", "year")], id="year-after-fi"),
    pytest.param("في مطلع 2026 سيبدأ التنفيذ", "", [("2026", "year")], id="year-after-matla"),
    # counts are not years
    pytest.param("سيخلق المركز 2030 منصب شغل", "", [], id="count-not-year-no-cue"),
    pytest.param("ساهم في 2000 مشروع صغير", "", [], id="count-after-weak-cue"),
    pytest.param("وصل عدد المستفيدين إلى 2025 مستفيدا", "", [], id="count-counted-noun"),
    pytest.param("بلغت النسبة في 2024 في المائة", "", [], id="percent-not-year"),
    # names with years
    pytest.param("في إطار استراتيجية “المغرب الرقمي 2030”", "", [], id="name-quoted-arabic"),
    pytest.param("ضمن خارطة طريق Maroc IA 2030 الطموحة", "", [], id="name-latin"),
    pytest.param("أهداف رؤية 2030 واضحة", "", [], id="name-head-ruya"),
    pytest.param("مخطط الجيل الأخضر 2020-2030 مستمر", "", [], id="name-with-year-range"),
    pytest.param("تنزيل المغرب الرقمي 2030 في أفق سنة 2030", "", [("2030", "year")], id="name-and-target-same-year"),
]


@pytest.mark.parametrize("text, published, expected", CASES)
def test_dates(text, published, expected):
    assert _dates(text, published) == expected


TARGETS = [
    pytest.param("خلق 500 فرصة شغل في أفق 2030", [("2030", "target")], id="target-ufuq"),
    pytest.param("في أفق سنة 2029", [("2029", "target")], id="target-ufuq-sana"),
    pytest.param("بحلول سنة 2030 سيصل العدد", [("2030", "target")], id="target-buhulul"),
    pytest.param("مع حلول 2027", [("2027", "target")], id="target-maa-hulul"),
    pytest.param("حتى سنة 2030", [("2030", "target")], id="target-hatta-sana"),
    pytest.param("إلى غاية 2028", [("2028", "target")], id="target-ila-ghaya"),
    pytest.param("مع نهاية 2026", [("2026", "target")], id="target-maa-nihaya"),
    pytest.param("بحلول يونيو 2026", [("2026-06", "target")], id="target-month"),
    pytest.param("قبل متم سنة 2027", [("2027", "target")], id="target-qabla-mutimm"),
    pytest.param("أكادير – 2 ماي 2025\nتراجع العدد مع نهاية 2023", [("2025-05-02", "dateline"), ("2023", "event")],
                 id="past-horizon-is-event"),
    pytest.param("في نهاية 2024 سجل القطاع نموا", [("2024", "event")], id="event-fi-nihaya"),
    pytest.param("خلال سنة 2024", [("2024", "event")], id="event-year"),
]


@pytest.mark.parametrize("text, expected", TARGETS)
def test_what(text, expected):
    assert _whats(text) == expected


DATELINES = [
    pytest.param("عنوان\n\nالرباط –22 يوليوز 2025\nنص المقال.", "2025-07-22", id="place-dash-date"),
    pytest.param("عنوان\nالرباط - (ومع) - 3 مارس 2024\nنص.", "2024-03-03", id="place-agency-date"),
    pytest.param("عنوان\nالدار البيضاء في 5 ماي 2025\nنص.", "2025-05-05", id="place-fi-date"),
    pytest.param("عنوان\n12/06/2025 - طنجة\nنص.", "2025-06-12", id="numeric-date-then-place"),
]


@pytest.mark.parametrize("text, iso", DATELINES)
def test_dateline_shapes(text, iso):
    df = extract_dates("t", text)
    assert list(zip(df["iso"], df["what"])) == [(iso, "dateline")]


def test_dateline():
    text = "عنوان المقال هنا\n\nالدار البيضاء - 3 مارس 2024\nانطلقت أمس أشغال الملتقى في 3 مارس 2024."
    df = extract_dates("t", text)
    assert list(zip(df["iso"], df["what"])) == [("2024-03-03", "dateline"), ("2024-03-03", "event")]


RELATIVE = [
    # 2025-07-24 is a Thursday
    pytest.param("انطلقت اليوم الخميس أشغال المنتدى", "2025-07-24", [("2025-07-24", "day")], id="today-weekday"),
    pytest.param("انطلقت اليوم الاثنين أشغال المنتدى", "2025-07-24", [("2025-07-21", "day")],
                 id="today-weekday-published-later"),
    pytest.param("أعلن الوزير أمس الأربعاء عن البرنامج", "2025-07-24", [("2025-07-23", "day")], id="yesterday-weekday"),
    pytest.param("أعلن الوزير، أمس، عن البرنامج", "2025-07-24", [("2025-07-23", "day")], id="yesterday-bare"),
    pytest.param("ستنطلق الأشغال غدا الجمعة", "2025-07-24", [("2025-07-25", "day")], id="tomorrow-weekday"),
    pytest.param("اجتمع المجلس يوم الاثنين الماضي", "2025-07-24", [("2025-07-21", "day")], id="weekday-past"),
    pytest.param("يعقد المجلس يوم الخميس المقبل", "2025-07-24", [("2025-07-31", "day")], id="weekday-next"),
    pytest.param("عقد المجلس يوم الثلاثاء اجتماعا", "2025-07-24", [("2025-07-22", "day")], id="weekday-bare"),
    pytest.param("انطلقت اليوم الخميس أشغال المنتدى", "", [], id="relative-without-published-skipped"),
    pytest.param("يحتفل العالم باليوم العالمي للبيئة", "2025-07-24", [], id="al-yawm-al-alami-not-date"),
    pytest.param("نظم في يوليوز الماضي لقاء", "2025-10-02", [("2025-07", "month")], id="month-past"),
    pytest.param("سجل العام الماضي نموا", "2025-10-02", [("2024", "year")], id="year-past"),
    pytest.param("وفي الشهر الماضي ارتفع الطلب", "2025-01-15", [("2024-12", "month")], id="this-month-past"),
    pytest.param("تنتهي الأشغال خلال السنة الجارية", "2025-01-15", [("2025", "year")], id="year-current"),
]


@pytest.mark.parametrize("text, published, expected", RELATIVE)
def test_relative(text, published, expected):
    assert _dates(text, published) == expected
    assert all(w == "relative" for _, w in _whats(text, published))


NAMED = [
    pytest.param("رؤية “المغرب الرقمي 2030”", ["2030"], id="quoted-arabic-name"),
    pytest.param("خارطة Maroc Digital 2030", ["2030"], id="latin-name"),
    pytest.param("Vision 2030 للمملكة", ["2030"], id="latin-vision"),
    pytest.param("في إطار رؤية 2030", ["2030"], id="head-noun-year"),
    pytest.param("استراتيجية المغرب الرقمي 2030 تهدف", ["2030"], id="head-noun-words-year"),
    pytest.param("المغرب الرقمي 2030 يهدف", ["2030"], id="definite-phrase-year"),
    pytest.param("«الجيل الأخضر 2020-2030»", ["2020-2030"], id="quoted-year-range"),
    pytest.param("نموذج الصناعة 4.0 الجديد", ["4.0"], id="version-arabic"),
    pytest.param("Web 3.0 تقنيات", ["3.0"], id="version-latin"),
    pytest.param("استراتيجية الحكومة في أفق 2030", [], id="head-then-cue-is-date"),
    pytest.param("en juillet 2025", [], id="latin-month-not-name"),
    pytest.param("نمو 4.5 في المائة", [], id="percent-not-version"),
    pytest.param("بلغ عدد الطلبة 2030 طالبا", [], id="count-not-name"),
]


@pytest.mark.parametrize("text, expected", NAMED)
def test_named_year_spans(text, expected):
    assert [text[s:e] for s, e in named_year_spans(text)] == expected


OFFSETS = [
    pytest.param("الرباط –22 يوليوز 2025\nقال إن الأشغال، التي انطلقت اليوم الثلاثاء، ستنتهي بحلول سنة 2027.",
                 "2025-07-22", id="dateline-and-relative"),
    pytest.param("وُقِّعت الاتفاقيةُ في ٣ مــارس ٢٠٢٤ وفي أفق سنة ٢٠٣٠", "", id="diacritics-tatweel-indic"),
    pytest.param("\u200fفي 5 إبريل 2025\u200f ثم أيام 1 و2 ماي 2025 وبين 2020 و2022", "", id="bidi-controls"),
]


@pytest.mark.parametrize("text, published", OFFSETS)
def test_quote_is_text_slice(text, published):
    df = extract_dates("doc", text, published)
    assert len(df) > 0
    assert list(df.columns) == column_names("dates")
    for row in df.itertuples():
        assert text[row.start:row.end] == row.quote
        assert row.quote in row.sentence


def test_offsets_survive_folds():
    text = "وُقِّعت في ٣ مــارس ٢٠٢٤"
    df = extract_dates("doc", text)
    assert df["quote"].tolist() == ["٣ مــارس ٢٠٢٤"]


def test_empty_document_has_schema():
    df = extract_dates("doc", "")
    assert list(df.columns) == column_names("dates") and len(df) == 0


@pytest.mark.parametrize(
    "text",
    [
        pytest.param("الرباط – 3 مارس 2025\nأعلنت الوزارة. وفي 12 أبريل 2025 انطلق البرنامج!", id="dateline-and-two-sentences"),
        pytest.param("د.م. 40 مليون في 5 ماي 2024\nو. في يونيو 2024 تم التوقيع", id="abbreviation-points-at-line-start"),
        pytest.param("  في سنة 2023  \n\n\nثم في أفق 2030؟ نعم\r\nبين 2025 و2027", id="blank-lines-and-carriage-return"),
        pytest.param("بلغ النمو 10.8 في المائة في 2024...\nسنة 2025", id="decimal-point-and-ellipsis"),
    ],
)
def test_date_sentences_from_document_spans_equal_per_line_segmentation(text):
    from policybrief.extract.dates import date_records
    from policybrief.segment import sentence_spans
    from policybrief.textnorm import normalize

    rows = date_records("t", text, "2025-06-01")
    assert rows and rows == date_records("t", text, "2025-06-01", normalize(text), sentence_spans(text))


@pytest.mark.parametrize("name", [pytest.param("day", id="day"), pytest.param("day_range", id="day-range")])
def test_day_patterns_tried_before_month_names_equal_a_full_scan(name):
    import random

    from policybrief.extract.dates import _day_led_matches, _patterns
    from policybrief.textnorm import match_key

    pieces = ["12", "3", "31", "05", "2025", "الـ", "ال", "فاتح", " ", "  ", "\n", " و", "-", " الى ", " حتى ",
              "من ", "شهر ", "مارس", "يوليوز", "ماي", "تشرين الأول", "أبريل/نيسان", " الماضي", " المقبل", "،", ".",
              "سنة ", "وزير", "في "]
    rng = random.Random(5)
    pattern = _patterns()[name]
    for _ in range(1500):
        key = match_key("".join(rng.choice(pieces) for _ in range(rng.randrange(1, 14))))
        months = [m.start() for m in _patterns()["month_at"].finditer(key)]
        assert [m.span() for m in _day_led_matches(key, name, months)] == \
            [m.span() for m in pattern.finditer(key)], key


def test_no_character_without_a_digit_folds_to_one():
    # parse_dateline skips lines without a digit before normalising them; this is why that is safe.
    import re

    from policybrief.textnorm import match_key

    digit = re.compile(r"\d")
    codes = (c for c in range(0x20, 0x10000) if not 0xD800 <= c < 0xE000)
    assert [hex(c) for c in codes if not digit.search(chr(c)) and digit.search(match_key(chr(c)))] == []
