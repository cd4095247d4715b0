"""The figures extractor (policybrief.extract.figures): one row per stated quantity."""
from __future__ import annotations

import pytest

from policybrief.extract.figures import extract_figures
from policybrief.paths import SEEDS_DIR
from policybrief.schemas import validate

FIELDS = ("value", "unit", "quote", "what", "qualifier", "is_target", "target_year", "bound")


def rows(text: str, published: str = "") -> list[dict]:
    df = extract_figures("t", text, published)
    return [{k: r[k] for k in FIELDS} for r in df.to_dict("records")]


def fig(value, unit, quote, what="", qualifier="", is_target=False, target_year="", bound=""):
    return dict(value=float(value), unit=unit, quote=quote, what=what, qualifier=qualifier,
                is_target=is_target, target_year=target_year, bound=bound)


@pytest.mark.parametrize(
    "text, expected",
    [
        pytest.param("رصدت الحكومة 10.8 مليار دولار للمشروع.", [fig(10.8e9, "USD", "10.8 مليار دولار")],
                     id="decimal-billion-dollars"),
        pytest.param("بكلفة مليار و200 مليون درهم بالرباط.", [fig(1.2e9, "MAD", "مليار و200 مليون درهم")],
                     id="billion-and-million-dirhams"),
        pytest.param("خصص مجلس فاس خمسة ملايير درهم للطرق.", [fig(5e9, "MAD", "خمسة ملايير درهم")],
                     id="moroccan-plural-words"),
        pytest.param("بمبلغ 250 ألف د.م. فقط", [fig(250000, "MAD", "250 ألف د.م.")], id="dirham-abbreviation"),
        pytest.param("استثمار بقيمة 3 ملايين يورو", [fig(3e6, "EUR", "3 ملايين يورو")], id="euros"),
        pytest.param("قرض بـ٣٫٥ مليون دولار أمريكي", [fig(3.5e6, "USD", "٣٫٥ مليون دولار أمريكي")],
                     id="arabic-indic-with-adjective"),
        pytest.param("ارتفعت النسبة إلى 40 في المائة.", [fig(40, "percent", "40 في المائة")], id="percent-words"),
        pytest.param("نمو بلغ 12,5% هذا الفصل", [fig(12.5, "percent", "12,5%")], id="percent-sign-comma-decimal"),
        pytest.param("بنسبة ٧٥٪ من الأسر", [fig(75, "percent", "٧٥٪")], id="arabic-percent-sign"),
        pytest.param("سيوفر 500 فرصة شغل مباشرة", [fig(500, "count", "500 فرصة شغل", "فرصة شغل", is_target=True)],
                     id="jobs-listed-noun"),
        pytest.param("أحدثت ألفي منصب في الجهة", [fig(2000, "count", "ألفي منصب", "منصب")], id="dual-thousand-jobs"),
        pytest.param("يضم النظام تسعة فصول", [fig(9, "count", "تسعة فصول", "فصول")], id="words-general-noun"),
        pytest.param("استقبل 22 مشروعا مبتكرا", [fig(22, "count", "22 مشروعا", "مشروعا")], id="accusative-noun"),
        pytest.param("تكوين ثلاثة آلاف مهندس", [fig(3000, "count", "ثلاثة آلاف مهندس", "مهندس")],
                     id="words-thousands-count"),
        pytest.param("مواكبة 150 شركة ناشئة", [fig(150, "count", "150 شركة ناشئة", "شركة ناشئة")],
                     id="start-ups"),
        pytest.param("وزعت 340 لوحة إلكترونية على التلاميذ",
                     [fig(340, "count", "340 لوحة", "لوحة")], id="general-counted-noun"),
        pytest.param("احتل البلد المرتبة 87 عالميا", [fig(87, "rank", "المرتبة 87")], id="rank-digits"),
        pytest.param("جاء في المرتبة الثامنة قاريا", [fig(8, "rank", "المرتبة الثامنة")], id="rank-ordinal"),
        pytest.param("صنف بالمرتبة الثالثة عشرة بعد المائة",
                     [fig(113, "rank", "المرتبة الثالثة عشرة بعد المائة")], id="rank-ordinal-113"),
        pytest.param("يطمح إلى دخول أفضل 20 دولة",
                     [fig(20, "rank", "أفضل 20 دولة", "دولة", qualifier="top_n", is_target=True)], id="top-n-best"),
        pytest.param("تحسن المؤشر بـ14 نقطة", [fig(14, "points", "14 نقطة")], id="points"),
        pytest.param("بقدرة 2 جيغاواط", [fig(2000, "MW", "2 جيغاواط")], id="gigawatt-to-mw"),
        pytest.param("محطة بقدرة 350 ميغاواط", [fig(350, "MW", "350 ميغاواط")], id="megawatt"),
        pytest.param("على مساحة 40 هكتارا", [fig(40, "ha", "40 هكتارا")], id="hectares"),
    ],
)
def test_units_and_values(text, expected):
    assert rows(text) == expected


@pytest.mark.parametrize(
    "text, expected",
    [
        pytest.param("تكوين 4 آلاف شاب، على أن يرتفع العدد إلى 15 ألفا.",
                     [fig(4000, "count", "4 آلاف شاب", "شاب"), fig(15000, "count", "15 ألفا", is_target=True)],
                     id="elliptic-count-after-count"),
        pytest.param("بلغت الكلفة بالمغرب 5 ملايير درهم مقابل 3 ملايير قبل ذلك.",
                     [fig(5e9, "MAD", "5 ملايير درهم"), fig(3e9, "MAD", "3 ملايير")], id="elliptic-money"),
        pytest.param("كان العدد في حدود 800 ألف فقط.", [fig(800000, "count", "800 ألف", qualifier="up_to")],
                     id="bare-scaled-number-is-a-count"),
    ],
)
def test_elliptic_scaled_numbers(text, expected):
    assert rows(text) == expected


@pytest.mark.parametrize(
    "text, qualifier",
    [
        pytest.param("يقدر بنحو 37 في المائة", "approx", id="bi-nahw"),
        pytest.param("كلفة حوالي 20 مليون درهم", "approx", id="hawali"),
        pytest.param("مبلغ يناهز 10 ملايين درهم", "approx", id="yunahiz"),
        pytest.param("تخصيص ما يقارب 40 في المائة", "approx", id="ma-yuqarib"),
        pytest.param("استفاد زهاء 900 شخص", "approx", id="zuhaa"),
        pytest.param("خلق أكثر من 500 منصب", "more_than", id="akthar-min"),
        pytest.param("بلغ أزيد من 300 مستفيد", "more_than", id="moroccan-azyad"),
        pytest.param("استثمار ما لا يقل عن 5 ملايين دولار", "more_than", id="not-less-than"),
        pytest.param("نسبة أقل من 10 في المائة", "less_than", id="aqal-min"),
        pytest.param("دعم يصل إلى 2 مليون درهم", "up_to", id="up-to"),
        pytest.param("تمويل في حدود 300 ألف درهم", "up_to", id="fi-hudud"),
        pytest.param("استقبل 200 طالب", "", id="no-qualifier"),
    ],
)
def test_qualifier(text, qualifier):
    (row,) = rows(text)
    assert row["qualifier"] == qualifier
    assert not row["quote"].startswith(("نحو", "بنحو", "أكثر", "حوالي", "ما "))


@pytest.mark.parametrize(
    "text, is_target, year",
    [
        pytest.param("خلق 500 فرصة شغل في أفق سنة 2029.", True, "2029", id="fi-ufuq-sana"),
        pytest.param("بلوغ 30 في المائة بحلول 2030.", True, "2030", id="bihulul"),
        pytest.param("تكوين 100 ألف شاب حتى سنة 2027.", True, "2027", id="hatta-sana"),
        pytest.param("إحداث 50 مركزا مع نهاية 2026.", True, "2026", id="maa-nihayat"),
        pytest.param("تعبئة 4 مليارات درهم خلال الفترة 2025-2030.", True, "2030", id="period-range"),
        pytest.param("في أفق 2035، سيتم ربط 900 قرية بالألياف.", True, "2035", id="horizon-opens-sentence"),
        pytest.param("إسهام بـ8 ملايير دولار بحلول نهاية العقد.", True, "", id="horizon-without-year"),
        pytest.param("تغطية 85 في المائة في أفق تنظيم الألعاب 2032.", True, "2032", id="year-a-few-words-later"),
        pytest.param("ربط 45 مدينة قبل متم سنة 2026.", True, "2026", id="qabla-mutamm"),
        pytest.param("تم تكوين 700 متدرب السنة الماضية.", False, "", id="no-horizon"),
        pytest.param("استفاد 400 شخص، وفي أفق 2030 سيتم توسيع البرنامج.", False, "", id="horizon-in-other-clause"),
    ],
)
def test_targets(text, is_target, year):
    (row,) = rows(text)
    assert (row["is_target"], row["target_year"]) == (is_target, year)


def test_past_horizon_is_not_a_target_when_published_is_known():
    (row,) = rows("تم خلق 500 منصب مع نهاية 2023.", published="2025-03-01")
    assert (row["is_target"], row["target_year"]) == (False, "")


@pytest.mark.parametrize(
    "text, expected",
    [
        pytest.param("ميزانية بين 3 و5 ملايين درهم", [fig(3e6, "dirham", "3", bound="low"),
                                                     fig(5e6, "dirham", "5 ملايين درهم", bound="high")],
                     id="bayna-wa-scale-shared"),
        pytest.param("نسبة تتراوح ما بين 20 و30 في المائة", [fig(20, "percent", "20", bound="low"),
                                                         fig(30, "percent", "30 في المائة", bound="high")],
                     id="ma-bayna-percent"),
        pytest.param("من 10 إلى 15 مليار درهم مغربي", [fig(10e9, "MAD", "10", bound="low"),
                                                      fig(15e9, "MAD", "15 مليار درهم مغربي", bound="high")],
                     id="min-ila"),
    ],
)
def test_ranges(text, expected):
    assert rows(text) == expected


@pytest.mark.parametrize(
    "text",
    [
        pytest.param("أطلقت استراتيجية “المغرب الرقمي 2030” رسميا.", id="year-in-quoted-name"),
        pytest.param("خارطة Maroc IA 2030 الجديدة", id="year-in-latin-name"),
        pytest.param("في إطار نموذج الصناعة 4.0 المتقدم", id="version-number"),
        pytest.param("طبقا للقانون 09.08 المتعلق بحماية المعطيات", id="law-number"),
        pytest.param("بمقتضى المادة 12 من المرسوم", id="article-number"),
        pytest.param("وقع الاتفاق يوم 22 يوليوز 2025 بالرباط", id="date"),
        pytest.param("انعقدت سنة 2024 مناظرة وطنية", id="year"),
        pytest.param("تكوين آلاف الكفاءات المغربية", id="vague-plural"),
        pytest.param("انعقدت الدورة الثانية للمناظرة", id="edition-ordinal"),
        pytest.param("للاستفسار اتصلوا بالرقم 0522123456 مباشرة", id="phone-number"),
        pytest.param("يبدأ اللقاء على الساعة 10:30 صباحا", id="clock-time"),
        pytest.param("استمر المشروع 3 سنوات كاملة", id="duration"),
        pytest.param("قال أحد المسؤولين إن العمل مستمر", id="ahad-one-of"),
        pytest.param("قال إنه لست متأكدا من ذلك", id="clitic-word-is-not-a-number"),
        pytest.param("وصل عدد المشاركين إلى 2030", id="bare-number"),
    ],
)
def test_not_figures(text):
    assert rows(text) == []


SENTENCES = [
    "أعلنت الوزارة عن رصد 1,200 مليون درهم لدعم 300 مقاولة ناشئة بحلول 2027.",
    "وبلغت نسبة الولوج ٩٢٫٥٪ مقابل 87 في المائة سنة 2023، أي بزيادة 5,5 نقطة.",
    "ويضم البرنامج أكثر من عشرين ألفا من المستفيدين، و1.500 مهندس، وأزيد من 40 مختبرا.",
    "واحتل المغرب المرتبة الرابعة والعشرين، متقدما بـ\u0640\u064014 نقطة، ضمن أفضل 30 دولة.",
    "وتبلغ قدرة المحطة 1.2 جيغاواط، على مساحة ٣٠٠ هكتار، بكلفة تناهز 6 ملايير درهم.",
    "الجلسة الأولى\u200f انطلقت\u200e بحضور 250 مشاركا و\u064b12 خبيرا دوليا.",
]


def test_quote_is_the_exact_text_span():
    for text in SENTENCES + [p.read_text(encoding="utf-8") for p in sorted(SEEDS_DIR.glob("*.txt"))]:
        df = extract_figures("t", text)
        assert len(df) > 0
        for r in df.itertuples():
            assert text[r.start:r.end] == r.quote
            assert r.quote in r.sentence
            if r.what:
                assert r.what in r.quote


def test_schema_and_empty_table():
    df = extract_figures("doc-1", SENTENCES[0])
    validate(df, "figures")
    assert set(df["doc_id"]) == {"doc-1"}
    assert set(df["rule"]) <= {"money", "percent", "count-noun", "count-general", "points", "measure",
                               "rank-head", "rank-ordinal", "rank-best", "ellipsis"} | {r + "+range" for r in
                                                                            ("money", "percent", "count-noun")}
    empty = extract_figures("doc-2", "لا أرقام هنا.")
    validate(empty, "figures")
    assert len(empty) == 0
