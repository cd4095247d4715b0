"""What each figure means: measure, subject, time role and year (policybrief.extract.figure_meaning)."""
from __future__ import annotations

import pytest

from policybrief.evaluate import measure_matches
from policybrief.extract.figures import extract_figures


def first(text: str, published: str = "", quote: str = "") -> dict:
    rows = extract_figures("t", text, published).to_dict("records")
    return next(r for r in rows if quote in r["quote"]) if quote else rows[0]


@pytest.mark.parametrize(
    "text, quote, measure",
    [
        pytest.param("أعلنت الوزارة أن صادرات الفوسفات بلغت 6.2 مليار دولار.", "6.2", "صادرات الفوسفات",
                     id="subject-of-reaching-verb"),
        pytest.param("ارتفعت مداخيل السياحة بنسبة 11 في المائة.", "11", "ارتفاع مداخيل السياحة",
                     id="change-verb-written-as-its-noun"),
        pytest.param("مداخيل الموانئ تتراجع 4 في المائة", "4", "تراجع مداخيل الموانئ", id="headline-verb-after"),
        pytest.param("وبلغت ديون الشركة 900 مليون درهم مغربي، بارتفاع نسبته 12 في المائة.", "12",
                     "ارتفاع ديون الشركة", id="bare-change-borrows-what-changed"),
        pytest.param("بلغت النفقات 40 مليار دولار مقابل 35 مليار دولار في 2021.", "35", "النفقات",
                     id="comparison-base-has-the-same-measure"),
        pytest.param("بلغ العجز 4.5 مليار دينار تونسي (1.5 مليار دولار).", "1.5", "العجز",
                     id="bracketed-conversion-is-the-same-measure"),
        pytest.param("يمثل القطاع 7 في المائة من الناتج الداخلي الخام.", "7", "من الناتج الداخلي الخام",
                     id="share-of-what-follows"),
        pytest.param("في ظل سوق عالمية للطاقة الشمسية تعرف نموا سنويا بنحو 25 في المائة.", "25",
                     "نمو سوق عالمية للطاقة الشمسية", id="light-verb-and-growth"),
        pytest.param("خصصت البلدية 60 مليون درهم مغربي لتهيئة الحدائق العمومية.", "60", "لتهيئة الحدائق العمومية",
                     id="allocation-purpose"),
        pytest.param("وأضاف أن عدد المقاولات المصدرة بلغ 3100 مقاولة.", "3100", "عدد المقاولات المصدرة مقاولة",
                     id="count-with-a-count-head"),
        pytest.param("تم تكوين 800 مهندس جديد في الذكاء الاصطناعي.", "800", "مهندس",
                     id="count-is-its-noun"),
        pytest.param("احتلت الجامعة المرتبة 14 عربيا في تصنيف الابتكار.", "14", "الترتيب عربيا في تصنيف الابتكار",
                     id="rank-measured-by-what-follows"),
        pytest.param("بلغت حصيلة الضرائب في السنة المالية 2024 نحو 300 مليار درهم مغربي.", "300", "حصيلة الضرائب",
                     id="time-phrase-is-not-the-measure"),
        pytest.param("وخلال العام الماضي تراجعت مبيعات الإسمنت بنسبة 9 في المائة.", "9", "تراجع مبيعات الإسمنت",
                     id="time-phrase-opening-the-clause"),
        pytest.param("غير أن رسوم التسجيل (الجامعية) ارتفعت بنسبة 6 في المائة.", "6", "ارتفاع رسوم التسجيل الجامعية",
                     id="verb-after-its-subject-with-brackets"),
        pytest.param("بلغت الديون 80 مليار دولار (300 مليار ريال سعودي) مقابل 70 مليار دولار (262 مليار ريال سعودي).",
                     "262", "الديون", id="conversion-after-a-comparison"),
    ],
)
def test_measure(text, quote, measure):
    row = first(text, quote=quote)
    assert measure_matches(measure, row["measure"]), row["measure"]
    assert row["measure"]


@pytest.mark.parametrize(
    "text, quote, subject",
    [
        pytest.param("سجلت صادرات تونس 2.1 مليار دولار.", "2.1", "تونس", id="country-in-clause"),
        pytest.param("أعلنت وزارة المالية أن العجز بلغ 3 في المائة.", "3", "", id="speaker-is-not-the-subject"),
        pytest.param("يقدر البنك الدولي حجم السوق العالمية بنحو 90 مليار دولار.", "90", "",
                     id="source-of-a-global-estimate"),
        pytest.param("وتعرف السوق العالمية نموا بنحو 30 في المائة في المغرب وخارجه.", "30", "",
                     id="world-market-has-no-national-subject"),
    ],
)
def test_subject(text, quote, subject):
    assert first(text, quote=quote)["subject"] == subject


@pytest.mark.parametrize(
    "text, published, quote, role, year",
    [
        pytest.param("تستهدف الخطة 2 مليار دولار من الصادرات بحلول نهاية العقد.", "2026-01-15", "2",
                     "target", "2030", id="end-of-decade"),
        pytest.param("يتوقع أن يبلغ الإنتاج 5 ملايين طن خلال السنوات الخمس المقبلة.", "2025-06-01", "5",
                     "target", "2030", id="next-five-years"),
        pytest.param("سيرتفع عدد المستفيدين إلى 20 ألف مستفيد العام المقبل.", "2025-06-01", "20",
                     "target", "2026", id="next-year"),
        pytest.param("بلغ الدين العام 65 في المائة في نهاية العام.", "2025-06-01", "65", "reported", "",
                     id="end-of-year-stock-is-no-target"),
        pytest.param("انتقلت العائدات من 300 مليون دولار عام 2019 إلى 520 مليون دولار بحلول 2027.", "2025-06-01",
                     "300", "historical", "2019", id="own-past-year-is-no-target"),
        pytest.param("انتقلت العائدات من 300 مليون دولار عام 2019 إلى 520 مليون دولار بحلول 2027.", "2025-06-01",
                     "520", "target", "2027", id="horizon-of-the-second-figure"),
        pytest.param("بلغت الصادرات 9 مليارات دولار في 2024 مقابل 7 مليارات دولار في 2023.", "2025-02-01", "9",
                     "reported", "2024", id="last-year-reported"),
        pytest.param("بلغت الصادرات 9 مليارات دولار في 2024 مقابل 7 مليارات دولار في 2023.", "2025-02-01", "7",
                     "historical", "2023", id="comparison-base-historical"),
        pytest.param("بلغ العجز 6 مليارات دولار في العام المالي 2024/2025.", "2025-09-01", "6", "reported",
                     "2024/2025", id="fiscal-year-is-a-period"),
        pytest.param("بلغ الإنتاج 3 ملايين طن سنة 2015.", "2025-09-01", "3", "historical", "2015", id="old-year"),
    ],
)
def test_time_role_and_year(text, published, quote, role, year):
    row = first(text, published, quote)
    assert (row["time_role"], row["year"]) == (role, year)
    assert row["is_target"] == (role == "target")
    assert row["target_year"] == (year if role == "target" else "")


def test_confidence_is_a_share_and_rewards_a_clear_reading():
    clear = first("بلغت صادرات تونس 2.1 مليار دولار.")["confidence"]
    vague = first("وصل الرقم إلى 4 آلاف.")["confidence"]
    assert 0 <= vague < clear <= 1
